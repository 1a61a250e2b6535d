/**
 * A problem the user can fix: bad input, a bad option, an unusable file.
 * run.ts prints `message` alone (no stack) and exits with `exitCode`.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** How a run was stopped from outside: Ctrl-C, a closed terminal, or a polite kill. */
export type Stop = 'interrupt' | 'hangup' | 'terminate';

/** 128 + the signal number, as a shell reports a process ended by that signal. */
const STOP_EXIT: Record<Stop, number> = { interrupt: 130, hangup: 129, terminate: 143 };
const STOP_WORD: Record<Stop, string> = {
  interrupt: 'interrupted',
  hangup: 'stopped: the terminal was closed',
  terminate: 'stopped (SIGTERM)',
};

/**
 * The user pressed Ctrl-C, the terminal went away (SIGHUP, or EIO on reading it), or the process
 * was asked to end (SIGTERM). Work done so far has already been saved by the time this is thrown.
 */
export class InterruptedError extends UserError {
  constructor(
    message = 'Interrupted.',
    readonly stop: Stop = 'interrupt',
  ) {
    super(message, STOP_EXIT[stop]);
    this.name = 'InterruptedError';
  }

  /** "interrupted", "stopped: the terminal was closed", ... */
  get how(): string {
    return STOP_WORD[this.stop];
  }
}

/** The sitting's time limit ran out while a question was open. */
export class TimeUpError extends Error {
  constructor() {
    super('Time is up.');
    this.name = 'TimeUpError';
  }
}

/** Exit codes, in one place so commands and tests agree. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  interrupted: 130,
  hangup: 129,
  terminated: 143,
} as const;
