// Descriptive statistics for cohort reports: pure functions over plain number arrays, exact (no
// rounding here; the cohort rounds what it shows). Empty input gives null rather than NaN, so
// "no data" can never print as a number.

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/** All values identical: a variance of exactly 0, without trusting float cancellation to reach 0. */
const constant = (xs: readonly number[]): boolean => xs.every((x) => x === xs[0]);

export function mean(xs: readonly number[]): number | null {
  return xs.length ? sum(xs) / xs.length : null;
}

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// Loops, not Math.min(...xs): spreading passes each value as an argument, and V8 throws a
// RangeError past about 120,000 of them (a response file with 130,000 items did).
export function min(xs: readonly number[]): number | null {
  let m: number | null = null;
  for (const x of xs) if (m === null || x < m) m = x;
  return m;
}

export function max(xs: readonly number[]): number | null {
  let m: number | null = null;
  for (const x of xs) if (m === null || x > m) m = x;
  return m;
}

/** Sample variance (divisor n − 1); 0 for fewer than two values. */
export function variance(xs: readonly number[]): number {
  if (xs.length < 2 || constant(xs)) return 0;
  const m = sum(xs) / xs.length;
  return sum(xs.map((x) => (x - m) ** 2)) / (xs.length - 1);
}

/** Sample standard deviation (divisor n − 1); 0 for fewer than two values. */
export function sd(xs: readonly number[]): number {
  return Math.sqrt(variance(xs));
}

/** Pearson's r; null for fewer than two pairs or when either side has no variance (r is undefined). */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new Error(`pearson: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length < 2 || constant(xs) || constant(ys)) return null;
  const mx = sum(xs) / xs.length;
  const my = sum(ys) / ys.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Rounding can push |r| a hair past 1 for perfectly linear data.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Percentile rank of `x` within `xs` (which includes x itself): 100 × (below + ½ × equal) / n.
 * The mid-point convention gives the top of a cohort of 4 a rank of 87.5, not 100, and a lone
 * candidate 50.
 */
export function percentileRank(x: number, xs: readonly number[]): number {
  if (!xs.length) return 0;
  const below = xs.filter((v) => v < x).length;
  const equal = xs.filter((v) => v === x).length;
  return (100 * (below + 0.5 * equal)) / xs.length;
}

export const HISTOGRAM_BINS = 10;

/** Counts of percents in [0,10), [10,20) … [90,100]: 100 falls in the last bin; values outside 0–100 are clamped. */
export function histogram(percents: readonly number[]): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const p of percents) {
    const i = Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(p / 10)));
    bins[i]!++;
  }
  return bins;
}

/**
 * Cronbach's alpha over a candidates × items matrix of item scores:
 * α = k / (k − 1) × (1 − Σ var(item) / var(total)), sample variances.
 * Null with fewer than two items or two candidates, or when the totals do not vary.
 */
export function cronbachAlpha(scores: readonly (readonly number[])[]): number | null {
  const k = scores[0]?.length ?? 0;
  if (k < 2 || scores.length < 2) return null;
  if (scores.some((row) => row.length !== k)) throw new Error('cronbachAlpha: every candidate needs a score for every item');
  const totals = scores.map(sum);
  const totalVar = variance(totals);
  if (totalVar === 0) return null;
  let itemVar = 0;
  for (let j = 0; j < k; j++) itemVar += variance(scores.map((row) => row[j]!));
  return (k / (k - 1)) * (1 - itemVar / totalVar);
}
