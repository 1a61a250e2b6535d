// Practice rounds, --status and --retry through the commands, with a stand-in answerer and a fake
// clock: days pass between rounds.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { run as practice } from '../../src/commands/practice.js';
import { run as take } from '../../src/commands/take.js';
import type { Answerer } from '../../src/engine/quiz.js';
import { rightAnswer, type Response } from '../../src/engine/score.js';
import { InterruptedError, UserError } from '../../src/errors.js';
import type { Question } from '../../src/bank/types.js';
import { PLAIN } from '../../src/report/format.js';
import { renderStatus } from '../../src/report/practice.js';
import { Capture, fixtures, tmpDir } from '../helpers.js';

const banks = [path.join(fixtures, 'banks', 'valid')];
const DAY = 86_400_000;
const KEYS = ['fixture/pick-two', 'fixture/sky-blue', 'fixture/https-port', 'fixture/retry-header', 'fixture/small-primes'];

function wrong(q: Question): Response {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return q.type === 'single' ? q.choices.find((c) => !c.correct)!.text : [q.choices.find((c) => !c.correct)!.text];
    case 'boolean':
      return !q.answer;
    case 'number':
      return q.answer + 1;
    case 'text':
      return 'no idea';
    case 'sql':
    case 'code':
      return { answer: '' };
  }
}

/** A candidate at a terminal: wrong on the keys in `miss`, right on the rest; records what was asked. */
function person(miss: readonly string[] = [], stopAfter = Infinity): { asked: string[]; answerer: () => Promise<Answerer> } {
  const asked: string[] = [];
  return {
    asked,
    answerer: async () => ({
      async ask(item) {
        if (asked.length >= stopAfter) throw new InterruptedError();
        asked.push(item.question.key);
        return miss.includes(item.question.key) ? wrong(item.question) : rightAnswer(item.question);
      },
    }),
  };
}

function setup() {
  const dir = tmpDir();
  const db = path.join(dir, 'r.db');
  let t = Date.parse('2026-03-02T09:00:00.000Z'); // a Monday
  const clock = { now: () => new Date((t += 1000)), pass: (days: number) => (t += days * DAY) };
  const io = () => ({ stdout: new Capture(), stderr: new Capture() });
  const base = { banks, db, env: {}, cwd: dir, candidate: 'ann', now: clock.now };
  return { dir, db, clock, io, base };
}

async function status(
  base: object,
  extra: object = {},
): Promise<{ topics: { topic: string; due: number; learning: number; learned: number; notSeen: number }[]; at: string }> {
  const out = new Capture();
  await practice({ ...base, stdout: out, status: true, json: true, ...extra });
  return JSON.parse(out.text);
}
const fixtureRow = async (base: object, extra: object = {}) => (await status(base, { topic: ['fixture'], ...extra })).topics[0]!;

