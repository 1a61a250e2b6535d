import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Colour is on only for a terminal, and never with NO_COLOR (https://no-color.org: any non-empty
 * value) or --no-color. One instance is made per run and passed down, so nothing reads globals.
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function makePaint(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}

/** Inquirer's default theme colours through node:util styleText; ours goes through the same paint as everything else. */
export function promptTheme(paint: ChalkInstance) {
  return {
    prefix: { idle: paint.blue('?'), done: paint.green('✔') },
    style: {
      answer: (t: string) => paint.cyan(t),
      message: (t: string) => t,
      error: (t: string) => paint.red(`> ${t}`),
      defaultAnswer: (t: string) => paint.dim(`(${t})`),
      help: (t: string) => paint.dim(t),
      highlight: (t: string) => paint.cyan(t),
      key: (t: string) => paint.cyan(paint.bold(`<${t}>`)),
      description: (t: string) => paint.cyan(t),
      disabled: (t: string) => paint.dim(t),
      keysHelpTip: (keys: [string, string][]) => keys.map(([k, a]) => `${paint.bold(k)} ${paint.dim(a)}`).join(paint.dim(' • ')),
    },
    icon: { checked: paint.green('◉'), unchecked: '◯', cursor: '❯' },
  };
}

/**
 * For questions: Inquirer's done mark, a green ✔, reads as "right" next to a wrong answer, so an
 * answered question wears a neutral mark; the verdict comes with the feedback.
 */
export function questionTheme(paint: ChalkInstance) {
  const theme = promptTheme(paint);
  return { ...theme, prefix: { ...theme.prefix, done: paint.dim('›') } };
}
