// The cohort report for spreadsheets: one row per candidate, RFC 4180.
import { safeKeepingBreaks } from '../text.js';
import type { Cohort } from './cohort.js';

/**
 * OWASP "CSV Injection": a cell a spreadsheet would read as a formula (=, +, -, @, or a leading
 * tab or CR that some strip before looking) gets a leading ' so it stays text. Only text cells:
 * numbers are ours and a negative one must stay a number.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 §2: quote a field holding a comma, a quote, CR or LF, and double its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A text cell: neutralised as a formula while its first character is still the one a spreadsheet
 * looks at, then made safe like any outside text (NUL, ESC and bidi controls shown as `\uXXXX`),
 * then quoted. Line breaks stay: RFC 4180 quotes them and a spreadsheet shows them inside the cell,
 * where they hide nothing.
 */
export const csvText = (s: string): string => csvField(safeKeepingBreaks(neutralise(s)));
const text = csvText;
const number = (n: number | null): string => (n === null ? '' : String(n));

export function renderCohortCsv(c: Cohort): string {
  // Ability columns only when there are abilities, so a report without a calibration keeps its columns.
  const ability = c.candidates.some((x) => x.ability);
  // Only when a pack drew on the built-in banks, so other reports keep their columns.
  const publicQs = c.candidates.some((x) => x.publicQuestions);
  // A score column per task (its points; empty when not asked): hands-on work read at a glance.
  const tasks = c.questions.filter((q) => q.type === 'sql' || q.type === 'code').map((q) => q.key);
  const head = [
    'rank',
    'candidate',
    'session',
    'status',
    'mode',
    'over_time',
    'score',
    'max_score',
    'percent',
    ...(ability ? ['theta', 'theta_se', 'theta_percentile'] : []),
    'passed',
    'time_used_s',
    'percentile_rank',
    ...(publicQs ? ['public_questions'] : []),
    ...c.topics.map((t) => `topic:${t}`),
    ...tasks.map((k) => `task:${k}`),
  ];
  const rows = c.candidates.map((x) => [
    String(x.rank),
    text(x.candidate),
    text(x.sessionId),
    text(x.status),
    x.scripted ? 'scripted' : 'interactive',
    String(x.overTime),
    number(x.score),
    number(x.maxScore),
    number(x.percent),
    ...(ability ? [number(x.ability?.theta ?? null), number(x.ability?.se ?? null), number(x.ability?.percentile ?? null)] : []),
    x.passed === null ? '' : String(x.passed),
    number(x.timeUsedMs === null ? null : Math.round(x.timeUsedMs / 1000)),
    number(x.percentileRank),
    ...(publicQs ? [number(x.publicQuestions ?? 0)] : []),
    ...c.topics.map((t) => number(x.topics[t]?.percent ?? null)),
    ...tasks.map((k) => number(x.answers.find((a) => a.key === k)?.points ?? null)),
  ]);
  // RFC 4180 §2: CRLF after every record, the last included.
  return [head.map(text), ...rows].map((r) => `${r.join(',')}\r\n`).join('');
}
