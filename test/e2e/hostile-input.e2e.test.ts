// Untrusted banks and answers files on the built bin: pathological YAML found by mutating the
// real banks gives a few clear lines, exit 1 (validate) or 2 (take), in bounded memory.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, root, tmpDir } from '../helpers.js';
import { writeGeneratedBanks } from '../../scripts/generated-banks.mjs';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const banks = path.join(fixtures, 'banks', 'valid');
// The child reports its own peak RSS as it exits.
const REPORT_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS+"\\n"))';

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', REPORT_RSS, bin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const rssMb = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\n?maxrss=\d+\n$/, ''), rssMb };
}

const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$|RangeError|Maximum call stack/m);

const flowList = (bytes: number): string => `bank: flood\ntitle: T\nquestions: [${'a,'.repeat(bytes / 2 - 20)}a]\n`;

describe('pathological banks under validate', () => {
  it.each([
    ['3,000 nested "- " (6 KB)', `bank: deep\ntitle: T\nquestions:\n  ${'- '.repeat(3000)}x\n`, 1],
    ['deeply nested flow collections', `bank: deep\ntitle: T\nquestions: ${'[{a: '.repeat(2000)}${'}]'.repeat(2000)}\n`, 1],
    ['1.9 MB of "}"', '}'.repeat(1_900_000), 21],
    ['80,000 keys in one mapping', Array.from({ length: 80_000 }, (_, i) => `k${i}: v`).join('\n'), 1],
    ['35,000 keys in one mapping', Array.from({ length: 35_000 }, (_, i) => `k${i}: v`).join('\n'), 21],
    ['a 2 MB flow list', flowList(2 * 1024 * 1024 - 64), 1],
    ['524,000 lines of "- a" (2 MB)', `bank: flood\ntitle: T\nquestions:\n${'- a\n'.repeat(524_000)}`, 1],
  ])(
    '%s: a few lines, exit 1, peak RSS at most 200 MB',
    (_name, text, lines) => {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'bad.yaml'), text);
      const r = cli(['validate', 'bad.yaml'], dir);
      expect(r.code).toBe(1);
      noStack(r.stdout + r.stderr);
      const out = r.stdout.trim().split('\n');
      expect(out.length - 1).toBeLessThanOrEqual(lines);
      expect(out.at(-1)).toMatch(/^\d+ problems? in 1 file$/);
      for (const line of out.slice(0, -1))
        expect(line).toMatch(/^bad\.yaml:\d+:\d+: |^\.\.\. and \d+ more problems in bad\.yaml \(fix the ones above first\)$/);
      expect(r.rssMb).toBeLessThanOrEqual(200);
    },
    60_000,
  );

  it('10,000 valid questions in five files: the trees of earlier files do not pile up', () => {
    const dir = tmpDir();
    writeGeneratedBanks(dir);
    const r = cli(['validate', '.'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('10000 questions');
    // The target is 200 MB, on every supported Node (the smoke test of each line checks it too).
    // With V8's defaults the peak was 176 to 258 MB on Node 20 and 297 on Node 24, whose young
    // generation may grow four times as large; with the heap grown by half at a time and the young
    // generation kept small, 112 to 146 on Node 20 to 26 (src/memory.ts).
    expect(r.rssMb).toBeLessThanOrEqual(180);
  });

  it('--json lists the first 20 problems of a file and counts the rest', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'bad.yaml'), Array.from({ length: 1000 }, (_, i) => `k${i}: v`).join('\n'));
    const r = cli(['validate', 'bad.yaml', '--json'], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.problems).toHaveLength(20);
    expect(out.omitted).toEqual([{ file: 'bad.yaml', count: 1003 - 20 }]);
    const text = cli(['validate', 'bad.yaml'], dir).stdout.split('\n');
    expect(text[20]).toBe('... and 983 more problems in bad.yaml (fix the ones above first)');
    expect(text[21]).toBe('1003 problems in 1 file');
  });
});

describe('pathological answers files under take', () => {
  const take = (dir: string): string[] => [
    '--banks',
    banks,
    'take',
    '-t',
    'fixture',
    '-n',
    '5',
    '--answers',
    'a.yaml',
    '--db',
    path.join(dir, 'r.db'),
  ];
  it.each([
    ['nested answers', `fixture/pick-two: ${'['.repeat(3000)}${']'.repeat(3000)}`, /nesting deeper than 64 levels/],
    [
      'a 3 MB answers file',
      `fixture/retry-header: ${'a'.repeat(3 * 1024 * 1024)}`,
      /a\.yaml: too large for an answers file \(3\.0 MB; at most 2\.0 MB\)/,
    ],
    [
      'a 600-character text answer',
      `fixture/retry-header: ${'a'.repeat(600)}`,
      /the answer to fixture\/retry-header has 600 characters; an answer may have at most 500/,
    ],
    [
      '35,000 keys',
      Array.from({ length: 35_000 }, (_, i) => `fixture/k${i}: v`).join('\n'),
      /\.\.\. and 34980 more problems in a\.yaml \(fix the ones above first\)/,
    ],
    [
      '80,000 keys',
      Array.from({ length: 80_000 }, (_, i) => `fixture/k${i}: v`).join('\n'),
      /^backend-quiz: a\.yaml:\d+:\d+: more than 120,000 values/,
    ],
  ])(
    '%s: exit 2 with positions, nothing stored',
    (_name, text, message) => {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'a.yaml'), text);
      const r = cli(take(dir), dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      noStack(r.stderr);
      expect(r.stderr.split('\n').length).toBeLessThanOrEqual(24);
      expect(fs.existsSync(path.join(dir, 'r.db'))).toBe(false);
    },
    60_000,
  );
});

describe('a bank pattern that would backtrack forever', () => {
  it('validate passes /^(a+)+$/ and take scores "aaaa…ab" at once (a backtracking engine hung for 30 s+)', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'banks'));
    fs.writeFileSync(
      path.join(dir, 'banks', 'redos.yaml'),
      "bank: redos\ntitle: ReDoS\nquestions:\n  - id: q\n    type: text\n    difficulty: easy\n    prompt: Type some a.\n    explanation: Any number of a.\n    accept: ['/^(a+)+$/']\n",
    );
    fs.writeFileSync(path.join(dir, 'a.yaml'), `redos/q: ${'a'.repeat(34)}b\n`);
    expect(cli(['validate', 'banks'], dir).code).toBe(0);
    // Not timed: a backtracking engine would still be at it when cli()'s time limit kills it.
    const r = cli(
      ['--banks', 'banks', 'take', '-t', 'redos', '-n', '1', '--answers', 'a.yaml', '--json', '--db', path.join(dir, 'r.db')],
      dir,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).questions[0]).toMatchObject({ outcome: 'wrong', points: 0 });
  }, 90_000);
});
