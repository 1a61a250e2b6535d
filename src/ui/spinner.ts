import ora from 'ora';

export interface Progress {
  update(text: string): void;
  stop(): void;
}

/**
 * A spinner on stderr for work that can take a moment (parsing many or large banks). Only in a
 * terminal: pipes and CI logs get nothing. Parsing is synchronous, so each update draws a frame
 * itself rather than waiting for ora's timer. stdin is left alone so Ctrl-C still interrupts.
 */
export function progress(stream: (NodeJS.WritableStream & { isTTY?: boolean }) | undefined, text: string, colour: boolean): Progress {
  if (!stream?.isTTY) return { update() {}, stop() {} };
  // ora colours the frame through its own chalk, which does not see NO_COLOR or --no-color.
  const spinner = ora({ text, stream, discardStdin: false, ...(colour ? {} : { color: false as const }) }).start();
  return {
    update(t) {
      spinner.text = t;
      spinner.render();
    },
    stop() {
      spinner.stop();
    },
  };
}