describe('practice rounds', () => {
  it('asks new questions first time, then what was missed at once, then what is due as days pass', async () => {
    const s = setup();
    const scope = { topic: ['fixture'], count: 3, seed: 4 };

    // Round 1: three new questions; the first one asked is missed.
    const first = person();
    const missFirst = async (): Promise<Answerer> => ({
      ask: async (item, at) =>
        at.index === 0 ? (first.asked.push(item.question.key), wrong(item.question)) : (await first.answerer()).ask(item, at),
    });
    const out = s.io();
    expect(await practice({ ...s.base, ...out, ...scope, interactive: missFirst })).toBe(0);
    expect(first.asked).toHaveLength(3);
    const missed = first.asked[0]!;
    expect(out.stdout.text).toContain('Practice for ann: 3 new questions.');
    // Feedback is immediate: the verdict and the explanation after each answer, no review at the end.
    expect(out.stdout.text.match(/✔ right|✘ wrong/g)).toEqual(['✘ wrong', '✔ right', '✔ right']);
    expect(out.stdout.text).not.toContain('Review of the questions');
    expect(out.stdout.text).toMatch(/1 question is due now \(practise again to go over it\); the next comes due 2026-03-05 09:00 UTC\.\n$/);
    expect(await fixtureRow(s.base)).toMatchObject({ questions: 5, due: 1, learning: 2, learned: 0, notSeen: 2 });

    // Round 2, an hour later: the miss first, then the two questions not seen yet.
    s.clock.pass(1 / 24);
    const second = person();
    const out2 = s.io();
    await practice({ ...s.base, ...out2, ...scope, interactive: second.answerer });
    expect(second.asked[0]).toBe(missed);
    expect(new Set([...first.asked, ...second.asked])).toEqual(new Set(KEYS));
    expect(out2.stdout.text).toContain('Practice for ann: 1 question due (most overdue first), then 2 new ones.');
    expect(out2.stdout.text).toMatch(/Nothing is due now; the next is due 2026-03-05 09:00 UTC\.\n$/);

    // Round 3: every question seen, none due.
    const done = s.io();
    await practice({ ...s.base, ...done, ...scope, interactive: person().answerer });
    expect(done.stdout.text).toBe(
      'Nothing to practise: no question is due and you have answered every question in fixture. The next comes due 2026-03-05 09:00 UTC.\n',
    );

    // A right answer comes back after days: none is due by the end of Wednesday, all five by the end of Thursday.
    expect(await fixtureRow(s.base, { at: '2026-03-04' })).toMatchObject({ due: 0, learning: 5 });
    const thursday = await status(s.base, { topic: ['fixture'], at: '2026-03-05' });
    expect(thursday.at).toBe('2026-03-06T00:00:00.000Z');
    expect(thursday.topics[0]).toMatchObject({ due: 5, learning: 0 });
    s.clock.pass(3 + 1 / 24);
    const fourth = person();
    await practice({ ...s.base, ...s.io(), topic: ['fixture'], count: 10, interactive: fourth.answerer });
    expect([...fourth.asked].sort()).toEqual([...KEYS].sort());
  });

  it("a quiz taken yesterday already feeds today's practice; an assessment sitting does not", async () => {
    const s = setup();
    await take({
      ...s.base,
      ...s.io(),
      topic: ['fixture'],
      count: 5,
      seed: 2,
      interactive: person(['fixture/https-port', 'fixture/small-primes']).answerer,
    });
    const file = path.join(s.dir, 'fx.yaml');
    fs.writeFileSync(file, ['assessment: fx', 'title: Fx', 'sections:', '  - topic: fixture', '    count: 5'].join('\n'));
    await take({ ...s.base, ...s.io(), assessment: file, interactive: person(KEYS).answerer });
    expect(await fixtureRow(s.base)).toMatchObject({ due: 2, learning: 3, notSeen: 0 });

    s.clock.pass(1);
    const today = person();
    await practice({ ...s.base, ...s.io(), topic: ['fixture'], count: 5, interactive: today.answerer });
    expect([...today.asked].sort()).toEqual(['fixture/https-port', 'fixture/small-primes']);
  });

  it('keeps schedules per candidate', async () => {
    const s = setup();
    await practice({ ...s.base, ...s.io(), topic: ['fixture'], count: 5, interactive: person(KEYS).answerer });
    expect((await fixtureRow(s.base)).due).toBe(5);
    expect(await fixtureRow({ ...s.base, candidate: 'bob' })).toMatchObject({ due: 0, notSeen: 5 });
  });

  it('is stored like any session, and a stopped round resumes with take --resume', async () => {
    const s = setup();
    const stopped = await practice({
      ...s.base,
      ...s.io(),
      topic: ['fixture'],
      count: 4,
      seed: 1,
      interactive: person([], 2).answerer,
    }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(InterruptedError);
    const id = /session (\w+) \(marked abandoned\)/.exec((stopped as Error).message)![1]!;
    const rest = person();
    await take({ ...s.base, ...s.io(), resume: id, interactive: rest.answerer });
    expect(rest.asked).toHaveLength(2);
    const db = new Sqlite(s.db, { readonly: true });
    expect(
      db
        .prepare(`SELECT status, json_extract(settings, '$.kind') AS kind, json_extract(settings, '$.feedback') AS feedback FROM sessions`)
        .get(),
    ).toEqual({ status: 'finished', kind: 'practice', feedback: 'immediate' });
    expect(db.prepare('SELECT count(*) FROM practice_cards').pluck().get()).toBe(4);
    db.close();
  });

  it.each([
    [{ at: '2026-03-09' }, /--at goes with --status/],
    [{ status: true, at: 'monday' }, /--at takes a date \(2026-11-01\) or an ISO time/],
    [{ topic: ['nope'] }, /unknown topic 'nope'/],
    [{ count: 0 }, /--count must be a whole number of 1 or more/],
  ])('%j is a usage error', async (over, message) => {
    const s = setup();
    const e = await practice({ ...s.base, ...s.io(), interactive: person().answerer, ...over }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(2);
    expect((e as Error).message).toMatch(message);
  });
});

describe('take --retry', () => {
  it("asks again exactly the questions a session got wrong, partly right or left empty, then a candidate's latest mistakes", async () => {
    const s = setup();
    const quiz = s.io();
    await take({
      ...s.base,
      ...quiz,
      topic: ['fixture'],
      count: 5,
      seed: 3,
      json: true,
      interactive: async () => ({
        async ask(item) {
          const q = item.question;
          if (q.key === 'fixture/small-primes') return ['2']; // partly right
          if (q.key === 'fixture/retry-header') return undefined; // left empty
          return q.key === 'fixture/pick-two' ? 'Three' : rightAnswer(q);
        },
      }),
    });
    const id = JSON.parse(quiz.stdout.text).sessionId as string;

    const again = person(['fixture/small-primes']);
    const out = s.io();
    expect(await take({ ...s.base, ...out, retry: id.slice(0, 6), candidate: undefined, interactive: again.answerer })).toBe(0);
    expect([...again.asked].sort()).toEqual(['fixture/pick-two', 'fixture/retry-header', 'fixture/small-primes']);
    expect(out.stdout.text).toContain('Result for ann');

    // The latest answers: pick-two and retry-header are now right; small-primes was missed again.
    const latest = person();
    await take({ ...s.base, ...s.io(), retry: 'mistakes', interactive: latest.answerer });
    expect(latest.asked).toEqual(['fixture/small-primes']);
    const none = s.io();
    expect(await take({ ...s.base, ...none, retry: 'mistakes', interactive: latest.answerer })).toBe(0);
    expect(none.stdout.text).toBe("Nothing to retry: no wrong, partly right or skipped answers in ann's latest answers.\n");

    const db = new Sqlite(s.db, { readonly: true });
    expect(
      db
        .prepare(
          `SELECT json_extract(settings, '$.retryOf') FROM sessions WHERE json_extract(settings, '$.kind') = 'retry' ORDER BY started_at`,
        )
        .pluck()
        .all(),
    ).toEqual([id, 'mistakes']);
    db.close();
  });

  it.each([
    [{ retry: 'mistakes', resume: 'abcd' }, /--resume continues a stored sitting as it was started; leave out --retry/],
    [{ retry: 'zzzzzz' }, /no session 'zzzzzz'/],
  ])('%j is a usage error', async (over, message) => {
    const s = setup();
    const e = await take({ ...s.base, ...s.io(), interactive: person().answerer, ...over }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toMatch(message);
  });
});

describe('practice --status as text', () => {
  it('a table per topic with a total, within 80 columns however long a topic id is', () => {
    const row = (topic: string, due: number) => ({ topic, questions: 50, due, learning: 10, learned: 5, notSeen: 50 - due - 15 });
    const text = renderStatus(
      {
        candidate: 'ann',
        at: '2026-03-09T00:00:00.000Z',
        now: false,
        topics: [row('caching', 3), row(`very-long-${'x'.repeat(60)}-topic`, 12)],
      },
      PLAIN,
    );
    expect(text.split('\n').slice(0, 6)).toEqual([
      'Practice for ann, at 2026-03-09 00:00 UTC',
      '',
      'TOPIC                                          DUE  LEARNING  LEARNED  NOT SEEN',
      'caching                                          3        10        5        32',
      'very-long-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…   12        10        5        23',
      'all topics                                      15        20       10        55',
    ]);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const wide = renderStatus(
      {
        candidate: 'ann',
        at: '2026-03-09T00:00:00.000Z',
        now: false,
        topics: [row('scalability-performance', 1), row(`very-long-${'x'.repeat(60)}-topic`, 12)],
      },
      PLAIN,
      120,
    );
    expect(wide).toContain(`very-long-${'x'.repeat(60)}-topic `);
    expect(wide).toMatch(/^scalability-performance\s/m);
  });
});
