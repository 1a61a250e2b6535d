import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { UserError } from '../errors.js';
import { kindOf, writeCacheFile } from '../files.js';
import { fnv1a } from '../hash.js';
import { safeLine } from '../text.js';
import { cacheDir } from '../paths.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';
import { nativeModuleError } from './native.js';

// Every transaction that writes begins IMMEDIATE (better-sqlite3's .immediate()): it takes the
// write lock first, waiting up to the busy timeout. A deferred one that read before writing could
// be refused at once with SQLITE_BUSY when another process wrote in between, without waiting.

/** PRAGMA application_id marks a file as ours ("BQz1"), so another program's database is never migrated. */
export const APPLICATION_ID = 0x42517a31;
const SQLITE_HEADER = 'SQLite format 3\u0000';

// A read-only open that must leave no -wal or -shm behind names the file as a URI with
// immutable=1 (see openReadOnly). better-sqlite3 reads this once, when the driver is loaded by the
// first open. Every other open passes an absolute path, so a file named file:... is never read as
// a URI.
process.env.SQLITE_USE_URI = '1';

/**
 * `read` commands (history, show, report) open a file they may not write as read-only;
 * `write` commands (take, import, pack) refuse it before any change.
 */
export type StoreMode = 'read' | 'write';

function notOurs(file: string, why: string): UserError {
  return new UserError(
    `${file} is not a backend-quiz results database (${why}); it was left untouched. Choose another file with --db or BACKEND_QUIZ_DB.`,
  );
}

/**
 * Why a file that SQLite can read is somebody else's, or undefined when it is ours or empty (a
 * database to set up). Our files carry APPLICATION_ID from their first migration on.
 */
export function foreignReason(appId: number, userVersion: number, names: readonly string[], latest: number): string | undefined {
  if (appId === APPLICATION_ID) return undefined;
  if (names.length) {
    const shown = names.slice(0, 5).map(safeLine).join(', ');
    return `it holds other tables: ${shown}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
  }
  if (userVersion !== 0) {
    return userVersion < 1 || userVersion > latest
      ? `its user_version is ${userVersion}, which is not a backend-quiz schema version`
      : `its user_version is ${userVersion}, but it lacks backend-quiz's application_id`;
  }
  if (appId !== 0) return `its application_id is 0x${(appId >>> 0).toString(16).padStart(8, '0')}, another program's mark`;
  return undefined;
}

/** The error for a damaged file; from now on the file is checked at every open (see leftSound). */
export function damaged(file: string, why: string): UserError {
  forgetSound(file);
  return new UserError(
    `${file} is damaged (${why}). backend-quiz will not write to it: restore it from a backup, or move it aside (mv ${file} ${file}.damaged) to start a new one; 'backend-quiz doctor --db ${file}' checks it.`,
  );
}

function permissionDenied(file: string, why: string): UserError {
  return new UserError(`permission denied: ${why}. Fix the permissions, or choose another file with --db or BACKEND_QUIZ_DB (${file}).`);
}

/**
 * SQLite's corruption, I/O and permission errors (and a stored row that no longer parses, or a
 * driver built for another Node) as the one-line messages a person can act on; anything else is
 * returned unchanged.
 */
export function storeError(e: unknown, file: string): unknown {
  if (e instanceof UserError) return e;
  // The driver itself is loaded by the first open; one built for another Node fails there.
  const native = nativeModuleError(e);
  if (native) return native;
  const code = (e as { code?: unknown } | null)?.code;
  const message = (e as Error | null)?.message ?? String(e);
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return damaged(file, message);
    // A header SQLite refuses (its schema format number, say) is damage to a file that says it is SQLite.
    if (code === 'SQLITE_ERROR' && message === 'unsupported file format')
      return damaged(file, `SQLite cannot read its header (${message})`);
    if (/^SQLITE_IOERR/.test(code)) return damaged(file, `${message}; the disk or the file system failed to read or write it`);
    if (/^SQLITE_(READONLY|PERM|CANTOPEN|AUTH)/.test(code)) return permissionDenied(file, `${file} cannot be written (${message})`);
    if (code === 'SQLITE_FULL')
      return new UserError(`the disk holding ${file} is full; free some space and try again (what was saved so far is kept)`);
    if (/^SQLITE_BUSY/.test(code)) return lockedTooLong(file);
  }
  // Every JSON column is written by JSON.stringify: one that does not parse was changed on disk.
  if (e instanceof SyntaxError && /JSON/.test(message)) return damaged(file, `a stored row is not valid JSON: ${message}`);
  return e;
}

