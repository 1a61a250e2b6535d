// The interviewer's workflow on the built bin: timed sittings in a real pseudo-terminal, kill -9 and
// resume, and pack → sealed sitting → import → report, with the HTML report opened in Chromium.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixtures, root, tmpDir } from '../helpers.js';
import { htmlProblems } from '../html-check.js';
import { KEY, Terminal, answerRight, killNode } from './terminal.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const banks = path.join(fixtures, 'banks', 'valid');

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, '--banks', banks, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assessment(dir: string, extra: string[]): string {
  const file = path.join(dir, 'fx.yaml');
  fs.writeFileSync(
    file,
    ['assessment: fixture-check', 'title: Fixture check', 'sections:', '  - topic: fixture', '    count: 5', ...extra].join('\n'),
  );
  return file;
}

const results = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.endsWith('.result.json'));
const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe('sittings in a terminal', () => {
  it('counts down live in the header and, when time runs out, withdraws the question and writes the result', async () => {
    const dir = tmpDir();
    // Long enough that a busy machine still redraws the header several times before time is up.
    assessment(dir, ['time_limit: 9s', 'instructions: Answer what you can.']);
    const t = new Terminal(
      ['--banks', banks, 'take', '--assessment', 'fx.yaml', '--candidate', 'tia', '--db', path.join(dir, 'r.db')],
      {},
      80,
      40,
      dir,
    );
    try {
      await t.waitFor('Answer what you can.');
      await t.waitFor('5 questions, a time limit of 0:09.');
      await t.waitFor('Press Enter to start.');
      t.press(KEY.enter);
      await t.waitFor(/Question 1\/5 · fixture · \w+ · 0:0\d left/);
      // The header redraws while the candidate thinks: several distinct times appear.
      await t.waitFor(/0:0[0-5] left/, 0, 30_000);
      await t.waitFor('Time is up: 0 of 5 questions answered; the rest count as unanswered.', 0, 30_000);
      expect(await t.exited).toBe(0);
      const seen = new Set(t.text.match(/0:0\d left/g));
      expect(seen.size).toBeGreaterThanOrEqual(3);
      expect(t.text).toMatch(/Result file: fixture-check-tia-\w+\.result\.json/);
      const r = JSON.parse(fs.readFileSync(path.join(dir, results(dir)[0]!), 'utf8'));
      expect(r.session.status).toBe('timed_out');
      expect(r.questions.every((q: { response: unknown }) => q.response === null)).toBe(true);
    } finally {
      t.kill();
    }
  }, 60_000);

  it('after kill -9 mid-sitting, --resume lists it and continues at the first unanswered question', async () => {
    const dir = tmpDir();
    assessment(dir, ['time_limit: 10m']);
    const db = path.join(dir, 'resume-me.db');
    const t = new Terminal(['--banks', banks, 'take', '--assessment', 'fx.yaml', '--db', db], {}, 80, 40, dir);
    try {
      await t.waitFor('Your name (as the interviewer should see it):');
      t.press('Kim', KEY.enter);
      await t.waitFor('Press Enter to start.');
      t.press(KEY.enter);
      await answerRight(t, await t.waitFor('Question 1/5'));
      await t.waitFor('Question 2/5');
      killNode('resume-me.db');
      expect(await t.exited).not.toBe(0);
    } finally {
      t.kill();
    }
    const listed = cli(['take', '--resume', '--db', db], dir);
    expect(listed.code).toBe(0);
    const id = /^(\w{10})\s+\S+ \S+\s+Kim\s+1\/5\s+Fixture check$/m.exec(listed.stdout)?.[1];
    expect(id, listed.stdout).toBeDefined();
    const shown = JSON.parse(cli(['show', id!, '--json', '--db', db], dir).stdout);
    const firstKey = shown.questions[0].key;
    expect(shown.status).toBe('in_progress');

    const r = new Terminal(['--banks', banks, 'take', '--resume', id!, '--db', db], {}, 80, 40, dir);
    try {
      await r.waitFor('Resuming: 1 of 5 answered; you continue at question 2.');
      // The briefing is written before its prompt listens: a key pressed earlier may be lost.
      await r.waitFor('Press Enter to continue.');
      r.press(KEY.enter);
      for (let i = 2; i <= 5; i++) await answerRight(r, await r.waitFor(`Question ${i}/5`));
      await r.waitFor('Send this file to your interviewer.');
      expect(await r.exited).toBe(0);
      expect(r.text).not.toContain('Question 1/5');
    } finally {
      r.kill();
    }
    const file = results(dir)[0]!;
    expect(file).toBe(`fixture-check-kim-${id}.result.json`);
    const result = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    expect(result.session.status).toBe('finished');
    expect(result.questions[0].key).toBe(firstKey);
    expect(result.questions.every((q: { response: unknown }) => q.response !== null)).toBe(true);
  });
});

