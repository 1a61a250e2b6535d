// npm run fuzz: 10,000 mutated inputs per parser (FUZZ_RUNS to change it), starting from the
// whole of every built-in bank, and a table of what became of them.
import { afterAll, describe, expect, it } from 'vitest';
import { fuzz, targets, type Tally } from './harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const all = await targets({ fullBanks: true });
const tallies: Tally[] = [];

describe(`fuzzing every parser of user files, ${RUNS.toLocaleString('en')} cases each`, () => {
  it.each(all.map((t) => [t.name, t] as const))('%s', (_name, target) => {
    const tally = fuzz(target, RUNS);
    tallies.push(tally);
    expect(tally.cases).toBe(RUNS);
  });
});

afterAll(() => {
  const row = (c: (string | number)[]): string => c.map((x, i) => (i === 0 ? String(x).padEnd(16) : String(x).padStart(9))).join(' ');
  const lines = [
    row(['parser', 'cases', 'accepted', 'problems', 'refused', 'slowest']),
    ...tallies.map((t) => row([t.name, t.cases, t.accepted, t.problems, t.refused, `${t.slowestMs.toFixed(0)} ms`])),
  ];
  const total = tallies.reduce((n, t) => n + t.cases, 0);
  lines.push(`${total.toLocaleString('en')} cases, no crash, no exception other than a UserError.`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
});
