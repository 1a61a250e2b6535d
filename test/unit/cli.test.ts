import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { createProgram, type Loader } from '../../src/cli.js';
import { Capture } from '../helpers.js';

/** Parses argv with commands replaced by a recorder: what would each command receive? */
async function parse(argv: string[]): Promise<{ name: string; args: unknown[] } | undefined> {
  let seen: { name: string; args: unknown[] } | undefined;
  const load: Loader = async (name) => ({ run: async (...args: unknown[]) => ((seen = { name, args }), 0) });
  const out = new Capture();
  const program = createProgram({ load, setExitCode: () => {}, context: {}, output: { writeOut: (s) => out.write(s), writeErr: (s) => out.write(s) } });
  await program.parseAsync(argv, { from: 'user' });
  return seen;
}

describe('argv -> command options', () => {
  it.each([
    [['take'], 'take', [undefined, { count: 10, feedback: 'end', color: true }]],
    [['take', '-t', 'http-apis', 'security', '-n', '5'], 'take', [undefined, { topic: ['http-apis', 'security'], count: 5 }]],
    [['take', '--topic', 'a,b', '--topic', 'c'], 'take', [undefined, { topic: ['a', 'b', 'c'] }]],
    [['take', '--difficulty', 'easy', 'hard', '--seed', '42', '--candidate', 'ann'], 'take', [undefined, { difficulty: ['easy', 'hard'], seed: 42, candidate: 'ann' }]],
    [['take', '--answers', 'a.yaml', '--json', '--feedback', 'none'], 'take', [undefined, { answers: 'a.yaml', json: true, feedback: 'none' }]],
    [['--db', 'x.db', '--no-color', 'take'], 'take', [undefined, { db: 'x.db', color: false }]],
    [['--banks', 'one', '--banks', 'two,three', 'topics'], 'topics', [{ banks: ['one', 'two', 'three'] }]],
    [['take', '--db', 'x.db', '--banks', 'b'], 'take', [undefined, { db: 'x.db', banks: ['b'] }]],
    [['history', '-c', 'ann', '--limit', '3', '--json'], 'history', [{ candidate: 'ann', limit: 3, json: true }]],
    [['show', 'abcd1234'], 'show', ['abcd1234', {}]],
    [['validate', 'a', 'b', '--json'], 'validate', [['a', 'b'], { json: true }]],
    [['take', 'senior.pack.json', '--candidate', 'ann'], 'take', ['senior.pack.json', { candidate: 'ann', out: '.' }]],
    [['take', '--assessment', 'senior.yaml', '-o', 'results'], 'take', [undefined, { assessment: 'senior.yaml', out: 'results' }]],
    [['take', '--resume'], 'take', [undefined, { resume: true }]],
    [['take', '--resume', 'abcd1234'], 'take', [undefined, { resume: 'abcd1234' }]],
    [['assessment', 'init', 'a.yaml', '--force'], 'assessment', ['init', 'a.yaml', { force: true }]],
    [['assessment', 'check', 'a.yaml', '--json'], 'assessment', ['check', 'a.yaml', { json: true }]],
    [['assessment', 'pack', 'a.yaml', '-o', 'p.json', '--key-out', 'k.json'], 'assessment', ['pack', 'a.yaml', { out: 'p.json', keyOut: 'k.json' }]],
    [['import', 'results/', 'k.json', '--json'], 'import', [['results/', 'k.json'], { json: true }]],
    [['report', '--assessment', 'senior', '--format', 'html', '-o', 'c.html', '--no-details'], 'report', [[], { assessment: 'senior', format: 'html', output: 'c.html', details: false }]],
    [['--db', 'x.db', 'doctor', '--json'], 'doctor', [{ db: 'x.db', json: true }]],
    [['report', 'abcd', 'efgh', '--status', 'finished,timed_out', '--since', '2026-11-01'], 'report', [['abcd', 'efgh'], { status: ['finished', 'timed_out'], since: '2026-11-01', details: true }]],
  ])('%j', async (argv, name, args) => {
    const seen = await parse(argv);
    expect(seen?.name).toBe(name);
    expect(seen?.args).toHaveLength(args.length);
    args.forEach((a, i) => (typeof a === 'object' && !Array.isArray(a) ? expect(seen!.args[i]).toMatchObject(a as object) : expect(seen!.args[i]).toEqual(a)));
  });

  it.each([
    [['take', '--count', '0'], /--count must be from 1/],
    [['take', '--seed', '-1'], /unknown option '-1'|--seed must be/],
    [['take', '--feedback', 'later'], /Allowed choices are immediate, end, none/],
    [['take', '--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['show'], /missing required argument 'session-id'/],
    [['assessment', 'pack', 'a.yaml'], /required option '-o, --out <file>' not specified/],
    [['report', '--format', 'pdf'], /Allowed choices are text, md, html, csv, json/],
    [['import'], /missing required argument 'paths'/],
  ])('%j is a usage error', async (argv, message) => {
    const error = await parse(argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).message).toMatch(message);
  });

  it('prints help without loading any command', async () => {
    const out = new Capture();
    let loaded = 0;
    const program = createProgram({ load: async () => ((loaded++), { run: async () => 0 }), context: { stdin: { isTTY: false }, stdout: out }, output: { writeOut: (s) => out.write(s) } });
    await program.parseAsync([], { from: 'user' });
    expect(out.text).toContain('Usage: backend-quiz');
    expect(out.text).toContain('Examples:');
    expect(loaded).toBe(0);
  });
});
