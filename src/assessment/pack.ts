// Sealed packs: everything a sitting needs except the answer key. The key (the full questions,
// under opaque keys) stays with the interviewer, in their database or a --key-out file.
import { randomBytes } from 'node:crypto';
import {
  DIFFICULTIES,
  isTask,
  type Bank,
  type Choice,
  type CodeTest,
  type Question,
  type ResultSet,
  type SqlTask,
  type TaskLimits,
} from '../bank/types.js';
import { mulberry32, shuffle, type Rng } from '../engine/rng.js';
import type { QuizItem } from '../engine/select.js';
import { UserError } from '../errors.js';
import { schemaProblems } from '../schema/check.js';
import { readJson } from '../json.js';
import { safeLine } from '../text.js';
import type { Assessment } from './definition.js';
import { contentDigest, digestOf } from './digest.js';
import { drawSections } from './form.js';
import { DEFAULT_LIMITS } from '../tasks/limits.js';
import { KDF_PARAMS, lock, unlock, type Locked } from './lock.js';

export interface SealedQuestion {
  type: Question['type'];
  topic: string;
  difficulty: Question['difficulty'];
  prompt: string;
  /** Choice texts in an order that says nothing of the key. */
  choices?: string[];
  points: number;
  /**
   * A task carries what a sitting needs to show it and run its visible tests, never its solution,
   * hidden data or hidden tests (those stay in the key). SQL: the solution's rows on the visible
   * data (`expected`) stand in for the solution.
   */
  dialect?: SqlTask['dialect'];
  schema?: string;
  data?: string;
  check?: string;
  compare?: SqlTask['compare'];
  expected?: ResultSet;
  language?: 'javascript' | 'typescript';
  function?: string;
  tests?: CodeTest[];
  starter?: string;
  limits?: TaskLimits;
}

export interface Pack {
  format: 'backend-quiz/pack';
  version: 1;
  id: string;
  assessment: {
    id: string;
    title: string;
    instructions: string;
    timeLimitMs: number | null;
    form: Assessment['form'];
    feedback: 'none';
    digest: string;
    /** Present when the assessment allows scripted sittings (`scripted: allowed`). */
    scripted?: 'allowed';
  };
  /** Fixed form: each section lists exactly the questions asked, in order. Per-candidate: the pool to draw `count` from. */
  sections: { count: number; questions: string[] }[];
  /** Absent while the pack is locked with a start code: then `locked` holds them, encrypted. */
  questions?: Record<string, SealedQuestion>;
  locked?: Locked;
  /**
   * How many of its questions come from the built-in banks, whose answers ship with backend-quiz:
   * sealing hides nothing of those. Absent when none do (and in packs sealed before it was recorded).
   */
  publicQuestions?: number;
  digest: string;
}

/** A pack whose questions can be read: one sealed without a start code, or one opened with it. */
export type OpenPack = Pack & { questions: Record<string, SealedQuestion> };

