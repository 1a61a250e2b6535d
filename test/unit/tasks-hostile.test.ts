// Hostile submissions: each fails its tests with the reason, writes nothing outside the sandbox,
// and leaves the engines working for the next answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskLimits } from '../../src/bank/types.js';
import { runTask } from '../../src/tasks/index.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

const limits: TaskLimits = { timeMs: 1000, memoryMb: 64, outputKb: 256, answerKb: 20 };
const codeTask = aCodeTask({
  limits,
  tests: [{ name: 'adds', weight: 1, args: [1, 2], expect: 3 }],
  hiddenTests: [{ name: 'hidden', weight: 1, args: [2, 2], expect: 4 }],
});
const sqlTask = aSqlTask({ limits });

// The places a submission aims at: a file it names on the host, a sentinel it might overwrite,
// and the directories where a stray file would appear.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-hostile-'));
const target = path.join(work, 'x.db');
const sentinel = path.join(work, 'sentinel.txt');
// Straight under the temporary directory, which exists inside sql.js's in-memory file system too.
const inTmp = path.join(os.tmpdir(), `bq-hostile-${process.pid}-${Date.now()}.db`);
const listing = (dir: string): string[] => fs.readdirSync(dir).sort();
let cwdBefore: string[];
let workBefore: string[];

