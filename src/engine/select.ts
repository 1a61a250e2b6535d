import { isTask, type Bank, type Difficulty, type Question } from '../bank/types.js';
import { mulberry32, shuffle } from './rng.js';

export interface QuizItem {
  question: Question;
  /** Indices into question.choices in the order shown; empty for questions without choices. */
  choiceOrder: number[];
}

export interface SelectOptions {
  topics: string[];
  count: number;
  difficulties: readonly Difficulty[];
  seed: number;
  /** Draw hands-on tasks (sql, code) instead of questions; a draw never mixes the two. */
  tasks?: boolean;
}

/**
 * Draws `count` questions evenly across `topics` (round-robin over per-topic shuffled pools, so a
 * topic with few questions gives way to the others), then shuffles question and choice order.
 * Deterministic in (banks, options): pools are sorted by id first, so file order does not matter.
 */
export function selectQuestions(banks: readonly Bank[], opts: SelectOptions): QuizItem[] {
  const rng = mulberry32(opts.seed);
  const byId = new Map(banks.map((b) => [b.id, b]));
  const topics = [...new Set(opts.topics)].sort();
  const pools = topics.map((t) => {
    const qs = (byId.get(t)?.questions ?? [])
      .filter((q) => opts.difficulties.includes(q.difficulty) && isTask(q) === (opts.tasks ?? false))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return shuffle(qs, rng);
  });
  // Rotate the starting topic so the remainder of count / topics is not always given to the same ones.
  const order = shuffle(
    pools.map((_, i) => i),
    rng,
  );
  const picked: Question[] = [];
  let progress = true;
  while (picked.length < opts.count && progress) {
    progress = false;
    for (const i of order) {
      if (picked.length >= opts.count) break;
      const q = pools[i]!.shift();
      if (q) {
        picked.push(q);
        progress = true;
      }
    }
  }
  return shuffle(picked, rng).map((question) => ({
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

/** How many questions (or, with `tasks`, tasks) match the filters: what selectQuestions can draw. */
export function availableCount(
  banks: readonly Bank[],
  topics: readonly string[],
  difficulties: readonly Difficulty[],
  tasks = false,
): number {
  return banks
    .filter((b) => topics.includes(b.id))
    .reduce((n, b) => n + b.questions.filter((q) => difficulties.includes(q.difficulty) && isTask(q) === tasks).length, 0);
}

/** The topics that have at least one task: what to suggest when the chosen ones have none. */
export function topicsWithTasks(banks: readonly Bank[]): string[] {
  return banks.filter((b) => b.questions.some(isTask)).map((b) => b.id);
}
