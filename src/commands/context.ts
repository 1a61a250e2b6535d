import path from 'node:path';
import type { ChalkInstance } from 'chalk';
import { cacheDir } from '../paths.js';
import { colourEnabled, makePaint } from '../ui/style.js';

export type Out = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
export type In = NodeJS.ReadableStream & { isTTY?: boolean };

/** What every command may be given; each defaults to the process's own, so tests pass their own. */
export interface CommonOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: Out;
  stderr?: Out;
  stdin?: In;
  /** false with --no-color */
  color?: boolean;
  /** extra bank directories (--banks) */
  banks?: string[];
  /** results database (--db) */
  db?: string;
}

export interface Context {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Out;
  stderr: Out;
  stdin: In;
  paint: ChalkInstance;
  bankDirs: string[];
  db?: string;
  /** Where parsed user banks are cached. */
  cacheDir: string;
}

export function resolveContext(o: CommonOptions): Context {
  const env = o.env ?? process.env;
  const stdout = o.stdout ?? process.stdout;
  const fromEnv = env.BACKEND_QUIZ_BANKS ? env.BACKEND_QUIZ_BANKS.split(path.delimiter).filter(Boolean) : [];
  return {
    cwd: o.cwd ?? process.cwd(),
    env,
    stdout,
    stderr: o.stderr ?? process.stderr,
    stdin: o.stdin ?? process.stdin,
    paint: makePaint(colourEnabled(stdout, env, o.color)),
    bankDirs: o.banks?.length ? o.banks : fromEnv,
    db: o.db,
    cacheDir: cacheDir(env),
  };
}
