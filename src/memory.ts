// Peak memory of batch work. Parsing a bank builds a syntax tree several tens of times the size
// of its text, and V8 lets the heap grow well past what is live before it collects: validating
// 10,000 questions in five files peaked at 176 to 258 MB, run to run, most of it the trees of
// files already done. A smaller growing factor (V8's default lets the heap double) makes V8
// collect those sooner: 148 to 166 MB, for about 4 % more time. Forcing a full collection
// between files got 140 MB but cost a quarter more time (the parses after it ran slower).
import v8 from 'node:v8';

let moderated = false;

/** Has V8 grow the heap by at most half at a time, from now on in this process. */
export function moderateHeapGrowth(): void {
  if (moderated) return;
  moderated = true;
  try {
    v8.setFlagsFromString('--heap-growing-percent=50');
  } catch {
    // a V8 without the flag: the default growth
  }
}