/**
 * How long a command waits for another process (another backend-quiz writing a report, an import
 * or a migration of a large file) to release the write lock: long enough that a candidate's answer
 * is never lost to a busy machine. BACKEND_QUIZ_LOCK_TIMEOUT (seconds) changes it.
 */
export const LOCK_TIMEOUT_MS = 60_000;
/** After this long waiting for the write lock, a person at a terminal is told what it waits for. */
const LOCK_NOTICE_AFTER_MS = 2_000;

export function lockTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.BACKEND_QUIZ_LOCK_TIMEOUT);
  return env.BACKEND_QUIZ_LOCK_TIMEOUT?.trim() && Number.isFinite(s) && s >= 0 ? Math.round(s * 1000) : LOCK_TIMEOUT_MS;
}

function lockedTooLong(file: string): UserError {
  const s = lockTimeoutMs() / 1000;
  return new UserError(
    `${file} stayed locked by another process for longer than ${s} second${s === 1 ? '' : 's'}; try again when it has finished, or wait longer with BACKEND_QUIZ_LOCK_TIMEOUT=<seconds>`,
  );
}

let lockNotice: (file: string) => void = (file) => {
  // Once, and only to a person: JSON and CI output stay clean, and the error says it all there.
  if (process.stderr.isTTY) process.stderr.write(`backend-quiz: waiting for ${safeLine(file)}: another process is writing to it…\n`);
};

/** Replaces what is said while waiting for the write lock (tests); returns the previous one. */
export function onLockWait(notice: (file: string) => void): (file: string) => void {
  const before = lockNotice;
  lockNotice = notice;
  return before;
}

const isBusy = (e: unknown): boolean => /^SQLITE_BUSY/.test(String((e as { code?: unknown } | null)?.code ?? ''));

/** Blocks the thread for ms milliseconds: better-sqlite3 is synchronous, and so is the wait. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `step` (which takes a lock) again and again while SQLite answers SQLITE_BUSY without
 * having waited itself, until the lock timeout has passed.
 */
function retryWhileBusy<T>(step: () => T, file: string, deadline: number): T {
  let told = false;
  const start = Date.now();
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      return step();
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
    }
    if (!told && Date.now() - start >= LOCK_NOTICE_AFTER_MS) {
      told = true;
      lockNotice(file);
    }
    pause(Math.min(delay, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Every IMMEDIATE transaction first waits a short while for the write lock, then says once what it
 * is waiting for and waits for the rest of the lock timeout. SQLite's busy handler cannot say
 * anything while it waits, so the wait is cut in two. A transaction whose body already ran is
 * never repeated: only a BEGIN that found the lock taken is.
 */
function patientTransactions(db: Database, file: string, limitMs: number): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    let began = false;
    const t = transaction(function (this: unknown, ...args: unknown[]) {
      began = true;
      return fn.apply(this, args);
    });
    const immediate = (...args: unknown[]): unknown => {
      if (db.inTransaction || limitMs <= LOCK_NOTICE_AFTER_MS) return t.immediate(...args);
      began = false;
      try {
        db.pragma(`busy_timeout = ${LOCK_NOTICE_AFTER_MS}`);
        try {
          return t.immediate(...args);
        } catch (e) {
          if (began || !isBusy(e)) throw e;
        }
        lockNotice(file);
        db.pragma(`busy_timeout = ${limitMs - LOCK_NOTICE_AFTER_MS}`);
        return t.immediate(...args);
      } finally {
        db.pragma(`busy_timeout = ${limitMs}`);
      }
    };
    return Object.assign((...args: unknown[]) => t(...args), {
      default: t.default,
      deferred: t.deferred,
      immediate,
      exclusive: t.exclusive,
      database: db,
    });
  }) as Database['transaction'];
}

