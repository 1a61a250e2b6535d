// `stats`: progress per topic built from aggregated answers, the terminal chart and the JSON.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { run as stats } from '../../src/commands/stats.js';
import { run as take } from '../../src/commands/take.js';
import { rightAnswer } from '../../src/engine/score.js';
import { PLAIN } from '../../src/report/format.js';
import { buildProgress, progressJson, renderProgress, sparkline, weeksEnd, type ProgressInput } from '../../src/report/progress.js';
import { openStore } from '../../src/store/db.js';
import { PROGRESS_SQL } from '../../src/store/progress.js';
import { makePaint } from '../../src/ui/style.js';
import { stripAnsi } from '../e2e/terminal.js';
import { Capture, fixtures, root, tmpDir } from '../helpers.js';

const now = new Date('2026-03-25T15:00:00.000Z'); // a Wednesday

// Three topics: sql weak overall but better lately, http strong, queues answered only long ago.
const input: ProgressInput = {
  candidate: 'ann',
  now,
  totals: [
    {
      topic: 'http-apis',
      answers: 40,
      right: 34,
      seen: 20,
      recentAnswers: 10,
      recentRight: 9,
      first: '2026-01-10T10:00:00.000Z',
      last: '2026-03-24T10:00:00.000Z',
    },
    {
      topic: 'databases-sql',
      answers: 30,
      right: 12,
      seen: 18,
      recentAnswers: 12,
      recentRight: 8,
      first: '2026-01-05T09:00:00.000Z',
      last: '2026-03-25T09:00:00.000Z',
    },
    {
      topic: 'messaging-streaming-and-event-sourcing',
      answers: 6,
      right: 3,
      seen: 6,
      recentAnswers: 0,
      recentRight: 0,
      first: '2026-01-12T09:00:00.000Z',
      last: '2026-01-12T09:30:00.000Z',
    },
  ],
  weeks: [
    { topic: 'databases-sql', ago: 0, answers: 4, right: 3 },
    { topic: 'databases-sql', ago: 1, answers: 8, right: 5 },
    { topic: 'databases-sql', ago: 11, answers: 10, right: 2 },
    { topic: 'http-apis', ago: 2, answers: 10, right: 10 },
    { topic: 'http-apis', ago: 3, answers: 4, right: 0 },
  ],
  banks: new Map([
    ['http-apis', { questions: 52, due: 2 }],
    ['databases-sql', { questions: 49, due: 7 }],
  ]),
};

