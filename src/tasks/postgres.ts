// Postgres tasks in PGlite: not yet.
import type { JobResult, SqlJob, TablesJob } from './protocol.js';

export async function runPostgres(job: SqlJob, started: () => void): Promise<JobResult> {
  void job;
  void started;
  return { ok: false, error: { message: 'Postgres tasks are not supported yet' } };
}

export async function postgresTables(job: TablesJob): Promise<JobResult> {
  void job;
  return { ok: false, error: { message: 'Postgres tasks are not supported yet' } };
}
