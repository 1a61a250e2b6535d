// `backend-quiz calibrate` through run(opts): stored sittings or a response file in, a table or
// JSON (checked against its schema) out, and the calibration stored for abilities and adaptive sittings.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/calibrate.js';
import { UserError } from '../../src/errors.js';
import { storedSittings } from '../calibration-builders.js';
import { Capture, fixtures, root, tmpDir } from '../helpers.js';
import { writeLsat6 } from '../fixtures/calibration/lsat6.js';

const schema = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
  JSON.parse(fs.readFileSync(path.join(root, 'schema', 'calibration.schema.json'), 'utf8')),
);
const NOW = () => new Date('2026-06-01T12:00:00.000Z');

function setup() {
  const dir = tmpDir();
  const stdout = new Capture();
  const stderr = new Capture();
  return { dir, stdout, stderr, base: { db: path.join(dir, 'r.db'), stdout, stderr, env: {}, cwd: dir, now: NOW } };
}

describe('calibrate', () => {
  it('calibrates stored sittings, prints the table, stores it, and --show prints it again', async () => {
    const s = setup();
    const truth = storedSittings(s.base.db, 400);
    expect(await run({ ...s.base })).toBe(0);
    const text = s.stdout.text;
    expect(text).toMatch(/^Calibration #1 · Rasch model, marginal ML · 2026-06-01 12:00 UTC$/m);
    expect(text).toContain('Data: 400 sittings, 2,400 answers · filters: status finished, timed_out');
    expect(text).toMatch(/Log-likelihood -\d+\.\d{3} · \d+ iterations · converged · 41 quadrature points/);
    expect(text).toMatch(/^ {2}QUESTION\s+N\s+FACILITY\s+B\s+SE\s+INFIT\s+OUTFIT$/m);
    expect(text).toContain('Ability estimates and adaptive sittings now use calibration #1.');
    expect(text.split('\n').every((l) => [...l].length <= 80)).toBe(true);
    // Easiest first: the rows come in the order of the true difficulties, near enough.
    const order = [...text.matchAll(/^ {2}((?:alpha|beta)\/\S+)/gm)].map((m) => m[1]!);
    expect(order).toHaveLength(20);
    const ranks = order.map((k) => [...truth.keys()].sort((a, b) => truth.get(a)! - truth.get(b)!).indexOf(k));
    expect(ranks.filter((r, i) => Math.abs(r - i) <= 3).length).toBeGreaterThanOrEqual(18);

    const shown = new Capture();
    expect(await run({ ...s.base, stdout: shown, show: true })).toBe(0);
    expect(shown.text).toBe(text.replace(/\n\nAbility estimates and adaptive sittings now use calibration #1\.\n$/, '\n'));
    const db = new Sqlite(s.base.db, { readonly: true });
    expect(db.prepare(`SELECT id, source, persons, responses, converged FROM calibrations`).all()).toEqual([
      { id: 1, source: 'sessions', persons: 400, responses: 2400, converged: 1 },
    ]);
    expect(db.prepare(`SELECT count(*) FROM calibration_items WHERE b IS NOT NULL`).pluck().get()).toBe(20);
    db.close();
  });

  it('prints JSON that its schema accepts, and --no-save stores nothing', async () => {
    const s = setup();
    storedSittings(s.base.db, 200);
    expect(await run({ ...s.base, json: true, save: false, minResponses: 40 })).toBe(0);
    const out = JSON.parse(s.stdout.text);
    expect(schema(out), JSON.stringify(schema.errors)).toBe(true);
    expect(out).toMatchObject({
      id: null,
      format: 'backend-quiz/calibration',
      source: 'sessions',
      settings: { minResponses: 40, quadPoints: 41 },
      converged: true,
    });
    expect(out.items.filter((i: { status: string }) => i.status === 'estimated').length).toBe(20);
    const db = new Sqlite(s.base.db, { readonly: true });
    expect(db.prepare(`SELECT count(*) FROM calibrations`).pluck().get()).toBe(0);
    db.close();
    await expect(run({ ...s.base, show: true })).rejects.toThrow(/no calibration yet; make one with 'backend-quiz calibrate'/);
  });

  it('lists questions with too few answers as not estimable, with the reason', async () => {
    const s = setup();
    storedSittings(s.base.db, 60);
    expect(await run({ ...s.base, minResponses: 25 })).toBe(0);
    expect(s.stdout.text).toMatch(/Not estimable \(\d+\): no difficulty is given for these/);
    expect(s.stdout.text).toMatch(/^ {2}\S+\s+\d+ answers, fewer than 25 \(--min-responses\)$/m);
  });

  it('filters by topic and date like report, and says when nothing matches', async () => {
    const s = setup();
    storedSittings(s.base.db, 300);
    expect(await run({ ...s.base, topic: ['beta'], json: true, save: false })).toBe(0);
    const out = JSON.parse(s.stdout.text);
    expect(out.items.every((i: { key: string }) => i.key.startsWith('beta/'))).toBe(true);
    expect(out.filters).toEqual({ topics: ['beta'], status: ['finished', 'timed_out'] });
    await expect(run({ ...s.base, since: '2027-01-01' })).rejects.toThrow(
      /no stored answers match \(status finished, timed_out\); take or import sittings first/,
    );
    await expect(run({ ...s.base, since: 'soon' })).rejects.toThrow(/--since takes a date/);
  });

  it('exits 1 and stores nothing when no question can be estimated', async () => {
    const s = setup();
    storedSittings(s.base.db, 5);
    expect(await run({ ...s.base })).toBe(1);
    expect(s.stdout.text).toContain('No question could be estimated.');
    expect(s.stdout.text).not.toContain('now use calibration');
  });

  it('calibrates a response file: the LSAT data, as the golden file shows', async () => {
    const s = setup();
    writeLsat6(path.join(s.dir, 'lsat6.csv'));
    expect(await run({ ...s.base, responses: 'lsat6.csv', save: false })).toBe(0);
    await expect(s.stdout.text).toMatchFileSnapshot(path.join(fixtures, 'reports', 'calibration-lsat6.txt'));
    const json = new Capture();
    await run({ ...s.base, stdout: json, responses: 'lsat6.csv', json: true, quadrature: 21 });
    const out = JSON.parse(json.text);
    expect(schema(out), JSON.stringify(schema.errors)).toBe(true);
    expect(out.items.map((i: { b: number }) => +i.b.toFixed(4))).toEqual([-2.872, -1.063, -0.2576, -1.3881, -2.2188]);
    expect(out).toMatchObject({ id: 1, source: 'lsat6.csv', filters: {}, persons: 1000, responses: 5000, settings: { quadPoints: 21 } });
  });

  it('refuses a malformed response file with file:line:col and what to do', async () => {
    const s = setup();
    fs.writeFileSync(path.join(s.dir, 'bad.csv'), 'q1,q2\n1,0\n1,x\n');
    const e = await run({ ...s.base, responses: 'bad.csv' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(2);
    expect((e as Error).message).toBe(
      "bad.csv:3:3: cell for 'q2' is 'x'; use 1 (right), 0 (not right) or leave it empty (not asked)\nFix the response file: a header row of item keys, then one row per person with 1, 0 or an empty cell.",
    );
    await expect(run({ ...s.base, responses: 'missing.csv' })).rejects.toThrow('missing.csv: no such file');
    await expect(run({ ...s.base, responses: 'bad.csv', topic: ['x'] })).rejects.toThrow(/--responses calibrates the file as it is/);
    await expect(run({ ...s.base, show: true, simulate: 100 })).rejects.toThrow(
      '--show and --simulate do different things; give one of them',
    );
  });

  it('--simulate compares adaptive sittings with random forms, on a synthetic pool before any calibration', async () => {
    const s = setup();
    expect(await run({ ...s.base, simulate: 60, seed: 4 })).toBe(0);
    const text = s.stdout.text;
    expect(text).toMatch(/^Adaptive sittings against random forms: 60 simulated candidates\nAbilities θ ~ N\(0, 1\), seed 4\. Pool: /m);
    expect(text).toContain('With fewer than 500 candidates these figures are noisy');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'a synthetic pool of 300 questions, difficulties even from -2.5 to +2.5 (no calibration yet)',
    );
    expect(text).toMatch(/^ {2}adaptive\s+\d+\.\d\s+0\.\d{3}\s+[+-]0\.\d{3}$/m);
    expect(text).toMatch(/^ {2}random form, same length\s+\d+\s+0\.\d{3}/m);
    const json = new Capture();
    await run({ ...s.base, stdout: json, simulate: 60, seed: 4, json: true });
    const out = JSON.parse(json.text);
    expect(out).toMatchObject({
      format: 'backend-quiz/simulation',
      examinees: 60,
      poolSize: 300,
      rules: { maxItems: 30, targetSe: 0.35, exposure: 5 },
    });
    expect(out.adaptive.stops.precision + out.adaptive.stops['max-items'] + out.adaptive.stops['pool-exhausted']).toBe(60);
  });

  it('--simulate uses the calibrated questions once a calibration exists', async () => {
    const s = setup();
    storedSittings(s.base.db, 200);
    await run({ ...s.base, stdout: new Capture() });
    expect(await run({ ...s.base, simulate: 30, maxItems: 10, json: true })).toBe(0);
    const out = JSON.parse(s.stdout.text);
    expect(out.pool).toBe('the 20 calibrated questions of calibration #1');
    expect(out.rules.maxItems).toBe(10);
    expect(out.adaptive.meanItems).toBeLessThanOrEqual(10);
  });
});
