import { createHash, randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Question } from '../bank/types.js';
import type { QuizItem } from '../engine/select.js';
import type { AnswerRecord } from '../engine/quiz.js';
import type { Outcome, Response } from '../engine/score.js';
import type { Summary } from '../engine/summary.js';
import type { StopReason } from '../psychometrics/adaptive.js';
import { UserError } from '../errors.js';

export type SessionStatus = 'in_progress' | 'finished' | 'abandoned' | 'timed_out';

/** What a sitting of an assessment records about it (in the session's settings). */
export interface SittingInfo {
  id: string;
  title: string;
  /** The assessment definition's digest. */
  digest: string;
  timeLimitMs: number | null;
  form: 'fixed' | 'per-candidate';
  sealed: boolean;
  packId?: string;
  packDigest?: string;
  /** When a start code opened the pack's questions (the sitting's clock starts then). */
  openedAt?: string;
  /**
   * An imported sitting that ran past its time limit (and the grace): answers given after it were
   * counted unanswered. Kept in the settings so every later read of the session sees it.
   */
  overTime?: true;
}

/** What an adaptive sitting records (in the session's settings). */
export interface AdaptiveSettings {
  maxItems: number;
  targetSe: number;
  /** Each question was drawn among this many most informative. */
  exposure: number;
  /** The calibration whose difficulties chose the questions; null when difficulty labels stood in. */
  calibrationId: number | null;
  /** Why it stopped, once it has. */
  stop?: StopReason;
}

export interface SessionSettings {
  topics: string[];
  /** Questions in the sitting; for an adaptive one, those asked so far. */
  count: number;
  difficulties: string[];
  feedback: string;
  mode: 'interactive' | 'scripted';
  assessment?: SittingInfo;
  adaptive?: AdaptiveSettings;
  /** A practice round, or a retry of mistakes; absent for a quiz or an assessment. */
  kind?: 'practice' | 'retry';
  /** For a retry: the session retried, or 'mistakes'. */
  retryOf?: string;
}

export interface Session {
  id: string;
  candidate: string;
  startedAt: string;
  finishedAt: string | null;
  seed: number;
  settings: SessionSettings;
  status: SessionStatus;
  score: number | null;
  maxScore: number | null;
  assessmentId: string | null;
  importedFrom: string | null;
  importedAt: string | null;
  sourceDigest: string | null;
}

export interface StoredAnswer {
  response: Response | undefined;
  outcome: Outcome;
  points: number;
  maxPoints: number;
  timeMs: number;
  answeredAt: string;
}

export interface StoredItem extends QuizItem {
  position: number;
  hash: string;
  answer: StoredAnswer | null;
}

export interface SessionDetail {
  session: Session;
  items: StoredItem[];
}

interface SessionRow {
  id: string;
  candidate: string;
  started_at: string;
  finished_at: string | null;
  seed: number;
  settings: string;
  status: SessionStatus;
  score: number | null;
  max_score: number | null;
  assessment_id: string | null;
  imported_from: string | null;
  imported_at: string | null;
  source_digest: string | null;
}

function rowToSession(r: SessionRow): Session {
  return {
    id: r.id,
    candidate: r.candidate,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    seed: r.seed,
    settings: JSON.parse(r.settings) as SessionSettings,
    status: r.status,
    score: r.score,
    maxScore: r.max_score,
    assessmentId: r.assessment_id,
    importedFrom: r.imported_from,
    importedAt: r.imported_at,
    sourceDigest: r.source_digest,
  };
}

const prepared = new WeakMap<Database, Map<string, Statement>>();

/** A statement prepared once per connection: imports and answers run the same few many times. */
export function stmt(db: Database, sql: string): Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) cache.set(sql, (st = db.prepare(sql)));
  return st;
}

/** Stable content hash of a question as asked. */
export function questionHash(q: Question): string {
  return createHash('sha256').update(JSON.stringify(q)).digest('hex');
}

/** Short, unambiguous ids that are easy to type: 10 characters of lowercase base32. */
export function newSessionId(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
}

