import type { Database } from 'better-sqlite3';
import { stmt } from './sessions.js';

/** A task's answer in progress: the latest text and the runs made so far. */
export interface Draft {
  answer: string;
  runs: number;
}

export function getDraft(db: Database, sessionId: string, position: number): Draft | undefined {
  return stmt(db, 'SELECT answer, runs FROM task_drafts WHERE session_id = ? AND position = ?').get(sessionId, position) as
    Draft | undefined;
}

export function saveDraft(db: Database, sessionId: string, position: number, draft: Draft, savedAt: string): void {
  stmt(
    db,
    `INSERT INTO task_drafts (session_id, position, answer, runs, saved_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (session_id, position) DO UPDATE SET answer = excluded.answer, runs = excluded.runs, saved_at = excluded.saved_at`,
  ).run(sessionId, position, draft.answer, draft.runs, savedAt);
}

/** Drafts of tasks not yet answered in a session: what a stopped sitting keeps besides its answers. */
export function openDrafts(db: Database, sessionId: string): number {
  return (
    stmt(
      db,
      `SELECT count(*) AS n FROM task_drafts d
       WHERE d.session_id = ? AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.session_id = d.session_id AND a.position = d.position)`,
    ).get(sessionId) as { n: number }
  ).n;
}
