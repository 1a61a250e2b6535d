// What `stats` reads: a candidate's graded answers summed per topic, and per topic and week, in two
// aggregate statements (SQLite does the counting; no answer row reaches JavaScript).
import type { Database } from 'better-sqlite3';
import { stmt } from './sessions.js';

const FROM = `FROM sessions s
  JOIN answers a ON a.session_id = s.id
  JOIN session_questions sq ON sq.session_id = a.session_id AND sq.position = a.position
  JOIN questions q ON q.hash = sq.question_hash
 WHERE s.candidate = @candidate AND a.outcome != 'ungraded'`;

/** Exported so a test can check that an index serves each. */
export const PROGRESS_SQL = {
  topics: `SELECT q.topic AS topic, count(*) AS answers, sum(a.outcome = 'right') AS right, count(DISTINCT q.key) AS seen,
                  sum(a.answered_at >= @recent) AS recentAnswers, sum(a.answered_at >= @recent AND a.outcome = 'right') AS recentRight,
                  min(a.answered_at) AS first, max(a.answered_at) AS last
             ${FROM}
            GROUP BY q.topic`,
  // Week 0 is the one that ends at @end; answers before @start are left out.
  weeks: `SELECT q.topic AS topic, CAST((julianday(@end) - julianday(a.answered_at)) / 7 AS INTEGER) AS ago, count(*) AS answers, sum(a.outcome = 'right') AS right
            ${FROM} AND a.answered_at >= @start AND a.answered_at < @end
           GROUP BY q.topic, ago`,
} as const;

export interface TopicTotals {
  topic: string;
  answers: number;
  right: number;
  seen: number;
  recentAnswers: number;
  recentRight: number;
  first: string;
  last: string;
}

export interface WeekTotals {
  topic: string;
  /** Weeks before the last one: 0 is the last. */
  ago: number;
  answers: number;
  right: number;
}

/** Per topic: answers, right ones, distinct questions, and the same since `recent` (an ISO time). */
export function topicTotals(db: Database, candidate: string, recent: string): TopicTotals[] {
  return stmt(db, PROGRESS_SQL.topics).all({ candidate, recent }) as TopicTotals[];
}

/** Per topic and week, for the weeks from `start` to `end` (ISO times a whole number of weeks apart). */
export function weekTotals(db: Database, candidate: string, start: string, end: string): WeekTotals[] {
  return stmt(db, PROGRESS_SQL.weeks).all({ candidate, start, end }) as WeekTotals[];
}
