/**
 * A problem the user can fix: bad input, a bad option, an unusable file.
 * main.ts prints `message` alone (no stack) and exits with `exitCode`.
 */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** The user pressed Ctrl-C. Work done so far has already been saved by the time this is thrown. */
export class InterruptedError extends UserError {
  constructor(message = 'Interrupted.') {
    super(message, 130);
    this.name = 'InterruptedError';
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
} as const;
