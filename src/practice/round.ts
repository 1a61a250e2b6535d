// What a practice round asks, and where a candidate stands: pure functions of the banks, the
// candidate's cards and a time.
import type { Bank, Difficulty, Question } from '../bank/types.js';
import { mulberry32, shuffle } from '../engine/rng.js';
import { selectQuestions, type QuizItem } from '../engine/select.js';
import type { CardDue } from '../store/practice.js';

/** An interval of 21 days or more makes a question learned, as Anki calls such cards mature. */
export const LEARNED_DAYS = 21;

export interface Scope {
  topics: readonly string[];
  difficulties: readonly Difficulty[];
}

/** The bank questions a practice of this scope may ask, by key. */
function inScope(banks: readonly Bank[], s: Scope): Map<string, Question> {
  const topics = new Set(s.topics);
  const out = new Map<string, Question>();
  for (const b of banks) if (topics.has(b.id)) for (const q of b.questions) if (s.difficulties.includes(q.difficulty)) out.set(q.key, q);
  return out;
}

// Cards store due times as toISOString() text, which sorts as the times do.
const byDue = (a: CardDue, b: CardDue): number => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export interface Round {
  items: QuizItem[];
  /** How many of the items were due (they come first); the rest are new. */
  due: number;
}

/**
 * The questions that are due, most overdue first, then questions never answered, drawn evenly
 * across the topics, up to `count`. A question asked in its current bank version; one that is no
 * longer in the banks is left out.
 */
export function chooseRound(
  banks: readonly Bank[],
  cards: readonly CardDue[],
  o: Scope & { count: number; seed: number; now: Date },
): Round {
  const scope = inScope(banks, o);
  const now = o.now.toISOString();
  const due = cards
    .filter((c) => c.due <= now && scope.has(c.key))
    .sort(byDue)
    .slice(0, o.count);
  const rng = mulberry32(o.seed);
  const items: QuizItem[] = due.map((c) => {
    const question = scope.get(c.key)!;
    return {
      question,
      choiceOrder:
        'choices' in question
          ? shuffle(
              question.choices.map((_, i) => i),
              rng,
            )
          : [],
    };
  });
  if (items.length < o.count) {
    const seen = new Set(cards.map((c) => c.key));
    const unseen = banks.map((b) => ({ ...b, questions: b.questions.filter((q) => !seen.has(q.key)) }));
    items.push(
      ...selectQuestions(unseen, { topics: [...o.topics], difficulties: o.difficulties, count: o.count - items.length, seed: o.seed }),
    );
  }
  return { items, due: due.length };
}

export interface Standing {
  topic: string;
  /** Questions in scope in the topic's bank. */
  questions: number;
  /** Answered before and due at the time asked about. */
  due: number;
  /** Answered before, not due, and last given an interval under LEARNED_DAYS. */
  learning: number;
  /** Answered before, not due, and last given an interval of LEARNED_DAYS or more. */
  learned: number;
  notSeen: number;
}

/** Per topic in scope (in the order given): due at `at`, learning, learned and not yet seen. */
export function standing(banks: readonly Bank[], cards: readonly CardDue[], s: Scope, at: Date): Standing[] {
  const scope = inScope(banks, s);
  const when = at.toISOString();
  const rows = new Map<string, Standing>(s.topics.map((t) => [t, { topic: t, questions: 0, due: 0, learning: 0, learned: 0, notSeen: 0 }]));
  const byKey = new Map(cards.map((c) => [c.key, c]));
  for (const [key, q] of scope) {
    const row = rows.get(q.topic)!;
    row.questions++;
    const c = byKey.get(key);
    if (!c) row.notSeen++;
    else if (c.due <= when) row.due++;
    else if (c.scheduledDays >= LEARNED_DAYS) row.learned++;
    else row.learning++;
  }
  return [...rows.values()];
}

/** The earliest due time after `after` among the questions in scope, if any. */
export function nextDue(banks: readonly Bank[], cards: readonly CardDue[], s: Scope, after: Date): string | undefined {
  const scope = inScope(banks, s);
  const from = after.toISOString();
  return cards.filter((c) => c.due > from && scope.has(c.key)).sort(byDue)[0]?.due;
}
