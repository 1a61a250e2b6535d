// Practice that remembers, on the built bin: a scripted round with --status before and after,
// retrying a session's mistakes, stats and the start menu in a pseudo-terminal, and text in
// Chinese and Japanese wrapped to the terminal's columns.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import Sqlite from 'better-sqlite3';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { fixtures, root, tmpDir } from '../helpers.js';
import { KEY, Terminal, answerRight, stripAnsi } from './terminal.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const banks = path.join(fixtures, 'banks', 'valid');

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, '--banks', banks, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
function expectSchema(name: string, value: unknown): void {
  const validate =
    ajv.getSchema(name) ??
    (ajv.addSchema(JSON.parse(fs.readFileSync(path.join(root, 'schema', `${name}.schema.json`), 'utf8')), name), ajv.getSchema(name)!);
  expect(validate(value), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
}

const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
const RIGHT =
  'fixture/pick-two: Two\nfixture/sky-blue: true\nfixture/https-port: 443\nfixture/retry-header: Retry-After\nfixture/small-primes: ["2", "3"]\n';

describe('practice, scripted', () => {
  it('a round moves --status: the miss is due at once, the rest days later', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    const status = (...extra: string[]) => {
      const r = cli(['practice', '--status', '-t', 'fixture', '-c', 'ann', '--json', '--db', db, ...extra], dir);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout);
      expectSchema('practice-status', json);
      return json.topics[0];
    };
    expect(status()).toEqual({ topic: 'fixture', questions: 5, due: 0, learning: 0, learned: 0, notSeen: 5 });

    // sky-blue wrong; every other fixture question right.
    fs.writeFileSync(path.join(dir, 'a.yaml'), RIGHT.replace('sky-blue: true', 'sky-blue: false'));
    const round = cli(['practice', '-t', 'fixture', '-n', '5', '-c', 'ann', '--answers', 'a.yaml', '--json', '--db', db], dir);
    expect(round.code, round.stderr).toBe(0);
    const json = JSON.parse(round.stdout);
    expectSchema('session', json);
    expect(json).toMatchObject({
      candidate: 'ann',
      status: 'finished',
      score: 5,
      maxScore: 6,
      settings: { kind: 'practice', feedback: 'immediate', mode: 'scripted' },
    });
    expect(round.stderr).toContain('Practice for ann: 5 new questions.');
    expect(round.stderr).toMatch(
      /1 question is due now \(practise again to go over it\); the next comes due \d{4}-\d\d-\d\d \d\d:\d\d UTC\./,
    );

    expect(status()).toEqual({ topic: 'fixture', questions: 5, due: 1, learning: 4, learned: 0, notSeen: 0 });
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(status('--at', inAWeek)).toMatchObject({ due: 5, learning: 0 });

    // The next round asks the miss alone: nothing else is due and nothing is new.
    fs.writeFileSync(path.join(dir, 'b.yaml'), RIGHT);
    const next = JSON.parse(cli(['practice', '-t', 'fixture', '-c', 'ann', '--answers', 'b.yaml', '--json', '--db', db], dir).stdout);
    expect(next.questions.map((q: { key: string; outcome: string }) => [q.key, q.outcome])).toEqual([['fixture/sky-blue', 'right']]);
    const text = cli(['practice', '--status', '-t', 'fixture', '-c', 'ann', '--db', db], dir).stdout;
    expect(text).toMatch(
      /^Practice for ann, now \d{4}-\d\d-\d\d \d\d:\d\d UTC\n\nTOPIC\s+DUE\s+LEARNING\s+LEARNED\s+NOT SEEN\nfixture\s+0\s+5\s+0\s+0\nall topics\s+0\s+5\s+0\s+0\n/,
    );
    const none = cli(['practice', '-t', 'fixture', '-c', 'ann', '--answers', 'b.yaml', '--db', db], dir);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(
      /^Nothing to practise: no question is due and you have answered every question in fixture\. The next comes due /,
    );

    const sql = new Sqlite(db, { readonly: true });
    expect(sql.prepare(`SELECT key, last_outcome, reps FROM practice_cards WHERE candidate = 'ann' ORDER BY key`).all()).toEqual([
      { key: 'fixture/https-port', last_outcome: 'right', reps: 1 },
      { key: 'fixture/pick-two', last_outcome: 'right', reps: 1 },
      { key: 'fixture/retry-header', last_outcome: 'right', reps: 1 },
      { key: 'fixture/sky-blue', last_outcome: 'right', reps: 2 },
      { key: 'fixture/small-primes', last_outcome: 'right', reps: 1 },
    ]);
    sql.close();
  });

  it('bad input is one line and exit 2', () => {
    const dir = tmpDir();
    for (const [args, message] of [
      [['practice', '--at', '2026-11-02'], '--at goes with --status'],
      [
        ['practice', '--status', '--at', 'next monday'],
        "--at takes a date (2026-11-01) or an ISO time (2026-11-01T09:00:00Z); got 'next monday'",
      ],
      [['practice', '-t', 'nope', '--answers', 'x.yaml'], "unknown topic 'nope'"],
      [['practice'], 'no one to ask: this is CI or not a terminal, so give the answers with --answers <file>'],
      [['take', '--retry', 'nosuchsession'], "no session 'nosuchsession'"],
    ] as const) {
      const r = cli([...args, '--db', path.join(dir, 'r.db')], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      noStack(r.stderr);
    }
  });

  it('--help shows examples', () => {
    for (const cmd of ['practice', 'stats']) {
      const r = cli([cmd, '--help'], root);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
      for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
    expect(cli(['take', '--help'], root).stdout).toContain('--retry <session-id>');
  });
});

describe('take --retry', () => {
  it("asks again exactly a session's wrong and partly right answers, then the latest mistakes", () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    fs.writeFileSync(
      path.join(dir, 'first.yaml'),
      'fixture/pick-two: Three\nfixture/sky-blue: true\nfixture/https-port: 80\nfixture/retry-header: Retry-After\nfixture/small-primes: ["2"]\n',
    );
    const first = JSON.parse(
      cli(['take', '-t', 'fixture', '-n', '5', '--seed', '1', '-c', 'ann', '--answers', 'first.yaml', '--json', '--db', db], dir).stdout,
    );
    const missed = first.questions
      .filter((q: { outcome: string }) => q.outcome !== 'right')
      .map((q: { key: string }) => q.key)
      .sort();
    expect(missed).toEqual(['fixture/https-port', 'fixture/pick-two', 'fixture/small-primes']);

    // The retry gets pick-two right only.
    fs.writeFileSync(path.join(dir, 'retry.yaml'), 'fixture/pick-two: Two\nfixture/https-port: 8080\n');
    const r = cli(['take', '--retry', first.sessionId, '--answers', 'retry.yaml', '--json', '--db', db], dir);
    expect(r.code, r.stderr).toBe(0);
    const retry = JSON.parse(r.stdout);
    expectSchema('session', retry);
    expect(retry.questions.map((q: { key: string }) => q.key).sort()).toEqual(missed);
    expect(retry).toMatchObject({ candidate: 'ann', settings: { kind: 'retry', retryOf: first.sessionId } });

    const latest = JSON.parse(
      cli(['take', '--retry', 'mistakes', '-c', 'ann', '--answers', 'first.yaml', '--json', '--db', db], dir).stdout,
    );
    expect(latest.questions.map((q: { key: string }) => q.key).sort()).toEqual(['fixture/https-port', 'fixture/small-primes']);
  });
});

