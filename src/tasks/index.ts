// Hands-on tasks: the only module the rest of the program imports. Every run happens in a Worker
// thread (host.ts) with the engines loaded there on first use; this module itself loads no engine.
import type { CodeTask, CodeTest, ResultSet, SqlTask, Task, TaskLimits } from '../bank/types.js';
import type { TaskGrade, TestOutcome } from '../engine/score.js';
import { UserError } from '../errors.js';
import { canonicalJson, compareResultSets, seconds } from './compare.js';
import { Sandbox } from './host.js';
import type { EngineError, JobResult, LimitName } from './protocol.js';

export type { EngineError } from './protocol.js';

export interface TestRun extends TestOutcome {
  ms: number;
  /** Visible tests only: what the answer gave. */
  got?: ResultSet | { value: string };
  /** Visible tests only: what was expected (code: canonical JSON text). */
  expected?: ResultSet | { value: string };
  /** SQL: the first differing row of the answer's rows (0-based). */
  firstDifference?: { row: number; col?: number };
  /** The engine's own error, with its position in the answer. */
  error?: EngineError;
}

export interface TaskRun {
  tests: TestRun[];
  ms: number;
}

/** Why a run broke a limit, in the words a candidate reads. */
export function limitReason(limit: LimitName, limits: TaskLimits): string {
  switch (limit) {
    case 'time':
      return `time limit ${seconds(limits.timeMs)} exceeded`;
    case 'memory':
      return `memory limit ${limits.memoryMb} MB exceeded`;
    case 'output':
      return `output limit ${limits.outputKb} KB exceeded`;
  }
}

/** An engine error in one line: its message, then where in the answer it happened. */
export function errorReason(e: EngineError): string {
  const where = e.line !== undefined ? ` (line ${e.line}${e.col !== undefined ? `, col ${e.col}` : ''})` : '';
  return `${e.message.replace(/\s+/g, ' ').trim()}${where}`;
}

function failedReason(r: Extract<JobResult, { ok: false }>, limits: TaskLimits): string {
  if (r.limit) return limitReason(r.limit, limits);
  const reason = r.error ? errorReason(r.error) : 'the engine gave no result';
  return r.setup ? `the task's own schema or data fails: ${reason}` : reason;
}

function answerTooLarge(answer: string, limits: TaskLimits): string | undefined {
  const bytes = Buffer.byteLength(answer, 'utf8');
  return bytes > limits.answerKb * 1024 ? `answer is ${Math.ceil(bytes / 1024)} KB; the limit is ${limits.answerKb} KB` : undefined;
}

/**
 * The query whose rows are compared after the answer ran, for tasks whose answer changes data. The
 * design names it `check`; the shared SqlTask type does not carry it yet, so it is read when present.
 */
function checkOf(task: SqlTask): string | undefined {
  const c = (task as SqlTask & { check?: unknown }).check;
  return typeof c === 'string' && c.trim() ? c : undefined;
}

interface Planned {
  name: string;
  hidden: boolean;
  weight: number;
}

/** hidden: false runs only the visible tests (a candidate's Run, a sealed sitting). */
export async function runTask(task: Task, answer: string, opts: { hidden: boolean }): Promise<TaskRun> {
  const t0 = performance.now();
  const tooLarge = answerTooLarge(answer, task.limits);
  const planned: Planned[] =
    task.type === 'sql'
      ? [
          { name: 'sample data', hidden: false, weight: 1 },
          ...(opts.hidden ? task.hiddenData.map((d) => ({ name: d.name, hidden: true, weight: d.weight })) : []),
        ]
      : [
          ...task.tests.map((t) => ({ name: testName(task, t), hidden: false, weight: t.weight })),
          ...(opts.hidden ? task.hiddenTests.map((t) => ({ name: testName(task, t), hidden: true, weight: t.weight })) : []),
        ];
  if (tooLarge) return { tests: planned.map((p) => ({ ...p, passed: false, reason: tooLarge, ms: 0 })), ms: performance.now() - t0 };
  const sandbox = new Sandbox();
  try {
    const tests: TestRun[] = [];
    if (task.type === 'sql') {
      const sets = [{ data: task.data }, ...(opts.hidden ? task.hiddenData : [])];
      for (let i = 0; i < sets.length; i++) tests.push(await runSqlTest(sandbox, task, answer, sets[i]!.data, planned[i]!));
    } else {
      const all = [...task.tests, ...(opts.hidden ? task.hiddenTests : [])];
      for (let i = 0; i < all.length; i++) tests.push(await runCodeTest(sandbox, task, answer, all[i]!, planned[i]!));
    }
    return { tests, ms: performance.now() - t0 };
  } finally {
    await sandbox.close();
  }
}

