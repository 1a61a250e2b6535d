// A real pseudo-terminal: arrow keys, space and typing, as a candidate uses the quiz.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { fixtures, tmpDir } from '../helpers.js';
import { KEY, Terminal, answerRight } from './terminal.js';

const banks = path.join(fixtures, 'banks', 'valid');

describe('in a terminal', () => {
  it('answers a 3-question quiz with keystrokes and shows the summary', async () => {
    const db = path.join(tmpDir(), 'r.db');
    const t = new Terminal(
      ['--banks', banks, 'take', '-t', 'fixture', '-d', 'easy', '-n', '3', '--seed', '5', '--candidate', 'tty-user', '--db', db],
      {},
    );
    try {
      for (let i = 1; i <= 3; i++) await answerRight(t, await t.waitFor(`Question ${i}/3 · fixture · easy`));
      await t.waitFor('By topic');
      expect(await t.exited).toBe(0);
      expect(t.text).toContain('Result for tty-user');
      expect(t.text).toContain('Score 3/3 · 100% · 3 of 3 fully right');
      expect(t.text).toMatch(/fixture\s+█{20}\s+100%/);
      expect(t.text).toContain('Every answer was right.');
    } finally {
      t.kill();
    }
  });

  it('Ctrl-C in the middle keeps the answers already given', async () => {
    const db = path.join(tmpDir(), 'r.db');
    const t = new Terminal(['--banks', banks, 'take', '-t', 'fixture', '-d', 'easy', '-n', '3', '--seed', '5', '--db', db], {});
    try {
      await answerRight(t, await t.waitFor('Question 1/3'));
      await t.waitFor('Question 2/3');
      t.press(KEY.ctrlC);
      expect(await t.exited).toBe(130);
      expect(t.text).toMatch(/Quiz interrupted: 1 of 3 answers saved in session \w+ \(marked abandoned\)\./);
      expect(t.text).not.toMatch(/^\s+at /m);
      const sql = new Sqlite(db, { readonly: true });
      expect(sql.prepare('SELECT status, score FROM sessions').get()).toEqual({ status: 'abandoned', score: 1 });
      expect(sql.prepare('SELECT position, outcome FROM answers').all()).toEqual([{ position: 0, outcome: 'right' }]);
      sql.close();
    } finally {
      t.kill();
    }
  });

  it('with no arguments opens the start menu, which leads into the quiz', async () => {
    const db = path.join(tmpDir(), 'r.db');
    const t = new Terminal([], { BACKEND_QUIZ_DB: db });
    try {
      // A first visit: nothing is due, so the cursor starts on Quiz.
      await t.waitFor('❯ Quiz');
      t.press(KEY.enter);
      await t.waitFor('Which topics?');
      // A topic lists its questions, not its tasks (caching holds 48 and six tasks).
      await t.waitFor('Caching (caching, 48)');
      t.press(KEY.space, KEY.enter);
      const at = await t.waitFor('How many questions?');
      t.press('\u007f\u007f', '1', KEY.enter);
      await t.waitFor('Which difficulties?', at);
      t.press(KEY.enter);
      await t.waitFor(/Question 1\/1 · [a-z-]+ · (easy|medium|hard)/);
      t.press(KEY.ctrlC);
      expect(await t.exited).toBe(130);
    } finally {
      t.kill();
    }
  });

  it('uses colour in a terminal, and none with NO_COLOR', async () => {
    // CI is cleared: the spinner stays quiet under CI, and this test is about a person's terminal.
    const coloured = new Terminal(['--banks', banks, 'validate', banks], { CI: '' });
    expect(await coloured.exited).toBe(0);
    const plain = new Terminal(['--banks', banks, 'validate', banks], { NO_COLOR: '1', CI: '' });
    expect(await plain.exited).toBe(0);
    const raw = (t: Terminal): string => (t as unknown as { raw: string }).raw;
    expect(raw(coloured)).toMatch(/\u001b\[32m✔ 1 bank/);
    expect(raw(coloured)).toMatch(/Checking .*fixture\.yaml \(1\/1\)/); // the spinner, in a terminal only
    expect(raw(plain)).toContain('✔ 1 bank');
    expect(raw(plain)).not.toMatch(/\u001b\[\d+m/);
    const ci = new Terminal(['--banks', banks, 'validate', banks], { CI: 'true' });
    expect(await ci.exited).toBe(0);
    expect(ci.text.trim()).toBe('✔ 1 bank, 5 questions: no problems');
  });

  it('keeps a question taller than the terminal usable: one copy in the scrollback, the countdown on screen', async () => {
    const dir = tmpDir();
    // The tallest built-in question, about 43 rows at 80 columns and more at 60, in a timed sitting
    // whose header counts down every second.
    fs.writeFileSync(
      path.join(dir, 'tall.yaml'),
      [
        'assessment: tall',
        'title: Tall',
        'sections:',
        '  - questions: [databases-sql/left-join-filter-placement]',
        'time_limit: 10m',
        'feedback: end',
      ].join('\n'),
    );
    const t = new Terminal(['take', '--assessment', 'tall.yaml', '--candidate', 'tall', '--db', path.join(dir, 'r.db')], {}, 60, 20, dir);
    try {
      await t.waitFor('Press Enter to start');
      t.press(KEY.enter);
      await t.waitFor('Select all that apply.');
      t.press(KEY.down, KEY.down, KEY.space);
      // Two ticks of the clock (the time left shown changes twice), then more keys.
      const CLOCK = /(\d+:\d\d) left/;
      for (let tick = 0; tick < 2; tick++) {
        const shown = [...t.text.matchAll(/(\d+:\d\d) left/g)].at(-1)?.[1];
        for (let from = t.text.length; ;) {
          const i = await t.waitFor(CLOCK, from);
          if (CLOCK.exec(t.text.slice(i))![1] !== shown) break;
          from = i + 1;
        }
      }
      t.press(KEY.down, KEY.space);
      const ticked = (screen: string[]): string[] => screen.filter((l) => /^[❯ ]◉/.test(l));
      const { scrollback, screen } = await t.waitForScreen((s) => ticked(s).length === 2);
      const copies = [...scrollback, ...screen].filter((l) => l.startsWith('A PostgreSQL report must list every')).length;
      expect(copies).toBe(1);
      expect(screen.join('\n')).toMatch(/Question 1\/1 · databases-sql · \w+ · \d+:\d\d left/);
      t.press(KEY.enter);
      await t.waitFor('Result for tall');
      expect(await t.exited).toBe(0);
    } finally {
      t.kill();
    }
  });

  it('wraps the end review and show to a 60-column terminal, and repeats the score under a long review', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    fs.writeFileSync(
      path.join(dir, 'wrong.yaml'),
      'fixture/pick-two: One\nfixture/sky-blue: false\nfixture/https-port: 80\nfixture/retry-header: nope\nfixture/small-primes: ["4"]\n',
    );
    const take = new Terminal(
      ['--banks', banks, 'take', '-t', 'fixture', '-n', '5', '--answers', 'wrong.yaml', '--db', db],
      {},
      60,
      20,
      dir,
    );
    expect(await take.exited).toBe(0);
    const id = /backend-quiz show (\w+)/.exec(take.text)![1]!;
    const show = new Terminal(['--banks', banks, 'show', id, '--db', db], {}, 60, 20, dir);
    expect(await show.exited).toBe(0);
    for (const t of [take, show]) {
      const lines = t.text.split(/\r?\n/).map((l) => l.trimEnd());
      expect(t.text).toContain('Which response header tells a client how long');
      for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
      const tail = lines.filter((l) => l !== '').slice(-3);
      expect(tail.some((l) => l === 'Score 0/6 · 0% · 0 of 5 fully right')).toBe(true);
    }
  });

  it('with feedback after each answer, waits for Enter before the next question', async () => {
    const dir = tmpDir();
    const t = new Terminal(
      ['--banks', banks, 'practice', '-t', 'fixture', '-n', '2', '--seed', '3', '--db', path.join(dir, 'r.db')],
      {},
      80,
      24,
      dir,
    );
    try {
      await answerRight(t, await t.waitFor('Question 1/2'));
      const verdict = await t.waitFor('✔ right');
      await t.waitFor('Press Enter for the next question.', verdict);
      expect(t.text).not.toContain('Question 2/2');
      t.press(KEY.enter);
      await answerRight(t, await t.waitFor('Question 2/2'));
      await t.waitFor('Press Enter for the results.');
      t.press(KEY.enter);
      await t.waitFor(/Nothing is due now|due now/);
      expect(await t.exited).toBe(0);
    } finally {
      t.kill();
    }
  });

  it('the start menu comes back after each round, says how to leave, and leaves by Quit or Ctrl-C', async () => {
    const dir = tmpDir();
    const env = { BACKEND_QUIZ_DB: path.join(dir, 'r.db') };
    const t = new Terminal(['--banks', banks], env, 80, 24, dir);
    try {
      await t.waitFor('Ctrl-C or Quit to leave.');
      t.press(KEY.down, KEY.down, KEY.down, KEY.enter); // from Quiz, past Hands-on task and the disabled Retry, to Progress
      const shown = await t.waitFor('No answers yet');
      await t.waitFor('? What would you like to do?', shown);
      t.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter); // from Quiz to Quit, the last entry
      expect(await t.exited).toBe(0);
    } finally {
      t.kill();
    }
    const c = new Terminal(['--banks', banks], env, 80, 24, dir);
    try {
      await c.waitFor('Ctrl-C or Quit to leave.');
      c.press(KEY.ctrlC);
      expect(await c.exited).toBe(130);
      expect(c.text).not.toMatch(/^\s+at /m);
    } finally {
      c.kill();
    }
  });

  it('a resumed practice round stays a practice round: its title, the resume list, the due summary at the end', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    const first = new Terminal(['--banks', banks, 'practice', '-t', 'fixture', '-n', '3', '--db', db], {}, 80, 24, dir);
    try {
      await answerRight(first, await first.waitFor('Question 1/3'));
      await first.waitFor('Press Enter for the next question.');
      first.press(KEY.ctrlC);
      expect(await first.exited).toBe(130);
      expect(first.text).toMatch(/Practice round interrupted: 1 of 3 answers saved/);
    } finally {
      first.kill();
    }
    const id = /take --resume (\w+)/.exec(first.text)![1]!;
    const list = new Terminal(['--banks', banks, 'take', '--resume', '--db', db], {}, 80, 24, dir);
    expect(await list.exited).toBe(0);
    expect(list.text).toMatch(new RegExp(`^${id} .* 1/3 +practice round\\s*$`, 'm'));
    const t = new Terminal(['--banks', banks, 'take', '--resume', id, '--db', db], {}, 80, 24, dir);
    try {
      await t.waitFor(`Practice round ${id}`);
      await t.waitFor('Press Enter to continue.');
      t.press(KEY.enter);
      for (const n of [2, 3]) {
        const at = await t.waitFor(`Question ${n}/3`);
        await answerRight(t, at);
        await t.waitFor(/Press Enter for (the next question|the results)\./, at);
        t.press(KEY.enter);
      }
      await t.waitFor('Result for');
      await t.waitFor(/(Nothing is|questions? (is|are)) due now/);
      expect(await t.exited).toBe(0);
    } finally {
      t.kill();
    }
  });
});
