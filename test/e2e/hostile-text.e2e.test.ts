// Outside text on the built bin: file names, a pack's text, a candidate's name and answers, with
// escape sequences, OSC title and clipboard writes and right-to-left overrides. None of it may
// reach the terminal or a report raw; each is shown as a visible \uXXXX.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDigest } from '../../src/assessment/digest.js';
import type { Question } from '../../src/bank/types.js';
import type { Summary } from '../../src/engine/summary.js';
import { openStore } from '../../src/store/db.js';
import { closeSession, createSession, recordAnswer } from '../../src/store/sessions.js';
import { aQuestion, root, tmpDir } from '../helpers.js';
import { htmlProblems } from '../html-check.js';
import { KEY, Terminal } from './terminal.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');

/** Characters that act on a terminal or reorder text, and lone surrogates; newline and tab apart. */
const ACTS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: path.join(cwd, '.cache'), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('import: file names', () => {
  it('a name with ESC and OSC sequences, one with a newline and one with U+202E: one safe line each', () => {
    const dir = tmpDir();
    const results = path.join(dir, 'results');
    fs.mkdirSync(results);
    const names = ['\u001b[2J\u001b]0;pwned\u0007\u001b[31mRED.json', 'new\nline.json', '\u202egnp.json'];
    for (const n of names) fs.writeFileSync(path.join(results, n), 'x');
    const r = cli(['import', results, '--db', path.join(dir, 'q.db')], dir);
    expect(r.stdout).not.toMatch(ACTS);
    const lines = r.stdout.trimEnd().split('\n');
    // One line per refused file, then the count.
    expect(lines.filter((l) => l.startsWith('✘ '))).toHaveLength(3);
    expect(lines).toHaveLength(4);
    expect(r.stdout).toContain('\\u001b[2J\\u001b]0;pwned\\u0007\\u001b[31mRED.json');
    expect(r.stdout).toContain('new\\u000aline.json');
    expect(r.stdout).toContain('\\u202egnp.json');
  });
});

