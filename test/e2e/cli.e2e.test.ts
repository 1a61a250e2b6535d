// The built bin, as a user or a CI job runs it. `npm test` builds first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import * as nodeModule from 'node:module';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CURRICULUM_RULES } from '../../src/bank/rules.js';
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

  it('counts a question missing from the answers file as unanswered, and says how many are missing', () => {
    const dir = tmpDir();
    const form = ['--banks', validBanks, 'take', '-t', 'fixture', '-n', '2', '--seed', '7'];
    const first = JSON.parse(cli([...form, '--print-form', '--json'], {}, dir).stdout).questions[0].key as string;
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ [first]: null }));
    const r = cli([...form, '--answers', 'a.json', '--json', '--db', path.join(dir, 'r.db')], {}, dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).questions.map((q: { outcome: string }) => q.outcome)).toEqual(['unanswered', 'unanswered']);
    expect(r.stderr).toContain('a.json does not name 1 of the 2 questions drawn; they count as unanswered');
    expect(r.stderr).toContain('backend-quiz take --topic fixture --count 2 --seed 7 --print-form');
  });

  it('refuses an answers file made for another form instead of scoring a silent 0', () => {
    const dir = tmpDir();
    // Made for caching questions, used on an HTTP quiz: no key can match.
    expect(cli(['take', '-t', 'caching', '-n', '2', '--seed', '7', '--answers-template', 'a.yaml'], {}, dir).code).toBe(0);
    const r = cli(['take', '-t', 'http-apis', '-n', '2', '--seed', '7', '--answers', 'a.yaml', '--db', path.join(dir, 'r.db')], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a.yaml names none of the 2 questions drawn, so every one would score 0');
    expect(fs.existsSync(path.join(dir, 'r.db'))).toBe(false);
    noStack(r.stderr);
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

  it('a JSON syntax error in a .json answers file, at its line and column', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.json'), '{\n  "fixture/pick-two": "Two",\n}\n');
    const r = cli(['--banks', validBanks, 'take', '-t', 'fixture', '--answers', 'a.json', '--db', path.join(dir, 'r.db')], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`a.json:3:1: JSON syntax error: a comma before '}' is not allowed in JSON; remove it`);
    noStack(r.stderr);
  });

  it('a one-line JSON answers file for 127 built-in questions is read', () => {
    const dir = tmpDir();
    const built = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'banks.json'), 'utf8')) as {
      banks: { questions: { key: string; type: string; choices?: { text: string; correct: boolean }[] }[] }[];
    };
    // Every caching question first, so the 5 drawn from caching are all in the file.
    const caching = built.banks.find((b) => b.questions[0]!.key.startsWith('caching/'))!.questions;
    const rest = built.banks.flatMap((b) => b.questions).filter((q) => !q.key.startsWith('caching/'));
    const answers = Object.fromEntries(
      [...caching, ...rest].slice(0, 127).map((q) => [q.key, q.type === 'single' ? q.choices!.find((c) => c.correct)!.text : null]),
    );
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(answers));
    expect(fs.readFileSync(path.join(dir, 'a.json'), 'utf8')).not.toContain('\n');
    const r = cli(['take', '-t', 'caching', '-n', '5', '--answers', 'a.json', '--json', '--db', path.join(dir, 'r.db')], {}, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
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
    const help = cli(['help', 'tkae']);
    expect(help.code).toBe(2);
    expect(help.stderr).toMatch(/unknown command 'tkae'/);
  });

  it('a topic where a pack file belongs says to use -t', () => {
    const dir = tmpDir();
    const r = cli(['take', 'http-apis', '--db', path.join(dir, 'r.db')], {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "backend-quiz: 'http-apis' is a topic, not a pack file; to be asked about it, run: backend-quiz take -t http-apis\n",
    );
  });

  it('a count larger than the selection is said, not silently cut', () => {
    const r = cli(['take', '-t', 'caching', '-n', '500', '--seed', '1', '--print-form', '--json']);
    expect(r.code).toBe(0);
    const n = JSON.parse(r.stdout).questions.length;
    expect(n).toBeLessThan(500);
    expect(r.stderr).toBe(`Only ${n} questions match topic caching, so the quiz asks ${n}, not 500.\n`);
  });
});

