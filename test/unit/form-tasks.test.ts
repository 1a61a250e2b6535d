// --print-form and --answers-template show a task's visible part: what a script needs to answer it,
// never its solution or hidden tests.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseAnswers } from '../../src/bank/answers.js';
import type { Question } from '../../src/bank/types.js';
import { answersTemplate, formJson, renderFormText } from '../../src/report/form.js';
import { PLAIN } from '../../src/report/format.js';
import { aQuestion, root } from '../helpers.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

const sql = aSqlTask({ id: 'counts', starter: 'SELECT name\nFROM customers;' });
const code = aCodeTask({ id: 'add', solution: 'function add(a, b) { return a + b; /* SECRET */ }' });
const bare = aCodeTask({ id: 'bare', starter: '' });
const choice = aQuestion({ topic: 't', id: 'one' });
const items = [sql, code, bare, choice].map((question: Question) => ({ question, choiceOrder: 'choices' in question ? [0, 1, 2] : [] }));

describe('a form with tasks', () => {
  it('gives each task its visible part in JSON, valid against form.schema.json', () => {
    const json = formJson(items, 5) as { questions: { task?: unknown }[] };
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', 'form.schema.json'), 'utf8'));
    const valid = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    expect(valid(json), JSON.stringify(valid.errors)).toBe(true);
    expect(json.questions[0]!.task).toEqual({ dialect: 'sqlite', schema: sql.schema, data: sql.data, starter: sql.starter, answerKb: 20 });
    expect(json.questions[1]!.task).toEqual({
      language: 'javascript',
      function: 'add',
      starter: code.starter,
      tests: [
        { name: 'add(1, 2)', args: [1, 2], expect: 3 },
        { name: 'negative', args: [-1, -2], expect: -3 },
      ],
      answerKb: 20,
    });
    expect(json.questions[3]!.task).toBeUndefined();
    const text = JSON.stringify(json);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('large'); // the hidden test's name
    expect(text).not.toContain('no orders at all'); // a hidden data set's name
  });

  it('shows the schema, sample data, starter and visible tests as text', () => {
    const text = renderFormText(items, 5, PLAIN);
    expect(text).toContain('   schema (sqlite):\n     CREATE TABLE customers');
    expect(text).toContain("   sample data:\n     INSERT INTO customers VALUES (1, 'Ada')");
    expect(text).toContain('     - add(1, 2) → 3\n     - negative → -3');
    expect(text).not.toMatch(/SECRET|large|no orders/);
  });

  it('writes a template whose block scalars hold the starters and read back as answers', () => {
    const template = answersTemplate(items, 5, 'backend-quiz take --seed 5');
    expect(template).toContain(`"${sql.key}": |-\n  SELECT name\n  FROM customers;\n`);
    expect(template).toContain('#     - add(1, 2) → 3');
    expect(template).not.toMatch(/SECRET|large|no orders/);
    expect(parseYaml(template)).toEqual({
      [sql.key]: sql.starter,
      [code.key]: code.starter.trimEnd(),
      [bare.key]: '// your code',
      't/one': null,
    });
    const { answers, problems } = parseAnswers(template, 'a.yaml', new Map(items.map((i) => [i.question.key, i.question])));
    expect(problems).toEqual([]);
    expect(answers.get(sql.key)).toEqual({ answer: sql.starter });
  });

  it('keeps a starter whose first line is indented', () => {
    const indented = aCodeTask({ id: 'ind', starter: '  // indented\nfunction add() {}\n' });
    const template = answersTemplate([{ question: indented, choiceOrder: [] }], 1, 'x');
    expect(parseYaml(template)).toEqual({ [indented.key]: '  // indented\nfunction add() {}' });
  });
});
