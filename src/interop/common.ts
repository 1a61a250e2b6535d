// What every foreign format shares: the draft a parser produces, findings with positions, the
// mapping of answer weights to our question types, and the bank a set of drafts becomes.
// Pure: text and data in, data out.
import { parseBank, parseRegexEntry } from '../bank/parse.js';
import { renderBankYaml } from '../bank/write.js';
import { DIFFICULTIES, type Bank, type Choice, type Difficulty, type Problem, type Question } from '../bank/types.js';
import { safeLine, safeText } from '../text.js';
import { MAX_PROBLEMS } from '../yaml.js';

export const IMPORT_FORMATS = ['gift', 'aiken', 'moodle-xml', 'md'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The part of a question that depends on its type. */
export type Body =
  | { type: 'single' | 'multiple'; choices: Choice[] }
  | { type: 'boolean'; answer: boolean }
  | { type: 'text'; accept: string[] }
  | { type: 'number'; answer: number; tolerance: number };

export interface At {
  line: number;
  col: number;
}

/** A question read from a foreign file, before it belongs to a bank. */
export interface Draft {
  /** Where the question starts in the source. */
  at: At;
  /** A title, name or heading from the source; the question's id is made from it. */
  name?: string;
  prompt: string;
  body: Body;
  explanation?: string;
  references?: string[];
  difficulty?: Difficulty;
  tags?: string[];
  points?: number;
}

/**
 * error: the source is malformed here, and says what to fix; unsupported: a question of a kind we
 * do not have, left out; note: imported, but something in the source could not be kept as it was.
 */
export type FindingKind = 'error' | 'unsupported' | 'note';
export interface Finding extends Problem {
  kind: FindingKind;
  /** Reading stopped here (a limit): shown even past the first MAX_PROBLEMS. */
  stop?: true;
}

export interface ImportResult {
  drafts: Draft[];
  /** The first MAX_PROBLEMS findings of each kind. */
  findings: Finding[];
  /** Every finding, kept or only counted. */
  counts: Record<FindingKind, number>;
  /** A bank id or name the source gives (a GIFT or Moodle category, a Markdown title). */
  bankName?: string;
  title?: string;
}

/**
 * Collects findings for one file, positioned by offset or line and column: the first MAX_PROBLEMS
 * of each kind in full (as `validate` keeps a file's problems), the rest only counted, so a file
 * of a million broken questions prints twenty lines, not a million. Per kind, so a flood of notes
 * never hides the one error that stops the conversion.
 */
export class Findings {
  readonly list: Finding[] = [];
  readonly counts: Record<FindingKind, number> = { error: 0, unsupported: 0, note: 0 };
  constructor(readonly file: string) {}
  add(kind: FindingKind, at: At, message: string): void {
    if (++this.counts[kind] <= MAX_PROBLEMS) this.list.push({ file: this.file, line: at.line, col: at.col, message, kind });
  }

  /** The error that stopped the reading, kept whatever came before it. */
  stop(at: At, message: string): void {
    this.counts.error++;
    this.list.push({ file: this.file, line: at.line, col: at.col, message, kind: 'error', stop: true });
  }
}

// ---- Limits ---------------------------------------------------------------------------------
// Memory grows with questions and answers, not with bytes: 9 MB of " ~b" is three million answers,
// and 200,000 two-line questions made a 28.8 MB bank. A reader stops at these, saying which.

/** Questions read from one file: a bank of 2,000 ordinary questions is near the 2 MB bank limit. */
export const MAX_QUESTIONS = 2_000;
/** Answers (choices, accepted texts, numbers) in one question; quizzes use a handful. */
export const MAX_ANSWERS = 100;

export function tooManyQuestions(f: Findings, at: At): void {
  f.stop(
    at,
    `more than ${MAX_QUESTIONS.toLocaleString('en')} questions in one file, more than a bank holds; the file was not read further: split it into smaller files and convert each`,
  );
}

/** Lines in one question (prompt, choices, explanation): a long code listing is a few hundred. */
export const MAX_QUESTION_LINES = 5_000;

export function tooManyLines(f: Findings, at: At): void {
  f.add(
    'error',
    at,
    `more than ${MAX_QUESTION_LINES.toLocaleString('en')} lines in one question; a question may have at most ${MAX_QUESTION_LINES.toLocaleString('en')}: is a heading or a blank line missing before this?`,
  );
}

/** The lines of a text one at a time, with the offset each starts at: no array of them all. */
export function* eachLine(text: string): Generator<{ line: string; start: number; n: number }> {
  for (let start = 0, n = 1; start <= text.length; n++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    yield { line: text.slice(start, end), start, n };
    start = end + 1;
  }
}

export function tooManyAnswers(f: Findings, at: At): void {
  f.add(
    'error',
    at,
    `more than ${MAX_ANSWERS} answers in one question; a question may have at most ${MAX_ANSWERS}: split it into several questions or leave answers out`,
  );
}

/** Whether a string names one of our difficulty levels. */
export function isDifficulty(s: string): s is Difficulty {
  return (DIFFICULTIES as readonly string[]).includes(s);
}

// ---- Answer weights -------------------------------------------------------------------------

export interface WeightedAnswer {
  text: string;
  /** Fraction of the marks, 1 = full credit; negative is a penalty. */
  weight: number;
  why?: string;
  at: At;
}

const percent = (w: number): string => `${percentText(w)}%`;
const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-4;

/**
 * Moodle's multiple choice as ours. With a single right answer (GIFT `=`, Moodle `<single>`) it is
 * `single`, all or nothing; otherwise `multiple`, where every positive weight marks a right choice
 * and our rule scores it: max(0, (right picked − wrong picked) / right total). Weights that this
 * rule does not reproduce are noted, never silently re-scored.
 */
export function choicesFromWeights(answers: readonly WeightedAnswer[], single: boolean, at: At, f: Findings): Body | undefined {
  if (answers.length < 2) {
    f.add('error', at, `a multiple-choice question needs at least 2 answers, has ${answers.length}`);
    return undefined;
  }
  const choices = answers.map((a) => ({
    text: a.text,
    correct: single ? a.weight >= 1 - 1e-9 : a.weight > 0,
    ...(a.why ? { why: a.why } : {}),
  }));
  const right = choices.filter((c) => c.correct).length;
  if (single && right > 1) {
    // Moodle gives full marks for any one of them. A choice question stays a choice question with
    // every choice the author wrote; a text question would drop the wrong choices and turn
    // recognising into recalling.
    f.add(
      'note',
      at,
      `single choice with ${right} fully right answers becomes multiple answers: pick every right one (Moodle gives full marks for any one)`,
    );
    return { type: 'multiple', choices };
  }
  if (single) {
    if (right !== 1) {
      f.add('unsupported', at, 'single choice with no fully right answer: mark one answer right (=), or give weights for multiple answers');
      return undefined;
    }
    const partial = answers.filter((a) => !near(a.weight, 1) && !near(a.weight, 0));
    if (partial.length) {
      f.add(
        'note',
        at,
        `single choice is all or nothing: ${partial.map((a) => `'${a.text}' (${percent(a.weight)})`).join(', ')} ${partial.length === 1 ? 'counts' : 'count'} as wrong`,
      );
    }
    return { type: 'single', choices };
  }
  if (right === 0) {
    f.add('error', at, 'no answer has a positive weight; give the right answers weights that add up to 100% (~%50%…)');
    return undefined;
  }
  const fits = answers.every((a) => (a.weight > 0 ? near(a.weight, 1 / right) : near(a.weight, -1 / right)));
  if (!fits) {
    f.add(
      'note',
      at,
      `weights ${answers.map((a) => percent(a.weight)).join(', ')} become the partial-credit rule: right +${percent(1 / right)}, wrong −${percent(1 / right)}`,
    );
  }
  return { type: 'multiple', choices };
}

/** How a format names what the helpers below mention: where the explanation is, how to give full credit. */
export interface Dialect {
  explanation: string;
  fullCredit: string;
}

const FULL = 1 - 1e-9;

/** Short answers → a text question: the full-credit answers (wildcards become patterns) and `patterns`. */
export function textFromAnswers(
  list: readonly WeightedAnswer[],
  patterns: readonly string[],
  here: At,
  f: Findings,
  d: Dialect,
): Body | undefined {
  const full = list.filter((a) => a.weight >= FULL);
  const dropped = list.filter((a) => a.weight < FULL);
  if (dropped.length)
    f.add('note', here, `partial-credit answers left out: ${dropped.map((a) => `'${a.text}' (${percentText(a.weight)}%)`).join(', ')}`);
  if (list.some((a) => a.why)) f.add('note', here, `answer feedback dropped: a text question keeps only ${d.explanation}`);
  const wrapped = full.filter((a) => /\s*\n\s*/.test(a.text));
  if (wrapped.length)
    f.add(
      'note',
      here,
      `${wrapped.map((a) => `'${a.text.replace(/\s*\n\s*/g, ' ')}'`).join(', ')}: written over several lines, joined with spaces, since a typed answer is one line`,
    );
  const empty = full.find((a) => a.text === '');
  if (empty) return void f.add('error', empty.at, 'an answer has no text');
  if (full.length === 0 && patterns.length === 0) return void f.add('error', here, `no answer gives full credit; ${d.fullCredit}`);
  return { type: 'text', accept: [...full.map((a) => acceptFromWildcard(a.text.replace(/\s*\n\s*/g, ' '))), ...patterns] };
}

/** Numerical answers → a number question: the first full-credit one; the others are noted. */
export function numberFromAnswers(
  list: readonly (WeightedAnswer & { answer: number; tolerance: number })[],
  here: At,
  f: Findings,
  d: Dialect,
): Body | undefined {
  const best = list.find((a) => a.weight >= FULL);
  if (!best) return void f.add('error', here, `no number gives full credit; ${d.fullCredit}`);
  const rest = list.filter((a) => a !== best);
  if (rest.length)
    f.add(
      'note',
      here,
      `one right number is kept (${best.text}); ${rest.map((a) => `${a.text} (${percentText(a.weight)}%)`).join(', ')} left out`,
    );
  if (list.some((a) => a.why)) f.add('note', here, `answer feedback dropped: a number question keeps only ${d.explanation}`);
  return { type: 'number', answer: best.answer, tolerance: best.tolerance };
}

/** Weights that score a multiple-choice question in Moodle exactly as our rule does. */
export function weightsFor(choices: readonly Choice[]): number[] {
  const right = choices.filter((c) => c.correct).length;
  return choices.map((c) => (c.correct ? 1 : -1) / right);
}

// Moodle's grade options, question_bank::fraction_options_full() in question/engine/bank.php:
// 0, ±1 and ± these. Its importers (qformat_default::importprocess in question/format.php) refuse a
// question with any other fraction, and with the default "stop on error" the whole file.
const MOODLE_GRADES = [
  1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05,
];

/** Whether Moodle accepts this fraction: match_grade_options() in lib/questionlib.php, 'error' mode. */
export function isMoodleGrade(fraction: number): boolean {
  return fraction === 0 || MOODLE_GRADES.some((g) => Math.abs(Math.abs(fraction) - g) < 0.00001);
}

/**
 * Multiple-answer weights Moodle accepts: +1/n and −1/n where those are grade options (n ≤ 10);
 * otherwise right choices share 100% in the two nearest options (12 right: 8 × 10% and 4 × 5%) and
 * wrong ones take the option nearest −1/n, and `note` says how Moodle's scoring then differs.
 */
export function moodleWeights(q: Pick<Question, 'key'> & { choices: readonly Choice[] }): { weights: number[]; note?: string } {
  const ideal = weightsFor(q.choices);
  if (ideal.every(isMoodleGrade)) return { weights: ideal };
  const n = q.choices.filter((c) => c.correct).length;
  const lo = Math.max(0.05, ...MOODLE_GRADES.filter((g) => g <= 1 / n));
  const hi = Math.min(...MOODLE_GRADES.filter((g) => g >= 1 / n));
  const high = hi === lo ? n : Math.min(n, Math.max(0, Math.round((1 - n * lo) / (hi - lo))));
  const penalty = -MOODLE_GRADES.reduce((best, g) => (Math.abs(g - 1 / n) < Math.abs(best - 1 / n) ? g : best));
  let k = 0;
  const weights = q.choices.map((c) => (c.correct ? (k++ < high ? hi : lo) : penalty));
  const shares = [...new Set(weights.filter((w) => w > 0))].map((w) => `${weights.filter((x) => x === w).length} × ${percent(w)}`);
  return {
    weights,
    note: `${q.key}: Moodle has no grade of 1/${n} (${percent(1 / n)}) for each of ${n} right choices; written as ${shares.join(' and ')} for right choices and ${percent(penalty)} for wrong ones, so Moodle's partial credit differs from backend-quiz's`,
  };
}

/** A weight as Moodle writes percentages: at most 5 decimals (33.33333). */
export function percentText(weight: number): string {
  return String(Number((weight * 100).toFixed(5)));
}

// ---- Short-answer wildcards -----------------------------------------------------------------

// Characters a loaded bank shows as \uXXXX (src/text.ts), which RE2 would then read as a bad
// escape: in a pattern they are written as RE2 and JavaScript both read them.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escapeChar = (c: string): string => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\x{${code.toString(16)}}`;
};

