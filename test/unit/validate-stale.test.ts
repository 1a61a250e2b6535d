// `validate --lint --stale` lists the questions whose facts are due for a check, with what to check
// them against, in text and in JSON.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/validate.js';
import { Capture, root, tmpDir } from '../helpers.js';

const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', 'validate.schema.json'), 'utf8'));
const matchesSchema = new Ajv({ allErrors: true, strict: false }).compile(schema);

function bankDir(): string {
  const dir = tmpDir();
  const question = (id: string, checked?: string): string =>
    [
      `  - id: ${id}`,
      '    type: boolean',
      '    difficulty: easy',
      `    prompt: Is ${id} true?`,
      '    answer: true',
      '    references:',
      `      - https://example.org/${id}`,
      ...(checked ? [`    checked: ${checked}`] : []),
    ].join('\n');
  const text = [
    'bank: aging',
    'title: Aging',
    'questions:',
    question('fresh', '2026-10'),
    question('old', '2024-06'),
    question('never'),
    '',
  ];
  fs.writeFileSync(path.join(dir, 'aging.yaml'), text.join('\n'));
  return dir;
}

const now = () => new Date('2026-12-08T10:00:00Z');

describe('validate --lint --stale', () => {
  it('lists stale and never-checked questions with their references', async () => {
    const cwd = bankDir();
    const stdout = new Capture();
    const code = await run(['aging.yaml'], { cwd, stdout, stderr: new Capture(), color: false, lint: true, stale: true, now });
    expect(code).toBe(1); // the bank is far from a curriculum bank, and one check is stale
    expect(stdout.text).toContain(
      'aging.yaml:12:5: aging/old: its facts were last checked 2024-06, 30 months ago (more than 12); check them against its references again and update',
    );
    expect(stdout.text).toContain(
      [
        '2 questions due for a check of facts (1 checked more than 12 months ago, 1 never checked)',
        'aging.yaml:12:5: aging/old: checked 2024-06, 30 months ago',
        '    https://example.org/old',
        'aging.yaml:20:5: aging/never: never checked',
        '    https://example.org/never',
      ].join('\n'),
    );
    expect(stdout.text).not.toMatch(/aging\/fresh: (checked|never)/);
  });

  it('gives the list in --json, as its schema describes', async () => {
    const cwd = bankDir();
    const stdout = new Capture();
    await run(['aging.yaml'], { cwd, stdout, stderr: new Capture(), color: false, lint: true, stale: true, json: true, now });
    const out = JSON.parse(stdout.text);
    expect(matchesSchema(out), JSON.stringify(matchesSchema.errors)).toBe(true);
    expect(out.stale).toEqual([
      { key: 'aging/old', file: 'aging.yaml', line: 12, col: 5, checked: '2024-06', months: 30, references: ['https://example.org/old'] },
      { key: 'aging/never', file: 'aging.yaml', line: 20, col: 5, checked: null, months: null, references: ['https://example.org/never'] },
    ]);
  });

  it('leaves the list out of --json without --stale', async () => {
    const stdout = new Capture();
    await run(['aging.yaml'], { cwd: bankDir(), stdout, stderr: new Capture(), color: false, lint: true, json: true, now });
    expect(JSON.parse(stdout.text)).not.toHaveProperty('stale');
  });

  it('judges a checked: month in the future by the same now', async () => {
    const cwd = bankDir();
    const file = path.join(cwd, 'aging.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('checked: 2026-10', 'checked: 2027-01'));
    const early = new Capture();
    expect(await run(['aging.yaml'], { cwd, stdout: early, stderr: new Capture(), color: false, now })).toBe(1);
    expect(early.text).toContain("aging.yaml:11:14: 'checked' is 2027-01, after this month (2026-12)");
    const later = new Capture();
    const inFebruary = () => new Date('2027-02-01T00:00:00Z');
    expect(await run(['aging.yaml'], { cwd, stdout: later, stderr: new Capture(), color: false, now: inFebruary })).toBe(0);
  });

  it('is a usage error without --lint, which says what to run', async () => {
    await expect(run(['aging.yaml'], { cwd: bankDir(), stdout: new Capture(), stale: true, now })).rejects.toThrow(
      '--stale is part of the content checks; run: backend-quiz validate --lint --stale',
    );
  });
});