describe('in a terminal', () => {
  it('stats: bars and a weekly sparkline in 80 columns, coloured, and plain through a pipe', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    fs.writeFileSync(path.join(dir, 'a.yaml'), RIGHT.replace('443', '80'));
    expect(cli(['take', '-t', 'fixture', '-n', '5', '-c', 'tty-user', '--answers', 'a.yaml', '--db', db], dir).code).toBe(0);
    const t = new Terminal(['--banks', banks, 'stats', '-c', 'tty-user', '--db', db], {}, 80, 40, dir);
    expect(await t.exited).toBe(0);
    const raw = (t as unknown as { raw: string }).raw;
    expect(raw).toMatch(/\u001b\[32m█{8}░{2}\u001b\[39m/); // 80% right, in green
    const screen = t.text.replace(/\r/g, '');
    expect(screen).toContain('Progress for tty-user: 5 answers to 5 questions');
    expect(screen).toMatch(/^fixture\s+5\/5\s+█{8}░{2}\s+80%\s+80%\s+1\s+·{11}[▁-█]$/m);
    for (const line of screen.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);

    const piped = cli(['stats', '-c', 'tty-user', '--db', db], dir, { NO_COLOR: '' });
    expect(piped.stdout).not.toMatch(/\u001b\[/);
    expect(piped.stdout).toBe(stripAnsi(raw).replace(/\r/g, ''));
    const json = JSON.parse(cli(['stats', '-c', 'tty-user', '--json', '--db', db], dir).stdout);
    expectSchema('stats', json);
    expect(json.topics[0]).toMatchObject({ topic: 'fixture', seen: 5, answers: 5, right: 4, due: 1 });
  });

  it('the start menu offers practice with the number due, and leads into a round with feedback', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    fs.writeFileSync(path.join(dir, 'a.yaml'), RIGHT.replace('sky-blue: true', 'sky-blue: false'));
    // Both under the default candidate: the user running the tests.
    expect(cli(['take', '-t', 'fixture', '-n', '5', '--answers', 'a.yaml', '--db', db], dir).code).toBe(0);
    const t = new Terminal(['--banks', banks, '--db', db], {}, 80, 40, dir);
    try {
      await t.waitFor('? What would you like to do?');
      const menu = await t.waitFor('❯ Practice (1 due)');
      expect(t.text.slice(menu)).toMatch(/Quiz\r?\n\s+Hands-on task \(SQL or code\)\r?\n\s+Retry mistakes \(1\)\r?\n\s+Progress/);
      t.press(KEY.enter);
      await t.waitFor('Practice for');
      await t.waitFor('1 question due (most overdue first), then');
      await answerRight(t, await t.waitFor('Question 1/'));
      await t.waitFor('✔ right');
      await t.waitFor('In this fixture, it is.'); // the explanation, right after the answer
      t.press(KEY.ctrlC);
      expect(await t.exited).toBe(130);
      expect(t.text).toMatch(/Resume it with: backend-quiz take --resume \w+/);
    } finally {
      t.kill();
    }
  });

  it('the start menu retries mistakes and shows progress', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    fs.writeFileSync(path.join(dir, 'a.yaml'), RIGHT.replace('sky-blue: true', 'sky-blue: false'));
    expect(cli(['take', '-t', 'fixture', '-n', '5', '--answers', 'a.yaml', '--db', db], dir).code).toBe(0);
    const retry = new Terminal(['--banks', banks, '--db', db], {}, 80, 40, dir);
    try {
      await retry.waitFor('❯ Practice (1 due)');
      retry.press(KEY.down, KEY.down, KEY.down, KEY.enter);
      await answerRight(retry, await retry.waitFor('Question 1/1 · fixture · easy'));
      const done = await retry.waitFor('Every answer was right.');
      // Back at the menu, which now has nothing to retry; Quit is its last entry.
      await retry.waitFor('Retry mistakes (none yet)', done);
      retry.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
      expect(await retry.exited).toBe(0);
    } finally {
      retry.kill();
    }
    const progress = new Terminal(['--banks', banks, '--db', db], {}, 80, 40, dir);
    try {
      // The retry got it right: nothing is due and nothing is left to retry.
      await progress.waitFor('❯ Quiz');
      await progress.waitFor('Retry mistakes (none yet)');
      progress.press(KEY.down, KEY.down, KEY.down, KEY.enter);
      const shown = await progress.waitFor(/Progress for \S+: 6 answers to 5 questions/);
      await progress.waitFor('? What would you like to do?', shown);
      progress.press(KEY.ctrlC);
      expect(await progress.exited).toBe(130);
    } finally {
      progress.kill();
    }
  });

  it('echoes a long multiple-choice answer wrapped at word boundaries, not cut at the edge', async () => {
    const dir = tmpDir();
    const long = 'Workers skip rows another worker has locked instead of waiting, so they claim disjoint batches';
    fs.writeFileSync(
      path.join(dir, 'jobs.yaml'),
      [
        'bank: jobs',
        'title: Jobs',
        'description: A queue.',
        'questions:',
        '  - id: skip-locked',
        '    type: multiple',
        '    difficulty: easy',
        '    prompt: What does SKIP LOCKED give a job queue?',
        '    choices:',
        `      - text: ${long}`,
        '        correct: true',
        '      - text: Nothing at all',
        '        why: It does.',
        '    explanation: Rows locked by others are skipped.',
        '    references: [https://www.postgresql.org/docs/current/sql-select.html]',
      ].join('\n'),
    );
    const t = new Terminal(
      ['--banks', dir, 'take', '-t', 'jobs', '-n', '1', '--seed', '1', '--db', path.join(dir, 'r.db')],
      {},
      80,
      40,
      dir,
    );
    try {
      await t.waitFor('Question 1/1');
      const at = await t.waitFor('↑↓ navigate');
      const first = t.text
        .slice(0, at)
        .split('\n')
        .findIndex((l) => l.includes('Workers skip'));
      const onTop = t.text.slice(0, at).split('\n')[first]!.startsWith('❯');
      t.press(...(onTop ? [] : [KEY.down]), KEY.space, KEY.enter);
      await t.waitFor('Every answer was right.');
      const screen = t.text.replace(/\r/g, '');
      expect(screen).toContain(' ◉ Workers skip rows another worker has locked instead of waiting, so they\n   claim disjoint batches');
      expect(screen).not.toMatch(/disjo\nint|batche\ns/);
      expect(await t.exited).toBe(0);
    } finally {
      t.kill();
    }
  });
});

