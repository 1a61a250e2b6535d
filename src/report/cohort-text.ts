// The cohort report for a terminal: every line fits the width (80 by default) whatever the names
// and topics, and colour comes only through the Paint, so without one the text is plain.
import { safeLine, safeText } from '../text.js';
import type { Cohort, RankedCandidate } from './cohort.js';
import {
  ALPHA_MISSING,
  FLAG_TEXT,
  ITEM_LEGEND,
  NO_CANDIDATES,
  ONE_CANDIDATE,
  OUTCOME_TEXT,
  PLAIN,
  abilityCell,
  abilityNote,
  abilityShort,
  binLabel,
  coef,
  duration,
  filtersText,
  hasAbility,
  hasVerdicts,
  len,
  notEnoughData,
  num,
  passLabel,
  passMarkText,
  pct,
  promptLine,
  sittingLabel,
  truncate,
  when,
  heading,
  failedTests,
  taskLine,
} from './format.js';
import type { Paint } from './text.js';
import { wrap, wrapCode } from './wrap.js';

export interface TextOptions {
  details?: boolean;
  paint?: Paint;
  width?: number;
}

type Colour = (s: string) => string;
interface Cell {
  text: string;
  colour?: Colour;
}
type Align = 'l' | 'r';

const INDENT = '  ';
const cell = (text: string, colour?: Colour): Cell => (colour ? { text, colour } : { text });

const padEnd = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - len(s)));
const padStart = (s: string, w: number): string => ' '.repeat(Math.max(0, w - len(s))) + s;

/** Columns padded to their widest cell before painting, so escape codes never skew alignment. */
function table(head: string[], rows: Cell[][], align: Align[], paint: Paint): string[] {
  const widths = head.map((h, i) => Math.max(len(h), ...rows.map((r) => len(r[i]!.text))));
  const line = (cells: Cell[]): string =>
    (
      INDENT +
      cells
        .map((c, i) => {
          const last = i === cells.length - 1;
          const padded = align[i] === 'r' ? padStart(c.text, widths[i]!) : last ? c.text : padEnd(c.text, widths[i]!);
          return c.colour ? c.colour(padded) : padded;
        })
        .join('  ')
    ).trimEnd();
  return [paint.bold(line(head.map((h) => cell(h)))), ...rows.map(line)];
}

const verdictColour = (passed: boolean | null, paint: Paint): Colour | undefined =>
  passed === null ? undefined : passed ? paint.green : paint.red;

function topicCell(c: RankedCandidate, topic: string, paint: Paint): Cell {
  const t = c.topics[topic];
  return t ? cell(pct(t.percent), verdictColour(t.passed, paint)) : cell('–');
}

/** Parts joined by ` · `, breaking lines between parts rather than inside one where it can. */
function packParts(parts: string[], width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const p of parts) {
    if (line && len(line) + 3 + len(p) > width) {
      lines.push(line);
      line = '';
    }
    line = line ? `${line} · ${p}` : `${indent}${p}`;
  }
  if (line) lines.push(line);
  // A part wider than the line on its own still has to wrap.
  return lines.map((l) => (len(l) > width ? wrap(l.trimStart(), width, indent) : l)).join('\n');
}

function header(c: Cohort, paint: Paint, width: number): string[] {
  const out = [paint.bold(wrap(safeLine(heading(c)), width))];
  const meta: string[] = [];
  if (c.assessment) {
    const a = c.assessment;
    const title = a.title !== c.title ? ` (${safeLine(a.title)})` : '';
    const limit = a.timeLimitMs === null ? [] : [`time limit ${duration(a.timeLimitMs)}`];
    meta.push(
      packParts([`Assessment ${safeLine(a.id)}${title}`, a.form === 'fixed' ? 'fixed form' : 'a form per candidate', ...limit], width),
    );
  }
  meta.push(`Generated ${when(c.generatedAt)}`);
  meta.push(packParts(`Filters: ${safeLine(filtersText(c.filters) ?? 'none')}`.split(' · '), width));
  const marks = passMarkText(c);
  if (marks !== null) meta.push(wrap(`Pass mark: ${safeLine(marks)}`, width));
  const ability = abilityNote(c);
  if (ability !== null) meta.push(wrap(ability, width));
  for (const m of meta) out.push(paint.dim(m));
  for (const n of c.notices ?? []) out.push(paint.yellow(wrap(`Note: ${safeLine(n)}`, width)));
  return out;
}

