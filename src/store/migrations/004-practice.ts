import type { Database } from 'better-sqlite3';
import { replayHistory } from '../../practice/reviewer.js';

// The only place this migration's number is written (with the file name).
export const version = 4;
export const name = 'practice';

/**
 * Each candidate's practice schedule: one FSRS memory state per question key they have answered
 * outside an assessment. It is derived from the answers, so the answers given before this version
 * are replayed into it: a quiz taken before the upgrade already feeds the first practice round.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE practice_cards (
      candidate      TEXT NOT NULL,
      key            TEXT NOT NULL,             -- <bank>/<id>
      topic          TEXT NOT NULL,
      question_hash  TEXT NOT NULL REFERENCES questions (hash),  -- the version last asked
      due            TEXT NOT NULL,             -- ISO time; at or before now: due
      stability      REAL NOT NULL,             -- FSRS memory state: days until recall falls to 90%
      difficulty     REAL NOT NULL,             -- FSRS difficulty, 1 to 10 (not the question's)
      scheduled_days INTEGER NOT NULL,          -- the interval last given; 0 after a miss
      learning_steps INTEGER NOT NULL,
      reps           INTEGER NOT NULL,
      lapses         INTEGER NOT NULL,
      state          INTEGER NOT NULL,          -- ts-fsrs State
      last_review    TEXT NOT NULL,
      last_outcome   TEXT NOT NULL CHECK (last_outcome IN ('right', 'partial', 'wrong', 'unanswered')),
      PRIMARY KEY (candidate, key)
    ) STRICT, WITHOUT ROWID;
  `);
  replayHistory(db);
}