/** What the first 100 bytes of an SQLite file say, read before SQLite opens it. */
interface Header {
  appId: number;
  userVersion: number;
  /** Why SQLite would refuse the header, when it would. */
  problem?: string;
}

interface Inspection {
  exists: boolean;
  writable: boolean;
  /** Absent for a file that does not exist yet or is empty. */
  header?: Header;
}

function readHeader(buf: Buffer, n: number): Header | undefined {
  if (n < 100) return undefined;
  const header: Header = { appId: buf.readUInt32BE(68), userVersion: buf.readInt32BE(60) };
  // The schema format number (offset 44) is 1 to 4 in every file SQLite writes (0 while it holds
  // no schema); anything above makes it refuse the file as "unsupported file format".
  const format = buf.readUInt32BE(44);
  if (format > 4) header.problem = `byte 44 of its header, the schema format number, is ${format}; SQLite writes 0 to 4 there`;
  return header;
}

/** Whether the file exists and may be written; checks the first bytes before SQLite touches it. */
function inspect(file: string, mode: StoreMode): Inspection {
  const dir = path.dirname(file);
  const canWrite = (p: string): boolean => {
    try {
      fs.accessSync(p, fs.constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES') throw permissionDenied(file, `${file} cannot be read`);
    if (code !== 'ENOENT') throw new UserError(`cannot open ${file}: ${code ?? (e as Error).message}`);
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw permissionDenied(file, `cannot create the folder ${dir} (${(err as NodeJS.ErrnoException).code})`);
    }
    if (!canWrite(dir)) throw permissionDenied(file, `cannot create ${file}: the folder ${dir} is not writable`);
    return { exists: false, writable: true };
  }
  // A FIFO would block the open, a device would be "read" forever or written to: only regular files.
  if (!st.isFile()) throw new UserError(`${file} is ${kindOf(st)}; --db takes the path of a database file`);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw code === 'EACCES' ? permissionDenied(file, `${file} cannot be read`) : new UserError(`cannot open ${file}: ${code}`);
  }
  let header: Header | undefined;
  try {
    const now = fs.fstatSync(fd);
    if (!now.isFile()) throw new UserError(`${file} is ${kindOf(now)}; --db takes the path of a database file`);
    const buf = Buffer.alloc(100);
    const n = fs.readSync(fd, buf, 0, 100, 0);
    if (n > 0 && (n < 16 || buf.toString('latin1', 0, 16) !== SQLITE_HEADER)) throw notOurs(file, 'not an SQLite file');
    header = readHeader(buf, n);
  } finally {
    fs.closeSync(fd);
  }
  // SQLite writes -wal and -shm beside the file: the folder must be writable too.
  const writable = canWrite(file) && canWrite(dir);
  if (!writable && mode === 'write') {
    throw permissionDenied(
      file,
      canWrite(file) ? `the folder ${dir} is not writable, and SQLite keeps its journal there` : `${file} is read-only`,
    );
  }
  return { exists: true, writable, ...(header ? { header } : {}) };
}

/** The names of a database's tables, views, indexes and triggers, SQLite's own left out. */
const OBJECT_NAMES = `SELECT json_group_array(name) FROM (SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name)`;

/**
 * Opens a file read-only without creating, changing or leaving anything beside it. While no
 * write-ahead log exists, every committed change is in the file itself, and it is opened
 * immutable: SQLite then needs no -shm (which a read-only folder could not hold, and which a
 * read-only connection would leave behind) and takes no locks. A process that starts writing
 * while it is read is noticed afterwards (see changedWhileRead). With a log present, another
 * process is writing or was killed while it wrote: SQLite reads the log through the -shm beside
 * it, which it can do read-only since 3.22.
 */
