// Hands-on tasks in a real pseudo-terminal: the editor, Run, Submit, Ctrl-C and resume with the
// draft, and a timed sitting whose time runs out with a draft.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../helpers.js';
import { writeTaskBank } from '../fixtures/tasks/tasks.js';
import { KEY, Terminal } from './terminal.js';

const SQL_WRONG = 'SELECT c.name, count(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name;';
const SQL_RIGHT = 'SELECT c.name, count(o.id) AS orders\nFROM customers c LEFT JOIN orders o ON o.customer_id = c.id\nGROUP BY c.id;';
const CODE_WRONG = 'function sumList(xs) {\n  return xs.reduce((a, b) => a + b);\n}';
const CODE_RIGHT = 'function sumList(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}';

/** A bank of tasks, and an "editor" that records what it was given and writes the answer the test chose. */
function setup() {
  const dir = tmpDir();
  const cache = path.join(dir, 'cache');
  const banks = writeTaskBank(dir, cache);
  const editor = path.join(dir, 'editor.sh');
  const answer = path.join(dir, 'answer.txt');
  const seen = path.join(dir, 'seen.txt');
  fs.writeFileSync(editor, `#!/bin/sh\ncp "$1" "${seen}"\ncat "${answer}" > "$1"\n`, { mode: 0o755 });
  const env = { XDG_CACHE_HOME: cache, EDITOR: editor, VISUAL: '' };
  return {
    dir,
    banks,
    env,
    db: path.join(dir, 'r.db'),
    write: (text: string) => fs.writeFileSync(answer, text),
    seen: () => fs.readFileSync(seen, 'utf8'),
  };
}

const MENU = '↑↓ navigate • ⏎ select';

/** Chooses an action of the task menu by its place: Edit, Run, Submit, Skip; the menu's default is Edit before any answer and Run after. */
async function act(t: Terminal, from: number, action: 'edit' | 'run' | 'submit', touched: boolean): Promise<number> {
  const at = await t.waitFor(MENU, from);
  const order = ['edit', 'run', 'submit'];
  const moves = order.indexOf(action) - (touched ? 1 : 0);
  t.press(...Array(Math.max(0, moves)).fill(KEY.down), ...Array(Math.max(0, -moves)).fill(KEY.up), KEY.enter);
  return at + MENU.length;
}

/** Edits through the menu and waits for the menu that follows the editor: a moved cursor redraws the first menu too. */
async function edit(t: Terminal, from: number, touched: boolean): Promise<number> {
  const after = await t.waitFor('› Your answer', await act(t, from, 'edit', touched));
  return t.waitFor(MENU, after);
}

