// A prompt that is still open when its test file ends is rejected with ExitPromptError by its exit
// hook as the test worker exits, and that unhandled rejection fails the run from whichever file
// happens to be last, and only sometimes. Every prompt registers one exit hook while it is open,
// so a file that leaves one open is named here, every time.
import { afterAll, beforeAll, expect } from 'vitest';

const openExitHooks = (): number =>
  (globalThis as unknown as Record<symbol, { listeners?: { exit?: unknown[] } } | undefined>)[Symbol.for('signal-exit emitter')]?.listeners
    ?.exit?.length ?? 0;

let atStart = 0;
beforeAll(() => {
  atStart = openExitHooks();
});
afterAll(() => {
  expect(openExitHooks(), 'a prompt rendered in this file is still open: close it (test/prompt.ts)').toBeLessThanOrEqual(atStart);
});
