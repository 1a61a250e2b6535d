// The task engines as built: dist/tasks/index.js with its Worker, and the Worker entry the bundle
// in cli/ starts (cli/task-worker.cjs, with the engines' packages left outside the bundle). Each
// runs in a fresh node that imports nothing from src.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tmpDir } from '../helpers.js';

function runScript(name: string, source: string): unknown {
  const dir = tmpDir('bq-tasks-e2e-');
  const file = path.join(dir, name);
  fs.writeFileSync(file, source);
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  // Nothing but the script itself is left in the directory it ran in.
  expect(fs.readdirSync(dir)).toEqual([name]);
  return JSON.parse(r.stdout);
}

const limits = { timeMs: 2000, memoryMb: 64, outputKb: 256, answerKb: 20 };
const sqlTask = {
  key: 'db/counts',
  type: 'sql',
  dialect: 'sqlite',
  schema: 'CREATE TABLE t (a INTEGER);',
  data: 'INSERT INTO t VALUES (1), (2);',
  hiddenData: [{ name: 'hidden', weight: 2, data: 'INSERT INTO t VALUES (5);' }],
  solution: 'SELECT sum(a) FROM t',
  compare: { order: false, columns: false, tolerance: 1e-9 },
  limits,
};
const codeTask = {
  key: 'js/add',
  type: 'code',
  language: 'typescript',
  function: 'add',
  tests: [{ name: 'adds', weight: 1, args: [1, 2], expect: 3 }],
  hiddenTests: [{ name: 'hidden', weight: 1, assert: 'assertEqual(add(2, 2), 4)' }],
  solution: '',
  limits,
};

describe('dist/tasks/index.js', () => {
  it('grades SQLite, TypeScript and Postgres tasks, stops a runaway, and leaves no file behind', () => {
    const index = path.join(root, 'dist', 'tasks', 'index.js');
    const out = runScript(
      'grade.mjs',
      `import { gradeOf, runTask } from ${JSON.stringify(index)};
const sql = ${JSON.stringify(sqlTask)};
const code = ${JSON.stringify(codeTask)};
const limits = ${JSON.stringify(limits)};
const pass = (run) => run.tests.map((t) => t.passed);
const reasons = (run) => run.tests.map((t) => t.reason ?? null);
const out = {
  sql: pass(await runTask(sql, 'SELECT 1 + 2 UNION ALL SELECT 0 WHERE 0', { hidden: true })),
  sqlGrade: gradeOf(await runTask(sql, 'SELECT 3', { hidden: true })),
  code: pass(await runTask(code, 'export function add(a: number, b: number): number {\\n  return a + b;\\n}', { hidden: true })),
  codeError: (await runTask(code, 'function add(a: number) {\\n  return a.b.c;\\n}', { hidden: false })).tests[0].error,
  loop: reasons(await runTask({ ...code, limits: { ...limits, timeMs: 300 } }, 'function add() { for (;;) {} }', { hidden: true })),
  postgres: pass(await runTask({ ...sql, dialect: 'postgres', schema: 'CREATE TABLE t (a integer);' }, 'SELECT sum(a)::int FROM t', { hidden: true })),
};
console.log(JSON.stringify(out));
`,
    );
    expect(out).toEqual({
      sql: [true, false],
      sqlGrade: {
        tests: [
          { name: 'sample data', hidden: false, weight: 1, passed: true },
          { name: 'hidden', hidden: true, weight: 2, passed: false, reason: 'row 1 is not among the expected rows' },
        ],
      },
      code: [true, true],
      codeError: { message: "TypeError: cannot read property 'c' of undefined", line: 2, col: 13 },
      loop: ['time limit 300 ms exceeded', 'time limit 300 ms exceeded'],
      postgres: [true, true],
    });
  });
});

describe('cli/task-worker.cjs', () => {
  it('is where the bundled host looks for it, and runs every kind of job', () => {
    // src/tasks/host.ts: from a bundle chunk (cli/*.cjs) the Worker entry is task-worker.cjs beside it.
    const worker = path.join(root, 'cli', 'task-worker.cjs');
    expect(fs.existsSync(worker)).toBe(true);
    const out = runScript(
      'worker.cjs',
      `const { Worker } = require('node:worker_threads');
const w = new Worker(${JSON.stringify(worker)});
const limits = ${JSON.stringify(limits)};
let id = 0;
const job = (j) => new Promise((resolve) => {
  const mine = ++id;
  const on = (m) => { if (m.id === mine && 'result' in m) { w.off('message', on); resolve(m.result); } };
  w.on('message', on);
  w.postMessage({ id: mine, job: { ...j, limits } });
});
(async () => {
  const sql = { kind: 'sql', dialect: 'sqlite', schema: 'CREATE TABLE t (a);', data: 'INSERT INTO t VALUES (1);', query: 'SELECT a, x\\'ff\\' FROM t' };
  const out = {
    sqlite: await job(sql),
    tables: await job({ kind: 'tables', dialect: 'sqlite', schema: sql.schema, data: sql.data }),
    javascript: await job({ kind: 'code', language: 'javascript', code: 'function f(a) { return { a } }', fn: 'f', args: [1] }),
    typescript: await job({ kind: 'code', language: 'typescript', code: 'const f = (a: number): number => a * 2;', fn: 'f', args: [21] }),
    postgres: await job({ ...sql, dialect: 'postgres', schema: 'CREATE TABLE t (a int);', query: "SELECT a, '2026-01-02'::date FROM t", pgDump: ${JSON.stringify(path.join(root, 'dist', 'pglite-datadir.tar.gz'))} }),
  };
  await w.terminate();
  console.log(JSON.stringify(out));
})();
`,
    );
    expect(out).toEqual({
      sqlite: { ok: true, rows: { columns: ['a', "x'ff'"], rows: [[1, 'ff']] } },
      tables: { ok: true, tables: [{ name: 't', columns: [{ name: 'a', type: '' }], rows: { columns: ['a'], rows: [[1]] } }] },
      javascript: { ok: true, value: '{"a":1}' },
      typescript: { ok: true, value: '42' },
      postgres: { ok: true, rows: { columns: ['a', 'date'], rows: [[1, '2026-01-02']] } },
    });
  });
});
