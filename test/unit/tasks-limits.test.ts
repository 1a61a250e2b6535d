// Each limit broken fails that test alone, with its reason; the other tests of the task still run.
import { describe, expect, it } from 'vitest';
import { runTask } from '../../src/tasks/index.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

describe('code tasks', () => {
  const task = aCodeTask({
    function: 'f',
    limits: { timeMs: 300, memoryMb: 16, outputKb: 1, answerKb: 1 },
    tests: [
      { name: 'loops', weight: 1, args: ['loop'], expect: 1 },
      { name: 'allocates', weight: 1, args: ['grow'], expect: 1 },
      { name: 'says too much', weight: 1, args: ['big'], expect: 1 },
      { name: 'plain', weight: 1, args: ['one'], expect: 1 },
    ],
    hiddenTests: [{ name: 'hidden plain', weight: 1, args: ['one'], expect: 1 }],
  });
  const answer = `function f(what) {
  if (what === 'loop') for (;;) {}
  if (what === 'grow') { const a = []; for (;;) a.push(new Array(1e5).fill(what)) }
  if (what === 'big') return 'x'.repeat(2000);
  return 1;
}`;

  it("states each task's own limit in the reason, and runs the other tests", async () => {
    const run = await runTask(task, answer, { hidden: true });
    expect(run.tests.map((t) => [t.name, t.passed, t.reason])).toEqual([
      ['loops', false, 'time limit 300 ms exceeded'],
      // Allocating 16 MB may take longer than 300 ms on a loaded machine: either limit stops it.
      ['allocates', false, expect.stringMatching(/^(memory limit 16 MB|time limit 300 ms) exceeded$/)],
      ['says too much', false, 'output limit 1 KB exceeded'],
      ['plain', true, undefined],
      ['hidden plain', true, undefined],
    ]);
    const slow = await runTask({ ...task, limits: { ...task.limits, timeMs: 60_000 }, tests: [task.tests[1]!] }, answer, { hidden: false });
    expect(slow.tests[0]!.reason).toBe('memory limit 16 MB exceeded');
  });

  it('refuses an answer over its size limit before running it', async () => {
    const run = await runTask(task, answer + `\n// ${'x'.repeat(2000)}`, { hidden: true });
    expect(new Set(run.tests.map((t) => t.reason))).toEqual(new Set(['answer is 3 KB; the limit is 1 KB']));
  });

  it('stops an allocation loop the interrupt handler cannot, by the memory of the instance', async () => {
    const run = await runTask(
      { ...task, limits: { ...task.limits, timeMs: 60_000 }, tests: [task.tests[1]!, task.tests[3]!] },
      'function f(w) { if (w === "grow") { let s = [1]; for (;;) s = s.concat(s) } return 1 }',
      { hidden: false },
    );
    expect(run.tests.map((t) => t.reason)).toEqual(['memory limit 16 MB exceeded', undefined]);
  });
});

describe('SQL tasks', () => {
  const task = aSqlTask({
    limits: { timeMs: 300, memoryMb: 16, outputKb: 1, answerKb: 20 },
    hiddenData: [
      { name: 'runs away', weight: 1, data: "INSERT INTO customers VALUES (1, 'loop');" },
      { name: 'eats memory', weight: 1, data: "INSERT INTO customers VALUES (1, 'grow');" },
      { name: 'too many rows', weight: 1, data: "INSERT INTO customers VALUES (1, 'rows');" },
      { name: 'plain', weight: 1, data: "INSERT INTO customers VALUES (1, 'Ada');" },
    ],
  });
  const answer = `SELECT c.name, count(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
WHERE c.name <> 'loop' OR (WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r) > 0
GROUP BY c.id
UNION ALL SELECT length(group_concat(hex(randomblob(100000)))), 0 FROM (WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000) SELECT n FROM r) WHERE (SELECT name FROM customers) = 'grow' HAVING count(*) > 0
UNION ALL SELECT 'row ' || n, 0 FROM (WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 1000) SELECT n FROM r) WHERE (SELECT name FROM customers) = 'rows'`;

  it('fails the data set that breaks a limit, with its reason, and runs the others', async () => {
    const run = await runTask(task, answer, { hidden: true });
    expect(run.tests.map((t) => [t.name, t.passed, t.reason])).toEqual([
      ['sample data', true, undefined],
      ['runs away', false, 'time limit 300 ms exceeded'],
      // Filling 16 MB may take longer than 300 ms on a loaded machine: either limit stops it.
      ['eats memory', false, expect.stringMatching(/^(memory limit 16 MB|time limit 300 ms) exceeded$/)],
      ['too many rows', false, 'output limit 1 KB exceeded'],
      ['plain', true, undefined],
    ]);
    const slow = await runTask({ ...task, limits: { ...task.limits, timeMs: 60_000 }, hiddenData: [task.hiddenData[1]!] }, answer, {
      hidden: true,
    });
    expect(slow.tests[1]!.reason).toBe('memory limit 16 MB exceeded');
  });
});

describe('one QuickJS instance across the tests of a task', () => {
  it('frees each test before the next, so memory used by one is there again for the next', async () => {
    const tests = Array.from({ length: 40 }, (_, i) => ({ name: `t${i}`, weight: 1, args: [i], expect: i }));
    const task = aCodeTask({
      function: 'f',
      limits: { timeMs: 60_000, memoryMb: 16, outputKb: 256, answerKb: 20 },
      tests,
      hiddenTests: [],
    });
    // Each test holds 8 MB of the 16 until it returns: 40 of them would need 320 MB if nothing were freed.
    const run = await runTask(task, 'const held = new Array(1 << 20).fill(0.5);\nfunction f(i) { return held.length > 0 ? i : -1 }', {
      hidden: false,
    });
    expect(run.tests.map((t) => t.reason ?? 'passed')).toEqual(Array(40).fill('passed'));
  });

  it('replaces the instance after a test exhausts its memory', async () => {
    const task = aCodeTask({
      function: 'f',
      limits: { timeMs: 60_000, memoryMb: 16, outputKb: 256, answerKb: 20 },
      tests: [
        { name: 'bomb', weight: 1, args: [true], expect: 1 },
        { name: 'after', weight: 1, args: [false], expect: 1 },
      ],
      hiddenTests: [],
    });
    const run = await runTask(task, 'function f(bomb) { const a = []; while (bomb) a.push(new Array(1e5).fill(1)); return 1 }', {
      hidden: false,
    });
    expect(run.tests.map((t) => t.reason ?? 'passed')).toEqual(['memory limit 16 MB exceeded', 'passed']);
  });
});
