// Parses and validates one bank file. Pure: text in, bank and problems out (no fs), so the
// validator is tested with inline strings and the build step reuses it for the built-in banks.
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import { safeLine, safeText } from '../text.js';
import { Problems, readYaml } from '../yaml.js';
import { patternProblem } from '../engine/pattern.js';
import {
  DIFFICULTIES,
  QUESTION_TYPES,
  type Bank,
  type Choice,
  type Difficulty,
  type Problem,
  type Question,
  type QuestionType,
} from './types.js';

/** Banks are small; anything bigger is a mistake or an attack, and is refused before parsing. */
export const MAX_BANK_BYTES = 2 * 1024 * 1024;

export function tooLargeMessage(bytes: number): string {
  return `file is too large (${(bytes / 1048576).toFixed(1)} MB); a bank may be at most ${MAX_BANK_BYTES / 1048576} MB, so split it into several banks`;
}
const MAX_REGEX_LENGTH = 500;

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const BANK_KEYS = ['bank', 'title', 'description', 'questions'] as const;
const COMMON_KEYS = ['id', 'type', 'difficulty', 'prompt', 'explanation', 'references', 'checked', 'tags', 'points'];
const KEYS_BY_TYPE: Record<QuestionType, string[]> = {
  single: [...COMMON_KEYS, 'choices'],
  multiple: [...COMMON_KEYS, 'choices'],
  boolean: [...COMMON_KEYS, 'answer'],
  text: [...COMMON_KEYS, 'accept'],
  number: [...COMMON_KEYS, 'answer', 'tolerance'],
  sql: [...COMMON_KEYS],
  code: [...COMMON_KEYS],
};
const ALL_QUESTION_KEYS = [...new Set(Object.values(KEYS_BY_TYPE).flat())];
const CHOICE_KEYS = ['text', 'correct', 'why'];

export interface ParsedBank {
  bank?: Bank;
  /** The bank id when it is well formed, even if the file has other problems. */
  id?: string;
  /** Position of the bank id, for cross-file duplicate reports. */
  idAt?: { line: number; col: number };
  /** Where each question starts, by key, for content checks that report per question. */
  positions?: Map<string, { line: number; col: number }>;
  /** The `checked:` month of each question that has one, by key: see CheckedMonths. */
  checked?: Map<string, string>;
  /** The first MAX_PROBLEMS problems of the file. */
  problems: Problem[];
  /** How many more there were. */
  omitted?: number;
}

/** `/pattern/flags` entries of a text question's `accept` list are regular expressions. */
export function parseRegexEntry(entry: string): { pattern: string; flags: string } | undefined {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(entry);
  return m ? { pattern: m[1]!, flags: m[2]! } : undefined;
}

export { lineIndex } from '../yaml.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A `YYYY-MM` month as a count of months, so that ages are a subtraction; undefined if malformed. */
export function monthNumber(month: string): number | undefined {
  const m = MONTH.exec(month);
  return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : undefined;
}

/** The month of `now` as `YYYY-MM`, in UTC so that a bank checks the same on every machine. */
export function monthOf(now: Date): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

export interface ParseOptions {
  /** Today, for refusing a `checked:` month that has not come yet. */
  now?: Date;
}

class Checker {
  constructor(readonly problems: Problems) {}

  get count(): number {
    return this.problems.count;
  }

  pos(node: Node | null | undefined): { line: number; col: number } {
    return this.problems.lineCol(node?.range?.[0] ?? 0);
  }

  report(node: Node | null | undefined, message: string): void {
    this.problems.node(node, message);
  }
}

function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** Map of key -> pair; reports keys outside `allowed`. */
function fields(c: Checker, map: YAMLMap, allowed: readonly string[], what: string): Map<string, Pair> {
  const out = new Map<string, Pair>();
  for (const pair of map.items) {
    const name = keyName(pair);
    if (!allowed.includes(name)) {
      c.report(pair.key as Node, `unknown field '${safeLine(name)}' in ${what} (allowed: ${allowed.join(', ')})`);
      continue;
    }
    out.set(name, pair);
  }
  return out;
}

