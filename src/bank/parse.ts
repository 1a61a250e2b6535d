// Parses and validates one bank file. Pure: text in, bank and problems out (no fs), so the
// validator is tested with inline strings and the build step reuses it for the built-in banks.
// Its structure is stated once, in schema/bank.schema.json; this module keeps the rules a schema
// cannot state and builds the Bank.
import { safeLine, safeText } from '../text.js';
import { checkYaml, type CheckedYaml } from '../schema/check.js';
import { patternProblem } from '../engine/pattern.js';
import { DEFAULT_LIMITS, LIMIT_FIELDS } from '../tasks/limits.js';
import type { Bank, CodeTask, CodeTest, Difficulty, Problem, Question, QuestionType, SqlTask, TaskLimits } from './types.js';

/** Banks are small; anything bigger is a mistake or an attack, and is refused before parsing. */
export const MAX_BANK_BYTES = 2 * 1024 * 1024;

export function tooLargeMessage(bytes: number): string {
  return `file is too large (${(bytes / 1048576).toFixed(1)} MB); a bank may be at most ${MAX_BANK_BYTES / 1048576} MB, so split it into several banks`;
}
const MAX_REGEX_LENGTH = 500;

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

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

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const kebab = (v: unknown): v is string => typeof v === 'string' && ID_PATTERN.test(v);

/**
 * The rules a schema cannot state, over the parsed data whether or not the schema accepted it:
 * each applies only where the schema did not already refuse what it reads (one mistake, one message).
 */
function residualProblems(raw: unknown, file: string, checked: Pick<CheckedYaml<unknown>, 'at' | 'refused'>, now: Date): Problem[] {
  const problems: Problem[] = [];
  const report = (pointer: string, message: string): void => void problems.push({ file, ...checked.at(pointer), message });
  if (!isRecord(raw) || !Array.isArray(raw.questions)) return problems;
  const seen = new Set<string>();
  const current = monthOf(now);
  raw.questions.forEach((q: unknown, i) => {
    const at = `/questions/${i}`;
    if (!isRecord(q)) return;
    if (kebab(q.id)) {
      if (seen.has(q.id)) report(`${at}/id`, `duplicate question id '${q.id}' in this bank; ids must be unique`);
      seen.add(q.id);
    }
    if (typeof q.checked === 'string' && !checked.refused(`${at}/checked`)) {
      if (monthNumber(q.checked)! > monthNumber(current)!)
        report(`${at}/checked`, `'checked' is ${q.checked}, after this month (${current}); write the month the facts were last checked`);
    }
    if ((q.type === 'single' || q.type === 'multiple') && Array.isArray(q.choices)) {
      const texts = new Set<string>();
      q.choices.forEach((c: unknown, j) => {
        if (!isRecord(c) || typeof c.text !== 'string' || c.text.trim() === '') return;
        const norm = c.text.trim().toLowerCase();
        if (texts.has(norm))
          report(`${at}/choices/${j}/text`, `duplicate choice text '${safeLine(c.text.trim())}'; every choice must differ`);
        texts.add(norm);
      });
      const right = q.choices.filter((c) => isRecord(c) && c.correct === true).length;
      if (q.type === 'single' && right > 1 && !checked.refused(`${at}/choices`))
        report(`${at}/choices`, `single-choice question has ${right} correct answers; mark exactly one (or use type: multiple)`);
    }
    if (q.type === 'code' && typeof q.function === 'string' && !checked.refused(`${at}/function`)) {
      for (const field of ['solution', 'starter'] as const) {
        const code = q[field];
        if (typeof code === 'string' && code.trim() !== '' && !declares(code, q.function))
          report(
            `${at}/${field}`,
            `the ${field} does not declare '${safeLine(q.function)}', the function the tests call; declare it (function ${safeLine(q.function)}(...) {...}) or fix 'function'`,
          );
      }
    }
    if (q.type === 'text' && Array.isArray(q.accept)) {
      q.accept.forEach((a: unknown, j) => {
        const where = `${at}/accept/${j}`;
        const re = typeof a === 'string' ? parseRegexEntry(a) : undefined;
        if (!re || checked.refused(where)) return;
        if (re.pattern.length > MAX_REGEX_LENGTH) report(where, `regular expression is longer than ${MAX_REGEX_LENGTH} characters`);
        else if (/[^imsu]/.test(re.flags)) report(where, `regular expression flags '${re.flags}' are not allowed; use only i, m, s, u`);
        else {
          // Matching runs on RE2 (linear time): a pattern it cannot run is refused here.
          const why = patternProblem(re.pattern, re.flags);
          if (why)
            report(
              where,
              `invalid regular expression ${safeLine(String(a))}: ${safeLine(why)}; accept patterns run on RE2 (linear time), which has no back-references or lookaround`,
            );
        }
      });
    }
  });
  return problems;
}

function taskLimits(q: Rec): TaskLimits {
  const given = (q.limits ?? {}) as Record<string, number>;
  const limits: TaskLimits = { ...DEFAULT_LIMITS };
  for (const [yaml, field] of Object.entries(LIMIT_FIELDS)) if (given[yaml] !== undefined) limits[field] = given[yaml];
  return limits;
}

function sqlTask(q: Rec): Partial<SqlTask> {
  const compare = (q.compare ?? {}) as { order?: boolean; columns?: boolean; tolerance?: number };
  return {
    type: 'sql',
    dialect: (q.dialect as SqlTask['dialect'] | undefined) ?? 'sqlite',
    schema: q.schema as string,
    data: q.data as string,
    hiddenData: ((q.hidden_data as Rec[] | undefined) ?? []).map((d, i) => ({
      name: typeof d.name === 'string' ? safeLine(d.name.trim()) : `hidden data ${i + 1}`,
      data: d.data as string,
      weight: (d.weight as number | undefined) ?? 1,
    })),
    starter: (q.starter as string | undefined) ?? '',
    solution: q.solution as string,
    ...(typeof q.check === 'string' ? { check: q.check } : {}),
    compare: { order: compare.order ?? false, columns: compare.columns ?? false, tolerance: compare.tolerance ?? 1e-9 },
    limits: taskLimits(q),
  };
}

