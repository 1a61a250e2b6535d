// Property tests over every parser of a user's file: for any mutation of a real file, problems
// with positions or a one-line UserError, never another exception. `npm run fuzz` runs the same
// properties with 10,000 cases each over the whole of every built-in bank.
import { describe, expect, it } from 'vitest';
import { fuzz, targets } from '../fuzz/harness.js';

const RUNS = 150;
const all = await targets({ fullBanks: false });

describe('fuzzing the parsers of user files', () => {
  it.each(all.map((t) => [t.name, t] as const))(
    '%s: problems with positions or a clear UserError, for any mutation',
    (_name, target) => {
      const tally = fuzz(target, RUNS);
      expect(tally.cases).toBe(RUNS);
      expect(tally.accepted + tally.problems + tally.refused).toBe(RUNS);
      // The mutations must reach the checks, not only the syntax error path.
      expect(tally.problems + tally.refused).toBeGreaterThan(0);
    },
    60_000,
  );
});
