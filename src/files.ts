// Reading the files a user names (banks, answers, assessments, packs, results): only regular
// files, never more than a limit. A FIFO would block the read forever and a link to /dev/zero
// would never end, so the type is checked with fstat on the descriptor that is read (no race
// with a rename), and the limit is enforced while reading, not only from the size fstat gives.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';

const MB = 1024 * 1024;
const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`;

/** Why a path cannot be read, without the file name (the caller puts it in front). */
export class Unreadable extends Error {
  constructor(
    readonly reason: string,
    /** Set when the file is over the limit. */
    readonly tooLarge?: number,
  ) {
    super(reason);
    this.name = 'Unreadable';
  }
}

/** What a path that is not a regular file is, for messages: "a directory", "a named pipe", ... */
export function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The UTF-8 text of a regular file of at most `max` bytes; throws Unreadable otherwise. */
export function readRegular(abs: string, max: number): string {
  return readRegularBytes(abs, max).bytes.toString('utf8');
}

/** The bytes of a regular file of at most `max` bytes, with its fstat; throws Unreadable otherwise. */
export function readRegularBytes(abs: string, max: number): { bytes: Buffer; stat: fs.Stats } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Unreadable(
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read it (${code ?? (e as Error).message})`,
    );
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Unreadable(`${kindOf(st)}, not a regular file`);
    if (st.size > max) throw new Unreadable(`too large (${mb(st.size)}; at most ${mb(max)})`, st.size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, max + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      // A file that grows while it is read is held to the same limit.
      if (total > max) throw new Unreadable(`too large (more than ${mb(max)})`, total);
    }
    return { bytes: Buffer.concat(chunks, total), stat: st };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a regular file of at most `max` bytes; anything else is a UserError that names it. */
export function readTextFile(file: string, cwd: string, what: string, max: number): string {
  try {
    return readRegular(path.resolve(cwd, file), max);
  } catch (e) {
    if (!(e instanceof Unreadable)) throw e;
    if (e.tooLarge !== undefined) throw new UserError(`${file}: ${e.reason.replace('too large', `too large for ${what}`)}`);
    throw new UserError(`${file}: ${e.reason === 'no such file' ? e.reason : `cannot use it as ${what}: ${e.reason}`}`);
  }
}

/**
 * Writes beside a temporary name and renames, so a crash never leaves half a file. On failure the
 * temporary file is removed if it was made, and the file system's error is thrown.
 */
function writeWhole(file: string, data: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // never made: its folder is missing or not a folder
    }
    throw e;
  }
}

/** A file the user asked for (results, reports, templates), whole or not at all; failure is a UserError. */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  try {
    writeWhole(file, text);
  } catch (e) {
    throw new UserError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * A cache file, whole or not at all, in a folder made as needed. Caches only speed things up: a
 * failure (no space, a read-only or missing folder) is ignored.
 */
export function writeCacheFile(file: string, data: string | Uint8Array): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeWhole(file, data);
  } catch {
    // the next run tries again
  }
}
