import { describe, expect, it } from 'vitest';
import { mulberry32, shuffle } from '../../src/engine/rng.js';
import { runQuiz } from '../../src/engine/quiz.js';
import { rightAnswer, scoreResponse } from '../../src/engine/score.js';
import { selectQuestions } from '../../src/engine/select.js';
import { summarize } from '../../src/engine/summary.js';
import { scriptedAnswerer } from '../../src/engine/scripted.js';
import type { Question } from '../../src/bank/types.js';
import { aBank, aQuestion } from '../helpers.js';

const ALL = ['easy', 'medium', 'hard'] as const;

describe('seeded randomness', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = Array.from({ length: 5 }, mulberry32(42));
    expect(Array.from({ length: 5 }, mulberry32(42))).toEqual(a);
    expect(Array.from({ length: 5 }, mulberry32(43))).not.toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('shuffles into a permutation without touching the input', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = shuffle(input, mulberry32(1));
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...out].sort()).toEqual(input);
    expect(out).not.toEqual(input);
  });
});

describe('selectQuestions', () => {
  const banks = [aBank('alpha', 10), aBank('beta', 10), aBank('gamma', 2)];

  it('gives the same questions, order and choice order for the same seed and banks', () => {
    const opts = { topics: ['alpha', 'beta'], count: 6, difficulties: ALL, seed: 7 };
    const a = selectQuestions(banks, opts);
    const b = selectQuestions(
      [...banks].reverse().map((x) => ({ ...x, questions: [...x.questions].reverse() })),
      opts,
    );
    expect(b.map((i) => [i.question.key, i.choiceOrder])).toEqual(a.map((i) => [i.question.key, i.choiceOrder]));
    const other = selectQuestions(banks, { ...opts, seed: 8 });
    expect(other.map((i) => i.question.key)).not.toEqual(a.map((i) => i.question.key));
  });

  it('draws evenly across topics', () => {
    const items = selectQuestions(banks, { topics: ['alpha', 'beta'], count: 8, difficulties: ALL, seed: 3 });
    const per = (t: string): number => items.filter((i) => i.question.topic === t).length;
    expect([per('alpha'), per('beta')]).toEqual([4, 4]);
  });

  it('fills from the other topics when one runs out', () => {
    const items = selectQuestions(banks, { topics: ['alpha', 'gamma'], count: 8, difficulties: ALL, seed: 3 });
    expect(items.filter((i) => i.question.topic === 'gamma')).toHaveLength(2);
    expect(items).toHaveLength(8);
    expect(new Set(items.map((i) => i.question.key)).size).toBe(8);
  });

  it('spreads the remainder across topics over seeds', () => {
    const firsts = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const items = selectQuestions(banks, { topics: ['alpha', 'beta', 'gamma'], count: 1, difficulties: ALL, seed });
      firsts.add(items[0]!.question.topic);
    }
    expect(firsts.size).toBe(3);
  });

  it('filters by difficulty and stops at what exists', () => {
    const mixed = aBank('mixed', [aQuestion({ topic: 'mixed', difficulty: 'easy' }), aQuestion({ topic: 'mixed', difficulty: 'hard' })]);
    const items = selectQuestions([mixed], { topics: ['mixed'], count: 10, difficulties: ['hard'], seed: 1 });
    expect(items.map((i) => i.question.difficulty)).toEqual(['hard']);
  });

  it('shuffles choice order as a permutation of the choices', () => {
    const items = selectQuestions(banks, { topics: ['alpha'], count: 10, difficulties: ALL, seed: 11 });
    for (const i of items) expect([...i.choiceOrder].sort()).toEqual([0, 1, 2]);
    expect(new Set(items.map((i) => i.choiceOrder.join())).size).toBeGreaterThan(1);
  });
});

