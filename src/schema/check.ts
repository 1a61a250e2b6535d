// One mechanism for the structure of every file format: the JSON Schema in schema/, compiled to
// standalone validators at build time (scripts/build-schemas.mjs). This module runs them and turns
// their errors into messages that say what to fix, positioned at the YAML node they concern.
import { createRequire } from 'node:module';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Problem } from '../bank/types.js';
import { packageRoot } from '../paths.js';
import { safeLine } from '../text.js';
import { MAX_PROBLEMS, lineIndex, readYaml, type TextLimits } from '../yaml.js';

export type FormatName = 'bank' | 'assessment' | 'pack' | 'result' | 'key';

export interface SchemaError {
  instancePath: string;
  schemaPath?: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
  /** Set on the errors of a `propertyNames` subschema: the offending key. */
  propertyName?: string;
  parentSchema?: {
    properties?: Record<string, unknown>;
    'x-hint'?: string;
    enum?: unknown[];
    /** Message templates by keyword (see `fill`). */
    'x-messages'?: Record<string, string | Record<string, string>>;
    /** What messages call the value this schema describes, instead of its field name. */
    'x-name'?: string;
  };
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

/** How the parser of a bank names a value: "text", "the number 5", "a list". */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `the ${typeof value} ${String(value)}`;
}

const clip = (s: string): string => safeLine(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/**
 * A schema's own message for an error (`x-messages`), with its placeholders filled in:
 * {field} the value's name, {name} its key, {got} what it is ("the number 5"), {quote} a hint to
 * quote a number or boolean that should be text, {raw} the value as text, {shown} the value
 * quoted or what it is, {key} the unknown or refused key, {allowed} the allowed keys or values,
 * {missing} the missing field, {limit} the bound, {count} the number of entries, {id} " 'x'"
 * when the mapping has a text id. A template per missing field is a mapping from field to text.
 */
function custom(e: SchemaError, field: string, name: string): string | undefined {
  const spec = e.parentSchema?.['x-messages']?.[e.keyword];
  const template = typeof spec === 'object' ? spec[String(e.params.missingProperty)] : spec;
  if (template === undefined) return undefined;
  const data = e.data;
  const scalar = data !== null && data !== undefined && typeof data !== 'object';
  const record = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  const allowed = e.keyword === 'enum' ? (e.params.allowedValues as unknown[]).map(String) : Object.keys(e.parentSchema?.properties ?? {});
  const values: Record<string, () => string> = {
    field: () => field,
    name: () => name,
    got: () => kindOf(data),
    quote: () => (typeof data === 'number' || typeof data === 'boolean' ? ` (put it in quotes: "${String(data)}")` : ''),
    raw: () => clip(String(data)),
    shown: () => (scalar ? `'${clip(String(data))}'` : kindOf(data)),
    key: () => clip(String(e.params.additionalProperty ?? e.propertyName ?? '')),
    allowed: () => allowed.join(', '),
    missing: () => String(e.params.missingProperty),
    limit: () => String(e.params.limit),
    count: () => String(Array.isArray(data) ? data.length : ''),
    id: () => (typeof record?.id === 'string' ? ` '${clip(record.id)}'` : ''),
  };
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => values[k]?.() ?? whole);
}

/** One readable sentence per schema error; undefined for errors that only restate others. */
export function schemaMessage(e: SchemaError): string | undefined {
  const segs = pointerSegments(e.instancePath);
  const named = e.parentSchema?.['x-name'];
  const field = named ?? fieldName(segs);
  const own = custom(e, field, segs.at(-1) ?? '');
  if (own !== undefined) return own;
  const hint = e.parentSchema?.['x-hint'];
  switch (e.keyword) {
    case 'required':
      return `${segs.length || named ? field : 'the file'} is missing required field '${String(e.params.missingProperty)}'`;
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
      return undefined; // reported by the error of its subschema, on the name itself
    case 'if':
      return undefined; // "must match then schema": the errors of `then` say what
    default:
      return `${field} ${e.message ?? 'is not valid'}`;
  }
}

/**
 * The errors worth a message: one per value (a list's `contains` or size waits until its entries
 * are sound, and a value wrong in type is not also reported as out of range or pattern), and none
 * from the branches of a `oneOf` that states its own message.
 */
