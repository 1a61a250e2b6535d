// The task screen and a Run's results, as text at the widths candidates use.
import { describe, expect, it } from 'vitest';
import { stripVTControlCharacters } from 'node:util';
import type { ResultSet } from '../../src/bank/types.js';
import { columns } from '../../src/report/wrap.js';
import type { TaskRun } from '../../src/tasks/index.js';
import { makePaint } from '../../src/ui/style.js';
import { renderRun, renderTable, renderTask, signatureOf, type SqlTableView } from '../../src/ui/task.js';
import { CODE_TASK, SQL_TASK } from '../fixtures/tasks/tasks.js';

const plain = makePaint(false);
const colour = makePaint(true);
const widest = (text: string): number => Math.max(...stripVTControlCharacters(text).split('\n').map(columns));

const wide: ResultSet = {
  columns: ['id', 'customer_name', 'shipping_address', 'billing_address', 'note', 'created_at', 'updated_at'],
  rows: Array.from({ length: 12 }, (_, i) => [
    i + 1,
    `Customer number ${i + 1} with a long name`,
    `${i + 1} Long Street, Some Town, Some County, Postcode ${1000 + i}`,
    'Same as shipping, but written out in full every single time',
    i % 2 ? null : 'fragile',
    '2026-01-01T00:00:00Z',
    '2026-02-01T00:00:00Z',
  ]),
};

const tables: SqlTableView[] = [
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
        [3, 'Grace'],
      ],
    },
  },
  { name: 'orders_with_many_columns', columns: wide.columns.map((name) => ({ name, type: 'TEXT' })), rows: wide },
];

describe('the task screen', () => {
  for (const width of [60, 80, 120]) {
    it(`fits a SQL task with a wide table into ${width} columns, cutting cells with … and counting the rows left out`, () => {
      for (const paint of [plain, colour]) {
        const text = renderTask(SQL_TASK, paint, width, tables);
        expect(widest(text)).toBeLessThanOrEqual(width - 1);
        const shown = stripVTControlCharacters(text);
        expect(shown).toContain('customers (id INTEGER, name TEXT)');
        expect(shown).toMatch(/^ {2}id │ name\s*$/m);
        expect(shown).toMatch(/^ {2}3 +│ Grace$/m);
        expect(shown).toContain('…');
        expect(shown).toContain('… 4 more rows');
        // The prompt is there, wrapped.
        expect(shown.replace(/\s+/g, ' ')).toContain('including customers with none. Columns: name, orders.');
      }
    });

    it(`shows a code task's signature and visible tests within ${width} columns`, () => {
      const text = renderTask(
        {
          ...CODE_TASK,
          tests: [...CODE_TASK.tests, { name: 'a cache keeps its capacity', weight: 1, assert: 'assert(sumList([1]) === 1);' }],
        },
        plain,
        width,
      );
      expect(widest(text)).toBeLessThanOrEqual(width - 1);
      expect(text).toContain('    function sumList(xs)');
      expect(text).toContain('  • sumList([1,2,3]) → 6');
      expect(text).toContain('  • sumList([]) → 0');
      expect(text).toContain('  • a cache keeps its capacity\n      assert(sumList([1]) === 1);');
    });
  }

  it('shows the statements when the engine cannot list the tables', () => {
    const text = renderTask(SQL_TASK, plain, 80);
    expect(text).toContain('CREATE TABLE customers');
    expect(text).toContain("INSERT INTO customers VALUES (1, 'Ada')");
  });

  it('makes text from the bank safe for the terminal', () => {
    const text = renderTask(
      { ...CODE_TASK, prompt: 'Evil \u001b]0;owned\u0007 prompt', starter: 'function sumList(xs) { \u001b[2J }' },
      plain,
      80,
    );
    expect(text).not.toMatch(/\u001b/);
  });

  it('finds the signature of a function, an exported one, or a class', () => {
    expect(signatureOf(CODE_TASK)).toBe('function sumList(xs)');
    expect(signatureOf({ ...CODE_TASK, starter: 'export async function sumList(xs: number[]): Promise<number> {\n}' })).toBe(
      'export async function sumList(xs: number[]): Promise<number>',
    );
    expect(signatureOf({ ...CODE_TASK, function: 'LruCache', starter: '// a cache\nclass LruCache {\n}' })).toBe('class LruCache');
  });

  it('drops the columns that cannot fit even cut, and says so with a last … column', () => {
    const lines = renderTable({ columns: Array.from({ length: 30 }, (_, i) => `column${i}`), rows: [Array(30).fill('x')] }, 60, plain);
    expect(Math.max(...lines.map(columns))).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/│ …$/);
  });
});

const sqlRun = (got: unknown[][]): TaskRun => ({
  ms: 5,
  tests: [
    {
      name: 'sample data',
      hidden: false,
      weight: 1,
      passed: false,
      reason: '2 rows; expected 3',
      ms: 5,
      got: { columns: ['name', 'orders'], rows: got },
      expected: {
        columns: ['name', 'orders'],
        rows: [
          ['Ada', 2],
          ['Grace', 0],
          ['Linus', 1],
        ],
      },
      firstDifference: { row: 1 },
    },
  ],
});

describe('a Run', () => {
  it('puts the rows beside the expected ones where there is room, marking a row of yours without a partner and an expected row missing', () => {
    const text = renderRun(
      SQL_TASK,
      'SELECT …',
      sqlRun([
        ['Ada', 2],
        ['Linus', 5],
      ]),
      plain,
      120,
    );
    expect(text).toContain('Run: 0 of 1 visible test passed');
    expect(text).toMatch(/Your rows +Expected/);
    expect(text).toMatch(/^› Linus │ 5 +› Grace │ 0$/m);
    expect(widest(text)).toBeLessThanOrEqual(119);
  });

  it('puts them one above the other on a narrow terminal', () => {
    const got = [['Ada Lovelace, Countess of Lovelace, the first programmer', 2]];
    const text = renderRun(SQL_TASK, 'SELECT …', sqlRun(got), plain, 60);
    expect(text).not.toMatch(/Your rows +Expected/);
    expect(text.indexOf('Your rows')).toBeLessThan(text.indexOf('Expected'));
    expect(widest(text)).toBeLessThanOrEqual(59);
  });

  it('shows each code test, got and expected, and an engine error at its line in the answer', () => {
    const answer = 'function sumList(xs) {\n  return xs.reduce((a, b) => a + b) + nope;\n}';
    const run: TaskRun = {
      ms: 3,
      tests: [
        { name: 'sumList([1,2,3])', hidden: false, weight: 1, passed: true, ms: 1 },
        {
          name: 'sumList([])',
          hidden: false,
          weight: 1,
          passed: false,
          reason: 'got 1',
          ms: 1,
          got: { value: '1' },
          expected: { value: '0' },
        },
        {
          name: 'sumList([4])',
          hidden: false,
          weight: 1,
          passed: false,
          ms: 1,
          reason: "ReferenceError: 'nope' is not defined (line 2, col 38)",
          error: { message: "ReferenceError: 'nope' is not defined", line: 2, col: 38 },
        },
      ],
    };
    const text = renderRun(CODE_TASK, answer, run, plain, 80);
    expect(text).toContain('Run: 1 of 3 visible tests passed');
    expect(text).toContain('  ✔ sumList([1,2,3])');
    expect(text).toContain('  ✘ sumList([])\n    got      1\n    expected 0');
    expect(text).toContain(
      "    ReferenceError: 'nope' is not defined (line 2, col 38)\n    2 |   return xs.reduce((a, b) => a + b) + nope;\n      | " +
        ' '.repeat(37) +
        '^',
    );
  });
});
