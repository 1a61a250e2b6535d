// Peak memory of batch work. Parsing a bank builds a syntax tree several tens of times the size
// of its text, and V8 lets the heap grow well past what is live before it collects: validating
// 10,000 questions in five files peaked at 176 to 258 MB, run to run, most of it the trees of
// files already done. A smaller growing factor (V8's default lets the heap double) makes V8
// collect those sooner: 148 to 166 MB, for about 4 % more time. Forcing a full collection
// between files got 140 MB but cost a quarter more time (the parses after it ran slower).
//
// The young generation matters as much, and its ceiling moved with V8: each of its two
// semi-spaces may grow to 16 MB on Node 20 and 22, 64 MB on Node 24 and 32 MB on Node 26, so the
// same run peaked at 297 MB on Node 24 and 215 MB on Node 26 whatever the old generation did.
// That ceiling (--max-semi-space-size) is fixed when the isolate is made and cannot be changed
// from here; the growth factor is read each time a semi-space grows, so setting it to 1 keeps
// them at the size they have when batch work starts (1 MB or less). Together: 113 to 146 MB on
// Node 20 to 26, for some 15 to 20 % more CPU time on this work, which runs once per batch.
import v8 from 'node:v8';

/**
 * V8 flags read while the program runs. V8 prints an error for a flag it does not know instead
 * of throwing, so each one here must exist on every supported Node (the smoke test of each Node
 * line checks that validate prints nothing on stderr).
 */
const MODERATE = ['--heap-growing-percent=50', '--semi-space-growth-factor=1'];

let moderated = false;

/** Has V8 keep the young generation small and grow the heap by at most half at a time, from now on in this process. */
export function moderateHeapGrowth(): void {
  if (moderated) return;
  moderated = true;
  for (const flag of MODERATE) {
    try {
      v8.setFlagsFromString(flag);
    } catch {
      // an odd V8: the default growth
    }
  }
}
