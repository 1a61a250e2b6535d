import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { selectQuestions } from '../../src/engine/select.js';
import { scoreResponse } from '../../src/engine/score.js';
import {
  APPLICATION_ID,
  changedWhileRead,
  diagnose,
  leftSound,
  migrate,
  openReadOnly,
  openStore,
  soundAs,
  storeError,
} from '../../src/store/db.js';
import { UserError } from '../../src/errors.js';
import { migrations } from '../../src/store/migrations/index.js';
import {
  HISTORY_SQL,
  closeSession,
  createSession,
  getSession,
  listSessions,
  questionHash,
  recordAnswer,
} from '../../src/store/sessions.js';
import { summarize } from '../../src/engine/summary.js';
import { itemsSql, sessionQuery } from '../../src/store/report.js';
import { OUTCOMES_SQL, latestCalibration, responsesFromSessions, responsesSql, saveCalibration } from '../../src/store/calibrations.js';
import { calibrate } from '../../src/psychometrics/rasch.js';
import { aBank, tmpDir } from '../helpers.js';

const settings = { topics: ['alpha'], count: 3, difficulties: ['easy', 'medium', 'hard'], feedback: 'end', mode: 'scripted' as const };
const items = selectQuestions([aBank('alpha', 5)], { topics: ['alpha'], count: 3, difficulties: ['easy', 'medium', 'hard'], seed: 1 });

function seedSession(db: Sqlite.Database, id: string, candidate: string, startedAt: string): void {
  createSession(db, { id, candidate, startedAt, seed: 1, settings, items });
  const r = { position: 0, item: items[0]!, response: 'Right', timeMs: 1200, ...scoreResponse(items[0]!.question, 'Right') };
  recordAnswer(db, id, r, startedAt);
}