/** A test's value as a reader sees it in a call: JSON, with undefined and non-finite numbers by name. */
function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** The default name of a test: its call, `fn("120", 0)`, cut to 60 characters; or "assertion N". */
function testName(fn: string, t: Rec, assertion: number): string {
  if (typeof t.name === 'string') return safeLine(t.name.trim());
  if (t.assert !== undefined) return `assertion ${assertion}`;
  const call = `${fn}(${(t.args as unknown[]).map(shown).join(', ')})`;
  return safeLine(call.length > 60 ? `${call.slice(0, 59)}…` : call);
}

function codeTests(fn: string, list: unknown): CodeTest[] {
  let assertions = 0;
  return ((list as Rec[] | undefined) ?? []).map((t) => ({
    name: testName(fn, t, t.assert !== undefined ? ++assertions : 0),
    weight: (t.weight as number | undefined) ?? 1,
    ...(t.assert !== undefined ? { assert: t.assert as string } : { args: t.args as unknown[], expect: t.expect }),
  }));
}

function codeTask(q: Rec): Partial<CodeTask> {
  const fn = q.function as string;
  return {
    type: 'code',
    language: (q.language as CodeTask['language'] | undefined) ?? 'javascript',
    function: fn,
    starter: (q.starter as string | undefined) ?? '',
    tests: codeTests(fn, q.tests),
    hiddenTests: codeTests(fn, q.hidden_tests),
    solution: q.solution as string,
    limits: taskLimits(q),
  };
}

/** Whether code declares `name` as a function, class or variable: a textual check, before any engine runs it. */
export function declares(code: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  return new RegExp(`(?:^|[^\\w$.])(?:function\\s*\\*?\\s*|class\\s+|(?:const|let|var)\\s+)${n}(?![\\w$])`).test(code);
}

/** The Question of a question the schema and the residual checks accepted. */
function toQuestion(q: Rec, bankId: string): Question {
  let specific: Partial<Question>;
  switch (q.type as QuestionType) {
    case 'single':
    case 'multiple':
      specific = {
        type: q.type as 'single',
        choices: (q.choices as Rec[]).map((c) => ({
          text: safeText((c.text as string).trim()),
          correct: c.correct === true,
          ...(typeof c.why === 'string' ? { why: safeText(c.why.trim()) } : {}),
        })),
      };
      break;
    case 'boolean':
      specific = { type: 'boolean', answer: q.answer as boolean };
      break;
    case 'text':
      specific = { type: 'text', accept: (q.accept as string[]).map((a) => safeLine(a.trim())) };
      break;
    case 'number':
      specific = { type: 'number', answer: q.answer as number, tolerance: (q.tolerance as number | undefined) ?? 0 };
      break;
    case 'sql':
      specific = sqlTask(q);
      break;
    case 'code':
      specific = codeTask(q);
      break;
  }
  const id = q.id as string;
  // The order of the fields is part of the question's hash (sessions, result files, packs).
  return {
    ...specific,
    key: `${bankId}/${id}`,
    id,
    topic: bankId,
    difficulty: q.difficulty as Difficulty,
    prompt: safeText((q.prompt as string).replace(/\s+$/, '')),
    ...(typeof q.explanation === 'string' ? { explanation: safeText(q.explanation.trim()) } : {}),
    references: ((q.references as string[] | undefined) ?? []).map((r) => safeLine(r.trim())),
    tags: ((q.tags as string[] | undefined) ?? []).map((t) => safeLine(t.trim())),
    points: (q.points as number | undefined) ?? 1,
  } as Question;
}

export function parseBank(text: string, file: string, opts: ParseOptions = {}): ParsedBank {
  const now = opts.now ?? new Date();
  const checked = checkYaml<unknown>(
    text,
    file,
    'bank',
    { maxBytes: MAX_BANK_BYTES, what: 'a bank', tooLarge: tooLargeMessage },
    (raw, c) => residualProblems(raw, file, c, now),
  );
  const { raw, problems, omitted } = checked;
  const result = (extra: Omit<ParsedBank, 'problems' | 'omitted'> = {}): ParsedBank => ({
    ...extra,
    problems,
    ...(omitted ? { omitted } : {}),
  });
  if (!isRecord(raw)) return result();
  const id = kebab(raw.bank) ? raw.bank : undefined;
  const idAt = 'bank' in raw ? checked.at('/bank') : { line: 1, col: 1 };
  if (problems.length || omitted || !id) return result({ ...(id ? { id } : {}), idAt });
  const positions = new Map<string, { line: number; col: number }>();
  const months = new Map<string, string>();
  const questions = (raw.questions as Rec[]).map((q, i) => {
    const question = toQuestion(q, id);
    positions.set(question.key, checked.at(`/questions/${i}`));
    // Kept beside the question, not on it: the question's hash (sessions, result files, packs) is
    // over its content, and checking the facts again does not make it another question.
    if (typeof q.checked === 'string') months.set(question.key, q.checked);
    return question;
  });
  const title = raw.title as string;
  const description = typeof raw.description === 'string' ? raw.description : '';
  return result({
    bank: { id, title: safeLine(title.trim()), description: safeLine(description.trim()), source: file, questions },
    id,
    idAt,
    positions,
    ...(months.size ? { checked: months } : {}),
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
