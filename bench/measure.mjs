// Timing shared by the benchmarks: a floor and a subject measured in turn, so that drift on a
// shared machine affects both alike and their ratio stays meaningful.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Alternates floor and subject `reps` times after one warm-up run of each; returns both medians in ms. */
export function alternate(floor, subject, reps) {
  const f = [];
  const s = [];
  floor();
  subject();
  for (let i = 0; i < reps; i++) {
    let t = process.hrtime.bigint();
    floor();
    f.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    subject();
    s.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { floor: median(f), subject: median(s) };
}
