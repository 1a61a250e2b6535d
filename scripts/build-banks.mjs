// Compiles the built-in YAML banks into dist/banks.json once at build time, so a quiz starts
// without parsing YAML. A bank with problems fails the build with file:line:col messages.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { loadBankFiles } = await import(path.join(root, 'dist/bank/load.js'));
const { formatProblem } = await import(path.join(root, 'dist/bank/types.js'));
const { summarize } = await import(path.join(root, 'dist/bank/summary.js'));

const result = loadBankFiles(['questions'], root);
if (result.problems.length) {
  for (const p of result.problems) console.error(formatProblem(p));
  console.error(`build-banks: ${result.problems.length} problem(s) in questions/`);
  process.exit(1);
}
fs.writeFileSync(path.join(root, 'dist/banks.json'), JSON.stringify({ banks: result.banks }));
// What `topics` lists, so listing the built-in banks does not read all their questions.
fs.writeFileSync(path.join(root, 'dist/topics.json'), JSON.stringify(summarize(result.banks)));
const n = result.banks.reduce((s, b) => s + b.questions.length, 0);
console.log(`build-banks: ${result.banks.length} banks, ${n} questions -> dist/banks.json`);
