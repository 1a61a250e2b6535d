// Our GIFT and Moodle XML exports as Moodle itself reads them (test/moodle-rules.ts follows
// Moodle's code): every built-in question arrives, unchanged, and what a format cannot hold is
// exactly what convert notes.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBankFiles } from '../../src/bank/load.js';
import type { Bank } from '../../src/bank/types.js';
import { renderGift } from '../../src/interop/gift.js';
import { renderMoodleXml } from '../../src/interop/moodle-xml.js';
import { aBank, aQuestion, root } from '../helpers.js';
import { giftReadQuestion, matchGradeOptions, readGift, readMoodleXml, throughMoodle, xmlizeText } from '../moodle-rules.js';

const library: Bank[] = loadBankFiles([path.join(root, 'questions')], root).banks;

const noted = (notes: string[]): string[] => [...new Set(notes.map((n) => n.slice(0, n.indexOf(': '))))].sort();
const keys = (lines: string[]): string[] => [...new Set(lines.map((l) => l.slice(0, l.indexOf(': '))))].sort();

describe('the Moodle rules themselves', () => {
  it('drop whitespace-only character data between references, keep CDATA whole, trim', () => {
    expect(xmlizeText('&apos;self&apos; &apos;unsafe-inline&apos;')).toBe("'self''unsafe-inline'");
    expect(xmlizeText("<![CDATA['self' 'unsafe-inline']]>")).toBe("'self' 'unsafe-inline'");
    expect(xmlizeText('<![CDATA[a ]]]]><![CDATA[> b]]>')).toBe('a ]]> b');
    expect(xmlizeText('  plain text  ')).toBe('plain text');
  });

  it('accept only the grade options', () => {
    expect(matchGradeOptions(0.0833333)).toBe(false);
    expect(matchGradeOptions(-0.3333333)).toBe(-0.3333333);
    expect(matchGradeOptions(0.142857)).toBe(0.1428571);
  });

  it("refuse a numerical answer of 0 written as {#0}, as Moodle's GIFT parser does", () => {
    expect(giftReadQuestion(['::z::Zero?{#0}'])).toEqual({ name: 'z', reason: 'No answers found for numerical question' });
    expect(giftReadQuestion(['::z::Zero?{#=0:0}'])).toMatchObject({ qtype: 'numerical', answers: [{ text: '0', tolerance: 0 }] });
  });
});

describe('every built-in question through Moodle', () => {
  it.each(library.map((b) => [b.id, b] as const))('GIFT: %s arrives unchanged', (_, b) => {
    const notes: string[] = [];
    const r = throughMoodle(b, renderGift(b, notes), readGift);
    expect(r.refused).toEqual([]);
    expect(r.changed).toEqual([]);
    expect(notes.filter((n) => /grade|points/.test(n))).toEqual([]);
  });

  it.each(library.map((b) => [b.id, b] as const))('Moodle XML: %s arrives unchanged', (_, b) => {
    const notes: string[] = [];
    const r = throughMoodle(b, renderMoodleXml(b, notes), readMoodleXml);
    expect(r.refused).toEqual([]);
    expect(r.changed).toEqual([]);
  });
});

describe('what a format cannot hold is listed, and only that', () => {
  const twelve = aQuestion({
    topic: 'm',
    id: 'twelve',
    type: 'multiple',
    choices: [...Array.from({ length: 12 }, (_, i) => ({ text: `right ${i}`, correct: true })), { text: 'wrong', correct: false }],
  });
  const heavy = aQuestion({ topic: 'm', id: 'heavy', points: 3 });
  const zero = aQuestion({ topic: 'm', id: 'zero', type: 'number', answer: 0, tolerance: 0 });
  const csp = aQuestion({ topic: 'm', id: 'csp', prompt: "Is script-src 'self' 'unsafe-inline' safe? a > 'b' ]]> c" });
  const bank = aBank('m', [twelve, heavy, zero, csp]);

  it('GIFT: nothing refused; the 12-right weights and the points are changed, and noted', () => {
    const notes: string[] = [];
    const r = throughMoodle(bank, renderGift(bank, notes), readGift);
    expect(r.refused).toEqual([]);
    expect(keys(r.changed)).toEqual(['m/heavy', 'm/twelve']);
    expect(noted(notes)).toEqual(['m/heavy', 'm/twelve']);
    expect(notes).toEqual([
      'm/heavy: GIFT has no place for points; Moodle gives the question its default mark 1, not 3 (kept in a comment for backend-quiz)',
      "m/twelve: Moodle has no grade of 1/12 (8.33333%) for each of 12 right choices; written as 8 × 10% and 4 × 5% for right choices and -10% for wrong ones, so Moodle's partial credit differs from backend-quiz's",
    ]);
  });

  it('Moodle XML: nothing refused; the points travel as <defaultgrade>, the 12-right weights are changed and noted', () => {
    const notes: string[] = [];
    const xml = renderMoodleXml(bank, notes);
    const r = throughMoodle(bank, xml, readMoodleXml);
    expect(r.refused).toEqual([]);
    expect(keys(r.changed)).toEqual(['m/twelve']);
    expect(noted(notes)).toEqual(['m/twelve']);
    expect(readMoodleXml(xml).questions.find((q) => q.name === 'heavy')!.defaultmark).toBe(3);
  });
});
