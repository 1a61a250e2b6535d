import { describe, expect, it } from 'vitest';
import { parseAnswers, type AnswerFileReader } from '../../src/bank/answers.js';
import { formatProblem, type Question } from '../../src/bank/types.js';
import { aQuestion } from '../helpers.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';
import { runQuiz } from '../../src/engine/quiz.js';
import { scriptedAnswerer } from '../../src/engine/scripted.js';

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

describe('.json answers files', () => {
  const both = (text: string): { json: ReturnType<typeof parseAnswers>; yaml: ReturnType<typeof parseAnswers> } => ({
    json: parseAnswers(text, 'a.json', byKey),
    yaml: parseAnswers(text, 'a.yaml', byKey),
  });
  const shown = (r: ReturnType<typeof parseAnswers>): string[] => r.problems.map((p) => formatProblem({ ...p, file: 'a' }));

  // JSON is YAML: a .json file is read by the JSON reader, which must agree with the YAML one.
  it.each([
    ['answers of every type', '{"t/one": "right", "t/many": ["Right", "wrong a"], "t/yes": false, "t/word": 404, "t/num": 2.5}'],
    ['spread over lines', '{\n  "t/one": "Right",\n  "t/num": 3\n}\n'],
    ['blank answers', '{"t/one": null, "t/many": [], "t/yes": {"a": 1}}'],
    ['an unknown key', '{\n  "t/one": "Right",\n  "t/nope": "x"\n}'],
    ['a wrong choice', '{"t/one": "Right",\n "t/many": ["Right", "Nope"]}'],
    ['a list for a single choice', '{"t/one": ["Right"]}'],
    ['lists inside a list', '{"t/many": [["Right"], "Right"]}'],
    ['a boolean as text', '{"t/yes": "true"}'],
    ['a number as text', '{"t/num": "3"}'],
    ['a top-level list', '[{"t/one": "Right"}]'],
    ['a top-level text', '"t/one"'],
    ['null', 'null'],
    ['an empty file', ''],
    ['a duplicate key', '{"t/one": "Right",\n "t/one": "Wrong A"}'],
    ['an escaped key', '{"t\\/one": "Right", "t/\\u006eum": 1}'],
    ['too deep', `{"t/one": ${'['.repeat(70)}${']'.repeat(70)}}`],
  ])('%s: the same answers and problems as the YAML reading', (_name, text) => {
    const { json, yaml } = both(text);
    expect(Object.fromEntries(json.answers)).toEqual(Object.fromEntries(yaml.answers));
    expect(shown(json)).toEqual(shown(yaml));
  });

  it('a one-line file of JSON.stringify is read, whatever its length', () => {
    const many = new Map(Array.from({ length: 1000 }, (_, i) => aQuestion({ topic: 't', id: `q${i}` })).map((q) => [q.key, q] as const));
    const { answers, problems } = parseAnswers(
      JSON.stringify(Object.fromEntries([...many.keys()].map((k) => [k, 'Right']))),
      'a.json',
      many,
    );
    expect(problems).toEqual([]);
    expect(answers.size).toBe(1000);
  });

  it.each([
    ['{\n  "t/one": "Right",\n}', "a.json:3:1: JSON syntax error: a comma before '}' is not allowed in JSON; remove it"],
    ['{\n  "t/one": "Right"\n  "t/num": 3\n}', "a.json:3:3: JSON syntax error: unexpected '\"'; expected ',' or '}' after a value"],
    ["{'t/one': 'Right'}", 'a.json:1:2: JSON syntax error: JSON puts keys and text in double quotes, not single ones'],
    ['{t/one: Right}', "a.json:1:2: JSON syntax error: unexpected 't'; expected a key in double quotes"],
    ['{"t/one": Right}', "a.json:1:11: JSON syntax error: unexpected 'R'; expected a value"],
    ['{"t/one":\n  "Ri\nght"}', 'a.json:2:6: JSON syntax error: a line break inside text in double quotes; write it as \\n'],
    ['{"t/one": "\\x"}', "a.json:1:12: JSON syntax error: invalid escape '\\x' in text in double quotes"],
    ['{"t/many": ["Right",\n', 'a.json:2:1: JSON syntax error: the file ends before the list opened at 1:12 is closed'],
    ['{"t/one": "Right"} {}', "a.json:1:20: JSON syntax error: unexpected '{' after the end of the JSON value"],
    ['t/one: Right', "a.json:1:1: JSON syntax error: unexpected 't'; expected a value"],
  ])('%j -> %s', (text, message) => {
    expect(parseAnswers(text, 'a.json', byKey).problems.map(formatProblem)).toEqual([expect.stringContaining(message)]);
  });

  it('the size and value limits of YAML answers files apply', () => {
    expect(parseAnswers(`{"t/word": "${'a'.repeat(3 * 1024 * 1024)}"}`, 'a.json', byKey).problems.map((p) => p.message)).toEqual([
      'file is too large (3.0 MB); an answers file may be at most 2.0 MB',
    ]);
    expect(parseAnswers(`[${'0,'.repeat(200_000)}0]`, 'a.json', byKey).problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^more than 120,000 values/),
    ]);
    expect(parseAnswers('{"t/one": "\u0000"}', 'a.json', byKey).problems.map((p) => p.message)).toEqual([
      'this is not a UTF-8 text file; an answers file is JSON text',
    ]);
  });
});

