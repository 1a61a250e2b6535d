import ora from 'ora';

export interface Progress {
  update(text: string): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/**
 * A spinner on stderr for work that can take a moment (parsing many or large banks), shown only in
 * an interactive terminal: pipes, dumb terminals and CI get nothing at all (ora itself would still
 * print its text there). Parsing is synchronous, so each update draws a frame itself rather than
 * waiting for ora's timer. stdin is left alone so Ctrl-C still interrupts.
 */
export function progress(
  stream: (NodeJS.WritableStream & { isTTY?: boolean }) | undefined,
  text: string,
  opts: { colour: boolean; env: NodeJS.ProcessEnv },
): Progress {
  if (!stream?.isTTY || opts.env.TERM === 'dumb' || opts.env.CI) return silent;
  // ora colours the frame through its own chalk, which does not see NO_COLOR or --no-color.
  const spinner = ora({ text, stream, isEnabled: true, discardStdin: false, ...(opts.colour ? {} : { color: false as const }) }).start();
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
