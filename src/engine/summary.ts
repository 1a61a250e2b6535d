import type { Difficulty } from '../bank/types.js';
import type { Outcome } from './score.js';

/** The part of an answered question a summary needs; both live runs and stored sessions give it. */
export interface Scored {
  topic: string;
  difficulty: Difficulty;
  outcome: Outcome;
  points: number;
  maxPoints: number;
}

export interface Tally {
  score: number;
  maxScore: number;
  percent: number;
  questions: number;
  right: number;
}

export interface Summary extends Tally {
  topics: Record<string, Tally>;
}

/** Rounds to `places` decimals, so scores and percents print without binary-fraction noise. */
export const round = (x: number, places = 1): number => Math.round(x * 10 ** places) / 10 ** places;

/** Percent with one decimal; 0 when there is nothing to score. */
export function percentOf(score: number, maxScore: number): number {
  return maxScore > 0 ? round((100 * score) / maxScore) : 0;
}

function tally(items: readonly Scored[]): Tally {
  const score = items.reduce((s, i) => s + i.points, 0);
  const maxScore = items.reduce((s, i) => s + i.maxPoints, 0);
  return {
    score: round(score, 3),
    maxScore: round(maxScore, 3),
    percent: percentOf(score, maxScore),
    questions: items.length,
    right: items.filter((i) => i.outcome === 'right').length,
  };
}

export function summarize(items: readonly Scored[]): Summary {
  const topics: Record<string, Tally> = {};
  for (const t of [...new Set(items.map((i) => i.topic))].sort()) {
    topics[t] = tally(items.filter((i) => i.topic === t));
  }
  return { ...tally(items), topics };
}
