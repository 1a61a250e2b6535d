// Parses an answers file (YAML, or JSON in a .json file) for scripted runs. Pure: text in. Every
// entry is checked against the loaded banks so that a typo fails loudly instead of scoring zero.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { MAX_TEXT_ANSWER, type Response } from '../engine/score.js';
import { safeLine } from '../text.js';
import { readJson } from '../json.js';
import { readYaml, type Problems } from '../yaml.js';
import { MAX_BANK_BYTES } from './parse.js';
import { isTask, type Problem, type Question } from './types.js';

/** The same size limit as a bank: an answers file for every built-in question is under 100 KB. */
export const MAX_ANSWERS_BYTES = MAX_BANK_BYTES;

/**
 * Reads the file a task's `{ file: path }` answer names (relative to the answers file's folder),
 * of at most `maxBytes`: its text, or '!reason' when it cannot be used. Given by the caller so that
 * this module stays free of the file system.
 */
export type AnswerFileReader = (file: string, maxBytes: number) => string | `!${string}`;

/** A task's answer kept in its own file: `key: { file: solutions/top-n.sql }`. */
interface FileRef {
  file: unknown;
}

const isFileRef = (v: unknown): v is FileRef => typeof v === 'object' && v !== null && !Array.isArray(v) && 'file' in v;

export interface ParsedAnswers {
  answers: Map<string, Response>;
  /** Every question the file names, answered or left blank. */
  named: Set<string>;
  /** The first MAX_PROBLEMS problems. */
  problems: Problem[];
  /** How many more there were. */
  omitted: number;
}

/** One entry of an answers file, with the offsets its problems are reported at. */
interface Entry {
  key: string;
  keyAt: number;
  /** A scalar, a list of scalars (anything else in it undefined), a FileRef, or undefined. */
  value: unknown;
  valueAt: number;
}

const NOT_A_MAPPING = `an answers file maps question keys (bank/id) to answers, e.g. "http-apis/idempotent-methods: [PUT, DELETE]"`;
const LIMITS = { maxBytes: MAX_ANSWERS_BYTES, what: 'an answers file' };

/** A .json file is read as JSON (much faster than as YAML); anything else as YAML. */
export function parseAnswers(
  text: string,
  file: string,
  questions: ReadonlyMap<string, Question>,
  readAnswerFile?: AnswerFileReader,
): ParsedAnswers {
  const { entries, problems: found } = /\.json$/i.test(file) ? jsonEntries(text, file) : yamlEntries(text, file);
  const answers = new Map<string, Response>();
  const named = new Set<string>();
  for (const { key, keyAt, value, valueAt } of entries ?? []) {
    const q = questions.get(key);
    if (!q) {
      found.at(
        keyAt,
        `no question '${safeLine(key.length > 100 ? `${key.slice(0, 100)}…` : key)}' in the loaded banks; keys are <bank>/<id> (see 'backend-quiz topics')`,
      );
      continue;
    }
    named.add(key);
    if (value === null || value === undefined) continue; // left blank: unanswered
    const r = coerce(q, value, readAnswerFile);
    if (typeof r === 'string' && r.startsWith('!')) found.at(valueAt, r.slice(1));
    else answers.set(key, r as Response);
  }
  return { answers, named, problems: found.list, omitted: found.omitted };
}

function yamlEntries(text: string, file: string): { entries?: Entry[]; problems: Problems } {
  const { doc, problems } = readYaml(text, file, LIMITS);
  if (!doc) return { problems };
  const root = doc.contents as Node | null;
  if (root === null || (isScalar(root) && root.value === null)) return { entries: [], problems };
  if (!isMap(root)) {
    problems.node(root, NOT_A_MAPPING);
    return { problems };
  }
  const at = (node: Node | null | undefined): number => node?.range?.[0] ?? 0;
  const entries = root.items.map((pair): Entry => {
    const keyNode = pair.key as Node;
    const v = pair.value as Node | null;
    return {
      key: isScalar(keyNode) ? String(keyNode.value) : '',
      keyAt: at(keyNode),
      value: isSeq(v) ? v.items.map((i) => (isScalar(i) ? i.value : undefined)) : isScalar(v) ? v.value : fileRef(v),
      valueAt: at(v),
    };
  });
  return { entries, problems };
}