describe('text in Chinese and Japanese', () => {
  it('wraps a session review to 80 terminal columns', () => {
    const dir = tmpDir();
    const prompt =
      '分散システムにおける冪等性とは、同じリクエストを一度実行しても複数回実行してもシステムの状態が同じになることを意味します。どの HTTP メソッドが冪等ですか？';
    const why = '在分布式系统中，幂等性意味着同一个请求执行一次和执行多次对系统状态产生的影响相同，这对于网络超时后的安全重试至关重要。';
    fs.writeFileSync(
      path.join(dir, 'cjk.yaml'),
      [
        'bank: cjk',
        'title: CJK',
        'description: Text without spaces.',
        'questions:',
        '  - id: idempotent',
        '    type: single',
        '    difficulty: easy',
        `    prompt: ${prompt}`,
        '    choices:',
        '      - text: PUT',
        '        correct: true',
        '      - text: POST',
        `        why: ${why}`,
        `    explanation: ${why}`,
        '    references: [https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2]',
      ].join('\n'),
    );
    const work = tmpDir();
    fs.writeFileSync(path.join(work, 'a.yaml'), 'cjk/idempotent: POST\n');
    const r = spawnSync(
      process.execPath,
      [bin, '--banks', dir, 'take', '-t', 'cjk', '-n', '1', '--answers', 'a.yaml', '--db', path.join(work, 'r.db')],
      { cwd: work, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('分散システム');
    const widths = r.stdout.split('\n').map((l) => stringWidth(l));
    expect(Math.max(...widths)).toBeLessThanOrEqual(80);
    // Lines are filled, not cut at 40 characters: the prompt's first line reaches the edge.
    expect(widths.filter((w) => w >= 76).length).toBeGreaterThanOrEqual(4);
  });
});
