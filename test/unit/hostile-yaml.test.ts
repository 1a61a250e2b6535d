// Pathological YAML found by mutating the real banks and answers files: each gives a few
// problems with positions, quickly, and never throws.
import { describe, expect, it } from 'vitest';
import { parseAnswers } from '../../src/bank/answers.js';
import { MAX_BANK_BYTES, parseBank } from '../../src/bank/parse.js';
import { formatProblem } from '../../src/bank/types.js';
import { parseAssessment } from '../../src/assessment/definition.js';
import { MAX_DEPTH, MAX_PROBLEMS, MAX_VALUES, readYaml } from '../../src/yaml.js';
import { aQuestion } from '../helpers.js';

const deepBlock = (n: number): string => `bank: x\ntitle: T\nquestions:\n  ${'- '.repeat(n)}x\n`;
const deepFlow = (n: number): string => `bank: x\ntitle: T\nquestions: ${'['.repeat(n)}${']'.repeat(n)}\n`;
const manyKeys = (n: number, prefix = 'k'): string => Array.from({ length: n }, (_, i) => `${prefix}${i}: v`).join('\n');
const questions = new Map(
  [aQuestion({ topic: 't', id: 'word', type: 'text', accept: ['x'] }), aQuestion({ topic: 't', id: 'one' })].map(
    (q) => [q.key, q] as const,
  ),
);

describe('banks', () => {
  it.each([
    ['3,000 nested "- "', deepBlock(3000)],
    ['3,000 nested flow sequences', deepFlow(3000)],
    ['3,000 nested flow mappings', `bank: ${'{a: '.repeat(3000)}${'}'.repeat(3000)}\n`],
  ])('%s: one problem at the level that is too deep, not a stack overflow', (_name, text) => {
    const { problems, omitted } = parseBank(text, 'deep.yaml');
    expect(problems).toHaveLength(1);
    expect(omitted).toBeUndefined();
    expect(formatProblem(problems[0]!)).toMatch(
      new RegExp(`^deep\\.yaml:[134]:\\d+: nesting deeper than ${MAX_DEPTH} levels; a bank never needs more than a few`),
    );
  });

  it('nesting up to the limit is read as usual, one level more is refused', () => {
    // The bank's mapping is the first level.
    expect(parseBank(deepFlow(MAX_DEPTH - 1), 'ok.yaml').problems.map((p) => p.message)).toEqual([
      'each question must be a mapping, got a list',
    ]);
    expect(parseBank(deepFlow(MAX_DEPTH), 'ok.yaml').problems[0]!.message).toMatch(/^nesting deeper than/);
  });

  it('1.9 MB of "}" gives 20 syntax errors and a line that says reading stopped', () => {
    const { problems } = parseBank('}'.repeat(1_900_000), 'braces.yaml');
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.slice(0, MAX_PROBLEMS).every((p) => p.message.startsWith('YAML syntax error'))).toBe(true);
    expect(problems.at(-1)!.message).toBe(`YAML reading stopped after ${MAX_PROBLEMS} syntax errors; fix these first`);
  });

  it('80,000 keys in one mapping: one problem, found before the parser builds anything', () => {
    const { problems } = parseBank(manyKeys(80_000), 'keys.yaml');
    expect(problems.map((p) => p.message)).toEqual([
      `more than ${MAX_VALUES.toLocaleString('en')} values (entries, keys and scalars); a bank is never that dense, so the file was not read further`,
    ]);
  });

  // Duplicate keys are found with a set per mapping: the yaml package's own check compared every
  // key with every other (80,000 keys took 71 s).
  it('35,000 keys in one mapping: the first 20 problems and a count of the rest', () => {
    const { problems, omitted } = parseBank(manyKeys(35_000), 'keys.yaml');
    expect(problems).toHaveLength(MAX_PROBLEMS);
    // In the order of the file: the missing fields are reported at the mapping, where k0 also starts.
    expect(problems.map((p) => p.message).filter((m) => m.startsWith('unknown field'))[0]).toMatch(/^unknown field 'k0' in the bank/);
    // 35,000 unknown fields and three missing required ones, less the 20 shown.
    expect(omitted).toBe(35_000 + 3 - MAX_PROBLEMS);
  });

  it('35,000 keys with a duplicate among them: the duplicate is found at its position', () => {
    const { problems } = parseBank(`${manyKeys(35_000)}\nk34999: again\n`, 'dup.yaml');
    expect(problems.map(formatProblem)).toEqual(["dup.yaml:35001:1: duplicate key 'k34999'; each key may appear once in a mapping"]);
  });
});

