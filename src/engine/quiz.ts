import { TimeUpError } from '../errors.js';
import type { QuizItem } from './select.js';
import { isTask } from '../bank/types.js';
import { isTaskResponse, scoreResponse, type Response, type Score } from './score.js';

export interface Position {
  index: number; // 0-based
  /** Questions in the sitting; for an adaptive one, the most it may ask. */
  total: number;
  /** The sitting chooses each question as it goes, so the total is not known in advance. */
  adaptive?: boolean;
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

/**
 * Questions chosen one at a time (an adaptive sitting): `next` gets the index of the question to
 * ask and returns it, or undefined to end the sitting. It runs after the previous answer was stored.
 */
export interface ItemSource {
  next(index: number): QuizItem | undefined;
  /** The most questions it will ask, shown as the total. */
  readonly most: number;
}

/** Asks items[start..] in order. Throws TimeUpError when the deadline passes, InterruptedError on Ctrl-C. */
export async function runQuiz(items: readonly QuizItem[] | ItemSource, answerer: Answerer, hooks: RunHooks = {}): Promise<AnswerRecord[]> {
  const now = hooks.now ?? Date.now;
  const records: AnswerRecord[] = [];
  const source: ItemSource = 'next' in items ? items : { next: (i) => items[i], most: items.length };
  const adaptive = 'next' in items ? { adaptive: true } : {};
  for (let index = hooks.start ?? 0; ; index++) {
    const item = source.next(index);
    if (!item) break;
    const started = now();
    if (hooks.deadline !== undefined && started >= hooks.deadline) throw new TimeUpError();
    const asked = await answerer.ask(item, {
      index,
      total: source.most,
      ...adaptive,
      ...(hooks.deadline !== undefined ? { deadline: hooks.deadline, limitMs: hooks.limitMs ?? Infinity } : {}),
    });
    const timeMs = Math.max(0, now() - started);
    const response = await graded(item, asked);
    const record: AnswerRecord = {
      position: index,
      item,
      response,
      timeMs,
      ...scoreResponse(item.question, response),
    };
    records.push(record);
    await hooks.onAnswer?.(record);
  }
  return records;
}

/**
 * A task's answer graded by running it against all its tests; any grade that came with it is
 * replaced. A sealed task is graded by the interviewer on import, so it keeps none. The engines
 * load here, on the first task, and never for a quiz without one.
 */
export async function graded(item: QuizItem, response: Response | undefined): Promise<Response | undefined> {
  const q = item.question;
  if (!isTask(q) || !isTaskResponse(response)) return response;
  const { grade: _dropped, ...answer } = response;
  if (q.sealed) return answer;
  const { runTask, gradeOf } = await import('../tasks/index.js');
  return { ...answer, grade: gradeOf(await runTask(q, answer.answer, { hidden: true })) };
}
