// Compiles the JSON Schemas of our file formats to standalone validator code once at build time,
// so reading an assessment, a pack or a result file does not load ajv or compile schemas.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const FORMATS = {
  bank: 'bank.schema.json',
  assessment: 'assessment.schema.json',
  pack: 'pack.schema.json',
  result: 'result.schema.json',
  key: 'key.schema.json',
};

const ajv = new Ajv({ code: { source: true, lines: false }, allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
// x-hint: the phrase our messages use when a value breaks a pattern or a bound (not a check).
ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
// x-messages: the message per failing keyword, a template (see src/schema/check.ts); x-name: what
// a message calls the value the schema describes ("question", "choice"). Neither is a check.
ajv.addKeyword({ keyword: 'x-messages', schemaType: 'object' });
ajv.addKeyword({ keyword: 'x-name', schemaType: 'string' });
const exports = {};
for (const [name, file] of Object.entries(FORMATS)) {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', file), 'utf8'));
  ajv.addSchema(schema, name);
  exports[name] = name;
}
const code = standalone.default(ajv, exports);
// The generated code must not need ajv at run time: ajv is a development dependency only.
if (/require\(/.test(code)) {
  console.error(
    'build-schemas: a schema uses a keyword that needs ajv at run time (minLength, maxLength, uniqueItems on objects, ...); use pattern or a code check instead',
  );
  process.exit(1);
}
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
fs.writeFileSync(path.join(root, 'dist', 'validators.cjs'), code);
console.log(`build-schemas: ${Object.keys(FORMATS).length} schemas -> dist/validators.cjs`);
