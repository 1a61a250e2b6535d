import type { Database } from 'better-sqlite3';

// The only place this migration's number is written (with the file name).
export const version = 5;
export const name = 'task-drafts';

/**
 * The latest draft of each open task and how many times it was run: saved on every edit and run,
 * so a stopped sitting resumes with the draft in the editor, and a sitting whose time runs out
 * submits it rather than losing it. Once the task is answered the answer row holds what counts.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE task_drafts (
      session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      position   INTEGER NOT NULL,
      answer     TEXT NOT NULL,
      runs       INTEGER NOT NULL CHECK (runs >= 0),
      saved_at   TEXT NOT NULL,
      PRIMARY KEY (session_id, position)
    ) STRICT, WITHOUT ROWID;
  `);
}