function valueNode(pair: Pair | undefined): Node | undefined {
  return (pair?.value ?? undefined) as Node | undefined;
}

function typeName(node: Node | undefined): string {
  if (!node) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'an empty value';
    return typeof v === 'string' ? 'text' : `the ${typeof v} ${String(v)}`;
  }
  return 'something else';
}

function requireString(
  c: Checker,
  map: YAMLMap,
  f: Map<string, Pair>,
  key: string,
  what: string,
  opts: { optional?: boolean; nonEmpty?: boolean } = {},
): string | undefined {
  const pair = f.get(key);
  if (!pair) {
    if (!opts.optional) c.report(map, `${what} is missing required field '${key}'`);
    return undefined;
  }
  const node = valueNode(pair);
  if (!isScalar(node) || typeof node.value !== 'string') {
    const hint = isScalar(node) && node.value !== null ? ` (put it in quotes: "${String(node.value)}")` : '';
    c.report(node ?? (pair.key as Node), `'${key}' must be text, got ${typeName(node)}${hint}`);
    return undefined;
  }
  if (opts.nonEmpty !== false && node.value.trim() === '') {
    c.report(node, `'${key}' is empty; write the ${key}`);
    return undefined;
  }
  return node.value;
}

function requireId(c: Checker, map: YAMLMap, f: Map<string, Pair>, key: string, what: string): string | undefined {
  const id = requireString(c, map, f, key, what);
  if (id !== undefined && !ID_PATTERN.test(id)) {
    c.report(valueNode(f.get(key)), `'${key}' must be kebab-case (lowercase letters, digits and single hyphens), got '${safeLine(id)}'`);
    return undefined;
  }
  return id;
}

function requireEnum<T extends string>(
  c: Checker,
  map: YAMLMap,
  f: Map<string, Pair>,
  key: string,
  allowed: readonly T[],
  what: string,
): T | undefined {
  const v = requireString(c, map, f, key, what);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    c.report(valueNode(f.get(key)), `'${key}' must be one of ${allowed.join(', ')}; got '${safeLine(v)}'`);
    return undefined;
  }
  return v as T;
}

