// runTask over task literals: the SQLite and JavaScript engines, grading rules, positions of errors.
import { describe, expect, it } from 'vitest';
import { gradeOf, runTask, sqlExpected, sqlTables } from '../../src/tasks/index.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

describe('SQL tasks (SQLite)', () => {
  it('passes the reference solution on every data set, visible and hidden, with weights', async () => {
    const task = aSqlTask();
    const run = await runTask(task, task.solution, { hidden: true });
    expect(run.tests.map((t) => [t.name, t.hidden, t.weight, t.passed])).toEqual([
      ['sample data', false, 1, true],
      ['no orders at all', true, 1, true],
      ['many customers', true, 2, true],
    ]);
    expect(run.tests[0]!.got).toEqual({
      columns: ['name', 'orders'],
      rows: [
        ['Ada', 2],
        ['Linus', 0],
      ],
    });
    expect(run.tests[1]!.got).toBeUndefined();
  });

  it('runs the visible data set alone when hidden is false', async () => {
    const task = aSqlTask();
    const run = await runTask(task, task.solution, { hidden: false });
    expect(run.tests.map((t) => t.name)).toEqual(['sample data']);
  });

  it('fails a query that hard-codes the sample answer on the hidden data', async () => {
    const task = aSqlTask();
    const run = await runTask(task, "SELECT 'Ada', 2 UNION ALL SELECT 'Linus', 0", { hidden: true });
    expect(run.tests.map((t) => t.passed)).toEqual([true, false, false]);
    expect(run.tests[1]!.reason).toBe('2 rows; expected 1');
    expect(gradeOf(run)).toEqual({
      tests: [
        { name: 'sample data', hidden: false, weight: 1, passed: true },
        { name: 'no orders at all', hidden: true, weight: 1, passed: false, reason: '2 rows; expected 1' },
        { name: 'many customers', hidden: true, weight: 2, passed: false, reason: '2 rows; expected 3' },
      ],
    });
  });

  it('compares the rows of the last statement', async () => {
    const task = aSqlTask();
    const answer = `CREATE TEMP TABLE n AS SELECT customer_id, count(*) AS k FROM orders GROUP BY customer_id;
SELECT c.name, coalesce(n.k, 0) FROM customers c LEFT JOIN n ON n.customer_id = c.id;`;
    expect((await runTask(task, answer, { hidden: true })).tests.every((t) => t.passed)).toBe(true);
  });

  it('marks the first differing row when order matters', async () => {
    const task = aSqlTask({ compare: { order: true, columns: false, tolerance: 1e-9 } });
    const run = await runTask(
      task,
      'SELECT c.name, count(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.name DESC',
      { hidden: false },
    );
    expect(run.tests[0]).toMatchObject({ passed: false, reason: 'row 1 differs', firstDifference: { row: 0, col: 0 } });
  });

  it('requires the column names only when the task says so', async () => {
    const renamed = 'SELECT c.name AS who, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id';
    expect((await runTask(aSqlTask(), renamed, { hidden: false })).tests[0]!.passed).toBe(true);
    const strict = aSqlTask({ compare: { order: false, columns: true, tolerance: 1e-9 } });
    expect((await runTask(strict, renamed, { hidden: false })).tests[0]!.reason).toBe('column 1 is named who; expected name');
  });

  it('compares numbers within the tolerance', async () => {
    const task = aSqlTask({ solution: 'SELECT sum(total) / 3 FROM orders', compare: { order: false, columns: false, tolerance: 0.01 } });
    expect((await runTask(task, 'SELECT 3.33', { hidden: false })).tests[0]!.passed).toBe(true);
    expect(
      (await runTask({ ...task, compare: { ...task.compare, tolerance: 1e-9 } }, 'SELECT 3.33', { hidden: false })).tests[0]!.passed,
    ).toBe(false);
  });

  it('normalises blobs to hex text', async () => {
    const task = aSqlTask({ solution: "SELECT '00ff'" });
    expect((await runTask(task, "SELECT x'00ff'", { hidden: false })).tests[0]!.passed).toBe(true);
  });

  it('compares the check query after an answer that changes data', async () => {
    const task = aSqlTask({
      schema: 'CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL);',
      data: "INSERT INTO stock VALUES ('a', 1);",
      hiddenData: [{ name: 'empty', weight: 1, data: '' }],
      solution: "INSERT INTO stock VALUES ('a', 5) ON CONFLICT (sku) DO UPDATE SET qty = qty + excluded.qty;",
      check: 'SELECT * FROM stock ORDER BY sku',
    });
    const right = await runTask(task, "INSERT OR IGNORE INTO stock VALUES ('a', 0); UPDATE stock SET qty = qty + 5 WHERE sku = 'a';", {
      hidden: true,
    });
    expect(right.tests.map((t) => t.passed)).toEqual([true, true]);
    const wrong = await runTask(task, "INSERT OR REPLACE INTO stock VALUES ('a', 5);", { hidden: true });
    expect(wrong.tests.map((t) => t.passed)).toEqual([false, true]);
  });

  it('compares with `expected` when a sealed task has no solution', async () => {
    const task = aSqlTask({ solution: '', expected: { columns: ['n'], rows: [[2]] } });
    expect((await runTask(task, 'SELECT count(*) FROM orders', { hidden: false })).tests[0]!.passed).toBe(true);
    expect((await runTask(task, 'SELECT count(*) FROM customers', { hidden: false })).tests[0]!.passed).toBe(true);
    expect((await runTask(task, 'SELECT 3', { hidden: false })).tests[0]).toMatchObject({
      passed: false,
      expected: { columns: ['n'], rows: [[2]] },
    });
  });

  it('gives a syntax error with its offset, line and column in the answer', async () => {
    const run = await runTask(aSqlTask(), 'SELECT 1;\nSELECT name\n  FORM customers;', { hidden: false });
    const e = run.tests[0]!.error!;
    expect(e.message).toBe('near "customers": syntax error');
    expect(e).toMatchObject({ offset: 29, line: 3, col: 8 });
    expect(run.tests[0]!.reason).toBe('near "customers": syntax error (line 3, col 8)');
  });

  it('gives an unknown table as the engine says it, at its statement', async () => {
    const run = await runTask(aSqlTask(), 'SELECT 1;\n  SELECT * FROM nope', { hidden: false });
    expect(run.tests[0]!.error).toMatchObject({ message: 'no such table: nope', line: 2, col: 3 });
  });

  it('says when the answer has no statement', async () => {
    expect((await runTask(aSqlTask(), '-- nothing yet', { hidden: false })).tests[0]!.reason).toBe('the answer has no SQL statement');
  });

  it('sqlExpected gives the solution rows on the visible data', async () => {
    expect(await sqlExpected(aSqlTask())).toEqual({
      columns: ['name', 'orders'],
      rows: [
        ['Ada', 2],
        ['Linus', 0],
      ],
    });
  });

  it('sqlExpected refuses a solution that fails, in one line', async () => {
    await expect(sqlExpected(aSqlTask({ key: 'db/broken', solution: 'SELECT * FROM nope' }))).rejects.toThrow(
      'db/broken: the reference solution fails on the sample data: no such table: nope (line 1, col 1)',
    );
  });

  it('sqlTables lists each table with its columns, types and visible rows, in schema order', async () => {
    expect(await sqlTables(aSqlTask())).toEqual([
      {
        name: 'customers',
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'name', type: 'TEXT' },
        ],
        rows: {
          columns: ['id', 'name'],
          rows: [
            [1, 'Ada'],
            [2, 'Linus'],
          ],
        },
      },
      {
        name: 'orders',
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'customer_id', type: 'INTEGER' },
          { name: 'total', type: 'REAL' },
        ],
        rows: {
          columns: ['id', 'customer_id', 'total'],
          rows: [
            [10, 1, 9.5],
            [11, 1, 0.5],
          ],
        },
      },
    ]);
  });
});

