import { describe, expect, it } from 'vitest';
import { parseBank } from '../../src/bank/parse.js';
import { formatProblem } from '../../src/bank/types.js';
import { patternMatches, patternProblem } from '../../src/engine/pattern.js';
import { scoreResponse } from '../../src/engine/score.js';
import { aQuestion } from '../helpers.js';

const textBank = (accept: string): string =>
  `bank: re\ntitle: T\nquestions:\n  - id: q\n    type: text\n    difficulty: easy\n    prompt: x\n    explanation: y\n    accept: ['${accept}']\n`;

describe('accept patterns run in linear time', () => {
  it('/^(a+)+$/ against "aaaa…ab" (34 a\'s) answers at once instead of hanging (ReDoS)', () => {
    const q = aQuestion({ type: 'text', accept: ['/^(a+)+$/'] });
    // A backtracking engine takes minutes here, and the test's time limit fails it; RE2 takes
    // microseconds. Not measured: a timing would fail on a busy machine.
    expect(scoreResponse(q, `${'a'.repeat(34)}b`).outcome).toBe('wrong');
    expect(scoreResponse(q, 'a'.repeat(10_000)).outcome).toBe('right');
  });

  it('keeps the flags i, m, s and u', () => {
    expect(patternMatches('^ab$', 'i', 'AB')).toBe(true);
    expect(patternMatches('^b$', 'm', 'a\nb')).toBe(true);
    expect(patternMatches('^b$', '', 'a\nb')).toBe(false);
    expect(patternMatches('a.b', 's', 'a\nb')).toBe(true);
    expect(patternMatches('a.b', '', 'a\nb')).toBe(false);
    expect(patternMatches('^.$', 'u', 'é')).toBe(true);
  });

  it.each([
    ['(a)\\1', /invalid escape sequence: `\\1` at character 4 of the pattern/],
    ['(?=x)y', /invalid or unsupported Perl syntax: `\(\?=` at character 1 of the pattern/],
  ])('validate reports /%s/, which RE2 cannot run, at its position', (pattern, message) => {
    const { problems } = parseBank(textBank(`/${pattern}/`), 'b.yaml');
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0]!)).toMatch(/^b\.yaml:9:14: invalid regular expression /);
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.message).toContain('accept patterns run on RE2');
  });

  it('passes the ReDoS pattern itself: it is harmless on RE2', () => {
    expect(parseBank(textBank('/^(a+)+$/'), 'b.yaml').problems).toEqual([]);
    expect(patternProblem('^(a+)+$', '')).toBeUndefined();
  });
});