describe("a pack's text", () => {
  let dir: string;
  const title = 'Title \u001b]0;pwned-title\u0007 \u202e';
  const instructions = 'Instr \u001b]52;c;SGVsbG8=\u0007 line \u202e';

  beforeAll(() => {
    dir = tmpDir();
    // JSON strings are YAML double-quoted strings, escapes included.
    fs.writeFileSync(
      path.join(dir, 'a.yaml'),
      [
        'assessment: hostile-text',
        `title: ${JSON.stringify(title)}`,
        `instructions: ${JSON.stringify(instructions)}`,
        'sections:',
        '  - questions: [http-apis/created-response, http-apis/patch-idempotency]',
        'time_limit: 30m',
        'scripted: allowed',
        '',
      ].join('\n'),
    );
    const packed = cli(['assessment', 'pack', 'a.yaml', '-o', 'clean.pack.json', '--db', 'int.db'], dir);
    expect(packed.code, packed.stderr).toBe(0);
    // Bank text is made safe when a bank is read; a pack is its author's, so its text is set here
    // as a hostile author would write it, and sealed again.
    const pack = JSON.parse(fs.readFileSync(path.join(dir, 'clean.pack.json'), 'utf8'));
    for (const q of Object.values(pack.questions) as { prompt: string; choices?: string[]; topic: string }[]) {
      q.prompt = `Prompt \u001b]0;pwned-prompt\u0007\u001b[2J here \u202e ${q.prompt}`;
      if (q.choices) q.choices[0] = `choice \u001b]52;c;SGVsbG8=\u0007 x \u202e${q.choices[0]}`;
    }
    pack.digest = contentDigest(pack);
    fs.writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(pack));
  });

  it('assessment check prints the title made safe', () => {
    const r = cli(['assessment', 'check', 'a.yaml'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(ACTS);
    expect(r.stdout.split('\n')[0]).toContain("'hostile-text' (Title \\u001b]0;pwned-title\\u0007 \\u202e) is valid");
  });

  it('--print-form shows the prompts and choices made safe, as text and as JSON', () => {
    const r = cli(['take', 'pack.json', '--print-form', '--db', 'cand.db'], dir, { CI: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(ACTS);
    expect(r.stdout).toContain('Prompt \\u001b]0;pwned-prompt\\u0007\\u001b[2J here \\u202e');
    expect(r.stdout).toContain('choice \\u001b]52;c;SGVsbG8=\\u0007 x \\u202e');
    const json = cli(['take', 'pack.json', '--print-form', '--json', '--db', 'cand.db'], dir, { CI: '1' });
    expect(json.stdout.replace(/\n/g, '')).not.toMatch(ACTS);
    expect(JSON.parse(json.stdout).questions[0].prompt).toMatch(/^Prompt \u001b\]0;pwned-prompt\u0007/);
  });

  it("the candidate's terminal: briefing and question show the escapes, never obey them", async () => {
    const t = new Terminal(['take', 'pack.json', '--candidate', 'Ann', '--db', path.join(dir, 'pty.db')], { NO_COLOR: '1' }, 80, 40, dir);
    try {
      await t.waitFor('Press Enter to start');
      expect(t.text).toContain('Title \\u001b]0;pwned-title\\u0007 \\u202e');
      expect(t.text).toContain('Instr \\u001b]52;c;SGVsbG8=\\u0007 line \\u202e');
      t.press(KEY.enter);
      await t.waitFor('Question 1/2');
      await t.waitFor('here \\u202e');
      // Raw output, escape sequences included: the prompt library's own cursor and colour
      // sequences are CSI; an OSC (title, clipboard, hyperlink) or a bidi control is the pack's.
      expect(t.output).not.toMatch(/\u001b\]|[\u202a-\u202e\u2066-\u2069]/);
      expect(t.output).not.toContain('\u001b[2J');
    } finally {
      t.press(KEY.ctrlC);
      await t.exited;
    }
  }, 60_000);
});

describe("a candidate's name and text answer, as an import stores them", () => {
  let dir: string;
  let db: string;
  const names = [
    'evil\u202etxt.exe',
    'a\u0000b',
    '\u001b[31mRED\u001b]0;pwned\u0007',
    '\u2066admin\u2069\u2067x',
    'x\ud800y',
    'line1\nline2',
    'non\uFFFEchar\uFDD0acters\u{10FFFF}',
  ];
  const answer = '\u001b[2J\u001b]0;pwned\u0007 evil\u202etxt.exe';
  const ids = names.map((_, i) => `hostile${i}x`);

  beforeAll(() => {
    dir = tmpDir();
    db = path.join(dir, 'int.db');
    const store = openStore(db, 'write');
    try {
      const q = { ...aQuestion({ key: 'http-apis/name', topic: 'http-apis', type: 'text', accept: ['gone'] }) } as Question & {
        choices?: unknown;
      };
      delete q.choices;
      names.forEach((candidate, i) => {
        const item = { question: q as Question, choiceOrder: [] };
        createSession(store, {
          id: ids[i]!,
          candidate,
          startedAt: `2026-03-02T09:0${i}:00.000Z`,
          seed: i,
          settings: { topics: ['http-apis'], count: 1, difficulties: ['medium'], feedback: 'end', mode: 'scripted' },
          items: [item],
        });
        recordAnswer(
          store,
          ids[i]!,
          { position: 0, item, response: answer, outcome: 'wrong', points: 0, maxPoints: 1, timeMs: 1000 },
          `2026-03-02T09:0${i}:30.000Z`,
        );
        closeSession(store, ids[i]!, 'finished', { score: 0, maxScore: 1 } as Summary, `2026-03-02T09:0${i}:40.000Z`);
      });
    } finally {
      store.close();
    }
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('show prints the answer and the name made safe', () => {
    const r = cli(['show', ids[0]!, '--db', db], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(ACTS);
    expect(r.stdout).toContain('Your answer: \\u001b[2J\\u001b]0;pwned\\u0007 evil\\u202etxt.exe');
    expect(r.stdout).toContain('Result for evil\\u202etxt.exe');
  });

  it('history: one line per session, names made safe', () => {
    const r = cli(['history', '--db', db], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(ACTS);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(names.length + 1);
    expect(r.stdout).toContain('evil\\u202etxt.e');
  });

  it.each(['text', 'md', 'html'])('report --format %s: nothing raw', async (format) => {
    const r = cli(['report', ...ids, '--format', format, '--db', db], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(ACTS);
    expect(r.stdout).toMatch(/evil\\{1,2}u202etxt\.exe/);
    // HTML: what html-validate and the HTML parser find (noncharacters among them) is nothing.
    if (format === 'html') {
      expect(await htmlProblems(r.stdout)).toEqual([]);
      expect(r.stdout).toContain('non\uFFFDchar\uFFFDacters\uFFFD');
    }
  });

  it('report --format csv: no NUL, ESC or override in a cell', () => {
    const r = cli(['report', ...ids, '--format', 'csv', '--db', db], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\r\n|\n/g, '')).not.toMatch(ACTS);
    expect(r.stdout).toContain(',evil\\u202etxt.exe,');
    expect(r.stdout).toContain(',a\\u0000b,');
  });

  it('report --format json: the exact names, escaped', () => {
    const r = cli(['report', ...ids, '--format', 'json', '--db', db], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\n/g, '')).not.toMatch(ACTS);
    const got = JSON.parse(r.stdout).candidates.map((c: { candidate: string }) => c.candidate);
    // SQLite stores text as UTF-8, which has no lone surrogates: from there on U+FFFD stands for
    // each byte of one (three), which shows that something was there.
    expect([...got].sort()).toEqual(names.map((n) => n.replace(/\p{Cs}/gu, '\ufffd'.repeat(3))).sort());
  });
});
