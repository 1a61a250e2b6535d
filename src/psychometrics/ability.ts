// A person's ability from the items they answered: the expected a posteriori (EAP) estimate under
// the N(0, 1) prior of the calibration, with its posterior SD as the standard error. Pure.
import type { Outcome } from '../engine/score.js';
import { round } from '../engine/summary.js';
import { normalCdf, normalGrid, type Quadrature } from './quadrature.js';

/** One answered item: its difficulty and whether the answer was right. */
export interface Scored {
  b: number;
  x: 0 | 1;
}

export interface Ability {
  /** EAP estimate of θ. */
  theta: number;
  /** Posterior SD of θ: the uncertainty to show as ± next to it. */
  se: number;
  /** Share of the calibration population below θ, 0–100 (the population is N(0, 1) by the model). */
  percentile: number;
  /** Items the estimate rests on. */
  items: number;
}

/**
 * The posterior over an even grid, updated one answer at a time: an adaptive sitting adds each
 * answer as it comes and asks for the mean after every one, so nothing is recomputed. Kept as
 * densities rather than logarithms: with e^-θ tabulated once, an answer costs one exp and a
 * multiplication per node, which is what lets a simulation run thousands of sittings.
 */
export class Posterior {
  readonly grid: Quadrature;
  private readonly density: Float64Array;
  /** e^-θ at each node: P(right) = 1 / (1 + e^b e^-θ). */
  private readonly expMinus: Float64Array;
  count = 0;

  constructor(grid: Quadrature = normalGrid()) {
    this.grid = grid;
    this.density = Float64Array.from(grid.weights);
    this.expMinus = Float64Array.from(grid.nodes, (t) => Math.exp(-t));
  }

  add(b: number, x: 0 | 1): this {
    // Difficulties beyond ±50 would overflow e^b and mean the same as ±50 anyway.
    const eb = Math.exp(Math.max(-50, Math.min(50, b)));
    const d = this.density;
    let max = 0;
    for (let q = 0; q < d.length; q++) {
      const t = eb * this.expMinus[q]!;
      // P = 1/(1 + t) and 1 − P = t/(1 + t), each exact where the other would round to 1.
      d[q]! *= (x ? 1 : t) / (1 + t);
      if (d[q]! > max) max = d[q]!;
    }
    // Rescale before a long run of answers can underflow every node.
    if (max < 1e-200) for (let q = 0; q < d.length; q++) d[q]! /= max;
    this.count++;
    return this;
  }

  /** Posterior mean and SD. */
  summary(): { theta: number; sd: number } {
    const { nodes } = this.grid;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let q = 0; q < nodes.length; q++) {
      const w = this.density[q]!;
      s0 += w;
      s1 += w * nodes[q]!;
      s2 += w * nodes[q]! * nodes[q]!;
    }
    const theta = s1 / s0;
    return { theta, sd: Math.sqrt(Math.max(0, s2 / s0 - theta * theta)) };
  }
}

/** Percentile of θ in the N(0, 1) calibration population, one decimal. */
export const percentileOf = (theta: number): number => round(100 * normalCdf(theta));

/** EAP ability from answered items; with none, the prior: θ 0 ± 1 at the 50th percentile. */
export function estimateAbility(items: Iterable<Scored>, grid?: Quadrature): Ability {
  const post = new Posterior(grid);
  for (const i of items) post.add(i.b, i.x);
  const { theta, sd } = post.summary();
  return { theta, se: sd, percentile: percentileOf(theta), items: post.count };
}

/** How a stored outcome counts: right is 1; partial, wrong and unanswered 0; ungraded not at all. */
export function scoreOf(outcome: Outcome | null): 0 | 1 | null {
  return outcome === 'right' ? 1 : outcome === 'ungraded' ? null : 0;
}

/**
 * Ability from a sitting's answers, counting only the questions `difficulty` knows; null when it
 * knows none of them (a sitting of questions the calibration never saw has no estimate).
 */
export function abilityOf(
  answers: Iterable<{ key: string; outcome: Outcome | null }>,
  difficulty: (key: string) => number | undefined,
): Ability | null {
  const scored: Scored[] = [];
  for (const a of answers) {
    const b = difficulty(a.key);
    const x = scoreOf(a.outcome);
    if (b !== undefined && x !== null) scored.push({ b, x });
  }
  return scored.length ? estimateAbility(scored) : null;
}
