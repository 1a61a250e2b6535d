// The messages between the host and its Worker: plain data, cloned across the thread boundary.
import type { ResultSet, TaskLimits } from '../bank/types.js';

export interface EngineError {
  message: string;
  line?: number;
  col?: number;
  offset?: number;
}

export type LimitName = 'time' | 'memory' | 'output';

export interface SqlJob {
  kind: 'sql';
  dialect: 'sqlite' | 'postgres';
  schema: string;
  data: string;
  /** The candidate's answer or the reference solution: one or more statements. */
  query: string;
  check?: string;
  limits: TaskLimits;
}

export interface TablesJob {
  kind: 'tables';
  dialect: 'sqlite' | 'postgres';
  schema: string;
  data: string;
  limits: TaskLimits;
}

export interface CodeJob {
  kind: 'code';
  language: 'javascript' | 'typescript';
  code: string;
  /** The function an `args` test calls. */
  fn: string;
  args?: unknown[];
  assert?: string;
  limits: TaskLimits;
}

export type Job = SqlJob | TablesJob | CodeJob;

export interface Table {
  name: string;
  columns: { name: string; type: string }[];
  rows: ResultSet;
}

/**
 * What a job gave: rows (sql), canonical JSON text of the returned value (code, args tests),
 * nothing (code, assert tests), tables; or the limit it broke, or the engine's error.
 * `setup` marks an error of the task itself (its schema or data), not of the answer.
 */
export type JobResult =
  { ok: true; rows?: ResultSet; value?: string; tables?: Table[] } | { ok: false; limit?: LimitName; error?: EngineError; setup?: boolean };

export type ToWorker = { id: number; job: Job };
/** `started` marks the moment the answer itself begins to run: the deadline counts from there. */
export type FromWorker = { id: number; started: true } | { id: number; result: JobResult };

/** "line 3, col 7" of a 0-based offset into text. */
export function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