function stringList(c: Checker, f: Map<string, Pair>, key: string): { values: string[]; nodes: Node[] } | undefined {
  const pair = f.get(key);
  if (!pair) return undefined;
  const node = valueNode(pair);
  if (!isSeq(node)) {
    c.report(node ?? (pair.key as Node), `'${key}' must be a list, got ${typeName(node)}`);
    return undefined;
  }
  const values: string[] = [];
  const nodes: Node[] = [];
  for (const item of node.items as Node[]) {
    if (!isScalar(item) || typeof item.value !== 'string') {
      const hint = isScalar(item) && item.value !== null ? ` (put it in quotes: "${String(item.value)}")` : '';
      c.report(item, `each entry of '${key}' must be text, got ${typeName(item)}${hint}`);
      continue;
    }
    values.push(item.value);
    nodes.push(item);
  }
  return { values, nodes };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function parseChoices(c: Checker, f: Map<string, Pair>, type: 'single' | 'multiple', qmap: YAMLMap): Choice[] | undefined {
  const pair = f.get('choices');
  if (!pair) {
    c.report(qmap, `a ${type}-choice question needs 'choices'`);
    return undefined;
  }
  const node = valueNode(pair);
  if (!isSeq(node)) {
    c.report(node ?? (pair.key as Node), `'choices' must be a list, got ${typeName(node)}`);
    return undefined;
  }
  const choices: Choice[] = [];
  const seen = new Map<string, Node>();
  let ok = true;
  for (const item of node.items as Node[]) {
    if (!isMap(item)) {
      c.report(item, `each choice must be a mapping with 'text' (and 'correct: true' for right ones), got ${typeName(item)}`);
      ok = false;
      continue;
    }
    const cf = fields(c, item, CHOICE_KEYS, 'a choice');
    const text = requireString(c, item, cf, 'text', 'choice');
    const why = requireString(c, item, cf, 'why', 'choice', { optional: true });
    let correct = false;
    const cp = cf.get('correct');
    if (cp) {
      const cn = valueNode(cp);
      if (!isScalar(cn) || typeof cn.value !== 'boolean') {
        c.report(cn ?? (cp.key as Node), `'correct' must be true or false, got ${typeName(cn)}`);
        ok = false;
      } else correct = cn.value;
    }
    if (text === undefined) {
      ok = false;
      continue;
    }
    const norm = text.trim().toLowerCase();
    if (seen.has(norm)) {
      c.report(valueNode(cf.get('text')), `duplicate choice text '${safeLine(text.trim())}'; every choice must differ`);
      ok = false;
    }
    seen.set(norm, item);
    choices.push({ text: text.trim(), correct, ...(why !== undefined ? { why: why.trim() } : {}) });
  }
  if (!ok) return undefined;
  if (choices.length < 2) {
    c.report(node, `a ${type}-choice question needs at least 2 choices, has ${choices.length}`);
    return undefined;
  }
  const right = choices.filter((ch) => ch.correct).length;
  if (type === 'single' && right !== 1) {
    c.report(
      node,
      right === 0
        ? `single-choice question has no correct answer; mark exactly one choice 'correct: true'`
        : `single-choice question has ${right} correct answers; mark exactly one (or use type: multiple)`,
    );
    return undefined;
  }
  if (type === 'multiple' && right === 0) {
    c.report(node, `multiple-choice question has no correct answer; mark at least one choice 'correct: true'`);
    return undefined;
  }
  return choices;
}

/** `checked: 2026-12`: the month the question's facts were last checked against its references. */
function parseChecked(c: Checker, f: Map<string, Pair>, now: Date): string | undefined {
  const pair = f.get('checked');
  if (!pair) return undefined;
  const node = valueNode(pair);
  const shown = isScalar(node) && node.value !== null ? ` '${safeLine(String(node.value))}'` : ` ${typeName(node)}`;
  const value = isScalar(node) && typeof node.value === 'string' ? node.value.trim() : undefined;
  const month = value === undefined ? undefined : monthNumber(value);
  if (month === undefined) {
    c.report(
      node ?? (pair.key as Node),
      `'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got${shown}`,
    );
    return undefined;
  }
  const current = monthOf(now);
  if (month > monthNumber(current)!) {
    c.report(node, `'checked' is ${value}, after this month (${current}); write the month the facts were last checked`);
    return undefined;
  }
  return value;
}

function parseQuestion(c: Checker, item: Node, bankId: string, now: Date, checked: Map<string, string>): Question | undefined {
  if (!isMap(item)) {
    c.report(item, `each question must be a mapping, got ${typeName(item)}`);
    return undefined;
  }
  const before = c.count;
  const f = fields(c, item, ALL_QUESTION_KEYS, 'a question');
  const id = requireId(c, item, f, 'id', 'question');
  const type = requireEnum(c, item, f, 'type', QUESTION_TYPES, 'question');
  const difficulty = requireEnum<Difficulty>(c, item, f, 'difficulty', DIFFICULTIES, 'question');
  const prompt = requireString(c, item, f, 'prompt', 'question');
  const explanation = requireString(c, item, f, 'explanation', 'question', { optional: true });
  const month = parseChecked(c, f, now);

  if (type) {
    for (const [name, pair] of f) {
      if (!KEYS_BY_TYPE[type].includes(name)) {
        c.report(pair.key as Node, `'${name}' does not apply to a ${type} question`);
      }
    }
  }

  const refs = stringList(c, f, 'references');
  refs?.values.forEach((r, i) => {
    if (!isHttpUrl(r)) c.report(refs.nodes[i], `reference '${safeLine(r)}' is not an http(s) URL`);
  });
  const tags = stringList(c, f, 'tags');

  let points = 1;
  const pp = f.get('points');
  if (pp) {
    const pn = valueNode(pp);
    if (!isScalar(pn) || typeof pn.value !== 'number' || !Number.isFinite(pn.value) || pn.value <= 0) {
      c.report(pn ?? (pp.key as Node), `'points' must be a positive number, got ${typeName(pn)}`);
    } else points = pn.value;
  }

  let specific: Partial<Question> | undefined;
  switch (type) {
    case 'single':
    case 'multiple': {
      const choices = parseChoices(c, f, type, item);
      if (choices) specific = { type, choices };
      break;
    }
    case 'boolean': {
      const ap = f.get('answer');
      const an = valueNode(ap);
      if (!ap) c.report(item, `a boolean question needs 'answer: true' or 'answer: false'`);
      else if (!isScalar(an) || typeof an.value !== 'boolean')
        c.report(an ?? (ap.key as Node), `'answer' of a boolean question must be true or false, got ${typeName(an)}`);
      else specific = { type, answer: an.value };
      break;
    }
    case 'text': {
      if (!f.get('accept')) {
        c.report(item, `a text question needs 'accept': a list of accepted answers`);
        break;
      }
      const acc = stringList(c, f, 'accept');
      if (!acc) break;
      if (acc.values.length === 0) {
        c.report(valueNode(f.get('accept')), `'accept' is empty; list at least one accepted answer`);
        break;
      }
      let ok = true;
      acc.values.forEach((a, i) => {
        const re = parseRegexEntry(a);
        if (!re) {
          if (a.trim() === '') {
            c.report(acc.nodes[i], `an accepted answer is empty`);
            ok = false;
          }
          return;
        }
        if (re.pattern.length > MAX_REGEX_LENGTH) {
          c.report(acc.nodes[i], `regular expression is longer than ${MAX_REGEX_LENGTH} characters`);
          ok = false;
          return;
        }
        if (/[^imsu]/.test(re.flags)) {
          c.report(acc.nodes[i], `regular expression flags '${re.flags}' are not allowed; use only i, m, s, u`);
          ok = false;
          return;
        }
        // Matching runs on RE2 (linear time): a pattern it cannot run is refused here.
        const why = patternProblem(re.pattern, re.flags);
        if (why) {
          c.report(
            acc.nodes[i],
            `invalid regular expression ${safeLine(a)}: ${safeLine(why)}; accept patterns run on RE2 (linear time), which has no back-references or lookaround`,
          );
          ok = false;
        }
      });
      if (ok) specific = { type, accept: acc.values.map((a) => a.trim()) };
      break;
    }
    case 'number': {
      const ap = f.get('answer');
      const an = valueNode(ap);
      let tolerance = 0;
      const tp = f.get('tolerance');
      if (tp) {
        const tn = valueNode(tp);
        if (!isScalar(tn) || typeof tn.value !== 'number' || !Number.isFinite(tn.value) || tn.value < 0) {
          c.report(tn ?? (tp.key as Node), `'tolerance' must be a number of 0 or more, got ${typeName(tn)}`);
        } else tolerance = tn.value;
      }
      if (!ap) c.report(item, `a number question needs 'answer: <number>'`);
      else if (!isScalar(an) || typeof an.value !== 'number' || !Number.isFinite(an.value))
        c.report(an ?? (ap.key as Node), `'answer' of a number question must be a number, got ${typeName(an)}`);
      else specific = { type, answer: an.value, tolerance };
      break;
    }
    default:
      break;
  }

  if (c.count > before || !id || !type || !difficulty || !prompt || !specific) return undefined;
  // Kept beside the question, not on it: the question's hash (sessions, result files, packs) is
  // over its content, and checking the facts again does not make it another question.
  if (month !== undefined) checked.set(`${bankId}/${id}`, month);
  return {
    ...sanitize(specific),
    key: `${bankId}/${id}`,
    id,
    topic: bankId,
    difficulty,
    prompt: safeText(prompt.replace(/\s+$/, '')),
    ...(explanation !== undefined ? { explanation: safeText(explanation.trim()) } : {}),
    references: (refs?.values ?? []).map((r) => safeLine(r.trim())),
    tags: (tags?.values ?? []).map((t) => safeLine(t.trim())),
    points,
  } as Question;
}

function sanitize(specific: Partial<Question>): Partial<Question> {
  if ('choices' in specific && specific.choices) {
    return {
      ...specific,
      choices: specific.choices.map((ch) => ({
        ...ch,
        text: safeText(ch.text),
        ...(ch.why !== undefined ? { why: safeText(ch.why) } : {}),
      })),
    };
  }
  if ('accept' in specific && specific.accept) return { ...specific, accept: specific.accept.map(safeLine) };
  return specific;
}

export function parseBank(text: string, file: string, opts: ParseOptions = {}): ParsedBank {
  const now = opts.now ?? new Date();
  const { doc, problems } = readYaml(text, file, { maxBytes: MAX_BANK_BYTES, what: 'a bank', tooLarge: tooLargeMessage });
  const c = new Checker(problems);
  const result = (extra: Omit<ParsedBank, 'problems' | 'omitted'> = {}): ParsedBank => ({
    ...extra,
    problems: problems.list,
    ...(problems.omitted ? { omitted: problems.omitted } : {}),
  });
  if (!doc) return result();

  const root = doc.contents as Node | null;
  if (!isMap(root)) {
    c.report(root, `a bank must be a mapping with ${BANK_KEYS.join(', ')}; got ${typeName(root ?? undefined)}`);
    return result();
  }
  const f = fields(c, root, BANK_KEYS, 'the bank');
  const id = requireId(c, root, f, 'bank', 'the bank');
  const title = requireString(c, root, f, 'title', 'the bank');
  const description = requireString(c, root, f, 'description', 'the bank', { optional: true }) ?? '';
  const qp = f.get('questions');
  const qn = valueNode(qp);
  const questions: Question[] = [];
  const positions = new Map<string, { line: number; col: number }>();
  const checked = new Map<string, string>();
  if (!qp) c.report(root, `the bank is missing required field 'questions'`);
  else if (!isSeq(qn) || qn.items.length === 0) c.report(qn ?? (qp.key as Node), `'questions' must be a non-empty list`);
  else {
    const seen = new Set<string>();
    for (const item of qn.items as Node[]) {
      const q = parseQuestion(c, item, id ?? 'bank', now, checked);
      // A question with other problems still has its id: a duplicate is reported in the same run.
      const idNode = isMap(item) ? (item.get('id', true) as Node | undefined) : undefined;
      const qid = isScalar(idNode) && typeof idNode.value === 'string' && ID_PATTERN.test(idNode.value) ? idNode.value : undefined;
      if (qid !== undefined && seen.has(qid)) {
        c.report(idNode, `duplicate question id '${qid}' in this bank; ids must be unique`);
        continue;
      }
      if (qid !== undefined) seen.add(qid);
      if (!q) continue;
      positions.set(q.key, c.pos(item));
      questions.push(q);
    }
  }
  const idAt = c.pos(valueNode(f.get('bank')));
  if (c.count || !id || !title) return result({ ...(id ? { id } : {}), idAt });
  return result({
    bank: { id, title: safeLine(title.trim()), description: safeLine(description.trim()), source: file, questions },
    id,
    idAt,
    positions,
    ...(checked.size ? { checked } : {}),
  });
}

/**
 * Reports bank ids used by more than one of `parsed` (the first one wins) or by a built-in bank
 * (`builtin`: id -> its source file, absolute, and its name). A file that is itself that source is
 * that bank, not a second one. Files with other problems take part: their id is known all the same.
 */
export function duplicateBankProblems(
  parsed: { file: string; path?: string; result: ParsedBank }[],
  builtin: ReadonlyMap<string, { path: string; name: string }> = new Map(),
): Problem[] {
  const firstFile = new Map<string, string>();
  const problems: Problem[] = [];
  for (const { file, path, result } of parsed) {
    const id = result.id ?? result.bank?.id;
    if (!id) continue;
    const at = { file, line: result.idAt?.line ?? 1, col: result.idAt?.col ?? 1 };
    const own = builtin.get(id);
    if (own !== undefined && own.path !== path) {
      problems.push({ ...at, message: `duplicate bank id '${id}': the built-in bank ${own.name} already uses it; rename this bank` });
      continue;
    }
    const prior = firstFile.get(id);
    if (prior !== undefined)
      problems.push({ ...at, message: `duplicate bank id '${id}': ${prior} already defines it; rename one of them` });
    else firstFile.set(id, file);
  }
  return problems;
}
