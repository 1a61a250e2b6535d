// Does adaptive testing pay? Simulated examinees θ ~ N(0, 1) answer by the Rasch model, once in
// adaptive sittings and once on random fixed-length forms drawn from the same pool, and the
// estimates are compared with the truth. Pure and seeded: the same seed gives the same table.
import { mulberry32, normal, type Rng } from '../engine/rng.js';
import { Posterior } from './ability.js';
import { chooseNext, stopReason, type AdaptiveRules, type PoolItem, type StopReason } from './adaptive.js';
import { probability } from './rasch.js';

export interface MethodResult {
  /** Mean number of items given. */
  meanItems: number;
  /** Root mean square error of θ̂ against the true θ. */
  rmse: number;
  /** Mean of θ̂ − θ. */
  bias: number;
}

export interface Comparison {
  examinees: number;
  poolSize: number;
  adaptive: MethodResult & { stops: Record<StopReason, number> };
  /** Random forms as long as the adaptive sittings were on average. */
  fixedSameLength: MethodResult;
  /** The shortest random form that is as accurate as the adaptive sittings, or null when even the whole pool is not. */
  fixedNeeded: (MethodResult & { items: number }) | null;
  /** 1 − adaptive items / fixed items needed (0.3 = 30 % fewer), or null. */
  saving: number | null;
}

/** A pool for when no calibration exists: difficulties spread evenly from −2.5 to 2.5. */
export function syntheticPool(size: number, seed: number): PoolItem[] {
  const rng = mulberry32(seed);
  return Array.from({ length: size }, (_, i) => ({ key: `synthetic/q${i + 1}`, topic: 'synthetic', b: -2.5 + 5 * rng() }));
}

const answer = (theta: number, b: number, rng: Rng): 0 | 1 => (rng() < probability(theta, b) ? 1 : 0);

function summarise(errors: readonly number[], items: number): MethodResult {
  const n = errors.length;
  return { meanItems: items, rmse: Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / n), bias: errors.reduce((s, e) => s + e, 0) / n };
}

/** One adaptive sitting of a simulated examinee: the estimate, the items given and why it stopped. */
export function adaptiveSitting(
  pool: readonly PoolItem[],
  theta: number,
  rules: AdaptiveRules,
  rng: Rng,
): { theta: number; sd: number; items: number; stop: StopReason } {
  const post = new Posterior();
  const asked = new Set<number>();
  let est = post.summary();
  for (;;) {
    const stop = stopReason(asked.size, est.sd, pool.length - asked.size, rules);
    if (stop) return { ...est, items: asked.size, stop };
    const i = chooseNext(pool, asked, est.theta, rng, rules.exposure)!;
    asked.add(i);
    post.add(pool[i]!.b, answer(theta, pool[i]!.b, rng));
    est = post.summary();
  }
}

/**
 * Compares adaptive sittings with random fixed forms on the same simulated examinees. For the
 * forms, each examinee answers a random order of the whole pool (up to `maxFixed` items) and the
 * estimate after every item is kept, so one pass gives the accuracy of every form length.
 */
export function compareWithFixedForms(
  pool: readonly PoolItem[],
  rules: AdaptiveRules,
  opts: { examinees: number; seed: number; maxFixed?: number },
): Comparison {
  const rng = mulberry32(opts.seed);
  const thetas = Array.from({ length: opts.examinees }, () => normal(rng));
  const stops: Record<StopReason, number> = { precision: 0, 'max-items': 0, 'pool-exhausted': 0 };
  const adaptiveErrors: number[] = [];
  let adaptiveItems = 0;
  for (const theta of thetas) {
    const r = adaptiveSitting(pool, theta, rules, rng);
    adaptiveErrors.push(r.theta - theta);
    adaptiveItems += r.items;
    stops[r.stop]++;
  }
  const adaptive = { ...summarise(adaptiveErrors, adaptiveItems / thetas.length), stops };

  const longest = Math.min(pool.length, opts.maxFixed ?? pool.length);
  // errors[L - 1][e]: examinee e's error after a random form of L items.
  const sq = new Float64Array(longest);
  const sum = new Float64Array(longest);
  const order = pool.map((_, i) => i);
  for (const theta of thetas) {
    // Fisher–Yates, only as far as the longest form.
    for (let i = 0; i < longest; i++) {
      const j = i + Math.floor(rng() * (order.length - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const post = new Posterior();
    for (let l = 0; l < longest; l++) {
      const b = pool[order[l]!]!.b;
      post.add(b, answer(theta, b, rng));
      const e = post.summary().theta - theta;
      sq[l]! += e * e;
      sum[l]! += e;
    }
  }
  const fixedAt = (items: number): MethodResult => ({
    meanItems: items,
    rmse: Math.sqrt(sq[items - 1]! / thetas.length),
    bias: sum[items - 1]! / thetas.length,
  });
  const same = Math.max(1, Math.min(longest, Math.round(adaptive.meanItems)));
  let needed: number | null = null;
  for (let l = 1; l <= longest; l++) {
    if (fixedAt(l).rmse <= adaptive.rmse) {
      needed = l;
      break;
    }
  }
  return {
    examinees: thetas.length,
    poolSize: pool.length,
    adaptive,
    fixedSameLength: fixedAt(same),
    fixedNeeded: needed === null ? null : { ...fixedAt(needed), items: needed },
    saving: needed === null ? null : 1 - adaptive.meanItems / needed,
  };
}
