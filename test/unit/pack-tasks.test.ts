// A pack carries what a sitting needs to show a task and run its visible tests, and nothing that
// would let a candidate pass the hidden ones: the solution, hidden data and hidden tests stay in the key.
import { describe, expect, it } from 'vitest';
import { parseAssessment, type Assessment } from '../../src/assessment/definition.js';
import {
  buildPack,
  packExpectations,
  packItems,
  readKey,
  readPack,
  unsealedShape,
  type OpenPack,
  type PackKey,
} from '../../src/assessment/pack.js';
import type { Bank, CodeTask, SqlTask } from '../../src/bank/types.js';
import { mulberry32 } from '../../src/engine/rng.js';
import { runTask } from '../../src/tasks/index.js';
import { aBank } from '../helpers.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

const sql = aSqlTask({
  id: 'counts',
  hiddenData: [
    { name: 'hidden-set-zebra', weight: 1, data: `INSERT INTO customers VALUES (7, 'Quetzalcoatl-7731');` },
    {
      name: 'hidden-set-yak',
      weight: 2,
      data: `INSERT INTO customers VALUES (8, 'Xiuhtecuhtli-9902'); INSERT INTO orders VALUES (1, 8, 3);`,
    },
  ],
  solution: `SELECT c.name, count(o.id) AS orders /* reference-sql-marker-77 */ FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name;`,
});
const code = aCodeTask({
  id: 'adder',
  hiddenTests: [
    { name: 'hidden-test-walrus', weight: 2, assert: 'assertEqual(add(424242, 1), 424243);' },
    { name: 'hidden-test-narwhal', weight: 1, args: [98765, 4321], expect: 103086 },
  ],
  solution: 'function add(a, b) {\n  return a + b; /* solution-marker-0xBEEF */\n}\n',
});
const banks: Bank[] = [aBank('databases', [sql, aSqlTask({ id: 'other-sql' })]), aBank('http-apis', [code]), aBank('alpha', 4)];

function definition(form: 'fixed' | 'per-candidate'): Assessment {
  return parseAssessment(
    [
      'assessment: t',
      'title: T',
      `form: ${form}`,
      'sections:',
      '  - topic: alpha',
      '    count: 2',
      '  - questions: [databases/counts]',
      '  - topic: http-apis',
      '    tasks: true',
      '    count: 1',
    ].join('\n'),
    't.yaml',
  ).assessment!;
}

async function seal(form: 'fixed' | 'per-candidate'): Promise<{ pack: OpenPack; key: PackKey; text: string }> {
  const a = definition(form);
  const { pack, key } = buildPack(a, banks, mulberry32(1), undefined, await packExpectations(a, banks));
  const text = JSON.stringify(pack, null, 2);
  return { pack: readPack(text, 'p.json') as OpenPack, key: readKey(JSON.stringify(key), 'k.json'), text };
}

