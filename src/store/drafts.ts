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
