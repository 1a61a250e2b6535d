// The interviewer's side of a hands-on assessment, end to end: seal a pack with SQL and code tasks,
// a candidate sits it, `import --key` grades the answers from the key, and every report format
// shows each task's tests, runs, time and the answer as submitted, a hostile one as plain text.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPack, packExpectations, packItems, readPack, type OpenPack } from '../../src/assessment/pack.js';
import { writeResult } from '../../src/assessment/result.js';
import type { Bank, Task } from '../../src/bank/types.js';
import { run as importCmd } from '../../src/commands/import.js';
import { run as report } from '../../src/commands/report.js';
import { packSittingInfo } from '../../src/take/assessment.js';
import { findChromium } from '../browser.js';
import { Capture, aBank, root, tmpDir } from '../helpers.js';
import { htmlProblems } from '../html-check.js';
import { resultOfSitting } from '../sitting-builders.js';
import { aCodeTask, aSqlTask, aTaskAssessment } from '../task-builders.js';

const sql = aSqlTask({ id: 'order-counts' });
const code = aCodeTask({ id: 'add' });
const banks: Bank[] = [aBank('databases', [sql]), aBank('http-apis', [code]), aBank('alpha', 2)];
const a = aTaskAssessment('hands-on', 1, ['form: fixed', 'pass_mark: 50']);

// Closes the code block it is shown in, then tries to run; and holds a longer backtick run than a Markdown fence.
const HOSTILE = 'function add(a, b) {\n  return a + b; // </code></pre><script>window.__pwned=1</script> ````\n}\n';
const CANDIDATES: { name: string; sql: string; code: string }[] = [
  { name: 'Ada', sql: sql.solution, code: HOSTILE },
  // Hard-codes the visible sample: the hidden data sets catch it.
  { name: 'Linus', sql: "SELECT 'Ada' AS name, 2 AS orders UNION ALL SELECT 'Linus', 0", code: 'function add(a, b) { return a * b }' },
];

const dir = tmpDir('bq-chain-');
const db = path.join(dir, 'interviewer.db');
const base = { db, env: {}, cwd: dir, stderr: new Capture(), now: () => new Date('2026-06-02T09:00:00Z') };
const out = async (f: (o: { stdout: Capture }) => Promise<number>): Promise<{ exit: number; text: string }> => {
  const stdout = new Capture();
  const exit = await f({ stdout });
  return { exit, text: stdout.text };
};

