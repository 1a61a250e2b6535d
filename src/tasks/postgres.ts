// Postgres tasks in PGlite (Postgres compiled to WebAssembly), an optional dependency: loaded inside
// the Worker only, the first time a Postgres job arrives. One database serves every job of the
// Worker: each job runs in a transaction that is rolled back, and an answer that wrote outside it
// ends the database, so the next job starts a new one. A running statement blocks the thread (statement_timeout cannot
// fire), so the host's deadline, which terminates the Worker, is what stops a runaway query.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { ResultSet } from '../bank/types.js';
import { normaliseValue } from './compare.js';
import type { EngineError, JobResult, SqlJob, Table, TablesJob } from './protocol.js';
import { positionOf } from './protocol.js';
import { PGLITE_MISSING, pgliteInstalled } from './optional.js';

const require = createRequire(import.meta.url);

let db: Promise<PGlite> | undefined;

// Dates, times and intervals as Postgres writes them (ISO 8601 under the default DateStyle), so
// the answer's and the solution's compare as text; int8 and numeric as numbers when exact.
const AS_TEXT = (s: string): string => s;
const NUMERIC = (s: string): number | string =>
  /^-?\d+(\.\d+)?$/.test(s) && s.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15 ? Number(s) : s;
const INT8 = (s: string): number | string => (Number.isSafeInteger(Number(s)) ? Number(s) : s);
const PARSERS: Record<number, (s: string) => unknown> = {
  20: INT8,
  1700: NUMERIC,
  1082: AS_TEXT,
  1083: AS_TEXT,
  1114: AS_TEXT,
  1184: AS_TEXT,
  1186: AS_TEXT,
  1266: AS_TEXT,
};

function start(dump: string | undefined): Promise<PGlite> {
  return (db ??= (async () => {
    const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
    // Its package.json is not exported: read beside the entry (dist/index.cjs).
    const pkg = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
    const version = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
    const options = { parsers: PARSERS, debug: 0 as const };
    // A data directory prepared at build time saves initdb (seconds and hundreds of MB) on each
    // start; one made by another PGlite version is not trusted.
    if (dump && fs.existsSync(dump) && fs.existsSync(`${dump}.json`)) {
      const made = (JSON.parse(fs.readFileSync(`${dump}.json`, 'utf8')) as { pglite?: string }).pglite;
      if (made === version) {
        try {
          return await PGlite.create({ ...options, loadDataDir: new Blob([fs.readFileSync(dump)], { type: 'application/x-gzip' }) });
        } catch {
          // A damaged dump: initdb below.
        }
      }
    }
    return PGlite.create(options);
  })());
}

function fail(e: unknown, sql: string | undefined, setup = false): JobResult {
  const err = e as { message?: string; position?: string; code?: string };
  const message = typeof err?.message === 'string' ? err.message : String(e);
  // 53100 disk_full and 54000 program_limit_exceeded are what temp_file_limit and oversized
  // allocations raise; 53200 is out_of_memory.
  if (err?.code === '53200' || err?.code === '53100' || /temp_file_limit|out of memory|invalid memory alloc request size/i.test(message))
    return { ok: false, limit: 'memory' };
  const detail: EngineError = { message };
  const pos = Number(err?.position);
  if (sql !== undefined && Number.isInteger(pos) && pos > 0) {
    detail.offset = pos - 1;
    Object.assign(detail, positionOf(sql, pos - 1));
  }
  return { ok: false, error: detail, ...(setup ? { setup } : {}) };
}

function resultSet(r: { fields: { name: string }[]; rows: unknown[] } | undefined, budget: number): ResultSet {
  if (!r) return { columns: [], rows: [] };
  const columns = r.fields.map((f) => f.name);
  const rows: unknown[][] = [];
  let size = JSON.stringify(columns).length;
  for (const row of r.rows as unknown[][]) {
    const out = row.map(normaliseValue);
    size += JSON.stringify(out).length + 1;
    if (size > budget) throw Object.assign(new Error('output'), { limit: 'output' });
    rows.push(out);
  }
  return { columns, rows };
}

let jobXact = '';

