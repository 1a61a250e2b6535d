import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAllBanks, loadBankFiles } from '../../src/bank/load.js';
import { cacheDir } from '../../src/paths.js';
import { fixtures, tmpDir } from '../helpers.js';

function setup() {
  const dir = tmpDir();
  const banks = path.join(dir, 'banks');
  fs.mkdirSync(banks);
  fs.copyFileSync(path.join(fixtures, 'banks', 'valid', 'fixture.yaml'), path.join(banks, 'fixture.yaml'));
  const cache = path.join(dir, 'cache');
  const entries = (): string[] => (fs.existsSync(path.join(cache, 'banks')) ? fs.readdirSync(path.join(cache, 'banks')) : []);
  const entry = (): string => path.join(cache, 'banks', entries()[0]!);
  return { dir, banks, cache, entries, entry };
}

describe('the cache of parsed user banks', () => {
  it('is in the user cache directory, XDG_CACHE_HOME honoured', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/a')).toBe('/x/cache/backend-quiz');
    expect(cacheDir({}, 'linux', '/home/a')).toBe('/home/a/.cache/backend-quiz');
    expect(cacheDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Caches/backend-quiz');
  });

  it('keeps a parse and gives the same banks, problems and positions back without parsing', () => {
    const s = setup();
    const first = loadAllBanks([s.banks], s.dir, s.cache);
    expect(s.entries()).toHaveLength(1);
    // Mark the stored bank: if the second load returns the mark, it came from the cache.
    const stored = JSON.parse(fs.readFileSync(s.entry(), 'utf8'));
    const again = loadAllBanks([s.banks], s.dir, s.cache);
    expect(again.banks).toEqual(first.banks);
    expect(stored.key).toMatchObject({
      path: path.join(s.banks, 'fixture.yaml'),
      size: fs.statSync(path.join(s.banks, 'fixture.yaml')).size,
    });
    expect(stored.key.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loadBankFiles([s.banks], s.dir, undefined, s.cache).positions).toEqual(loadBankFiles([s.banks], s.dir).positions);
  });

  it('reads the bank from an entry whose key and digest match, and not from one whose digest does not', () => {
    const s = setup();
    loadAllBanks([s.banks], s.dir, s.cache);
    const stored = JSON.parse(fs.readFileSync(s.entry(), 'utf8'));
    stored.result.bank.title = 'From the cache';
    fs.writeFileSync(s.entry(), JSON.stringify(stored));
    const title = (): string => loadAllBanks([s.banks], s.dir, s.cache).banks.find((b) => b.id === 'fixture')!.title;
    expect(title()).toBe('Fixture bank');
    stored.digest = createHash('sha256').update(JSON.stringify(stored.result)).digest('hex');
    fs.writeFileSync(s.entry(), JSON.stringify(stored));
    // A consistent entry is what a parse of these very bytes produced: it is used without parsing.
    expect(title()).toBe('From the cache');
  });

  it.each([
    ['garbage', () => 'not json {'],
    ['another format', () => JSON.stringify({ format: 'something-else', result: { problems: [] } })],
    ['another program version', (e: Record<string, unknown>) => JSON.stringify({ ...e, program: '0.0.0-other' })],
    ['an empty file', () => ''],
  ])('ignores and rewrites an entry that is %s', (_what, corrupt) => {
    const s = setup();
    const first = loadAllBanks([s.banks], s.dir, s.cache);
    const entry = JSON.parse(fs.readFileSync(s.entry(), 'utf8'));
    fs.writeFileSync(s.entry(), corrupt(entry));
    expect(loadAllBanks([s.banks], s.dir, s.cache).banks).toEqual(first.banks);
    expect(JSON.parse(fs.readFileSync(s.entry(), 'utf8'))).toEqual(entry);
  });

  it('parses a changed file again, even with its size and mtime kept', () => {
    const s = setup();
    const file = path.join(s.banks, 'fixture.yaml');
    loadAllBanks([s.banks], s.dir, s.cache);
    const st = fs.statSync(file);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: Fixture bank', 'title: Fixture bunk'));
    fs.utimesSync(file, st.atime, st.mtime);
    expect(fs.statSync(file).size).toBe(st.size);
    expect(loadAllBanks([s.banks], s.dir, s.cache).banks.find((b) => b.id === 'fixture')!.title).toBe('Fixture bunk');
  });

  it('works without a writable cache directory', () => {
    const s = setup();
    fs.writeFileSync(s.cache, 'a file where the directory should be');
    expect(loadAllBanks([s.banks], s.dir, s.cache).banks.map((b) => b.id)).toContain('fixture');
  });
});
