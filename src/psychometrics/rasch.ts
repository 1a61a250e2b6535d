// The Rasch (1PL) model, P(right | θ, b) = 1 / (1 + e^-(θ - b)), calibrated by marginal maximum
// likelihood with abilities θ ~ N(0, 1) integrated out over Gauss–Hermite quadrature: Bock–Aitkin
// EM steps (Bock & Aitkin 1981) to come close, then Newton–Raphson on the marginal likelihood with
// its exact observed information (Louis 1982), which also gives the standard errors. Pure.
import { gaussHermite } from './quadrature.js';
import { persons, type ResponseMatrix } from './responses.js';

/** P(right) for ability θ on an item of difficulty b. */
export function probability(theta: number, b: number): number {
  return 1 / (1 + Math.exp(b - theta));
}

/** Fisher information of one Rasch item at θ: P(1 − P), at most 0.25 where θ = b. */
export function information(theta: number, b: number): number {
  const p = probability(theta, b);
  return p * (1 - p);
}

/** log P and log(1 − P) without overflow or cancellation for large |θ − b|. */
const logP = (d: number): number => (d > 0 ? -Math.log1p(Math.exp(-d)) : d - Math.log1p(Math.exp(d)));

export type NotEstimable = 'too-few-responses' | 'all-right' | 'all-wrong';

export interface ItemCalibration {
  key: string;
  /** Persons who answered it. */
  n: number;
  /** Share of them who got it right, 0–1. */
  facility: number;
  status: 'estimated' | NotEstimable;
  /** Difficulty on the ability scale; null when not estimable. */
  b: number | null;
  se: number | null;
  /** Information-weighted mean-square residual: near 1 fits, above 1.3 is noisy, below 0.7 too predictable. */
  infit: number | null;
  /** Unweighted mean-square residual, sensitive to surprises far from the item's difficulty. */
  outfit: number | null;
}

export interface Calibration {
  items: ItemCalibration[];
  /** Persons with at least one response to an estimated item. */
  persons: number;
  /** Responses to estimated items. */
  responses: number;
  /** Marginal log-likelihood at the estimates. */
  logLik: number;
  iterations: number;
  converged: boolean;
  quadPoints: number;
}

export interface CalibrationOptions {
  /** Gauss–Hermite points; 41 keeps b to the third decimal on forms of 40 items (see the tests). */
  quadPoints?: number;
  /** Items answered by fewer persons are not estimated. */
  minResponses?: number;
  maxIterations?: number;
  /** Converged when no difficulty moves more than this in a step. */
  tolerance?: number;
}

export const CALIBRATION_DEFAULTS = { quadPoints: 41, minResponses: 30, maxIterations: 500, tolerance: 1e-6 } as const;

/** The responses restricted to estimable items, re-indexed 0..J-1, persons without any dropped. */
interface Design {
  J: number;
  start: Int32Array;
  item: Int32Array;
  x: Uint8Array;
  right: Float64Array;
}

function design(m: ResponseMatrix, keep: Int32Array, J: number): Design {
  const start: number[] = [0];
  const item: number[] = [];
  const x: number[] = [];
  const right = new Float64Array(J);
  for (let p = 0; p < persons(m); p++) {
    for (let e = m.personStart[p]!; e < m.personStart[p + 1]!; e++) {
      const j = keep[m.item[e]!]!;
      if (j < 0) continue;
      item.push(j);
      x.push(m.x[e]!);
      right[j]! += m.x[e]!;
    }
    if (item.length > start.at(-1)!) start.push(item.length);
  }
  return { J, start: Int32Array.from(start), item: Int32Array.from(item), x: Uint8Array.from(x), right };
}

interface Pass {
  logLik: number;
  /** Expected number of respondents at each node, per item (J × Q). */
  nq: Float64Array;
  /** Gradient of the marginal log-likelihood in b. */
  grad: Float64Array;
  /** Observed information (J × J, row-major), when asked for. */
  info?: Float64Array;
  /** Each person's posterior mean ability, when asked for. */
  eap?: Float64Array;
}

