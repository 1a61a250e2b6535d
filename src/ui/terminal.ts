// Noticing that the terminal has gone away (its window closed, the ssh connection dropped).
// The kernel sends SIGHUP, and reads on the terminal end with EIO, which Node reports as the
// end of stdin. readline then restores cooked mode on close, setRawMode fails with EIO, and
// that error is re-emitted on Inquirer's readline interface, where no one listens: Node died of
// it (and then of its own terminal reset) in every trial. Once the terminal is gone there is no
// mode to restore, so raw-mode changes become no-ops and the quiz is told to stop.
import fs from 'node:fs';
import tty from 'node:tty';
import type { In } from '../commands/context.js';

type TtyIn = In & { setRawMode?: (mode: boolean) => unknown };

/** Calls `onGone` once when the terminal behind `input` goes away; returns a function that stops watching. */
export function watchTerminal(input: TtyIn, onGone: () => void): () => void {
  let gone = false;
  const lost = (): void => {
    if (gone) return;
    gone = true;
    if (typeof input.setRawMode === 'function') input.setRawMode = () => input;
    process.once('exit', forgetDeadTerminal);
    onGone();
  };
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EIO' || e.code === 'ENXIO') lost();
  };
  // Registered before any prompt's readline interface, so this runs before readline's close.
  input.on('end', lost);
  input.on('error', onError);
  return () => {
    input.off('end', lost);
    input.off('error', onError);
  };
}

/**
 * On exit Node restores the terminal modes it found at start and asserts that this worked
 * (node.cc ResetStdio): on a hung-up terminal tcsetattr fails with EIO and the process aborts.
 * It skips descriptors that are closed, so those still on the dead terminal are closed first:
 * a character device that isatty no longer recognises is one (tcgetattr fails on it too).
 */
function forgetDeadTerminal(): void {
  for (const fd of [0, 1, 2]) {
    try {
      if (fs.fstatSync(fd).isCharacterDevice() && !tty.isatty(fd)) fs.closeSync(fd);
    } catch {
      // already closed
    }
  }
}
