// `practice --status`: where a candidate stands per topic, as text for the terminal and as JSON.
import { LEARNED_DAYS, type Standing } from '../practice/round.js';
import { safeLine } from '../text.js';
import { truncate, when } from './format.js';
import { table, type Paint } from './text.js';

export interface StatusInput {
  candidate: string;
  /** ISO time the status is for. */
  at: string;
  /** True when `at` is the time of the run, not one asked for with --at. */
  now: boolean;
  topics: Standing[];
}

const COUNTS = ['questions', 'due', 'learning', 'learned', 'notSeen'] as const;

function total(rows: readonly Standing[]): Omit<Standing, 'topic'> {
  const t = { questions: 0, due: 0, learning: 0, learned: 0, notSeen: 0 };
  for (const r of rows) for (const k of COUNTS) t[k] += r[k];
  return t;
}

export function statusJson(s: StatusInput): object {
  return { schemaVersion: 1, candidate: s.candidate, at: s.at, topics: s.topics, total: total(s.topics) };
}

/** `width`: the terminal's columns; a topic is cut only when its row would not fit them. */
export function renderStatus(s: StatusInput, paint: Paint, width = 80): string {
  const t = total(s.topics);
  const row = (name: string, r: Omit<Standing, 'topic'>): string[] => [
    name,
    String(r.due),
    String(r.learning),
    String(r.learned),
    String(r.notSeen),
  ];
  // The four counts take 34 columns with their gaps; the topic has the rest but one.
  const rows = [...s.topics.map((r) => row(truncate(r.topic, Math.max(10, width - 35)), r)), row('all topics', t)];
  // Numbers right-aligned under their headings.
  const head = ['TOPIC', 'DUE', 'LEARNING', 'LEARNED', 'NOT SEEN'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const aligned = rows.map((r) => r.map((c, i) => (i === 0 ? c : c.padStart(widths[i]!))));
  const lines = [
    paint.bold(`Practice for ${safeLine(s.candidate)}, ${s.now ? 'now' : 'at'} ${when(s.at)}`),
    '',
    table(head, aligned, paint),
    '',
    paint.dim(`Learned: last given an interval of ${LEARNED_DAYS} days or more.`),
    paint.dim(t.due ? 'Practise the due questions with: backend-quiz practice' : 'Nothing is due then.'),
  ];
  return lines.join('\n');
}
