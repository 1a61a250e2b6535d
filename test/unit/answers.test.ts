import { describe, expect, it } from 'vitest';
import { parseAnswers } from '../../src/bank/answers.js';
import { formatProblem, type Question } from '../../src/bank/types.js';
import { aQuestion } from '../helpers.js';

const qs: Question[] = [
  aQuestion({ topic: 't', id: 'one' }),
  aQuestion({ topic: 't', id: 'many', type: 'multiple' }),
  aQuestion({ topic: 't', id: 'yes', type: 'boolean', answer: true }),
  aQuestion({ topic: 't', id: 'word', type: 'text', accept: ['x'] }),
  aQuestion({ topic: 't', id: 'num', type: 'number', answer: 3, tolerance: 0 }),
];
const byKey = new Map(qs.map((q) => [q.key, q]));

describe('answers files', () => {
  it('reads YAML into canonical responses (choice text matched without case)', () => {
    const { answers, problems } = parseAnswers(
      `t/one: right\nt/many: [Right, wrong a]\nt/yes: false\nt/word: 404\nt/num: 2.5\n`,
      'a.yaml',
      byKey,
    );
    expect(problems).toEqual([]);
    expect(Object.fromEntries(answers)).toEqual({
      't/one': 'Right',
      't/many': ['Right', 'Wrong A'],
      't/yes': false,
      't/word': '404',
      't/num': 2.5,
    });
  });

  it('reads JSON too, and treats an empty value as unanswered', () => {
    const { answers, problems } = parseAnswers(`{"t/one": "Right", "t/num": null}`, 'a.json', byKey);
    expect(problems).toEqual([]);
    expect([...answers.keys()]).toEqual(['t/one']);
  });

  it.each([
    ['t/nope: x', "a.yaml:1:1: no question 't/nope' in the loaded banks"],
    ['t/one: Maybe', `a.yaml:1:8: 'Maybe' is not a choice of t/one; the choices are "Right", "Wrong A", "Wrong B"`],
    ['t/one: [Right]', 'a.yaml:1:8: t/one is single choice: give one choice text, not a list'],
    ['t/yes: sure', 'a.yaml:1:8: t/yes takes true or false'],
    ['t/num: many', 'a.yaml:1:8: t/num takes a number'],
    ['\n\nt/many: [Right, Nope]', "a.yaml:3:9: 'Nope' is not a choice of t/many"],
    ['- just a list', 'a.yaml:1:1: an answers file maps question keys'],
    ['t/one: [unclosed', 'a.yaml:1:17: YAML syntax error'],
  ])('%j -> %s', (text, message) => {
    const { problems } = parseAnswers(text, 'a.yaml', byKey);
    expect(problems.map(formatProblem)[0]).toContain(message);
  });
});
