// Wording and number formats shared by the cohort report's renderers, so every format says the
// same thing the same way.
import type { AlphaMissing, Cohort, ItemFlag, RankedCandidate } from './cohort.js';
import type { Outcome } from '../engine/score.js';
import type { AbilityEstimate, ReportAnswer, ReportInput, ReportQuestion, ReportStatus, ReportTask } from './model.js';
import type { Paint } from './text.js';
import { formatDuration } from '../text.js';
import { reflow, splitFences } from './wrap.js';

const same = (s: string): string => s;
/** Colourless paint, for pipes, files and formats that are not for a terminal. */
export const PLAIN: Paint = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };

/** A duration as `12m 05s` (see formatDuration); `–` when unknown. */
export const duration = (ms: number | null): string => (ms === null ? '–' : formatDuration(ms));

/** Integers as they are, otherwise up to two decimals without trailing zeros. */
export const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, ''));

export const pct = (n: number): string => `${num(n)}%`;

/** A correlation or facility: always two decimals, so a column lines up. */
export const coef = (n: number | null): string => (n === null ? '–' : n.toFixed(2));

export const passLabel = (passed: boolean | null): string => (passed === null ? '–' : passed ? 'pass' : 'fail');

export const statusLabel = (s: ReportStatus): string => s.replace('_', ' ');

/**
 * How a sitting ended, for the status column: a scripted one (answers from a file) says so, since
 * its time and answers say nothing about a person at a terminal.
 */
export const sittingLabel = (x: { status: ReportStatus; scripted: boolean; overTime?: boolean }): string =>
  (x.scripted ? (x.status === 'finished' ? 'scripted' : `${statusLabel(x.status)}, scripted`) : statusLabel(x.status)) +
  (x.overTime ? ', over time' : '');

/** An ISO timestamp as `2026-03-01 12:00 UTC`. */
export const when = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Cuts to `width` characters (code points), ending in … when cut. Names are cut at the end only:
 * a cut in the middle (`scalability…erformance`) reads as a different word. Callers size `width`
 * from the room the line has, so a name is cut only when it must be.
 */
