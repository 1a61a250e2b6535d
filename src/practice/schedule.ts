// Scheduling glue around ts-fsrs (FSRS-6): how an answer is rated, and what that rating schedules.
// Pure: cards and times in, cards out.
import { createEmptyCard, fsrs, Rating, type Card, type Grade } from 'ts-fsrs';
import type { QuestionType } from '../bank/types.js';
import type { Graded, StoredCard } from '../store/practice.js';

/**
 * Practice happens in rounds, not minute-by-minute drills, so FSRS's short-term (minute) learning
 * steps are off. ts-fsrs then schedules every rating at least a day out, Again included (its
 * long-term scheduler gives Again one day, Hard two, Good three, Easy more); see `review` for Again.
 * No fuzz: the same answers give the same schedule, which tests and `--status --at` rely on.
 */
const scheduler = fsrs({ enable_short_term: false, enable_fuzz: false });

/** The rule for Easy: see `rate`. */
export const EASY = {
  /** Under this share of the candidate's usual time for that type of question. */
  share: 0.5,
  /** Their usual time: the median over the last this many right answers given in a terminal… */
  window: 200,
  /** …of which at least this many were to that type of question. */
  minSamples: 10,
} as const;

/**
 * The candidate's recent right answers given in a terminal, to tell a fast answer from a usual
 * one. A boolean is read and answered faster than a text question, so each type has its own pace.
 */
export class Pace {
  private readonly recent: { type: QuestionType; ms: number }[];

  constructor(recent: readonly { type: QuestionType; ms: number }[] = []) {
    this.recent = recent.slice(-EASY.window);
  }

  add(type: QuestionType, ms: number): void {
    this.recent.push({ type, ms });
    if (this.recent.length > EASY.window) this.recent.shift();
  }

  /** Median time of recent right answers to this type of question; undefined with too few. */
  usual(type: QuestionType): number | undefined {
    const times = this.recent
      .filter((r) => r.type === type)
      .map((r) => r.ms)
      .sort((a, b) => a - b);
    if (times.length < EASY.minSamples) return undefined;
    const mid = times.length >> 1;
    return times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  }
}

export interface Answered {
  outcome: Graded;
  type: QuestionType;
  timeMs: number;
  /** Given at a terminal; a scripted answer's time says nothing about the candidate. */
  interactive: boolean;
}

/**
 * Wrong or not answered: Again. Partly right: Hard. Right: Good, or Easy when given at a
 * terminal in under half the candidate's usual time for that type of question (once there are
 * 10 such answers among their last 200 right ones to compare with).
 */
export function rate(a: Answered, pace: Pace): Grade {
  switch (a.outcome) {
    case 'wrong':
    case 'unanswered':
      return Rating.Again;
    case 'partial':
      return Rating.Hard;
    case 'right': {
      const usual = a.interactive ? pace.usual(a.type) : undefined;
      return usual !== undefined && a.timeMs < EASY.share * usual ? Rating.Easy : Rating.Good;
    }
  }
}

/** The memory state of a stored card as ts-fsrs reads it. */
export function toCard(c: StoredCard): Card {
  return {
    due: new Date(c.due),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: 0, // deprecated in ts-fsrs 5: it is derived from last_review
    scheduled_days: c.scheduledDays,
    learning_steps: c.learningSteps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    last_review: new Date(c.lastReview),
  };
}

export type Memory = Pick<
  StoredCard,
  'due' | 'stability' | 'difficulty' | 'scheduledDays' | 'learningSteps' | 'reps' | 'lapses' | 'state' | 'lastReview'
>;

/**
 * The memory state after one review at `at`. A missed question (Again) is due again at once, so
 * the next round asks it; FSRS still records the lapse and the lower stability, so getting it
 * right next time earns a short interval (three days) rather than a long one.
 */
export function review(prev: StoredCard | undefined, grade: Grade, at: Date): Memory {
  const { card } = scheduler.next(prev ? toCard(prev) : createEmptyCard(at), at, grade);
  const again = grade === Rating.Again;
  return {
    due: (again ? at : card.due).toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    scheduledDays: again ? 0 : card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: at.toISOString(),
  };
}