function ranking(c: Cohort, paint: Paint, width: number): string[] {
  const verdicts = hasVerdicts(c);
  const ability = hasAbility(c);
  const rows = (names: number, percentile: boolean): Cell[][] =>
    c.candidates.map((x) => [
      cell(String(x.rank)),
      cell(truncate(safeLine(x.candidate), names)),
      cell(`${num(x.score)}/${num(x.maxScore)}`),
      cell(pct(x.percent), verdictColour(x.passed, paint)),
      ...(ability ? [cell(abilityCell(x.ability))] : []),
      ...(verdicts ? [cell(passLabel(x.passed), verdictColour(x.passed, paint))] : []),
      cell(duration(x.timeUsedMs)),
      ...(percentile ? [cell(num(x.percentileRank))] : []),
      cell(sittingLabel(x)),
    ]);
  const align = (percentile: boolean): Align[] => [
    'r',
    'l',
    'r',
    'r',
    ...(ability ? ['r' as const] : []),
    ...(verdicts ? ['l' as const] : []),
    'r',
    ...(percentile ? ['r' as const] : []),
    'l',
  ];
  const headings = (short: boolean, percentile: boolean): string[] => [
    short ? '#' : 'RANK',
    'CANDIDATE',
    'SCORE',
    short ? '%' : 'PERCENT',
    ...(ability ? [short ? 'θ ± SE' : 'ABILITY'] : []),
    ...(verdicts ? ['RESULT'] : []),
    'TIME',
    ...(percentile ? [short ? 'PCTL' : 'PERCENTILE'] : []),
    'STATUS',
  ];
  // Width of everything but the name column: the indent, the other columns and their gaps.
  const others = (head: string[], percentile: boolean): number => {
    const probe = rows(0, percentile);
    return (
      INDENT.length +
      head.reduce((s, h, i) => s + (i === 1 ? 0 : Math.max(len(h), ...probe.map((r) => len(r[i]!.text)))), 0) +
      2 * (head.length - 1)
    );
  };
  const fits = (short: boolean, percentile: boolean): boolean =>
    others(headings(short, percentile), percentile) + len('CANDIDATE') <= width;
  // Short headings only when the long ones would squeeze names below their heading's width; on a
  // narrow terminal the percentile rank goes last, as the rank already orders the candidates.
  const percentile = c.candidates.length > 1 && fits(true, true);
  const head = headings(!fits(false, percentile), percentile);
  const longest = Math.max(len('CANDIDATE'), ...c.candidates.map((x) => len(safeLine(x.candidate))));
  const names = Math.max(len('CANDIDATE'), Math.min(longest, 28, width - others(head, percentile)));
  // Percent per topic gets a table of its own: beside the ranking, three topics already pass 80 columns.
  const topics = c.topics.length ? ['', ...topicTables(c, paint, width)] : [];
  return [
    paint.bold(c.candidates.length > 1 ? 'Ranking' : 'Result'),
    ...table(head, rows(names, percentile), align(percentile), paint),
    ...topics,
  ];
}

/** Percent per topic, in as many tables as it takes for the topics to fit the width. */
function topicTables(c: Cohort, paint: Paint, width: number): string[] {
  const names = Math.min(20, Math.max(len('CANDIDATE'), ...c.candidates.map((x) => len(safeLine(x.candidate)))));
  const rankW = Math.max(len('RANK'), ...c.candidates.map((x) => len(String(x.rank))));
  const base = INDENT.length + rankW + 2 + names;
  // A topic's heading is cut only when its column alone would not fit beside the names.
  const headW = Math.max(5, width - base - 2);
  const chunks: string[][] = [];
  let used = base;
  for (const t of c.topics) {
    const w = Math.max(len(truncate(safeLine(t), headW)), 5) + 2;
    if (!chunks.length || used + w > width) {
      chunks.push([]);
      used = base;
    }
    chunks[chunks.length - 1]!.push(t);
    used += w;
  }
  const out: string[] = [paint.bold('Percent by topic')];
  chunks.forEach((topics, i) => {
    if (i) out.push('');
    out.push(
      ...table(
        ['RANK', 'CANDIDATE', ...topics.map((t) => truncate(safeLine(t), headW))],
        c.candidates.map((x) => [
          cell(String(x.rank)),
          cell(truncate(safeLine(x.candidate), names)),
          ...topics.map((t) => topicCell(x, t, paint)),
        ]),
        ['r', 'l', ...topics.map(() => 'r' as const)],
        paint,
      ),
    );
  });
  return out;
}

