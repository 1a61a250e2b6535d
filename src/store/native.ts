// better-sqlite3 is a native module: it is compiled for one Node ABI (NODE_MODULE_VERSION) when
// it is installed, and loaded only when the first database is opened. Switching Node (nvm,
// a system upgrade) leaves an installed copy built for the old one, and npx keeps one cache for
// every Node version, so a copy built by another Node is an everyday state of an install, not a
// bug here: it gets one line with the command that fixes it.
import path from 'node:path';
import { UserError } from '../errors.js';
import { safeLine } from '../text.js';

const ADDON = `${path.sep}node_modules${path.sep}better-sqlite3${path.sep}`;

/** Single-quotes a path for a POSIX shell when it holds anything beyond plain path characters. */
function shellQuote(s: string): string {
  return /^[\w./@+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/** How to rebuild the copy of better-sqlite3 at `addon` (its .node file or any path inside it). */
function fix(addon: string | undefined): string {
  const at = addon === undefined ? -1 : addon.lastIndexOf(ADDON);
  if (addon === undefined || at < 0)
    return 'rebuild it for this Node: npm rebuild better-sqlite3, in the folder backend-quiz was installed in';
  const project = addon.slice(0, at);
  // npx installs into <npm cache>/_npx/<hash>/node_modules, one folder for every Node version.
  const npx = /^(.*[\\/]_npx[\\/][^\\/]+)$/.exec(project);
  if (npx) return `npx keeps one copy for all Node versions: remove it (rm -rf ${shellQuote(safeLine(npx[1]!))}) and run npx again`;
  return `rebuild it for this Node: cd ${shellQuote(safeLine(project))} && npm rebuild better-sqlite3`;
}

/**
 * The error for a better-sqlite3 that cannot be loaded here (built for another Node, or never
 * built), as one line with its fix; undefined for any other error.
 */
export function nativeModuleError(e: unknown, version = process.version): UserError | undefined {
  const message = (e as Error | null)?.message;
  if (typeof message !== 'string') return undefined;
  const file = /The module '(.*)'\s+was compiled against/s.exec(message)?.[1];
  const abi = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(
    message.replace(/\s+/g, ' '),
  );
  if (abi) {
    return new UserError(
      `better-sqlite3, the SQLite driver, was built for another version of Node.js (NODE_MODULE_VERSION ${abi[1]}; Node ${version} needs ${abi[2]}); ${fix(file)}`,
    );
  }
  // bindings' error when the install script never ran (npm install --ignore-scripts, a refused script).
  // Its first line after "Tried:" is " → <path>"; the arrow can be changed (NODE_BINDINGS_ARROW).
  const line = /Could not locate the bindings file\. Tried:\n([^\n]*)/.exec(message)?.[1];
  const start = line?.search(/[/\\]|[A-Za-z]:[/\\]/) ?? -1;
  const tried = line !== undefined && start >= 0 ? line.slice(start) : undefined;
  if (tried?.includes(ADDON)) {
    return new UserError(
      `better-sqlite3, the SQLite driver, was installed without being built (its install script did not run); ${fix(tried)}`,
    );
  }
  return undefined;
}