export interface PackKey {
  format: 'backend-quiz/key';
  version: 1;
  pack: string;
  packDigest: string;
  assessment: Assessment;
  /** Opaque key → the full question, choices in the pack's order. */
  questions: Record<string, Question>;
  /**
   * The pack's sections as sealed, so import can recompute each sitting's form from the key alone.
   * Absent in keys written before it was recorded (see `keySections`).
   */
  sections?: Pack['sections'];
  /** As in the pack. */
  publicQuestions?: number;
  /** Present when a start code locked the pack: only then does a sitting's clock run from its opening. */
  locked?: true;
  digest: string;
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const randomId = (n: number): string => [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/** The questions a pack holds, per section: a fixed form's draw, or a per-candidate form's pools. */
function packSections(a: Assessment, banks: readonly Bank[]): { count: number; questions: Question[] }[] {
  // A fixed form holds the same questions, in the same order, that `take --assessment` asks.
  return a.form === 'fixed'
    ? drawSections(a, banks, a.seed).map((s) => ({ count: s.questions.length, questions: s.questions }))
    : poolSections(a, banks);
}

/**
 * The rows each SQL task's solution gives on its visible data, by question key: what a pack carries
 * instead of the solution. Loads an engine only when the pack holds a SQL task.
 */
export async function packExpectations(a: Assessment, banks: readonly Bank[]): Promise<Map<string, ResultSet>> {
  const tasks = packSections(a, banks)
    .flatMap((s) => s.questions)
    .filter((q): q is SqlTask => q.type === 'sql');
  const out = new Map<string, ResultSet>();
  if (!tasks.length) return out;
  const { sqlExpected } = await import('../tasks/index.js');
  for (const t of tasks) out.set(t.key, await sqlExpected(t));
  return out;
}

/**
 * What a pack shows of a question. For a task: the prompt, starter, schema and visible data, the
 * visible tests and the limits; never the solution, hidden data or hidden tests. Import rebuilds
 * it from the key to check the candidate was shown exactly this, so its shape is fixed here.
 */
export function sealQuestion(q: Question): SealedQuestion {
  const head = { type: q.type, topic: q.topic, difficulty: q.difficulty, prompt: q.prompt };
  switch (q.type) {
    case 'sql':
      return {
        ...head,
        points: q.points,
        dialect: q.dialect,
        schema: q.schema,
        data: q.data,
        starter: q.starter,
        ...(q.check !== undefined ? { check: q.check } : {}),
        compare: { order: q.compare.order, columns: q.compare.columns, tolerance: q.compare.tolerance },
        limits: limitsOf(q.limits),
        expected: q.expected ?? { columns: [], rows: [] },
      };
    case 'code':
      return {
        ...head,
        points: q.points,
        language: q.language,
        function: q.function,
        starter: q.starter,
        // Only the fields a pack may carry: whatever else a bank's test holds stays in the key.
        tests: q.tests.map(testOf),
        limits: limitsOf(q.limits),
      };
    default:
      return { ...head, ...('choices' in q ? { choices: q.choices.map((c) => c.text) } : {}), points: q.points };
  }
}

const limitsOf = (l: TaskLimits): TaskLimits => ({ timeMs: l.timeMs, memoryMb: l.memoryMb, outputKb: l.outputKb, answerKb: l.answerKb });
const testOf = (t: CodeTest): CodeTest => ({
  name: t.name,
  weight: t.weight,
  ...(t.args !== undefined ? { args: t.args } : {}),
  ...('expect' in t ? { expect: t.expect } : {}),
  ...(t.assert !== undefined ? { assert: t.assert } : {}),
});

/** Seals an assessment: draws the form (or the pools of a per-candidate form) and hides every answer. */
export function buildPack(
  a: Assessment,
  banks: readonly Bank[],
  rng: Rng = mulberry32(randomBytes(4).readUInt32LE()),
  isPublic: (q: Question) => boolean = () => false,
  expected: ReadonlyMap<string, ResultSet> = new Map(),
): { pack: Pack; key: PackKey } {
  const sections = packSections(a, banks);
  const used = new Set<string>();
  const opaque = (): string => {
    let k: string;
    do k = `q-${randomId(8)}`;
    while (used.has(k));
    used.add(k);
    return k;
  };
  const sealed: Record<string, SealedQuestion> = {};
  const full: Record<string, Question> = {};
  const opaqueSections = sections.map((s) => ({
    count: s.count,
    questions: s.questions.map((q) => {
      const k = opaque();
      // Banks often list the right choice first: the pack's order must not carry that.
      const order =
        'choices' in q
          ? shuffle(
              q.choices.map((_, i) => i),
              rng,
            )
          : [];
      const inOrder: Question = 'choices' in q ? { ...q, choices: order.map((i) => q.choices[i]!) } : q;
      const rows = q.type === 'sql' ? expected.get(q.key) : undefined;
      if (q.type === 'sql' && !rows) throw new Error(`${q.key}: sealed without the solution's rows on its sample data`);
      // The key keeps the rows too, so import rebuilds exactly the sealed form the candidate was shown.
      full[k] = rows ? { ...(inOrder as SqlTask), expected: rows } : inOrder;
      sealed[k] = sealQuestion(full[k]);
      return k;
    }),
  }));
  const publicQuestions = Object.values(full).filter(isPublic).length;
  const body: Omit<Pack, 'digest'> = {
    format: 'backend-quiz/pack',
    version: 1,
    id: randomId(12),
    assessment: {
      id: a.id,
      title: a.title,
      instructions: a.instructions,
      timeLimitMs: a.timeLimitMs,
      form: a.form,
      feedback: 'none',
      digest: a.digest,
      ...(a.scripted ? { scripted: a.scripted } : {}),
    },
    sections: opaqueSections,
    questions: sealed,
    ...(publicQuestions ? { publicQuestions } : {}),
  };
  const pack: Pack = { ...body, digest: contentDigest(body) };
  const keyBody: Omit<PackKey, 'digest'> = {
    format: 'backend-quiz/key',
    version: 1,
    pack: pack.id,
    packDigest: pack.digest,
    assessment: a,
    questions: full,
    sections: opaqueSections,
    ...(publicQuestions ? { publicQuestions } : {}),
  };
  return { pack, key: { ...keyBody, digest: contentDigest(keyBody) } };
}

/**
 * What the ciphertext is bound to: the readable rest of the pack. A locked part moved into another
 * pack, or a header edited around it, fails to open as a wrong code does.
 */
const lockedAad = (p: Pack): string => {
  const { questions: _q, locked: _l, digest: _d, ...header } = p;
  return digestOf(header);
};

/**
 * Locks a sealed pack with a start code: its questions (prompts, choices, topics) go into the
 * encrypted part; the title, instructions, counts and time limit stay readable so a candidate can
 * check the pack beforehand. The key is re-sealed to name the locked pack's digest.
 */
export async function lockPack(
  sealed: { pack: Pack; key: PackKey },
  code: string,
  params: Parameters<typeof lock>[3] = KDF_PARAMS,
): Promise<{ pack: Pack; key: PackKey }> {
  const { questions, digest: _d, ...header } = sealed.pack;
  const body: Omit<Pack, 'digest'> = {
    ...header,
    locked: await lock(JSON.stringify(questions ?? {}), code, lockedAad(sealed.pack), params),
  };
  const pack: Pack = { ...body, digest: contentDigest(body) };
  const { digest: _k, ...keyBody } = { ...sealed.key, packDigest: pack.digest, locked: true as const };
  return { pack, key: { ...keyBody, digest: contentDigest(keyBody) } };
}

/** Opens a locked pack with its start code; the result keeps the locked file's id and digest. */
export async function openPack(pack: Pack, code: string, file: string): Promise<OpenPack> {
  if (!pack.locked) return pack as OpenPack;
  const text = await unlock(pack.locked, code, lockedAad(pack));
  const { locked: _l, ...rest } = pack;
  const open = { ...rest, questions: JSON.parse(text) as unknown };
  checkPack(open, file);
  return open as OpenPack;
}

/** Per-candidate form: each topic section's whole pool goes into the pack, to be drawn from per sitting. */
function poolSections(a: Assessment, banks: readonly Bank[]): { count: number; questions: Question[] }[] {
  const all = new Map(banks.flatMap((b) => b.questions.map((q) => [q.key, q] as const)));
  const reserved = new Set(a.sections.flatMap((s) => s.questions ?? []));
  const drawn = drawSections(a, banks, a.seed);
  return a.sections.map((s, i) => {
    if (s.questions) return { count: s.questions.length, questions: drawn[i]!.questions };
    const levels = s.difficulty ?? ['easy', 'medium', 'hard'];
    const pool = [...all.values()].filter(
      (q) => q.topic === s.topic && levels.includes(q.difficulty) && !reserved.has(q.key) && isTask(q) === (s.tasks ?? false),
    );
    return { count: s.count ?? 0, questions: pool };
  });
}

/**
 * The opaque keys of one sitting of a pack, in the order asked, with the order each one's choices
 * are shown in: the whole draw a seed decides. Sitting and import share it, so import can
 * recompute the form a result claims from the interviewer's key.
 */
export function drawPackForm(
  sections: Pack['sections'],
  form: Assessment['form'],
  seed: number,
  choiceCount: (key: string) => number,
): { key: string; choiceOrder: number[] }[] {
  const rng = mulberry32(seed);
  const perCandidate = form === 'per-candidate';
  return sections.flatMap((s) => {
    const keys = perCandidate ? shuffle(s.questions, rng).slice(0, s.count) : s.questions;
    return keys.map((key) => {
      const order = Array.from({ length: choiceCount(key) }, (_, i) => i);
      return { key, choiceOrder: perCandidate ? shuffle(order, rng) : order };
    });
  });
}

/** The questions of one sitting of a pack, as Questions the prompts can show (never graded here). */
export function packItems(pack: OpenPack, seed: number): QuizItem[] {
  return drawPackForm(pack.sections, pack.assessment.form, seed, (k) => pack.questions[k]!.choices?.length ?? 0).map((d) => ({
    question: unsealedShape(d.key, pack.questions[d.key]!),
    choiceOrder: d.choiceOrder,
  }));
}

/** A sealed question in the Question shape; its answer fields are placeholders, flagged by `sealed`. */
export function unsealedShape(key: string, s: SealedQuestion): Question {
  const base = {
    key,
    id: key,
    topic: s.topic,
    difficulty: s.difficulty,
    prompt: s.prompt,
    explanation: '',
    references: [],
    tags: [],
    points: s.points,
    sealed: true as const,
  };
  switch (s.type) {
    case 'single':
    case 'multiple':
      return { ...base, type: s.type, choices: (s.choices ?? []).map((text) => ({ text, correct: false })) };
    case 'boolean':
      return { ...base, type: 'boolean', answer: false };
    case 'text':
      return { ...base, type: 'text', accept: [] };
    case 'number':
      return { ...base, type: 'number', answer: 0, tolerance: 0 };
    // Nested objects are rebuilt in one order: the shape is hashed, and must not depend on the file's.
    case 'sql':
      return {
        ...base,
        type: 'sql',
        dialect: s.dialect ?? 'sqlite',
        schema: s.schema ?? '',
        data: s.data ?? '',
        hiddenData: [],
        starter: s.starter ?? '',
        solution: '',
        ...(s.check !== undefined ? { check: s.check } : {}),
        expected: s.expected ?? { columns: [], rows: [] },
        compare: {
          order: s.compare?.order ?? false,
          columns: s.compare?.columns ?? false,
          tolerance: s.compare?.tolerance ?? 1e-9,
        },
        limits: limitsOf(s.limits ?? DEFAULT_LIMITS),
      };
    case 'code':
      return {
        ...base,
        type: 'code',
        language: s.language ?? 'javascript',
        function: s.function ?? '',
        starter: s.starter ?? '',
        tests: (s.tests ?? []).map(testOf),
        hiddenTests: [],
        solution: '',
        limits: limitsOf(s.limits ?? DEFAULT_LIMITS),
      };
  }
}

export const MAX_PACK_BYTES = 20 * 1024 * 1024;
/** A pool drawn from big banks holds many values; the bound is on memory, as the size limit is. */
const MAX_FILE_VALUES = 4_000_000;

/** Schema and the rules it cannot say; a locked pack's questions are checked once it is opened. */
function checkPack(data: unknown, file: string): Pack {
  const unusable = (why: string): UserError => new UserError(`${file}: not a usable backend-quiz pack: ${why}`);
  const problems = schemaProblems('pack', data, file, () => ({ line: 1, col: 1 }));
  if (problems.length) throw unusable(problems[0]!.message);
  const pack = data as Pack;
  if ((pack.questions === undefined) === (pack.locked === undefined)) throw unusable('it must hold either questions or a locked part');
  for (const s of pack.sections) {
    const missing = pack.questions && s.questions.find((k) => !pack.questions![k]);
    if (missing) throw unusable(`section lists '${safeLine(missing)}', which it does not contain`);
    if (s.count > s.questions.length) throw unusable(`a section asks for ${s.count} of ${s.questions.length} questions`);
  }
  return pack;
}

/** Reads a pack: format, schema and digest; a pack that was changed after sealing is refused. */
export function readPack(text: string, file: string): Pack {
  const pack = checkPack(parseJsonFile(text, file, 'pack', MAX_PACK_BYTES), file);
  if (contentDigest(pack) !== pack.digest) {
    throw new UserError(`${file}: changed since it was sealed (its digest does not match); ask the interviewer for the original pack`);
  }
  return pack;
}

export function readKey(text: string, file: string): PackKey {
  const data = parseJsonFile(text, file, 'key', MAX_PACK_BYTES);
  const problems = schemaProblems('key', data, file, () => ({ line: 1, col: 1 }));
  if (problems.length) throw new UserError(`${file}: not a usable backend-quiz key file: ${problems[0]!.message}`);
  const key = data as PackKey;
  if (contentDigest(key) !== key.digest) throw new UserError(`${file}: changed since it was written (its digest does not match)`);
  const bad = keyProblem(key);
  if (bad) throw new UserError(`${file}: not a usable backend-quiz key file: ${bad}`);
  return key;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Why a question of a key cannot grade anything, or undefined when it can. */
function questionProblem(q: Record<string, unknown>): string | undefined {
  if (!isText(q.key) || !/^[^/\s]+\/[^/\s]+$/.test(q.key) || !isText(q.id) || !isText(q.topic) || !isText(q.prompt))
    return 'it lacks a key, id, topic or prompt';
  if (!(DIFFICULTIES as readonly unknown[]).includes(q.difficulty)) return 'its difficulty is not easy, medium or hard';
  if (!isCount(q.points) || (q.points as number) === 0) return 'its points are not a positive number';
  if (!Array.isArray(q.references) || !Array.isArray(q.tags)) return 'it lacks references or tags';
  switch (q.type) {
    case 'single':
    case 'multiple': {
      const cs = q.choices;
      if (!Array.isArray(cs) || cs.length < 2 || !cs.every((c) => isObject(c) && isText(c.text) && typeof c.correct === 'boolean'))
        return 'its choices are not a list of at least two {text, correct}';
      const right = cs.filter((c) => (c as Choice).correct).length;
      if (q.type === 'single' ? right !== 1 : right < 1) return 'its choices do not mark the right answer';
      return undefined;
    }
    case 'boolean':
      return typeof q.answer === 'boolean' ? undefined : 'its answer is not true or false';
    case 'text':
      return Array.isArray(q.accept) && q.accept.length > 0 && q.accept.every(isText) ? undefined : 'it accepts no answer';
    case 'number':
      return typeof q.answer === 'number' && Number.isFinite(q.answer) && isCount(q.tolerance)
        ? undefined
        : 'its answer or tolerance is not a number';
    case 'sql':
    case 'code':
      return taskProblem(q);
    default:
      return 'its type is not one of single, multiple, boolean, text, number, sql, code';
  }
}

const isWeight = (v: unknown): boolean => isCount(v) && (v as number) > 0;

/** Why a task of a key cannot be run and graded: import runs it as it stands. */
function taskProblem(q: Record<string, unknown>): string | undefined {
  const l = q.limits;
  if (!isObject(l) || !['timeMs', 'memoryMb', 'outputKb', 'answerKb'].every((n) => isWeight(l[n])))
    return 'its limits are not positive numbers';
  if (!isText(q.starter) || !isText(q.solution) || !q.solution.trim()) return 'it lacks a starter or a solution';
  if (q.type === 'sql') {
    if (q.dialect !== 'sqlite' && q.dialect !== 'postgres') return 'its dialect is not sqlite or postgres';
    if (!isText(q.schema) || !isText(q.data)) return 'it lacks a schema or data';
    const hidden = q.hiddenData;
    if (!Array.isArray(hidden) || !hidden.every((d) => isObject(d) && isText(d.name) && isText(d.data) && isWeight(d.weight)))
      return 'its hidden data is not a list of {name, data, weight}';
    const c = q.compare;
    if (!isObject(c) || typeof c.order !== 'boolean' || typeof c.columns !== 'boolean' || !isCount(c.tolerance))
      return 'its compare settings are not {order, columns, tolerance}';
    return undefined;
  }
  if (q.language !== 'javascript' && q.language !== 'typescript') return 'its language is not javascript or typescript';
  if (!isText(q.function) || !q.function) return 'it names no function';
  const isTest = (t: unknown): boolean =>
    isObject(t) && isText(t.name) && isWeight(t.weight) && (isText(t.assert) || Array.isArray(t.args));
  if (!Array.isArray(q.tests) || !Array.isArray(q.hiddenTests) || ![...q.tests, ...q.hiddenTests].every(isTest))
    return 'its tests are not lists of {name, weight, args and expect or assert}';
  return undefined;
}

/**
 * What the key schema cannot say: the definition it carries is a whole one (pass marks, limit and
 * sections decide grades), every question can be graded, and its sections name its questions.
 */
export function keyProblem(key: PackKey): string | undefined {
  if (!isWholeDefinition(key.assessment))
    return 'its assessment is not a whole definition (id, title, sections, time limit, pass marks, form, seed, digest)';
  for (const [k, q] of Object.entries(key.questions)) {
    const why = isObject(q) ? questionProblem(q) : 'it is not an object';
    if (why) return `question ${safeLine(k)}: ${why}`;
  }
  for (const s of key.sections ?? []) {
    const missing = s.questions.find((k) => !key.questions[k]);
    if (missing) return `a section lists '${safeLine(missing)}', which the key does not hold`;
    if (s.count > s.questions.length) return `a section asks for ${s.count} of ${s.questions.length} questions`;
  }
  return undefined;
}

/** A stored or carried definition has every field grading and reports read, of the right kind. */
export function isWholeDefinition(value: unknown): value is Assessment {
  if (!isObject(value)) return false;
  const a = value;
  return (
    isText(a.id) &&
    /^[a-z0-9]+(-[a-z0-9]+)*$/.test(a.id) &&
    isText(a.title) &&
    isText(a.instructions) &&
    Array.isArray(a.sections) &&
    a.sections.length > 0 &&
    a.sections.every(isObject) &&
    (a.timeLimitMs === null || (Number.isInteger(a.timeLimitMs) && (a.timeLimitMs as number) > 0)) &&
    (a.passMark === null || (isCount(a.passMark) && (a.passMark as number) <= 100)) &&
    isObject(a.topicPassMarks) &&
    Object.values(a.topicPassMarks).every((m) => isCount(m) && (m as number) <= 100) &&
    (a.form === 'fixed' || a.form === 'per-candidate') &&
    (a.feedback === 'none' || a.feedback === 'end') &&
    Number.isInteger(a.seed) &&
    Array.isArray(a.banks) &&
    isText(a.digest) &&
    /^sha256:[0-9a-f]{64}$/.test(a.digest)
  );
}

/**
 * A pack, key or result file parsed under the limits every file from outside has (src/json.ts):
 * size, nesting depth, number of values, duplicate keys. Nothing downstream recurses into a value
 * deeper than a schema allows, and a key given twice cannot hide one answer behind another.
 */
export function parseJsonFile(text: string, file: string, what: string, maxBytes: number, maxValues = MAX_FILE_VALUES): unknown {
  if (text.length > maxBytes) throw new UserError(`${file}: too large for a ${what} file (over ${maxBytes / 1048576} MB)`);
  const { root, problems } = readJson(text, file, { maxBytes: Infinity, maxValues, what: `a ${what} file` });
  const first = problems.list[0];
  if (first) {
    const where = `line ${first.line}, column ${first.col}`;
    const syntax = /^JSON syntax error: /.exec(first.message);
    throw new UserError(
      syntax
        ? `${file}: not valid JSON (${first.message.slice(syntax[0].length)}, ${where}); it may be truncated or damaged`
        : `${file}: ${first.message} (${where})`,
    );
  }
  if (!root) throw new UserError(`${file}: empty, not a ${what} file`);
  if ('value' in root) return root.value;
  // Object.fromEntries defines each key as an own property, "__proto__" included.
  return Object.fromEntries(root.entries.map((e) => [e.key, e.value]));
}
