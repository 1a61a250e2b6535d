// The whole hands-on chain on the built program, as an interviewer and a candidate meet it: seal a
// pack of a SQL and a code task, sit it in a real pseudo-terminal (edit, run, submit, Ctrl-C,
// resume with the draft), import the result with the key, and read the HTML report.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tmpDir } from '../helpers.js';
import { htmlProblems } from '../html-check.js';
import { CODE_TASK, SQL_TASK, writeTaskBank } from '../fixtures/tasks/tasks.js';
import { KEY, Terminal } from './terminal.js';

// Right on the visible data, wrong on the hidden data set where nobody ordered anything.
const SQL_PARTIAL = "SELECT 'Ada' AS name, 2 AS orders UNION ALL SELECT 'Linus', 1 UNION ALL SELECT 'Grace', 0 -- <b>&amp;</b>";
// Right on both visible tests, wrong on the hidden one with negative numbers.
const CODE_PARTIAL = 'function sumList(xs) {\n  let s = 0;\n  for (const x of xs) if (x > 0) s += x; // x < 0 && "<b>"\n  return s;\n}';
const SQL_DRAFT = 'SELECT name FROM customers;';
const SQL_RIGHT = 'SELECT c.name, count(o.id) AS orders\nFROM customers c LEFT JOIN orders o ON o.customer_id = c.id\nGROUP BY c.id;';
const CODE_DRAFT = 'function sumList(xs) {\n  return 0;\n}';
const CODE_RIGHT = 'function sumList(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}';

const MENU = '↑↓ navigate • ⏎ select';
const ORDER = ['edit', 'run', 'submit'];

/** Chooses Edit, Run or Submit in the task menu: its default is Edit before any answer and Run after. */
async function act(t: Terminal, from: number, action: 'edit' | 'run' | 'submit', touched: boolean): Promise<number> {
  const at = await t.waitFor(MENU, from);
  const moves = ORDER.indexOf(action) - (touched ? 1 : 0);
  t.press(...Array(Math.max(0, moves)).fill(KEY.down), ...Array(Math.max(0, -moves)).fill(KEY.up), KEY.enter);
  return at + MENU.length;
}

/** Edits through the menu and waits for the menu drawn after the editor returns. */
async function edit(t: Terminal, from: number, touched: boolean): Promise<number> {
  const after = await t.waitFor('› Your answer', await act(t, from, 'edit', touched));
  return t.waitFor(MENU, after);
}

