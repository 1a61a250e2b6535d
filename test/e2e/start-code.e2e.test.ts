// Packs locked with a start code, on the built bin: sealed and checked ahead of the sitting, opened
// by the code (typed in a real terminal or given with --start-code), and timed forms that refuse
// scripted sittings unless the assessment allows them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixtures, root, tmpDir } from '../helpers.js';
import { KEY, Terminal } from './terminal.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const banks = path.join(fixtures, 'banks', 'valid');
const PROMPTS = fs
  .readFileSync(path.join(banks, 'fixture.yaml'), 'utf8')
  .split('\n')
  .flatMap((l) => /^\s+prompt: (?!\|)(.+)$/.exec(l)?.[1] ?? []);

function cli(args: string[], cwd: string, db: string) {
  const r = spawnSync(process.execPath, [bin, '--banks', banks, '--db', path.join(cwd, db), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: '' },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assessment(dir: string, extra: string[]): void {
  fs.writeFileSync(
    path.join(dir, 'fx.yaml'),
    [
      'assessment: fixture-check',
      'title: Fixture check',
      'instructions: Work alone.',
      'sections:',
      '  - topic: fixture',
      '    count: 4',
      ...extra,
    ].join('\n'),
  );
}

const sessions = (file: string): number => {
  if (!fs.existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Seals fx.yaml with a generated start code; returns the code as the interviewer sees it. */
function sealWithCode(dir: string): string {
  const packed = cli(['assessment', 'pack', 'fx.yaml', '-o', 'fx.pack.json', '--start-code'], dir, 'interviewer.db');
  expect(packed.code, packed.stderr).toBe(0);
  const code = /Start code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})/.exec(packed.stdout)?.[1];
  expect(code).toBeDefined();
  return code!;
}

describe('a pack locked with a start code', () => {
  it('pack → --check → scripted sitting with the code → import → reports mark it scripted', () => {
    const dir = tmpDir();
    assessment(dir, ['time_limit: 30m', 'scripted: allowed']);
    const code = sealWithCode(dir);

    // Nothing of the questions can be read from the file.
    const packText = fs.readFileSync(path.join(dir, 'fx.pack.json'), 'utf8');
    expect(PROMPTS.length).toBeGreaterThan(3);
    for (const prompt of PROMPTS) expect(packText).not.toContain(prompt);
    expect(packText).not.toContain('"prompt"');
    expect(packText).toContain('Fixture check');

    const check = cli(['take', 'fx.pack.json', '--check'], dir, 'cand.db');
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('is intact (its digest holds)');
    expect(check.stdout).toContain('4 questions, time limit 30m');
    expect(check.stdout).toMatch(/✔ results database .*cand\.db opens/);
    expect(check.stdout).toContain('Work alone.');
    expect(check.stdout).toMatch(/asks for the start code .*\n.*clock \(30m\) starts when the code opens them/);
    expect(sessions(path.join(dir, 'cand.db'))).toBe(0);

    const template = cli(['take', 'fx.pack.json', '--start-code', code.toLowerCase(), '--answers-template', 'a.yaml'], dir, 'cand.db');
    expect(template.code, template.stderr).toBe(0);
    expect(template.stderr).toContain('--start-code <code>');
    expect(template.stderr).not.toContain(code);
    // The template as written: every drawn question named, none answered.
    const sat = cli(
      ['take', 'fx.pack.json', '--start-code', code, '--answers', 'a.yaml', '-c', 'Ada', '--result-dir', 'inbox'],
      dir,
      'cand.db',
    );
    expect(sat.code, sat.stderr).toBe(0);
    const [file] = fs.readdirSync(path.join(dir, 'inbox'));
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'inbox', file!), 'utf8'));
    expect(result.session.mode).toBe('scripted');
    expect(result.session.openedAt).toBe(result.session.startedAt);

    const imported = cli(['import', 'inbox'], dir, 'interviewer.db');
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Imported 1 result');
    const text = cli(['report', '--assessment', 'fixture-check'], dir, 'interviewer.db');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Session \w+ · scripted · imported/);
    expect(text.stdout).toMatch(/^ +1 +Ada .* scripted$/m);
    for (const [format, mark] of [
      ['md', /\| scripted, imported \|/],
      ['html', />scripted</],
      ['csv', /,finished,scripted,/],
      ['json', /"scripted": true/],
    ] as const) {
      const out = cli(['report', '--assessment', 'fixture-check', '--format', format], dir, 'interviewer.db');
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(mark);
    }
  });

  it('a wrong code is refused in one line, and no session is stored', () => {
    const dir = tmpDir();
    assessment(dir, ['time_limit: 30m', 'scripted: allowed']);
    sealWithCode(dir);
    fs.writeFileSync(path.join(dir, 'a.yaml'), '{}');
    const wrong = cli(['take', 'fx.pack.json', '--start-code', 'AAAA-BBBB-CCCC-DDDD', '--answers', 'a.yaml'], dir, 'cand.db');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe('backend-quiz: that start code does not open this pack\n');
    expect(wrong.stdout).toBe('');
    expect(sessions(path.join(dir, 'cand.db'))).toBe(0);
    const none = cli(['take', 'fx.pack.json', '--answers', 'a.yaml'], dir, 'cand.db');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/locked with a start code: give the code .* with --start-code <code>/);
  });

  it('in a terminal, asks for the code without echoing it, and the clock starts when it opens the pack', async () => {
    const dir = tmpDir();
    assessment(dir, ['time_limit: 30m']);
    const code = sealWithCode(dir);
    const t = new Terminal(
      ['--banks', banks, 'take', 'fx.pack.json', '--candidate', 'tia', '--db', path.join(dir, 'c.db')],
      {},
      80,
      40,
      dir,
    );
    try {
      await t.waitFor('Work alone.');
      await t.waitFor('4 questions, a time limit of 30:00.');
      const at = await t.waitFor('Start code:');
      t.press(code.replace(/-/g, ' '), KEY.enter);
      await t.waitFor(/Question 1\/4 · fixture · \w+ · (29:\d\d|30:00) left/, at);
      expect(t.text).not.toContain(code.replace(/-/g, ' '));
      expect(t.text).not.toContain('Press Enter to start');
      t.press(KEY.ctrlC);
      expect(await t.exited).toBe(130);
    } finally {
      t.close();
    }
  });
});

