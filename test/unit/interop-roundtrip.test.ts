// Round trips over the whole built-in library: bank → format → bank gives the same questions.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBankFiles } from '../../src/bank/load.js';
import { isTask, type Bank, type Question } from '../../src/bank/types.js';
import { Findings, draftsToBank, type ImportResult } from '../../src/interop/common.js';
import { parseGift, renderGift } from '../../src/interop/gift.js';
import { parseMarkdown, renderMarkdown } from '../../src/interop/markdown.js';
import { parseMoodleXml, renderMoodleXml } from '../../src/interop/moodle-xml.js';
import { root } from '../helpers.js';

const library: Bank[] = loadBankFiles([path.join(root, 'questions')], root).banks;

describe('round trips over the whole built-in library', () => {
  it('has the library', () => expect(library.reduce((n, b) => n + b.questions.length, 0)).toBeGreaterThan(1000));

  // Tasks are left out of every export (with a note), so the questions are what comes back.
  const questionsOf = (b: Bank): Question[] => b.questions.filter((q) => !isTask(q));
  // Everything a question holds comes back: type, prompt, choices and why, answers, explanation,
  // references, difficulty, tags, points and the key (bank id plus the question's id).
  const roundTrip = (text: string, parse: (t: string, f: string) => ImportResult, b: Bank): Question[] => {
    const r = parse(text, b.id);
    expect(r.findings.filter((x) => x.kind !== 'note')).toEqual([]);
    const f = new Findings(b.id);
    const back = draftsToBank(r.drafts, { bankId: b.id, title: b.title, difficulty: 'medium', file: b.id }, f);
    expect(f.list).toEqual([]);
    return back.questions;
  };

  it.each(library.map((b) => [b.id, b] as const))('bank → GIFT → bank: %s', (_, b) => {
    expect(roundTrip(renderGift(b), parseGift, b)).toEqual(questionsOf(b));
  });

  it.each(library.map((b) => [b.id, b] as const))('bank → Moodle XML → bank: %s', (_, b) => {
    expect(roundTrip(renderMoodleXml(b), parseMoodleXml, b)).toEqual(questionsOf(b));
  });

  it.each(library.map((b) => [b.id, b] as const))('bank → Markdown → bank: %s', (_, b) => {
    expect(roundTrip(renderMarkdown(b), parseMarkdown, b)).toEqual(questionsOf(b));
  });
});