describe('a pack with tasks', () => {
  it('carries no solution, hidden data or hidden test, by name or by value', async () => {
    const { text } = await seal('fixed');
    for (const secret of [
      'reference-sql-marker-77',
      'hidden-set-zebra',
      'Quetzalcoatl-7731',
      'hidden-set-yak',
      'Xiuhtecuhtli-9902',
      'hidden-test-walrus',
      '424242',
      'hidden-test-narwhal',
      '98765',
      '103086',
      'solution-marker-0xBEEF',
      'hiddenData',
      'hiddenTests',
      'solution',
    ])
      expect(text, secret).not.toContain(secret);
  });

  it('carries the prompt, schema, visible data, starter, visible tests, limits and the rows the solution gives', async () => {
    const { pack } = await seal('fixed');
    const sealed = Object.values(pack.questions);
    const s = sealed.find((q) => q.type === 'sql')!;
    expect(s).toMatchObject({ schema: sql.schema, data: sql.data, starter: sql.starter, dialect: 'sqlite', limits: sql.limits });
    // The solution's rows on the visible data: the candidate sees them as the expected result anyway.
    expect(s.expected).toEqual({
      columns: ['name', 'orders'],
      rows: expect.arrayContaining([
        ['Ada', 2],
        ['Linus', 0],
      ]),
    });
    const c = sealed.find((q) => q.type === 'code')!;
    expect(c).toMatchObject({ function: 'add', starter: code.starter, language: 'javascript', tests: code.tests, limits: code.limits });
  });

  it('keeps the whole task in the key', async () => {
    const { key } = await seal('fixed');
    const tasks = Object.values(key.questions).filter((q) => q.type === 'sql' || q.type === 'code');
    expect((tasks.find((q) => q.type === 'sql') as SqlTask).hiddenData).toEqual(sql.hiddenData);
    expect((tasks.find((q) => q.type === 'sql') as SqlTask).solution).toBe(sql.solution);
    expect((tasks.find((q) => q.type === 'code') as CodeTask).hiddenTests).toEqual(code.hiddenTests);
  });

  it('unseals a task with no solution and no hidden tests, whose visible test runs against the carried rows', async () => {
    const { pack } = await seal('fixed');
    const items = packItems(pack, 3);
    const s = items.find((i) => i.question.type === 'sql')!.question as SqlTask;
    const c = items.find((i) => i.question.type === 'code')!.question as CodeTask;
    expect([s.solution, s.hiddenData, s.sealed]).toEqual(['', [], true]);
    expect([c.solution, c.hiddenTests, c.sealed]).toEqual(['', [], true]);
    expect(unsealedShape('q-x', pack.questions[Object.keys(pack.questions).find((k) => pack.questions[k]!.type === 'code')!]!)).toEqual({
      ...c,
      key: 'q-x',
      id: 'q-x',
    });
    const right = await runTask(s, sql.solution, { hidden: false });
    expect(right.tests.map((t) => [t.name, t.passed])).toEqual([['sample data', true]]);
    const wrong = await runTask(s, 'SELECT name, 0 FROM customers', { hidden: false });
    expect(wrong.tests[0]!.passed).toBe(false);
    const visible = await runTask(c, 'function add(a, b) { return a + b; }', { hidden: false });
    expect(visible.tests.map((t) => t.hidden)).toEqual([false, false]);
  });

  it('draws a per-candidate task section from tasks only, and a question section from questions only', async () => {
    const { pack, key } = await seal('per-candidate');
    const types = pack.sections.map((s) => [...new Set(s.questions.map((k) => pack.questions[k]!.type))].sort());
    expect(types).toEqual([['single'], ['sql'], ['code']]);
    expect(Object.keys(key.questions).sort()).toEqual(Object.keys(pack.questions).sort());
  });

  it('is refused when a task field was changed after sealing: the digest covers them', async () => {
    const { text } = await seal('fixed');
    for (const edit of [
      (q: Record<string, unknown>) => q.type === 'sql' && ((q.expected as { rows: unknown[][] }).rows = []),
      (q: Record<string, unknown>) => q.type === 'code' && ((q.tests as unknown[]).length = 1),
      (q: Record<string, unknown>) => q.type === 'code' && ((q.limits as { timeMs: number }).timeMs = 60_000),
    ]) {
      const pack = JSON.parse(text) as { questions: Record<string, Record<string, unknown>> };
      for (const q of Object.values(pack.questions)) edit(q);
      expect(() => readPack(JSON.stringify(pack), 'p.json')).toThrow(/changed since it was sealed/);
    }
  });

  it('refuses a pack or key whose task fields break the bounds', async () => {
    const { pack, key } = await seal('fixed');
    const k = Object.keys(pack.questions).find((x) => pack.questions[x]!.type === 'code')!;
    const bad = structuredClone(pack) as OpenPack;
    bad.questions[k]!.limits = { ...bad.questions[k]!.limits!, timeMs: 10 ** 9 };
    expect(() => readPack(JSON.stringify(bad), 'p.json')).toThrow(/not a usable backend-quiz pack/);
    const badKey = structuredClone(key);
    (badKey.questions[k] as CodeTask).function = 'not a name';
    expect(() => readKey(JSON.stringify(badKey), 'k.json')).toThrow(/not a usable backend-quiz key file/);
  });
});
