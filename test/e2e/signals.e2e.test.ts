// Closing the terminal, SIGHUP and SIGTERM mid-quiz, in a real pseudo-terminal: each stops the
// quiz as Ctrl-C does (answers kept, session abandoned and resumable, database closed cleanly),
// with exit 129 or 143; never an abort in Node's terminal reset or a session left in_progress.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixtures, tmpDir } from '../helpers.js';
import { Terminal, answerRight, killNode } from './terminal.js';

const banks = path.join(fixtures, 'banks', 'valid');

/** Starts a 3-question quiz, answers the first question and waits for the second. */
async function midQuiz(db: string): Promise<Terminal> {
  const t = new Terminal(['--banks', banks, 'take', '-t', 'fixture', '-d', 'easy', '-n', '3', '--seed', '5', '--db', db], {});
  await answerRight(t, await t.waitFor('Question 1/3'));
  await t.waitFor('Question 2/3');
  return t;
}

function stored(db: string) {
  const sql = new Sqlite(db, { readonly: true });
  try {
    return {
      session: sql.prepare('SELECT status, score FROM sessions').get(),
      answers: sql.prepare('SELECT position, outcome FROM answers').all(),
      integrity: sql.pragma('integrity_check', { simple: true }),
    };
  } finally {
    sql.close();
  }
}

const kept = { session: { status: 'abandoned', score: 1 }, answers: [{ position: 0, outcome: 'right' }], integrity: 'ok' };

describe('stopping a quiz from outside', () => {
  it.each([
    ['SIGTERM', 143, 'stopped (SIGTERM)'],
    ['SIGHUP', 129, 'stopped: the terminal was closed'],
  ] as const)('%s: answers kept, session abandoned, exit %i', async (signal, code, how) => {
    const db = path.join(tmpDir(), `sig-${signal}.db`);
    const t = await midQuiz(db);
    try {
      killNode(`sig-${signal}.db`, signal);
      expect(await t.exited).toBe(code);
      expect(t.text).toMatch(
        new RegExp(`Quiz ${how.replace(/[()]/g, '\\$&')}: 1 of 3 answers saved in session \\w+ \\(marked abandoned\\)\\.`),
      );
      expect(t.text).toMatch(/Resume it with: backend-quiz take --resume \w+/);
      expect(t.text).not.toMatch(/^\s+at /m);
    } finally {
      t.kill();
    }
    expect(stored(db)).toEqual(kept);
  });

  it.each([1, 2, 3])('closing the terminal (trial %i): no abort, answers kept, session abandoned, exit 129', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'closed.db');
    const t = await midQuiz(db);
    try {
      t.close();
      // Before: SIGABRT (134) or SIGSEGV (139) from Node's terminal reset after an unhandled EIO.
      expect(await t.exited).toBe(129);
    } finally {
      t.kill();
    }
    expect(stored(db)).toEqual(kept);
  });
});
