import { describe, expect, it } from 'vitest';
import { runQuiz, type Answerer } from '../../src/engine/quiz.js';
import type { Response, TaskResponse } from '../../src/engine/score.js';
import type { QuizItem } from '../../src/engine/select.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

const item = (question: QuizItem['question']): QuizItem => ({ question, choiceOrder: [] });
const answering = (responses: (Response | undefined)[]): Answerer => {
  let i = 0;
  return { ask: () => Promise.resolve(responses[i++]) };
};
const allPass: TaskResponse['grade'] = { tests: [{ name: 'forged', hidden: false, weight: 1, passed: true }] };

describe('runQuiz grades tasks by running them', () => {
  it('scores a task as the share of test weight its answer passes, replacing any grade it came with', async () => {
    const task = aCodeTask({ points: 4 });
    // Passes the two visible tests (weight 1 each), fails the hidden one (weight 2) past 2^31.
    const answer = 'function add(a, b) { return (a + b) | 0; }';
    const [r] = await runQuiz([item(task)], answering([{ answer, runs: 2, grade: allPass }]));
    const response = r!.response as TaskResponse;
    expect(response.grade!.tests.map((t) => [t.hidden, t.passed])).toEqual([
      [false, true],
      [false, true],
      [true, false],
    ]);
    expect(response.runs).toBe(2);
    expect(r!.outcome).toBe('partial');
    expect(r!.points).toBe(2);
  });

  it('grades a SQL task on every data set, the hidden ones included', async () => {
    const task = aSqlTask();
    // The visible sample's answer typed in: the hidden data sets fail it.
    const copied = "SELECT 'Ada', 2 UNION ALL SELECT 'Linus', 0";
    const [right, wrong] = await runQuiz([item(task), item(aSqlTask())], answering([{ answer: task.solution }, { answer: copied }]));
    expect(right!.outcome).toBe('right');
    expect(wrong!.outcome).toBe('partial');
    expect((wrong!.response as TaskResponse).grade!.tests.map((t) => `${t.name}: ${t.passed}`)).toEqual([
      'sample data: true',
      'no orders at all: false',
      'many customers: false',
    ]);
    expect(wrong!.points).toBe(0.75);
  });

  it('keeps no grade for a sealed task: the interviewer grades it on import', async () => {
    const [r] = await runQuiz([item({ ...aCodeTask(), sealed: true })], answering([{ answer: 'function add() {}', grade: allPass }]));
    expect(r!.response).toEqual({ answer: 'function add() {}' });
    expect(r!.outcome).toBe('ungraded');
  });

  it('leaves a skipped task unanswered', async () => {
    const [r] = await runQuiz([item(aCodeTask())], answering([undefined]));
    expect(r!.outcome).toBe('unanswered');
  });
});
