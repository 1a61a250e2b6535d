import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkCoverage, run } from '../../src/commands/take.js';
import { conflict } from '../../src/take/modes.js';
import type { Answerer } from '../../src/engine/quiz.js';
import { rightAnswer } from '../../src/engine/score.js';
import { InterruptedError, UserError } from '../../src/errors.js';
import { aQuestion, Capture, fixtures, tmpDir } from '../helpers.js';

const banks = [path.join(fixtures, 'banks', 'valid')];

function setup() {
  const dir = tmpDir();
  const stdout = new Capture();
  const stderr = new Capture();
  const db = path.join(dir, 'r.db');
  let t = Date.parse('2026-03-01T10:00:00.000Z');
  const now = () => new Date((t += 2000));
  return { dir, stdout, stderr, db, now, base: { banks, db, stdout, stderr, env: {}, cwd: dir, now, topic: ['fixture'] } };
}

/** An interactive answerer stand-in that answers everything right, then optionally presses Ctrl-C. */
function rightAnswerer(stopAfter = Infinity): Answerer {
  let n = 0;
  return {
    async ask(item) {
      if (n++ >= stopAfter) throw new InterruptedError();
      return rightAnswer(item.question);
    },
  };
}

describe('take', () => {
  it('runs a full quiz, saves every answer and prints score, topics and review', async () => {
    const s = setup();
    const code = await run({ ...s.base, count: 5, seed: 9, candidate: 'ann', interactive: async () => rightAnswerer() });
    expect(code).toBe(0);
    expect(s.stdout.text).toContain('Result for ann');
    expect(s.stdout.text).toMatch(/Score 6\/6 · 100% · 5 of 5 fully right/);
    expect(s.stdout.text).toContain('Every answer was right.');
    expect(s.stdout.text).toMatch(/See this session again with: backend-quiz show \w{10}\n$/);
    const db = new Sqlite(s.db, { readonly: true });
    expect(db.prepare(`SELECT candidate, status, score, max_score, seed FROM sessions`).all()).toEqual([
      { candidate: 'ann', status: 'finished', score: 6, max_score: 6, seed: 9 },
    ]);
    expect(db.prepare(`SELECT count(*) AS n, sum(time_ms) AS t FROM answers`).get()).toEqual({ n: 5, t: 5 * 2000 });
    db.close();
  });

  it('on Ctrl-C keeps the answers given, marks the session abandoned and exits 130', async () => {
    const s = setup();
    const error = await run({ ...s.base, count: 5, seed: 9, interactive: async () => rightAnswerer(2) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect((error as Error).message).toMatch(/2 of 5 answers saved in session \w+ \(marked abandoned\)/);
    const db = new Sqlite(s.db, { readonly: true });
    expect(db.prepare(`SELECT status, score, max_score FROM sessions`).get()).toMatchObject({ status: 'abandoned', max_score: 6 });
    expect(db.prepare(`SELECT position FROM answers ORDER BY position`).all()).toEqual([{ position: 0 }, { position: 1 }]);
    db.close();
  });

  it('shows right/wrong and the explanation after each answer with --feedback immediate', async () => {
    const s = setup();
    await run({ ...s.base, count: 2, seed: 1, feedback: 'immediate', interactive: async () => ({ ask: async () => undefined }) });
    expect(s.stdout.text.match(/✘ not answered/g)).toHaveLength(2);
    expect(s.stdout.text).toContain('Right answer:');
    expect(s.stdout.text).not.toContain('Review of the questions');
    expect(s.stdout.text).toContain('Score 0/');
  });

  it('shows nothing of the result with --feedback none', async () => {
    const s = setup();
    await run({ ...s.base, count: 2, seed: 1, candidate: 'bo', feedback: 'none', interactive: async () => rightAnswerer() });
    expect(s.stdout.text.trim()).toMatch(/^Thank you, bo\. Your 2 answers are saved \(session \w+\)\.$/);
  });

  it('refuses to prompt without a terminal and says how to run scripted', async () => {
    const s = setup();
    await expect(run({ ...s.base, stdin: Object.assign(process.stdin, { isTTY: false }) })).rejects.toThrow(
      /no one to ask: this is CI or not a terminal, so give the answers with --answers <file>/,
    );
  });

  it.each([
    [{ topic: ['nope'] }, /unknown topic 'nope'; available: .*\bfixture\b/],
    [{ difficulty: ['expert'] }, /unknown difficulty 'expert'/],
    [{ answers: 'missing.yaml' }, /missing.yaml: no such file/],
    [{ banks: [path.join(fixtures, 'banks', 'invalid', 'wrong-type.yaml')] }, /wrong-type.yaml:7:17: 'difficulty' must be one of/],
  ])('%j is a usage error', async (over, message) => {
    const s = setup();
    const error = await run({ ...s.base, ...over }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });
});

describe('modes that exclude each other', () => {
  it.each([
    [{ pack: 'p.json', assessment: 'a.yaml' }, ['assessment', 'pack']],
    [{ pack: 'p.json', resume: true }, ['resume', 'pack']],
    [{ resume: 'abc', retry: 'mistakes' }, ['resume', 'retry']],
    [{ adaptive: true, assessment: 'a.yaml' }, ['adaptive', 'assessment']],
    [{ adaptive: false, assessment: 'a.yaml' }, undefined],
    [{ retry: 'mistakes' }, undefined],
  ])('%j', (set, expected) => {
    expect(conflict(set)).toEqual(expected);
  });

  it('a pack file with --assessment is refused before anything is read', async () => {
    await expect(run('p.json', { assessment: 'a.yaml' })).rejects.toThrow(/leave out a pack file/);
  });
});

describe('an answers file against the drawn form', () => {
  const drawn = [aQuestion({ id: 'a' }), aQuestion({ id: 'b' })].map((question) => ({ question, choiceOrder: [0, 1, 2] }));
  it('says nothing when it names every drawn question, answered or left blank', () => {
    expect(checkCoverage('a.yaml', new Set(['topic-a/a', 'topic-a/b', 'other/x']), drawn, 'backend-quiz take --seed 1')).toBeUndefined();
  });
  it('counts the drawn questions it does not name', () => {
    expect(checkCoverage('a.yaml', new Set(['topic-a/a']), drawn, 'backend-quiz take --seed 1')).toBe(
      'a.yaml does not name 1 of the 2 questions drawn; they count as unanswered (see the drawn questions with: backend-quiz take --seed 1 --print-form (or --answers-template <file>)).',
    );
  });
  it('refuses a file that names none of them', () => {
    expect(() => checkCoverage('a.yaml', new Set(['other/x']), drawn, 'backend-quiz take --seed 1')).toThrow(UserError);
  });
});
