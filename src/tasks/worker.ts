// The Worker's entry: runs one job at a time for the host (host.ts), which terminates the thread
// when a job outlives its deadline. Engines load on their first job only.
import { parentPort } from 'node:worker_threads';
import type { FromWorker, Job, JobResult, ToWorker } from './protocol.js';

async function run(job: Job, started: () => void): Promise<JobResult> {
  if (job.kind === 'code') return (await import('./quickjs.js')).runCode(job, started);
  if (job.dialect === 'postgres') {
    const pg = await import('./postgres.js');
    return job.kind === 'sql' ? pg.runPostgres(job, started) : pg.postgresTables(job);
  }
  const sqlite = await import('./sqlite.js');
  return job.kind === 'sql' ? sqlite.runSqlite(job, started) : sqlite.sqliteTables(job);
}

const port = parentPort!;
port.on('message', (msg: ToWorker) => {
  const post = (m: FromWorker): void => port.postMessage(m);
  run(msg.job, () => post({ id: msg.id, started: true })).then(
    (result) => post({ id: msg.id, result }),
    (e: unknown) => post({ id: msg.id, result: { ok: false, error: { message: e instanceof Error ? e.message : String(e) } } }),
  );
});