/** Moodle short answer: `*` matches anything, `\*` is a literal star. Ours: a literal, or a pattern. */
export function acceptFromWildcard(answer: string): string {
  if (!/(?<!\\)\*/.test(answer)) return answer.replace(/\\\*/g, '*');
  const parts = answer.split(/(?<!\\)\*/).map((p) =>
    p
      .replace(/\\\*/g, '*')
      .replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
      .replace(INVISIBLE, escapeChar),
  );
  return `/^${parts.join('.*')}$/i`;
}

/** A literal accepted answer for Moodle, where a bare `*` would be a wildcard. */
export function wildcardFromAccept(literal: string): string {
  return literal.replace(/\*/g, '\\*');
}

/** Moodle has no pattern answers: they travel where Moodle does not look, and this says so. */
export function patternNote(q: Question & { type: 'text' }, where: string): string[] {
  const patterns = q.accept.filter((a) => parseRegexEntry(a));
  if (!patterns.length) return [];
  const literals = q.accept.filter((a) => !parseRegexEntry(a)).map((a) => `'${a}'`);
  return [
    `${q.key}: Moodle has no pattern answers; ${patterns.length === 1 ? 'the pattern is' : 'the patterns are'} kept in ${where} for backend-quiz, and Moodle accepts only ${literals.join(', ') || 'nothing'}`,
  ];
}