beforeAll(async () => {
  // What `assessment pack --key-out` writes: the pack for candidates, the key for import.
  const sealed = buildPack(a, banks, undefined, undefined, await packExpectations(a, banks));
  fs.writeFileSync(path.join(dir, 'hands-on.pack.json'), JSON.stringify(sealed.pack, null, 2));
  fs.writeFileSync(path.join(dir, 'hands-on.key.json'), JSON.stringify(sealed.key, null, 2));
  // Each candidate sits the pack as sent, on a machine of their own.
  const pack = readPack(fs.readFileSync(path.join(dir, 'hands-on.pack.json'), 'utf8'), 'hands-on.pack.json') as OpenPack;
  for (const [i, c] of CANDIDATES.entries()) {
    const r = await resultOfSitting(packItems(pack, 0), {
      seed: 0,
      info: packSittingInfo(pack),
      definition: null,
      taskAnswer: (q: Task) => (q.type === 'sql' ? c.sql : c.code),
    });
    r.session.candidate = c.name;
    r.session.id = `sess${i}abcd`;
    const { digest: _d, ...body } = r;
    const { contentDigest } = await import('../../src/assessment/digest.js');
    writeResult({ file: path.join(dir, 'results', `${c.name}.result.json`) }, { ...body, digest: contentDigest(body) });
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pack → sitting → import --key → report', () => {
  it('imports every result, graded from the key', async () => {
    const r = await out((o) => importCmd(['results'], { ...base, ...o, key: ['hands-on.key.json'] }));
    expect(r.text).toContain('Imported 2 results, 1 key file, 0 already present, 0 refused.');
    expect(r.exit).toBe(0);
  });

  it('JSON: each task with its graded tests, valid against the report schema', async () => {
    const json = JSON.parse((await out((o) => report([], { ...base, ...o, assessment: 'hands-on', format: 'json' }))).text);
    const schema = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
      JSON.parse(fs.readFileSync(path.join(root, 'schema', 'report.schema.json'), 'utf8')),
    );
    expect(schema(json), JSON.stringify(schema.errors)).toBe(true);
    const task = (name: string, type: string) =>
      json.candidates
        .find((c: { candidate: string }) => c.candidate === name)
        .answers.find((x: { key: string }) =>
          json.questions.some((q: { key: string; type: string }) => q.key === x.key && q.type === type),
        );
    expect(task('Ada', 'sql').task).toMatchObject({ visible: { passed: 1, total: 1 }, hidden: { passed: 2, total: 2 }, share: 1, runs: 1 });
    expect(task('Ada', 'sql').points).toBe(3);
    expect(task('Ada', 'code').given).toBe(HOSTILE);
    expect(task('Ada', 'code').task.tests.map((t: { passed: boolean }) => t.passed)).toEqual([true, true, true]);
    // Visible sample right (weight 1 of 4): a quarter of the points.
    expect(task('Linus', 'sql').task).toMatchObject({ visible: { passed: 1, total: 1 }, hidden: { passed: 0, total: 2 }, share: 0.25 });
    expect(task('Linus', 'sql').points).toBe(0.75);
    expect(task('Linus', 'sql').task.tests.filter((t: { reason?: string }) => t.reason).length).toBe(2);
    expect(task('Linus', 'code').task.visible).toEqual({ passed: 0, total: 2 });
    // The item analysis reads a task's share of tests as its item score (needs enough candidates to show).
    expect(json.itemAnalysis.enoughData).toBe(false);
  });

  it('CSV: a score column per task', async () => {
    const csv = (await out((o) => report([], { ...base, ...o, assessment: 'hands-on', format: 'csv' }))).text.split('\r\n');
    const head = csv[0]!.split(',');
    const cols = head.flatMap((h, i) => (h.startsWith('task:') ? [i] : []));
    expect(cols.map((i) => head[i])).toEqual(['task:databases/order-counts', 'task:http-apis/add']);
    const row = (name: string) => csv.find((l) => l.split(',')[1] === name)!.split(',');
    expect(cols.map((i) => row('Ada')[i])).toEqual(['3', '3']);
    expect(cols.map((i) => row('Linus')[i])).toEqual(['0.75', '0']);
  });

  it('Markdown: tests and runs per task, the answer fenced by more backticks than it holds', async () => {
    const md = (await out((o) => report([], { ...base, ...o, assessment: 'hands-on', format: 'md' }))).text;
    expect(md).toContain('tests 1/1 visible, 2/2 hidden · 1 run');
    expect(md).toContain('tests 1/1 visible, 0/2 hidden · 1 run');
    expect(md).toContain(`\`\`\`\`\`\n${HOSTILE}\n\`\`\`\`\``);
    expect(md).toMatch(/✘ hidden test no orders at all: /);
  });

  it('text: tests, failed tests with their reasons, and the answer line for line', async () => {
    const text = (await out((o) => report([], { ...base, ...o, assessment: 'hands-on' }))).text;
    expect(text).toContain('Tests: tests 2/2 visible, 1/1 hidden · 1 run');
    expect(text).toMatch(/✘ visible test add\(1, 2\): got 2, expected 3/);
    expect(text).toContain('Given: function add(a, b) { return a * b }');
  });

  describe('HTML', () => {
    let html: string;
    beforeAll(async () => {
      html = (await out((o) => report([], { ...base, ...o, assessment: 'hands-on', format: 'html' }))).text;
    });

    it('passes the validator, with the answer in an escaped code block', async () => {
      expect(await htmlProblems(html)).toEqual([]);
      expect(html).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;');
      expect(html).not.toContain('<script>window.__pwned');
      expect(html).toContain('tests 2/2 visible, 1/1 hidden · 1 run');
    });

    const CHROMIUM = findChromium();
    it.runIf(CHROMIUM !== undefined)('renders in Chromium with the hostile answer as text, running nothing', async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
      try {
        const file = path.join(dir, 'report.html');
        fs.writeFileSync(file, html);
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        expect(await page.evaluate('window.__pwned')).toBeUndefined();
        expect(await page.evaluate('document.scripts.length')).toBe(0);
        const codes = (await page.locator('#details pre code').allInnerTexts()).map((t) => t.trim());
        expect(codes).toContain(HOSTILE.trim());
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  });
});
