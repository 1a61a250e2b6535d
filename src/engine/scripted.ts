import { InterruptedError, TimeUpError } from '../errors.js';
import type { Answerer } from './quiz.js';
import { isTaskResponse, type Response } from './score.js';

/** Answers from a file: a question missing from it is unanswered. Never prompts. */
export function scriptedAnswerer(answers: ReadonlyMap<string, Response>, signal?: AbortSignal): Answerer {
  return {
    async ask(item) {
      if (signal?.aborted)
        throw signal.reason instanceof TimeUpError || signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError();
      const r = answers.get(item.question.key);
      // A task's answer is a fresh object each time: runQuiz adds the grade to what it is given.
      return isTaskResponse(r) ? { answer: r.answer } : r;
    },
  };
}
