// The built bin, as a user or a CI job runs it. `npm test` builds first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixtures, root, tmpDir, withoutTimings } from '../helpers.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const validBanks = path.join(fixtures, 'banks', 'valid');

function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('scripted run', () => {
  it('answers from a file, prints JSON and stores the same in the database', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'results.db');
    fs.writeFileSync(
      path.join(dir, 'answers.yaml'),
      [
        'fixture/pick-two: Two',
        'fixture/sky-blue: false',
        'fixture/https-port: 443',
        'fixture/retry-header: " retry-after "',
        'fixture/small-primes: ["2"]',
      ].join('\n'),
    );
    const r = cli(
      [
        '--banks',
        validBanks,
        'take',
        '--topic',
        'fixture',
        '--count',
        '5',
        '--seed',
        '42',
        '--candidate',
        'ci-bot',
        '--answers',
        'answers.yaml',
        '--json',
        '--db',
        db,
      ],
      {},
      dir,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ candidate: 'ci-bot', seed: 42, status: 'finished', score: 4, maxScore: 6, percent: 66.7 });
    expect(out.topics).toEqual({ fixture: { score: 4, maxScore: 6, percent: 66.7, questions: 5, right: 3 } });
    const byKey = Object.fromEntries(out.questions.map((q: { key: string }) => [q.key, q]));
    expect(byKey['fixture/sky-blue']).toMatchObject({ response: false, correct: false, points: 0, difficulty: 'easy', topic: 'fixture' });
    expect(byKey['fixture/small-primes']).toMatchObject({ response: ['2'], correct: false, outcome: 'partial', points: 1, maxPoints: 2 });
    expect(byKey['fixture/retry-header']).toMatchObject({ correct: true, points: 1 });

    const sql = new Sqlite(db, { readonly: true });
    expect(sql.prepare('SELECT id, candidate, seed, status, score, max_score FROM sessions').get()).toEqual({
      id: out.sessionId,
      candidate: 'ci-bot',
      seed: 42,
      status: 'finished',
      score: 4,
      max_score: 6,
    });
    const rows = sql
      .prepare(
        `SELECT q.key, a.response, a.outcome, a.points FROM answers a JOIN session_questions sq USING (session_id, position) JOIN questions q ON q.hash = sq.question_hash ORDER BY a.position`,
      )
      .all() as { key: string; response: string; outcome: string; points: number }[];
    expect(rows.map((x) => x.key)).toEqual(out.questions.map((q: { key: string }) => q.key));
    expect(rows.map((x) => [x.outcome, x.points, JSON.parse(x.response)])).toEqual(
      out.questions.map((q: { outcome: string; points: number; response: unknown }) => [q.outcome, q.points, q.response]),
    );
    sql.close();

    // the same seed gives the same questions in the same order
    const again = JSON.parse(
      cli(
        ['--banks', validBanks, 'take', '-t', 'fixture', '-n', '5', '--seed', '42', '--answers', 'answers.yaml', '--json', '--db', db],
        {},
        dir,
      ).stdout,
    );
    expect(again.questions.map((q: { key: string }) => q.key)).toEqual(out.questions.map((q: { key: string }) => q.key));

    const history = JSON.parse(cli(['history', '--json', '--candidate', 'ci-bot'], { BACKEND_QUIZ_DB: db }).stdout);
    expect(history.schemaVersion).toBe(1);
    expect(history.sessions.map((h: { sessionId: string }) => h.sessionId)).toEqual([out.sessionId]);
    const table = cli(['history', '--db', db]).stdout.split('\n');
    expect(table[0]).toMatch(/^SESSION\s+STARTED \(UTC\)\s+CANDIDATE\s+SCORE\s+STATUS\s+QUESTIONS$/);
    expect(table).toHaveLength(4); // header, two sessions, final newline
    expect(table[2]).toMatch(new RegExp(`^${out.sessionId}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+ci-bot\\s+66.7%\\s+finished\\s+5$`));
    expect(cli(['history', '--db', db, '--candidate', 'nobody']).stdout).toBe("No sessions for candidate 'nobody'.\n");
    const shown = JSON.parse(cli(['show', out.sessionId.slice(0, 6), '--json', '--db', db]).stdout);
    expect(shown.questions).toEqual(out.questions);
    const text = cli(['show', out.sessionId, '--db', db]).stdout;
    expect(text).toContain('Score 4/6 · 66.7%');
    expect(text).toContain('Right answer: True');
  });

  it('counts a question missing from the answers file as unanswered', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.json'), '{}');
    const r = cli(
      ['--banks', validBanks, 'take', '-t', 'fixture', '-n', '2', '--answers', 'a.json', '--json', '--db', path.join(dir, 'r.db')],
      {},
      dir,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).questions.map((q: { outcome: string }) => q.outcome)).toEqual(['unanswered', 'unanswered']);
  });
});

