// Without the optional PGlite package a Postgres task fails its tests with how to install it.
import { describe, expect, it, vi } from 'vitest';
import { runTask, sqlExpected, sqlTables } from '../../src/tasks/index.js';
import { aSqlTask } from '../task-builders.js';

vi.mock('../../src/tasks/optional.js', async (original) => ({ ...(await original<object>()), pgliteInstalled: () => false }));

const MISSING = 'Postgres tasks need the optional package @electric-sql/pglite; install it with: npm install @electric-sql/pglite';

describe('PGlite not installed', () => {
  it('fails every test of a Postgres task with the reason and how to install it', async () => {
    const task = aSqlTask({ dialect: 'postgres' });
    const run = await runTask(task, task.solution, { hidden: true });
    expect(run.tests.map((t) => [t.passed, t.reason])).toEqual(Array(3).fill([false, MISSING]));
  });

  it('refuses the sample rows and tables of a Postgres task in one line', async () => {
    const task = aSqlTask({ key: 'db/pg', dialect: 'postgres' });
    await expect(sqlExpected(task)).rejects.toThrow(`db/pg: ${MISSING}`);
    await expect(sqlTables(task)).rejects.toThrow(`db/pg: ${MISSING}`);
  });

  it('still runs SQLite tasks', async () => {
    const task = aSqlTask();
    expect((await runTask(task, task.solution, { hidden: false })).tests[0]!.passed).toBe(true);
  });
});
