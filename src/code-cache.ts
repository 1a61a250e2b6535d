// A V8 code cache for the bundle in cli/, kept in the user cache directory. Compiling the bundle's
// code (at load, and each function on its first call: the YAML parser, SQLite glue, the quiz)
// cost the scripted 10-question quiz about a third of its time above node's own start-up; with
// the code cache a run compiles almost nothing.
//
// Node 22.1 and later do this themselves (module.enableCompileCache), and that is used where it
// exists. On older Node the bundle's CommonJS files are compiled here with vm.Script and V8's
// cachedData. The data is written at exit, after the run, so it holds the functions the run
// compiled lazily too (data made right after compiling would hold only the top level).
//
// A cache file is named by the bundle file's name (rolldown puts a content hash in it), size and
// modification time, in a folder per Node version, architecture and bundle location; V8 itself
// refuses data made by another V8 or with other flags, and a refused or unreadable file is
// rebuilt. Files of a bundle file that changed or is gone are removed when new ones are written.
// Nothing here may stop the program: every failure falls back to an ordinary compile.
// BACKEND_QUIZ_NO_CODE_CACHE=1 turns it off.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { writeCacheFile } from './files.js';
import { fnv1a } from './hash.js';

interface ModuleInternals {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
}

interface ModuleClass {
  prototype: { _compile(this: ModuleInternals, content: string, filename: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: ModuleInternals, isMain: boolean, options?: unknown): string;
  _cache: Record<string, unknown>;
  enableCompileCache?: (dir: string) => { status: number };
  constants?: { compileCacheStatus?: { ENABLED: number; ALREADY_ENABLED: number } };
}

/** The folder of one installed bundle's code cache: per Node version, architecture and bundle location. */
export function cacheFolder(dir: string, bundleDir: string): string {
  return path.join(dir, `${process.version}-${process.arch}`, fnv1a(path.resolve(bundleDir)));
}

/** The folder given to Node's own compile cache, which adds a folder per Node version, architecture and V8 flags. */
export function nodeCacheFolder(dir: string): string {
  return path.join(dir, 'node');
}

/** The cache file name of a bundle file as it is now; undefined when it cannot be examined. */
function cacheName(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${path.basename(file)}-${st.size}-${Math.trunc(st.mtimeMs)}.v8`;
  } catch {
    return undefined;
  }
}

/** Removes the cache files of bundle files that are gone or have changed (an upgrade, a rebuild). */
function prune(folder: string, bundleDir: string): void {
  try {
    for (const name of fs.readdirSync(folder)) {
      const m = /^(.+)-\d+-\d+\.v8$/.exec(name);
      if (m && cacheName(path.join(bundleDir, m[1]!)) !== name) fs.rmSync(path.join(folder, name), { force: true });
    }
  } catch {
    // nothing to prune
  }
}

function readCache(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Compiles the CommonJS files under `bundleDir` through a code cache in `dir`. Returns how it
 * works here: 'node' (Node's own compile cache), 'vm' (this module's), or 'off'.
 */
export function installCodeCache(bundleDir: string, dir: string, env: NodeJS.ProcessEnv = process.env): 'node' | 'vm' | 'off' {
  if (env.BACKEND_QUIZ_NO_CODE_CACHE === '1') return 'off';
  const Module = createRequire(import.meta.url)('node:module') as ModuleClass;
  if (typeof Module.enableCompileCache === 'function') {
    // FAILED (an unwritable folder) and DISABLED (NODE_DISABLE_COMPILE_CACHE) are reported, not
    // thrown; ALREADY_ENABLED means NODE_COMPILE_CACHE chose the folder, which is as good.
    try {
      const { status } = Module.enableCompileCache(nodeCacheFolder(dir));
      const ok = Module.constants?.compileCacheStatus;
      return ok !== undefined && (status === ok.ENABLED || status === ok.ALREADY_ENABLED) ? 'node' : 'off';
    } catch {
      return 'off';
    }
  }
  const compile = Module.prototype._compile;
  if (typeof compile !== 'function' || typeof Module.wrap !== 'function') return 'off';
  const prefix = bundleDir.endsWith(path.sep) ? bundleDir : bundleDir + path.sep;
  const folder = cacheFolder(dir, bundleDir);
  const pending: { script: vm.Script; file: string }[] = [];
  Module.prototype._compile = function (this: ModuleInternals, content: string, filename: string): unknown {
    if (!filename.startsWith(prefix)) return compile.call(this, content, filename);
    const name = cacheName(filename);
    const file = name === undefined ? undefined : path.join(folder, name);
    const cachedData = readCache(file);
    let script: vm.Script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      return compile.call(this, content, filename);
    }
    if (file !== undefined && (cachedData === undefined || script.cachedDataRejected)) pending.push({ script, file });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Object.assign((id: string) => this.require(id), {
      resolve: (request: string, options?: unknown) => Module._resolveFilename(request, this, false, options),
      cache: Module._cache,
    });
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    if (pending.length === 0) return;
    for (const { script, file } of pending) writeCacheFile(file, script.createCachedData());
    prune(folder, bundleDir);
  });
  return 'vm';
}