describe("a task's answer", () => {
  const sql = aSqlTask({ id: 'counts' });
  const code = aCodeTask({ id: 'add', limits: { ...aCodeTask().limits, answerKb: 1 } });
  const tasks = new Map<string, Question>([...byKey, [sql.key, sql], [code.key, code]]);
  const files: Record<string, string> = { 'add.js': 'function add(a, b) { return a + b; }\n' };
  const reader: AnswerFileReader = (file, max) => {
    const text = files[file];
    if (text === undefined) return '!no such file';
    return Buffer.byteLength(text) > max ? `!too large` : text;
  };

  it('is a block scalar, a JSON string, or { file: path } read by the caller', () => {
    const yaml = parseAnswers(`${sql.key}: |\n  SELECT 1;\n${code.key}: { file: add.js }\n`, 'a.yaml', tasks, reader);
    expect(yaml.problems).toEqual([]);
    expect(Object.fromEntries(yaml.answers)).toEqual({
      [sql.key]: { answer: 'SELECT 1;\n' },
      [code.key]: { answer: files['add.js'] },
    });
    const json = parseAnswers(JSON.stringify({ [sql.key]: 'SELECT 2', [code.key]: { file: 'add.js' } }), 'a.json', tasks, reader);
    expect(json.problems).toEqual([]);
    expect(Object.fromEntries(json.answers)).toEqual({ [sql.key]: { answer: 'SELECT 2' }, [code.key]: { answer: files['add.js'] } });
  });

  it.each([
    [`http-apis/add: { file: nope.js }`, 'a.yaml:1:16: http-apis/add: nope.js: no such file'],
    [`http-apis/add: 42`, 'a.yaml:1:16: http-apis/add is a task: give the answer as text'],
    [`http-apis/add: [a, b]`, 'a.yaml:1:16: http-apis/add is a task'],
    [`http-apis/add: { file: 3 }`, 'a.yaml:1:16: http-apis/add: { file: … } takes the path'],
    [`http-apis/add: "${'x'.repeat(1500)}"`, "a.yaml:1:16: the answer to http-apis/add is 2 KB; the task's limit is 1 KB"],
    [`t/one: { file: add.js }`, "a.yaml:1:8: t/one is not a task; only a task's answer may be { file: path }"],
  ])('%j -> %s', (text, message) => {
    const { problems } = parseAnswers(text, 'a.yaml', tasks, reader);
    expect(problems.map(formatProblem)[0]).toContain(message);
  });

  it('keeps any other mapping as no answer, as before', () => {
    const { answers, named, problems } = parseAnswers(`t/one: { text: Right }\n${sql.key}: { path: a.sql }\n`, 'a.yaml', tasks, reader);
    expect(problems).toEqual([]);
    expect(named.has(sql.key)).toBe(true);
    expect(answers.size).toBe(0);
  });
});

describe('a scripted task answer', () => {
  it('is graded by runQuiz from the answers file, the same answer twice graded afresh', async () => {
    const code = aCodeTask({ id: 'add2' });
    const { answers } = parseAnswers(`${code.key}: |\n  function add(a, b) { return a + b; }\n`, 'a.yaml', new Map([[code.key, code]]));
    const ask = scriptedAnswerer(answers);
    const item = { question: code, choiceOrder: [] };
    const [first] = await runQuiz([item], ask);
    const [second] = await runQuiz([item], ask);
    expect(first!.outcome).toBe('right');
    expect(first!.points).toBe(3);
    expect(second!.response).toEqual(first!.response);
    // The parsed answer itself carries no grade: each sitting grades it.
    expect(answers.get(code.key)).toEqual({ answer: 'function add(a, b) { return a + b; }\n' });
  });
});