function significant(all: readonly SchemaError[]): SchemaError[] {
  // `contains` reports the errors of every entry that did not match; its own error says it.
  const errors = all.filter((e) => !/\/contains\//.test(e.schemaPath ?? ''));
  const stated = errors
    .filter((e) => e.keyword === 'oneOf' && e.parentSchema?.['x-messages']?.oneOf !== undefined)
    .map((e) => `${e.schemaPath}/`);
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  // Of several errors about one value, the one nearest the top of its schema says it best (a
  // question that is not a mapping, rather than each type's branch finding the same).
  const depth = (e: SchemaError): number => e.schemaPath?.split('/').length ?? 0;
  for (const e of [...errors].sort((a, b) => depth(a) - depth(b))) {
    if (stated.some((p) => e.schemaPath?.startsWith(p))) continue;
    if ((e.keyword === 'contains' || e.keyword === 'minItems') && errors.some((o) => o.instancePath.startsWith(`${e.instancePath}/`)))
      continue;
    const which = e.params.missingProperty ?? e.params.additionalProperty ?? e.propertyName ?? '';
    const slot = `${e.instancePath}\0${String(which)}`;
    if (seen.has(slot)) continue;
    seen.add(slot);
    out.push(e);
  }
  return out;
}

/** The raw errors of `data` against a format's schema (empty when it is valid). */
export function schemaErrors(name: FormatName, data: unknown): SchemaError[] {
  const validate = validatorFor(name);
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

/** Schema errors of `data`, each positioned by `at` (a pointer in, a line and column out), in the order of the file. */
export function schemaProblems(
  name: FormatName,
  data: unknown,
  file: string,
  at: (pointer: string, e: SchemaError) => { line: number; col: number },
  errors: readonly SchemaError[] = schemaErrors(name, data),
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of significant(errors)) {
    const message = schemaMessage(e);
    if (message === undefined || seen.has(message + e.instancePath)) continue;
    seen.add(message + e.instancePath);
    problems.push({ file, ...at(e.instancePath, e), message });
  }
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

export interface CheckedYaml<T> {
  data?: T;
  doc?: Document;
  /** The parsed data whether or not the schema accepted it, for the checks a schema cannot make. */
  raw?: unknown;
  /** The first MAX_PROBLEMS problems, in the order of the file. */
  problems: Problem[];
  /** How many more there were. */
  omitted: number;
  /** Position of the node at a JSON pointer (or of its nearest ancestor that exists). */
  at(pointer: string): { line: number; col: number };
  /** Whether the schema refused the value at a pointer or anything inside it. */
  refused(pointer: string): boolean;
}

/**
 * The first MAX_PROBLEMS problems in the order of the file, and how many were left out. `first`
 * (the reader's own problems, already capped and closed by their own last line) come before the rest.
 */
export function capProblems(
  problems: readonly Problem[],
  omitted = 0,
  first: readonly Problem[] = [],
): { problems: Problem[]; omitted: number } {
  const room = Math.max(0, MAX_PROBLEMS - first.length);
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
  return { problems: [...first, ...sorted.slice(0, room)], omitted: omitted + Math.max(0, sorted.length - room) };
}

const keyOf = (p: Pair): string => (isScalar(p.key) ? String(p.key.value) : String(p.key));

/** YAML text → data that satisfies the format's schema, or problems at file:line:col. */
export function checkYaml<T>(
  text: string,
  file: string,
  name: FormatName,
  opts: TextLimits,
  /** The format's rules a schema cannot state, over the data whether or not the schema accepted it. */
  more?: (raw: unknown, checked: Pick<CheckedYaml<T>, 'at' | 'refused'>) => Problem[],
): CheckedYaml<T> {
  const lineCol = lineIndex(text);
  let doc: Document | undefined; // eslint-disable-line prefer-const -- assigned after nodeAt, which closes over it
  // Pairs by key per mapping, built on first use: a file with thousands of unknown keys must not
  // search its mapping once per error.
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) if (!index.has(keyOf(p))) index.set(keyOf(p), p);
      indexes.set(map, index);
    }
    return index.get(key);
  };
  const nodeAt = (segments: readonly string[]): Node | undefined => {
    let node = doc?.contents as Node | null | undefined;
    for (const s of segments) {
      if (isMap(node)) {
        const pair = pairOf(node, s);
        if (!pair) return node;
        // `key:` with nothing after it: the key is where the empty value is.
        node = (pair.value ?? pair.key) as Node | null;
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
    // An unknown or refused key is reported at the key, not at the mapping that holds it.
    const key = e?.keyword === 'additionalProperties' ? e.params.additionalProperty : e?.propertyName;
    if (key !== undefined) {
      const map = nodeAt(segs);
      if (isMap(map)) {
        const pair = pairOf(map, String(key));
        if (pair) return lineCol((pair.key as Node).range?.[0] ?? 0);
      }
    }
    return lineCol(nodeAt(segs)?.range?.[0] ?? 0);
  };
  const read = readYaml(text, file, opts);
  doc = read.doc;
  const none = (): boolean => false;
  if (!doc) return { problems: read.problems.list, omitted: read.problems.omitted, at, refused: none };
  const raw = doc.toJS() as unknown;
  const errors = schemaErrors(name, raw);
  const bad = errors.map((e) => e.instancePath);
  const refused = (pointer: string): boolean => bad.some((p) => p === pointer || p.startsWith(`${pointer}/`));
  const refusedOrNone = errors.length ? refused : none;
  const found = [...schemaProblems(name, raw, file, at, errors), ...(more?.(raw, { at, refused: refusedOrNone }) ?? [])];
  const { problems, omitted } = capProblems(found, read.problems.omitted, read.problems.list);
  const base = { doc, raw, problems, omitted, at, refused: refusedOrNone };
  return problems.length || omitted ? base : { ...base, data: raw as T };
}
