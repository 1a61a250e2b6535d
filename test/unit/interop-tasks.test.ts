// Exporting a bank with hands-on tasks: no foreign format can run a query or code against tests,
// so each task is left out with a note naming it, and the rest of the bank is written as usual.
import { describe, expect, it } from 'vitest';
import { renderGift } from '../../src/interop/gift.js';
import { renderMarkdown } from '../../src/interop/markdown.js';
import { renderMoodleXml } from '../../src/interop/moodle-xml.js';
import { qtiFiles } from '../../src/interop/qti.js';
import { aBank, aQuestion } from '../helpers.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

const choice = aQuestion({ topic: 'mixed', id: 'plain', prompt: 'Which status means Not Modified?', explanation: '' });
const sql = aSqlTask({ topic: 'mixed', id: 'counts', key: 'mixed/counts', prompt: 'SQL TASK PROMPT' });
const code = aCodeTask({ topic: 'mixed', id: 'add', key: 'mixed/add', prompt: 'CODE TASK PROMPT' });
const bank = aBank('mixed', [sql, choice, code]);

const FORMATS: [string, string, (notes: string[]) => string][] = [
  ['GIFT', 'GIFT', (n) => renderGift(bank, n)],
  ['Moodle XML', 'Moodle XML', (n) => renderMoodleXml(bank, n)],
  ['Markdown', 'this Markdown convention', (n) => renderMarkdown(bank, n)],
  [
    'QTI',
    'QTI',
    (n) =>
      qtiFiles(bank, n)
        .map((f) => f.data)
        .join('\n'),
  ],
];

describe('exporting a bank with tasks', () => {
  it.each(FORMATS)('%s: lists each task as left out and writes the other questions', (_name, format, render) => {
    const notes: string[] = [];
    const out = render(notes);
    expect(notes.filter((n) => n.includes('task'))).toEqual([
      `mixed/counts: ${format} has no sql tasks (answers run against tests); left out`,
      `mixed/add: ${format} has no code tasks (answers run against tests); left out`,
    ]);
    expect(out).toContain('Which status means Not Modified?');
    expect(out).not.toMatch(/SQL TASK PROMPT|CODE TASK PROMPT/);
  });

  it('counts only the questions written', () => {
    expect(renderGift(bank, [])).toContain('mixed (mixed): 1 questions, from backend-quiz');
    expect(qtiFiles(bank, []).filter((f) => f.name.startsWith('items/'))).toHaveLength(1);
  });
});
