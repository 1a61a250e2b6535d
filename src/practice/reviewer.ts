// Keeps each candidate's practice schedule in step with their answers. A sitting calls the
// reviewer once per stored answer, in the same transaction; the migration that added the schedule
// replays the answers given before it through the same steps.
import type { Database } from 'better-sqlite3';
import type { Question, QuestionType } from '../bank/types.js';
import type { AnswerRecord } from '../engine/quiz.js';
import { getCard, putCard, recentRightTimes, type Graded, type StoredCard } from '../store/practice.js';
import { questionHash } from '../store/sessions.js';
import { EASY, Pace, rate, review } from './schedule.js';

interface Step {
  question: Pick<Question, 'key' | 'topic' | 'type'>;
  hash: string;
  outcome: Graded;
  timeMs: number;
  at: string;
}

/** The card after one answer; `pace` learns from it afterwards. */
function nextCard(candidate: string, prev: StoredCard | undefined, s: Step, interactive: boolean, pace: Pace): StoredCard {
  const grade = rate({ outcome: s.outcome, type: s.question.type, timeMs: s.timeMs, interactive }, pace);
  if (interactive && s.outcome === 'right') pace.add(s.question.type, s.timeMs);
  return {
    candidate,
    key: s.question.key,
    topic: s.question.topic,
    questionHash: s.hash,
    ...review(prev, grade, new Date(s.at)),
    lastOutcome: s.outcome,
  };
}

/**
 * The schedule update for one candidate's sitting: call it with each answer as it is stored.
 * Answers from a sealed pack are not graded here and leave the schedule alone.
 */
export function reviewer(db: Database, candidate: string, mode: 'interactive' | 'scripted'): (r: AnswerRecord, at: string) => void {
  const interactive = mode === 'interactive';
  const pace = new Pace(interactive ? recentRightTimes(db, candidate, EASY.window) : []);
  return (r, at) => {
    if (r.outcome === 'ungraded') return;
    const q = r.item.question;
    const step: Step = { question: q, hash: questionHash(q), outcome: r.outcome, timeMs: r.timeMs, at };
    putCard(db, nextCard(candidate, getCard(db, candidate, q.key), step, interactive, pace));
  };
}

/**
 * Builds every candidate's schedule, into an empty table, from the answers stored outside
 * assessments, oldest first, as the reviewer would have built it answer by answer. Returns the
 * number of answers replayed.
 */
export function replayHistory(db: Database): number {
  // Each question version's key, topic and type, read once: reading them from the snapshot of
  // every answer (JSON of a few kilobytes each) would cost most of the replay.
  const versions = new Map(
    (
      db.prepare(`SELECT hash, key, topic, json_extract(snapshot, '$.type') AS type FROM questions`).all() as {
        hash: string;
        key: string;
        topic: string;
        type: QuestionType;
      }[]
    ).map((q) => [q.hash, q]),
  );
  const rows = db
    .prepare(
      `SELECT s.candidate, json_extract(s.settings, '$.mode') = 'interactive', sq.question_hash, a.outcome, a.time_ms, a.answered_at
         FROM sessions s
         JOIN answers a ON a.session_id = s.id
         JOIN session_questions sq ON sq.session_id = a.session_id AND sq.position = a.position
        WHERE s.assessment_id IS NULL AND a.outcome != 'ungraded'
        ORDER BY s.started_at, a.position`,
    )
    .raw()
    .iterate() as IterableIterator<[string, number, string, Graded, number, string]>;
  const cards = new Map<string, Map<string, StoredCard>>();
  const paces = new Map<string, Pace>();
  let n = 0;
  for (const [candidate, interactive, hash, outcome, timeMs, at] of rows) {
    let mine = cards.get(candidate);
    if (!mine) cards.set(candidate, (mine = new Map()));
    let pace = paces.get(candidate);
    if (!pace) paces.set(candidate, (pace = new Pace()));
    const question = versions.get(hash)!;
    mine.set(question.key, nextCard(candidate, mine.get(question.key), { question, hash, outcome, timeMs, at }, interactive === 1, pace));
    n++;
  }
  for (const mine of cards.values()) for (const c of mine.values()) putCard(db, c);
  return n;
}