beforeAll(async () => {
  fs.writeFileSync(sentinel, 'untouched');
  // The first run builds and starts what every later one reuses, before the listings are taken.
  await runTask(sqlTask, sqlTask.solution, { hidden: false });
  await runTask(codeTask, codeTask.solution, { hidden: false });
  cwdBefore = listing(process.cwd());
  workBefore = listing(work);
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function expectStillWorking(): Promise<void> {
  const sql = await runTask(sqlTask, sqlTask.solution, { hidden: true });
  expect(sql.tests.every((t) => t.passed)).toBe(true);
  const code = await runTask(codeTask, codeTask.solution, { hidden: true });
  expect(code.tests.every((t) => t.passed)).toBe(true);
  expect(fs.readFileSync(sentinel, 'utf8')).toBe('untouched');
  expect(listing(work)).toEqual(workBefore);
  expect(listing(process.cwd())).toEqual(cwdBefore);
  expect(fs.existsSync(target)).toBe(false);
  expect(fs.existsSync(inTmp)).toBe(false);
}

describe('hostile JavaScript', () => {
  it.each([
    ['an endless loop', 'function add() { for (;;) {} }', 'time limit 1 s exceeded'],
    ['an endless loop at the top level', 'for (;;) {}\nfunction add(a, b) { return a + b }', 'time limit 1 s exceeded'],
    ['a memory bomb', 'function add() { const a = []; for (;;) a.push(new Array(1e6).fill(1)) }', 'memory limit 64 MB exceeded'],
    [
      'a memory bomb of strings',
      'function add() { const s = "x".repeat(1 << 20); const a = []; for (;;) a.push(s + a.length) }',
      'memory limit 64 MB exceeded',
    ],
    [
      'a string doubled without end',
      'function add() { let s = "x"; for (;;) s = s + s }',
      /^(memory limit 64 MB exceeded|InternalError: string too long \(line 1, col \d+\))$/,
    ],
    [
      'require',
      "const fs = require('fs');\nfunction add(a, b) { return a + b }",
      "ReferenceError: 'require' is not defined (line 1, col 12)",
    ],
    ['process.exit()', 'function add() { process.exit(0) }', "ReferenceError: 'process' is not defined (line 1, col 18)"],
    [
      'import()',
      "function add() { return import('fs').then((fs) => fs.writeFileSync('x', 'y')) }",
      "ReferenceError: could not load module 'fs'",
    ],
    ['a static import', "import fs from 'fs';\nfunction add(a, b) { return a + b }", "ReferenceError: could not load module 'fs'"],
    [
      'globalThis.process',
      'function add() { return globalThis.process.env }',
      /^TypeError: cannot read property 'env' of undefined \(line 1, col \d+\)$/,
    ],
    [
      'the Function constructor reaching for process',
      "function add() { return this.constructor.constructor('return process')().env }",
      /^ReferenceError: 'process' is not defined/,
    ],
    [
      "Function('return this')().require",
      "function add() { return Function('return this')().require('fs') }",
      /^TypeError: not a function/,
    ],
    ['__dirname', 'function add() { return __dirname }', "ReferenceError: '__dirname' is not defined (line 1, col 25)"],
    ['a getter that never returns', 'function add() { return { get x() { for (;;) {} } } }', 'time limit 1 s exceeded'],
    ['a getter that throws', "function add() { return { get x() { throw new Error('boom') } } }", /^Error: boom/],
    [
      'a Proxy whose traps never return',
      'function add() { return new Proxy({}, { ownKeys() { for (;;) {} } }) }',
      'time limit 1 s exceeded',
    ],
    [
      'a Proxy that lies about its keys',
      "function add() { return new Proxy({}, { ownKeys: () => ['a', 'a'], getOwnPropertyDescriptor: () => ({ value: 3, enumerable: true, configurable: true }) }) }",
      /^(got .*, expected 3|TypeError.*)$/,
    ],
    ['a circular value', 'function add() { const a = [1]; a.push(a); return a }', /^got \[1,"\[Circular\]"\], expected [34]$/],
    ['a value too large to return', 'function add() { return "x".repeat(300 * 1024) }', 'output limit 256 KB exceeded'],
    ['a promise that never settles', 'function add() { return new Promise(() => {}) }', 'the returned promise never settled'],
    [
      'a tampered Promise.prototype.then',
      'Promise.prototype.then = function () { return 3 };\nfunction add() { return 7 }',
      /^(got 7, expected [34]|the returned promise never settled)$/,
    ],
  ])('%s', async (_name, answer, reason) => {
    // Memory bombs get a deadline far away, so that the memory limit is what stops them.
    const run = await runTask(/memory|doubled/.test(_name) ? { ...codeTask, limits: { ...limits, timeMs: 60_000 } } : codeTask, answer, {
      hidden: true,
    });
    for (const t of run.tests) {
      expect(t.passed).toBe(false);
      if (typeof reason === 'string') expect(t.reason).toBe(reason);
      else expect(t.reason).toMatch(reason);
    }
    await expectStillWorking();
  });
});

describe('hostile SQL (SQLite)', () => {
  it.each([
    [
      'ATTACH a file on the host',
      `ATTACH DATABASE '${target}' AS x; CREATE TABLE x.t (a, b); INSERT INTO x.t VALUES (1, 2); SELECT * FROM x.t`,
      `unable to open database: ${target} (line 1, col 1)`,
    ],
    [
      'ATTACH a file in the temporary directory',
      `ATTACH DATABASE '${inTmp}' AS x; CREATE TABLE IF NOT EXISTS x.t (a, b); INSERT INTO x.t VALUES (1, 2); SELECT * FROM x.t`,
      /^(row 1 is not among the expected rows|\d rows?; expected \d)$/,
    ],
    [
      'VACUUM INTO the temporary directory',
      `VACUUM INTO '${inTmp}.v'`,
      /^(0 columns; expected 2|output file already exists \(line 1, col 1\))$/,
    ],
    ['VACUUM INTO a file on the host', `VACUUM INTO '${target}'`, `unable to open database: ${target} (line 1, col 1)`],
    ['load_extension', "SELECT load_extension('x')", 'no such function: load_extension (line 1, col 1)'],
    ['readfile', "SELECT readfile('/etc/passwd')", 'no such function: readfile (line 1, col 1)'],
    ['writefile', `SELECT writefile('${target}', 'x')`, 'no such function: writefile (line 1, col 1)'],
    [
      'a recursive CTE that never ends, streaming rows',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n, n FROM r',
      'output limit 256 KB exceeded',
    ],
    [
      'a recursive CTE that never ends, aggregated',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*), 1 FROM r',
      'time limit 1 s exceeded',
    ],
    [
      'a billion-row counter with aggregation',
      'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) SELECT sum(n), 1 FROM c',
      'time limit 1 s exceeded',
    ],
  ])('%s', async (_name, answer, reason) => {
    const run = await runTask(sqlTask, answer, { hidden: true });
    for (const t of run.tests) {
      expect(t.passed).toBe(false);
      if (typeof reason === 'string') expect(t.reason).toBe(reason);
      else expect(t.reason).toMatch(reason);
    }
    expect(fs.existsSync(`${inTmp}.v`)).toBe(false);
    await expectStillWorking();
  });

  // A deadline far away, so that the memory limit is what stops these however loaded the machine.
  it.each([
    [
      'a string doubled in a recursive CTE',
      "WITH RECURSIVE c(n, s) AS (SELECT 1, 'x' UNION ALL SELECT n + 1, s || s FROM c WHERE n < 40) SELECT length(max(s)), 1 FROM c",
      'memory limit 64 MB exceeded',
    ],
    [
      'a huge group_concat',
      'SELECT length(group_concat(hex(randomblob(100000)))), 1 FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2000) SELECT n FROM c)',
      'memory limit 64 MB exceeded',
    ],
  ])('%s', async (_name, answer, reason) => {
    const run = await runTask({ ...sqlTask, limits: { ...limits, timeMs: 60_000 } }, answer, { hidden: true });
    for (const t of run.tests) {
      expect(t.passed).toBe(false);
      expect(t.reason).toBe(reason);
    }
    await expectStillWorking();
  });
});

describe('hostile SQL (Postgres)', () => {
  const pgTask = aSqlTask({
    dialect: 'postgres',
    limits,
    schema:
      'CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL); CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, total numeric);',
    hiddenData: [{ name: 'one customer', weight: 1, data: "INSERT INTO customers VALUES (1, 'Grace');" }],
  });

  it.each([
    ['COPY TO a file on the host', `COPY (SELECT 1) TO '${inTmp}'`, '0 columns; expected 2'],
    ['COPY TO a program', "COPY (SELECT 1) TO PROGRAM 'touch x'", /^(0 columns; expected 2|could not .*)$/],
    ['pg_read_file', "SELECT pg_read_file('/etc/passwd'), 1", 'could not open file "/etc/passwd" for reading: No such file or directory'],
    // generate_series fills a tuplestore: which limit it meets first depends on how busy the machine is.
    [
      'a billion-row generate_series',
      'SELECT count(*), 1 FROM generate_series(1, 1000000000)',
      /^(time limit 1 s exceeded|memory limit 64 MB exceeded)$/,
    ],
    ['CREATE EXTENSION', 'CREATE EXTENSION pgcrypto; SELECT 1, 2', /^extension "pgcrypto" is not available/],
    ['pg_sleep', 'SELECT pg_sleep(100), 1', 'time limit 1 s exceeded'],
    [
      'a recursive CTE that never ends',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*), 1 FROM r',
      /^(time limit 1 s exceeded|memory limit 64 MB exceeded)$/,
    ],
  ])('%s', async (_name, answer, reason) => {
    const run = await runTask(pgTask, answer, { hidden: true });
    for (const t of run.tests) {
      expect(t.passed).toBe(false);
      if (typeof reason === 'string') expect(t.reason).toBe(reason);
      else expect(t.reason).toMatch(reason);
    }
    const again = await runTask(pgTask, pgTask.solution, { hidden: true });
    expect(again.tests.every((t) => t.passed)).toBe(true);
    await expectStillWorking();
  });
});