export function truncate(s: string, width: number): string {
  const cps = [...s];
  return cps.length <= width ? s : `${cps.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Length in code points, so an astral character counts once. */
export const len = (s: string): number => [...s].length;

/** `0–9.9` … `90–100`: percents carry one decimal, so these bounds are exact. */
export const binLabel = (from: number, to: number): string => (to >= 100 ? `${from}–100` : `${from}–${to - 1}.9`);

export const FLAG_TEXT: Record<ItemFlag, string> = {
  'all-right': 'everyone right',
  'none-right': 'nobody right',
  'negative-discrimination': 'negative',
};

export const ALPHA_MISSING: Record<AlphaMissing, string> = {
  'not-fixed-form': 'not computed: candidates sat different forms',
  'different-questions': 'not computed: candidates were not all asked the same questions',
  'too-few-items': 'not computed: it needs at least two questions',
  'no-variance': 'not computed: every candidate had the same total',
};

export const ITEM_LEGEND = [
  'Facility: share of the points earned on the question (1.00 = everyone fully right).',
  'Discrimination: correlation between the question and the rest of the test; below 0.20 is weak, and negative (flagged) means stronger candidates did worse on it: check its answer key.',
];

export const notEnoughData = (candidates: number, needed: number): string =>
  `Not enough data for item analysis (${candidates} candidate${candidates === 1 ? '' : 's'}; it needs at least ${needed}).`;

/** `Cohort report: …`, or `Report: …` for a single candidate. */
export const heading = (c: Cohort): string => `${c.candidates.length === 1 ? 'Report' : 'Cohort report'}: ${c.title}`;

export const NO_CANDIDATES = 'No sessions match this report’s filters.';
export const ONE_CANDIDATE = 'One candidate: no cohort statistics.';

/** The filters as a short phrase, or null when the report has none. */
export function filtersText(f: ReportInput['filters']): string | null {
  const parts: string[] = [];
  if (f.candidate !== undefined) parts.push(`candidate “${f.candidate}”`);
  if (f.since !== undefined) parts.push(`since ${f.since}`);
  if (f.until !== undefined) parts.push(`until ${f.until}`);
  if (f.status?.length) parts.push(`status ${f.status.map((s) => s.replace('_', ' ')).join(', ')}`);
  return parts.length ? parts.join(' · ') : null;
}

/** `70% overall; http 60%, sql 60%`, or null when the report has no pass marks. */
export function passMarkText(c: Cohort): string | null {
  const a = c.assessment;
  if (!a) return null;
  const topics = Object.entries(a.topicPassMarks).sort(([x], [y]) => (x < y ? -1 : 1));
  if (a.passMark === null && !topics.length) return 'none';
  const parts: string[] = [];
  if (a.passMark !== null) parts.push(`${pct(a.passMark)} overall`);
  if (topics.length) parts.push(topics.map(([t, m]) => `${t} ${pct(m)}`).join(', '));
  return parts.join('; ');
}

/** Whether a pass/fail column says anything. */
export const hasVerdicts = (c: Cohort): boolean => c.candidates.some((x) => x.passed !== null);

/** `tests 2/2 visible, 1/3 hidden · 4 runs`: a task's grade in one line, as every format shows it. */
export function taskLine(t: ReportTask): string {
  if (!t.tests.length) return 'not graded: import it with the key of its pack';
  const runs = t.runs === null ? '' : ` · ${t.runs} run${t.runs === 1 ? '' : 's'}`;
  return `tests ${t.visible.passed}/${t.visible.total} visible, ${t.hidden.passed}/${t.hidden.total} hidden${runs}`;
}

/** Each failed test of a task with its reason (not escaped: callers escape for their format). */
export function failedTests(t: ReportTask): string[] {
  return t.tests
    .filter((x) => !x.passed)
    .map((x) => `✘ ${x.hidden ? 'hidden' : 'visible'} test ${x.name}${x.reason ? `: ${x.reason}` : ''}`);
}

export const OUTCOME_TEXT: Record<Outcome, string> = {
  right: '✔ right',
  partial: '◐ partly right',
  wrong: '✘ wrong',
  unanswered: '✘ not answered',
  ungraded: '… not graded',
};

/**
 * A prompt in one line: its first paragraph of prose, rejoined where the bank wrapped it, cut to
 * `width` with … when cut or when more of the prompt follows. Not escaped: callers escape for
 * their format.
 */
export function promptLine(prompt: string, width: number): string {
  const segs = splitFences(prompt.replace(/\r\n?/g, '\n'));
  const prose = segs.find((s) => s.kind === 'prose');
  const paras = prose ? reflow(prose.text).filter((l) => l.trim() !== '') : [];
  const first = paras[0]?.trim() ?? '';
  const more = paras.length > 1 || segs.length > 1;
  return more && len(first) < width ? `${first} …` : truncate(first, width);
}

/**
 * A prompt's prose with the bank's hard line breaks rejoined (as Markdown reads them); fenced code
 * kept line for line. For formats that show the whole prompt.
 */
export function promptSegments(prompt: string): { kind: 'prose' | 'code'; text: string; lang?: string }[] {
  return splitFences(prompt.replace(/\r\n?/g, '\n')).map((s) => ({
    kind: s.kind,
    text: s.kind === 'prose' ? reflow(s.text).join('\n') : s.text,
    ...(s.kind === 'code' && s.lang ? { lang: s.lang } : {}),
  }));
}

/** One question of the details with every candidate's answer to it, candidates in rank order. */
export interface AnsweredQuestion {
  question: ReportQuestion;
  answers: { candidate: RankedCandidate; answer: ReportAnswer }[];
  /** The right answer, when every candidate's shows it the same way (choices can be shown reordered). */
  right: string | null;
}

/**
 * The details by question rather than by candidate, so a prompt is shown once however many
 * candidates answered it: questions in the order they were asked (earliest position first).
 */
export function answersByQuestion(c: Cohort): AnsweredQuestion[] {
  const byKey = new Map<string, { question: ReportQuestion; first: number; answers: AnsweredQuestion['answers'] }>();
  const questions = new Map(c.questions.map((q) => [q.key, q]));
  for (const x of c.candidates) {
    for (const a of x.answers) {
      const question = questions.get(a.key);
      if (!question) continue;
      const entry = byKey.get(a.key) ?? { question, first: a.position, answers: [] };
      entry.first = Math.min(entry.first, a.position);
      entry.answers.push({ candidate: x, answer: a });
      byKey.set(a.key, entry);
    }
  }
  return [...byKey.values()]
    .sort((a, b) => a.first - b.first || (a.question.key < b.question.key ? -1 : 1))
    .map(({ question, answers }) => {
      const rights = new Set(answers.map((a) => a.answer.right));
      return { question, answers, right: rights.size === 1 ? [...rights][0]! : null };
    });
}

/** θ with two decimals and an explicit sign, so −0.05 and 0.05 are not told apart by a dash alone. */
export const thetaText = (theta: number): string => `${theta < 0 ? '-' : '+'}${Math.abs(theta).toFixed(2)}`;

/** `θ +0.42 ± 0.33`: an estimate and its standard error, as every format shows them. */
export const abilityShort = (a: AbilityEstimate): string => `θ ${thetaText(a.theta)} ± ${a.se.toFixed(2)}`;

/** What the difficulties of an estimate came from. */
export const calibrationText = (c: AbilityEstimate['calibration']): string =>
  c ? `calibration #${c.id} of ${c.createdAt.slice(0, 10)}` : 'difficulty labels (no calibration yet)';

/** Whether an ability column says anything. */
export const hasAbility = (c: Cohort): boolean => c.candidates.some((x) => x.ability);

/** The cell of a candidate's ability: `+0.42 ± 0.33`, or – without one. */
export const abilityCell = (a: AbilityEstimate | null | undefined): string => (a ? `${thetaText(a.theta)} ± ${a.se.toFixed(2)}` : '–');

/** What the ability column means and what it rests on, or null when the report has none. */
export function abilityNote(c: Cohort): string | null {
  if (!hasAbility(c)) return null;
  const basis = c.calibration ? calibrationText(c.calibration) : calibrationText(null);
  return `Ability: θ ± SE on the Rasch scale (0 is the average of the calibration population, SD 1), from ${basis}; comparable across different questions, unlike percent.`;
}
