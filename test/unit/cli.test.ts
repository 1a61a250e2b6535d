import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { CURRICULUM_RULES } from '../../src/bank/rules.js';
import { createProgram, type Loader } from '../../src/cli.js';
import { Capture } from '../helpers.js';

/** Parses argv with commands replaced by a recorder: what would each command receive? */
async function parse(argv: string[]): Promise<{ name: string; args: unknown[] } | undefined> {
  let seen: { name: string; args: unknown[] } | undefined;
  const load: Loader = async (name) => ({ run: async (...args: unknown[]) => ((seen = { name, args }), 0) });
  const out = new Capture();
  const program = createProgram({
    load,
    setExitCode: () => {},
    context: {},
    output: { writeOut: (s) => out.write(s), writeErr: (s) => out.write(s) },
  });
  await program.parseAsync(argv, { from: 'user' });
  return seen;
}

describe('argv -> command options', () => {
  it.each([
    [['take'], 'take', [undefined, { feedback: 'end', color: true }]],
    [['take', '-t', 'http-apis', 'security', '-n', '5'], 'take', [undefined, { topic: ['http-apis', 'security'], count: 5 }]],
    [['take', '--topic', 'a,b', '--topic', 'c'], 'take', [undefined, { topic: ['a', 'b', 'c'] }]],
    [
      ['take', '--difficulty', 'easy', 'hard', '--seed', '42', '--candidate', 'ann'],
      'take',
      [undefined, { difficulty: ['easy', 'hard'], seed: 42, candidate: 'ann' }],
    ],
    [
      ['take', '--answers', 'a.yaml', '--json', '--feedback', 'none'],
      'take',
      [undefined, { answers: 'a.yaml', json: true, feedback: 'none' }],
    ],
    [['--db', 'x.db', '--no-color', 'take'], 'take', [undefined, { db: 'x.db', color: false }]],
    [['--banks', 'one', '--banks', 'two,three', 'topics'], 'topics', [[], { banks: ['one', 'two', 'three'] }]],
    [['topics', 'caching', 'http-apis', '--json'], 'topics', [['caching', 'http-apis'], { json: true }]],
    [['take', '--db', 'x.db', '--banks', 'b'], 'take', [undefined, { db: 'x.db', banks: ['b'] }]],
    [['history', '-c', 'ann', '--limit', '3', '--json'], 'history', [{ candidate: 'ann', limit: 3, json: true }]],
    [['show', 'abcd1234'], 'show', ['abcd1234', {}]],
    [['validate', 'a', 'b', '--json'], 'validate', [['a', 'b'], { json: true }]],
    [['take', 'senior.pack.json', '--candidate', 'ann'], 'take', ['senior.pack.json', { candidate: 'ann' }]],
    [['take', '--assessment', 'senior.yaml', '-o', 'r.json'], 'take', [undefined, { assessment: 'senior.yaml', output: 'r.json' }]],
    [
      ['take', '--assessment', 'senior.yaml', '--result-dir', 'results'],
      'take',
      [undefined, { assessment: 'senior.yaml', resultDir: 'results' }],
    ],
    [['take', '--resume'], 'take', [undefined, { resume: true }]],
    [['take', '--resume', 'abcd1234'], 'take', [undefined, { resume: 'abcd1234' }]],
    [['take', '--retry', 'mistakes', '-t', 'caching'], 'take', [undefined, { retry: 'mistakes', topic: ['caching'] }]],
    [['practice'], 'practice', [{ count: 10 }]],
    [
      ['practice', '-t', 'caching,graphql', '-d', 'hard', '-n', '5', '-c', 'ann', '--seed', '3', '--answers', 'a.yaml', '--json'],
      'practice',
      [{ topic: ['caching', 'graphql'], difficulty: ['hard'], count: 5, candidate: 'ann', seed: 3, answers: 'a.yaml', json: true }],
    ],
    [['practice', '--status', '--at', '2026-11-02'], 'practice', [{ status: true, at: '2026-11-02' }]],
    [['stats', '-c', 'ann', '--json'], 'stats', [{ candidate: 'ann', json: true }]],
    [['assessment', 'init', 'a.yaml', '--force'], 'assessment', ['init', 'a.yaml', { force: true }]],
    [['assessment', 'check', 'a.yaml', '--json'], 'assessment', ['check', 'a.yaml', { json: true }]],
    [
      ['assessment', 'pack', 'a.yaml', '-o', 'p.json', '--key-out', 'k.json'],
      'assessment',
      ['pack', 'a.yaml', { output: 'p.json', keyOut: 'k.json' }],
    ],
    [['import', 'results/', 'k.json', '--json'], 'import', [['results/', 'k.json'], { json: true }]],
    [
      ['import', '--key', 'a.key.json', '--key', 'b,c.key.json', '--assessment', 's.yaml', 'results/'],
      'import',
      [['results/'], { key: ['a.key.json', 'b,c.key.json'], assessment: ['s.yaml'] }],
    ],
    [
      ['report', '--assessment', 'senior', '--format', 'html', '-o', 'c.html', '--no-details'],
      'report',
      [[], { assessment: 'senior', format: 'html', output: 'c.html', details: false }],
    ],
    [['--db', 'x.db', 'doctor', '--json'], 'doctor', [{ db: 'x.db', json: true }]],
    [
      ['report', 'abcd', 'efgh', '--status', 'finished,timed_out', '--since', '2026-11-01'],
      'report',
      [['abcd', 'efgh'], { status: ['finished', 'timed_out'], since: '2026-11-01', details: true }],
    ],
    [
      ['convert', 'q.gift', '-o', 'q.yaml', '-d', 'easy', '--bank', 'web'],
      'convert',
      ['q.gift', { output: 'q.yaml', difficulty: 'easy', bank: 'web' }],
    ],
    [
      ['convert', '--topic', 'caching', '--to', 'gift', '--from', 'yaml'],
      'convert',
      [undefined, { topic: 'caching', to: 'gift', from: 'yaml' }],
    ],
    [
      ['take', '--adaptive', '-t', 'http-apis', '--max-items', '20', '--target-se', '0.3'],
      'take',
      [undefined, { adaptive: true, topic: ['http-apis'], maxItems: 20, targetSe: 0.3 }],
    ],
    [['calibrate'], 'calibrate', [{ save: true }]],
    [
      ['calibrate', '--assessment', 'senior', '-t', 'http-apis,security', '--since', '2026-01-01', '--min-responses', '50', '--json'],
      'calibrate',
      [{ assessment: 'senior', topic: ['http-apis', 'security'], since: '2026-01-01', minResponses: 50, json: true }],
    ],
    [
      ['calibrate', '--responses', 'lsat.csv', '--no-save', '--quadrature', '21'],
      'calibrate',
      [{ responses: 'lsat.csv', save: false, quadrature: 21 }],
    ],
    [['calibrate', '--show'], 'calibrate', [{ show: true }]],
    [['calibrate', '--simulate'], 'calibrate', [{ simulate: true }]],
    [
      ['calibrate', '--simulate', '2000', '--synthetic', '--seed', '3', '--max-items', '20', '--target-se', '0.4'],
      'calibrate',
      [{ simulate: 2000, synthetic: true, seed: 3, maxItems: 20, targetSe: 0.4 }],
    ],
  ])('%j', async (argv, name, args) => {
    const seen = await parse(argv);
    expect(seen?.name).toBe(name);
    expect(seen?.args).toHaveLength(args.length);
    args.forEach((a, i) =>
      typeof a === 'object' && !Array.isArray(a) ? expect(seen!.args[i]).toMatchObject(a as object) : expect(seen!.args[i]).toEqual(a),
    );
  });

  it.each([
    [['take', '--count', '0'], /--count must be from 1/],
    [['take', '--seed', '-1'], /unknown option '-1'|--seed must be/],
    [['take', '--feedback', 'later'], /Allowed choices are immediate, end, none/],
    [['take', '--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['show'], /missing required argument 'session-id'/],
    [['assessment', 'pack', 'a.yaml'], /required option '-o, --output <file>' not specified/],
    [['report', '--format', 'pdf'], /Allowed choices are text, md, html, csv, json/],
    [['convert', 'a.gift', '--to', 'pdf'], /Allowed choices are yaml, gift, moodle-xml, qti, md/],
    [['convert', 'a.gift', '--difficulty', 'trivial'], /Allowed choices are easy, medium, hard/],
    [['take', '--adaptive', '--target-se', '0'], /--target-se must be above 0 and at most 5/],
    [['take', '--adaptive', '--max-items', '0'], /--max-items must be from 1/],
    [['calibrate', '--quadrature', '5'], /--quadrature must be from 21 to 200/],
    [['calibrate', '--target-se', 'abc'], /--target-se must be a number, such as 0.35/],
    [['calibrate', '--simulate', '5'], /--simulate must be from 10/],
    [['practice', '--count', 'ten'], /--count must be a whole number/],
    [['take', '--retry'], /option '--retry <session-id>' argument missing/],
    [['take', '--resume', 'abcd', '--adaptive'], /option '--resume \[session-id\]' cannot be used with option '--adaptive'/],
    [['take', '--resume', '--assessment', 'a.yaml'], /option '--resume \[session-id\]' cannot be used with option '--assessment <file>'/],
    [
      ['take', '--retry', 'mistakes', '--resume', 'x'],
      /cannot be used with option '--retry <session-id>'|cannot be used with option '--resume/,
    ],
    [['take', '--adaptive', '--assessment', 'a.yaml'], /option '--adaptive' cannot be used with option '--assessment <file>'/],
    [
      ['take', '--retry', 'mistakes', '--assessment', 'a.yaml'],
      /option '--retry <session-id>' cannot be used with option '--assessment <file>'/,
    ],
  ])('%j is a usage error', async (argv, message) => {
    const error = await parse(argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).message).toMatch(message);
  });

  it('prints help without loading any command', async () => {
    const out = new Capture();
    let loaded = 0;
    const program = createProgram({
      load: async () => (loaded++, { run: async () => 0 }),
      context: { stdin: { isTTY: false }, stdout: out },
      output: { writeOut: (s) => out.write(s) },
    });
    await program.parseAsync([], { from: 'user' });
    expect(out.text).toContain('Usage: backend-quiz');
    expect(out.text).toContain('Examples:');
    expect(loaded).toBe(0);
  });

  it("validate's help states the linter's own rules", () => {
    const program = createProgram({ load: async () => ({ run: async () => 0 }) });
    const validate = program.commands.find((c) => c.name() === 'validate')!;
    const lint = validate.options.find((o) => o.long === '--lint')!;
    expect(lint.description).toContain(`${CURRICULUM_RULES.minQuestions}+ questions`);
    expect(lint.description).toContain(`${CURRICULUM_RULES.minTypes}+ types`);
  });

  it("every command's help, examples included, fits in 80 columns", () => {
    const program = createProgram({ load: async () => ({ run: async () => 0 }) });
    const all = (c: import('commander').Command): import('commander').Command[] => [c, ...c.commands.flatMap(all)];
    const out: string[] = [];
    for (const c of all(program)) {
      c.configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => out.push(s) });
      c.outputHelp();
    }
    const lines = out.join('').split('\n');
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
  });
});
