// Choosing the next question of an adaptive sitting, when to stop, and the simulation that shows
// adaptive sittings need fewer questions than random forms for the same accuracy.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/engine/rng.js';
import { ADAPTIVE_DEFAULTS, chooseNext, stopReason, type PoolItem } from '../../src/psychometrics/adaptive.js';
import { adaptiveSitting, compareWithFixedForms, syntheticPool } from '../../src/psychometrics/simulate.js';

const item = (key: string, b: number, topic = 'a'): PoolItem => ({ key, topic, b });
const pool = [-2, -1.5, -1, -0.6, -0.3, -0.1, 0.05, 0.2, 0.4, 0.9, 1.4, 2.1].map((b, i) => item(`a/q${i}`, b));

describe('chooseNext', () => {
  it('with no exposure control takes the most informative item: the one whose b is nearest θ', () => {
    expect(pool[chooseNext(pool, new Set(), 0, mulberry32(1), 1)!]!.b).toBe(0.05);
    expect(pool[chooseNext(pool, new Set(), 1.3, mulberry32(1), 1)!]!.b).toBe(1.4);
    // Taken already: the next nearest.
    expect(pool[chooseNext(pool, new Set([6]), 0, mulberry32(1), 1)!]!.b).toBe(-0.1);
  });

  it('starts near θ = 0 and draws among the 5 most informative, each of them in turn', () => {
    const seen = new Set<number>();
    const rng = mulberry32(7);
    for (let n = 0; n < 200; n++) seen.add(pool[chooseNext(pool, new Set(), 0, rng)!]!.b);
    // |b| nearest 0: 0.05, −0.1, 0.2, −0.3, 0.4
    expect([...seen].sort((a, b) => a - b)).toEqual([-0.3, -0.1, 0.05, 0.2, 0.4]);
  });

  it('balances topics: the next comes from the topic with fewest questions given', () => {
    const mixed = [item('a/1', 0, 'a'), item('a/2', 0.1, 'a'), item('a/3', 0.2, 'a'), item('b/1', 2, 'b'), item('b/2', 2.5, 'b')];
    // Two from a given: b is behind, even though its items are less informative at θ = 0.
    expect(mixed[chooseNext(mixed, new Set([0, 1]), 0, mulberry32(3), 1)!]!.topic).toBe('b');
    // Both at one each: the more informative item of whichever topic comes up; b exhausted → a.
    expect(mixed[chooseNext(mixed, new Set([0, 3, 4]), 0, mulberry32(3), 1)!]!.topic).toBe('a');
  });

  it('returns nothing once the pool is used up', () => {
    expect(chooseNext(pool, new Set(pool.map((_, i) => i)), 0, mulberry32(1))).toBeUndefined();
  });
});

describe('stopReason', () => {
  const rules = { ...ADAPTIVE_DEFAULTS, maxItems: 10, targetSe: 0.4 };
  it.each([
    [0, 1, 5, null], // never before the first question, whatever the prior
    [3, 0.5, 5, null],
    [3, 0.4, 5, 'precision'], // at the target counts
    [10, 0.6, 5, 'max-items'],
    [4, 0.6, 0, 'pool-exhausted'],
  ])('after %i questions at SD %f with %i left: %s', (asked, sd, left, reason) => {
    expect(stopReason(asked, sd, left, rules)).toBe(reason);
  });
});

describe('simulation', () => {
  it('an adaptive sitting of a strong candidate climbs to hard questions and stops at the target SE or the limit', () => {
    const big = syntheticPool(300, 5);
    const r = adaptiveSitting(big, 2, { ...ADAPTIVE_DEFAULTS, targetSe: 0.45 }, mulberry32(11));
    expect(r.theta).toBeGreaterThan(1);
    expect(r.items).toBeLessThanOrEqual(30);
    expect(r.stop === 'precision' ? r.sd <= 0.45 : r.items === 30).toBe(true);
  });

  it('adaptive sittings reach the accuracy of random forms with at least 30% fewer questions', () => {
    // 1,000 candidates: with a few hundred the RMSEs are too noisy to place the crossing point.
    const c = compareWithFixedForms(syntheticPool(300, 1), ADAPTIVE_DEFAULTS, { examinees: 1000, seed: 1, maxFixed: 120 });
    expect(c.examinees).toBe(1000);
    expect(c.adaptive.meanItems).toBeLessThanOrEqual(30);
    expect(c.adaptive.rmse).toBeLessThan(c.fixedSameLength.rmse);
    expect(c.fixedNeeded!.rmse).toBeLessThanOrEqual(c.adaptive.rmse);
    expect(c.saving).toBeGreaterThanOrEqual(0.3);
    // Unbiased enough: the mean error is small against the RMSE.
    expect(Math.abs(c.adaptive.bias)).toBeLessThan(0.05);
  });

  it('is reproducible: the same seed gives the same table', () => {
    const small = syntheticPool(80, 2);
    const a = compareWithFixedForms(small, ADAPTIVE_DEFAULTS, { examinees: 50, seed: 9 });
    expect(compareWithFixedForms(small, ADAPTIVE_DEFAULTS, { examinees: 50, seed: 9 })).toEqual(a);
  });
});
