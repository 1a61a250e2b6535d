import { render } from '../prompt.js';
import { checkbox, input, select } from '@inquirer/prompts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { menuPrompt, questionPrompt, topicChoices } from '../../src/ui/prompts.js';
import { makePaint } from '../../src/ui/style.js';
import { aBank, aQuestion } from '../helpers.js';

const paint = makePaint(false);
const at = { index: 2, total: 10 };

describe('question prompts', () => {
  it('single choice: a select with the position line, code set apart, choices in shuffled order', async () => {
    const q = aQuestion({
      topic: 'databases-sql',
      difficulty: 'medium',
      prompt: 'Which index serves this query?\n\n```sql\nSELECT * FROM t WHERE a = 1 ORDER BY b;\n```',
    });
    const p = questionPrompt({ question: q, choiceOrder: [2, 0, 1] }, at, paint);
    expect(p.kind).toBe('select');
    if (p.kind !== 'select') return;
    const { answer, events, getScreen } = await render(select, p.config);
    expect(getScreen()).toMatchInlineSnapshot(`
      "? Question 3/10 · databases-sql · medium
      Which index serves this query?

          SELECT * FROM t WHERE a = 1 ORDER BY b;

      ❯ Wrong B
        Right
        Wrong A

      ↑↓ navigate • ⏎ select"
    `);
    events.keypress('down');
    events.keypress('enter');
    await expect(answer).resolves.toBe('Right');
  });

  it('an adaptive sitting shows the question number and "adaptive" instead of a total', () => {
    const p = questionPrompt(
      { question: aQuestion({ topic: 'caching', difficulty: 'hard', prompt: 'Why?' }), choiceOrder: [0, 1, 2] },
      { index: 4, total: 30, adaptive: true },
      paint,
    );
    expect(String(p.config.message).split('\n')[0]).toBe('Question 5 · adaptive · caching · hard');
  });

  it('multiple choice: a checkbox that returns the picked texts', async () => {
    const q = aQuestion({ type: 'multiple', prompt: 'Pick the right ones.' });
    const p = questionPrompt({ question: q, choiceOrder: [0, 1, 2] }, at, paint);
    if (p.kind !== 'checkbox') throw new Error(p.kind);
    const { answer, events, getScreen } = await render(checkbox, p.config);
    events.keypress('space');
    events.keypress('down');
    events.keypress('down');
    events.keypress('space');
    expect(getScreen()).toMatchInlineSnapshot(`
      "? Question 3/10 · topic-a · medium
      Pick the right ones.
      Select all that apply.

       ◉ Right
       ◯ Wrong A
      ❯◉ Wrong B

      ↑↓ navigate • space select • a all • i invert • ⏎ submit"
    `);
    events.keypress('enter');
    await expect(answer).resolves.toEqual(['Right', 'Wrong B']);
  });

  it('boolean: True/False', async () => {
    const p = questionPrompt({ question: aQuestion({ type: 'boolean', answer: false, prompt: 'Statement.' }), choiceOrder: [] }, at, paint);
    if (p.kind !== 'select') throw new Error(p.kind);
    const { answer, events, getScreen } = await render(select, p.config);
    expect(getScreen()).toMatchInlineSnapshot(`
      "? Question 3/10 · topic-a · medium
      Statement.

      ❯ True
        False

      ↑↓ navigate • ⏎ select"
    `);
    events.keypress('down');
    events.keypress('enter');
    await expect(answer).resolves.toBe(false);
  });

  it('number: refuses text that is not a number, accepts a decimal', async () => {
    const p = questionPrompt(
      { question: aQuestion({ type: 'number', answer: 1, tolerance: 0, prompt: 'How many?' }), choiceOrder: [] },
      at,
      paint,
    );
    if (p.kind !== 'input') throw new Error(p.kind);
    const { answer, events, getScreen } = await render(input, p.config);
    events.type('lots');
    events.keypress('enter');
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 10));
    expect(getScreen()).toContain('Enter a number, such as 42 or 0.5.');
    for (let i = 0; i < 4; i++) events.keypress('backspace');
    events.type('2.5');
    events.keypress('enter');
    expect(p.parse(await answer)).toBe(2.5);
  });

  it('wraps long choices by word within 80 columns', async () => {
    const long = 'The row locks last until the transaction ends, so a worker that crashes releases its jobs';
    const q = aQuestion({
      choices: [
        { text: long, correct: true },
        { text: 'Short', correct: false, why: 'x' },
      ],
    });
    const p = questionPrompt({ question: q, choiceOrder: [0, 1] }, at, paint);
    if (p.kind !== 'select') throw new Error(p.kind);
    const { getScreen } = await render(select, p.config);
    const lines = getScreen().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines).toContain('  releases its jobs');
  });

  it('aligns wrapped checkbox items under their text', async () => {
    const long = 'Workers skip rows another worker has locked instead of waiting, so they claim disjoint batches';
    const q = aQuestion({
      type: 'multiple',
      choices: [
        { text: long, correct: true },
        { text: 'Short', correct: false, why: 'x' },
      ],
    });
    const p = questionPrompt({ question: q, choiceOrder: [0, 1] }, at, paint);
    if (p.kind !== 'checkbox') throw new Error(p.kind);
    const { getScreen } = await render(checkbox, p.config);
    const lines = getScreen().split('\n');
    const first = lines.findIndex((l) => l.includes('Workers skip'));
    expect(lines[first]!.indexOf('Workers')).toBe(3);
    expect(lines[first + 1]).toMatch(/^ {3}\S/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('marks an answered question neutrally: a green ✔ would read as "right" next to a wrong answer', async () => {
    const p = questionPrompt({ question: aQuestion({ prompt: 'Pick one.' }), choiceOrder: [0, 1, 2] }, at, paint);
    if (p.kind !== 'select') throw new Error(p.kind);
    const { answer, events, getScreen } = await render(select, p.config);
    events.keypress('down');
    events.keypress('enter');
    await expect(answer).resolves.toBe('Wrong A');
    expect(getScreen()).not.toContain('✔');
    expect(getScreen().startsWith('› Question 3/10')).toBe(true);
  });

  describe('a question taller than the terminal', () => {
    const prompt = ['A long setup.', '', '```sql', ...Array.from({ length: 30 }, (_, i) => `SELECT ${i};`), '```'].join('\n');
    const q = aQuestion({
      type: 'multiple',
      prompt,
      choices: Array.from({ length: 20 }, (_, i) => ({ text: `Choice ${i}`, correct: i === 0 })),
    });
    const timed = { ...at, deadline: Date.now() + 600_000, limitMs: 600_000 };

    it('is written once above the prompt, which redraws only the header, the hint and a page of choices', async () => {
      const p = questionPrompt({ question: q, choiceOrder: [...Array(20).keys()] }, timed, paint, 60, Date.now, 20);
      if (p.kind !== 'checkbox') throw new Error(p.kind);
      expect(p.before).toContain('SELECT 29;');
      expect(String(p.config.message)).not.toContain('SELECT');
      const { answer, events, getScreen } = await render(checkbox, p.config);
      const shown = getScreen().split('\n');
      expect(shown[0]).toMatch(/^\? Question 3\/10 · topic-a · medium · \d+:\d\d left$/);
      expect(shown.length).toBeLessThan(20);
      expect(shown.filter((l) => /Choice \d+$/.test(l)).length).toBe(p.config.pageSize);
      events.keypress('enter');
      await answer;
    });

    it('is asked whole when the terminal has room for it', () => {
      const p = questionPrompt({ question: q, choiceOrder: [...Array(20).keys()] }, timed, paint, 80, Date.now, 80);
      expect(p.before).toBeUndefined();
      expect(String(p.config.message)).toContain('SELECT 29;');
    });
  });

  describe('the answer echoed once given', () => {
    const a = 'Workers skip rows another worker has locked instead of waiting, so they claim disjoint batches';
    const b = 'The row locks last until the transaction ends, so a worker that crashes releases its jobs';
    const multiple = aQuestion({
      type: 'multiple',
      prompt: 'Pick.',
      choices: [
        { text: a, correct: true },
        { text: b, correct: true },
        { text: 'Short', correct: false, why: 'x' },
      ],
    });

    it('lists picked choices wrapped like the choices, not joined into one long line', async () => {
      const p = questionPrompt({ question: multiple, choiceOrder: [0, 1, 2] }, at, paint);
      if (p.kind !== 'checkbox') throw new Error(p.kind);
      const { answer, events, getScreen } = await render(checkbox, p.config);
      events.keypress('space');
      events.keypress('down');
      events.keypress('space');
      events.keypress('enter');
      await answer;
      expect(getScreen()).toMatchInlineSnapshot(`
        "› Question 3/10 · topic-a · medium
        Pick.
        Select all that apply.
         ◉ Workers skip rows another worker has locked instead of waiting, so they
           claim disjoint batches
         ◉ The row locks last until the transaction ends, so a worker that crashes
           releases its jobs"
      `);
    });

    it('starts on a line of its own under a timed header, and wraps a long single choice too', async () => {
      const timed = { ...at, deadline: Date.now() + 600_000, limitMs: 600_000 };
      const p = questionPrompt({ question: multiple, choiceOrder: [1, 0, 2] }, timed, paint);
      if (p.kind !== 'checkbox') throw new Error(p.kind);
      const { answer, events, getScreen } = await render(checkbox, p.config);
      events.keypress('space');
      events.keypress('enter');
      await answer;
      expect(getScreen()).toBe(
        '› Question 3/10 · topic-a · medium\n ◉ The row locks last until the transaction ends, so a worker that crashes\n   releases its jobs',
      );

      const single = questionPrompt(
        {
          question: aQuestion({
            prompt: 'Pick one.',
            choices: [
              { text: b, correct: true },
              { text: 'Short', correct: false, why: 'x' },
            ],
          }),
          choiceOrder: [0, 1],
        },
        at,
        paint,
      );
      if (single.kind !== 'select') throw new Error(single.kind);
      const one = await render(select, single.config);
      one.events.keypress('enter');
      await expect(one.answer).resolves.toBe(b);
      expect(one.getScreen().split('\n').slice(-2)).toEqual([
        ' The row locks last until the transaction ends, so a worker that crashes',
        ' releases its jobs',
      ]);
    });
  });

  describe('with a time limit', () => {
    afterEach(() => vi.useRealTimers());

    it('counts down in the header while the question is open, with notices at 5 minutes and 1 minute', async () => {
      vi.useFakeTimers({ now: 0, toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
      const q = aQuestion({ prompt: 'Pick one.' });
      const timed = { index: 0, total: 3, deadline: 5 * 60_000 + 2_000, limitMs: 30 * 60_000 };
      const p = questionPrompt({ question: q, choiceOrder: [0, 1, 2] }, timed, paint, 80, Date.now);
      if (p.kind !== 'select') throw new Error(p.kind);
      const { answer, events, getScreen } = await render(select, p.config);
      expect(getScreen()).toMatchInlineSnapshot(`
        "? Question 1/3 · topic-a · medium · 5:02 left
        Pick one.

        ❯ Right
          Wrong A
          Wrong B

        ↑↓ navigate • ⏎ select"
      `);
      await vi.advanceTimersByTimeAsync(3_000);
      expect(getScreen()).toMatchInlineSnapshot(`
        "? Question 1/3 · topic-a · medium · 4:59 left
        Less than 5 minutes left.
        Pick one.

        ❯ Right
          Wrong A
          Wrong B

        ↑↓ navigate • ⏎ select"
      `);
      await vi.advanceTimersByTimeAsync(4 * 60_000);
      expect(getScreen().split('\n').slice(0, 2)).toMatchInlineSnapshot(`
        [
          "? Question 1/3 · topic-a · medium · 0:59 left",
          "Less than a minute left: unanswered questions score nothing.",
        ]
      `);
      events.keypress('enter');
      await expect(answer).resolves.toBe('Right');
    });

    it('gives no 5-minute notice in a sitting that was shorter than that', () => {
      const q = aQuestion({ prompt: 'Pick one.' });
      const p = questionPrompt(
        { question: q, choiceOrder: [0, 1, 2] },
        { index: 0, total: 1, deadline: 100_000, limitMs: 120_000 },
        paint,
        80,
        () => 0,
      );
      expect(String(p.config.message)).toContain('1:40 left');
      expect(String(p.config.message)).not.toContain('minutes left');
    });
  });

  describe('the start menu', () => {
    it('offers a hands-on task only where the banks have tasks', async () => {
      const { answer, events, getScreen } = await render(select, menuPrompt({ due: 0, mistakes: 0, tasks: 0 }, paint));
      expect(getScreen()).not.toContain('Hands-on task');
      events.keypress('enter');
      await expect(answer).resolves.toBe('quiz');
      const withTasks = await render(select, menuPrompt({ due: 0, mistakes: 0, tasks: 4 }, paint));
      withTasks.events.keypress('down');
      withTasks.events.keypress('enter');
      await expect(withTasks.answer).resolves.toBe('task');
    });

    it('lands a candidate with questions due on practice', async () => {
      const { answer, events, getScreen } = await render(select, menuPrompt({ due: 7, mistakes: 3 }, paint));
      expect(getScreen()).toMatchInlineSnapshot(`
        "? What would you like to do?
        ❯ Practice (7 due)
          Quiz
          Retry mistakes (3)
          Progress
          Quit

        Questions due for review first, then new ones, with feedback after each.
        ↑↓ navigate • ⏎ select
        Ctrl-C or Quit to leave."
      `);
      events.keypress('enter');
      await expect(answer).resolves.toBe('practice');
    });

    it('lands a first visit on a quiz, with nothing to retry yet', async () => {
      const { answer, events, getScreen } = await render(select, menuPrompt({ due: 0, mistakes: 0 }, paint));
      expect(getScreen()).toMatchInlineSnapshot(`
        "? What would you like to do?
          Practice (0 due)
        ❯ Quiz
        - Retry mistakes (none yet)
          Progress
          Quit

        Pick topics, a number of questions and difficulties; review at the end.
        ↑↓ navigate • ⏎ select
        Ctrl-C or Quit to leave."
      `);
      events.keypress('down');
      events.keypress('enter');
      expect(getScreen()).toContain('This option is disabled and cannot be selected.');
      events.keypress('down');
      events.keypress('enter');
      await expect(answer).resolves.toBe('progress');
    });
  });
});

describe('the topic picker', () => {
  it('keeps each topic on one line at 60 columns, cutting the title and never the id, and shows no raw escapes', () => {
    const banks = [
      aBank('distributed-systems', 48, { title: 'Distributed Systems Fundamentals' }),
      aBank('caching', 3, { title: 'Caching' }),
      aBank('evil', 1, { title: 'Evil \u001b]0;owned\u0007 title' }),
    ];
    const names = topicChoices(banks, paint, 60).map((c) => c.name);
    for (const n of names) expect([...n].length).toBeLessThanOrEqual(56);
    expect(names[0]).toBe('Distributed Systems Fundament… (distributed-systems, 48)');
    expect(names[1]).toBe('Caching (caching, 3)');
    expect(names[2]).not.toContain('\u001b');
  });
});
