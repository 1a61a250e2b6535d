// The table of task drafts: the migration that adds it (from the previous version, with data in
// it) and the draft kept per session and position.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/db.js';
import { getDraft, saveDraft } from '../../src/store/drafts.js';
import { migrations } from '../../src/store/migrations/index.js';
import { createSession } from '../../src/store/sessions.js';
import { CODE_TASK, SQL_TASK } from '../fixtures/tasks/tasks.js';
import { tmpDir } from '../helpers.js';

const drafts = migrations.findIndex((m) => m.name === 'task-drafts');

function sessionWithTasks(db: Sqlite.Database, id: string): void {
  createSession(db, {
    id,
    candidate: 'ann',
    startedAt: '2026-12-01T10:00:00.000Z',
    seed: 1,
    settings: { topics: ['tasks'], count: 2, difficulties: ['easy', 'medium'], feedback: 'end', mode: 'interactive' },
    items: [
      { question: SQL_TASK, choiceOrder: [] },
      { question: CODE_TASK, choiceOrder: [] },
    ],
  });
}

describe('the task-drafts migration', () => {
  it('follows the previous version, keeps its sessions, and drafts go with their session', () => {
    const file = path.join(tmpDir(), 'r.db');
    const db = new Sqlite(file);
    migrate(db, file, migrations.slice(0, drafts));
    sessionWithTasks(db, 's1');
    migrate(db, file, migrations.slice(0, drafts + 1));
    db.pragma('foreign_keys = ON');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations[drafts]!.version);
    expect(db.prepare('SELECT count(*) AS n FROM session_questions WHERE session_id = ?').get('s1')).toEqual({ n: 2 });

    expect(getDraft(db, 's1', 1)).toBeUndefined();
    saveDraft(db, 's1', 1, { answer: 'function sumList(xs) {}', runs: 0 }, '2026-12-01T10:01:00.000Z');
    saveDraft(db, 's1', 1, { answer: 'function sumList(xs) { return 0 }', runs: 2 }, '2026-12-01T10:02:00.000Z');
    expect(getDraft(db, 's1', 1)).toEqual({ answer: 'function sumList(xs) { return 0 }', runs: 2 });
    expect(getDraft(db, 's1', 0)).toBeUndefined();
    // A draft of no session is refused; deleting a session deletes its drafts.
    expect(() => saveDraft(db, 'nope', 0, { answer: 'x', runs: 0 }, '2026-12-01T10:03:00.000Z')).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM answers WHERE session_id = ?').run('s1');
    db.prepare('DELETE FROM sessions WHERE id = ?').run('s1');
    expect(db.prepare('SELECT count(*) AS n FROM task_drafts').get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });
});
