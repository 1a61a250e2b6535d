import type { Database } from 'better-sqlite3';

export const version = 1;
export const name = 'initial';

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE sessions (
      id          TEXT PRIMARY KEY,
      candidate   TEXT NOT NULL,
      started_at  TEXT NOT NULL,
      finished_at TEXT,
      seed        INTEGER NOT NULL,
      settings    TEXT NOT NULL,                -- JSON: topics, count, difficulties, feedback, mode
      status      TEXT NOT NULL CHECK (status IN ('in_progress', 'finished', 'abandoned')),
      score       REAL,
      max_score   REAL
    ) STRICT;
    CREATE INDEX sessions_started ON sessions (started_at DESC);
    CREATE INDEX sessions_candidate ON sessions (candidate, started_at DESC);

    -- A question as it was asked, shared by every session that asked the same version of it,
    -- so results stay readable after a bank changes.
    CREATE TABLE questions (
      hash       TEXT PRIMARY KEY,              -- sha256 of the snapshot
      key        TEXT NOT NULL,                 -- <bank>/<id>
      topic      TEXT NOT NULL,
      difficulty TEXT NOT NULL,
      snapshot   TEXT NOT NULL                  -- JSON of the question
    ) STRICT;
    CREATE INDEX questions_key ON questions (key);

    CREATE TABLE session_questions (
      session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      position      INTEGER NOT NULL,
      question_hash TEXT NOT NULL REFERENCES questions (hash),
      choice_order  TEXT NOT NULL,              -- JSON array of choice indices as shown
      PRIMARY KEY (session_id, position)
    ) STRICT;

    CREATE TABLE answers (
      session_id  TEXT NOT NULL,
      position    INTEGER NOT NULL,
      response    TEXT,                         -- JSON; NULL when unanswered
      outcome     TEXT NOT NULL CHECK (outcome IN ('right', 'partial', 'wrong', 'unanswered')),
      points      REAL NOT NULL,
      max_points  REAL NOT NULL,
      time_ms     INTEGER NOT NULL,
      answered_at TEXT NOT NULL,
      PRIMARY KEY (session_id, position),
      FOREIGN KEY (session_id, position) REFERENCES session_questions (session_id, position) ON DELETE CASCADE
    ) STRICT;
  `);
}
