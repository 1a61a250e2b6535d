import { InterruptedError, TimeUpError } from '../errors.js';
import type { Answerer } from './quiz.js';
import type { Response } from './score.js';

/** Answers from a file: a question missing from it is unanswered. Never prompts. */
export function scriptedAnswerer(answers: ReadonlyMap<string, Response>, signal?: AbortSignal): Answerer {
  return {
    async ask(item) {
      if (signal?.aborted)
        throw signal.reason instanceof TimeUpError || signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError();
      return answers.get(item.question.key);
    },
  };
}
