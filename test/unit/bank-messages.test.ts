// Every message the bank parser gives, with its position, from inline YAML: the wording users
// see is part of the format, so a change to how banks are checked must keep it (or change it on purpose).
import { describe, expect, it } from 'vitest';
import { parseBank } from '../../src/bank/parse.js';

// each case: [name, questionYaml or full yaml]
const Q = (body: string): string =>
  `bank: b\ntitle: T\nquestions:\n  - id: q1\n    type: single\n    difficulty: easy\n    prompt: P\n${body}`;
const B = (q: string): string => `bank: b\ntitle: T\nquestions:\n  - id: q1\n${q}`;

const cases: [string, string, string[]][] = [
  ['bank is not a mapping', `- a\n- b\n`, ['1:1 a bank must be a mapping with bank, title, description, questions; got a list']],
  [
    'unknown field in the bank',
    `bank: b\ntitle: T\nowner: x\nquestions:\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n`,
    ["3:1 unknown field 'owner' in the bank (allowed: bank, title, description, questions)"],
  ],
  [
    'bank missing title',
    `bank: b\nquestions:\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n`,
    ["1:1 the bank is missing required field 'title'"],
  ],
  ['bank missing questions', `bank: b\ntitle: T\n`, ["1:1 the bank is missing required field 'questions'"]],
  ['questions empty', `bank: b\ntitle: T\nquestions: []\n`, ["3:12 'questions' must be a non-empty list"]],
  ['questions not a list', `bank: b\ntitle: T\nquestions: many\n`, ["3:12 'questions' must be a non-empty list"]],
  [
    'title a number',
    `bank: b\ntitle: 5\nquestions:\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n`,
    ['2:8 \'title\' must be text, got the number 5 (put it in quotes: "5")'],
  ],
  [
    'title blank',
    `bank: b\ntitle: "  "\nquestions:\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n`,
    ["2:8 'title' is empty; write the title"],
  ],
  [
    'description blank',
    `bank: b\ntitle: T\ndescription: " "\nquestions:\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n`,
    ["3:14 'description' is empty; write the description"],
  ],
  [
    'bank id not kebab',
    `bank: Bad_ID\ntitle: T\nquestions:\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n`,
    ["1:7 'bank' must be kebab-case (lowercase letters, digits and single hyphens), got 'Bad_ID'"],
  ],
  ['question not a mapping', `bank: b\ntitle: T\nquestions:\n  - just text\n`, ['4:5 each question must be a mapping, got text']],
  [
    'question missing difficulty',
    B(`    type: boolean\n    prompt: P\n    answer: true\n`),
    ["4:5 question is missing required field 'difficulty'"],
  ],
  [
    'question id empty',
    `bank: b\ntitle: T\nquestions:\n  - id: ""\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n`,
    ["4:9 'id' is empty; write the id"],
  ],
  [
    'unknown type',
    B(`    type: essay\n    difficulty: easy\n    prompt: P\n`),
    ["5:11 'type' must be one of single, multiple, boolean, text, number, sql, code; got 'essay'"],
  ],
  [
    'difficulty not allowed',
    B(`    type: boolean\n    difficulty: extreme\n    prompt: P\n    answer: true\n`),
    ["6:17 'difficulty' must be one of easy, medium, hard; got 'extreme'"],
  ],
  [
    'unknown field in a question',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    hint: h\n`),
    [
      "9:5 unknown field 'hint' in boolean question 'q1' (allowed: id, type, difficulty, prompt, explanation, references, checked, tags, points, answer)",
    ],
  ],
  [
    'field of another type',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    accept: [x]\n`),
    [
      "9:5 unknown field 'accept' in boolean question 'q1' (allowed: id, type, difficulty, prompt, explanation, references, checked, tags, points, answer)",
    ],
  ],
  [
    'prompt a number',
    B(`    type: boolean\n    difficulty: easy\n    prompt: 42\n    answer: true\n`),
    ['7:13 \'prompt\' must be text, got the number 42 (put it in quotes: "42")'],
  ],
  [
    'explanation blank',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    explanation: "  "\n`),
    ["9:18 'explanation' is empty; write the explanation"],
  ],
  [
    'references not a list',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    references: https://example.org\n`),
    ["9:17 'references' must be a list, got text"],
  ],
  [
    'reference not http',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    references: [ftp://example.org/x]\n`),
    ["9:18 reference 'ftp://example.org/x' is not an http(s) URL"],
  ],
  [
    'tag a number',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    tags: [7]\n`),
    ['9:12 each entry of \'tags\' must be text, got the number 7 (put it in quotes: "7")'],
  ],
  [
    'points zero',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    points: 0\n`),
    ["9:13 'points' must be a positive number, got the number 0"],
  ],
  [
    'points text',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    points: many\n`),
    ["9:13 'points' must be a positive number, got text"],
  ],
  [
    'checked malformed',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    checked: 2026-13\n`),
    ["9:14 'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got '2026-13'"],
  ],
  [
    'checked a list',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    checked: [2026-01]\n`),
    ["9:14 'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got a list"],
  ],
  [
    'checked in the future',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    checked: 2027-01\n`),
    ["9:14 'checked' is 2027-01, after this month (2026-12); write the month the facts were last checked"],
  ],
  ['choices missing', Q(''), ["4:5 a single-choice question needs 'choices'"]],
  ['choices not a list', Q(`    choices: a\n`), ["8:14 'choices' must be a list, got text"]],
  [
    'choice not a mapping',
    Q(`    choices:\n      - a\n      - text: b\n        correct: true\n`),
    ["9:9 each choice must be a mapping with 'text' (and 'correct: true' for right ones), got text"],
  ],
  [
    'choice unknown field',
    Q(`    choices:\n      - text: a\n        correct: true\n        note: n\n      - text: b\n`),
    ["11:9 unknown field 'note' in a choice (allowed: text, correct, why)"],
  ],
  ['choice missing text', Q(`    choices:\n      - correct: true\n      - text: b\n`), ["9:9 choice is missing required field 'text'"]],
  [
    'choice text a number',
    Q(`    choices:\n      - text: 404\n        correct: true\n      - text: b\n`),
    ['9:15 \'text\' must be text, got the number 404 (put it in quotes: "404")'],
  ],
  [
    'choice why blank',
    Q(`    choices:\n      - text: a\n        correct: true\n        why: " "\n      - text: b\n`),
    ["11:14 'why' is empty; write the why"],
  ],
  [
    'choice correct not boolean',
    Q(`    choices:\n      - text: a\n        correct: yes\n      - text: b\n`),
    ["10:18 'correct' must be true or false, got text"],
  ],
  [
    'duplicate choice text',
    Q(`    choices:\n      - text: a\n        correct: true\n      - text: " A"\n`),
    ["11:15 duplicate choice text 'A'; every choice must differ"],
  ],
  [
    'one choice only',
    Q(`    choices:\n      - text: a\n        correct: true\n`),
    ['9:7 a single-choice question needs at least 2 choices, has 1'],
  ],
  [
    'single no correct',
    Q(`    choices:\n      - text: a\n      - text: b\n`),
    ["9:7 single-choice question has no correct answer; mark exactly one choice 'correct: true'"],
  ],
  [
    'single two correct',
    Q(`    choices:\n      - text: a\n        correct: true\n      - text: b\n        correct: true\n`),
    ['9:7 single-choice question has 2 correct answers; mark exactly one (or use type: multiple)'],
  ],
  [
    'multiple no correct',
    B(`    type: multiple\n    difficulty: easy\n    prompt: P\n    choices:\n      - text: a\n      - text: b\n`),
    ["9:7 multiple-choice question has no correct answer; mark at least one choice 'correct: true'"],
  ],
  [
    'boolean answer missing',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n`),
    ["4:5 a boolean question needs 'answer: true' or 'answer: false'"],
  ],
  [
    'boolean answer text',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: "yes"\n`),
    ["8:13 'answer' of a boolean question must be true or false, got text"],
  ],
  [
    'text accept missing',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n`),
    ["4:5 a text question needs 'accept': a list of accepted answers"],
  ],
  [
    'text accept not a list',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n    accept: x\n`),
    ["8:13 'accept' must be a list, got text"],
  ],
  [
    'text accept empty',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n    accept: []\n`),
    ["8:13 'accept' is empty; list at least one accepted answer"],
  ],
  [
    'text accept entry blank',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n    accept: [" "]\n`),
    ['8:14 an accepted answer is empty'],
  ],
  [
    'text accept entry a number',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n    accept: [3]\n`),
    ['8:14 each entry of \'accept\' must be text, got the number 3 (put it in quotes: "3")'],
  ],
  [
    'regex too long',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n    accept: ["/${'a'.repeat(501)}/"]\n`),
    ['8:14 regular expression is longer than 500 characters'],
  ],
  [
    'regex bad flags',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n    accept: ["/a/g"]\n`),
    ["8:14 regular expression flags 'g' are not allowed; use only i, m, s, u"],
  ],
  [
    'regex invalid',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n    accept: ["/(a/"]\n`),
    [
      '8:14 invalid regular expression /(a/: missing closing ): `(a` at character 1 of the pattern; accept patterns run on RE2 (linear time), which has no back-references or lookaround',
    ],
  ],
  [
    'regex back-reference',
    B(`    type: text\n    difficulty: easy\n    prompt: P\n    accept: ["/(a)\\\\1/"]\n`),
    [
      '8:14 invalid regular expression /(a)\\1/: invalid escape sequence: `\\1` at character 4 of the pattern; accept patterns run on RE2 (linear time), which has no back-references or lookaround',
    ],
  ],
  [
    'number answer missing',
    B(`    type: number\n    difficulty: easy\n    prompt: P\n`),
    ["4:5 a number question needs 'answer: <number>'"],
  ],
  [
    'number answer text',
    B(`    type: number\n    difficulty: easy\n    prompt: P\n    answer: "3"\n`),
    ["8:13 'answer' of a number question must be a number, got text"],
  ],
  [
    'number tolerance negative',
    B(`    type: number\n    difficulty: easy\n    prompt: P\n    answer: 3\n    tolerance: -1\n`),
    ["9:16 'tolerance' must be a number of 0 or more, got the number -1"],
  ],
  [
    'checked with spaces around it',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    checked: " 2026-01 "\n`),
    ["9:14 'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got ' 2026-01 '"],
  ],
  [
    'reference without slashes',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    references: ["https:example.org"]\n`),
    ["9:18 reference 'https:example.org' is not an http(s) URL"],
  ],
  [
    'reference without a host',
    B(`    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n    references: ["https:///x"]\n`),
    ["9:18 reference 'https:///x' is not an http(s) URL"],
  ],
  [
    'unknown field with an unknown type',
    B(`    type: essay\n    difficulty: easy\n    prompt: P\n    hint: h\n`),
    [
      "5:11 'type' must be one of single, multiple, boolean, text, number, sql, code; got 'essay'",
      "8:5 unknown field 'hint' in question 'q1' (allowed: id, type, difficulty, prompt, explanation, references, checked, tags, points, choices, answer, accept, tolerance, dialect, schema, data, hidden_data, starter, solution, check, compare, limits, language, function, tests, hidden_tests)",
    ],
  ],
  [
    'a key with an empty value',
    `bank: b\ntitle:\nquestions:\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n`,
    ["2:7 'title' must be text, got an empty value"],
  ],
  [
    'duplicate question id',
    `bank: b\ntitle: T\nquestions:\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: true\n  - id: q1\n    type: boolean\n    difficulty: easy\n    prompt: P\n    answer: false\n`,
    ["9:9 duplicate question id 'q1' in this bank; ids must be unique"],
  ],
];

describe('bank messages', () => {
  it.each(cases)('%s', (_name, yaml, expected) => {
    const r = parseBank(yaml, 'b.yaml', { now: new Date('2026-12-08T00:00:00Z') });
    expect(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`)).toEqual(expected);
    expect(r.bank).toBeUndefined();
  });
});