describe('bad input: exit 2, a file:line message, no stack trace', () => {
  it('an invalid bank', () => {
    const dir = tmpDir();
    fs.copyFileSync(path.join(fixtures, 'banks', 'invalid', 'single-no-correct.yaml'), path.join(dir, 'broken.yaml'));
    const r = cli(['--banks', dir, 'take', '--answers', 'x.yaml', '--db', path.join(dir, 'r.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'broken.yaml')}:10:7: single-choice question has no correct answer`);
    noStack(r.stderr);
  });

  it('an answers file that names a missing choice', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), '\nfixture/pick-two: Four\n');
    const r = cli(['--banks', validBanks, 'take', '-t', 'fixture', '--answers', 'a.yaml', '--db', path.join(dir, 'r.db')], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`a.yaml:2:19: 'Four' is not a choice of fixture/pick-two`);
    noStack(r.stderr);
  });

  it('a database file that is not ours', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'hello');
    const r = cli(['history', '--db', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/notes\.txt is not a backend-quiz results database/);
    expect(fs.readFileSync(file, 'utf8')).toBe('hello');
  });

  it('an unknown option or command', () => {
    expect(cli(['take', '--nope']).code).toBe(2);
    const r = cli(['tkae']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'tkae'/);
  });
});

describe('other commands', () => {
  it('validate: exit 0 for good banks, 1 with file:line:col for bad ones', () => {
    const ok = cli(['validate', validBanks]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1 bank, 5 questions: no problems');
    expect(ok.stderr).toBe(''); // no spinner without a terminal
    const bad = cli(['validate', path.join(fixtures, 'banks', 'invalid'), '--json']);
    expect(bad.code).toBe(1);
    const out = JSON.parse(bad.stdout);
    expect(out.ok).toBe(false);
    expect(out.problems.length).toBeGreaterThanOrEqual(18);
    expect(out.problems[0]).toEqual({
      file: expect.stringMatching(/alias-bomb\.yaml$/),
      line: 3,
      col: 8,
      message: expect.stringContaining('aliases'),
    });
  });

  it('the built-in curriculum passes validation and the content lint', () => {
    const r = cli(['validate', '--lint', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.problems).toEqual([]);
    const ids = out.banks.map((b: { id: string }) => b.id);
    const curriculum = [
      'http-apis',
      'graphql',
      'databases-sql',
      'databases-nosql',
      'caching',
      'security',
      'compliance-privacy',
      'cloud-architecture',
      'microservices',
      'serverless',
      'messaging-streaming',
      'scalability-performance',
      'distributed-systems',
      'observability-reliability',
      'edge-computing',
      'ai-backends',
      'payments-fintech',
      'nodejs',
      'python-backend',
      'java-backend',
      'containers-devops',
    ];
    expect(ids).toEqual(expect.arrayContaining(curriculum));
    expect(out.banks.reduce((n: number, b: { questions: number }) => n + b.questions, 0)).toBeGreaterThanOrEqual(600);
  });

  it('the content lint fails on a bank that breaks its rules', () => {
    const r = cli(['validate', '--lint', validBanks]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("bank 'fixture': has 5 questions; a curriculum bank needs at least 48");
  });

  it('validate with no paths checks the built-in banks', () => {
    const r = cli(['validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ \d+ banks, \d+ questions: no problems/);
  });

  it('topics lists built-in and extra banks with counts per difficulty', () => {
    const r = cli(['topics', '--json'], { BACKEND_QUIZ_BANKS: validBanks });
    const fixture = JSON.parse(r.stdout).topics.find((t: { id: string }) => t.id === 'fixture');
    expect(fixture).toMatchObject({ questions: 5, difficulty: { easy: 3, medium: 1, hard: 1 } });
    const text = cli(['--banks', validBanks, 'topics']).stdout;
    expect(text).toMatch(/^fixture\s+5\s+3\s+1\s+1\s+Fixture bank$/m);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('without a terminal and without arguments prints help', () => {
    const r = cli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: backend-quiz');
  });
});

describe('the cache of parsed user banks', () => {
  it('a second start reads user banks from the cache in XDG_CACHE_HOME and asks the same questions', () => {
    const dir = tmpDir();
    const cache = path.join(dir, 'cache');
    fs.writeFileSync(path.join(dir, 'a.json'), '{}');
    const run = () =>
      cli(
        [
          '--banks',
          validBanks,
          'take',
          '-t',
          'fixture',
          '-n',
          '5',
          '--seed',
          '3',
          '--answers',
          'a.json',
          '--json',
          '--db',
          path.join(dir, 'r.db'),
        ],
        { XDG_CACHE_HOME: cache },
        dir,
      );
    const first = run();
    expect(first.code).toBe(0);
    const entries = fs.readdirSync(path.join(cache, 'backend-quiz', 'banks'));
    expect(entries).toHaveLength(1);
    const stamp = fs.statSync(path.join(cache, 'backend-quiz', 'banks', entries[0]!)).mtimeMs;
    const second = run();
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).questions.map((q: { key: string }) => q.key)).toEqual(
      JSON.parse(first.stdout).questions.map((q: { key: string }) => q.key),
    );
    // Read, not rewritten.
    expect(fs.statSync(path.join(cache, 'backend-quiz', 'banks', entries[0]!)).mtimeMs).toBe(stamp);
  });
});

describe('the code cache of the bundle', () => {
  it('the first run writes V8 data for the bundle files it loads; later runs use it and answer the same', () => {
    const dir = tmpDir();
    const cache = path.join(dir, 'cache');
    fs.writeFileSync(path.join(dir, 'a.json'), '{}');
    const run = () =>
      cli(
        ['take', '-n', '5', '--seed', '9', '--answers', 'a.json', '--json', '--db', path.join(dir, 'r.db')],
        { XDG_CACHE_HOME: cache },
        dir,
      );
    const strip = (s: string): unknown => withoutTimings(JSON.parse(s));
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    const folder = path.join(cache, 'backend-quiz', 'code', `${process.version}-${process.arch}`);
    const [bundle] = fs.readdirSync(folder);
    const files = fs.readdirSync(path.join(folder, bundle!));
    // The program, the take command and what it loads, each named after its file in cli/.
    expect(files.some((f) => /^run-[\w-]+\.cjs-\d+-\d+\.v8$/.test(f))).toBe(true);
    expect(files.some((f) => /^take-[\w-]+\.cjs-\d+-\d+\.v8$/.test(f))).toBe(true);
    for (const f of files) expect(fs.existsSync(path.join(root, 'cli', f.replace(/-\d+-\d+\.v8$/, '')))).toBe(true);
    const second = run();
    expect(second.code, second.stderr).toBe(0);
    expect(strip(second.stdout)).toEqual(strip(first.stdout));
    // --help and --version are answered without the bundle, so they write nothing.
    const other = path.join(dir, 'other');
    expect(cli(['--help'], { XDG_CACHE_HOME: other }, dir).code).toBe(0);
    expect(fs.existsSync(path.join(other, 'backend-quiz', 'code'))).toBe(false);
  });
});

describe('documentation', () => {
  it('the answers-file examples in the README and in take --help name real questions and choices', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const fromReadme = /```yaml\n(http-apis\/[\s\S]*?)```/.exec(readme)?.[1];
    const help = cli(['take', '--help']).stdout;
    const fromHelp = help
      .split('\n')
      .filter((l) => /^ {2}[a-z-]+\/[a-z0-9-]+: /.test(l))
      .join('\n');
    for (const example of [fromReadme, fromHelp]) {
      expect(example).toBeTruthy();
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'a.yaml'), example!);
      const r = cli(['take', '--answers', 'a.yaml', '--json', '-n', '1', '--db', path.join(dir, 'r.db')], {}, dir);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
  });
});

describe('start-up cost', () => {
  /** Static imports reachable from a built module (dynamic import() is what keeps commands lazy). */
  function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
    if (seen.has(entry)) return seen;
    seen.add(entry);
    if (!entry.startsWith('/')) return seen;
    const src = fs.readFileSync(entry, 'utf8');
    // ES modules (dist/) import; the CommonJS bundle (cli/) requires at the top level, and loads
    // what it loads on demand through `import()` rewritten as `Promise.resolve().then(() => require(...))`.
    const statics = [
      ...src.matchAll(/^import\s+(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm),
      ...src.matchAll(/^(?:const|let|var)\s+[^=\n]+=\s*(?:__toESM\()?require\(["']([^'"]+)["']\)/gm),
    ];
    for (const m of statics) {
      const spec = m[1]!;
      staticGraph(spec.startsWith('.') ? path.resolve(path.dirname(entry), spec) : spec, seen);
    }
    return seen;
  }

  it('--help and --version load no SQLite, YAML or Inquirer', () => {
    // The entry answers plain help from dist/help.json; the program proper imports commander.
    expect([...staticGraph(path.join(root, 'dist', 'main.js'))]).not.toContain('commander');
    const graph = [...staticGraph(path.join(root, 'dist', 'run.js'))];
    expect(graph).toContain('commander');
    for (const heavy of ['better-sqlite3', 'yaml', '@inquirer/prompts', 'ora', 'chalk']) expect(graph).not.toContain(heavy);
    // The bundle the bin runs: its entry and the chunks it imports statically stay small, and
    // every command (with YAML, SQLite and Inquirer) is a chunk of its own, loaded on demand.
    const bundle = [...staticGraph(path.join(root, 'cli', 'main.cjs'))];
    expect(bundle).not.toContain('better-sqlite3');
    const bytes = bundle.filter((f) => f.startsWith('/')).reduce((n, f) => n + fs.statSync(f).size, 0);
    expect(bytes).toBeLessThan(200_000);
    const entry = fs.readFileSync(path.join(root, 'cli', 'main.cjs'), 'utf8');
    expect(entry).not.toMatch(/parseDocument|createPrompt|class Command\b/);
    const program = /require\(["']\.\/(run-[\w-]+\.cjs)["']\)/.exec(entry)?.[1];
    expect(program).toBeDefined();
    const run = fs.readFileSync(path.join(root, 'cli', program!), 'utf8');
    expect(run).toMatch(/class Command\b/);
    expect(run).toMatch(/\(\) => require\(["']\.\/take-[\w-]+\.cjs["']\)/);
    expect(run).not.toMatch(/parseDocument|createPrompt/);
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('answers plain help and version requests with exactly what commander prints, without loading it', async () => {
    const { createProgram } = await import('../../src/cli.js');
    const { HELP_REQUESTS } = await import('../../src/help.js');
    for (const requests of Object.values(HELP_REQUESTS)) {
      for (const argv of requests) {
        let expected = '';
        const program = createProgram({
          load: async () => ({ run: async () => 0 }),
          setExitCode: () => {},
          context: { stdin: { isTTY: false }, stdout: { isTTY: false } },
          output: { writeOut: (s) => (expected += s), writeErr: (s) => (expected += s) },
        });
        await program.parseAsync(argv, { from: 'user' }).catch(() => undefined);
        const r = cli(argv);
        expect(r.code, argv.join(' ')).toBe(0);
        expect(r.stdout, argv.join(' ')).toBe(expected);
        for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      }
    }
    // Anything else still goes through commander: an unknown option is a usage error.
    expect(cli(['take', '--help', '--bogus']).code).toBe(0);
    expect(cli(['--bogus']).code).toBe(2);
  }, 60_000);

  it('ships the built-in banks pre-parsed', () => {
    const data = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'banks.json'), 'utf8'));
    const yamlFiles = fs.readdirSync(path.join(root, 'questions')).filter((f) => f.endsWith('.yaml'));
    expect(data.banks).toHaveLength(yamlFiles.length);
  });
});