describe('code tasks (QuickJS)', () => {
  it('passes the solution on visible and hidden tests, naming a test by its call when it has no name', async () => {
    const task = aCodeTask();
    const run = await runTask(task, task.solution, { hidden: true });
    expect(run.tests.map((t) => [t.name, t.hidden, t.weight, t.passed])).toEqual([
      ['add(1, 2)', false, 1, true],
      ['negative', false, 1, true],
      ['large', true, 2, true],
    ]);
    expect(run.tests[0]).toMatchObject({ got: { value: '3' }, expected: { value: '3' } });
    expect(run.tests[2]!.got).toBeUndefined();
  });

  it('fails the starter with got and expected', async () => {
    const task = aCodeTask();
    const run = await runTask(task, task.starter, { hidden: true });
    expect(run.tests.map((t) => t.reason)).toEqual([
      'got undefined, expected 3',
      'got undefined, expected -3',
      'Error: got undefined, expected 1099511627777',
    ]);
  });

  it('compares returned values deeply, keys in any order, NaN equal to NaN', async () => {
    const task = aCodeTask({
      function: 'f',
      tests: [
        { name: 'object', weight: 1, args: [], expect: { a: [1, { b: null }], c: 'x' } },
        { name: 'nan', weight: 1, args: [], expect: [NaN] },
      ],
      hiddenTests: [],
    });
    const run = await runTask(task, "function f() { return { c: 'x', a: [1, { b: null }] } }", { hidden: false });
    expect(run.tests.map((t) => t.passed)).toEqual([true, false]);
    const nan = await runTask(task, 'function f() { return [0 / 0] }', { hidden: false });
    expect(nan.tests.map((t) => t.passed)).toEqual([false, true]);
    const extra = await runTask(task, "function f() { return { c: 'x', a: [1, { b: null }], d: 1 } }", { hidden: false });
    expect(extra.tests[0]!.passed).toBe(false);
  });

  it('awaits a returned promise', async () => {
    const task = aCodeTask();
    expect(
      (await runTask(task, 'async function add(a, b) { await null; return a + b }', { hidden: false })).tests.every((t) => t.passed),
    ).toBe(true);
  });

  it('runs each test in a fresh context', async () => {
    const task = aCodeTask({
      tests: [
        { name: 'a', weight: 1, args: [0, 0], expect: 1 },
        { name: 'b', weight: 1, args: [0, 0], expect: 1 },
      ],
      hiddenTests: [],
    });
    const run = await runTask(task, 'var calls = 0; function add() { return ++calls }', { hidden: false });
    expect(run.tests.map((t) => t.passed)).toEqual([true, true]);
  });

  it('accepts a class used by an assertion snippet, and a leading export', async () => {
    const task = aCodeTask({
      function: 'Counter',
      tests: [],
      hiddenTests: [
        {
          name: 'counts',
          weight: 1,
          assert: 'const c = new Counter(); c.inc(); c.inc();\nassertEqual(c.n, 2);\nassertThrows(() => c.dec());',
        },
      ],
    });
    const run = await runTask(task, 'export class Counter {\n  n = 0;\n  inc() { this.n++ }\n}', { hidden: true });
    expect(run.tests[0]).toMatchObject({ passed: true });
    const wrong = await runTask(task, 'export class Counter {\n  n = 0;\n  inc() { this.n += 2 }\n  dec() {}\n}', { hidden: true });
    expect(wrong.tests[0]!.reason).toBe('Error: got 4, expected 2');
  });

  it("gives an exception's line and column in the candidate's code, not in the harness", async () => {
    const run = await runTask(aCodeTask(), '// add two numbers\nfunction add(a, b) {\n  return a.b.c + b;\n}', { hidden: false });
    expect(run.tests[0]!.error).toEqual({ message: "TypeError: cannot read property 'c' of undefined", line: 3, col: 13 });
  });

  it('gives a syntax error at its line', async () => {
    const run = await runTask(aCodeTask(), 'function add(a, b) {\n  return a +* b;\n}', { hidden: false });
    expect(run.tests[0]!.error).toMatchObject({ message: "SyntaxError: unexpected token in expression: '*'", line: 2 });
  });

  it('strips TypeScript types and keeps line numbers', async () => {
    const task = aCodeTask({ language: 'typescript' });
    const ok = await runTask(
      task,
      'interface Pair { a: number }\nfunction add(a: number, b: number): number {\n  return (a as number) + b;\n}',
      { hidden: true },
    );
    expect(ok.tests.every((t) => t.passed)).toBe(true);
    const bad = await runTask(task, 'type N = number;\n\nfunction add(a: N, b: N): N {\n  throw new Error(`no ${a}`);\n}', {
      hidden: false,
    });
    expect(bad.tests[0]!.error).toMatchObject({ message: 'Error: no 1', line: 4 });
  });

  it('gives the reason when the function is missing', async () => {
    const run = await runTask(aCodeTask(), 'function plus(a, b) { return a + b }', { hidden: false });
    expect(run.tests[0]!.reason).toBe('Error: the answer does not define it as a function');
  });

  it('discards console output', async () => {
    expect((await runTask(aCodeTask(), 'function add(a, b) { console.log(a); return a + b }', { hidden: false })).tests[0]!.passed).toBe(
      true,
    );
  });

  it('keeps the assertion helpers from being replaced by the answer', async () => {
    const task = aCodeTask({ tests: [], hiddenTests: [{ name: 'x', weight: 1, assert: 'assertEqual(add(1, 1), 3)' }] });
    const run = await runTask(
      task,
      'function add(a, b) { return a + b }\ntry { globalThis.assertEqual = () => {} } catch {}\nObject.keys = () => []',
      { hidden: true },
    );
    expect(run.tests[0]!.passed).toBe(false);
  });
});

describe('the answer size limit', () => {
  it('fails every test before running anything', async () => {
    const task = aSqlTask();
    const run = await runTask(task, `SELECT 1 -- ${'x'.repeat(31 * 1024 - 20)}`, { hidden: true });
    expect(run.tests.map((t) => t.reason)).toEqual(Array(3).fill('answer is 31 KB; the limit is 20 KB'));
  });
});
