// Postgres tasks in PGlite: grading, values as Postgres gives them, errors with positions, state
// reset between data sets.
import { describe, expect, it } from 'vitest';
import { runTask, sqlExpected, sqlTables } from '../../src/tasks/index.js';
import { aSqlTask } from '../task-builders.js';

const pgTask = (over: Parameters<typeof aSqlTask>[0] = {}) =>
  aSqlTask({
    dialect: 'postgres',
    schema: `CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, joined date);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers(id), total numeric(10, 2));`,
    data: `INSERT INTO customers VALUES (1, 'Ada', '2026-01-02'), (2, 'Linus', NULL);
INSERT INTO orders VALUES (10, 1, 9.50), (11, 1, 0.50);`,
    hiddenData: [
      { name: 'no orders at all', weight: 1, data: "INSERT INTO customers VALUES (1, 'Grace', NULL);" },
      {
        name: 'many customers',
        weight: 2,
        data: "INSERT INTO customers VALUES (1, 'A', NULL), (2, 'B', NULL), (3, 'C', NULL); INSERT INTO orders VALUES (1, 3, 1), (2, 3, 2), (3, 2, 5);",
      },
    ],
    ...over,
  });

describe('SQL tasks (Postgres)', () => {
  it('grades the solution and a wrong answer over every data set', async () => {
    const task = pgTask();
    const right = await runTask(task, task.solution, { hidden: true });
    expect(right.tests.map((t) => t.passed)).toEqual([true, true, true]);
    expect(right.tests[0]!.got).toEqual({
      columns: ['name', 'orders'],
      rows: [
        ['Ada', 2],
        ['Linus', 0],
      ],
    });
    const wrong = await runTask(task, 'SELECT c.name, count(*) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id', {
      hidden: true,
    });
    // Rows come in the order the hash aggregate gives them: which one is named first varies.
    for (const t of wrong.tests)
      expect([t.passed, t.reason]).toEqual([false, expect.stringMatching(/^row \d is not among the expected rows$/)]);
  });

  it('gives dates as ISO text, numerics and bigints as numbers when exact, and keeps duplicate column names', async () => {
    const task = pgTask({ solution: "SELECT '2026-01-02'::date, 9.50, 12345678901234::int8, 9007199254740993::int8, 1, 1" });
    const run = await runTask(
      task,
      'SELECT joined, total, 12345678901234::int8, 9007199254740993::int8, 1 AS a, 1 AS a FROM customers JOIN orders ON customer_id = customers.id WHERE orders.id = 10',
      { hidden: false },
    );
    expect(run.tests[0]!.got).toEqual({
      columns: ['joined', 'total', 'int8', 'int8', 'a', 'a'],
      rows: [['2026-01-02', 9.5, 12345678901234, '9007199254740993', 1, 1]],
    });
    expect(run.tests[0]!.passed).toBe(true);
  });

  it('gives a syntax error with its offset, line and column in the answer', async () => {
    const run = await runTask(pgTask(), 'SELECT 1;\nSELEC name FROM customers', { hidden: false });
    expect(run.tests[0]!.error).toEqual({ message: 'syntax error at or near "SELEC"', offset: 10, line: 2, col: 1 });
    expect(run.tests[0]!.reason).toBe('syntax error at or near "SELEC" (line 2, col 1)');
  });

  it('starts every data set from the schema alone, even after an answer that commits', async () => {
    const task = pgTask({
      solution: 'SELECT count(*) FROM customers',
      hiddenData: [{ name: 'one', weight: 1, data: "INSERT INTO customers VALUES (1, 'X', NULL);" }],
    });
    const answer =
      "COMMIT; CREATE TABLE leftover (a int); INSERT INTO customers VALUES (99, 'Extra', NULL); CREATE SCHEMA x; SET search_path = x; SELECT count(*) - 1 FROM public.customers";
    const run = await runTask(task, answer, { hidden: true });
    expect(run.tests.map((t) => t.passed)).toEqual([true, true]);
  });

  it('an answer that commits a change to a built-in function cannot change what the reference query returns', async () => {
    const task = pgTask({ solution: 'SELECT upper(name) FROM customers' });
    // Every name made 'X' by the reference query too, were the database kept for its run.
    const poison =
      "COMMIT; CREATE OR REPLACE FUNCTION pg_catalog.upper(text) RETURNS text LANGUAGE sql AS $$ SELECT 'X' $$; SELECT upper(name) FROM customers";
    const run = await runTask(task, poison, { hidden: true });
    expect(run.tests.map((t) => t.passed)).toEqual([false, false, false]);
    const honest = await runTask(task, 'SELECT upper(name) FROM customers', { hidden: true });
    expect(honest.tests.every((t) => t.passed)).toBe(true);
  });

  it('compares the check query after an answer that changes data', async () => {
    const task = pgTask({
      schema: 'CREATE TABLE stock (sku text PRIMARY KEY, qty integer NOT NULL);',
      data: "INSERT INTO stock VALUES ('a', 1);",
      hiddenData: [{ name: 'empty', weight: 1, data: '' }],
      solution: "INSERT INTO stock VALUES ('a', 5) ON CONFLICT (sku) DO UPDATE SET qty = stock.qty + excluded.qty;",
      check: 'SELECT * FROM stock ORDER BY sku',
    });
    const wrong = await runTask(task, "INSERT INTO stock VALUES ('a', 5) ON CONFLICT (sku) DO UPDATE SET qty = excluded.qty;", {
      hidden: true,
    });
    expect(wrong.tests.map((t) => t.passed)).toEqual([false, true]);
  });

  it('sqlExpected and sqlTables work on Postgres', async () => {
    const task = pgTask();
    expect(await sqlExpected(task)).toEqual({
      columns: ['name', 'orders'],
      rows: [
        ['Ada', 2],
        ['Linus', 0],
      ],
    });
    const tables = await sqlTables(task);
    expect(tables.map((t) => [t.name, t.columns.map((c) => `${c.name} ${c.type}`)])).toEqual([
      ['customers', ['id integer', 'name text', 'joined date']],
      ['orders', ['id integer', 'customer_id integer', 'total numeric(10,2)']],
    ]);
    expect(tables[1]!.rows).toEqual({
      columns: ['id', 'customer_id', 'total'],
      rows: [
        [10, 1, 9.5],
        [11, 1, 0.5],
      ],
    });
  });
});
