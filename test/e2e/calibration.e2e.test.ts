// Calibration, abilities and adaptive sittings on the built bin: a public dataset against ltm,
// stored sittings → calibrate → show, history and report, scripted adaptive sittings, and an
// adaptive sitting killed with -9 in a real terminal and resumed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { storedSittings, writeTrueFalseBanks } from '../calibration-builders.js';
import { root, tmpDir } from '../helpers.js';
import { KEY, Terminal, killNode } from './terminal.js';
import { writeLsat6 } from '../fixtures/calibration/lsat6.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
const fits = (text: string): void => expect(text.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
const schema = (name: string) =>
  new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
    JSON.parse(fs.readFileSync(path.join(root, 'schema', name), 'utf8')),
  );

describe('calibrate', () => {
  it('matches R ltm on the LSAT data (Bock & Lieberman 1970), in JSON its schema accepts and in 80 columns', () => {
    const dir = tmpDir();
    writeLsat6(path.join(dir, 'lsat6.csv'));
    const r = cli(['calibrate', '--responses', 'lsat6.csv', '--no-save', '--json', '--db', 'r.db'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(schema('calibration.schema.json')(out)).toBe(true);
    // Rizopoulos (2006), JSS 17(5), p. 7: summary(rasch(LSAT, constraint = cbind(length(LSAT) + 1, 1))).
    const ltm = [-2.872, -1.063, -0.2576, -1.3881, -2.2188];
    out.items.forEach((i: { b: number }, k: number) => expect(Math.abs(i.b - ltm[k]!)).toBeLessThan(0.01));
    expect(Math.abs(out.logLik - -2473.054)).toBeLessThan(0.01);
    const text = cli(['calibrate', '--responses', 'lsat6.csv', '--db', 'r.db'], dir).stdout;
    expect(text).toMatch(/^ {2}item3\s+1,000\s+0\.55\s+-0\.26\s+0\.08\s/m);
    expect(text).toContain('Ability estimates and adaptive sittings now use calibration #1.');
    fits(text);
    expect(cli(['calibrate', '--show', '--db', 'r.db'], dir).stdout).toContain('Calibration #1 · Rasch model, marginal ML');
  });

  it('refuses a bad response file with file:line:col, exit 2 and no stack', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'q1,q2\n1,0\n1,yes\n');
    const r = cli(['calibrate', '--responses', 'bad.csv', '--db', 'r.db'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "backend-quiz: bad.csv:3:3: cell for 'q2' is 'yes'; use 1 (right), 0 (not right) or leave it empty (not asked)",
    );
    noStack(r.stderr);
    const usage = cli(['calibrate', '--quadrature', '7'], dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--quadrature must be from 21 to 200/);
  });

  it('calibrates a file of 130,000 columns without a stack overflow, and refuses one past the item limit', () => {
    const dir = tmpDir();
    const keys = Array.from({ length: 130_000 }, (_, i) => `i${i}`);
    fs.writeFileSync(path.join(dir, 'wide.csv'), `${keys.join(',')}\n${keys.map(() => '1').join(',')}\n`);
    const r = cli(['calibrate', '--responses', 'wide.csv', '--no-save', '--db', 'r.db'], dir);
    // No question can be estimated from one row: exit 1, as the README's table says.
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('No question could be estimated.');
    expect(r.stdout).toContain('Not estimable (130000)');
    expect(r.stdout).toContain('  … and 129,970 more (--json lists every one)');
    expect(r.stdout.split('\n').length).toBeLessThan(60);
    fits(r.stdout);
    const wider = Array.from({ length: 200_001 }, (_, i) => `i${i}`).join(',');
    fs.writeFileSync(path.join(dir, 'wider.csv'), `${wider}\n`);
    const w = cli(['calibrate', '--responses', 'wider.csv', '--no-save', '--db', 'r.db'], dir);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('backend-quiz: wider.csv:1:1: the header has 200,001 item keys; a calibration takes at most 200,000');
    noStack(w.stderr);
  });

  it('--help for calibrate and take shows the new options with examples, in 80 columns', () => {
    const dir = tmpDir();
    const help = cli(['calibrate', '--help'], dir).stdout;
    expect(help).toContain('--responses <file>');
    expect(help).toContain('$ backend-quiz calibrate --simulate 2000');
    fits(help);
    const take = cli(['take', '--help'], dir).stdout;
    expect(take).toContain('$ backend-quiz take --adaptive -t http-apis security --target-se 0.4');
    const adaptive = take.split('\n').filter((l) => /adaptive|max-items|target-se/.test(l));
    expect(adaptive.length).toBeGreaterThanOrEqual(4);
    fits(adaptive.join('\n'));
    expect(cli(['--help'], dir).stdout).toContain('$ backend-quiz calibrate && backend-quiz take --adaptive');
  });

  it('stored sittings → calibrate → ability in show, history --json and report', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'results.db');
    storedSittings(db, 300);
    const env = { BACKEND_QUIZ_DB: db };
    expect(cli(['show', 's00010', '--json'], dir, env).stdout).not.toContain('"ability"');
    const cal = cli(['calibrate', '--min-responses', '40'], dir, env);
    expect(cal.code).toBe(0);
    expect(cal.stdout).toContain('Data: 300 sittings, 1,800 answers');
    const shown = JSON.parse(cli(['show', 's00010', '--json'], dir, env).stdout);
    expect(shown.ability).toMatchObject({ items: 6, calibration: { id: 1 } });
    expect(cli(['show', 's00010'], dir, env).stdout).toMatch(
      /^Ability θ [+-]\d\.\d\d ± \d\.\d\d · percentile [\d.]+\nOn calibration #1 of \d{4}-\d\d-\d\d, from 6 questions\.$/m,
    );
    const history = JSON.parse(cli(['history', '--json', '--limit', '3'], dir, env).stdout).sessions;
    expect(history.map((h: { ability: { calibration: { id: number } } }) => h.ability.calibration.id)).toEqual([1, 1, 1]);
    const report = cli(['report', 's00001', 's00002', 's00003', '--format', 'json'], dir, env);
    const json = JSON.parse(report.stdout);
    expect(schema('report.schema.json')(json)).toBe(true);
    expect(json.calibration.id).toBe(1);
    // --json is --format json, as on every other command.
    const viaJson = JSON.parse(cli(['report', 's00001', 's00002', 's00003', '--json'], dir, env).stdout);
    expect({ ...viaJson, generatedAt: '' }).toEqual({ ...json, generatedAt: '' });
    expect(cli(['report', 's00001', '--json', '--format', 'csv'], dir, env).code).toBe(2);
    const text = cli(['report', 's00001', 's00002', 's00003', '--no-details'], dir, env).stdout;
    expect(text).toMatch(/^ {2}RANK\s+CANDIDATE\s+SCORE\s+PERCENT\s+ABILITY\s+TIME\s+PERCENTILE\s+STATUS$/m);
    fits(text);
  });

  it('--simulate compares adaptive sittings with random forms', () => {
    const dir = tmpDir();
    const r = cli(['calibrate', '--simulate', '200', '--json', '--db', 'r.db'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ format: 'backend-quiz/simulation', examinees: 200, poolSize: 300 });
    expect(out.adaptive.rmse).toBeLessThan(out.fixedSameLength.rmse);
  });
});