/** One pass over the data at difficulties b: the E-step, and on request the information. */
function expectation(
  d: Design,
  b: Float64Array,
  nodes: Float64Array,
  weights: Float64Array,
  want: { info?: boolean; eap?: boolean } = {},
): Pass {
  const Q = nodes.length;
  const { J } = d;
  const lp = new Float64Array(J * Q);
  const lq = new Float64Array(J * Q);
  const pr = new Float64Array(J * Q);
  for (let j = 0; j < J; j++) {
    for (let q = 0; q < Q; q++) {
      const diff = nodes[q]! - b[j]!;
      lp[j * Q + q] = logP(diff);
      lq[j * Q + q] = logP(-diff);
      pr[j * Q + q] = Math.exp(lp[j * Q + q]!);
    }
  }
  const logw = Float64Array.from(weights, Math.log);
  const nq = new Float64Array(J * Q);
  const grad = new Float64Array(J);
  const info = want.info ? new Float64Array(J * J) : undefined;
  const P = d.start.length - 1;
  const eap = want.eap ? new Float64Array(P) : undefined;
  const ll = new Float64Array(Q);
  const post = new Float64Array(Q);
  const weighted = new Float64Array(Q);
  let logLik = 0;
  let mean = new Float64Array(16);
  for (let p = 0; p < P; p++) {
    const s = d.start[p]!;
    const e = d.start[p + 1]!;
    ll.set(logw);
    for (let k = s; k < e; k++) {
      const base = d.item[k]! * Q;
      const row = d.x[k] ? lp : lq;
      for (let q = 0; q < Q; q++) ll[q]! += row[base + q]!;
    }
    let max = -Infinity;
    for (let q = 0; q < Q; q++) if (ll[q]! > max) max = ll[q]!;
    // Nodes where the posterior is below e^-40 of its peak add nothing a double can hold to the
    // sums below; a person with twenty answers leaves about a third of them, so skip the rest.
    let lo = Q;
    let hi = 0;
    let sum = 0;
    for (let q = 0; q < Q; q++) {
      const z = ll[q]! - max;
      if (z < -40) post[q] = 0;
      else {
        sum += post[q] = Math.exp(z);
        if (q < lo) lo = q;
        hi = q + 1;
      }
    }
    for (let q = lo; q < hi; q++) post[q]! /= sum;
    logLik += max + Math.log(sum);
    if (eap) {
      let t = 0;
      for (let q = lo; q < hi; q++) t += post[q]! * nodes[q]!;
      eap[p] = t;
    }
    if (mean.length < e - s) mean = new Float64Array(2 * (e - s));
    for (let k = s; k < e; k++) {
      const j = d.item[k]!;
      const base = j * Q;
      let m = 0;
      for (let q = lo; q < hi; q++) {
        nq[base + q]! += post[q]!;
        m += post[q]! * pr[base + q]!;
      }
      mean[k - s] = m;
      // d/db_j of log f(x | θ, b) is P_j(θ) − x_j; its posterior mean is this person's share.
      grad[j]! += m - d.x[k]!;
    }
    if (info) {
      // Louis (1982): information = E[−∂² log f] − Cov(∂ log f), per person, over the posterior:
      // diag(E[P(1 − P)]) − Cov(P), since x is fixed given the person.
      for (let a = s; a < e; a++) {
        const ja = d.item[a]!;
        const ba = ja * Q;
        const ma = mean[a - s]!;
        // The posterior times P_a, once per item rather than once per pair.
        for (let q = lo; q < hi; q++) weighted[q] = post[q]! * pr[ba + q]!;
        for (let c = a; c < e; c++) {
          const jc = d.item[c]!;
          const bc = jc * Q;
          let cross = 0;
          for (let q = lo; q < hi; q++) cross += weighted[q]! * pr[bc + q]!;
          const cov = cross - ma * mean[c - s]!;
          if (a === c) info[ja * J + ja]! += ma - cross - cov;
          else {
            info[ja * J + jc]! -= cov;
            info[jc * J + ja]! -= cov;
          }
        }
      }
    }
  }
  return { logLik, nq, grad, ...(info ? { info } : {}), ...(eap ? { eap } : {}) };
}