export function openReadOnly(file: string): Database {
  const abs = path.resolve(file);
  if (fs.existsSync(`${abs}-wal`)) {
    try {
      return new Sqlite(abs, { readonly: true, fileMustExist: true, timeout: lockTimeoutMs() });
    } catch (e) {
      if (/^SQLITE_(READONLY|CANTOPEN)/.test(String((e as { code?: unknown }).code)))
        throw permissionDenied(
          file,
          `${file}-wal holds changes not yet in ${file}, and only a user who may write the folder ${path.dirname(abs)} can read them (any backend-quiz command run by the file's owner folds them in)`,
        );
      throw e;
    }
  }
  const db = new Sqlite(`${pathToFileURL(abs).href}?immutable=1`, { readonly: true, fileMustExist: true });
  immutableStamps.set(db, mainStamp(file));
  return db;
}

/** The stamp of each immutable connection's file as it was opened. */
const immutableStamps = new WeakMap<Database, string | undefined>();

/**
 * True when an immutable connection's file was changed by another process after it was opened:
 * what it read may be half old and half new, so an error it met is not damage.
 */
export function changedWhileRead(db: Database, file: string): boolean {
  // Another process's write-ahead log alone leaves the file as it was: only a checkpoint changes it.
  return immutableStamps.has(db) && immutableStamps.get(db) !== mainStamp(file);
}

function changedError(file: string): UserError {
  return new UserError(`${file} was changed by another process while it was being read; run the command again`);
}

/**
 * Whose file this is, read without writing anything: user_version, application_id and its
 * tables, from an immutable connection. Undefined when SQLite cannot read it that way; the open
 * that follows then says what is wrong.
 */
function probe(file: string): { appId: number; userVersion: number; names: string[] } | undefined {
  let db: Database | undefined;
  try {
    db = new Sqlite(`${pathToFileURL(path.resolve(file)).href}?immutable=1`, { readonly: true, fileMustExist: true });
    const [userVersion, appId, names] = db
      .prepare(
        `SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id), (${OBJECT_NAMES})`,
      )
      .raw()
      .get() as [number, number, string];
    return { appId, userVersion, names: JSON.parse(names) as string[] };
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

function schemaVersion(db: Database, file: string, latest: number): number {
  // One statement, so one snapshot: read one by one, another process's first migration could
  // commit between the reads, and its new tables would look like somebody else's.
  const [current, appId, names] = db
    .prepare(`SELECT (SELECT user_version FROM pragma_user_version), (SELECT application_id FROM pragma_application_id), (${OBJECT_NAMES})`)
    .raw()
    .get() as [number, number, string];
  const why = foreignReason(appId, current, JSON.parse(names) as string[], latest);
  if (why) throw notOurs(file, why);
  if (current < 0) throw damaged(file, `its schema version is ${current}, which backend-quiz never writes`);
  if (current > latest) {
    throw new UserError(
      `${file} was written by a newer version of backend-quiz (schema ${current}; this version knows up to ${latest}). Upgrade backend-quiz to read it; the file was left untouched.`,
    );
  }
  return current;
}

/**
 * Brings the schema to the newest version. Several processes may open a new file at once, so the
 * version is read again inside a write-locked (BEGIN IMMEDIATE) transaction: only the first one
 * migrates, the others wait for it and then find nothing to do.
 */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = allMigrations): void {
  const latest = migrations.at(-1)?.version ?? 0;
  if (schemaVersion(db, file, latest) === latest) return;
  // Migrations that rebuild a table must not cascade through foreign keys; openStore turns them
  // back on (the pragma is a no-op inside a transaction, so it is set here, outside).
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    const current = schemaVersion(db, file, latest);
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
  }).immediate();
}

/** Opens the store for one piece of work and closes it afterwards, whatever happens. */
export function withStore<T>(file: string, work: (db: Database) => T, mode: StoreMode = 'read'): T {
  const db = openStore(file, mode);
  try {
    return unchanged(db, file, work(db));
  } catch (e) {
    throw failure(db, file, e);
  } finally {
    db.close();
  }
}

/** What an immutable connection read while the file changed may mix two states of it. */
function unchanged<T>(db: Database, file: string, result: T): T {
  if (changedWhileRead(db, file)) throw changedError(file);
  return result;
}

function failure(db: Database, file: string, e: unknown): unknown {
  return changedWhileRead(db, file) ? changedError(file) : storeError(e, file);
}

