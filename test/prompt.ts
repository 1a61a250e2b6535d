// Renders an @inquirer prompt for a test and closes it when the test ends, answered or not: an
// open prompt would otherwise be rejected by its exit hook when the test worker exits.
import { render as renderOpen } from '@inquirer/testing';
import { onTestFinished } from 'vitest';

export const render: typeof renderOpen = async (prompt, config, options) => {
  const stop = new AbortController();
  const rendered = await renderOpen(prompt, config, { ...options, signal: stop.signal });
  onTestFinished(async () => {
    stop.abort();
    await rendered.answer.catch(() => undefined);
  });
  return rendered;
};
