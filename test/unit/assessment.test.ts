import { describe, expect, it } from 'vitest';
import { STARTER } from '../../src/commands/assessment.js';
import { parseAssessment, parseDuration } from '../../src/assessment/definition.js';
import { formatDuration } from '../../src/text.js';
import { drawForm } from '../../src/assessment/form.js';
import { allProblems } from '../../src/assessment/load.js';
import { formatProblem } from '../../src/bank/types.js';
import { aBank, aQuestion } from '../helpers.js';

const banks = [
  aBank('alpha', [
    ...Array.from({ length: 6 }, (_, i) => aQuestion({ topic: 'alpha', id: `e${i}`, difficulty: 'easy' })),
    ...Array.from({ length: 4 }, (_, i) => aQuestion({ topic: 'alpha', id: `h${i}`, difficulty: 'hard' })),
  ]),
  aBank('beta', 5),
];

const yaml = (lines: string[]): string => `${lines.join('\n')}\n`;
const minimal = ['assessment: team-lead', 'title: Team lead', 'sections:', '  - topic: alpha', '    count: 3'];

const problems = (text: string): string[] => allProblems(parseAssessment(text, 'a.yaml'), banks, 'a.yaml').map(formatProblem);

describe('durations', () => {
  it.each([
    ['45m', 2_700_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['1h 5m 3s', 3_903_000],
    ['2h', 7_200_000],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '45', '45 minutes', '1.5h', 'm', '30m1h'])('%j is not a duration', (text) => expect(parseDuration(text)).toBeUndefined());

  it.each([
    [1_800_000, '30m'],
    [5_400_000, '1h 30m'],
    [65_000, '1m 05s'],
    [3_725_000, '1h 02m 05s'],
    [3_605_000, '1h 00m 05s'],
    [42_400, '42s'],
    [0, '0s'],
  ])('%i ms prints as %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('assessment file', () => {
  it('reads a minimal file with the defaults', () => {
    const { assessment, problems: found } = parseAssessment(yaml(minimal), 'a.yaml');
    expect(found).toEqual([]);
    expect(assessment).toMatchObject({
      id: 'team-lead',
      title: 'Team lead',
      instructions: '',
      timeLimitMs: null,
      passMark: null,
      feedback: 'none',
      form: 'fixed',
      banks: [],
    });
    expect(assessment!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the starter written by `assessment init` is valid and commented', () => {
    const parsed = parseAssessment(STARTER, 'senior.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.assessment).toMatchObject({
      id: 'senior-backend',
      timeLimitMs: 1_800_000,
      passMark: 70,
      topicPassMarks: { 'databases-sql': 50 },
    });
    expect(STARTER.split('\n').filter((l) => l.startsWith('#')).length).toBeGreaterThan(10);
  });

  it("the starter's commented 'scripted: allowed' allows scripted sittings; left out, nothing is recorded", () => {
    const allowed = parseAssessment(STARTER.replace('# scripted: allowed', 'scripted: allowed'), 'senior.yaml');
    expect(allowed.problems).toEqual([]);
    expect(allowed.assessment!.scripted).toBe('allowed');
    expect(parseAssessment(STARTER, 'senior.yaml').assessment).not.toHaveProperty('scripted');
  });

  it('a different definition is a different digest; the same text the same digest', () => {
    const a = parseAssessment(yaml(minimal), 'a.yaml').assessment!;
    const b = parseAssessment(yaml(minimal), 'b.yaml').assessment!;
    const c = parseAssessment(yaml([...minimal, 'pass_mark: 60']), 'a.yaml').assessment!;
    expect(a.digest).toBe(b.digest);
    expect(c.digest).not.toBe(a.digest);
  });

  it.each([
    [
      [...minimal, 'colour: blue'],
      "a.yaml:6:1: unknown field 'colour' (allowed: assessment, title, instructions, sections, time_limit, pass_mark, topic_pass_marks, feedback, form, seed, banks, scripted)",
    ],
    [
      ['assessment: Team Lead', ...minimal.slice(1)],
      "a.yaml:1:13: 'assessment' must be kebab-case (lowercase letters, digits and single hyphens); got text 'Team Lead'",
    ],
    [[...minimal, 'time_limit: 45 minutes'], "a.yaml:6:13: 'time_limit' is a duration such as 45m, 90s or 1h30m; got text '45 minutes'"],
    [[...minimal, 'time_limit: 0s'], "a.yaml:6:13: 'time_limit' must be longer than 0s; leave it out for no time limit"],
    [[...minimal, 'pass_mark: 170'], "a.yaml:6:12: 'pass_mark' must be <= 100; got number 170"],
    [[...minimal, 'feedback: immediate'], "a.yaml:6:11: 'feedback' must be one of none, end; got text 'immediate'"],
    [[...minimal, 'form: random'], "a.yaml:6:7: 'form' must be one of fixed, per-candidate; got text 'random'"],
    [[...minimal, 'scripted: yes'], "a.yaml:6:11: 'scripted' must be \"allowed\"; got text 'yes'"],
    [[...minimal.slice(0, 4), '    count: three'], "a.yaml:5:12: 'count' must be a whole number, got text 'three'"],
    [['assessment: x', 'title: T', 'sections: []'], "a.yaml:3:11: 'sections': list at least one section"],
    [['assessment: x', 'title: T'], "a.yaml:1:1: the file is missing required field 'sections'"],
    [
      ['assessment: x', 'title: T', 'sections:', '  - topic: alpha'],
      "a.yaml:4:5: section 1 needs 'topic' and 'count' (draw questions from a topic) or 'questions' (a list of question keys)",
    ],
    [
      ['assessment: x', 'title: T', 'sections:', '  - questions: [alpha/e1]', '    count: 2'],
      "a.yaml:4:5: section 1 has both 'questions' and 'topic'/'count'/'difficulty'; a section is either a topic with a count or a list of question keys",
    ],
    [
      ['assessment: x', 'title: T', 'sections:', '  - questions: [alpha]'],
      "a.yaml:4:17: entry 1 of 'questions' must be a question key <bank>/<id>, such as http-apis/safe-methods; got text 'alpha'",
    ],
    [[...minimal, 'topic_pass_marks:', '  beta: 50'], "a.yaml:7:9: 'topic_pass_marks' names 'beta', which no section asks about"],
    [
      ['assessment: x', 'title: T', 'sections: [', ''],
      'a.yaml:5:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [['a: &x 1', 'b: *x'], 'a.yaml:2:4: YAML aliases (*name) are not allowed; write the value out'],
  ])('%j: %s', (lines, message) => {
    expect(problems(yaml(lines))).toContain(message);
  });

  it('reports what the banks cannot give, naming the section and how many are available', () => {
    const text = yaml([
      'assessment: x',
      'title: T',
      'sections:',
      '  - topic: alpha',
      '    count: 5',
      '    difficulty: [hard]',
      '  - topic: gamma',
      '    count: 1',
      '  - questions: [beta/beta-q0, beta/nope]',
    ]);
    expect(problems(text)).toEqual([
      "a.yaml:5:12: section 1 (alpha at difficulty hard) asks for 5 questions, but only 4 are available; lower 'count' or widen 'difficulty'",
      "a.yaml:7:12: section 2: unknown topic 'gamma'; available: alpha, beta",
      "a.yaml:9:31: section 3: no question 'beta/nope' in the loaded banks ('backend-quiz topics beta' lists its question keys)",
    ]);
    const short = yaml([
      'assessment: x',
      'title: T',
      'sections:',
      '  - questions: [alpha/h0]',
      '  - topic: alpha',
      '    count: 4',
      '    difficulty: [hard]',
    ]);
    expect(problems(short)).toEqual([
      "a.yaml:6:12: section 2 (alpha at difficulty hard) asks for 4 questions, but only 3 are available; lower 'count' or widen 'difficulty'",
    ]);
  });
});

describe('every mistake in one check', () => {
  it('reports schema errors, rule errors and what the banks cannot give together, in file order', () => {
    const text = yaml([
      'assessment: x',
      'title: T',
      'sections:',
      '  - topic: alpha',
      '    count: 50',
      '  - topic: alpah',
      '    count: 1',
      '  - questions: [beta/beta-q00, beta/nope, alpha/h1]',
      '  - topic: beta',
      '    count: four',
      '  - topic: beta',
      'time_limit: 30 minutes',
      'pass_mark: 170',
      'feedback: sometimes',
      'colour: blue',
    ]);
    expect(problems(text)).toEqual([
      "a.yaml:5:12: section 1 (alpha) asks for 50 questions, but only 9 are available; lower 'count' or widen 'difficulty'",
      "a.yaml:6:12: section 2: unknown topic 'alpah'; did you mean 'alpha'? ('backend-quiz topics' lists them)",
      "a.yaml:8:17: section 3: no question 'beta/beta-q00' in the loaded banks; did you mean 'beta/beta-q0'? ('backend-quiz topics beta' lists its question keys)",
      "a.yaml:8:32: section 3: no question 'beta/nope' in the loaded banks ('backend-quiz topics beta' lists its question keys)",
      "a.yaml:10:12: 'count' must be a whole number, got text 'four'",
      "a.yaml:11:5: section 5 needs 'topic' and 'count' (draw questions from a topic) or 'questions' (a list of question keys)",
      "a.yaml:12:13: 'time_limit' is a duration such as 45m, 90s or 1h30m; got text '30 minutes'",
      "a.yaml:13:12: 'pass_mark' must be <= 100; got number 170",
      "a.yaml:14:11: 'feedback' must be one of none, end; got text 'sometimes'",
      "a.yaml:15:1: unknown field 'colour' (allowed: assessment, title, instructions, sections, time_limit, pass_mark, topic_pass_marks, feedback, form, seed, banks, scripted)",
    ]);
  });

  it('suggests a hyphenated name one of whose words was given', () => {
    const text = yaml(['assessment: x', 'title: T', 'sections:', '  - topic: beta', '    count: 1', '  - questions: [beta/q0]']);
    expect(problems(text)).toEqual([
      "a.yaml:6:17: section 2: no question 'beta/q0' in the loaded banks; did you mean 'beta/beta-q0'? ('backend-quiz topics beta' lists its question keys)",
    ]);
  });

  it('suggests nothing when no name is near', () => {
    const text = yaml(['assessment: x', 'title: T', 'sections:', '  - topic: zzz', '    count: 1']);
    expect(problems(text)).toEqual(["a.yaml:4:12: section 1: unknown topic 'zzz'; available: alpha, beta"]);
  });
});

describe('drawing a form', () => {
  const a = parseAssessment(
    yaml([
      'assessment: x',
      'title: T',
      'sections:',
      '  - topic: alpha',
      '    count: 3',
      '    difficulty: [hard]',
      '  - questions: [alpha/h2, beta/beta-q1]',
      '  - topic: beta',
      '    count: 2',
    ]),
    'a.yaml',
  ).assessment!;

  it('is the same for the same seed, section by section, and never repeats a question', () => {
    const first = drawForm(a, banks, 42);
    const again = drawForm(a, banks, 42);
    expect(again).toEqual(first);
    const keys = first.map((i) => i.question.key);
    expect(keys).toHaveLength(7);
    expect(new Set(keys).size).toBe(7);
    // Section 1 draws hard alpha questions but never the one section 2 names.
    expect(keys.slice(0, 3).every((k) => /^alpha\/h[013]$/.test(k))).toBe(true);
    expect(keys.slice(3, 5)).toEqual(['alpha/h2', 'beta/beta-q1']);
    expect(keys.slice(5).every((k) => k.startsWith('beta/') && k !== 'beta/beta-q1')).toBe(true);
  });

  it('a different seed gives another draw or order', () => {
    const draws = new Set(
      [1, 2, 3, 4, 5].map((seed) => JSON.stringify(drawForm(a, banks, seed).map((i) => [i.question.key, i.choiceOrder]))),
    );
    expect(draws.size).toBeGreaterThan(1);
  });
});