describe('flow collections on one line', () => {
  // Each ":" of a flow mapping was counted as a level of nesting: JSON.stringify's one-line
  // answers file for 127 questions was refused as "nesting deeper than 64 levels".
  it('many entries of a one-line flow mapping or sequence are one level, not one per entry', () => {
    const entry = '{a: [1, 2], b: {c: 1}}';
    for (const text of [
      `{${Array.from({ length: 300 }, (_, i) => `k${i}: ${entry}`).join(', ')}}`,
      `[${Array.from({ length: 300 }, () => entry).join(', ')}]`,
      `top: {${Array.from({ length: 300 }, (_, i) => `k${i}: ${entry}`).join(', ')}}`,
      `- [${Array.from({ length: 300 }, () => entry).join(', ')}]`,
    ])
      expect(readYaml(text, 'flow.yaml', { maxBytes: MAX_BANK_BYTES, what: 'a file' }).problems.list).toEqual([]);
  });

  it('a one-line JSON answers file for 300 questions is read', () => {
    const many = new Map(Array.from({ length: 300 }, (_, i) => aQuestion({ topic: 't', id: `q${i}` })).map((q) => [q.key, q] as const));
    const text = JSON.stringify(Object.fromEntries([...many.keys()].map((k) => [k, 'Right'])));
    const { answers, problems } = parseAnswers(text, 'a.yaml', many);
    expect(problems).toEqual([]);
    expect(answers.size).toBe(300);
  });

  // Without commas the ":" do nest, once each, in the parser's stack.
  it('"{a: a: a: …}" 20,000 times: one problem, not a stack overflow', () => {
    const { problems } = readYaml(`{${'a: '.repeat(20_000)}x}`, 'deep.yaml', { maxBytes: MAX_BANK_BYTES, what: 'a file' });
    expect(problems.list.map((p) => p.message)).toEqual([expect.stringMatching(/^nesting deeper than 64 levels/)]);
  });
});

describe('answers files', () => {
  it('nested answers are a problem with a position, not a crash', () => {
    // The last one overflowed the yaml package's parser itself, which recurses per level.
    for (const text of [
      `t/one: ${'['.repeat(5000)}${']'.repeat(5000)}`,
      `${'- '.repeat(4000)}t/one: Right`,
      `t/one:\n${'  - '.repeat(1)}${'- '.repeat(4000)}x`,
      `t/one: [[[Right]]]`,
    ]) {
      const { problems } = parseAnswers(text, 'a.yaml', questions);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems[0]!.file).toBe('a.yaml');
    }
  });

  it('35,000 keys: 20 problems and a count of the rest, in linear time', () => {
    const { problems, omitted } = parseAnswers(manyKeys(35_000, 't/k'), 'a.yaml', questions);
    expect(problems).toHaveLength(MAX_PROBLEMS);
    expect(omitted).toBe(35_000 - MAX_PROBLEMS);
  });

  it('a million keys: one problem, quickly', () => {
    expect(
      parseAnswers(manyKeys(1_000_000, 't/k').slice(0, 2 * 1024 * 1024 - 10), 'a.yaml', questions).problems.map((p) => p.message),
    ).toEqual([expect.stringMatching(/^more than 120,000 values/)]);
  });

  it('a text answer longer than a typed one may be is refused, as at the terminal', () => {
    const long = parseAnswers(`t/word: ${'a'.repeat(501)}`, 'a.yaml', questions);
    expect(long.problems.map(formatProblem)).toEqual([
      'a.yaml:1:9: the answer to t/word has 501 characters; an answer may have at most 500',
    ]);
    expect(long.answers.size).toBe(0);
    expect(parseAnswers(`t/word: ${'a'.repeat(500)}`, 'a.yaml', questions).answers.get('t/word')).toHaveLength(500);
  });

  it('a file over the size limit is refused before parsing', () => {
    const { problems } = parseAnswers(`t/word: ${'a'.repeat(3 * 1024 * 1024)}`, 'a.yaml', questions);
    expect(problems.map((p) => p.message)).toEqual(['file is too large (3.0 MB); an answers file may be at most 2.0 MB']);
  });

  it('aliases are refused', () => {
    expect(parseAnswers('t/one: &a Right\nt/word: *a', 'a.yaml', questions).problems[0]!.message).toMatch(/aliases/);
  });
});

describe('assessment files share the limits', () => {
  it('deep nesting and many problems', () => {
    expect(
      parseAssessment(`assessment: a\ntitle: T\nsections: ${'['.repeat(200)}${']'.repeat(200)}`, 'a.yaml').problems[0]!.message,
    ).toMatch(/nesting deeper than 64 levels; an assessment never/);
    expect(parseAssessment('}'.repeat(10_000), 'a.yaml').problems).toHaveLength(MAX_PROBLEMS + 1);
  });
});
