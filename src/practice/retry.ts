// `take --retry`: the questions a session, or a candidate's latest answers, did not get right.
import type { Database } from 'better-sqlite3';
import type { Difficulty, Question } from '../bank/types.js';
import { mulberry32, shuffle } from '../engine/rng.js';
import type { QuizItem } from '../engine/select.js';
import type { Outcome } from '../engine/score.js';
import { cardsOf } from '../store/practice.js';
import { getSession, questionSnapshot } from '../store/sessions.js';

/** What counts as a mistake: a wrong or partly right answer, or one left empty. */
export const isMistake = (o: Outcome): boolean => o === 'wrong' || o === 'partial' || o === 'unanswered';

export interface RetryFilter {
  topics?: readonly string[];
  difficulties?: readonly Difficulty[];
}

export interface Mistakes {
  questions: Question[];
  /** Whose they are: the session's candidate, or the one asked about. */
  candidate: string;
  /** The session id, or 'mistakes'. */
  of: string;
  /** For the message when there are none: where they were looked for. */
  where: string;
}

/**
 * `target` is a session id (or a unique prefix): the questions it got wrong, partly right or left
 * empty, as they were asked. `mistakes`: the candidate's questions whose latest answer outside an
 * assessment was one of those, as last asked.
 */
export function findMistakes(db: Database, target: string, candidate: string, f: RetryFilter = {}): Mistakes {
  const keep = (q: Question): boolean =>
    !q.sealed && (!f.topics?.length || f.topics.includes(q.topic)) && (!f.difficulties?.length || f.difficulties.includes(q.difficulty));
  if (target === 'mistakes') {
    const questions = cardsOf(db, candidate)
      .filter((c) => isMistake(c.lastOutcome))
      .map((c) => questionSnapshot(db, c.questionHash))
      .filter(keep);
    return { questions, candidate, of: 'mistakes', where: `${candidate}'s latest answers` };
  }
  const detail = getSession(db, target);
  const questions = detail.items
    .filter((i) => i.answer !== null && isMistake(i.answer.outcome))
    .map((i) => i.question)
    .filter(keep);
  return { questions, candidate: detail.session.candidate, of: detail.session.id, where: `session ${detail.session.id}` };
}

/** The questions in a fresh order, with their choices shuffled again: a retry tests knowing, not remembering a position. */
export function retryItems(questions: readonly Question[], seed: number): QuizItem[] {
  const rng = mulberry32(seed);
  return shuffle(
    [...questions].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    rng,
  ).map((question) => ({
    question,
    choiceOrder:
      'choices' in question
        ? shuffle(
            question.choices.map((_, i) => i),
            rng,
          )
        : [],
  }));
}
