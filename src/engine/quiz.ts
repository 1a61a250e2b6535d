import type { QuizItem } from './select.js';
import { scoreResponse, type Response, type Score } from './score.js';

export interface Position {
  index: number; // 0-based
  total: number;
}

/** Where answers come from: a person at a terminal, or an answers file. */
export interface Answerer {
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
}

export async function runQuiz(items: readonly QuizItem[], answerer: Answerer, hooks: RunHooks = {}): Promise<AnswerRecord[]> {
  const now = hooks.now ?? Date.now;
  const records: AnswerRecord[] = [];
  for (const [index, item] of items.entries()) {
    const started = now();
    const response = await answerer.ask(item, { index, total: items.length });
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