function testName(task: CodeTask, t: CodeTest): string {
  if (t.name) return t.name;
  if (t.args) return `${task.function}(${t.args.map((a) => canonicalJson(a, 200)).join(', ')})`;
  return 'assertion';
}

async function runSqlTest(sandbox: Sandbox, task: SqlTask, answer: string, data: string, p: Planned): Promise<TestRun> {
  const t0 = performance.now();
  const base = { kind: 'sql' as const, dialect: task.dialect, schema: task.schema, data, check: checkOf(task), limits: task.limits };
  const got = await sandbox.run({ ...base, query: answer });
  const ms = performance.now() - t0;
  let expected: ResultSet;
  if (!p.hidden && !task.solution && task.expected) expected = task.expected;
  else {
    const ref = await sandbox.run({ ...base, query: task.solution });
    if (!ref.ok || !ref.rows)
      return {
        ...p,
        ms,
        passed: false,
        reason: `the task's reference solution fails: ${ref.ok ? 'no rows' : failedReason(ref, task.limits)}`,
      };
    expected = ref.rows;
  }
  const shown = p.hidden ? {} : { expected };
  if (!got.ok)
    return { ...p, ms, passed: false, reason: failedReason(got, task.limits), ...(got.error ? { error: got.error } : {}), ...shown };
  const rows = got.rows!;
  const c = compareResultSets(rows, expected, task.compare);
  return {
    ...p,
    ms,
    passed: c.passed,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(p.hidden ? {} : { got: rows, expected, ...(c.firstDifference ? { firstDifference: c.firstDifference } : {}) }),
  };
}

async function runCodeTest(sandbox: Sandbox, task: CodeTask, answer: string, t: CodeTest, p: Planned): Promise<TestRun> {
  const t0 = performance.now();
  const r = await sandbox.run({
    kind: 'code',
    language: task.language,
    code: answer,
    fn: task.function,
    ...(t.assert !== undefined ? { assert: t.assert } : { args: t.args ?? [] }),
    limits: task.limits,
  });
  const ms = performance.now() - t0;
  const expectedText = t.assert === undefined ? canonicalJson(t.expect, Infinity) : undefined;
  const shown = p.hidden || expectedText === undefined ? {} : { expected: { value: expectedText } };
  if (!r.ok) return { ...p, ms, passed: false, reason: failedReason(r, task.limits), ...(r.error ? { error: r.error } : {}), ...shown };
  if (expectedText === undefined) return { ...p, ms, passed: true };
  const value = r.value ?? 'undefined';
  const passed = value === expectedText;
  return {
    ...p,
    ms,
    passed,
    ...(passed ? {} : { reason: `got ${clip(value)}, expected ${clip(expectedText)}` }),
    ...(p.hidden ? {} : { got: { value }, ...shown }),
  };
}

function clip(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The stored form of a run: each test's outcome, without times, rows or values. */
export function gradeOf(run: TaskRun): TaskGrade {
  return {
    tests: run.tests.map((t) => ({
      name: t.name,
      hidden: t.hidden,
      weight: t.weight,
      passed: t.passed,
      ...(t.reason !== undefined ? { reason: t.reason } : {}),
    })),
  };
}

/** The solution's rows on the visible data: what a sealed pack carries instead of the solution. */
export async function sqlExpected(task: SqlTask): Promise<ResultSet> {
  const sandbox = new Sandbox();
  try {
    const r = await sandbox.run({
      kind: 'sql',
      dialect: task.dialect,
      schema: task.schema,
      data: task.data,
      check: checkOf(task),
      query: task.solution,
      limits: task.limits,
    });
    if (!r.ok || !r.rows)
      throw new UserError(
        `${task.key}: the reference solution fails on the sample data: ${r.ok ? 'no rows' : failedReason(r, task.limits)}`,
      );
    return r.rows;
  } finally {
    await sandbox.close();
  }
}

/** For the task screen: each table of the schema with its columns (name, type) and its visible rows. */
export async function sqlTables(task: SqlTask): Promise<{ name: string; columns: { name: string; type: string }[]; rows: ResultSet }[]> {
  const sandbox = new Sandbox();
  try {
    const r = await sandbox.run({ kind: 'tables', dialect: task.dialect, schema: task.schema, data: task.data, limits: task.limits });
    if (!r.ok || !r.tables)
      throw new UserError(`${task.key}: the schema or data fails: ${r.ok ? 'no tables' : failedReason(r, task.limits)}`);
    return r.tables;
  } finally {
    await sandbox.close();
  }
}
