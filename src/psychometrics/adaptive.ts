// Computerised adaptive testing over a calibrated pool: each next item is the most informative at
// the current ability estimate, drawn at random among the few best so no item is seen by everyone
// (the "randomesque" exposure control of Kingsbury & Zara 1989), from the topic furthest behind its
// share. Pure: the sitting flow in src/assessment/ does the asking and storing.
import type { Rng } from '../engine/rng.js';
import { information } from './rasch.js';

export interface PoolItem {
  key: string;
  topic: string;
  /** Difficulty on the calibration's scale (or the stand-in from its label). */
  b: number;
}

export interface AdaptiveRules {
  /** Stop after this many items. */
  maxItems: number;
  /** Stop once the posterior SD is at or below this. */
  targetSe: number;
  /** Draw the next item at random among this many most informative. */
  exposure: number;
}

export const ADAPTIVE_DEFAULTS: AdaptiveRules = { maxItems: 30, targetSe: 0.35, exposure: 5 };

export type StopReason = 'precision' | 'max-items' | 'pool-exhausted';

/** Why a sitting should end now, or null to go on. */
export function stopReason(asked: number, sd: number, remaining: number, rules: AdaptiveRules): StopReason | null {
  if (asked > 0 && sd <= rules.targetSe) return 'precision';
  if (asked >= rules.maxItems) return 'max-items';
  if (remaining === 0) return 'pool-exhausted';
  return null;
}

/**
 * Difficulty labels standing in for a calibration: one logit apart, centred on the population
 * mean, so an untested bank still gets easier after a miss and harder after a hit.
 */
export const LABEL_DIFFICULTY = { easy: -1, medium: 0, hard: 1 } as const;

/**
 * The index into `pool` of the next item, or undefined when nothing is left. `asked` marks the
 * items given already (by index); `topics` are the topics to balance, each aiming at an equal share.
 */
export function chooseNext(
  pool: readonly PoolItem[],
  asked: ReadonlySet<number>,
  theta: number,
  rng: Rng,
  exposure = ADAPTIVE_DEFAULTS.exposure,
): number | undefined {
  const given = new Map<string, number>();
  const open = new Map<string, number>();
  pool.forEach((item, i) => {
    if (asked.has(i)) given.set(item.topic, (given.get(item.topic) ?? 0) + 1);
    else open.set(item.topic, (open.get(item.topic) ?? 0) + 1);
  });
  if (open.size === 0) return undefined;
  // The topic furthest behind: fewest items given among those with items left; ties by lot, so
  // the order of topics does not decide which comes first.
  let fewest = Infinity;
  let behind: string[] = [];
  for (const t of [...open.keys()].sort()) {
    const n = given.get(t) ?? 0;
    if (n < fewest) [fewest, behind] = [n, [t]];
    else if (n === fewest) behind.push(t);
  }
  const topic = behind[Math.floor(rng() * behind.length)]!;
  // The `exposure` most informative items of that topic, kept in a small sorted list: one pass
  // over the pool, no full sort.
  const best: { i: number; info: number }[] = [];
  pool.forEach((item, i) => {
    if (item.topic !== topic || asked.has(i)) return;
    const info = information(theta, item.b);
    if (best.length < exposure || info > best[best.length - 1]!.info) {
      let at = best.length;
      while (at > 0 && best[at - 1]!.info < info) at--;
      best.splice(at, 0, { i, info });
      if (best.length > exposure) best.pop();
    }
  });
  return best[Math.floor(rng() * best.length)]!.i;
}