describe('other commands', () => {
  it('validate: exit 0 for good banks, 1 with file:line:col for bad ones', () => {
    const ok = cli(['validate', validBanks]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1 bank, 5 questions: no problems');
    // Tasks are counted apart, once their solutions and starters ran.
    const tasks = cli(['validate', validBanks, path.join(fixtures, 'banks', 'tasks')]);
    expect(tasks.stdout).toContain('2 banks, 5 questions and 2 tasks: no problems');
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
    // The tasks' solutions and starters run in 'validate with no paths' above; here only the lint.
    const r = cli(['validate', '--lint', '--no-run', '--json']);
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

  it('validate refuses a bank whose id a built-in bank uses, as take --banks does', () => {
    const dir = tmpDir();
    const text = fs.readFileSync(path.join(validBanks, 'fixture.yaml'), 'utf8').replace(/^bank: fixture$/m, 'bank: caching');
    fs.mkdirSync(path.join(dir, 'banks'));
    fs.writeFileSync(path.join(dir, 'banks', 'mine.yaml'), text);
    const line = text.split('\n').findIndex((l) => l === 'bank: caching') + 1;
    const message = `banks/mine.yaml:${line}:7: duplicate bank id 'caching': the built-in bank questions/caching.yaml already uses it; rename this bank`;
    const v = cli(['validate', 'banks'], {}, dir);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(message);
    const t = cli(['--banks', 'banks', 'take', '-n', '1', '--answers', 'none.yaml', '--db', path.join(dir, 'r.db')], {}, dir);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain(message);
  });

  // The help said 30+ while the linter wanted 48: both now read the linter's rules.
  it("validate --help states the number of questions the linter wants, and the linter's message agrees", () => {
    const help = cli(['validate', '--help']);
    expect(help.code).toBe(0);
    const said = /--lint\s+also check curriculum content: (\d+)\+ questions, difficulty mix, (\d+)\+ types/.exec(
      help.stdout.replace(/\s+/g, ' '),
    );
    expect(said?.slice(1).map(Number)).toEqual([CURRICULUM_RULES.minQuestions, CURRICULUM_RULES.minTypes]);
    const lint = cli(['validate', '--lint', validBanks]);
    expect(lint.stdout).toContain(`a curriculum bank needs at least ${said![1]}`);
  });

  it('validate --stale without --lint is a usage error that says what to run', () => {
    const r = cli(['validate', '--stale']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--stale is part of the content checks; run: backend-quiz validate --lint --stale');
    noStack(r.stderr);
  });

  it('validate with no paths checks the built-in banks', () => {
    const r = cli(['validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ \d+ banks, \d+ questions and \d+ tasks: no problems/);
    // Each of the 66 built-in tasks runs its solution and its starter, each in a new Worker.
  }, 240_000);

  it('topics lists built-in and extra banks with counts per difficulty', () => {
    const r = cli(['topics', '--json'], { BACKEND_QUIZ_BANKS: validBanks });
    const fixture = JSON.parse(r.stdout).topics.find((t: { id: string }) => t.id === 'fixture');
    expect(fixture).toMatchObject({ questions: 5, difficulty: { easy: 3, medium: 1, hard: 1 } });
    const text = cli(['--banks', validBanks, 'topics']).stdout;
    expect(text).toMatch(/^fixture\s+5\s+3\s+1\s+1\s+Fixture bank$/m);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('assessment check names every mistake in one run, and the command it points to lists the keys', () => {
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'bad.yaml'),
      [
        'assessment: senior-backend',
        'title: Senior backend engineer',
        'sections:',
        '  - topic: http-apis',
        '    count: 500',
        '  - topic: cachng',
        '    count: 2',
        '  - questions: [caching/identify-cache-asid]',
        '  - topic: databases-sql',
        '    count: four',
        'time_limit: 30 minutes',
        'pass_mark: 170',
        'feedback: sometimes',
      ].join('\n'),
    );
    const r = cli(['assessment', 'check', 'bad.yaml'], {}, dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('7 problems in bad.yaml');
    expect(lines).toEqual([
      expect.stringMatching(/^bad\.yaml:5:12: section 1 \(http-apis\) asks for 500 questions, but only \d+ are available/),
      "bad.yaml:6:12: section 2: unknown topic 'cachng'; did you mean 'caching'? ('backend-quiz topics' lists them)",
      "bad.yaml:8:17: section 3: no question 'caching/identify-cache-asid' in the loaded banks; did you mean 'caching/identify-cache-aside'? ('backend-quiz topics caching' lists its question keys)",
      "bad.yaml:10:12: 'count' must be a whole number, got text 'four'",
      "bad.yaml:11:13: 'time_limit' is a duration such as 45m, 90s or 1h30m; got text '30 minutes'",
      "bad.yaml:12:12: 'pass_mark' must be <= 100; got number 170",
      "bad.yaml:13:11: 'feedback' must be one of none, end; got text 'sometimes'",
      '7 problems in bad.yaml',
    ]);
    const listed = cli(['topics', 'caching']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^caching\/identify-cache-aside {2}easy · single$/m);
    for (const line of listed.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const json = JSON.parse(cli(['topics', 'caching', '--json']).stdout);
    expect(json.topics.map((t: { id: string }) => t.id)).toEqual(['caching']);
    expect(json.topics[0].keys.map((k: { key: string }) => k.key)).toContain('caching/identify-cache-aside');
    const unknown = cli(['topics', 'cachng']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown topic 'cachng'; did you mean 'caching'?");
  });

  it('report says a sitting answered from a file was scripted', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'fixture/https-port: 443\n');
    const took = cli(
      ['--banks', validBanks, 'take', '-t', 'fixture', '-n', '5', '--seed', '1', '--answers', 'a.yaml', '-c', 'sam', '--db', db],
      {},
      dir,
    );
    expect(took.code, took.stderr).toBe(0);
    const id = JSON.parse(cli(['history', '--json', '--db', db], {}, dir).stdout).sessions[0].sessionId as string;
    const csv = cli(['--banks', validBanks, 'report', id, '--format', 'csv', '--db', db], {}, dir);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^rank,candidate,session,status,mode,/);
    expect(csv.stdout.split('\r\n')[1]).toMatch(/^1,sam,\w+,finished,scripted,/);
    expect(cli(['--banks', validBanks, 'report', id, '--no-details', '--db', db], {}, dir).stdout).toMatch(/sam .* scripted$/m);
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
    const keys = ['pick-two', 'sky-blue', 'https-port', 'retry-header', 'small-primes'].map((id) => `fixture/${id}`);
    fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(Object.fromEntries(keys.map((k) => [k, null]))));
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
    // The form's own template (made with a cache of its own), so every drawn question is named.
    cli(['take', '-n', '5', '--seed', '9', '--answers-template', 'a.yaml'], { XDG_CACHE_HOME: path.join(dir, 'elsewhere') }, dir);
    const run = () =>
      cli(
        ['take', '-n', '5', '--seed', '9', '--answers', 'a.yaml', '--json', '--db', path.join(dir, 'r.db')],
        { XDG_CACHE_HOME: cache },
        dir,
      );
    const strip = (s: string): unknown => withoutTimings(JSON.parse(s));
    const first = run();
    expect(first.code, first.stderr).toBe(0);
    const code = path.join(cache, 'backend-quiz', 'code');
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function') {
      // Node 22.1+: Node's own compile cache, one folder per Node version, files named by hashes.
      const [folder, ...others] = fs.readdirSync(path.join(code, 'node'));
      expect(others).toEqual([]);
      expect(folder).toMatch(new RegExp(`^${process.version.replaceAll('.', '\\.')}-${process.arch}-`));
      // At least the program (main, run) and the take command.
      expect(fs.readdirSync(path.join(code, 'node', folder!)).length).toBeGreaterThanOrEqual(3);
    } else {
      const folder = path.join(code, `${process.version}-${process.arch}`);
      const [bundle] = fs.readdirSync(folder);
      const files = fs.readdirSync(path.join(folder, bundle!));
      // The program, the take command and what it loads, each named after its file in cli/.
      expect(files.some((f) => /^run-[\w-]+\.cjs-\d+-\d+\.v8$/.test(f))).toBe(true);
      expect(files.some((f) => /^take-[\w-]+\.cjs-\d+-\d+\.v8$/.test(f))).toBe(true);
      for (const f of files) expect(fs.existsSync(path.join(root, 'cli', f.replace(/-\d+-\d+\.v8$/, '')))).toBe(true);
    }
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
      const keys = [...example!.matchAll(/^ *([a-z-]+\/[a-z0-9-]+):/gm)].map((m) => m[1]!);
      const topics = [...new Set(keys.map((k) => k.split('/')[0]!))];
      // Every question of the example's topics is drawn, so each example answer is asked and graded.
      const r = cli(['take', '-t', ...topics, '-n', '10000', '--answers', 'a.yaml', '--json', '--db', path.join(dir, 'r.db')], {}, dir);
      expect(r.code, r.stderr).toBe(0);
      for (const line of r.stderr.trim().split('\n')) expect(line).toMatch(/^Only \d+ questions match|^a\.yaml does not name \d+ of the/);
      const outcomes = new Map(JSON.parse(r.stdout).questions.map((q: { key: string; outcome: string }) => [q.key, q.outcome]));
      for (const k of keys) expect(outcomes.get(k), k).not.toBe('unanswered');
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