describe('scoring', () => {
  const multiple = aQuestion({
    type: 'multiple',
    points: 2,
    choices: [
      { text: 'A', correct: true },
      { text: 'B', correct: true },
      { text: 'C', correct: true },
      { text: 'X', correct: false },
      { text: 'Y', correct: false },
    ],
  });

  it.each([
    [['A', 'B', 'C'], 'right', 2],
    [['A', 'B'], 'partial', 1.333],
    [['A'], 'partial', 0.667],
    [['A', 'B', 'C', 'X'], 'partial', 1.333],
    [['A', 'X'], 'wrong', 0],
    [['A', 'X', 'Y'], 'wrong', 0],
    [['A', 'B', 'C', 'X', 'Y'], 'partial', 0.667],
    [[], 'wrong', 0],
  ] as const)('multiple choice %j earns %s %d', (picked, outcome, points) => {
    expect(scoreResponse(multiple, [...picked])).toEqual({ outcome, points, maxPoints: 2 });
  });

  const cases: [string, Question, unknown, string][] = [
    ['single right', aQuestion(), 'Right', 'right'],
    ['single wrong', aQuestion(), 'Wrong A', 'wrong'],
    ['boolean right', aQuestion({ type: 'boolean', answer: false }), false, 'right'],
    ['boolean wrong', aQuestion({ type: 'boolean', answer: false }), true, 'wrong'],
    ['text ignores case and spacing', aQuestion({ type: 'text', accept: ['Retry-After'] }), '  retry-AFTER ', 'right'],
    ['text collapses inner spaces', aQuestion({ type: 'text', accept: ['two phase commit'] }), 'Two   Phase\tCommit', 'right'],
    ['text regex', aQuestion({ type: 'text', accept: ['/^(the )?outbox( pattern)?$/i'] }), 'The Outbox Pattern', 'right'],
    ['text regex miss', aQuestion({ type: 'text', accept: ['/^outbox$/i'] }), 'inbox', 'wrong'],
    ['number exact', aQuestion({ type: 'number', answer: 72, tolerance: 0 }), 72, 'right'],
    ['number within tolerance', aQuestion({ type: 'number', answer: 0.3, tolerance: 0.05 }), 0.35, 'right'],
    ['number outside tolerance', aQuestion({ type: 'number', answer: 100, tolerance: 5 }), 106, 'wrong'],
    ['unanswered', aQuestion(), undefined, 'unanswered'],
  ];
  it.each(cases)('%s', (_name, q, response, outcome) => {
    const s = scoreResponse(q, response as never);
    expect(s.outcome).toBe(outcome);
    expect(s.points).toBe(outcome === 'right' ? q.points : 0);
  });

  it('states the right answer in response form', () => {
    expect(rightAnswer(multiple)).toEqual(['A', 'B', 'C']);
    expect(rightAnswer(aQuestion({ type: 'text', accept: ['/x/i', 'Plain'] }))).toBe('Plain');
  });
});

describe('runQuiz and summarize', () => {
  it('scores each answer, reports it as it is given, and summarizes per topic', async () => {
    const banks = [aBank('alpha', 2), aBank('beta', 2)];
    const items = selectQuestions(banks, { topics: ['alpha', 'beta'], count: 4, difficulties: ALL, seed: 5 });
    const answers = new Map(items.filter((i) => i.question.topic === 'alpha').map((i) => [i.question.key, 'Right']));
    let t = 0;
    const seen: number[] = [];
    const records = await runQuiz(items, scriptedAnswerer(answers), {
      now: () => (t += 1000),
      onAnswer: (r) => void seen.push(r.position),
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(records.every((r) => r.timeMs === 1000)).toBe(true);
    const summary = summarize(records.map((r) => ({ ...r, topic: r.item.question.topic, difficulty: r.item.question.difficulty })));
    expect(summary).toMatchObject({ score: 2, maxScore: 4, percent: 50, right: 2, questions: 4 });
    expect(summary.topics).toEqual({
      alpha: { score: 2, maxScore: 2, percent: 100, questions: 2, right: 2 },
      beta: { score: 0, maxScore: 2, percent: 0, questions: 2, right: 0 },
    });
  });
});

describe('runQuiz with an item source', () => {
  it('asks what the source gives, after the previous answer, until it gives nothing', async () => {
    const pool = aBank('alpha', 5).questions;
    const log: string[] = [];
    const positions: { index: number; total: number; adaptive?: boolean }[] = [];
    const source = {
      most: 4,
      next(index: number) {
        log.push(`next ${index}`);
        return index < 3 ? { question: pool[index]!, choiceOrder: [0, 1, 2] } : undefined;
      },
    };
    const answerer = {
      async ask(_item: unknown, at: { index: number; total: number; adaptive?: boolean }) {
        positions.push(at);
        return 'Right';
      },
    };
    const records = await runQuiz(source, answerer, { onAnswer: (r) => void log.push(`answer ${r.position}`) });
    expect(records).toHaveLength(3);
    expect(log).toEqual(['next 0', 'answer 0', 'next 1', 'answer 1', 'next 2', 'answer 2', 'next 3']);
    expect(positions).toEqual([0, 1, 2].map((index) => ({ index, total: 4, adaptive: true })));
  });
});
