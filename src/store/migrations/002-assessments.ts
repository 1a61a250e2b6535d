import type { Database } from 'better-sqlite3';

export const version = 2;
export const name = 'assessments';

/**
 * Assessments, sealed packs and imported sittings. A CHECK constraint cannot be altered in
 * place, so sessions and answers are rebuilt (and session_questions, to store it by its key) (https://sqlite.org/lang_altertable.html, "making
 * other kinds of table schema changes"); migrate() runs this with foreign keys off.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE sessions_new (
      id                TEXT PRIMARY KEY,
      candidate         TEXT NOT NULL,
      started_at        TEXT NOT NULL,
      finished_at       TEXT,
      seed              INTEGER NOT NULL,
      settings          TEXT NOT NULL,          -- JSON: topics, count, difficulties, feedback, mode, assessment
      status            TEXT NOT NULL CHECK (status IN ('in_progress', 'finished', 'abandoned', 'timed_out')),
      score             REAL,
      max_score         REAL,
      assessment_id     TEXT,                   -- assessments.id of the sitting, NULL for a plain quiz
      assessment_digest TEXT,                 -- its version (assessments.digest where known here)
      imported_from     TEXT,                   -- file name of the result file it was imported from
      imported_at       TEXT,
      source_digest     TEXT                    -- the result file's digest, to recognise a second import
    ) STRICT;
    INSERT INTO sessions_new (id, candidate, started_at, finished_at, seed, settings, status, score, max_score)
      SELECT id, candidate, started_at, finished_at, seed, settings, status, score, max_score FROM sessions;
    DROP TABLE sessions;
    ALTER TABLE sessions_new RENAME TO sessions;
    CREATE INDEX sessions_started ON sessions (started_at DESC);
    CREATE INDEX sessions_candidate ON sessions (candidate, started_at DESC);
    CREATE INDEX sessions_assessment ON sessions (assessment_id, started_at);

    -- Both keyed by (session, position): WITHOUT ROWID stores each row in its key's b-tree, so a
    -- report's join reads one b-tree per table instead of an index and then the table.
    CREATE TABLE session_questions_new (
      session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      position      INTEGER NOT NULL,
      question_hash TEXT NOT NULL REFERENCES questions (hash),
      choice_order  TEXT NOT NULL,
      PRIMARY KEY (session_id, position)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO session_questions_new SELECT session_id, position, question_hash, choice_order FROM session_questions;

    CREATE TABLE answers_new (
      session_id  TEXT NOT NULL,
      position    INTEGER NOT NULL,
      response    TEXT,
      -- ungraded: answered in a sealed sitting, graded when the result is imported with its key
      outcome     TEXT NOT NULL CHECK (outcome IN ('right', 'partial', 'wrong', 'unanswered', 'ungraded')),
      points      REAL NOT NULL,
      max_points  REAL NOT NULL,
      time_ms     INTEGER NOT NULL,
      answered_at TEXT NOT NULL,
      PRIMARY KEY (session_id, position),
      FOREIGN KEY (session_id, position) REFERENCES session_questions (session_id, position) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    INSERT INTO answers_new SELECT * FROM answers;
    DROP TABLE answers;
    DROP TABLE session_questions;
    ALTER TABLE session_questions_new RENAME TO session_questions;
    ALTER TABLE answers_new RENAME TO answers;

    -- One row per version of an assessment definition.
    CREATE TABLE assessments (
      digest     TEXT PRIMARY KEY,
      id         TEXT NOT NULL,
      title      TEXT NOT NULL,
      definition TEXT NOT NULL,               -- JSON of the Assessment
      origin     TEXT NOT NULL CHECK (origin IN ('local', 'import')),  -- written here, or read from a result file
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX assessments_id ON assessments (id, created_at);

    -- Sealed packs made here: the answer key never leaves this database (or a --key-out file).
    CREATE TABLE packs (
      id                TEXT PRIMARY KEY,
      digest            TEXT NOT NULL,
      assessment_digest TEXT NOT NULL REFERENCES assessments (digest),
      key               TEXT NOT NULL,        -- JSON: opaque question key -> full question
      created_at        TEXT NOT NULL
    ) STRICT;
  `);
}
