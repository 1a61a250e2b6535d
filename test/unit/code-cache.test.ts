// The code cache of the bundle, exercised in child processes (it hooks Node's CommonJS loader for
// the rest of a process): a first run writes V8 data for each bundle file it loads, a second uses
// it, and damaged, stale or switched-off caches never change what the code does.
import { spawnSync } from 'node:child_process';
import * as nodeModule from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cacheFolder } from '../../src/code-cache.js';

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

const cached = (): string[] => {
  const folder = cacheFolder(cache, bundle);
  return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
};

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

describe('code cache', () => {
  // Node 22.1+ uses its own compile cache; this machine's Node 20 takes the vm.Script path.
  const native = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

  it.skipIf(native)('writes V8 data for each bundle file on the first run and runs the same on the next', () => {
    const first = run();
    expect(first).toEqual({ out: 'hello cache/string true', mode: 'vm' });
    const files = cached();
    expect(files.map((f) => f.replace(/-\d+-\d+\.v8$/, ''))).toEqual(['main.cjs', 'part-abc.cjs']);
    const stamps = files.map((f) => fs.statSync(path.join(cacheFolder(cache, bundle), f)).mtimeMs);
    expect(run()).toEqual(first);
    // Accepted data is not written again.
    expect(files.map((f) => fs.statSync(path.join(cacheFolder(cache, bundle), f)).mtimeMs)).toEqual(stamps);
  });

  it.skipIf(native)('refuses damaged data, runs the source and writes the data anew', () => {
    run();
    const folder = cacheFolder(cache, bundle);
    for (const f of cached()) fs.writeFileSync(path.join(folder, f), Buffer.alloc(4096, 0x5a));
    expect(run().out).toBe('hello cache/string true');
    for (const f of cached()) expect(fs.readFileSync(path.join(folder, f)).equals(Buffer.alloc(4096, 0x5a))).toBe(false);
  });

  it.skipIf(native)('a changed bundle file runs its new code, and the old data is removed', () => {
    run();
    const before = cached();
    fs.writeFileSync(path.join(bundle, 'part-abc.cjs'), `exports.greet = (who) => 'goodbye ' + who + '!';\n`);
    expect(run().out).toBe('goodbye cache!/string true');
    const after = cached();
    expect(after).toHaveLength(2);
    expect(after).toContain(before.find((f) => f.startsWith('main.cjs'))!);
    expect(after).not.toContain(before.find((f) => f.startsWith('part-abc.cjs'))!);
  });

  it('BACKEND_QUIZ_NO_CODE_CACHE=1 turns it off', () => {
    expect(run({ BACKEND_QUIZ_NO_CODE_CACHE: '1' })).toEqual({ out: 'hello cache/string true', mode: 'off' });
    expect(cached()).toEqual([]);
  });

  it.skipIf(native)('an unwritable cache folder changes nothing but speed', () => {
    fs.writeFileSync(cache, 'a file where the folder would be');
    expect(run().out).toBe('hello cache/string true');
  });
});