/** withStore for work that awaits (import runs tasks between its transactions). */
export async function withStoreAsync<T>(file: string, work: (db: Database) => Promise<T>, mode: StoreMode = 'read'): Promise<T> {
  const db = openStore(file, mode);
  try {
    return unchanged(db, file, await work(db));
  } catch (e) {
    throw failure(db, file, e);
  } finally {
    db.close();
  }
}

/**
 * A read opens a file up to this size with a check (PRAGMA quick_check, every page, 1.5 to 4 ms a
 * megabyte from the page cache, more from a cold disk); bigger files are read relying on SQLite's
 * own checks as it reads each page (turned into the same message) and on `doctor`. Writes are
 * never made without the full check (see checkOnOpen), whatever the size.
 */
export const QUICK_CHECK_MAX_BYTES = 16 * 1024 * 1024;

/** What PRAGMA quick_check or integrity_check found, one line each, without SQLite's banner. */
function findings(rows: Record<string, string>[]): string[] {
  const lines = rows.flatMap((r) => String(Object.values(r)[0]).split('\n')).filter((l) => l && !/^\*\*\* in database/.test(l));
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

/** `PRAGMA quick_check`: the b-tree structure without the index cross-checks, a pass over every page. */
export function quickCheck(db: Database): string | undefined {
  const found = findings(db.pragma('quick_check(3)') as Record<string, string>[]);
  return found.length ? found.join('; ') : undefined;
}

/** Every column that holds JSON (written by JSON.stringify), by table. */
const JSON_COLUMNS: Record<string, string[]> = {
  questions: ['snapshot'],
  sessions: ['settings'],
  session_questions: ['choice_order'],
  answers: ['response'],
  assessments: ['definition'],
  packs: ['key'],
  calibrations: ['filters', 'settings'],
};

/** The JSON columns of the tables present that hold a value JSON.parse would refuse, at most `max`. */
export function brokenJson(db: Database, max = 20): string[] {
  const present = new Set(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[]);
  const found: string[] = [];
  for (const [table, columns] of Object.entries(JSON_COLUMNS)) {
    if (!present.has(table)) continue;
    for (const column of columns) {
      // json_valid is NULL for NULL (an unanswered question), 0 for anything JSON.parse refuses.
      const n = db.prepare(`SELECT count(*) FROM ${table} WHERE json_valid(${column}) = 0`).pluck().get() as number;
      if (n > 0) found.push(`${n} row${n === 1 ? '' : 's'} of ${table} hold${n === 1 ? 's' : ''} a ${column} that is not valid JSON`);
    }
  }
  return found.slice(0, max);
}

/**
 * The check a write needs first: PRAGMA integrity_check (every page, and every index against its
 * table, which quick_check skips) and the JSON of every stored row. From the page cache: 35 to 50 ms
 * for 1,000 sittings (13 MB), about 2 s for a million answers (250 MB), 1.4 to 2 times quick_check
 * (bench/interviewer.mjs); paid only when the file is not known sound (see soundAs).
 */
export function fullCheck(db: Database): string | undefined {
  const found = [...findings(db.pragma('integrity_check(3)') as Record<string, string>[]), ...brokenJson(db, 3)];
  return found.length ? found.slice(0, 3).join('; ') : undefined;
}

/**
 * A file is checked when it is opened unless it is exactly as backend-quiz last left it, sound:
 * the same device, inode, size, modification time and status-change time (ctime, to the
 * nanosecond), and the same write-ahead log (or none), as recorded in the user cache directory
 * when the last connection that knew it sound closed: a log written since, by a process that was
 * killed or is still writing, does not match. The record also says how
 * far it was checked: 'full' lets a write skip its check, 'quick' only a read. The kernel sets
 * ctime at every write and every change of the modification time, and no call sets it back, so
 * bytes changed in place with the modification time restored are noticed too. Damage that does
 * not pass through the file system (a failing disk, a restored disk snapshot keeping the inode)
 * is found only when SQLite reads the page, or by `doctor`.
 */
const damagedHere = new Set<string>();

type Checked = 'full' | 'quick';

const statStamp = (st: fs.BigIntStats): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;

/** The main file as it is now (its log aside). */
function mainStamp(file: string): string | undefined {
  try {
    return `${path.resolve(file)}\n${statStamp(fs.statSync(file, { bigint: true }))}\n`;
  } catch {
    return undefined;
  }
}

/**
 * The file and its write-ahead log as they are now. The log is part of the stamp, not a reason
 * to distrust the file: while another connection (a sitting in another terminal) keeps it open,
 * the log stays after this one closes, and a log unchanged since then holds nothing new.
 */
function stampOf(file: string): string | undefined {
  const main = mainStamp(file);
  if (main === undefined) return undefined;
  let wal = 'no log';
  try {
    // Not the log's ctime: SQLite run as root hands the log to the database's owner (fchown) when
    // a connection opens it, which moves its ctime with no byte written.
    const st = fs.statSync(`${file}-wal`, { bigint: true });
    if (st.size > 0n) wal = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    // no write-ahead log
  }
  return `${main}${wal}\n`;
}

const stampFile = (file: string): string => path.join(cacheDir(), 'checked', `${fnv1a(path.resolve(file))}.stamp`);

/** How far the file was checked when last known sound, if it has not changed since. */
export function soundAs(file: string): Checked | undefined {
  try {
    const now = stampOf(file);
    const recorded = fs.readFileSync(stampFile(file), 'utf8');
    if (now === undefined || !recorded.startsWith(now)) return undefined;
    const level = recorded.slice(now.length).trim();
    return level === 'full' || level === 'quick' ? level : undefined;
  } catch {
    return undefined;
  }
}

/** True when the file is as it was when last known sound. */
export function leftSound(file: string): boolean {
  return soundAs(file) !== undefined;
}

function recordSound(file: string, level: Checked): void {
  if (damagedHere.has(path.resolve(file))) return;
  const stamp = stampOf(file);
  if (stamp === undefined) return;
  // Without a cache folder the file is checked at every open.
  writeCacheFile(stampFile(file), `${stamp}${level}\n`);
}

function forgetSound(file: string): void {
  if (file === ':memory:') return;
  damagedHere.add(path.resolve(file));
  try {
    fs.rmSync(stampFile(file), { force: true });
  } catch {
    // nothing recorded
  }
}

/**
 * Makes sure a file about to be written is sound, and a file about to be read is as far as a read
 * checks; records, when the connection closes, how far it is known sound.
 */
function checkOnOpen(db: Database, file: string, willWrite: boolean): void {
  const known = soundAs(file);
  let level: Checked | undefined = known;
  if (willWrite) {
    // A damaged file is never written to: a new session in it could be lost with the rest, and
    // would hide how far the damage goes. So before the first write, whatever its size.
    if (known !== 'full') {
      const problem = fullCheck(db);
      if (problem) throw damaged(file, `integrity check: ${problem}`);
      level = 'full';
    }
  } else if (known === undefined && fs.statSync(file).size <= QUICK_CHECK_MAX_BYTES) {
    const problem = quickCheck(db);
    if (problem) throw damaged(file, `integrity check: ${problem}`);
    level = 'quick';
  }
  if (level === undefined) return;
  const sound = level;
  const close = db.close.bind(db);
  db.close = () => {
    close();
    recordSound(file, sound);
    return db;
  };
}

export function openStore(file: string, mode: StoreMode = 'write', migrations: readonly Migration[] = allMigrations): Database {
  const latest = migrations.at(-1)?.version ?? 0;
  const memory = file === ':memory:';
  const { exists, writable, header } = memory ? { exists: false, writable: true, header: undefined } : inspect(file, mode);
  if (header?.problem) throw damaged(file, header.problem);
  // Whose file it is, decided before anything is written: another program's is left byte for byte.
  // A file of ours says so in its header; only others, and new empty files, are probed.
  if (exists && header?.appId !== APPLICATION_ID) {
    const seen = probe(file);
    const why = seen && foreignReason(seen.appId, seen.userVersion, seen.names, latest);
    if (why) throw notOurs(file, why);
  }
  let db: Database;
  try {
    db = memory ? new Sqlite(file) : writable ? new Sqlite(path.resolve(file), { timeout: lockTimeoutMs() }) : openReadOnly(file);
  } catch (e) {
    throw storeError(e, file);
  }
  const deadline = Date.now() + lockTimeoutMs();
  try {
    // Reading the schema is the first thing that fails on a file that is not a database.
    try {
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (code === 'SQLITE_NOTADB') throw notOurs(file, (e as Error).message);
      throw e;
    }
    // Before the file is WAL, these reads can meet another process turning it WAL (see below).
    const version = retryWhileBusy(() => schemaVersion(db, file, latest), file, deadline);
    if (!writable && version !== latest) {
      throw permissionDenied(file, `${file} needs an upgrade to this version's format but is read-only`);
    }
    // A read that finds an old schema migrates it: a write like any other.
    if (!memory) retryWhileBusy(() => checkOnOpen(db, file, writable && (mode === 'write' || version !== latest)), file, deadline);
    if (writable) {
      // Turning a new file to WAL writes its header inside a read transaction, and SQLite answers
      // SQLITE_BUSY at once, without its busy handler, when another process is doing the same:
      // the one that lost waits here until the first has made the file WAL.
      retryWhileBusy(
        () => {
          if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
        },
        file,
        deadline,
      );
      patientTransactions(db, file, lockTimeoutMs());
      migrate(db, file, migrations);
    }
    db.pragma('foreign_keys = ON');
    // WAL + NORMAL is durable against process crashes, which is what "a crash loses at most the
    // question on screen" needs; FULL would add an fsync per answer for power loss only.
    if (writable) db.pragma('synchronous = NORMAL');
  } catch (e) {
    const changed = changedWhileRead(db, file);
    db.close();
    throw changed ? changedError(file) : storeError(e, file);
  }
  return db;
}

export interface Diagnosis {
  file: string;
  /** true when every check passed. */
  ok: boolean;
  schemaVersion: number | null;
  sessions: number | null;
  answers: number | null;
  /** What PRAGMA integrity_check and foreign_key_check reported, at most 20 lines. */
  problems: string[];
}

/**
 * The full `PRAGMA integrity_check` (every page, every index against its table), the JSON of every
 * stored row and the foreign keys, read-only: a damaged file is examined, never changed, and
 * nothing is left beside it.
 */
export function diagnose(file: string, migrations: readonly Migration[] = allMigrations): Diagnosis {
  const { exists, header } = inspect(file, 'read');
  if (!exists) throw new UserError(`${file}: no such database; there is nothing to check`);
  const result: Diagnosis = { file, ok: false, schemaVersion: null, sessions: null, answers: null, problems: [] };
  const latest = migrations.at(-1)?.version ?? 0;
  if (header?.problem) {
    // SQLite cannot open it at all: the header is the finding.
    result.problems.push(header.problem);
    return result;
  }
  if (header?.appId !== APPLICATION_ID) {
    const seen = probe(file);
    const why = seen && foreignReason(seen.appId, seen.userVersion, seen.names, latest);
    if (why) throw notOurs(file, why);
  }
  let db: Database;
  try {
    db = openReadOnly(file);
  } catch (e) {
    throw storeError(e, file);
  }
  try {
    try {
      result.schemaVersion = schemaVersion(db, file, latest);
      result.problems.push(...findings(db.pragma('integrity_check(20)') as Record<string, string>[]).slice(0, 20));
      if (result.problems.length === 0) result.problems.push(...brokenJson(db, 20));
      const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      for (const b of broken.slice(0, 20 - result.problems.length))
        result.problems.push(`a row of ${b.table} refers to a missing row of ${b.parent}`);
      if (result.problems.length === 0) {
        result.sessions = db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
        result.answers = db.prepare('SELECT count(*) FROM answers').pluck().get() as number;
      }
    } catch (e) {
      if (changedWhileRead(db, file)) throw changedError(file);
      const err = storeError(e, file);
      // A file too damaged to read its schema is a finding of the check, not a failure of it.
      if (err instanceof UserError && /is damaged/.test(err.message)) result.problems.push((e as Error).message);
      else throw err;
    }
    if (result.problems.length && changedWhileRead(db, file)) throw changedError(file);
  } finally {
    db.close();
  }
  result.ok = result.problems.length === 0;
  return result;
}
