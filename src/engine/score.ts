import type { Choice, ChoiceQuestion, Question } from '../bank/types.js';
import { parseRegexEntry } from '../bank/parse.js';
import { normalizeAnswer } from '../text.js';
import { patternMatches } from './pattern.js';
import { round } from './summary.js';

/** The longest text answer a candidate may type, give in an answers file or send in a result file. */
export const MAX_TEXT_ANSWER = 500;

/** One test of a task as graded: a SQL data set or a code test. */
export interface TestOutcome {
  name: string;
  hidden: boolean;
  weight: number;
  passed: boolean;
  /** Why it failed, in one line ("time limit 2 s exceeded", "row 3 differs", the engine's error). */
  reason?: string;
}

/** A task's tests as graded by running the answer; its share of weight passed is the credit. */
export interface TaskGrade {
  tests: TestOutcome[];
}

/** A task's answer: the query or code as submitted, how often it was run before, and its grade. */
export interface TaskResponse {
  answer: string;
  runs?: number;
  /** Absent until graded (a sealed sitting is graded by the interviewer on import). */
  grade?: TaskGrade;
}

/** What a candidate gave: the choice text, a list of choice texts, true/false, text, a number or a task's answer. */
export type Response = string | string[] | boolean | number | TaskResponse;

export function isTaskResponse(r: Response | undefined): r is TaskResponse {
  return typeof r === 'object' && r !== null && !Array.isArray(r);
}

/** Share of a task's test weight passed, 0..1. */
export function taskCredit(grade: TaskGrade): number {
  const total = grade.tests.reduce((n, t) => n + t.weight, 0);
  return total > 0 ? grade.tests.reduce((n, t) => n + (t.passed ? t.weight : 0), 0) / total : 0;
}

/** ungraded: answered in a sealed sitting; the interviewer grades it on import. */
export type Outcome = 'right' | 'partial' | 'wrong' | 'unanswered' | 'ungraded';

export interface Score {
  outcome: Outcome;
  points: number;
  maxPoints: number;
}

function textMatches(accept: readonly string[], given: string): boolean {
  const norm = normalizeAnswer(given);
  return accept.some((a) => {
    const re = parseRegexEntry(a);
    return re ? patternMatches(re.pattern, re.flags, given.trim()) : normalizeAnswer(a) === norm;
  });
}

/**
 * Single, boolean, text and number are all-or-nothing. Multiple choice earns partial credit:
 * max(0, (right picked - wrong picked) / right total) x points, so guessing every box earns nothing.
 */
export function scoreResponse(q: Question, response: Response | undefined): Score {
  const maxPoints = q.points;
  if (response === undefined) return { outcome: 'unanswered', points: 0, maxPoints };
  if (q.sealed) return { outcome: 'ungraded', points: 0, maxPoints };
  const allOrNothing = (ok: boolean): Score => ({ outcome: ok ? 'right' : 'wrong', points: ok ? maxPoints : 0, maxPoints });
  switch (q.type) {
    case 'single':
      return allOrNothing(typeof response === 'string' && q.choices.some((c) => c.correct && c.text === response));
    case 'multiple': {
      const picked = new Set(Array.isArray(response) ? response : []);
      const right = q.choices.filter((c) => c.correct);
      const rightPicked = right.filter((c) => picked.has(c.text)).length;
      const wrongPicked = q.choices.filter((c) => !c.correct && picked.has(c.text)).length;
      const credit = Math.max(0, (rightPicked - wrongPicked) / right.length);
      const outcome: Outcome = credit >= 1 ? 'right' : credit > 0 ? 'partial' : 'wrong';
      return { outcome, points: round(credit * maxPoints, 3), maxPoints };
    }
    case 'boolean':
      return allOrNothing(response === q.answer);
    case 'text':
      return allOrNothing(typeof response === 'string' && textMatches(q.accept, response));
    case 'number':
      // The epsilon absorbs binary floating point (0.1 + 0.2) in answers given with a tolerance.
      return allOrNothing(typeof response === 'number' && Math.abs(response - q.answer) <= q.tolerance + 1e-9);
    case 'sql':
    case 'code': {
      // A task is graded by running it (src/tasks) before it is scored; here its grade becomes points.
      if (!isTaskResponse(response)) return { outcome: 'wrong', points: 0, maxPoints };
      if (!response.grade) return { outcome: 'ungraded', points: 0, maxPoints };
      const credit = taskCredit(response.grade);
      const outcome: Outcome = credit >= 1 ? 'right' : credit > 0 ? 'partial' : 'wrong';
      return { outcome, points: round(credit * maxPoints, 3), maxPoints };
    }
  }
}

/** A question's choices in the order they were shown (`choiceOrder`), or as the bank lists them. */
export function shownChoices(q: ChoiceQuestion, choiceOrder?: readonly number[]): Choice[] {
  return choiceOrder?.length === q.choices.length ? choiceOrder.map((i) => q.choices[i]!) : q.choices;
}

/**
 * The right answer in the same shape as a response, for reviews and reports. Given the order the
 * choices were shown in, a multiple-choice answer lists them in that order, as the candidate saw them.
 */
export function rightAnswer(q: Question, choiceOrder?: readonly number[]): Response {
  switch (q.type) {
    case 'single':
      return q.choices.find((c) => c.correct)!.text;
    case 'multiple':
      return shownChoices(q, choiceOrder)
        .filter((c) => c.correct)
        .map((c) => c.text);
    case 'boolean':
      return q.answer;
    case 'text':
      return q.accept.find((a) => !parseRegexEntry(a)) ?? q.accept[0]!;
    case 'number':
      return q.answer;
    case 'sql':
    case 'code':
      return q.solution;
  }
}
