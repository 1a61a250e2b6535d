// `checked: YYYY-MM` records when a question's facts were last checked against its references. It is
// metadata beside the question: checking again must not make sessions, result files or packs see
// another version of the question.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cacheKey, readCached, writeCached } from '../../src/bank/cache.js';
import { parseBank } from '../../src/bank/parse.js';
import { formatProblem } from '../../src/bank/types.js';
import { renderBankYaml } from '../../src/bank/write.js';
import { parseAssessment } from '../../src/assessment/definition.js';
import { drawForm } from '../../src/assessment/form.js';
import { importResult, snapshotLookup } from '../../src/assessment/import.js';
import { buildPack } from '../../src/assessment/pack.js';
import { mulberry32 } from '../../src/engine/rng.js';
import { saveAssessment } from '../../src/store/assessments.js';
import { openStore } from '../../src/store/db.js';
import type { Bank } from '../../src/bank/types.js';
import { getSession, questionHash } from '../../src/store/sessions.js';
import { root, tmpDir } from '../helpers.js';
import { resultOfSitting } from '../sitting-builders.js';
import { definitionSittingInfo } from '../../src/take/assessment.js';

const NOW = new Date('2026-12-08T00:00:00Z');

const bankText = (checked?: string): string =>
  [
    'bank: demo',
    'title: Demo',
    'questions:',
    '  - id: streams',
    '    type: single',
    '    difficulty: medium',
    '    prompt: How long are stream records kept?',
    '    choices:',
    '      - text: 24 hours',
    '        correct: true',
    '      - text: 7 days',
    '        why: That is Kinesis with extended retention.',
    '    references:',
    '      - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html',
    ...(checked === undefined ? [] : [`    checked: ${checked}`]),
    '    tags: [streams]',
    '  - id: plain',
    '    type: boolean',
    '    difficulty: easy',
    '    prompt: Is this true?',
    '    answer: true',
    '',
  ].join('\n');

const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', 'bank.schema.json'), 'utf8'));
const validateSchema = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('checked: in a bank', () => {
  it('is read as the month of each question that has one', () => {
    const parsed = parseBank(bankText('2026-12'), 'demo.yaml', { now: NOW });
    expect(parsed.problems).toEqual([]);
    expect(parsed.checked).toEqual(new Map([['demo/streams', '2026-12']]));
  });

  it('is optional', () => {
    const parsed = parseBank(bankText(), 'demo.yaml', { now: NOW });
    expect(parsed.problems).toEqual([]);
    expect(parsed.bank).toBeDefined();
    expect(parsed.checked ?? new Map()).toEqual(new Map());
  });

  it.each([
    ['2026-13', `'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got '2026-13'`],
    ['Dec 2026', `'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got 'Dec 2026'`],
    ['2026-1', `'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got '2026-1'`],
    ['2026-12-01', `'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got '2026-12-01'`],
    ['202612', `'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got '202612'`],
    ['', `'checked' must be the month the facts were checked, written YYYY-MM such as 2026-12; got an empty value`],
    ['2027-01', `'checked' is 2027-01, after this month (2026-12); write the month the facts were last checked`],
  ])('refuses %j at its line and column', (value, message) => {
    const parsed = parseBank(bankText(value), 'demo.yaml', { now: NOW });
    expect(parsed.bank).toBeUndefined();
    expect(parsed.problems.map(formatProblem)).toEqual([`demo.yaml:15:14: ${message}`]);
  });

  it('takes this month and any month before it', () => {
    for (const month of ['2026-12', '2026-11', '1999-01'])
      expect(parseBank(bankText(month), 'demo.yaml', { now: NOW }).problems, month).toEqual([]);
  });

  it('is in the JSON Schema for every question type, with the same format', () => {
    const data = (checked: string): unknown => parse(bankText(checked));
    expect(validateSchema(data('2026-12')), JSON.stringify(validateSchema.errors)).toBe(true);
    for (const bad of ['2026-13', 'Dec 2026']) expect(validateSchema(data(bad)), bad).toBe(false);
    for (const type of ['boolean', 'text', 'number', 'multiple']) {
      const q: Record<string, unknown> = { id: 'q', type, difficulty: 'easy', prompt: 'x', checked: '2026-12' };
      if (type === 'boolean') q.answer = true;
      if (type === 'text') q.accept = ['x'];
      if (type === 'number') q.answer = 1;
      if (type === 'multiple') q.choices = [{ text: 'a', correct: true }, { text: 'b' }];
      expect(validateSchema({ bank: 'b', title: 'B', questions: [q] }), `${type}: ${JSON.stringify(validateSchema.errors)}`).toBe(true);
    }
  });
});