describe('tasks in a terminal', () => {
  it('opens a SQL task and a code task, edits in $EDITOR, runs the visible tests and submits', async () => {
    const s = setup();
    const t = new Terminal(['--banks', s.banks, 'take', '--tasks', '-t', 'tasks', '-n', '2', '--seed', '4', '--db', s.db], s.env, 80, 30);
    try {
      for (let i = 1; i <= 2; i++) {
        const start = await t.waitFor(`Question ${i}/2 · tasks`);
        const screenEnd = await t.waitFor(MENU, start);
        const sql = t.text.slice(start, screenEnd).includes('Tables (SQLite)');
        if (sql) {
          expect(t.text.slice(start, screenEnd)).toMatch(/customers \(id INTEGER, name TEXT\)/);
          expect(t.text.slice(start, screenEnd)).toMatch(/ {2}3 +│ Grace/);
        } else {
          expect(t.text.slice(start, screenEnd)).toContain('function sumList(xs)');
          expect(t.text.slice(start, screenEnd)).toContain('sumList([1,2,3]) → 6');
        }
        s.write(sql ? SQL_WRONG : CODE_WRONG);
        let from = await edit(t, start, false);
        // The editor was given the starter.
        expect(s.seen()).toBe(sql ? 'SELECT\n' : 'function sumList(xs) {\n  // your code\n}\n');
        from = await act(t, from, 'run', true);
        const failed = await t.waitFor(/Run: \d of \d visible tests? passed/, from);
        await t.waitFor(MENU, failed);
        const shown = t.text.slice(failed);
        if (sql) {
          expect(shown).toContain('Run: 0 of 1 visible test passed');
          expect(shown).toMatch(/Your rows +Expected/);
          expect(shown).toMatch(/Grace +│ 0/);
        } else {
          expect(shown).toContain('Run: 1 of 2 visible tests passed');
          expect(shown).toContain('✔ sumList([1,2,3])');
          expect(shown).toMatch(/✘ sumList\(\[\]\)\r?\n.*TypeError/);
        }
        s.write(sql ? SQL_RIGHT : CODE_RIGHT);
        from = await edit(t, failed, true);
        // The editor was given the draft.
        expect(s.seen()).toBe(sql ? SQL_WRONG : CODE_WRONG);
        from = await act(t, from, 'run', true);
        const passed = await t.waitFor(/Run: (1 of 1|2 of 2) visible tests? passed/, from);
        await act(t, passed, 'submit', true);
      }
      await t.waitFor('By topic');
      expect(await t.exited).toBe(0);
      expect(t.text).toContain('Score 5/5 · 100% · 2 of 2 fully right');
    } finally {
      t.kill();
    }
  });

  it('without an editor, takes the answer typed line by line and ended by a "." line', async () => {
    const s = setup();
    const args = ['--banks', s.banks, 'take', '--tasks', '-t', 'tasks', '-d', 'easy', '-n', '1', '--db', s.db];
    const t = new Terminal(args, { ...s.env, EDITOR: '', VISUAL: '' }, 60, 20);
    try {
      const start = await t.waitFor('No $EDITOR is set');
      await act(t, start, 'edit', false);
      const typing = await t.waitFor('End with a line holding only');
      for (const line of CODE_RIGHT.split('\n')) t.press(line, KEY.enter);
      t.press('.', KEY.enter);
      const from = await t.waitFor('Your answer (3 lines)', typing);
      const ran = await act(t, from, 'run', true);
      await t.waitFor('Run: 2 of 2 visible tests passed', ran);
      await act(t, ran, 'submit', true);
      await t.waitFor('By topic');
      expect(await t.exited).toBe(0);
      expect(t.text).toContain('Score 2/2 · 100%');
    } finally {
      t.kill();
    }
  });

  it('Ctrl-C keeps the draft, and take --resume gives it back in the editor', async () => {
    const s = setup();
    const args = ['--banks', s.banks, 'take', '--tasks', '-t', 'tasks', '-d', 'easy', '-n', '1', '--db', s.db];
    const t = new Terminal(args, s.env, 80, 24);
    let id: string;
    try {
      const start = await t.waitFor('Question 1/1 · tasks · easy');
      s.write(CODE_WRONG);
      await edit(t, start, false);
      t.press(KEY.ctrlC);
      expect(await t.exited).toBe(130);
      expect(t.text).toMatch(/Quiz interrupted: 0 of 1 answers, and the draft of 1 task, saved in session \w+/);
      id = /--resume (\w+)/.exec(t.text)![1]!;
    } finally {
      t.kill();
    }
    const r = new Terminal(['--banks', s.banks, 'take', '--resume', id, '--db', s.db], s.env, 80, 24);
    try {
      await r.waitFor('Press Enter to continue');
      r.press(KEY.enter);
      const start = await r.waitFor('Your draft is restored (3 lines, 0 runs).');
      s.write(CODE_RIGHT);
      const from = await edit(r, start, true);
      expect(s.seen()).toBe(CODE_WRONG);
      await act(r, from, 'submit', true);
      await r.waitFor('By topic');
      expect(await r.exited).toBe(0);
      expect(r.text).toContain('Score 2/2 · 100%');
    } finally {
      r.kill();
    }
  });

  it('when time runs out in a task, submits the latest draft and says so', async () => {
    const s = setup();
    fs.writeFileSync(
      path.join(s.dir, 'timed.yaml'),
      [
        'assessment: timed-task',
        'title: Timed task',
        'sections:',
        '  - questions: [tasks/sum-list]',
        'time_limit: 6s',
        'feedback: end',
      ].join('\n'),
    );
    const t = new Terminal(
      ['--banks', s.banks, 'take', '--assessment', 'timed.yaml', '--candidate', 'tim', '--db', s.db],
      s.env,
      80,
      24,
      s.dir,
    );
    try {
      await t.waitFor('Press Enter to start');
      t.press(KEY.enter);
      const start = await t.waitFor('Question 1/1 · tasks · easy');
      s.write(CODE_RIGHT);
      await act(t, start, 'edit', false);
      const up = await t.waitFor('Time is up: your latest draft is submitted.');
      // The clock ticked every second, and only the menu was redrawn: the task is on screen once.
      expect([...t.text.slice(start, up).matchAll(/\d+:\d\d left/g)].length).toBeGreaterThan(2);
      const { scrollback, screen } = await t.lines();
      expect([...scrollback, ...screen].filter((l) => l.startsWith('Implement sumList(xs)')).length).toBe(1);
      await t.waitFor('Result for tim');
      expect(await t.exited).toBe(0);
      expect(t.text).toContain('Time is up: 1 of 1 questions answered');
      expect(t.text).toContain('Score 2/2 · 100%');
    } finally {
      t.kill();
    }
  });
});
