// One mechanism for the structure of every file format: the JSON Schema in schema/, compiled to
// standalone validators at build time (scripts/build-schemas.mjs). This module runs them and turns
// their errors into messages that say what to fix, positioned at the YAML node they concern.
import { createRequire } from 'node:module';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Problem } from '../bank/types.js';
import { packageRoot } from '../paths.js';
import { safeLine } from '../text.js';
import { MAX_PROBLEMS, lineIndex, readYaml } from '../yaml.js';

export type FormatName = 'assessment' | 'pack' | 'result' | 'key';

export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
  parentSchema?: { properties?: Record<string, unknown>; 'x-hint'?: string; enum?: unknown[] };
}
type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

let validators: Record<FormatName, Validator> | undefined;

/** The validator compiled for a format (loaded once, on first use). */
export function validatorFor(name: FormatName): Validator {
  validators ??= createRequire(import.meta.url)(path.join(packageRoot, 'dist', 'validators.cjs')) as Record<FormatName, Validator>;
  return validators[name];
}

const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

export function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
}

/** The name a message uses for the value at a pointer: its field name, or "entry N of 'field'". */
function fieldName(segments: readonly string[]): string {
  const last = segments.at(-1);
  if (last === undefined) return 'the file';
  if (/^\d+$/.test(last)) {
    const parent = segments.at(-2);
    return parent === undefined ? `entry ${Number(last) + 1}` : `entry ${Number(last) + 1} of '${parent}'`;
  }
  return `'${last}'`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `text '${safeLine(value.length > 40 ? `${value.slice(0, 40)}…` : value)}'`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'empty',
};

/** One readable sentence per schema error; undefined for errors that only restate others. */
export function schemaMessage(e: SchemaError): string | undefined {
  const segs = pointerSegments(e.instancePath);
  const field = fieldName(segs);
  const hint = e.parentSchema?.['x-hint'];
  switch (e.keyword) {
    case 'required':
      return `${segs.length ? field : 'the file'} is missing required field '${String(e.params.missingProperty)}'`;
    case 'additionalProperties': {
      const allowed = Object.keys(e.parentSchema?.properties ?? {});
      return `unknown field '${safeLine(String(e.params.additionalProperty))}'${segs.length ? ` in ${field}` : ''}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`;
    }
    case 'type':
      return `${field} must be ${String(e.params.type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(' or ')}, got ${describe(e.data)}`;
    case 'enum':
      return `${field} must be one of ${(e.params.allowedValues as unknown[]).map(String).join(', ')}; got ${describe(e.data)}`;
    case 'const':
      return `${field} must be ${JSON.stringify(e.params.allowedValue)}; got ${describe(e.data)}`;
    case 'pattern':
      return `${field} ${hint ?? `does not have the expected form`}; got ${describe(e.data)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${field} must be ${String(e.params.comparison)} ${String(e.params.limit)}; got ${describe(e.data)}`;
    case 'minItems':
      return hint ? `${field}: ${hint}` : `${field} must have at least ${String(e.params.limit)} entr${e.params.limit === 1 ? 'y' : 'ies'}`;
    case 'maxItems':
      return `${field} may have at most ${String(e.params.limit)} entries`;
    case 'propertyNames':
      return undefined; // reported by the pattern error on the name itself
    default:
      return `${field} ${e.message ?? 'is not valid'}`;
  }
}

/** Schema errors of `data`, each positioned by `at` (a pointer in, a line and column out). */
export function schemaProblems(
  name: FormatName,
  data: unknown,
  file: string,
  at: (pointer: string, e: SchemaError) => { line: number; col: number },
): Problem[] {
  const validate = validatorFor(name);
  if (validate(data)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const message = schemaMessage(e);
    if (message === undefined || seen.has(message + e.instancePath)) continue;
    seen.add(message + e.instancePath);
    problems.push({ file, ...at(e.instancePath, e), message });
  }
  return problems;
}

export interface CheckedYaml<T> {
  data?: T;
  doc?: Document;
  problems: Problem[];
  /** Position of the node at a JSON pointer (or of its nearest ancestor that exists). */
  at(pointer: string): { line: number; col: number };
}

/** YAML text → data that satisfies the format's schema, or problems at file:line:col. */
export function checkYaml<T>(text: string, file: string, name: FormatName, opts: { maxBytes: number; what: string }): CheckedYaml<T> {
  const lineCol = lineIndex(text);
  const problems: Problem[] = [];
  let doc: Document | undefined; // eslint-disable-line prefer-const -- assigned after nodeAt, which closes over it
  const nodeAt = (segments: readonly string[]): Node | undefined => {
    let node = doc?.contents as Node | null | undefined;
    for (const s of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === s);
        if (!pair) return node;
        node = pair.value as Node | null;
      } else if (isSeq(node)) {
        const next = node.items[Number(s)] as Node | undefined;
        if (!next) return node;
        node = next;
      } else return node ?? undefined;
    }
    return node ?? undefined;
  };
  const at = (pointer: string, e?: SchemaError): { line: number; col: number } => {
    const segs = pointerSegments(pointer);
    // An unknown field is reported at its key, not at the mapping that holds it.
    if (e?.keyword === 'additionalProperties') {
      const map = nodeAt(segs);
      if (isMap(map)) {
        const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(e.params.additionalProperty));
        if (pair) return lineCol((pair.key as Node).range?.[0] ?? 0);
      }
    }
    return lineCol(nodeAt(segs)?.range?.[0] ?? 0);
  };
  const read = readYaml(text, file, opts);
  doc = read.doc;
  problems.push(...read.problems.list);
  if (!doc) return { problems, at };
  const data = doc.toJS() as unknown;
  problems.push(...schemaProblems(name, data, file, at).slice(0, MAX_PROBLEMS));
  return problems.length ? { problems, doc, at } : { data: data as T, doc, problems, at };
}