function stats(c: Cohort, paint: Paint, width: number): string[] {
  const s = c.stats!;
  const line = `Mean ${pct(s.mean)} · median ${pct(s.median)} · SD ${num(s.sd)} · min ${pct(s.min)} · max ${pct(s.max)}`;
  return [paint.bold(`Cohort statistics (${s.n} candidates)`), wrap(line, width, INDENT)];
}

function bar(percent: number, width: number): string {
  const full = Math.round((Math.min(100, Math.max(0, percent)) / 100) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

function topicAverages(c: Cohort, paint: Paint, width: number): string[] {
  const names = Math.min(20, Math.max(5, ...c.topics.map((t) => len(safeLine(t)))));
  const parts = c.topicAverages.map((t) => ({
    t,
    label: padEnd(truncate(safeLine(t.topic), names), names),
    tail: `${padStart(pct(t.mean), 6)}  ${padStart(String(t.candidates), 3)} of ${c.candidates.length}${t.passMark === null ? '' : `  pass mark ${pct(t.passMark)}`}`,
  }));
  // The bars take what the labels leave, up to 20 columns.
  const rest = Math.max(...parts.map((p) => INDENT.length + names + 2 + 2 + len(p.tail)));
  const barW = Math.max(5, Math.min(20, width - rest));
  const rows = parts.map(({ t, label, tail }) => {
    const colour = t.passMark === null ? (x: string) => x : t.mean >= t.passMark ? paint.green : paint.red;
    return `${INDENT}${label}  ${colour(bar(t.mean, barW))}  ${tail}`;
  });
  return [paint.bold('Topic averages (mean percent, candidates who had the topic)'), ...rows];
}

function histogramLines(c: Cohort, paint: Paint, width: number): string[] {
  const most = Math.max(...c.histogram.map((b) => b.count));
  const barMax = Math.max(10, Math.min(40, width - 20));
  const rows = c.histogram.map((b) => {
    const n = most ? Math.round((b.count / most) * barMax) : 0;
    const bars = '█'.repeat(b.count && !n ? 1 : n);
    return `${INDENT}${padStart(binLabel(b.from, b.to), 8)}  │${paint.cyan(bars)}${b.count ? ` ${b.count}` : ''}`;
  });
  return [paint.bold('Score distribution (percent)'), ...rows];
}

function itemAnalysis(c: Cohort, paint: Paint, width: number): string[] {
  const ia = c.itemAnalysis;
  const out = [paint.bold('Item analysis')];
  if (!ia.enoughData) return [...out, wrap(notEnoughData(ia.candidates, ia.needed), width, INDENT)];
  const rows = ia.items.map((i) => [
    cell(''),
    cell(String(i.asked)),
    cell(coef(i.facility)),
    cell(coef(i.discrimination)),
    cell(i.flags.map((f) => FLAG_TEXT[f]).join(', '), i.flags.length ? paint.yellow : undefined),
  ]);
  const head = ['QUESTION', 'ASKED', 'FACILITY', 'DISCRIM.', 'FLAGS'];
  const otherW = [1, 2, 3, 4].map((i) => Math.max(len(head[i]!), ...rows.map((r) => len(r[i]!.text))));
  const keyW = Math.max(len('QUESTION'), Math.min(40, width - INDENT.length - otherW.reduce((s, w) => s + w + 2, 0)));
  ia.items.forEach((item, n) => (rows[n]![0] = cell(truncate(safeLine(item.key), keyW))));
  out.push(...table(head, rows, ['l', 'r', 'r', 'r', 'l'], paint));
  const r = ia.reliability;
  out.push(
    '',
    wrap(`Cronbach’s alpha: ${r.alpha === null ? ALPHA_MISSING[r.reason] : `${coef(r.alpha)} over ${r.items} questions`}`, width, INDENT),
  );
  for (const l of ITEM_LEGEND) out.push(paint.dim(wrap(l, width, INDENT)));
  return out;
}

/**
 * `Given: text`, the text wrapped and hanging under itself rather than under the label. Text over
 * several lines is code a candidate typed: its lines and indentation are kept, tokens whole.
 */
function labelled(label: string, text: string, width: number, indent: string, code = text.includes('\n')): string {
  const hang = ' '.repeat(len(label));
  const room = width - indent.length - hang.length;
  return (code ? wrapCode(safeText(text), room) : wrap(safeText(text), room))
    .split('\n')
    .map((l, i) => `${indent}${i ? hang : label}${l}`.trimEnd())
    .join('\n');
}

function details(c: Cohort, paint: Paint, width: number): string[] {
  const prompts = new Map(c.questions.map((q) => [q.key, q.prompt]));
  const out: string[] = [paint.bold('Details')];
  for (const x of c.candidates) {
    const verdict = x.passed === null ? '' : ` · ${passLabel(x.passed)}`;
    out.push(
      '',
      paint.bold(
        wrap(`#${x.rank} ${truncate(safeLine(x.candidate), 48)} · ${pct(x.percent)} (${num(x.score)}/${num(x.maxScore)})${verdict}`, width),
      ),
    );
    if (x.ability)
      out.push(
        paint.dim(
          `${INDENT}Ability ${abilityShort(x.ability)} · percentile ${x.ability.percentile} · from ${x.ability.items} question${x.ability.items === 1 ? '' : 's'}`,
        ),
      );
    const meta = [
      `Session ${safeLine(x.sessionId)}`,
      sittingLabel(x),
      ...(x.imported ? ['imported'] : []),
      `started ${when(x.startedAt)}`,
      `time used ${duration(x.timeUsedMs)}`,
    ];
    out.push(paint.dim(packParts(meta, width, INDENT)));
    if (!x.answers.length) out.push(`${INDENT}No answers.`);
    // Fixed right-hand columns; the question key takes what is left.
    const posW = len(String(x.answers.length)) + 2;
    const keyW = Math.max(12, width - INDENT.length - posW - 2 - 14 - 2 - 7 - 2 - 10);
    const sub = `${INDENT}${' '.repeat(posW)}`;
    for (const a of x.answers) {
      const pos = padEnd(`${a.position + 1}.`, posW);
      const outcome = padEnd(OUTCOME_TEXT[a.outcome], 14);
      const colour = a.outcome === 'right' ? paint.green : a.outcome === 'partial' ? paint.yellow : paint.red;
      out.push(
        `${INDENT}${pos}${padEnd(truncate(safeLine(a.key), keyW), keyW)}  ${colour(outcome)}  ${padStart(`${num(a.points)}/${num(a.maxPoints)}`, 7)}  ${padStart(duration(a.timeMs), 10)}`,
      );
      const prompt = promptLine(safeText(prompts.get(a.key) ?? ''), width - sub.length);
      if (prompt) out.push(paint.dim(`${sub}${prompt}`));
      if (a.task) {
        // A task's answer is code: kept line for line, after what its tests made of it.
        out.push(labelled('Tests: ', taskLine(a.task), width, sub));
        for (const f of failedTests(a.task)) out.push(paint.dim(labelled('       ', f, width, sub)));
        out.push(labelled('Given: ', a.given, width, sub, true), labelled('Right: ', a.right, width, sub, true));
      } else out.push(labelled('Given: ', a.given, width, sub), labelled('Right: ', a.right, width, sub));
    }
  }
  return out;
}

export function renderCohortText(c: Cohort, opts: TextOptions = {}): string {
  const paint = opts.paint ?? PLAIN;
  const width = Math.max(60, opts.width ?? 80);
  const sections: string[][] = [header(c, paint, width)];
  if (!c.candidates.length) {
    sections.push([NO_CANDIDATES]);
  } else {
    sections.push(ranking(c, paint, width));
    if (c.candidates.length === 1) sections.push([paint.dim(ONE_CANDIDATE)]);
    else
      sections.push(stats(c, paint, width), topicAverages(c, paint, width), histogramLines(c, paint, width), itemAnalysis(c, paint, width));
    if (opts.details ?? true) sections.push(details(c, paint, width));
  }
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