// ---- Explanation and references -------------------------------------------------------------

/**
 * Exports put the references under the explanation as a list, where an LMS shows them with the
 * general feedback; imports take such a list back out.
 */
export function feedbackText(explanation: string | undefined, references: readonly string[]): string {
  const refs = references.length ? `References:\n${references.map((r) => `- ${r}`).join('\n')}` : '';
  return [explanation ?? '', refs].filter(Boolean).join('\n\n');
}

export function splitFeedback(text: string): { explanation?: string; references: string[] } {
  const t = text.trim();
  // The last paragraph "References:" when everything after it is a list of links (blank lines
  // between items allowed: HTML lists come back that way).
  const at = t.lastIndexOf('References:');
  const head = at < 0 ? '' : t.slice(0, at);
  const items =
    at < 0
      ? []
      : t
          .slice(at + 'References:'.length)
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
  const isList = at >= 0 && (head === '' || head.endsWith('\n\n')) && items.length > 0 && items.every((l) => /^- https?:\/\/\S/.test(l));
  const explanation = (isList ? head : t).trim();
  return { ...(explanation ? { explanation } : {}), references: isList ? items.map((l) => l.slice(2).trim()) : [] };
}

// ---- Ids ------------------------------------------------------------------------------------

const MAX_ID = 48;

