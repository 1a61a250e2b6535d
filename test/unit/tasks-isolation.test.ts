// Warm Workers are reused across runTask calls: nothing one answer leaves behind may reach the next.
import { describe, expect, it } from 'vitest';
import type { TaskLimits } from '../../src/bank/types.js';
import { idleWorkers, Sandbox } from '../../src/tasks/host.js';
import { runTask } from '../../src/tasks/index.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

const limits: TaskLimits = { timeMs: 2000, memoryMb: 64, outputKb: 256, answerKb: 20 };
const sqlTask = aSqlTask({ limits });
const codeTask = aCodeTask({ limits });
const allPassed = (r: Awaited<ReturnType<typeof runTask>>): boolean => r.tests.every((t) => t.passed);

describe('isolation between runTask calls', () => {
  it('a global set by one answer is not seen by the next', async () => {
    const first = await runTask(codeTask, 'globalThis.leaked = 1;\nfunction add(a, b) {\n  return a + b;\n}\n', { hidden: true });
    expect(allPassed(first)).toBe(true);
    const second = await runTask(codeTask, "function add(a, b) {\n  return typeof leaked === 'undefined' ? a + b : -1;\n}\n", {
      hidden: true,
    });
    expect(second.tests.map((t) => t.reason)).toEqual(second.tests.map(() => undefined));
  });

  it('a temporary table made by one answer is not seen by the next', async () => {
    const make = `CREATE TEMP TABLE IF NOT EXISTS leaked (x); INSERT INTO leaked VALUES (1);\n${sqlTask.solution}`;
    expect(allPassed(await runTask(sqlTask, make, { hidden: true }))).toBe(true);
    // Fails with "table leaked already exists" if the first answer's table survived.
    const second = await runTask(sqlTask, `CREATE TEMP TABLE leaked (x);\n${sqlTask.solution}`, { hidden: false });
    expect(second.tests.map((t) => t.reason)).toEqual([undefined]);
  });

  it("a database file ATTACHed by one answer (in the engine's memory) is not seen by the next", async () => {
    const make = `ATTACH DATABASE 'leaked.db' AS x; CREATE TABLE IF NOT EXISTS x.t (a); INSERT INTO x.t VALUES (1);\n${sqlTask.solution}`;
    expect(allPassed(await runTask(sqlTask, make, { hidden: true }))).toBe(true);
    const second = await runTask(sqlTask, `ATTACH DATABASE 'leaked.db' AS x; CREATE TABLE x.t (a);\n${sqlTask.solution}`, {
      hidden: false,
    });
    expect(second.tests.map((t) => t.reason)).toEqual([undefined]);
  });

  it('a Worker is reused after clean jobs and after a time limit, not after a memory limit', async () => {
    const job = { kind: 'code' as const, language: 'javascript' as const, code: 'function f() { return 1; }', fn: 'f', args: [], limits };
    const a = new Sandbox();
    expect(await a.run(job)).toEqual({ ok: true, value: '1' });
    expect(await a.run({ ...job, code: 'function f() { for (;;) {} }', limits: { ...limits, timeMs: 200 } })).toEqual({
      ok: false,
      limit: 'time',
    });
    expect(await a.run(job)).toEqual({ ok: true, value: '1' });
    const before = idleWorkers();
    await a.close();
    expect(idleWorkers()).toBe(before + 1);
    const b = new Sandbox();
    const hog = 'function f() { const a = []; for (;;) a.push(new Array(100000).fill(a.length)); }';
    expect(await b.run({ ...job, code: hog, limits: { ...limits, memoryMb: 16 } })).toEqual({ ok: false, limit: 'memory' });
    expect(b.started).toBe(0);
    await b.close();
    expect(idleWorkers()).toBe(before);
  });
});
