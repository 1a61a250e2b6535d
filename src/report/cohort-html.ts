// The cohort report as one self-contained HTML file: inline CSS and SVG, no script, nothing
// fetched (a Content-Security-Policy says so to the browser too), readable on paper. Candidate
// names and bank text are untrusted and every piece of it goes through esc().
import { markupChars } from '../interop/xml.js';
import { safeText } from '../text.js';
import type { Cohort, RankedCandidate } from './cohort.js';
import type { ReportAnswer } from './model.js';
import {
  ALPHA_MISSING,
  FLAG_TEXT,
  ITEM_LEGEND,
  NO_CANDIDATES,
  ONE_CANDIDATE,
  OUTCOME_TEXT,
  abilityCell,
  abilityNote,
  abilityShort,
  binLabel,
  coef,
  duration,
  filtersText,
  hasAbility,
  hasVerdicts,
  notEnoughData,
  num,
  passLabel,
  passMarkText,
  pct,
  promptSegments,
  answersByQuestion,
  sittingLabel,
  truncate,
  when,
  heading,
  failedTests,
  taskLine,
} from './format.js';

export interface HtmlOptions {
  details?: boolean;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content and quoted attribute values alike (OWASP XSS cheat sheet, rule 1 and 2). */
export function esc(s: string): string {
  return markupChars(safeText(s)).replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
:root { color-scheme: light; --ink: #1f2937; --muted: #4b5563; --line: #e5e7eb; --head: #f3f4f6;
  --accent: #2563eb; --pass: #15803d; --fail: #b91c1c; --track: #e5e7eb; --mark: #111827; --warn: #92400e; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 .6rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 .3rem; overflow-wrap: anywhere; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; color: var(--muted); }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: var(--head); border-bottom: 2px solid var(--line); white-space: nowrap; overflow-wrap: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.topic { white-space: normal; min-width: 4.5em; }
td.name { min-width: 10em; }
.scroll { overflow-x: auto; }
.pass { color: var(--pass); font-weight: 600; }
.fail { color: var(--fail); font-weight: 600; }
.note { color: var(--muted); }
.stats { display: flex; flex-wrap: wrap; gap: .75rem; margin: 0; padding: 0; list-style: none; }
.stats li { border: 1px solid var(--line); border-radius: 6px; padding: .45rem .9rem; min-width: 7rem; }
.stats b { display: block; font-size: 1.35rem; font-variant-numeric: tabular-nums; }
.chart { width: 100%; height: auto; display: block; }
.chart text { font-family: inherit; fill: var(--ink); }
.chart .axis { stroke: #9ca3af; stroke-width: 1; }
.chart .track { fill: var(--track); }
.chart .bar { fill: var(--accent); }
.chart .bar.passed { fill: var(--pass); }
.chart .bar.failed { fill: var(--fail); }
.chart .track.failed { fill: #fde2e2; }
.chart .figure.passed { fill: var(--pass); }
.chart .figure.failed { fill: var(--fail); font-weight: 600; }
.chart .avg-mark { stroke: var(--mark); stroke-width: 2.5; }
.chart .pass-line { stroke: var(--mark); stroke-width: 1.5; stroke-dasharray: 5 4; }
.chart .small { font-size: 11px; fill: var(--muted); }
.chart .count { font-size: 13px; paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.histogram { max-width: 720px; }
.topics { max-width: 560px; }
.candidates { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 1rem; }
.candidate { border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; break-inside: avoid; page-break-inside: avoid; }
.candidate .summary { margin: 0 0 .5rem; color: var(--muted); }
.legend { color: var(--muted); font-size: .85rem; margin: -.25rem 0 .75rem; }
.avg-key { display: inline-block; width: 0; height: .9em; border-left: 3px solid var(--mark); vertical-align: -.1em; margin-right: .3rem; }
.flag { color: var(--warn); font-weight: 600; white-space: nowrap; }
.prompt { white-space: pre-wrap; color: var(--muted); margin-top: .2rem; }
.answer { white-space: pre-wrap; }
ul.failed { margin: 0.25em 0 0; padding-left: 1.2em; }
pre { margin: .3rem 0; padding: .4rem .6rem; border-left: 3px solid var(--line); white-space: pre; overflow-x: auto; overflow-wrap: normal; }
code { font: .85em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: normal; word-break: normal; }
.right { margin: .4rem 0; }
.outcome-right { color: var(--pass); } .outcome-partial { color: var(--warn); }
.outcome-wrong, .outcome-unanswered { color: var(--fail); }
.question-details { margin-top: 1.5rem; }
.question-details h3 .note { font-weight: normal; font-size: .9rem; }
@media (max-width: 640px) { .candidates { grid-template-columns: 1fr; } body { padding: 12px; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  thead th { background: none; }
  .scroll { overflow: visible; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .candidates { display: block; }
  .candidate { break-inside: avoid; page-break-inside: avoid; margin-bottom: .8rem; }
  #details { break-before: page; page-break-before: always; }
  .question-details h3 { break-after: avoid; page-break-after: avoid; }
  pre { white-space: pre-wrap; overflow: visible; }
  tr { break-inside: avoid; page-break-inside: avoid; }
}
`;

const verdictClass = (passed: boolean | null): string => (passed === null ? '' : passed ? 'pass' : 'fail');
const th = (s: string, numeric = false): string => `<th${numeric ? ' class="num"' : ''}>${s}</th>`;
const td = (s: string, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${s}</td>`;

function header(c: Cohort): string {
  const rows: [string, string][] = [];
  if (c.assessment) {
    const a = c.assessment;
    const title = a.title !== c.title ? ` (${esc(a.title)})` : '';
    const limit = a.timeLimitMs === null ? '' : ` · time limit ${duration(a.timeLimitMs)}`;
    rows.push(['Assessment', `<code>${esc(a.id)}</code>${title} · ${a.form === 'fixed' ? 'fixed form' : 'a form per candidate'}${limit}`]);
  }
  rows.push(['Generated', esc(when(c.generatedAt))], ['Filters', esc(filtersText(c.filters) ?? 'none')]);
  const marks = passMarkText(c);
  if (marks !== null) rows.push(['Pass mark', esc(marks)]);
  const ability = abilityNote(c);
  if (ability !== null) rows.push(['Ability', esc(ability.replace(/^Ability: /, ''))]);
  for (const n of c.notices ?? []) rows.push(['Note', esc(n)]);
  return `<header>
<h1>${esc(heading(c))}</h1>
<dl class="meta">
${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('\n')}
</dl>
</header>`;
}

function ranking(c: Cohort): string {
  const verdicts = hasVerdicts(c);
  const cohort = c.candidates.length > 1;
  const ability = hasAbility(c);
  const head = [
    th('Rank', true),
    th('Candidate'),
    th('Score', true),
    th('Percent', true),
    ...(ability ? [th('Ability (θ ± SE)', true)] : []),
    ...(verdicts ? [th('Result')] : []),
    th('Time used', true),
    ...(cohort ? [th('Percentile rank', true)] : []),
    th('Status'),
    ...c.topics.map((t) => `<th class="num topic">${esc(t)}</th>`),
  ];
  const rows = c.candidates.map((x) => {
    const cells = [
      td(String(x.rank), 'num'),
      td(esc(x.candidate), 'name'),
      td(`${num(x.score)}/${num(x.maxScore)}`, 'num'),
      td(pct(x.percent), `num ${verdictClass(x.passed)}`.trim()),
      ...(ability ? [td(abilityCell(x.ability), 'num')] : []),
      ...(verdicts ? [td(passLabel(x.passed), verdictClass(x.passed))] : []),
      td(duration(x.timeUsedMs), 'num'),
      ...(cohort ? [td(num(x.percentileRank), 'num')] : []),
      td(esc(sittingLabel(x)), 'status'),
      ...c.topics.map((t) => {
        const r = x.topics[t];
        return r ? td(pct(r.percent), `num ${verdictClass(r.passed)}`.trim()) : td('–', 'num');
      }),
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<section id="ranking">
<h2>${cohort ? 'Ranking' : 'Result'}</h2>
<div class="scroll">
<table>
<thead><tr>${head.join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>
</section>`;
}

function stats(c: Cohort): string {
  const s = c.stats!;
  const items: [string, string][] = [
    ['Candidates', String(s.n)],
    ['Mean', pct(s.mean)],
    ['Median', pct(s.median)],
    ['SD', num(s.sd)],
    ['Min', pct(s.min)],
    ['Max', pct(s.max)],
  ];
  return `<section id="cohort">
<h2>Cohort statistics</h2>
<ul class="stats">${items.map(([k, v]) => `<li>${k}<b>${v}</b></li>`).join('')}</ul>
</section>`;
}

function topicAverages(c: Cohort): string {
  const marks = c.topicAverages.some((t) => t.passMark !== null);
  const rows = c.topicAverages.map((t) => {
    const cls = t.passMark === null ? '' : t.mean >= t.passMark ? 'pass' : 'fail';
    const mark = marks ? td(t.passMark === null ? '–' : pct(t.passMark), 'num') : '';
    return `<tr>${td(esc(t.topic))}${td(pct(t.mean), `num ${cls}`.trim())}${td(`${t.candidates} of ${c.candidates.length}`, 'num')}${mark}</tr>`;
  });
  return `<section id="topics">
<h2>Topic averages</h2>
<table>
<thead><tr>${th('Topic')}${th('Mean percent', true)}${th('Candidates who had it', true)}${marks ? th('Pass mark', true) : ''}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
}

/** One vertical bar per bin; bins with no candidate keep a zero-height bar so the count is always ten. */
function histogramSvg(c: Cohort): string {
  const W = 640;
  const H = 268;
  const left = 12;
  const right = 12;
  const top = 40;
  const base = 222;
  const slot = (W - left - right) / c.histogram.length;
  const most = Math.max(1, ...c.histogram.map((b) => b.count));
  // Bars, then the pass-mark line over them, then the counts over the line (with a halo).
  const parts: string[] = [];
  const counts: string[] = [];
  c.histogram.forEach((b, i) => {
    const h = ((base - top) * b.count) / most;
    const x = left + i * slot;
    const label = binLabel(b.from, b.to);
    parts.push(
      `<rect class="bar hist-bar" x="${r1(x + 5)}" y="${r1(base - h)}" width="${r1(slot - 10)}" height="${r1(h)}"><title>${label}%: ${b.count} candidate${b.count === 1 ? '' : 's'}</title></rect>`,
      `<text x="${r1(x + slot / 2)}" y="${base + 16}" text-anchor="middle" class="small">${label}</text>`,
    );
    if (b.count) counts.push(`<text x="${r1(x + slot / 2)}" y="${r1(base - h - 6)}" text-anchor="middle" class="count">${b.count}</text>`);
  });
  const mark = c.assessment?.passMark ?? null;
  if (mark !== null) {
    const x = left + ((W - left - right) * Math.min(100, Math.max(0, mark))) / 100;
    const anchor = mark > 75 ? 'end' : 'start';
    parts.push(
      `<line class="pass-line" x1="${r1(x)}" y1="8" x2="${r1(x)}" y2="${base}"/>`,
      `<text x="${r1(anchor === 'end' ? x - 5 : x + 5)}" y="16" text-anchor="${anchor}" class="small">pass mark ${pct(mark)}</text>`,
    );
  }
  parts.push(...counts);
  const summary = c.histogram.map((b) => `${binLabel(b.from, b.to)}%: ${b.count}`).join('; ');
  return `<section id="distribution">
<h2>Score distribution</h2>
<svg class="chart histogram" viewBox="0 0 ${W} ${H}" role="img" aria-label="Candidates per percent band. ${summary}" xmlns="http://www.w3.org/2000/svg">
<line class="axis" x1="${left}" y1="${base}" x2="${W - right}" y2="${base}"/>
${parts.join('\n')}
<text x="${r1(left + (W - left - right) / 2)}" y="${H - 8}" text-anchor="middle" class="small">percent score (bands include their lower bound; 100 is in the last)</text>
</svg>
</section>`;
}

/** The whole prompt: prose reflowed, fenced code as preformatted text. */
function promptHtml(prompt: string): string {
  return promptSegments(prompt)
    .map((s) => (s.kind === 'code' ? `<pre><code>${esc(s.text)}</code></pre>` : `<div class="prompt">${esc(s.text)}</div>`))
    .join('');
}

const r1 = (n: number): string => String(Math.round(n * 10) / 10);

/** A bar per topic the candidate had, its fill showing the topic pass mark, a mark at the cohort's average. */
function topicSvg(c: Cohort, x: RankedCandidate, averages: ReadonlyMap<string, number>, showAverage: boolean): string {
  const topics = c.topics.filter((t) => x.topics[t]);
  const W = 440;
  const row = 28;
  const labelW = 120;
  const barX = labelW + 8;
  const barW = 250;
  const H = topics.length * row + 6;
  const rows = topics.map((t, i) => {
    const r = x.topics[t]!;
    const y = 4 + i * row;
    const h = 18;
    const w = (barW * Math.min(100, Math.max(0, r.percent))) / 100;
    // At 0 % the bar has no width: the track and the figure carry the verdict too.
    const cls = r.passed === null ? '' : r.passed ? ' passed' : ' failed';
    const avg = averages.get(t);
    const mark =
      showAverage && avg !== undefined
        ? `<line class="avg-mark" x1="${r1(barX + (barW * avg) / 100)}" y1="${y - 3}" x2="${r1(barX + (barW * avg) / 100)}" y2="${y + h + 3}"><title>cohort average ${pct(avg)}</title></line>`
        : '';
    return `<g>
<title>${esc(t)}: ${pct(r.percent)} (${num(r.score)}/${num(r.maxScore)})${showAverage && avg !== undefined ? `, cohort average ${pct(avg)}` : ''}</title>
<text x="0" y="${y + 14}" font-size="13">${esc(truncate(t, 17))}</text>
<rect class="track${cls}" x="${barX}" y="${y}" width="${barW}" height="${h}"/>
<rect class="bar topic-bar${cls}" x="${barX}" y="${y}" width="${r1(w)}" height="${h}"/>
${mark}
<text class="figure${cls}" x="${W}" y="${y + 14}" font-size="13" text-anchor="end">${pct(r.percent)}</text>
</g>`;
  });
  return `<svg class="chart topics" viewBox="0 0 ${W} ${H}" role="img" aria-label="Percent per topic for ${esc(x.candidate)}" xmlns="http://www.w3.org/2000/svg">
${rows.join('\n')}
</svg>`;
}

function candidateCards(c: Cohort): string {
  const averages = new Map(c.topicAverages.map((t) => [t.topic, t.mean]));
  const cohort = c.candidates.length > 1;
  const cards = c.candidates.map((x) => {
    const verdict = x.passed === null ? '' : ` · <span class="${verdictClass(x.passed)}">${passLabel(x.passed)}</span>`;
    const pr = cohort ? ` · percentile rank ${num(x.percentileRank)}` : '';
    const ability = x.ability ? ` · ability ${esc(abilityShort(x.ability))} (percentile ${x.ability.percentile})` : '';
    const imported = x.imported ? ' · imported' : '';
    return `<article class="candidate">
<h3>#${x.rank} ${esc(x.candidate)}</h3>
<p class="summary">${pct(x.percent)} (${num(x.score)}/${num(x.maxScore)})${verdict}${ability} · time used ${duration(x.timeUsedMs)}${pr}</p>
<p class="summary">Session <code>${esc(x.sessionId)}</code> · ${esc(sittingLabel(x))}${imported} · started ${esc(when(x.startedAt))}</p>
${topicSvg(c, x, averages, cohort)}
</article>`;
  });
  const legend = cohort
    ? `\n<p class="legend"><span class="avg-key"></span>cohort average for the topic; green and red bars meet or miss the topic’s pass mark.</p>`
    : '';
  return `<section id="candidates">
<h2>${cohort ? 'Candidates' : 'By topic'}</h2>${legend}
<div class="candidates">
${cards.join('\n')}
</div>
</section>`;
}

function itemAnalysis(c: Cohort): string {
  const ia = c.itemAnalysis;
  if (!ia.enoughData)
    return `<section id="items">\n<h2>Item analysis</h2>\n<p class="note">${esc(notEnoughData(ia.candidates, ia.needed))}</p>\n</section>`;
  const prompts = new Map(c.questions.map((q) => [q.key, q.prompt]));
  const rows = ia.items.map((i) => {
    const flags = i.flags.map((f) => `<span class="flag">⚠ ${FLAG_TEXT[f]}</span>`).join(' ');
    return `<tr>${td(`<code>${esc(i.key)}</code>${promptHtml(prompts.get(i.key) ?? '')}`)}${td(String(i.asked), 'num')}${td(coef(i.facility), 'num')}${td(coef(i.discrimination), 'num')}${td(flags)}</tr>`;
  });
  const r = ia.reliability;
  const alpha = r.alpha === null ? ALPHA_MISSING[r.reason] : `${coef(r.alpha)} over ${r.items} questions`;
  return `<section id="items">
<h2>Item analysis</h2>
<table>
<thead><tr>${th('Question')}${th('Asked', true)}${th('Facility', true)}${th('Discrimination', true)}${th('Flags')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p><b>Cronbach’s alpha:</b> ${esc(alpha)}</p>
${ITEM_LEGEND.map((l) => `<p class="note">${esc(l)}</p>`).join('\n')}
</section>`;
}

/**
 * An answer as text, or as preformatted code when it spans lines (a typed snippet keeps its layout)
 * or is a task's (a query or function is code even on one line).
 */
function answerHtml(text: string, code = text.includes('\n')): string {
  return code ? `<pre><code>${esc(text)}</code></pre>` : `<span class="answer">${esc(text)}</span>`;
}

/** The right answer under its label: a <pre> cannot sit inside a <p>, so code goes in a <div>. */
function rightHtml(right: string, code: boolean): string {
  return code
    ? `<div class="right"><b>Right answer:</b> ${answerHtml(right, true)}</div>`
    : `<p class="right"><b>Right answer:</b> ${answerHtml(right)}</p>`;
}

/** A task's tests: passed of run, visible and hidden, then each failed test with its reason. */
function testsHtml(a: ReportAnswer): string {
  if (!a.task) return '';
  const failed = failedTests(a.task);
  return `${esc(taskLine(a.task))}${failed.length ? `<ul class="failed">${failed.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : ''}`;
}

function details(c: Cohort): string {
  const parts = answersByQuestion(c).map(({ question: q, answers, right }, n) => {
    const task = q.type === 'sql' || q.type === 'code';
    const rows = answers.map(
      ({ candidate: x, answer: a }) =>
        `<tr>${td(`#${x.rank} ${esc(x.candidate)}`, 'name')}${td(answerHtml(a.given, task || undefined))}${right === null ? td(answerHtml(a.right, task || undefined)) : ''}${task ? td(testsHtml(a)) : ''}${td(OUTCOME_TEXT[a.outcome], `outcome-${a.outcome}`)}${td(`${num(a.points)}/${num(a.maxPoints)}`, 'num')}${td(duration(a.timeMs), 'num')}</tr>`,
    );
    return `<article class="question-details">
<h3>${n + 1}. <code>${esc(q.key)}</code> <span class="note">${esc(q.topic)} · ${q.difficulty} · ${num(q.points)} point${q.points === 1 ? '' : 's'}</span></h3>
${promptHtml(q.prompt)}
${right === null ? '' : `${rightHtml(right, task || right.includes('\n'))}\n`}<div class="scroll">
<table>
<thead><tr>${th('Candidate')}${th('Given')}${right === null ? th('Right answer') : ''}${task ? th('Tests') : ''}${th('Outcome')}${th('Points', true)}${th('Time', true)}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>
</article>`;
  });
  return `<section id="details">
<h2>Answers by question</h2>
${parts.length ? parts.join('\n') : '<p class="note">No answers.</p>'}
</section>`;
}

export function renderCohortHtml(c: Cohort, opts: HtmlOptions = {}): string {
  const body: string[] = [header(c)];
  if (!c.candidates.length) body.push(`<p class="note">${esc(NO_CANDIDATES)}</p>`);
  else {
    body.push(ranking(c));
    if (c.candidates.length === 1) body.push(`<p class="note">${esc(ONE_CANDIDATE)}</p>`);
    else body.push(stats(c), topicAverages(c), histogramSvg(c), itemAnalysis(c));
    body.push(candidateCards(c));
    if (opts.details ?? true) body.push(details(c));
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading(c))}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
