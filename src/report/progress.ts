// `stats`: a candidate's progress per topic, built from aggregated answers (pure) and rendered for
// the terminal (bars and a weekly sparkline in 80 columns) or as JSON.
import { percentOf } from '../engine/summary.js';
import type { TopicTotals, WeekTotals } from '../store/progress.js';
import { safeLine } from '../text.js';
import { len, truncate } from './format.js';
import { bar, percentColour, type Paint } from './text.js';

export const WEEKS = 12;
export const RECENT_DAYS = 30;
const DAY = 86_400_000;

export interface Share {
  answers: number;
  right: number;
  /** Percent of the answers that were right (fully); null without answers. */
  rightPercent: number | null;
}

export interface TopicProgress extends Share {
  topic: string;
  /** Questions in the topic's bank now; null when no loaded bank has the topic. */
  questions: number | null;
  /** Distinct questions answered. */
  seen: number;
  /** The last RECENT_DAYS days. */
  recent: Share;
  /** The last WEEKS weeks, oldest first. */
  weeks: (Share & { start: string })[];
  /** Questions due for practice now. */
  due: number;
}

export interface Progress {
  candidate: string;
  generatedAt: string;
  firstAnswer: string | null;
  lastAnswer: string | null;
  /** Weakest first: by the share right over the last RECENT_DAYS days, else overall. */
  topics: TopicProgress[];
  total: Omit<TopicProgress, 'topic' | 'questions'> & { questions: number };
}

const share = (answers: number, right: number): Share => ({ answers, right, rightPercent: answers ? percentOf(right, answers) : null });

/** Monday 00:00 UTC of the week after `now`'s: the end of the last week shown. */
export function weeksEnd(now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const sinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(midnight + (7 - sinceMonday) * DAY);
}

export interface ProgressInput {
  candidate: string;
  now: Date;
  totals: readonly TopicTotals[];
  weeks: readonly WeekTotals[];
  /** Per topic id: questions in its bank and questions due now. */
  banks: ReadonlyMap<string, { questions: number; due: number }>;
}

export function buildProgress(i: ProgressInput): Progress {
  const end = weeksEnd(i.now).getTime();
  const starts = Array.from({ length: WEEKS }, (_, k) => new Date(end - (WEEKS - k) * 7 * DAY).toISOString().slice(0, 10));
  const weekly = (rows: readonly WeekTotals[]): TopicProgress['weeks'] =>
    starts.map((start, k) => {
      const ago = WEEKS - 1 - k;
      const these = rows.filter((w) => w.ago === ago);
      return {
        start,
        ...share(
          these.reduce((n, w) => n + w.answers, 0),
          these.reduce((n, w) => n + w.right, 0),
        ),
      };
    });
  const topics: TopicProgress[] = i.totals.map((t) => ({
    topic: t.topic,
    questions: i.banks.get(t.topic)?.questions ?? null,
    seen: t.seen,
    ...share(t.answers, t.right),
    recent: share(t.recentAnswers, t.recentRight),
    weeks: weekly(i.weeks.filter((w) => w.topic === t.topic)),
    due: i.banks.get(t.topic)?.due ?? 0,
  }));
  const weakness = (t: TopicProgress): number => t.recent.rightPercent ?? t.rightPercent ?? 100;
  topics.sort((a, b) => weakness(a) - weakness(b) || b.answers - a.answers || (a.topic < b.topic ? -1 : 1));
  const sum = (f: (t: TopicProgress) => number): number => topics.reduce((n, t) => n + f(t), 0);
  return {
    candidate: i.candidate,
    generatedAt: i.now.toISOString(),
    firstAnswer: i.totals.reduce<string | null>((m, t) => (m === null || t.first < m ? t.first : m), null),
    lastAnswer: i.totals.reduce<string | null>((m, t) => (m === null || t.last > m ? t.last : m), null),
    topics,
    total: {
      questions: sum((t) => t.questions ?? 0),
      seen: sum((t) => t.seen),
      ...share(
        sum((t) => t.answers),
        sum((t) => t.right),
      ),
      recent: share(
        sum((t) => t.recent.answers),
        sum((t) => t.recent.right),
      ),
      weeks: weekly(i.weeks),
      due: sum((t) => t.due),
    },
  };
}

export const progressJson = (p: Progress): object => ({ schemaVersion: 1, ...p });

const SPARKS = '▁▂▃▄▅▆▇█';

/** One mark a week: its share right as a block from ▁ (0%) to █ (100%); · for a week without answers. */
export function sparkline(weeks: readonly Share[]): string {
  return weeks.map((w) => (w.rightPercent === null ? '·' : SPARKS[Math.round((w.rightPercent / 100) * (SPARKS.length - 1))])).join('');
}

const BAR_WIDTH = 10;
/** Columns of a row besides the topic: the counts, the bar, the percents and the weeks. */
const REST_WIDTH = 54;

/** `width`: the terminal's columns; a topic is cut only when the row would not fit them. */
export function renderProgress(p: Progress, paint: Paint, width = 80): string {
  const name = safeLine(p.candidate);
  if (p.topics.length === 0) return `No answers yet for ${name}. Start with: backend-quiz practice`;
  const pct = (s: Share): string => (s.rightPercent === null ? '–' : `${Math.round(s.rightPercent)}%`);
  const names = [...p.topics.map((t) => truncate(safeLine(t.topic), Math.max(len('all topics'), width - 1 - REST_WIDTH))), 'all topics'];
  const w = Math.max(...names.map(len));
  // Every column but the topic has a fixed width, so a row fits `width`, and colour (escape codes, not columns) goes on the bar only, which is always 10 wide.
  const line = (topic: string, seen: string, right: string, recent: string, due: string, weeks: string): string =>
    `${topic}${' '.repeat(w - len(topic))}  ${seen.padStart(7)}  ${right}  ${recent.padStart(7)}  ${due.padStart(3)}  ${weeks}`.trimEnd();
  const row = (topic: string, t: Omit<TopicProgress, 'topic'>): string =>
    line(
      topic,
      t.questions === null ? String(t.seen) : `${t.seen}/${t.questions}`,
      `${percentColour(t.rightPercent ?? 0, paint)(bar(t.rightPercent ?? 0, BAR_WIDTH))} ${pct(t).padStart(4)}`,
      pct(t.recent),
      String(t.due),
      sparkline(t.weeks),
    );
  const since = p.firstAnswer ? `, ${p.firstAnswer.slice(0, 10)} to ${p.lastAnswer!.slice(0, 10)}` : '';
  return [
    paint.bold(
      `Progress for ${name}: ${p.total.answers} answer${p.total.answers === 1 ? '' : 's'} to ${p.total.seen} question${p.total.seen === 1 ? '' : 's'}${since}`,
    ),
    paint.dim('Weakest topics first. RIGHT: share of answers fully right.'),
    '',
    paint.bold(line('TOPIC', 'SEEN', 'RIGHT'.padEnd(BAR_WIDTH + 5), '30 DAYS', 'DUE', `${WEEKS} WEEKS`)),
    ...p.topics.map((t, i) => row(names[i]!, t)),
    row('all topics', p.total),
    '',
    paint.dim(`${WEEKS} WEEKS: share right per week, oldest first: ▁ 0% to █ 100%, · no answers.`),
    paint.dim(p.total.due ? 'DUE: questions due for practice now (backend-quiz practice).' : 'DUE: nothing is due for practice now.'),
  ].join('\n');
}
