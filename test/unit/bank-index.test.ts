// The built-in banks read through dist/banks-index.json (npm test builds it first) must be the
// banks of dist/banks.json, field for field, while parsing only the questions a quiz touches.
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadBuiltinBanks } from '../../src/bank/load.js';
import type { Bank } from '../../src/bank/types.js';
import { selectQuestions } from '../../src/engine/select.js';
import { builtinBankIndex, builtinBankJson } from '../../src/paths.js';
import { questionHash } from '../../src/store/sessions.js';

const full = (): Bank[] => (JSON.parse(fs.readFileSync(builtinBankJson, 'utf8')) as { banks: Bank[] }).banks;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('built-in banks from the index', () => {
  it('are the banks of banks.json: same fields in the same order, same values, same hashes', () => {
    const expected = full();
    const { banks } = loadBuiltinBanks();
    expect(banks.map((b) => b.id)).toEqual(expected.map((b) => b.id));
    expect(JSON.stringify(banks)).toBe(JSON.stringify(expected));
    for (const [i, bank] of banks.entries()) {
      for (const [j, q] of bank.questions.entries()) {
        const e = expected[i]!.questions[j]!;
        expect(Object.keys(q)).toEqual(Object.keys(e));
        expect('choices' in q).toBe('choices' in e);
        expect('toJSON' in q).toBe(false);
        expect({ ...q }).toEqual(e);
        expect(questionHash(q)).toBe(questionHash(e));
      }
    }
  });

  it('parses only the questions a quiz reads', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const { banks } = loadBuiltinBanks();
    const atLoad = parse.mock.calls.length;
    expect(atLoad).toBe(1); // the index, not the 1.5 MB of questions
    expect(String(parse.mock.calls[0]![0]).length).toBeLessThan(150_000);
    const items = selectQuestions(banks, { topics: banks.map((b) => b.id), count: 10, difficulties: ['easy', 'medium', 'hard'], seed: 7 });
    for (const { question } of items) expect(question.prompt.length).toBeGreaterThan(0);
    // Choice orders need the choices of the ten drawn; prompts read them again from the same parse.
    expect(parse.mock.calls.length - atLoad).toBeGreaterThan(0);
    expect(parse.mock.calls.length - atLoad).toBeLessThanOrEqual(10);
    const again = items.map((i) => i.question.prompt);
    expect(parse.mock.calls.length - atLoad).toBeLessThanOrEqual(10);
    expect(again).toHaveLength(10);
  });

  it('draws the same quiz as the fully parsed banks', () => {
    const opts = { topics: ['databases-sql', 'caching', 'security'], count: 12, difficulties: ['medium', 'hard'] as const, seed: 1234 };
    const lazy = selectQuestions(loadBuiltinBanks().banks, { ...opts, difficulties: [...opts.difficulties] });
    const eager = selectQuestions(full(), { ...opts, difficulties: [...opts.difficulties] });
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
  });

  it('an assignment to a question field replaces it, as on a plain object', () => {
    const q = loadBuiltinBanks().banks[0]!.questions[0]!;
    q.explanation = 'changed';
    expect(q.explanation).toBe('changed');
    expect(Object.keys(q)).toContain('explanation');
  });

  it('falls back to parsing banks.json when the index was built for another file', () => {
    const real = fs.readFileSync;
    vi.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => {
      if (file === builtinBankIndex) return JSON.stringify({ ...JSON.parse(real(builtinBankIndex, 'utf8') as string), bytes: 1 });
      return real(file, options as BufferEncoding);
    }) as typeof fs.readFileSync);
    expect(JSON.stringify(loadBuiltinBanks().banks)).toBe(JSON.stringify(full()));
  });
});