describe('progress', () => {
  const p = buildProgress(input);

  it('puts the weakest topics first: by the last 30 days, else overall', () => {
    // sql 8/12 = 66.7 lately; queues 3/6 = 50 overall (nothing lately); http 9/10 = 90 lately.
    expect(p.topics.map((t) => [t.topic, t.recent.rightPercent, t.rightPercent])).toEqual([
      ['messaging-streaming-and-event-sourcing', null, 50],
      ['databases-sql', 66.7, 40],
      ['http-apis', 90, 85],
    ]);
  });

  it('has twelve calendar weeks (Monday to Monday, UTC), oldest first, the last one this week', () => {
    expect(weeksEnd(now).toISOString()).toBe('2026-03-30T00:00:00.000Z');
    expect(weeksEnd(new Date('2026-03-23T00:00:00.000Z')).toISOString()).toBe('2026-03-30T00:00:00.000Z');
    expect(weeksEnd(new Date('2026-03-29T23:59:59.000Z')).toISOString()).toBe('2026-03-30T00:00:00.000Z');
    const sql = p.topics[1]!;
    expect(sql.weeks.map((w) => w.start)).toEqual([
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
      '2026-02-02',
      '2026-02-09',
      '2026-02-16',
      '2026-02-23',
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
      '2026-03-23',
    ]);
    expect(sql.weeks[0]).toEqual({ start: '2026-01-05', answers: 10, right: 2, rightPercent: 20 });
    expect(sql.weeks.slice(-2)).toEqual([
      { start: '2026-03-16', answers: 8, right: 5, rightPercent: 62.5 },
      { start: '2026-03-23', answers: 4, right: 3, rightPercent: 75 },
    ]);
    expect(p.total.weeks.map((w) => w.answers)).toEqual([10, 0, 0, 0, 0, 0, 0, 0, 4, 10, 8, 4]);
  });

  it('totals every topic, counting bank questions only for topics the banks still have', () => {
    expect(p.total).toMatchObject({
      questions: 101,
      seen: 44,
      answers: 76,
      right: 49,
      rightPercent: 64.5,
      due: 9,
      recent: { answers: 22, right: 17, rightPercent: 77.3 },
    });
    expect(p.topics[0]).toMatchObject({ questions: null, due: 0 });
    expect(p.firstAnswer).toBe('2026-01-05T09:00:00.000Z');
    expect(p.lastAnswer).toBe('2026-03-25T09:00:00.000Z');
  });

  it('draws a week as a block from ▁ (none right) to █ (all right), and · for no answers', () => {
    const w = (rightPercent: number | null) => ({ answers: rightPercent === null ? 0 : 1, right: 0, rightPercent });
    expect(sparkline([w(0), w(14.3), w(50), w(85.7), w(100), w(null)])).toBe('▁▂▅▇█·');
  });

  it('renders a chart that fits 80 columns, with colour only when asked for', async () => {
    const plain = renderProgress(p, PLAIN);
    await expect(`${plain}\n`).toMatchFileSnapshot('../fixtures/reports/progress.txt');
    for (const line of plain.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    const coloured = renderProgress(p, makePaint(true));
    expect(coloured).toMatch(/\u001b\[31m█{4}░{6}\u001b\[39m/); // 40% in red
    expect(stripAnsi(coloured)).toBe(plain);
    expect(renderProgress(buildProgress({ ...input, totals: [], weeks: [] }), PLAIN)).toBe(
      'No answers yet for ann. Start with: backend-quiz practice',
    );
  });

  it('cuts a topic name only when the row would not fit the terminal, and then at its end', () => {
    const long = p.topics[0]!.topic; // messaging-streaming-and-event-sourcing
    const wide = renderProgress(p, PLAIN, 120);
    expect(wide).toContain(`${long} `);
    const narrow = renderProgress(p, PLAIN, 70).split('\n');
    // The table's rows; the legend under it is prose of its own.
    for (const line of narrow.filter((l) => l.includes('░'))) expect([...line].length).toBeLessThanOrEqual(70);
    const row = narrow.find((l) => l.startsWith('messaging'))!;
    expect(row).toMatch(/^messaging-stre…\s/);
    expect(renderProgress(p, PLAIN, 80)).toMatch(/^databases-sql\s/m);
  });

  it('matches its JSON Schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', 'stats.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    for (const value of [progressJson(p), progressJson(buildProgress({ ...input, totals: [], weeks: [] }))]) {
      expect(validate(value), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    }
  });
});

describe('stats from the store', () => {
  it("counts a candidate's answers per topic and week, whoever else answered", async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    let t = Date.parse('2026-03-02T09:00:00.000Z');
    const clock = () => new Date((t += 1000));
    const base = { banks: [path.join(fixtures, 'banks', 'valid')], db, env: {}, cwd: dir, topic: ['fixture'], count: 5, now: clock };
    const answers = (wrongKeys: string[]) => async () => ({
      ask: async (item: { question: Parameters<typeof rightAnswer>[0] }) =>
        wrongKeys.includes(item.question.key) ? undefined : rightAnswer(item.question),
    });
    await take({
      ...base,
      stdout: new Capture(),
      candidate: 'ann',
      seed: 1,
      interactive: answers(['fixture/sky-blue', 'fixture/pick-two']),
    });
    t += 7 * 86_400_000;
    await take({ ...base, stdout: new Capture(), candidate: 'ann', seed: 2, interactive: answers(['fixture/sky-blue']) });
    await take({ ...base, stdout: new Capture(), candidate: 'bob', seed: 3, interactive: answers([]) });
    const out = new Capture();
    await stats({ ...base, stdout: out, candidate: 'ann', json: true, now: () => new Date('2026-03-12T12:00:00.000Z') });
    const json = JSON.parse(out.text);
    expect(json.topics).toHaveLength(1);
    // Due on the 12th: sky-blue, missed again on the 9th, and pick-two, right on the 9th after a
    // miss, which earns three days.
    expect(json.topics[0]).toMatchObject({
      topic: 'fixture',
      questions: 5,
      seen: 5,
      answers: 10,
      right: 7,
      rightPercent: 70,
      due: 2,
      recent: { answers: 10, right: 7 },
    });
    expect(json.topics[0].weeks.slice(-2)).toEqual([
      { start: '2026-03-02', answers: 5, right: 3, rightPercent: 60 },
      { start: '2026-03-09', answers: 5, right: 4, rightPercent: 80 },
    ]);
  });

  it.each(Object.entries(PROGRESS_SQL))('%s is served by the candidate index', (_name, sql) => {
    const db = openStore(':memory:');
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ candidate: 'ann', recent: '', start: '', end: '' }) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH s USING INDEX sessions_candidate \(candidate=\?\)/);
    expect(plan).toMatch(/SEARCH a USING PRIMARY KEY \(session_id=\?\)/);
    expect(plan).not.toMatch(/SCAN (s|a|sq)\b/);
    db.close();
  });
});
