// take --tasks: drawing tasks, the messages when there are none, drafts kept across a stop.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/take.js';
import type { Answerer } from '../../src/engine/quiz.js';
import { availableCount } from '../../src/engine/select.js';
import { InterruptedError, UserError } from '../../src/errors.js';
import { Capture, fixtures, tmpDir } from '../helpers.js';
import { TASK_BANK, YAML, writeTaskBank } from '../fixtures/tasks/tasks.js';
import { parseBank } from '../../src/bank/parse.js';
import { aBank } from '../helpers.js';

function setup() {
  const dir = tmpDir();
  const cache = path.join(dir, 'cache');
  const taskBanks = writeTaskBank(dir, cache);
  const stdout = new Capture();
  const stderr = new Capture();
  const db = path.join(dir, 'r.db');
  let t = Date.parse('2026-03-01T10:00:00.000Z');
  const now = () => new Date((t += 2000));
  return {
    stdout,
    stderr,
    db,
    base: { banks: [path.join(fixtures, 'banks', 'valid'), taskBanks], db, stdout, stderr, env: { XDG_CACHE_HOME: cache }, cwd: dir, now },
  };
}

describe('drawing tasks', () => {
  it('the fixture bank parses into the tasks the tests expect', () => {
    const parsed = parseBank(YAML, 'tasks.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.bank!.questions).toEqual(TASK_BANK.questions);
  });

  it('counts tasks apart from questions', () => {
    const banks = [TASK_BANK, aBank('plain', 3)];
    expect(availableCount(banks, ['tasks', 'plain'], ['easy', 'medium', 'hard'])).toBe(3);
    expect(availableCount(banks, ['tasks', 'plain'], ['easy', 'medium', 'hard'], true)).toBe(2);
    expect(availableCount(banks, ['tasks'], ['hard'], true)).toBe(0);
  });

  it('names the topics that have tasks when the chosen ones have none', async () => {
    const s = setup();
    const e = await run({ ...s.base, tasks: true, topic: ['fixture'] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toMatch(/^topic fixture has no tasks; topics with tasks: .*\bdatabases-sql, .*\btasks\b/);
  });

  it('a quiz of questions on a topic of tasks alone says there are none, rather than asking nothing', async () => {
    const s = setup();
    const e = await run({ ...s.base, topic: ['tasks'] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toMatch(/^no questions match topics tasks/);
  });

  it('draws only tasks, says how many when fewer than asked, and grades the answers', async () => {
    const s = setup();
    const asked: string[] = [];
    const answerer: Answerer = {
      async ask(item) {
        asked.push(item.question.type);
        return item.question.type === 'code'
          ? { answer: 'function sumList(xs) { return xs.reduce((a, b) => a + b, 0); }', runs: 1 }
          : { answer: 'SELECT name, 1 FROM customers', runs: 2 };
      },
    };
    const code = await run({ ...s.base, tasks: true, topic: ['tasks'], count: 5, seed: 3, interactive: async () => answerer });
    expect(code).toBe(0);
    expect(asked.sort()).toEqual(['code', 'sql']);
    expect(s.stderr.text).toContain('Only 2 tasks match topic tasks, so the quiz asks 2, not 5.');
    // The code task passes all three tests; the SQL task fails both data sets.
    expect(s.stdout.text).toMatch(/Score 2\/5/);
    expect(s.stdout.text).toContain('Tests passed: 0/1 visible, 0/1 hidden · 2 runs');
    expect(s.stdout.text).toContain('✘ (hidden) no orders at all');
    expect(s.stdout.text).toContain('  Reference solution:\n      SELECT c.name, count(o.id) AS orders');
    expect(s.stdout.text).toContain('  Your answer:\n      SELECT name, 1 FROM customers');
  });
});

describe('drafts', () => {
  it('are kept when the sitting stops, and given back when it resumes', async () => {
    const s = setup();
    const stopping: Answerer = {
      async ask(_item, at) {
        at.draft!.save({ answer: 'function sumList(xs) { return 0 }', runs: 3 });
        throw new InterruptedError();
      },
    };
    const e = await run({ ...s.base, tasks: true, topic: ['tasks'], count: 1, seed: 1, interactive: async () => stopping }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InterruptedError);
    const id = /--resume (\w+)/.exec((e as Error).message)![1]!;
    let restored: unknown;
    const resuming: Answerer = {
      async ask(_item, at) {
        restored = at.draft!.load();
        return undefined;
      },
    };
    await run({ ...s.base, resume: id, interactive: async () => resuming });
    expect(restored).toEqual({ answer: 'function sumList(xs) { return 0 }', runs: 3 });
    const db = new Sqlite(s.db, { readonly: true });
    expect(db.prepare('SELECT position, runs FROM task_drafts WHERE session_id = ?').all(id)).toEqual([{ position: 0, runs: 3 }]);
    db.close();
  });

  it('when the time ran out while the sitting was stopped, the resumed sitting submits the draft and says so', async () => {
    const s = setup();
    let t = Date.parse('2026-03-01T10:00:00.000Z');
    const now = (): Date => new Date(t);
    const cwd = path.dirname(s.db);
    fs.writeFileSync(
      path.join(cwd, 'timed.yaml'),
      ['assessment: timed', 'title: Timed', 'sections:', '  - questions: [tasks/sum-list]', 'time_limit: 60s', 'feedback: end'].join('\n'),
    );
    const stopping: Answerer = {
      async ask(_item, at) {
        at.draft!.save({ answer: 'function sumList(xs) { return xs.reduce((a, b) => a + b, 0); }', runs: 1 });
        throw new InterruptedError();
      },
    };
    const base = { ...s.base, cwd, now, candidate: 'tim' };
    const e = await run({ ...base, assessment: 'timed.yaml', interactive: async () => stopping }).catch((x: unknown) => x);
    const id = /--resume (\w+)/.exec((e as Error).message)![1]!;
    t += 3_600_000;
    const never: Answerer = {
      async ask() {
        throw new Error('nothing is asked once the time is up');
      },
    };
    await run({ ...base, resume: id, interactive: async () => never });
    expect(s.stdout.text).toContain(
      'Time is up: 1 of 1 questions answered; the rest count as unanswered. The draft of task 1 was submitted.',
    );
    expect(s.stdout.text).toContain('Score 2/2 · 100%');
  });
});