export interface NewSession {
  id: string;
  candidate: string;
  startedAt: string;
  seed: number;
  settings: SessionSettings;
  items: readonly QuizItem[];
  /** Set when the session comes from a result file. */
  imported?: { from: string; at: string; sourceDigest: string };
}

export function createSession(db: Database, s: NewSession): void {
  const insertSession = stmt(
    db,
    `INSERT INTO sessions (id, candidate, started_at, seed, settings, status, assessment_id, assessment_digest, imported_from, imported_at, source_digest)
     VALUES (@id, @candidate, @startedAt, @seed, @settings, 'in_progress', @assessmentId, @assessmentDigest, @from, @at, @sourceDigest)`,
  );
  db.transaction(() => {
    insertSession.run({
      id: s.id,
      candidate: s.candidate,
      startedAt: s.startedAt,
      seed: s.seed,
      settings: JSON.stringify(s.settings),
      assessmentId: s.settings.assessment?.id ?? null,
      assessmentDigest: s.settings.assessment?.digest ?? null,
      from: s.imported?.from ?? null,
      at: s.imported?.at ?? null,
      sourceDigest: s.imported?.sourceDigest ?? null,
    });
    s.items.forEach((item, position) => addItem(db, s.id, position, item));
  }).immediate();
}

/**
 * Stores a question of a sitting at its position (and the question as asked, once per version).
 * An adaptive sitting adds each one as it chooses it, just before asking it.
 */
export function addItem(db: Database, sessionId: string, position: number, item: QuizItem): void {
  const q = item.question;
  const hash = questionHash(q);
  stmt(db, `INSERT OR IGNORE INTO questions (hash, key, topic, difficulty, snapshot) VALUES (?, ?, ?, ?, ?)`).run(
    hash,
    q.key,
    q.topic,
    q.difficulty,
    JSON.stringify(q),
  );
  stmt(db, `INSERT INTO session_questions (session_id, position, question_hash, choice_order) VALUES (?, ?, ?, ?)`).run(
    sessionId,
    position,
    hash,
    JSON.stringify(item.choiceOrder),
  );
}

/** Replaces a session's settings: an adaptive sitting records how many questions it asked and why it stopped. */
export function updateSettings(db: Database, id: string, settings: SessionSettings): void {
  stmt(db, `UPDATE sessions SET settings = ? WHERE id = ?`).run(JSON.stringify(settings), id);
}

