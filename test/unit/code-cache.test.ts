// The code cache of the bundle, exercised in child processes (it hooks Node's CommonJS loader for
// the rest of a process): a first run writes V8 data for each bundle file it loads, a second uses
// it, and damaged, stale or switched-off caches never change what the code does.
import { spawnSync } from 'node:child_process';
import * as nodeModule from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cacheFolder, nodeCacheFolder } from '../../src/code-cache.js';

// The built module (npm test builds first): the child runs plain JavaScript.
const hook = path.resolve('dist/code-cache.js');
let work: string;
let bundle: string;
let cache: string;

/** Runs a program that installs the cache for `bundle` and requires its main.cjs; returns what it printed. */
function run(env: NodeJS.ProcessEnv = {}): { out: string; mode: string } {
  const program = `
    const { installCodeCache } = await import(${JSON.stringify(hook)});
    const { createRequire } = await import('node:module');
    const mode = installCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});
    const out = createRequire(import.meta.url)(${JSON.stringify(path.join(bundle, 'main.cjs'))});
    console.log(JSON.stringify({ out, mode }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', env: { ...process.env, ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as { out: string; mode: string };
}

// Node 22.1+ uses its own compile cache, in a folder of its own under nodeCacheFolder; on Node 20
// the vm.Script path writes to cacheFolder. Every test below holds on both.
const native = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const dataFolder = (): string => (native ? nodeCacheFolder(cache) : cacheFolder(cache, bundle));

/** The cache's data files, relative to its data folder, sorted. */
const cached = (): string[] => {
  const folder = dataFolder();
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(folder, f)).isFile()).sort();
};

/** Each data file with its bytes, to tell which ones a run left alone. */
const snapshot = (): Map<string, string> =>
  new Map(cached().map((f) => [f, fs.readFileSync(path.join(dataFolder(), f)).toString('base64')]));

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-code-cache-'));
  bundle = path.join(work, 'cli');
  cache = path.join(work, 'cache');
  fs.mkdirSync(bundle);
  // Two files, as the bundle's chunks: one requires the other, a Node built-in and itself by resolve.
  fs.writeFileSync(
    path.join(bundle, 'main.cjs'),
    `const part = require('./part-abc.cjs');\nconst { sep } = require('node:path');\nmodule.exports = part.greet('cache') + sep + typeof require.resolve('./part-abc.cjs') + ' ' + __filename.endsWith('main.cjs');\n`,
  );
  fs.writeFileSync(path.join(bundle, 'part-abc.cjs'), `exports.greet = (who) => 'hello ' + who;\n`);
});

describe(`code cache (${native ? "Node's compile cache" : 'vm.Script'})`, () => {
  it('writes data for each bundle file on the first run and runs the same on the next', () => {
    const first = run();
    expect(first).toEqual({ out: 'hello cache/string true', mode: native ? 'node' : 'vm' });
    const files = cached();
    expect(files).toHaveLength(2);
    if (!native) expect(files.map((f) => f.replace(/-\d+-\d+\.v8$/, ''))).toEqual(['main.cjs', 'part-abc.cjs']);
    const stamps = files.map((f) => fs.statSync(path.join(dataFolder(), f)).mtimeMs);
    expect(run()).toEqual(first);
    // Accepted data is not written again.
    expect(cached()).toEqual(files);
    expect(files.map((f) => fs.statSync(path.join(dataFolder(), f)).mtimeMs)).toEqual(stamps);
  });

  it('refuses damaged data, runs the source and writes the data anew', () => {
    run();
    const folder = dataFolder();
    const junk = Buffer.alloc(4096, 0x5a);
    expect(cached()).toHaveLength(2);
    for (const f of cached()) fs.writeFileSync(path.join(folder, f), junk);
    expect(run().out).toBe('hello cache/string true');
    expect(cached()).toHaveLength(2);
    for (const f of cached()) expect(fs.readFileSync(path.join(folder, f)).equals(junk)).toBe(false);
  });

  it("a changed bundle file runs its new code, and its old data is replaced; the other file's is kept", () => {
    run();
    const before = snapshot();
    fs.writeFileSync(path.join(bundle, 'part-abc.cjs'), `exports.greet = (who) => 'goodbye ' + who + '!';\n`);
    expect(run().out).toBe('goodbye cache!/string true');
    const after = snapshot();
    expect(after.size).toBe(2);
    // One entry (main.cjs) is the same file with the same bytes; the other (part-abc.cjs) is not.
    const kept = [...after].filter(([f, bytes]) => before.get(f) === bytes);
    expect(kept).toHaveLength(1);
  });

  it('BACKEND_QUIZ_NO_CODE_CACHE=1 turns it off', () => {
    expect(run({ BACKEND_QUIZ_NO_CODE_CACHE: '1' })).toEqual({ out: 'hello cache/string true', mode: 'off' });
    expect(fs.existsSync(cache)).toBe(false);
  });

  it('an unwritable cache folder changes nothing but speed', () => {
    fs.writeFileSync(cache, 'a file where the folder would be');
    const r = run();
    expect(r.out).toBe('hello cache/string true');
    // Node reports that it cannot make its folder; the vm.Script path finds out only when writing.
    expect(r.mode).toBe(native ? 'off' : 'vm');
  });
});