describe('migrations', () => {
  it('numbers migrations 1, 2, 3... in order', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it.each(migrations.map((m) => [m.version, m.name] as const))('migration %i (%s) applies on top of the previous version', (version) => {
    const file = path.join(tmpDir(), 'r.db');
    const db = new Sqlite(file);
    migrate(db, file, migrations.slice(0, version - 1));
    migrate(db, file, migrations.slice(0, version));
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.close();
  });

  it('migration 2 keeps version 1 sessions, questions and answers, and adds timed_out and assessments', () => {
    const file = path.join(tmpDir(), 'r.db');
    const db = new Sqlite(file);
    migrate(db, file, migrations.slice(0, 1));
    // Rows as version 1 wrote them.
    const q = items[0]!.question;
    db.prepare(
      `INSERT INTO sessions (id, candidate, started_at, finished_at, seed, settings, status, score, max_score) VALUES ('old1', 'ann', '2026-01-01T00:00:00.000Z', '2026-01-01T00:05:00.000Z', 7, ?, 'finished', 1, 3)`,
    ).run(JSON.stringify(settings));
    db.prepare(`INSERT INTO questions (hash, key, topic, difficulty, snapshot) VALUES (?, ?, ?, ?, ?)`).run(
      questionHash(q),
      q.key,
      q.topic,
      q.difficulty,
      JSON.stringify(q),
    );
    db.prepare(`INSERT INTO session_questions (session_id, position, question_hash, choice_order) VALUES ('old1', 0, ?, '[0,1,2]')`).run(
      questionHash(q),
    );
    db.prepare(`INSERT INTO answers VALUES ('old1', 0, '"Right"', 'right', 1, 1, 1200, '2026-01-01T00:01:00.000Z')`).run();
    migrate(db, file, migrations.slice(0, 2));
    db.pragma('foreign_keys = ON');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const detail = getSession(db, 'old1');
    expect(detail.session).toMatchObject({
      id: 'old1',
      candidate: 'ann',
      status: 'finished',
      score: 1,
      maxScore: 3,
      assessmentId: null,
      importedFrom: null,
    });
    expect(detail.items[0]!.answer).toMatchObject({ response: 'Right', outcome: 'right', timeMs: 1200 });
    // The new status and outcome are accepted; references still cascade.
    db.prepare(`UPDATE sessions SET status = 'timed_out' WHERE id = 'old1'`).run();
    db.prepare(`UPDATE answers SET outcome = 'ungraded' WHERE session_id = 'old1'`).run();
    expect(() => db.prepare(`UPDATE sessions SET status = 'lost' WHERE id = 'old1'`).run()).toThrow(/CHECK constraint/);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all()).toEqual([
      'answers',
      'assessments',
      'packs',
      'questions',
      'session_questions',
      'sessions',
    ]);
    db.prepare(`DELETE FROM sessions WHERE id = 'old1'`).run();
    expect(db.prepare(`SELECT count(*) FROM answers`).pluck().get()).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('migration 3 keeps version 2 sittings, answers and assessments, and adds calibrations', () => {
    const file = path.join(tmpDir(), 'r.db');
    const db = new Sqlite(file);
    migrate(db, file, migrations.slice(0, 2));
    // A sitting and an assessment as version 2 stored them, with a timed_out status and an ungraded answer.
    seedSession(db, 'v2-sitting', 'ann', '2026-02-01T00:00:00.000Z');
    db.prepare(`UPDATE sessions SET status = 'timed_out', assessment_id = 'senior' WHERE id = 'v2-sitting'`).run();
    db.prepare(
      `INSERT INTO assessments (digest, id, title, definition, origin, created_at) VALUES ('sha256:x', 'senior', 'Senior', '{}', 'local', '2026-01-01')`,
    ).run();
    const before = getSession(db, 'v2-sitting');
    migrate(db, file, migrations.slice(0, 3));
    db.pragma('foreign_keys = ON');
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(getSession(db, 'v2-sitting')).toEqual(before);
    expect(db.prepare(`SELECT id, title FROM assessments`).all()).toEqual([{ id: 'senior', title: 'Senior' }]);
    expect(latestCalibration(db)).toBeNull();
    // The new tables take a calibration of the stored answers; its items cascade with it.
    const c = calibrate(responsesFromSessions(db, { status: ['timed_out'] }).matrix, { minResponses: 1 });
    expect(c.items.map((i) => [i.key, i.status])).toEqual([
      [items[0]!.question.key, 'all-right'],
      [items[1]!.question.key, 'all-wrong'],
      [items[2]!.question.key, 'all-wrong'],
    ]);
    const id = saveCalibration(db, c, {
      createdAt: '2026-02-02T00:00:00.000Z',
      source: 'sessions',
      filters: {},
      dataHash: 'sha256:y',
      settings: { model: 'rasch', quadPoints: 41, minResponses: 1, tolerance: 1e-6 },
    });
    const stored = latestCalibration(db)!;
    expect(stored).toMatchObject({ id, persons: 0, converged: true, dataHash: 'sha256:y', settings: { quadPoints: 41 } });
    expect(stored.items.map((i) => [i.key, i.status, i.n, i.b])).toEqual(c.items.map((i) => [i.key, i.status, i.n, null]).sort());
    expect(() =>
      db
        .prepare(`INSERT INTO calibration_items (calibration_id, key, status, n, facility, b) VALUES (?, 'k', 'estimated', 1, 0.5, NULL)`)
        .run(id),
    ).toThrow(/CHECK constraint/);
    db.prepare(`DELETE FROM calibrations`).run();
    expect(db.prepare(`SELECT count(*) FROM calibration_items`).pluck().get()).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const file = path.join(tmpDir(), 'r.db');
    openStore(file).close();
    const raw = new Sqlite(file);
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openStore(file)).toThrow(/newer version of backend-quiz .*Upgrade backend-quiz/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses another program's SQLite database", () => {
    const file = path.join(tmpDir(), 'other.db');
    const raw = new Sqlite(file);
    raw.exec('CREATE TABLE notes (body TEXT)');
    raw.close();
    expect(() => openStore(file)).toThrow(/not a backend-quiz results database \(it holds other tables: notes\)/);
  });

  it('refuses a file that is not SQLite without writing to it', () => {
    const file = path.join(tmpDir(), 'notes.txt');
    fs.writeFileSync(file, 'my precious notes, not a database\n');
    expect(() => openStore(file)).toThrow(/not a backend-quiz results database \(not an SQLite file\)/);
    expect(fs.readFileSync(file, 'utf8')).toBe('my precious notes, not a database\n');
  });

  it('opens in WAL mode with foreign keys on', () => {
    const db = openStore(path.join(tmpDir(), 'r.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});

describe('sessions', () => {
  it('keeps a snapshot of each question so results survive bank changes', () => {
    const db = openStore(path.join(tmpDir(), 'r.db'));
    seedSession(db, 's1', 'ann', '2026-01-01T00:00:00.000Z');
    const detail = getSession(db, 's1');
    expect(detail.items).toHaveLength(3);
    expect(detail.items[0]!.question).toEqual(items[0]!.question);
    expect(detail.items[0]!.hash).toBe(questionHash(items[0]!.question));
    expect(detail.items[0]!.choiceOrder).toEqual(items[0]!.choiceOrder);
    expect(detail.items[0]!.answer).toMatchObject({ response: 'Right', outcome: 'right', points: 1, timeMs: 1200 });
    expect(detail.items[1]!.answer).toBeNull();
    // a second session asking the same questions shares their snapshots
    seedSession(db, 's2', 'ann', '2026-01-02T00:00:00.000Z');
    expect(db.prepare('SELECT count(*) AS n FROM questions').get()).toEqual({ n: 3 });
    db.close();
  });

  it('closes a session with its score and finds it by a unique prefix', () => {
    const db = openStore(path.join(tmpDir(), 'r.db'));
    seedSession(db, 'abcdef1234', 'ann', '2026-01-01T00:00:00.000Z');
    closeSession(
      db,
      'abcdef1234',
      'finished',
      summarize([{ topic: 'alpha', difficulty: 'easy', outcome: 'right', points: 1, maxPoints: 3 }]),
      '2026-01-01T00:05:00.000Z',
    );
    const s = getSession(db, 'abcd').session;
    expect(s).toMatchObject({ id: 'abcdef1234', status: 'finished', score: 1, maxScore: 3, finishedAt: '2026-01-01T00:05:00.000Z' });
    expect(() => getSession(db, 'zzzz')).toThrow(/no session 'zzzz'/);
    db.close();
  });

  it('lists newest first and filters by candidate', () => {
    const db = openStore(path.join(tmpDir(), 'r.db'));
    seedSession(db, 'a', 'ann', '2026-01-01T00:00:00.000Z');
    seedSession(db, 'b', 'bob', '2026-01-03T00:00:00.000Z');
    seedSession(db, 'c', 'ann', '2026-01-02T00:00:00.000Z');
    expect(listSessions(db).map((s) => s.id)).toEqual(['b', 'c', 'a']);
    expect(listSessions(db, { candidate: 'ann' }).map((s) => s.id)).toEqual(['c', 'a']);
    expect(listSessions(db, { limit: 1 }).map((s) => s.id)).toEqual(['b']);
    db.close();
  });

  it('serves history queries from an index', () => {
    const db = openStore(path.join(tmpDir(), 'r.db'));
    const plan = (sql: string, args: object): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(args) as { detail: string }[]).map((r) => r.detail).join('\n');
    const all = plan(HISTORY_SQL.all, { limit: 10 });
    expect(all).toMatch(/USING INDEX sessions_started/);
    expect(all).not.toMatch(/TEMP B-TREE/);
    const one = plan(HISTORY_SQL.byCandidate, { candidate: 'ann', limit: 10 });
    expect(one).toMatch(/USING INDEX sessions_candidate \(candidate=\?\)/);
    expect(one).not.toMatch(/TEMP B-TREE/);
    db.close();
  });
});

describe('calibration data', () => {
  it('reads stored sittings as persons × questions: right 1, wrong and not reached 0, ungraded missing; filtered', () => {
    const db = openStore(':memory:');
    const two = selectQuestions([aBank('alpha', 2), aBank('beta', 1)], {
      topics: ['alpha', 'beta'],
      count: 3,
      difficulties: ['easy', 'medium', 'hard'],
      seed: 2,
    });
    const sit = (id: string, assessment: string | null, outcomes: (string | null)[]): void => {
      createSession(db, {
        id,
        candidate: id,
        startedAt: '2026-03-01T00:00:00.000Z',
        seed: 1,
        settings: { ...settings, topics: ['alpha', 'beta'] },
        items: two,
      });
      outcomes.forEach((o, position) => {
        if (o === null) return; // never reached
        db.prepare(`INSERT INTO answers VALUES (?, ?, NULL, ?, ?, 1, 1000, '2026-03-01T00:01:00.000Z')`).run(
          id,
          position,
          o,
          o === 'right' ? 1 : 0,
        );
      });
      db.prepare(`UPDATE sessions SET status = 'finished', assessment_id = ? WHERE id = ?`).run(assessment, id);
    };
    sit('s1', 'senior', ['right', 'partial', null]);
    sit('s2', 'senior', ['ungraded', 'right', 'wrong']);
    sit('s3', null, ['right', 'right', 'right']);
    const rows = (m: ReturnType<typeof responsesFromSessions>['matrix']): string[] =>
      Array.from({ length: m.personStart.length - 1 }, (_, p) => {
        const cells: string[] = [];
        for (let e = m.personStart[p]!; e < m.personStart[p + 1]!; e++) cells.push(`${m.items[m.item[e]!]}=${m.x[e]}`);
        return cells.sort().join(' ');
      }).sort();
    const keys = two.map((i) => i.question.key);
    const all = responsesFromSessions(db, { status: ['finished'] });
    expect(all.sessions).toBe(3);
    expect(rows(all.matrix)).toEqual(
      [
        [`${keys[0]}=1`, `${keys[1]}=0`, `${keys[2]}=0`].sort().join(' '),
        [`${keys[1]}=1`, `${keys[2]}=0`].sort().join(' '),
        keys
          .map((k) => `${k}=1`)
          .sort()
          .join(' '),
      ].sort(),
    );
    expect(responsesFromSessions(db, { status: ['finished'], assessment: 'senior' }).sessions).toBe(2);
    const beta = responsesFromSessions(db, { status: ['finished'], topics: ['beta'] }).matrix;
    expect(beta.items).toEqual(['beta/beta-q0']);
    expect(responsesFromSessions(db, { status: ['abandoned'] }).matrix.item.length).toBe(0);
    db.close();
  });
});

describe('report queries', () => {
  const plan = (db: Sqlite.Database, sql: string, params: Record<string, unknown>): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');

  it.each([
    [{ assessment: 'senior', status: ['finished', 'timed_out'] }, /SEARCH sessions USING INDEX sessions_assessment \(assessment_id=\?\)/],
    [
      { assessment: 'senior', since: '2026-01-01', until: '2026-02-01', candidate: 'ann', status: ['finished'] },
      /SEARCH sessions USING INDEX sessions_(assessment|candidate) /,
    ],
    [{ sessionIds: ['a', 'b'], status: ['finished'] }, /SEARCH sessions USING INDEX sqlite_autoindex_sessions_1 \(id=\?\)/],
  ] as const)('%j is served by an index', (filter, index) => {
    const db = openStore(':memory:');
    const { sql, params } = sessionQuery({ ...filter, status: [...filter.status] } as Parameters<typeof sessionQuery>[0]);
    const p = plan(db, sql, params);
    expect(p).toMatch(index);
    expect(p).not.toMatch(/SCAN sessions/);
    db.close();
  });

  it('reads the answers a calibration and ability estimates need by key, with no scan and no sort', () => {
    const db = openStore(':memory:');
    for (const [sql, topics] of [
      [responsesSql(true), true],
      [responsesSql(false), false],
      [OUTCOMES_SQL, false],
    ] as const) {
      const p = plan(db, sql, { ids: '["a","b"]', ...(topics && { topics: '["x"]' }) });
      expect(p).toMatch(/SEARCH sq USING PRIMARY KEY \(session_id=\?\)/);
      expect(p).toMatch(/SEARCH q USING (COVERING )?INDEX sqlite_autoindex_questions_1 \(hash=\?\)/);
      expect(p).toMatch(/SEARCH a USING PRIMARY KEY \(session_id=\? AND position=\?\)/);
      expect(p).not.toMatch(/SCAN (sq|a|q)\b|TEMP B-TREE/);
    }
    db.close();
  });

  it("reads a cohort's questions and answers by key, with no scan and no sort", () => {
    const db = openStore(':memory:');
    for (const details of [true, false]) {
      const p = plan(db, itemsSql(details), { ids: '["a","b"]' });
      expect(p).toMatch(/SEARCH sq USING PRIMARY KEY \(session_id=\?\)/);
      expect(p).toMatch(/SEARCH a USING PRIMARY KEY \(session_id=\? AND position=\?\)/);
      expect(p).not.toMatch(/SCAN (sq|a)\b|TEMP B-TREE/);
    }
    db.close();
  });
});

describe('store errors', () => {
  const sqlite = (code: string, message: string): Error => Object.assign(new Error(message), { code });
  it.each([
    [
      sqlite('SQLITE_CORRUPT', 'database disk image is malformed'),
      /^r\.db is damaged \(database disk image is malformed\)\. backend-quiz will not write to it/,
    ],
    [sqlite('SQLITE_NOTADB', 'file is not a database'), /^r\.db is damaged/],
    [sqlite('SQLITE_IOERR_SHORT_READ', 'disk I/O error'), /^r\.db is damaged \(disk I\/O error; the disk or the file system failed/],
    [sqlite('SQLITE_READONLY', 'attempt to write a readonly database'), /^permission denied: r\.db cannot be written/],
    [sqlite('SQLITE_CANTOPEN', 'unable to open database file'), /^permission denied/],
    [sqlite('SQLITE_FULL', 'database or disk is full'), /^the disk holding r\.db is full/],
    [new SyntaxError('Unexpected token } in JSON at position 3'), /^r\.db is damaged \(a stored row is not valid JSON/],
  ])('%s becomes a one-line UserError', (e, message) => {
    const out = storeError(e, 'r.db');
    expect(out).toBeInstanceOf(UserError);
    expect((out as UserError).exitCode).toBe(2);
    expect((out as UserError).message).toMatch(message);
    expect((out as UserError).message).not.toContain('\n');
  });

  it('leaves other errors alone', () => {
    const bug = new TypeError('x is undefined');
    expect(storeError(bug, 'r.db')).toBe(bug);
  });

  it('a second migrate on a migrated file (as a process that waited for the lock) does nothing', () => {
    const file = path.join(tmpDir(), 'r.db');
    const a = new Sqlite(file);
    const b = new Sqlite(file);
    migrate(a, file);
    expect(() => migrate(b, file)).not.toThrow();
    expect(b.pragma('user_version', { simple: true })).toBe(migrations.length);
    a.close();
    b.close();
  });
});

/** A results database with 200 pages of filler, so damage written into its middle misses the header. */
function storeWithFiller(dir: string): string {
  const file = path.join(dir, 'r.db');
  const db = openStore(file);
  db.exec(
    `CREATE TABLE filler (x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO filler SELECT randomblob(900) FROM n`,
  );
  db.close();
  return file;
}

/** Check stamps go to a cache folder of the test's own. */
function withCache<T>(fn: (dir: string) => T): T {
  const before = process.env.XDG_CACHE_HOME;
  const dir = tmpDir();
  process.env.XDG_CACHE_HOME = path.join(dir, 'cache');
  try {
    return fn(dir);
  } finally {
    if (before === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = before;
  }
}

describe('the check on open', () => {
  it('a file left sound by backend-quiz and untouched since is not checked again', () =>
    withCache((dir) => {
      const file = path.join(dir, 'r.db');
      expect(leftSound(file)).toBe(false);
      openStore(file).close();
      expect(leftSound(file)).toBe(true);
      // A read-only open of a sound file leaves it sound as well.
      openStore(file, 'read').close();
      expect(leftSound(file)).toBe(true);
    }));

  it('is checked again once anything else wrote to it, or a process left a write-ahead log', () =>
    withCache((dir) => {
      const file = path.join(dir, 'r.db');
      openStore(file).close();
      const raw = new Sqlite(file);
      raw.exec('CREATE TABLE other (x)');
      raw.close();
      expect(leftSound(file)).toBe(false);
      openStore(file).close();
      expect(leftSound(file)).toBe(true);
      const open = openStore(file);
      createSession(open, {
        id: 'walleft001',
        candidate: 'c',
        startedAt: new Date(0).toISOString(),
        seed: 1,
        settings: { topics: ['t'], count: 0, difficulties: ['easy'], feedback: 'end', mode: 'scripted' },
        items: [],
      });
      // Still open (as after kill -9): its log is on disk.
      expect(leftSound(file)).toBe(false);
      open.close();
      expect(leftSound(file)).toBe(true);
    }));

  it('a file left sound beside a connection that keeps its log open is trusted until that log changes', () =>
    withCache((dir) => {
      const file = path.join(dir, 'r.db');
      const sitting = openStore(file);
      seedSession(sitting, 's000000001', 'c', '2026-01-01T00:00:00.000Z');
      // Another command writes and closes while the sitting still holds the file and its log.
      const other = openStore(file);
      seedSession(other, 's000000002', 'c', '2026-01-01T00:00:00.000Z');
      other.close();
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
      expect(soundAs(file)).toBe('full');
      // The sitting writes again: the log is no longer the one the check saw.
      seedSession(sitting, 's000000003', 'c', '2026-01-01T00:00:00.000Z');
      expect(soundAs(file)).toBeUndefined();
      sitting.close();
      expect(soundAs(file)).toBe('full');
    }));

  it('damage written over a sound file is found at the next open, and the file is never trusted again by that record', () =>
    withCache((dir) => {
      const file = storeWithFiller(dir);
      expect(leftSound(file)).toBe(true);
      const bytes = fs.readFileSync(file);
      // Page headers of filler pages overwritten: the b-tree no longer holds together.
      for (let page = 20; page < 30; page++) bytes.fill(0x41, 4096 * page, 4096 * page + 64);
      fs.writeFileSync(file, bytes);
      expect(() => openStore(file)).toThrow(/is damaged \(integrity check/);
      expect(leftSound(file)).toBe(false);
      expect(() => openStore(file, 'read')).toThrow(/is damaged/);
    }));
});

describe('what a write needs first, and files that are not to be changed', () => {
  /** A sound file of ours with three sessions, closed by backend-quiz (so recorded sound). */
  function sound(dir: string): string {
    const file = path.join(dir, 'r.db');
    const db = openStore(file);
    for (const id of ['s000000001', 's000000002', 's000000003']) seedSession(db, id, 'c', '2026-01-01T00:00:00.000Z');
    db.close();
    return file;
  }

  const sessions = (file: string): number => {
    const raw = new Sqlite(file, { readonly: true });
    try {
      return raw.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
    } finally {
      raw.close();
    }
  };

  /** Files beside `file` that SQLite makes: -wal, -shm, -journal. */
  const beside = (file: string): string[] =>
    fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(path.basename(file)) && n !== path.basename(file));

  it('a schema format number SQLite refuses (5 at header offset 44) is damage, for reading, writing and doctor', () =>
    withCache((dir) => {
      const file = sound(dir);
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.from([0, 0, 0, 5]), 0, 4, 44);
      fs.closeSync(fd);
      const before = fs.readFileSync(file);
      for (const mode of ['read', 'write'] as const) {
        expect(() => openStore(file, mode)).toThrow(
          new RegExp(
            `^${file} is damaged \\(byte 44 of its header, the schema format number, is 5; .*\\)\\. backend-quiz will not write to it`,
          ),
        );
      }
      const d = diagnose(file);
      expect(d.ok).toBe(false);
      expect(d.problems).toEqual([expect.stringMatching(/schema format number, is 5/)]);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    }));

  it("an index that no longer matches its table, which quick_check does not see, stops a write before it is made; a read's check does not let a write skip its own", () =>
    withCache((dir) => {
      const file = sound(dir);
      // The index keeps its entries by key while the schema says it indexes topic.
      const raw = new Sqlite(file);
      // better-sqlite3 opens in SQLite's defensive mode, which forbids writing the schema.
      raw.unsafeMode(true);
      raw.pragma('writable_schema = ON');
      raw.prepare(`UPDATE sqlite_schema SET sql = 'CREATE INDEX questions_key ON questions (topic)' WHERE name = 'questions_key'`).run();
      raw.close();
      const check = new Sqlite(file, { readonly: true });
      expect(check.pragma('quick_check', { simple: true })).toBe('ok');
      expect(check.pragma('integrity_check', { simple: true })).not.toBe('ok');
      check.close();
      openStore(file, 'read').close();
      expect(soundAs(file)).toBe('quick');
      expect(() => openStore(file, 'write')).toThrow(/is damaged \(integrity check: .*index questions_key/);
      expect(sessions(file)).toBe(3);
      expect(soundAs(file)).toBeUndefined();
    }));

  it('a stored row that is not JSON stops a write before it is made; doctor names the column', () =>
    withCache((dir) => {
      const file = sound(dir);
      const raw = new Sqlite(file);
      raw.prepare(`UPDATE questions SET snapshot = '{"prompt": "cut' WHERE rowid = 1`).run();
      raw.close();
      expect(() => openStore(file, 'write')).toThrow(
        /is damaged \(integrity check: 1 row of questions holds a snapshot that is not valid JSON\)/,
      );
      expect(sessions(file)).toBe(3);
      expect(diagnose(file)).toMatchObject({ ok: false, problems: ['1 row of questions holds a snapshot that is not valid JSON'] });
    }));

  it('bytes changed in place with size and modification time kept are found before the next write', () =>
    withCache((dir) => {
      const file = storeWithFiller(dir);
      expect(soundAs(file)).toBe('full');
      const st = fs.statSync(file, { bigint: true });
      // touch -r copies times to the nanosecond, which fs.utimesSync cannot.
      const times = path.join(dir, 'times');
      fs.writeFileSync(times, '');
      expect(spawnSync('touch', ['-r', file, times]).status).toBe(0);
      const fd = fs.openSync(file, 'r+');
      for (let page = 20; page < 30; page++) fs.writeSync(fd, Buffer.alloc(64, 0x41), 0, 64, 4096 * page);
      fs.closeSync(fd);
      expect(spawnSync('touch', ['-r', times, file]).status).toBe(0);
      const now = fs.statSync(file, { bigint: true });
      expect([now.ino, now.size, now.mtimeNs]).toEqual([st.ino, st.size, st.mtimeNs]);
      expect(soundAs(file)).toBeUndefined();
      expect(() => openStore(file, 'write')).toThrow(/is damaged/);
    }));

  it("another program's SQLite file is refused with the right reason and left byte for byte, with nothing beside it", () =>
    withCache((dir) => {
      const app = path.join(dir, 'app.db');
      const raw = new Sqlite(app);
      raw.exec('CREATE TABLE contacts (name TEXT); CREATE TABLE notes (body TEXT)');
      raw.close();
      const empty = path.join(dir, 'seven.db');
      const raw2 = new Sqlite(empty);
      raw2.pragma('user_version = 7');
      raw2.close();
      const marked = path.join(dir, 'marked.db');
      const raw3 = new Sqlite(marked);
      raw3.pragma('application_id = 1234');
      raw3.close();
      for (const [file, why] of [
        [app, 'it holds other tables: contacts, notes'],
        [empty, 'its user_version is 7, which is not a backend-quiz schema version'],
        [marked, "its application_id is 0x000004d2, another program's mark"],
      ] as const) {
        const before = fs.readFileSync(file);
        for (const mode of ['read', 'write'] as const) {
          expect(() => openStore(file, mode)).toThrow(`${file} is not a backend-quiz results database (${why}); it was left untouched.`);
        }
        expect(() => diagnose(file)).toThrow(`(${why})`);
        expect(fs.readFileSync(file).equals(before), file).toBe(true);
        expect(beside(file)).toEqual([]);
      }
    }));

  it('an empty SQLite file (no tables, user_version 0) is set up as a new database', () =>
    withCache((dir) => {
      const file = path.join(dir, 'empty.db');
      new Sqlite(file).close();
      const db = openStore(file);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      db.close();
    }));

  it('a read-only open makes nothing beside the file, and knows when another process changed the file under it', () =>
    withCache((dir) => {
      const file = sound(dir);
      const db = openReadOnly(file);
      expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(3);
      expect(beside(file)).toEqual([]);
      expect(changedWhileRead(db, file)).toBe(false);
      // A writer's log alone leaves the file as it was; its checkpoint as it closes does not.
      const writer = openStore(file);
      seedSession(writer, 's000000004', 'c', '2026-01-02T00:00:00.000Z');
      expect(changedWhileRead(db, file)).toBe(false);
      writer.close();
      expect(changedWhileRead(db, file)).toBe(true);
      db.close();
    }));
});
