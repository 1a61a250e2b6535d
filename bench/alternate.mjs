// Measuring a figure against its floor: both run alternately in the same process, so drift on a
// shared machine affects them alike, and the ratio of their medians is what a benchmark reports.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Alternates floor and subject `reps` times after one warm-up of each; both medians in ms. */
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
