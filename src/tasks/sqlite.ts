// SQLite tasks in sql.js (SQLite compiled to WebAssembly): loaded inside the Worker only. Its file
// system is Emscripten's in-memory one, so ATTACH and VACUUM INTO write nowhere on the host, and
// the build has neither load_extension nor readfile.
import { createRequire } from 'node:module';
import type { Database, SqlJsStatic } from 'sql.js';
import type { ResultSet } from '../bank/types.js';
import { normaliseValue } from './compare.js';
import type { EngineError, JobResult, SqlJob, Table, TablesJob } from './protocol.js';
import { positionOf } from './protocol.js';

const require = createRequire(import.meta.url);
let engine: Promise<SqlJsStatic> | undefined;

function load(): Promise<SqlJsStatic> {
  const init = require('sql.js') as (config?: object) => Promise<SqlJsStatic>;
  return (engine ??= init());
}

/** A limit broken, said as the reason names it; anything else is the engine's own error. */
export class LimitError extends Error {
  constructor(readonly limit: 'memory' | 'output') {
    super(limit);
  }
}

function isOutOfMemory(e: unknown): boolean {
  const m = e instanceof Error ? e.message : String(e);
  return /out of memory|memory access out of bounds|Cannot enlarge memory|Aborted\(OOM\)/i.test(m);
}

/** Rows of one statement, stopped as soon as their JSON passes the output limit. */
function collect(stmt: ReturnType<Database['prepare']>, budget: number): ResultSet {
  const columns = stmt.getColumnNames();
  const rows: unknown[][] = [];
  let size = JSON.stringify(columns).length;
  while (stmt.step()) {
    const row = stmt.get().map(normaliseValue);
    size += JSON.stringify(row).length + 1;
    if (size > budget) throw new LimitError('output');
    rows.push(row);
  }
  return { columns, rows };
}

/**
 * Runs every statement of `sql`, returning the rows of the last. A syntax error carries the offset
 * of the token SQLite names ('near "SELEC"'), found in the failing statement.
 */
function runStatements(db: Database, sql: string, budget: number): ResultSet {
  const it = db.iterateStatements(sql);
  let last: ResultSet | undefined;
  for (;;) {
    const start = sql.length - it.getRemainingSQL().length;
    let next: IteratorResult<ReturnType<Database['prepare']>>;
    try {
      next = it.next();
    } catch (e) {
      throw withPosition(e, sql, start);
    }
    if (next.done) break;
    const stmt = next.value;
    try {
      last = collect(stmt, budget);
    } catch (e) {
      throw withPosition(e, sql, start);
    } finally {
      stmt.free();
    }
  }
  if (!last) throw new SqlError({ message: 'the answer has no SQL statement' });
  return last;
}

export class SqlError extends Error {
  constructor(readonly detail: EngineError) {
    super(detail.message);
  }
}

function withPosition(e: unknown, sql: string, start: number): unknown {
  if (e instanceof LimitError || isOutOfMemory(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  const near = /near "((?:[^"]|"")*)"/.exec(message);
  let offset = start + (/^\s*/.exec(sql.slice(start))?.[0].length ?? 0);
  if (near) {
    const at = sql.indexOf(near[1]!.replace(/""/g, '"'), start);
    if (at >= 0) offset = at;
  }
  return new SqlError({ message, offset, ...positionOf(sql, offset) });
}

function failure(e: unknown, setup = false): JobResult {
  if (e instanceof LimitError) return { ok: false, limit: e.limit };
  if (isOutOfMemory(e)) return { ok: false, limit: 'memory' };
  if (e instanceof SqlError) return { ok: false, error: e.detail, ...(setup ? { setup } : {}) };
  return { ok: false, error: { message: e instanceof Error ? e.message : String(e) }, ...(setup ? { setup } : {}) };
}

async function open(job: SqlJob | TablesJob): Promise<Database> {
  const SQL = await load();
  const db = new SQL.Database();
  // Bounds SQLite's own allocations: past it a statement fails with SQLITE_NOMEM, the Worker lives.
  db.exec(`PRAGMA hard_heap_limit = ${Math.floor(job.limits.memoryMb * 1024 * 1024)}`);
  return db;
}

function setup(db: Database, job: SqlJob | TablesJob): JobResult | undefined {
  try {
    db.exec(job.schema);
    db.exec(job.data);
    return undefined;
  } catch (e) {
    return failure(e, true);
  }
}

export async function runSqlite(job: SqlJob, started: () => void): Promise<JobResult> {
  const db = await open(job);
  try {
    const bad = setup(db, job);
    if (bad) return bad;
    const budget = job.limits.outputKb * 1024;
    started();
    try {
      let rows = runStatements(db, job.query, budget);
      if (job.check) rows = runStatements(db, job.check, budget);
      return { ok: true, rows };
    } catch (e) {
      return failure(e);
    }
  } finally {
    db.close();
  }
}

export async function sqliteTables(job: TablesJob): Promise<JobResult> {
  const db = await open(job);
  try {
    const bad = setup(db, job);
    if (bad) return bad;
    const budget = job.limits.outputKb * 1024;
    const names = runStatements(
      db,
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
      budget,
    );
    const tables: Table[] = [];
    for (const [name] of names.rows as [string][]) {
      const quoted = `"${name.replace(/"/g, '""')}"`;
      const stmt = db.prepare('SELECT name, type FROM pragma_table_info(?)', [name]);
      let info: ResultSet;
      try {
        info = collect(stmt, budget);
      } finally {
        stmt.free();
      }
      tables.push({
        name,
        columns: (info.rows as [string, string][]).map(([n, t]) => ({ name: n, type: t })),
        rows: runStatements(db, `SELECT * FROM ${quoted}`, budget),
      });
    }
    return { ok: true, tables };
  } catch (e) {
    return failure(e);
  } finally {
    db.close();
  }
}
