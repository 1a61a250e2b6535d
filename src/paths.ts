import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (holds questions/, dist/, schema/), whether run from src via vitest, from dist or from the bundle in cli/. */
export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
export const builtinBankDir = path.join(packageRoot, 'questions');
export const builtinBankJson = path.join(packageRoot, 'dist', 'banks.json');
export const builtinBankIndex = path.join(packageRoot, 'dist', 'banks-index.json');

/** The per-user data directory of the platform (XDG on Linux). */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'backend-quiz');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'backend-quiz');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'backend-quiz');
}

/** --db wins, then BACKEND_QUIZ_DB, then the data directory. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag || env.BACKEND_QUIZ_DB || path.join(dataDir(env), 'results.db'));
}

/** The per-user cache directory of the platform (XDG on Linux): parsed user banks are kept there. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'backend-quiz', 'cache');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'backend-quiz');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'backend-quiz');
}
