import { TimeUpError } from '../errors.js';
import type { QuizItem } from './select.js';
import { scoreResponse, type Response, type Score } from './score.js';

export interface Position {
  index: number; // 0-based
  total: number;
  /** Epoch milliseconds when the sitting's time runs out; absent without a time limit. */
  deadline?: number;
  /** The whole time limit, so notices are given only when they are news. */
  limitMs?: number;
}

/** Where answers come from: a person at a terminal, or an answers file. */
export interface Answerer {
  /** Throws InterruptedError on Ctrl-C and TimeUpError when the deadline withdraws the question. */
  ask(item: QuizItem, at: Position): Promise<Response | undefined>;
}

export interface AnswerRecord extends Score {
  position: number;
  item: QuizItem;
  response: Response | undefined;
  timeMs: number;
}

export interface RunHooks {
  now?: () => number;
  /** Called after each answer, before the next question: the caller saves it here. */
  onAnswer?: (record: AnswerRecord) => void | Promise<void>;
  /** Index of the first question to ask (a resumed sitting continues where it stopped). */
  start?: number;
  /** Epoch milliseconds; no question is asked at or after it. */
  deadline?: number;
  limitMs?: number;
}

/** Asks items[start..] in order. Throws TimeUpError when the deadline passes, InterruptedError on Ctrl-C. */
export async function runQuiz(items: readonly QuizItem[], answerer: Answerer, hooks: RunHooks = {}): Promise<AnswerRecord[]> {
  const now = hooks.now ?? Date.now;
  const records: AnswerRecord[] = [];
  for (let index = hooks.start ?? 0; index < items.length; index++) {
    const item = items[index]!;
    const started = now();
    if (hooks.deadline !== undefined && started >= hooks.deadline) throw new TimeUpError();
    const response = await answerer.ask(item, { index, total: items.length, ...(hooks.deadline !== undefined ? { deadline: hooks.deadline, limitMs: hooks.limitMs ?? Infinity } : {}) });
    const record: AnswerRecord = {
      position: index,
      item,
      response,
      timeMs: Math.max(0, now() - started),
      ...scoreResponse(item.question, response),
    };
    records.push(record);
    await hooks.onAnswer?.(record);
  }
  return records;
}