/** One statement, autocommitted: each answer is durable as soon as it is given. */
export function recordAnswer(db: Database, sessionId: string, r: AnswerRecord, answeredAt: string): void {
  stmt(
    db,
    `INSERT INTO answers (session_id, position, response, outcome, points, max_points, time_ms, answered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    sessionId,
    r.position,
    r.response === undefined ? null : JSON.stringify(r.response),
    r.outcome,
    r.points,
    r.maxPoints,
    r.timeMs,
    answeredAt,
  );
}

/** A question as it was asked, by its content hash. */
export function questionSnapshot(db: Database, hash: string): Question {
  return JSON.parse(stmt(db, `SELECT snapshot FROM questions WHERE hash = ?`).pluck().get(hash) as string) as Question;
}

/** A resumed sitting is in progress again until it is closed. */
export function reopenSession(db: Database, id: string): void {
  db.prepare(`UPDATE sessions SET status = 'in_progress', finished_at = NULL WHERE id = ?`).run(id);
}

export function closeSession(
  db: Database,
  id: string,
  status: Exclude<SessionStatus, 'in_progress'>,
  summary: Summary,
  finishedAt: string,
): void {
  stmt(db, `UPDATE sessions SET status = ?, score = ?, max_score = ?, finished_at = ? WHERE id = ?`).run(
    status,
    summary.score,
    summary.maxScore,
    finishedAt,
    id,
  );
}

export interface ListFilter {
  candidate?: string;
  limit?: number;
}

/** The history queries, exported so a test can check that each one is served by an index. */
export const HISTORY_SQL = {
  all: `SELECT * FROM sessions ORDER BY started_at DESC LIMIT @limit`,
  byCandidate: `SELECT * FROM sessions WHERE candidate = @candidate ORDER BY started_at DESC LIMIT @limit`,
} as const;

export function listSessions(db: Database, filter: ListFilter = {}): Session[] {
  const sql = filter.candidate !== undefined ? HISTORY_SQL.byCandidate : HISTORY_SQL.all;
  const rows = db
    .prepare(sql)
    .all({ ...(filter.candidate !== undefined ? { candidate: filter.candidate } : {}), limit: filter.limit ?? -1 }) as SessionRow[];
  return rows.map(rowToSession);
}

/** A session by id or unique id prefix (at least 4 characters). */
export function getSession(db: Database, idOrPrefix: string): SessionDetail {
  let rows = db.prepare(`SELECT * FROM sessions WHERE id = ?`).all(idOrPrefix) as SessionRow[];
  if (rows.length === 0 && idOrPrefix.length >= 4) {
    rows = db
      .prepare(`SELECT * FROM sessions WHERE id LIKE ? ESCAPE '\\' LIMIT 3`)
      .all(`${idOrPrefix.replace(/[\\%_]/g, '\\$&')}%`) as SessionRow[];
  }
  if (rows.length === 0) throw new UserError(`no session '${idOrPrefix}'; 'backend-quiz history' lists the sessions`);
  if (rows.length > 1)
    throw new UserError(`'${idOrPrefix}' matches several sessions (${rows.map((r) => r.id).join(', ')}); give more of the id`);
  const session = rowToSession(rows[0]!);
  const items = db
    .prepare(
      `SELECT sq.position, sq.question_hash AS hash, sq.choice_order, q.snapshot,
              a.response, a.outcome, a.points, a.max_points, a.time_ms, a.answered_at
         FROM session_questions sq
         JOIN questions q ON q.hash = sq.question_hash
         LEFT JOIN answers a ON a.session_id = sq.session_id AND a.position = sq.position
        WHERE sq.session_id = ?
        ORDER BY sq.position`,
    )
    .all(session.id) as {
    position: number;
    hash: string;
    choice_order: string;
    snapshot: string;
    response: string | null;
    outcome: Outcome | null;
    points: number | null;
    max_points: number | null;
    time_ms: number | null;
    answered_at: string | null;
  }[];
  return {
    session,
    items: items.map((r) => ({
      position: r.position,
      hash: r.hash,
      question: JSON.parse(r.snapshot) as Question,
      choiceOrder: JSON.parse(r.choice_order) as number[],
      answer:
        r.outcome === null
          ? null
          : {
              response: r.response === null ? undefined : (JSON.parse(r.response) as Response),
              outcome: r.outcome,
              points: r.points!,
              maxPoints: r.max_points!,
              timeMs: r.time_ms!,
              answeredAt: r.answered_at!,
            },
    })),
  };
}

/** Sittings that stopped before their last question: interrupted, closed terminal, crash or kill -9. */
export function resumableSessions(db: Database): (Session & { answered: number; total: number })[] {
  const rows = db
    .prepare(
      `SELECT s.*, (SELECT count(*) FROM answers a WHERE a.session_id = s.id) AS answered,
              (SELECT count(*) FROM session_questions q WHERE q.session_id = s.id) AS total
         FROM sessions s
        WHERE s.status IN ('in_progress', 'abandoned') AND s.imported_from IS NULL
        ORDER BY s.started_at DESC`,
    )
    .all() as (SessionRow & { answered: number; total: number })[];
  // An adaptive sitting chooses its next question only when it gets there: until it has said why it
  // stopped, it can go on even with every question so far answered.
  return rows
    .map((r) => ({ ...rowToSession(r), answered: r.answered, total: r.total }))
    .filter((s) => s.answered < s.total || (s.settings.adaptive !== undefined && s.settings.adaptive.stop === undefined));
}