describe('take --adaptive', () => {
  it('scripted: labels before a calibration, then the calibration once there is one', () => {
    const dir = tmpDir();
    writeTrueFalseBanks(path.join(dir, 'banks'));
    fs.writeFileSync(path.join(dir, 'answers.yaml'), ['alpha/easy-1: true', 'alpha/medium-2: true', 'beta/medium-5: false'].join('\n'));
    const args = [
      '--banks',
      'banks',
      'take',
      '--adaptive',
      '-t',
      'alpha',
      'beta',
      '--answers',
      'answers.yaml',
      '--max-items',
      '8',
      '--json',
      '--db',
      'r.db',
    ];
    const first = cli([...args, '--seed', '11'], dir);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('No calibration yet: difficulty labels stand in (easy −1, medium 0, hard +1).');
    const out = JSON.parse(first.stdout);
    expect(out.settings.adaptive).toMatchObject({ maxItems: 8, calibrationId: null, stop: 'max-items' });
    expect(out.questions).toHaveLength(8);
    expect(out.ability).toMatchObject({ items: 8, calibration: null });
    const text = cli(
      ['--banks', 'banks', 'take', '--adaptive', '-t', 'alpha', '--answers', 'answers.yaml', '--target-se', '0.8', '--db', 'r.db'],
      dir,
    ).stdout;
    expect(text.replace(/\s+/g, ' ')).toMatch(/Adaptive sitting: \d questions?; stopped when the standard error reached 0\.8 or less\./);
    fits(text);
    expect(cli(['history', '--db', 'r.db'], dir).stdout).toMatch(/^\w{10}\s+\S+ \S+\s+\S+\s+[\d.]+%\s+finished\s+8$/m);
  });

  it('in a terminal: the header says adaptive; after kill -9, --resume lists it and carries on choosing', async () => {
    const dir = tmpDir();
    writeTrueFalseBanks(path.join(dir, 'banks'));
    const db = path.join(dir, 'adaptive-kill.db');
    const t = new Terminal(
      ['--banks', 'banks', 'take', '--adaptive', '-t', 'alpha', 'beta', '--max-items', '5', '--seed', '4', '--db', db],
      {},
      80,
      40,
      dir,
    );
    try {
      await t.waitFor(/Question 1 · adaptive · (alpha|beta) · medium/);
      t.press(KEY.enter); // True
      const second = await t.waitFor(/Question 2 · adaptive · /);
      t.press(KEY.enter);
      await t.waitFor(/Question 3 · adaptive · /, second);
      killNode('adaptive-kill.db');
      expect(await t.exited).not.toBe(0);
    } finally {
      t.kill();
    }
    const listed = cli(['take', '--resume', '--db', db], dir);
    const id = /^(\w{10})\s+\S+ \S+\s+\S+\s+2\/3\s+quiz$/m.exec(listed.stdout)?.[1];
    expect(id, listed.stdout).toBeDefined();
    const r = new Terminal(['--banks', 'banks', 'take', '--resume', id!, '--db', db], {}, 80, 40, dir);
    try {
      await r.waitFor('An adaptive sitting of up to 5 questions, no time limit.');
      await r.waitFor('Resuming: 2 of 5 answered; you continue at question 3.');
      // The briefing is written before its prompt listens: a key pressed earlier may be lost.
      await r.waitFor('Press Enter to continue.');
      r.press(KEY.enter);
      for (let n = 3; n <= 5; n++) {
        await r.waitFor(new RegExp(`Question ${n} · adaptive · `));
        r.press(KEY.enter);
      }
      await r.waitFor('Adaptive sitting: 5 questions; stopped at the most questions it may ask, 5.');
      expect(await r.exited).toBe(0);
      expect(r.text).not.toMatch(/Question [12] · adaptive/);
    } finally {
      r.kill();
    }
    const shown = JSON.parse(cli(['show', id!, '--json', '--db', db], dir).stdout);
    expect(shown.status).toBe('finished');
    expect(shown.questions).toHaveLength(5);
    expect(new Set(shown.questions.map((q: { key: string }) => q.key)).size).toBe(5);
    expect(shown.questions.every((q: { outcome: string }) => q.outcome === 'right')).toBe(true);
  });
});
