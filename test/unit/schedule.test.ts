// The scheduling glue around ts-fsrs, with a fake clock: days pass between rounds.
import { Rating, type Grade } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { LEARNED_DAYS } from '../../src/practice/round.js';
import { EASY, Pace, rate, review } from '../../src/practice/schedule.js';
import type { Graded, StoredCard } from '../../src/store/practice.js';

const DAY = 86_400_000;
const t0 = new Date('2026-03-02T09:00:00.000Z'); // a Monday
const at = (days: number, hours = 0): Date => new Date(t0.getTime() + days * DAY + hours * 3_600_000);

/** A card as the store keeps it, after answering `outcome` at `when`. */
function answer(
  prev: StoredCard | undefined,
  outcome: Graded,
  when: Date,
  grade: Grade = outcome === 'right' ? Rating.Good : outcome === 'partial' ? Rating.Hard : Rating.Again,
): StoredCard {
  return { candidate: 'ann', key: 't/q', topic: 't', questionHash: 'h', ...review(prev, grade, when), lastOutcome: outcome };
}

const daysAfter = (c: StoredCard, from: Date): number => (Date.parse(c.due) - from.getTime()) / DAY;

describe('rating an answer', () => {
  const pace = new Pace();
  it.each([
    ['wrong', Rating.Again],
    ['unanswered', Rating.Again],
    ['partial', Rating.Hard],
    ['right', Rating.Good],
  ] as const)('%s is %s', (outcome, grade) => {
    expect(rate({ outcome, type: 'single', timeMs: 5000, interactive: true }, pace)).toBe(grade);
  });

  it(`a right answer in under ${EASY.share * 100}% of the usual time for its type is Easy, once there are ${EASY.minSamples} to compare with`, () => {
    const p = new Pace();
    const fast = { outcome: 'right', type: 'boolean', timeMs: 3_900, interactive: true } as const;
    for (let i = 0; i < EASY.minSamples - 1; i++) p.add('boolean', 8_000);
    expect(rate(fast, p)).toBe(Rating.Good); // nine are not enough
    p.add('boolean', 8_000);
    expect(p.usual('boolean')).toBe(8_000);
    expect(rate(fast, p)).toBe(Rating.Easy);
    expect(rate({ ...fast, timeMs: 4_000 }, p)).toBe(Rating.Good); // exactly half is not faster than half
    // Each type has its own pace: text questions have no history yet.
    expect(rate({ ...fast, type: 'text' }, p)).toBe(Rating.Good);
    // A scripted answer's time says nothing about the candidate.
    expect(rate({ ...fast, timeMs: 0, interactive: false }, p)).toBe(Rating.Good);
  });

  it(`the usual time is the median of the last ${EASY.window} right answers`, () => {
    const p = new Pace([
      ...Array.from({ length: EASY.window }, () => ({ type: 'single' as const, ms: 60_000 })),
      ...Array.from({ length: 11 }, (_, i) => ({ type: 'single' as const, ms: 1_000 * (i + 1) })),
    ]);
    // 189 answers of 60 s and 11 of 1..11 s: the median of 200 is still 60 s.
    expect(p.usual('single')).toBe(60_000);
    for (let i = 0; i < 100; i++) p.add('single', 2_000);
    // Now 89 of 60 s, 11 of 1..11 s and 100 of 2 s: the middle pair is 2 s and 2 s.
    expect(p.usual('single')).toBe(2_000);
  });
});

describe('scheduling with short-term steps off', () => {
  it('a question answered right is next due after at least a day', () => {
    for (const grade of [Rating.Hard, Rating.Good, Rating.Easy] as Grade[]) {
      const c = answer(undefined, grade === Rating.Hard ? 'partial' : 'right', t0, grade);
      expect(daysAfter(c, t0)).toBeGreaterThanOrEqual(1);
    }
    // FSRS-6's first intervals: Hard 2 days, Good 3, Easy 8.
    expect(daysAfter(answer(undefined, 'partial', t0), t0)).toBe(2);
    expect(daysAfter(answer(undefined, 'right', t0), t0)).toBe(3);
    expect(daysAfter(answer(undefined, 'right', t0, Rating.Easy), t0)).toBe(8);
  });

  it('a missed question is due again at once, for the next round, and the miss is remembered', () => {
    const missed = answer(undefined, 'wrong', t0);
    expect(missed.due).toBe(t0.toISOString());
    expect(missed.scheduledDays).toBe(0);
    // The next round, an hour later, gets it right: a short interval, not the one a first right answer gets.
    const next = answer(missed, 'right', at(0, 1));
    expect(daysAfter(next, at(0, 1))).toBeGreaterThanOrEqual(1);
    expect(next.stability).toBeLessThan(answer(undefined, 'right', t0).stability);
    // Missed again after it had been learned: a lapse, due at once.
    const learned = answer(answer(answer(undefined, 'right', t0), 'right', at(3)), 'right', at(17));
    const lapse = answer(learned, 'wrong', at(80));
    expect(lapse).toMatchObject({ due: at(80).toISOString(), scheduledDays: 0, lapses: 1, reps: 4 });
  });

  it('intervals grow as days pass and answers stay right, until the question is learned', () => {
    let c = answer(undefined, 'right', t0);
    const intervals = [c.scheduledDays];
    while (c.scheduledDays < LEARNED_DAYS) {
      c = answer(c, 'right', new Date(c.due)); // answered the day it falls due
      intervals.push(c.scheduledDays);
    }
    expect(intervals).toEqual([3, 14, 57]);
    expect(c.reps).toBe(3);
  });

  it('keeps its state between runs: a card read back from its stored fields schedules the same', () => {
    const c = answer(answer(undefined, 'right', t0), 'partial', at(3));
    const roundTrip: StoredCard = JSON.parse(JSON.stringify(c));
    expect(answer(roundTrip, 'right', at(9))).toEqual(answer(c, 'right', at(9)));
  });
});