describe('checked: is not part of the question', () => {
  const never = parseBank(bankText(), 'demo.yaml', { now: NOW }).bank!;
  const checked = parseBank(bankText('2026-12'), 'demo.yaml', { now: NOW }).bank!;
  const rechecked = parseBank(bankText('2025-03'), 'demo.yaml', { now: NOW }).bank!;

  it('leaves the question hash as it was (sessions, snapshots, result files and packs compare it)', () => {
    for (const [i, q] of never.questions.entries()) {
      expect(questionHash(checked.questions[i]!)).toBe(questionHash(q));
      expect(questionHash(rechecked.questions[i]!)).toBe(questionHash(q));
    }
  });

  it('leaves the bank as the built banks and packs serialise it', () => {
    // dist/banks.json is JSON.stringify of the banks; a pack and its key copy Question objects.
    expect(JSON.stringify(checked)).toBe(JSON.stringify(never));
    expect(JSON.stringify(rechecked)).toBe(JSON.stringify(never));
  });
});

/** A result file of a sitting over `bank`, as a candidate's machine writes it. */
async function resultOver(bank: Bank) {
  const a = parseAssessment(['assessment: t', 'title: T', 'sections:', '  - topic: demo', '    count: 2'].join('\n'), 't.yaml').assessment!;
  return resultOfSitting(drawForm(a, [bank], a.seed), { seed: 1, info: definitionSittingInfo(a), definition: a, mode: 'scripted' });
}

describe('a result file written before the question was checked', () => {
  it('imports against the checked bank and grades the same', async () => {
    const old = parseBank(bankText(), 'demo.yaml', { now: NOW }).bank!;
    const now = parseBank(bankText('2026-12'), 'demo.yaml', { now: NOW }).bank!;
    const r = await resultOver(old);
    const db = openStore(':memory:');
    try {
      saveAssessment(db, r.assessment.definition!, '2026-06-01T08:00:00Z');
      const byHash = new Map(now.questions.map((q) => [questionHash(q), q]));
      const outcome = importResult(
        db,
        r,
        'r.result.json',
        snapshotLookup(db, () => byHash),
        '2026-12-08T09:00:00Z',
        () => [now],
      );
      expect(outcome.kind).toBe('imported');
      expect(getSession(db, r.session.id).items.map((i) => i.answer?.outcome)).toEqual(['right', 'right']);
    } finally {
      db.close();
    }
  });
});

describe('a pack sealed before and after the question was checked', () => {
  it('carries the same questions and the same answer key', () => {
    const a = parseAssessment(
      ['assessment: t', 'title: T', 'sections:', '  - topic: demo', '    count: 2'].join('\n'),
      't.yaml',
    ).assessment!;
    const before = buildPack(a, [parseBank(bankText(), 'demo.yaml', { now: NOW }).bank!], mulberry32(7));
    const after = buildPack(a, [parseBank(bankText('2026-12'), 'demo.yaml', { now: NOW }).bank!], mulberry32(7));
    // Pack ids and question handles are random per sealing; what is sealed of each question is not.
    expect(JSON.stringify(Object.values(after.pack.questions!))).toBe(JSON.stringify(Object.values(before.pack.questions!)));
    expect(JSON.stringify(Object.values(after.key.questions))).toBe(JSON.stringify(Object.values(before.key.questions)));
    expect(Object.values(after.key.questions).map(questionHash)).toEqual(Object.values(before.key.questions).map(questionHash));
  });
});

describe('checked: round trips', () => {
  it('through the YAML writer', () => {
    const parsed = parseBank(bankText('2026-11'), 'demo.yaml', { now: NOW });
    const written = renderBankYaml(parsed.bank!, parsed.checked);
    expect(written).toContain('    checked: 2026-11\n');
    const again = parseBank(written, 'demo.yaml', { now: NOW });
    expect(again.problems).toEqual([]);
    expect(again.checked).toEqual(parsed.checked);
    expect(JSON.stringify(again.bank!.questions)).toBe(JSON.stringify(parsed.bank!.questions));
  });

  it('leaves it out when the question has none', () => {
    const parsed = parseBank(bankText(), 'demo.yaml', { now: NOW });
    expect(renderBankYaml(parsed.bank!, parsed.checked)).not.toContain('checked');
  });

  it('through the bank cache, which is dropped when the month changes', () => {
    const dir = tmpDir();
    const key = cacheKey('/x/demo.yaml', 'demo.yaml', { size: 1, mtimeMs: 1 }, Buffer.from(bankText('2026-12')));
    const parsed = parseBank(bankText('2026-12'), 'demo.yaml', { now: NOW });
    writeCached(dir, key, parsed, NOW);
    expect(readCached(dir, key, NOW)?.checked).toEqual(new Map([['demo/streams', '2026-12']]));
    // A month that was in the future at the last parse may not be now: parse again.
    expect(readCached(dir, key, new Date('2027-01-02T00:00:00Z'))).toBeUndefined();
  });
});