/** A kebab-case id from a title or a prompt's first words; '' when nothing usable is left. */
export function idFrom(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let id = '';
  for (const w of words) {
    const next = id ? `${id}-${w}` : w;
    if (next.length > MAX_ID) break;
    id = next;
  }
  return id || (words[0] ?? '').slice(0, MAX_ID);
}

/** One id per draft, unique in the bank: from its name, else its prompt, else its position. */
export function assignIds(drafts: readonly Draft[]): string[] {
  const used = new Set<string>();
  return drafts.map((d, i) => {
    const base = idFrom(d.name ?? '') || idFrom(d.prompt) || `q${i + 1}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

// ---- Drafts to a bank -----------------------------------------------------------------------

export interface BankOptions {
  bankId: string;
  title: string;
  description?: string;
  /** For drafts whose source gives no level. */
  difficulty: Difficulty;
  file: string;
}

/** Whether loading changes the question's text (parseBank: safeLine for one-line fields, safeText for the rest). */
function madeSafe(q: Question): boolean {
  const lines = [...q.references, ...q.tags, ...(q.type === 'text' ? q.accept : [])];
  const texts = [
    q.prompt,
    q.explanation,
    ...(q.type === 'single' || q.type === 'multiple' ? q.choices.flatMap((c) => [c.text, c.why]) : []),
  ];
  return lines.some((t) => safeLine(t) !== t) || texts.some((t) => t !== undefined && safeText(t) !== t);
}

/**
 * Drafts → a bank. Each question is checked by the bank validator itself, so what is written is
 * what `validate` accepts; a draft it refuses is reported at its place in the source.
 */
export function draftsToBank(drafts: readonly Draft[], o: BankOptions, f: Findings): Bank {
  const ids = assignIds(drafts);
  const questions: Question[] = [];
  drafts.forEach((d, i) => {
    const q = {
      key: `${o.bankId}/${ids[i]}`,
      id: ids[i]!,
      topic: o.bankId,
      ...d.body,
      difficulty: d.difficulty ?? o.difficulty,
      prompt: d.prompt,
      ...(d.explanation ? { explanation: d.explanation } : {}),
      references: d.references ?? [],
      tags: d.tags ?? [],
      points: d.points ?? 1,
    } as Question;
    const bank = { id: o.bankId, title: o.title, description: '', source: o.file, questions: [q] };
    const written = renderBankYaml(bank);
    let checked = parseBank(written, o.file);
    // A bank's text is made safe as it loads (a control character becomes a visible \uXXXX), so
    // the question written is the loaded one; it is checked again when that changed anything: a
    // reference led by a control character is a URL until then, a pattern with U+0085 is RE2's.
    if (!checked.problems.length && madeSafe(q)) {
      const again = renderBankYaml({ ...bank, questions: [checked.bank!.questions[0]!] });
      if (again !== written) checked = parseBank(again, o.file);
    }
    const problem = checked.problems[0];
    if (problem) f.add('error', d.at, `this question would not make a valid bank question: ${problem.message}`);
    else questions.push(checked.bank!.questions[0]!);
  });
  return { id: o.bankId, title: o.title, description: o.description ?? '', source: o.file, questions };
}

/** Counts for the summary line: the findings of several collectors together. */
export function tally(...counts: readonly Record<FindingKind, number>[]): Record<FindingKind, number> {
  const n = { error: 0, unsupported: 0, note: 0 };
  for (const c of counts) for (const k of ['error', 'unsupported', 'note'] as const) n[k] += c[k];
  return n;
}

/**
 * The bank without its hands-on tasks, for formats that have nothing to run a query or code with:
 * a note names each task left out, as for other constructs a format cannot hold, and the rest of
 * the bank is written as usual.
 */
export function withoutTasks<B extends { questions: Question[] }>(bank: B, format: string, notes: string[]): B {
  const tasks = bank.questions.filter((q) => q.type === 'sql' || q.type === 'code');
  if (!tasks.length) return bank;
  for (const q of tasks) notes.push(`${q.key}: ${format} has no ${q.type} tasks (answers run against tests); left out`);
  return { ...bank, questions: bank.questions.filter((q) => q.type !== 'sql' && q.type !== 'code') };
}