describe('pack → sealed sitting → import → report', () => {
  it('runs the whole workflow as an interviewer and candidates would', async () => {
    const dir = tmpDir();
    assessment(dir, ['pass_mark: 60', 'topic_pass_marks:', '  fixture: 50']);
    const interviewer = { BACKEND_QUIZ_DB: path.join(dir, 'interviewer.db') };
    expect(cli(['assessment', 'check', 'fx.yaml'], dir, interviewer)).toMatchObject({ code: 0 });
    const packed = cli(['assessment', 'pack', 'fx.yaml', '-o', 'fx.pack.json', '--key-out', 'fx.key.json'], dir, interviewer);
    expect(packed.code).toBe(0);
    const key = JSON.parse(fs.readFileSync(path.join(dir, 'fx.key.json'), 'utf8'));
    const keys = Object.keys(key.questions);

    // Six candidates on their own machines, each answering the first n questions of the pack right.
    const names = ['Ada', 'Ben <b>', 'Cleo', '=cmd|calc', 'Dev', 'Eli'];
    fs.mkdirSync(path.join(dir, 'inbox'));
    names.forEach((name, n) => {
      const answers = keys.slice(0, n).map((k) => {
        const q = key.questions[k];
        const right =
          q.type === 'single'
            ? q.choices.find((c: { correct: boolean }) => c.correct).text
            : q.type === 'multiple'
              ? q.choices.filter((c: { correct: boolean }) => c.correct).map((c: { text: string }) => c.text)
              : q.type === 'text'
                ? q.accept[0]
                : q.answer;
        return `${k}: ${JSON.stringify(right)}`;
      });
      // Ada answers nothing: her file names a question and leaves it blank, as a template does.
      fs.writeFileSync(path.join(dir, `a${n}.yaml`), answers.join('\n') || `${keys[0]}:`);
      const sat = cli(['take', 'fx.pack.json', '--answers', `a${n}.yaml`, '--candidate', name, '--result-dir', 'inbox'], dir, {
        BACKEND_QUIZ_DB: path.join(dir, `cand${n}.db`),
      });
      expect(sat.code, sat.stderr).toBe(0);
      expect(sat.stdout).toContain('Send this file to your interviewer.');
      expect(sat.stdout).not.toMatch(/Score|%/);
    });
    expect(results(path.join(dir, 'inbox'))).toHaveLength(6);

    const first = cli(['import', 'inbox'], dir, interviewer);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('Imported 6 results, 0 already present, 0 refused.');
    const again = cli(['import', 'inbox'], dir, interviewer);
    expect(again.stdout).toContain('Imported 0 results, 6 already present, 0 refused.');

    // The candidate's machine has no key: no score. The interviewer's graded every answer on import.
    const onCandidate = { BACKEND_QUIZ_DB: path.join(dir, 'cand5.db') };
    const sessionId = JSON.parse(cli(['history', '--json'], dir, onCandidate).stdout).sessions[0].sessionId as string;
    expect(cli(['history'], dir, onCandidate).stdout).toMatch(/Eli\s+sealed\s+finished/);
    expect(cli(['show', sessionId], dir, onCandidate).stdout).not.toMatch(/Score|\d%/);
    expect(JSON.parse(cli(['show', sessionId, '--json'], dir, onCandidate).stdout).percent).toBeNull();
    expect(cli(['history'], dir, interviewer).stdout).toMatch(new RegExp(`${sessionId}.*Eli\\s+100%\\s+finished`));
    expect(cli(['history'], dir, interviewer).stdout).toMatch(/Ada\s+0%\s+finished/);
    expect(cli(['history'], dir, interviewer).stdout).not.toContain('sealed');
    const shown = cli(['show', sessionId], dir, interviewer).stdout;
    expect(shown).toMatch(/Score (\d+)\/\1 · 100% · 5 of 5 fully right/);
    expect(shown).not.toContain('the interviewer grades');
    const percents = JSON.parse(cli(['history', '--json'], dir, interviewer).stdout).sessions.map((s: { percent: unknown }) => s.percent);
    expect(percents).toHaveLength(6);
    expect(percents).toContain(0);
    expect(percents).toContain(100);
    expect(percents.every((p: unknown) => typeof p === 'number')).toBe(true);

    // Damaged files are refused by name; exit 1; nothing else changes.
    const one = path.join(dir, 'inbox', results(path.join(dir, 'inbox'))[0]!);
    fs.mkdirSync(path.join(dir, 'bad'));
    fs.writeFileSync(path.join(dir, 'bad', 'cut.result.json'), fs.readFileSync(one, 'utf8').slice(0, 400));
    fs.writeFileSync(
      path.join(dir, 'bad', 'edited.result.json'),
      fs.readFileSync(one, 'utf8').replace(/"candidate": "[^"]*"/, '"candidate": "Mallory"'),
    );
    const bad = cli(['import', 'bad'], dir, interviewer);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✘ bad\/cut\.result\.json: not valid JSON/);
    expect(bad.stdout).toMatch(/✘ bad\/edited\.result\.json: its digest does not match its content/);
    noStack(bad.stdout + bad.stderr);

    const text = cli(['report', '--assessment', 'fixture-check', '--no-details'], dir, interviewer);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Fixture check');
    expect(text.stdout.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(text.stdout).toMatch(/1\s+Eli\s+.*100%\s+pass/);
    expect(text.stdout).toMatch(/Ada\s+0\/6\s+0%\s+fail/);
    expect(text.stdout).toContain('Cohort');

    for (const format of ['md', 'csv', 'json', 'html']) {
      const out = cli(['report', '--assessment', 'fixture-check', '-o', `cohort.${format}`], dir, interviewer);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stderr).toContain(`Wrote cohort.${format} (${format}, 6 candidates).`);
    }
    expect(await htmlProblems(fs.readFileSync(path.join(dir, 'cohort.html'), 'utf8'))).toEqual([]);
    const csv = fs.readFileSync(path.join(dir, 'cohort.csv'), 'utf8');
    expect(csv).toContain(`,'=cmd|calc,`);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'cohort.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
      JSON.parse(fs.readFileSync(path.join(root, 'schema', 'report.schema.json'), 'utf8')),
    );
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const ranked = json.candidates.map((c: { candidate: string; percent: number }) => [c.candidate, c.percent]);
    expect(ranked.map((r: [string, number]) => r[0])).toEqual(['Eli', 'Dev', '=cmd|calc', 'Cleo', 'Ben <b>', 'Ada']);
    expect(ranked[0][1]).toBe(100);
    expect(ranked[5][1]).toBe(0);

    // The HTML the command wrote, in a real browser.
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(path.join(dir, 'cohort.html')).href;
      await page.goto(url, { waitUntil: 'load' });
      expect(errors).toEqual([]);
      expect(requests).toEqual([url]);
      expect(await page.locator('.topic-bar').count()).toBe(6);
      expect(await page.locator('.hist-bar').count()).toBe(10);
      expect(await page.getByText('Ben <b>').count()).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });
});