/** Opens the job's transaction. */
async function fresh(pg: PGlite, job: SqlJob | TablesJob): Promise<void> {
  // Spilling to temporary files (sorts, hashes) is bounded by the task's memory.
  await pg.exec(`BEGIN; SET LOCAL temp_file_limit = '${Math.floor(job.limits.memoryMb * 1024)}kB';`);
  jobXact = (await pg.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0]!.x;
}

/** Ends the database: the next job starts a new one from the prepared data directory. */
async function restart(pg: PGlite): Promise<void> {
  db = undefined;
  await pg.close().catch(() => undefined);
}

/**
 * Rolls the job back. An answer that wrote anything outside the job's transaction (a COMMIT, then
 * more statements) may have changed what no rollback or schema drop undoes: the system catalogs, a
 * built-in function the next job's reference query calls. Writes take transaction ids, so the job's
 * own id committed, or a next id that is not the one after it, ends the database.
 */
async function end(pg: PGlite): Promise<void> {
  await pg.exec('ROLLBACK').catch(() => undefined);
  try {
    const r = await pg.query<{ status: string | null; next: string }>(
      'SELECT pg_xact_status($1::text::xid8) AS status, pg_current_xact_id()::text AS next',
      [jobXact],
    );
    const { status, next } = r.rows[0]!;
    if (status === 'committed' || BigInt(next) !== BigInt(jobXact) + 1n) return restart(pg);
  } catch {
    return restart(pg);
  }
  try {
    // Session state outside transactions (settings, prepared statements, held cursors, temp tables).
    await pg.exec('DISCARD ALL');
    await pg.query('SELECT 1');
  } catch {
    // Some statements leave PGlite unusable (COPY TO PROGRAM exhausts its error stack).
    await restart(pg);
  }
}

async function prepared(job: SqlJob | TablesJob): Promise<PGlite | JobResult> {
  if (!pgliteInstalled()) return { ok: false, error: { message: PGLITE_MISSING }, unavailable: true };
  const pg = await start(job.pgDump);
  await fresh(pg, job);
  try {
    await pg.exec(job.schema);
    if (job.data.trim()) await pg.exec(job.data);
  } catch (e) {
    await end(pg);
    return fail(e, undefined, true);
  }
  return pg;
}

export async function runPostgres(job: SqlJob, started: () => void): Promise<JobResult> {
  const pg = await prepared(job);
  if (!('exec' in pg)) return pg;
  const budget = job.limits.outputKb * 1024;
  started();
  try {
    let sql = job.query;
    try {
      let results = await pg.exec(job.query, { rowMode: 'array' });
      if (results.length === 0) return { ok: false, error: { message: 'the answer has no SQL statement' } };
      if (job.check) {
        sql = job.check;
        results = await pg.exec(job.check, { rowMode: 'array' });
      }
      return { ok: true, rows: resultSet(results[results.length - 1], budget) };
    } catch (e) {
      if ((e as { limit?: string }).limit === 'output') return { ok: false, limit: 'output' };
      return fail(e, sql);
    }
  } finally {
    await end(pg);
  }
}

export async function postgresTables(job: TablesJob): Promise<JobResult> {
  const pg = await prepared(job);
  if (!('exec' in pg)) return pg;
  const budget = job.limits.outputKb * 1024;
  try {
    const names = await pg.query<{ relname: string }>(
      "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.oid",
    );
    const tables: Table[] = [];
    for (const { relname } of names.rows) {
      const cols = await pg.query<{ name: string; type: string }>(
        'SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum',
        [`"${relname.replace(/"/g, '""')}"`],
      );
      const rows = await pg.query(`SELECT * FROM "${relname.replace(/"/g, '""')}"`, [], { rowMode: 'array' });
      tables.push({ name: relname, columns: cols.rows, rows: resultSet(rows as { fields: { name: string }[]; rows: unknown[] }, budget) });
    }
    return { ok: true, tables };
  } catch (e) {
    if ((e as { limit?: string }).limit === 'output') return { ok: false, limit: 'output' };
    return fail(e, undefined);
  } finally {
    await end(pg);
  }
}
