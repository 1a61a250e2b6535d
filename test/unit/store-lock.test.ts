// Another process holding the write lock: a worker thread plays that process, so the test decides
// exactly when the lock is let go, and nothing depends on how fast the machine is.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/errors.js';
import { onLockWait, openStore, withStore } from '../../src/store/db.js';
import { tmpDir } from '../helpers.js';

const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * A connection in a worker that takes the write lock (BEGIN IMMEDIATE), says so, and commits when
 * `release` is called (the flag is set from this thread, even while it is blocked in SQLite).
 */
async function holdWriteLock(file: string): Promise<{ release: () => void; done: Promise<void> }> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const Sqlite = require(workerData.sqlitePath);
     const db = new Sqlite(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('held');
     Atomics.wait(workerData.flag, 0, 0);
     db.exec('COMMIT');
     db.close();`,
    { eval: true, workerData: { file, flag, sqlitePath } },
  );
  const done = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => resolve());
  });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const release = (): void => {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  return { release, done };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('another process holds the write lock', () => {
  it('a new file another process is making WAL is waited for, not refused at once (SQLITE_BUSY without the busy handler)', async () => {
    const file = path.join(tmpDir(), 'new.db');
    // The other process is still in the rollback journal of a new file, about to write its header.
    const other = await holdWriteLock(file);
    // Saying it waits is what lets the other process go: refused at once, nothing is said.
    const restore = onLockWait(() => other.release());
    try {
      const db = openStore(file);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    } finally {
      onLockWait(restore);
      other.release();
      await other.done;
    }
  });

  it('a write waits, says once what it is waiting for, and succeeds when the lock is let go', async () => {
    // Without the notice nobody lets go: fail well within the test's time.
    vi.stubEnv('BACKEND_QUIZ_LOCK_TIMEOUT', '10');
    const file = path.join(tmpDir(), 'busy.db');
    openStore(file).close();
    const other = await holdWriteLock(file);
    const told: string[] = [];
    const restore = onLockWait((f) => {
      told.push(f);
      other.release();
    });
    try {
      const count = withStore(
        file,
        (db) =>
          db
            .transaction(() => {
              db.exec('CREATE TABLE probe (x)');
              db.prepare('INSERT INTO probe VALUES (1)').run();
              return db.prepare('SELECT count(*) FROM probe').pluck().get();
            })
            .immediate(),
        'write',
      );
      expect(count).toBe(1);
    } finally {
      onLockWait(restore);
      other.release();
      await other.done;
    }
    expect(told).toEqual([file]);
  });

  it('gives up after BACKEND_QUIZ_LOCK_TIMEOUT with one line that names the file and how to wait longer', async () => {
    vi.stubEnv('BACKEND_QUIZ_LOCK_TIMEOUT', '2.5');
    const file = path.join(tmpDir(), 'held.db');
    openStore(file).close();
    const other = await holdWriteLock(file);
    const told: string[] = [];
    const restore = onLockWait((f) => told.push(f));
    let error: unknown;
    try {
      withStore(file, (db) => db.transaction(() => db.exec('CREATE TABLE probe (x)')).immediate(), 'write');
    } catch (e) {
      error = e;
    } finally {
      onLockWait(restore);
      other.release();
      await other.done;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      `${file} stayed locked by another process for longer than 2.5 seconds; try again when it has finished, or wait longer with BACKEND_QUIZ_LOCK_TIMEOUT=<seconds>`,
    );
    expect(told).toEqual([file]);
  });
});
