// The host side of the sandbox: one Worker thread runs the jobs of a runTask call one at a time,
// and is terminated when a job outlives its deadline (a runaway recursive CTE or an allocation
// loop can be stopped no other way); the next job gets a fresh Worker.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../paths.js';
import type { FromWorker, Job, JobResult } from './protocol.js';

/** The Postgres data directory prepared by scripts/build-pglite.mjs (with its PGlite version beside it). */
export const PGLITE_DUMP = path.join(packageRoot, 'dist', 'pglite-datadir.tar.gz');

/** Past the answer's own deadline: the engine's interrupt usually answers first, the kill is the backstop. */
const GRACE_MS = 150;
/** Starting an engine and running the task's own schema and data, before the answer's clock starts. */
const SETUP_MS = 60_000;

let workerFile: Promise<string> | undefined;

/**
 * The Worker's entry next to this module: cli/task-worker.cjs in the bundle, dist/tasks/worker.js
 * in the compiled tree. From the TypeScript sources (the unit tests) there is no JavaScript to
 * start a thread on, so the entry is bundled once per process into dist/.dev (in the work tree:
 * node_modules may be shared between work trees, and the packages must resolve from the file).
 */
function resolveWorkerFile(): Promise<string> {
  return (workerFile ??= (async () => {
    const here = fileURLToPath(import.meta.url);
    if (here.endsWith('.cjs')) return path.join(path.dirname(here), 'task-worker.cjs');
    if (!here.endsWith('.ts')) return path.join(path.dirname(here), 'worker.js');
    const root = path.resolve(path.dirname(here), '..', '..');
    const out = path.join(root, 'dist', '.dev', 'task-worker.mjs');
    const tmp = `${out}.${process.pid}.${Date.now()}.mjs`;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const script = pathToFileURL(path.join(root, 'scripts', 'build-task-worker.mjs')).href;
    const { bundleTaskWorker } = (await import(script)) as {
      bundleTaskWorker: (input: string, outFile: string, format: string) => Promise<void>;
    };
    await bundleTaskWorker(path.join(root, 'src', 'tasks', 'worker.ts'), tmp, 'esm');
    fs.renameSync(tmp, out);
    return out;
  })());
}

export class Sandbox {
  private worker: Worker | undefined;
  private seq = 0;
  /** Worker threads started: 1 unless a job had to be killed. */
  started = 0;

  private async spawn(): Promise<Worker> {
    const file = await resolveWorkerFile();
    this.started++;
    const w = new Worker(file, { stdout: true, stderr: true });
    // Whatever an engine prints is not the candidate's to show on the terminal.
    w.stdout.resume();
    w.stderr.resume();
    return w;
  }

  run(job: Job): Promise<JobResult> {
    return this.runOn(job).catch((e: unknown) => ({
      ok: false,
      error: { message: `the engine stopped: ${e instanceof Error ? e.message : String(e)}` },
    }));
  }

  private async runOn(job: Job): Promise<JobResult> {
    const w = (this.worker ??= await this.spawn());
    const id = ++this.seq;
    return new Promise<JobResult>((resolve) => {
      let timer: NodeJS.Timeout;
      const finish = (r: JobResult, kill: boolean): void => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (kill) {
          if (this.worker === w) this.worker = undefined;
          void w.terminate();
        }
        resolve(r);
      };
      const onMessage = (m: FromWorker): void => {
        if (m.id !== id) return;
        if ('started' in m) {
          clearTimeout(timer);
          timer = setTimeout(() => finish({ ok: false, limit: 'time' }, true), job.limits.timeMs + GRACE_MS);
        } else finish(m.result, false);
      };
      const onError = (e: Error): void => {
        const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|allocation failed/i.test(e.message);
        finish(oom ? { ok: false, limit: 'memory' } : { ok: false, error: { message: `the engine stopped: ${e.message}` } }, true);
      };
      const onExit = (code: number): void => finish({ ok: false, error: { message: `the engine stopped (exit code ${code})` } }, true);
      timer = setTimeout(() => finish({ ok: false, error: { message: 'the engine did not start in time' } }, true), SETUP_MS);
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
