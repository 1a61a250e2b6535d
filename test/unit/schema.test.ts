// The JSON Schema that ships for editors must agree with the validator.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fixtures, root } from '../helpers.js';

const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', 'bank.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const read = (file: string): unknown => parse(fs.readFileSync(file, 'utf8'));

describe('bank JSON Schema', () => {
  const builtin = fs.readdirSync(path.join(root, 'questions')).filter((f) => f.endsWith('.yaml'));
  it.each([
    ...builtin.map((f) => path.join(root, 'questions', f)),
    path.join(fixtures, 'banks', 'valid', 'fixture.yaml'),
    path.join(fixtures, 'banks', 'tasks', 'tasks.yaml'),
  ])('accepts %s', (file) => {
    expect(validate(read(file)), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('accepts a question without explanation or references, as the validator does', () => {
    const bank = { bank: 'bare', title: 'Bare', questions: [{ id: 'q', type: 'boolean', difficulty: 'easy', prompt: 'x', answer: true }] };
    expect(validate(bank), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    'unknown-field',
    'missing-field',
    'wrong-type',
    'choice-not-text',
    'single-no-correct',
    'multiple-no-correct',
    'bad-reference',
    'empty-prompt',
    'empty-explanation',
    'bad-bank-id',
    'not-applicable',
    'answer-wrong-type',
  ])('rejects invalid/%s.yaml', (name) => {
    expect(validate(read(path.join(fixtures, 'banks', 'invalid', `${name}.yaml`)))).toBe(false);
  });
});
