// A cache of parsed user banks, so a user with big banks does not pay the YAML parse (about
// 7 MB/s) on every start. One entry per bank file and program version, in the user cache
// directory; the key inside is the file's path, size, mtime and a SHA-256 of its bytes, so a
// changed file is parsed again even when its size and mtime were kept. An entry that does not
// parse, is of another format or version, or whose own digest does not match is ignored and
// rewritten: the cache is never trusted over the file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import { monthOf, type ParsedBank } from './parse.js';
import { writeCacheFile } from '../files.js';

// Versioned with the parse: an entry written by an earlier parser may hold other problems.
const FORMAT = 'backend-quiz/bank-cache@2';
// Read from the package root, which paths.ts finds from src/, dist/ and the bundle alike.
const { version: programVersion } = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };

export interface CacheKey {
  path: string;
  /** The name problems and sources are reported under (as given on the command line). */
  shown: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

interface Entry {
  format: typeof FORMAT;
  program: string;
  key: CacheKey;
  /** The month of the parse: whether a `checked:` month lies in the future depends on it. */
  month: string;
  /** ParsedBank with positions and checked months as [key, value] pairs. */
  result: Omit<ParsedBank, 'positions' | 'checked'> & {
    positions?: [string, { line: number; col: number }][];
    checked?: [string, string][];
  };
  digest: string;
}

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

export function cacheKey(abs: string, shown: string, st: { size: number; mtimeMs: number }, bytes: Buffer): CacheKey {
  return { path: abs, shown, size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(bytes) };
}

function entryFile(dir: string, key: CacheKey): string {
  return path.join(dir, 'banks', `${sha256(`${programVersion}\0${key.path}\0${key.shown}`).slice(0, 32)}.json`);
}

const sameKey = (a: CacheKey, b: CacheKey): boolean =>
  a.path === b.path && a.shown === b.shown && a.size === b.size && a.mtimeMs === b.mtimeMs && a.sha256 === b.sha256;

/** The cached parse of the file with this key, or undefined. */
export function readCached(dir: string, key: CacheKey, now = new Date()): ParsedBank | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(fs.readFileSync(entryFile(dir, key), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (
    entry === null ||
    typeof entry !== 'object' ||
    entry.format !== FORMAT ||
    entry.program !== programVersion ||
    entry.month !== monthOf(now) ||
    !entry.key ||
    !sameKey(entry.key, key)
  )
    return undefined;
  if (
    typeof entry.result !== 'object' ||
    entry.result === null ||
    !Array.isArray(entry.result.problems) ||
    entry.digest !== sha256(JSON.stringify(entry.result))
  )
    return undefined;
  const { positions, checked, ...rest } = entry.result;
  return { ...rest, ...(positions ? { positions: new Map(positions) } : {}), ...(checked ? { checked: new Map(checked) } : {}) };
}

/** Stores a parse; a cache that cannot be written (read-only home, full disk) is simply not used. */
export function writeCached(dir: string, key: CacheKey, parsed: ParsedBank, now = new Date()): void {
  const { positions, checked, ...rest } = parsed;
  const result: Entry['result'] = {
    ...rest,
    ...(positions ? { positions: [...positions] } : {}),
    ...(checked ? { checked: [...checked] } : {}),
  };
  const entry: Entry = {
    format: FORMAT,
    program: programVersion,
    month: monthOf(now),
    key,
    result,
    digest: sha256(JSON.stringify(result)),
  };
  writeCacheFile(entryFile(dir, key), JSON.stringify(entry));
}