/** `{ file: path }` is the one mapping an answer may be; any other is no answer, as before. */
function fileRef(v: Node | null): FileRef | undefined {
  if (!isMap(v) || v.items.length !== 1) return undefined;
  const [pair] = v.items;
  if (!isScalar(pair!.key) || pair!.key.value !== 'file') return undefined;
  return { file: isScalar(pair!.value) ? pair!.value.value : undefined };
}

function jsonEntries(text: string, file: string): { entries?: Entry[]; problems: Problems } {
  const { root, problems } = readJson(text, file, LIMITS);
  if (!root) return { problems };
  if (!('entries' in root)) {
    if (root.value !== null) problems.at(root.at, NOT_A_MAPPING);
    return { entries: [], problems };
  }
  // The shapes the YAML reading gives: a mapping inside a value or a list is no answer, except a
  // task's `{ "file": path }`.
  const scalar = (v: unknown): unknown => (v !== null && typeof v === 'object' ? undefined : v);
  const value = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(scalar) : isFileRef(v) && Object.keys(v).length === 1 ? { file: scalar((v as FileRef).file) } : scalar(v);
  const entries = root.entries.map(({ value: v, ...e }): Entry => ({ ...e, value: value(v) }));
  return { entries, problems };
}

/** The response in canonical form, or '!message' when the value does not fit the question. */
function coerce(q: Question, value: unknown, readAnswerFile?: AnswerFileReader): Response | `!${string}` {
  if (isTask(q)) return taskAnswer(q.key, q.limits.answerKb, value, readAnswerFile);
  if (isFileRef(value)) return `!${q.key} is not a task; only a task's answer may be { file: path }`;
  const choiceText = (x: unknown): string | undefined => {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') return undefined;
    const want = String(x).trim().toLowerCase();
    return 'choices' in q ? q.choices.find((c) => c.text.toLowerCase() === want)?.text : undefined;
  };
  const listChoices = (): string => ('choices' in q ? q.choices.map((c) => `"${c.text}"`).join(', ') : '');
  switch (q.type) {
    case 'single': {
      if (Array.isArray(value)) return `!${q.key} is single choice: give one choice text, not a list`;
      return choiceText(value) ?? `!'${safeLine(String(value))}' is not a choice of ${q.key}; the choices are ${listChoices()}`;
    }
    case 'multiple': {
      const items = Array.isArray(value) ? value : [value];
      const out: string[] = [];
      for (const x of items) {
        const t = choiceText(x);
        if (t === undefined) return `!'${safeLine(String(x))}' is not a choice of ${q.key}; the choices are ${listChoices()}`;
        if (!out.includes(t)) out.push(t);
      }
      return out;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : `!${q.key} takes true or false`;
    case 'text': {
      if (typeof value !== 'string' && typeof value !== 'number') return `!${q.key} takes a text answer`;
      // The cap a typed answer has: a scripted one is stored the same way.
      const text = String(value);
      return text.length <= MAX_TEXT_ANSWER
        ? text
        : `!the answer to ${q.key} has ${text.length} characters; an answer may have at most ${MAX_TEXT_ANSWER}`;
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : `!${q.key} takes a number`;
  }
}

/**
 * A task's answer: its text in the answers file, or the text of the file it names. One over the
 * task's answer limit is refused here rather than graded as a failure, since in a scripted run it
 * is a mistake in the input, not the candidate's work.
 */
function taskAnswer(key: string, answerKb: number, value: unknown, readAnswerFile?: AnswerFileReader): Response | `!${string}` {
  const max = answerKb * 1024;
  let text: string;
  if (isFileRef(value)) {
    if (typeof value.file !== 'string' || value.file.trim() === '')
      return `!${key}: { file: … } takes the path of the file holding the answer`;
    if (!readAnswerFile) return `!${key}: an answer in a file cannot be read here`;
    const read = readAnswerFile(value.file, max);
    if (read.startsWith('!')) return `!${key}: ${safeLine(value.file)}: ${read.slice(1)}`;
    text = read;
  } else if (typeof value === 'string') text = value;
  else return `!${key} is a task: give the answer as text (a block scalar "|") or as { file: path }`;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > max) return `!the answer to ${key} is ${Math.ceil(bytes / 1024)} KB; the task's limit is ${answerKb} KB`;
  return { answer: text };
}