/**
 * The M-step for one item: with the expected respondents n_q at each node fixed, the difficulty
 * solves Σ_q n_q P(θ_q, b) = (number right), a monotone equation in b; Newton from the last value.
 */
function mStep(nq: Float64Array, base: number, Q: number, nodes: Float64Array, right: number, b0: number): number {
  let b = b0;
  for (let it = 0; it < 50; it++) {
    let f = -right;
    let df = 0;
    for (let q = 0; q < Q; q++) {
      const p = probability(nodes[q]!, b);
      f += nq[base + q]! * p;
      df += nq[base + q]! * p * (1 - p);
    }
    // f rises as b falls: d/db Σ n P = −Σ n P(1 − P).
    const step = Math.max(-1, Math.min(1, f / df));
    b += step;
    if (Math.abs(step) < 1e-12) break;
  }
  return b;
}

/** Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix, or null. */
function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j]!;
    }
  }
  return l;
}

/** Solves L Lᵀ y = v in place. */
function cholSolve(l: Float64Array, n: number, v: Float64Array): Float64Array {
  const y = Float64Array.from(v);
  for (let i = 0; i < n; i++) {
    let s = y[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  return y;
}

/** The diagonal of A⁻¹ from its Cholesky factor: column by column of L⁻¹. */
function inverseDiagonal(l: Float64Array, n: number): Float64Array {
  const diag = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    // (A⁻¹)_jj = e_jᵀ L⁻ᵀ L⁻¹ e_j = ‖L⁻¹ e_j‖², and L⁻¹ e_j is zero above row j.
    col.fill(0);
    col[j] = 1 / l[j * n + j]!;
    let s = col[j]! * col[j]!;
    for (let i = j + 1; i < n; i++) {
      let t = 0;
      for (let k = j; k < i; k++) t += l[i * n + k]! * col[k]!;
      col[i] = -t / l[i * n + i]!;
      s += col[i]! * col[i]!;
    }
    diag[j] = s;
  }
  return diag;
}

/** Running sums of one item's residuals, for its infit and outfit mean-squares. */
class FitSums {
  private z2 = 0;
  private sq = 0;
  private variance = 0;
  private n = 0;

  add(x: number, p: number): void {
    const v = p * (1 - p);
    this.z2 += ((x - p) * (x - p)) / v;
    this.sq += (x - p) * (x - p);
    this.variance += v;
    this.n++;
  }

  /** Outfit: the mean squared standardised residual; infit: squared residuals over their variance. */
  result(): { infit: number; outfit: number } {
    return { outfit: this.z2 / this.n, infit: this.sq / this.variance };
  }
}

/** Outfit and infit mean-squares of one item from (x, P) pairs. */
export function fitStatistics(pairs: Iterable<readonly [x: number, p: number]>): { infit: number; outfit: number } {
  const sums = new FitSums();
  for (const [x, p] of pairs) sums.add(x, p);
  return sums.result();
}

/** Calibrates every item with enough responses; the rest are reported as not estimable. */
export function calibrate(m: ResponseMatrix, options: CalibrationOptions = {}): Calibration {
  const o = { ...CALIBRATION_DEFAULTS, ...options };
  const I = m.items.length;
  const n = new Float64Array(I);
  const right = new Float64Array(I);
  for (let e = 0; e < m.item.length; e++) {
    n[m.item[e]!]!++;
    right[m.item[e]!]! += m.x[e]!;
  }
  const status: ItemCalibration['status'][] = m.items.map((_, i) =>
    n[i]! < o.minResponses ? 'too-few-responses' : right[i] === n[i] ? 'all-right' : right[i] === 0 ? 'all-wrong' : 'estimated',
  );
  const keep = new Int32Array(I).fill(-1);
  const source: number[] = [];
  for (let i = 0; i < I; i++) if (status[i] === 'estimated') keep[i] = source.push(i) - 1;
  const J = source.length;
  const d = design(m, keep, J);
  const { nodes, weights } = gaussHermite(o.quadPoints);
  const Q = nodes.length;

  // A start from facility: for θ ~ N(0, 1), E[P] ≈ logistic(−b / 1.18) (the logistic-normal
  // approximation with variance inflation √(1 + π/8)).
  const b = new Float64Array(J);
  for (let j = 0; j < J; j++) {
    const p = right[source[j]!]! / n[source[j]!]!;
    b[j] = -1.18 * Math.log(p / (1 - p));
  }

  let iterations = 0;
  let converged = J === 0;
  let pass = expectation(d, b, nodes, weights);
  // EM: every step raises the likelihood, and from a rough start it gets close quickly; near the
  // top it crawls, so it hands over to Newton steps once the difficulties move less than 0.01.
  while (!converged && iterations < o.maxIterations) {
    iterations++;
    let change = 0;
    for (let j = 0; j < J; j++) {
      const next = mStep(pass.nq, j * Q, Q, nodes, d.right[j]!, b[j]!);
      change = Math.max(change, Math.abs(next - b[j]!));
      b[j] = next;
    }
    pass = expectation(d, b, nodes, weights);
    if (change < o.tolerance) converged = true;
    else if (change < 1e-2) break;
  }
  // Newton steps b ← b + I⁻¹ ∇ log L. The information costs a pass over every pair of items a
  // person answered, so it is computed once here and reused (the chord method): near the maximum
  // it barely changes, and each step then needs only the gradient. (Its diagonal alone, which
  // costs no more than an E-step, steers too poorly: some thirty steps instead of three.)
  let l = J && !converged ? cholesky(expectation(d, b, nodes, weights, { info: true }).info!, J) : null;
  while (l && !converged && iterations < o.maxIterations) {
    iterations++;
    const step = cholSolve(l, J, pass.grad);
    let scale = 1;
    let next = pass;
    let trial = b;
    for (let h = 0; h < 30; h++) {
      trial = Float64Array.from(b, (v, j) => v + scale * step[j]!);
      next = expectation(d, trial, nodes, weights);
      if (next.logLik >= pass.logLik - 1e-9) break;
      scale /= 2;
    }
    let change = 0;
    for (let j = 0; j < J; j++) change = Math.max(change, Math.abs(trial[j]! - b[j]!));
    b.set(trial);
    pass = next;
    if (change < o.tolerance) converged = true;
    // A step that had to be cut means the stored information no longer describes the surface.
    else if (scale < 1) l = cholesky(expectation(d, b, nodes, weights, { info: true }).info!, J);
  }

  const final = expectation(d, b, nodes, weights, { info: true, eap: true });
  const chol = J ? cholesky(final.info!, J) : null;
  const variance = chol ? inverseDiagonal(chol, J) : null;
  const eap = final.eap!;
  const fit = Array.from({ length: J }, () => new FitSums());
  for (let p = 0; p + 1 < d.start.length; p++) {
    for (let k = d.start[p]!; k < d.start[p + 1]!; k++) fit[d.item[k]!]!.add(d.x[k]!, probability(eap[p]!, b[d.item[k]!]!));
  }
  const items = m.items.map((key, i): ItemCalibration => {
    const j = keep[i]!;
    const base = { key, n: n[i]!, facility: n[i] ? right[i]! / n[i]! : 0, status: status[i]! };
    if (j < 0) return { ...base, b: null, se: null, infit: null, outfit: null };
    const f = fit[j]!.result();
    return { ...base, b: b[j]!, se: variance ? Math.sqrt(variance[j]!) : null, infit: f.infit, outfit: f.outfit };
  });
  return { items, persons: d.start.length - 1, responses: d.item.length, logLik: final.logLik, iterations, converged, quadPoints: Q };
}
