// The practice schedule's rows: one card per candidate and question key (see migration 003).
import type { Database } from 'better-sqlite3';
import type { QuestionType } from '../bank/types.js';
import type { Outcome } from '../engine/score.js';
import { stmt } from './sessions.js';

/** An outcome that says something about what the candidate knows (a sealed answer does not). */
export type Graded = Exclude<Outcome, 'ungraded'>;

export interface StoredCard {
  candidate: string;
  key: string;
  topic: string;
  questionHash: string;
  /** ISO time. */
  due: string;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: string;
  lastOutcome: Graded;
}

interface CardRow {
  candidate: string;
  key: string;
  topic: string;
  question_hash: string;
  due: string;
  stability: number;
  difficulty: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review: string;
  last_outcome: Graded;
}

function rowToCard(r: CardRow): StoredCard {
  return {
    candidate: r.candidate,
    key: r.key,
    topic: r.topic,
    questionHash: r.question_hash,
    due: r.due,
    stability: r.stability,
    difficulty: r.difficulty,
    scheduledDays: r.scheduled_days,
    learningSteps: r.learning_steps,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state,
    lastReview: r.last_review,
    lastOutcome: r.last_outcome,
  };
}

/** The practice queries, exported so a test can check that each one is served by an index. */
export const PRACTICE_SQL = {
  card: `SELECT * FROM practice_cards WHERE candidate = ? AND key = ?`,
  cards: `SELECT * FROM practice_cards WHERE candidate = ?`,
  due: `SELECT key, due, scheduled_days AS scheduledDays, last_outcome AS lastOutcome FROM practice_cards WHERE candidate = ?`,
  /**
   * The latest right answers a candidate gave in a terminal outside assessments, newest first:
   * sessions come newest first from their candidate index, so the walk stops at the limit.
   */
  pace: `SELECT json_extract(q.snapshot, '$.type') AS type, a.time_ms AS ms
           FROM sessions s
           JOIN answers a ON a.session_id = s.id
           JOIN session_questions sq ON sq.session_id = a.session_id AND sq.position = a.position
           JOIN questions q ON q.hash = sq.question_hash
          WHERE s.candidate = ? AND s.assessment_id IS NULL AND a.outcome = 'right'
            AND json_extract(s.settings, '$.mode') = 'interactive'
          ORDER BY s.started_at DESC
          LIMIT ?`,
} as const;

export function getCard(db: Database, candidate: string, key: string): StoredCard | undefined {
  const row = stmt(db, PRACTICE_SQL.card).get(candidate, key) as CardRow | undefined;
  return row && rowToCard(row);
}

export function putCard(db: Database, c: StoredCard): void {
  stmt(
    db,
    `INSERT OR REPLACE INTO practice_cards
       (candidate, key, topic, question_hash, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, state, last_review, last_outcome)
     VALUES (@candidate, @key, @topic, @questionHash, @due, @stability, @difficulty, @scheduledDays, @learningSteps, @reps, @lapses, @state, @lastReview, @lastOutcome)`,
  ).run(c);
}

/** Every card of a candidate (one per question key they have answered). */
export function cardsOf(db: Database, candidate: string): StoredCard[] {
  return (stmt(db, PRACTICE_SQL.cards).all(candidate) as CardRow[]).map(rowToCard);
}

/** What choosing a round and counting need of each card. */
export type CardDue = Pick<StoredCard, 'key' | 'due' | 'scheduledDays' | 'lastOutcome'>;

/**
 * Each card's key, due time, interval and latest outcome: a third of its columns, named as the
 * fields are, so reading a thousand cards builds small objects and maps none (several times
 * faster than every column).
 */
export function dueOf(db: Database, candidate: string): CardDue[] {
  return stmt(db, PRACTICE_SQL.due).all(candidate) as CardDue[];
}

/** A candidate's latest right answers given in a terminal, oldest first. */
export function recentRightTimes(db: Database, candidate: string, limit: number): { type: QuestionType; ms: number }[] {
  return (stmt(db, PRACTICE_SQL.pace).all(candidate, limit) as { type: QuestionType; ms: number }[]).reverse();
}
