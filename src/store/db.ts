import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { UserError } from '../errors.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/** PRAGMA application_id marks a file as ours ("BQz1"), so another program's database is never migrated. */
export const APPLICATION_ID = 0x42517a31;
const SQLITE_HEADER = 'SQLite format 3\u0000';

function notOurs(file: string, why: string): UserError {
  return new UserError(`${file} is not a backend-quiz results database (${why}); it was left untouched. Choose another file with --db or BACKEND_QUIZ_DB.`);
}

/** Checks the first bytes before SQLite touches the file: a text file must not be turned into a database. */
function checkHeader(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new UserError(`${file} is a directory; --db takes a file path.`);
    throw new UserError(`cannot open ${file}: ${(e as NodeJS.ErrnoException).code}`);
  }
  try {
    const buf = Buffer.alloc(16);
    const n = fs.readSync(fd, buf, 0, 16, 0);
    if (n === 0) return; // empty file: treat as new
    if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) throw notOurs(file, 'not an SQLite file');
  } finally {
    fs.closeSync(fd);
  }
}

/** Brings the schema to the newest version, one transaction per migration. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = allMigrations): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get() as { n: number };
    if (current !== 0 || tables.n > 0) throw notOurs(file, 'it holds other tables');
  }
  if (current > latest) {
    throw new UserError(`${file} was written by a newer version of backend-quiz (schema ${current}; this version knows up to ${latest}). Upgrade backend-quiz to read it; the file was left untouched.`);
  }
  // Migrations that rebuild a table must not cascade through foreign keys; openStore turns them
  // back on (the pragma is a no-op inside a transaction, so it is set here, outside).
  if (current < latest) db.pragma('foreign_keys = OFF');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length) throw new Error(`migration ${m.version} (${m.name}) left ${broken.length} rows with broken references`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** Opens the store for one piece of work and closes it afterwards, whatever happens. */
export function withStore<T>(file: string, work: (db: Database) => T): T {
  const db = openStore(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

export function openStore(file: string, migrations: readonly Migration[] = allMigrations): Database {
  if (file !== ':memory:') {
    checkHeader(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }
  let db: Database;
  try {
    db = new Sqlite(file);
    // Reading the schema is the first thing that fails on a corrupt file.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (e) {
    throw notOurs(file, (e as Error).message);
  }
  try {
    migrate(db, file, migrations);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // WAL + NORMAL is durable against process crashes, which is what "a crash loses at most the
    // question on screen" needs; FULL would add an fsync per answer for power loss only.
    db.pragma('synchronous = NORMAL');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
