// Help and version texts written at build time by the program itself (dist/help.json), for the
// exact argument lists that only ask for them. Any other list, or a build without the file,
// goes through commander as usual.
import fs from 'node:fs';
import path from 'node:path';
import tty from 'node:tty';
import { packageRoot } from './paths.js';

/** The argument lists answered from dist/help.json, by key. */
export const HELP_REQUESTS: Record<string, string[][]> = {
  root: [['--help'], ['-h'], ['help']],
  version: [['--version'], ['-V']],
  ...Object.fromEntries(
    [
      'take',
      'practice',
      'stats',
      'history',
      'show',
      'topics',
      'validate',
      'assessment',
      'import',
      'report',
      'doctor',
      'convert',
      'calibrate',
      'assessment init',
      'assessment check',
      'assessment pack',
    ].map((cmd) => [
      cmd,
      [
        [...cmd.split(' '), '--help'],
        [...cmd.split(' '), '-h'],
        ['help', ...cmd.split(' ')],
      ],
    ]),
  ),
};

function keyOf(argv: readonly string[]): string | undefined {
  // No arguments and no terminal to open the start menu in: the help, as `npm start` in CI.
  if (argv.length === 0) return tty.isatty(0) && tty.isatty(1) ? undefined : 'root';
  const joined = argv.join('\u0000');
  return Object.keys(HELP_REQUESTS).find((k) => HELP_REQUESTS[k]!.some((a) => a.join('\u0000') === joined));
}

export function precomputedHelp(argv: readonly string[]): string | undefined {
  const key = keyOf(argv);
  if (key === undefined) return undefined;
  try {
    const texts = JSON.parse(fs.readFileSync(path.join(packageRoot, 'dist', 'help.json'), 'utf8')) as Record<string, string>;
    return typeof texts[key] === 'string' ? texts[key] : undefined;
  } catch {
    return undefined;
  }
}