describe('a timed form refuses scripted sittings unless the assessment allows them', () => {
  it.each([
    ['--print-form', []],
    ['--answers-template', ['t.yaml']],
    ['--answers', ['a.yaml']],
  ])('%s is refused for a timed pack and a timed assessment', (flag, value) => {
    const dir = tmpDir();
    assessment(dir, ['time_limit: 30m']);
    fs.writeFileSync(path.join(dir, 'a.yaml'), '{}');
    expect(cli(['assessment', 'pack', 'fx.yaml', '-o', 'fx.pack.json'], dir, 'interviewer.db').code).toBe(0);
    for (const source of [['fx.pack.json'], ['--assessment', 'fx.yaml']]) {
      const r = cli(['take', ...source, flag, ...value], dir, 'cand.db');
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `backend-quiz: 'Fixture check' is timed and does not allow scripted sittings, so ${flag} is refused; sit it in a terminal (an interviewer allows scripted sittings with 'scripted: allowed' in the assessment)\n`,
      );
      expect(r.stdout).toBe('');
      for (const prompt of PROMPTS) expect(r.stdout + r.stderr).not.toContain(prompt);
    }
    expect(fs.existsSync(path.join(dir, 't.yaml'))).toBe(false);
    expect(sessions(path.join(dir, 'cand.db'))).toBe(0);
  });

  it('an untimed pack and a timed one with scripted: allowed still print their form', () => {
    const dir = tmpDir();
    for (const extra of [[], ['time_limit: 30m', 'scripted: allowed']]) {
      assessment(dir, extra);
      expect(cli(['assessment', 'pack', 'fx.yaml', '-o', 'fx.pack.json'], dir, 'interviewer.db').code).toBe(0);
      const r = cli(['take', 'fx.pack.json', '--print-form'], dir, 'cand.db');
      expect(r.code, r.stderr).toBe(0);
      expect(PROMPTS.some((p) => r.stdout.includes(p))).toBe(true);
    }
  });
});
