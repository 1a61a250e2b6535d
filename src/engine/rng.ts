// Seeded randomness: the same seed must give the same quiz on every machine and Node version,
// so Math.random and anything engine-dependent is out. mulberry32 is small, fast and good enough
// for shuffling (it is not for secrets).
export type Rng = () => number;

export const MAX_SEED = 0xffffffff;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates; returns a new array. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A standard normal draw (Box–Muller), for simulating abilities and difficulties. */
export function normal(rng: Rng): number {
  // 1 − u keeps the logarithm finite: rng() may return 0 but never 1.
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