describe('hands-on tasks: pack → sitting in a terminal → import --key → HTML report', () => {
  it('grades the submitted answers from the key, partial credit included, and reports them escaped', async () => {
    const dir = tmpDir('bq-tasks-pack-');
    const banks = writeTaskBank(dir);
    const editor = path.join(dir, 'editor.sh');
    const answerFile = path.join(dir, 'answer.txt');
    const seenFile = path.join(dir, 'seen.txt');
    fs.writeFileSync(editor, `#!/bin/sh\ncp "$1" "${seenFile}"\ncat "${answerFile}" > "$1"\n`, { mode: 0o755 });
    const write = (text: string) => fs.writeFileSync(answerFile, text);
    const seen = () => fs.readFileSync(seenFile, 'utf8');

    // The interviewer's machine: its own results database, the bank only there.
    const interviewerDb = path.join(dir, 'interviewer.db');
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'backend-quiz.js'), ...args], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', CI: '', BACKEND_QUIZ_DB: interviewerDb, XDG_CACHE_HOME: path.join(dir, 'cache') },
        encoding: 'utf8',
      });
      return { code: r.status, out: r.stdout + r.stderr };
    };

    // 1. Seal the pack.
    fs.writeFileSync(
      path.join(dir, 'hands-on.yaml'),
      ['assessment: hands-on', 'title: Hands-on', 'sections:', '  - topic: tasks', '    count: 2', '    tasks: true'].join('\n'),
    );
    const packed = cli([
      '--banks',
      banks,
      'assessment',
      'pack',
      'hands-on.yaml',
      '-o',
      'hands-on.pack.json',
      '--key-out',
      'hands-on.key.json',
    ]);
    expect(packed.out).toContain("Sealed 'hands-on' into hands-on.pack.json");
    expect(packed.code).toBe(0);
    const pack = fs.readFileSync(path.join(dir, 'hands-on.pack.json'), 'utf8');
    const key = fs.readFileSync(path.join(dir, 'hands-on.key.json'), 'utf8');
    // The pack carries the starters and visible tests, never the solutions nor anything hidden.
    expect(pack).toContain(JSON.stringify(CODE_TASK.starter));
    expect(pack).toContain('sumList([1,2,3])');
    for (const secret of [SQL_TASK.solution, CODE_TASK.solution, SQL_TASK.hiddenData[0]!.data, CODE_TASK.hiddenTests[0]!.assert]) {
      expect(pack).not.toContain(JSON.stringify(secret).slice(1, -1));
      expect(key).toContain(JSON.stringify(secret).slice(1, -1));
    }
    for (const word of ['Edsger', 'negative numbers', 'hidden_data', 'hiddenData', 'hiddenTests', 'solution'])
      expect(pack).not.toContain(word);

    // 2. The candidate's machine: a database of its own, no bank, the pack alone.
    const candidate = {
      EDITOR: editor,
      VISUAL: '',
      BACKEND_QUIZ_DB: path.join(dir, 'candidate.db'),
      XDG_CACHE_HOME: path.join(dir, 'candidate-cache'),
    };
    const resultDir = path.join(dir, 'results');
    const take = ['take', 'hands-on.pack.json', '--candidate', 'ada', '--result-dir', resultDir];
    const given: Record<'sql' | 'code', string> = { sql: '', code: '' };
    let first: 'sql' | 'code';
    let second: 'sql' | 'code';
    let id: string;
    const t = new Terminal(take, candidate, 100, 40, dir);
    try {
      await t.waitFor('Press Enter to start');
      t.press(KEY.enter);
      // The first task: an answer right on the visible tests and wrong on a hidden one.
      let start = await t.waitFor('Question 1/2 · tasks');
      let end = await t.waitFor(MENU, start);
      first = t.text.slice(start, end).includes('Tables (SQLite)') ? 'sql' : 'code';
      second = first === 'sql' ? 'code' : 'sql';
      given[first] = first === 'sql' ? SQL_PARTIAL : CODE_PARTIAL;
      write(given[first]);
      let from = await edit(t, start, false);
      expect(seen()).toBe(first === 'sql' ? SQL_TASK.starter : CODE_TASK.starter);
      from = await act(t, from, 'run', true);
      const ran = await t.waitFor(/Run: \d of \d visible tests? passed/, from);
      from = await t.waitFor(MENU, ran);
      expect(t.text.slice(ran, from)).toContain(first === 'sql' ? 'Run: 1 of 1 visible test passed' : 'Run: 2 of 2 visible tests passed');
      // The hidden tests stay in the key: a run names none of them.
      expect(t.text.slice(ran, from)).not.toMatch(/hidden|Edsger|negative/i);
      await act(t, from, 'submit', true);
      // The second task: a draft, then Ctrl-C.
      start = await t.waitFor('Question 2/2 · tasks');
      end = await t.waitFor(MENU, start);
      expect(t.text.slice(start, end).includes('Tables (SQLite)')).toBe(second === 'sql');
      write(second === 'sql' ? SQL_DRAFT : CODE_DRAFT);
      await edit(t, start, false);
      t.press(KEY.ctrlC);
      expect(await t.exited).toBe(130);
      id = /--resume (\w+)/.exec(t.text)![1]!;
      // A sealed sitting shows no score, not even per run.
      expect(t.text).not.toMatch(/Score|points|\d+%/);
    } finally {
      t.kill();
    }
    expect(fs.existsSync(resultDir) ? fs.readdirSync(resultDir) : []).toEqual([]);

    const r = new Terminal(['take', '--resume', id, '--result-dir', resultDir], candidate, 100, 40, dir);
    try {
      await r.waitFor('Press Enter to continue');
      r.press(KEY.enter);
      const start = await r.waitFor(/Your draft is restored \(\d+ lines?, 0 runs\)\./);
      given[second] = second === 'sql' ? SQL_RIGHT : CODE_RIGHT;
      write(given[second]);
      const from = await edit(r, start, true);
      expect(seen()).toBe(second === 'sql' ? SQL_DRAFT : CODE_DRAFT);
      await act(r, from, 'submit', true);
      await r.waitFor('result.json');
      expect(await r.exited).toBe(0);
      expect(r.text).not.toMatch(/Score|\d+%/);
    } finally {
      r.kill();
    }
    const results = fs.readdirSync(resultDir);
    expect(results).toHaveLength(1);
    const result = fs.readFileSync(path.join(resultDir, results[0]!), 'utf8');
    expect(result).not.toContain(JSON.stringify(CODE_TASK.solution).slice(1, -1));
    expect(result).not.toMatch(/Edsger|negative numbers/);

    // 3. Back on the interviewer's machine: import with the key, then the HTML report.
    const imported = cli(['import', '--key', 'hands-on.key.json', resultDir]);
    expect(imported.out).toContain('Imported 1 result, 1 key file, 0 already present, 0 refused.');
    expect(imported.code).toBe(0);
    const json = JSON.parse(cli(['report', '--assessment', 'hands-on', '--format', 'json']).out);
    const answers = json.candidates[0].answers as { given: string; points: number; task: { share: number } }[];
    const byGiven = (s: string) => answers.find((x) => x.given === s)!;
    // Partial credit from the hidden test or data set only the key holds: SQL 1 of 2 data sets, code 2 of 3 tests.
    expect(byGiven(given[first]).points).toBeCloseTo(first === 'sql' ? 1.5 : 4 / 3);
    expect(byGiven(given[second]).points).toBe(second === 'sql' ? SQL_TASK.points : CODE_TASK.points);

    const reported = cli(['report', '--assessment', 'hands-on', '--format', 'html', '-o', 'r.html']);
    expect(reported.code).toBe(0);
    const html = fs.readFileSync(path.join(dir, 'r.html'), 'utf8');
    expect(await htmlProblems(html)).toEqual([]);
    const sqlTests = given.sql === SQL_PARTIAL ? 'tests 1/1 visible, 0/1 hidden · 1 run' : 'tests 1/1 visible, 1/1 hidden · 0 runs';
    const codeTests = given.code === CODE_PARTIAL ? 'tests 2/2 visible, 0/1 hidden · 1 run' : 'tests 2/2 visible, 1/1 hidden · 0 runs';
    expect(html).toContain(sqlTests);
    expect(html).toContain(codeTests);
    expect(html).toContain(esc(given.sql));
    expect(html).toContain(esc(given.code));
    expect(html).not.toContain('-- <b>');
    expect(html).toContain(first === 'sql' ? '✘ hidden test no orders at all' : '✘ hidden test negative numbers');
    expect(html.match(/◐ partly right/g)).toHaveLength(1);
    expect(html.match(/✔ right/g)).toHaveLength(1);
  }, 240_000);
});

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
