// Abilities next to the raw percent once a calibration exists: show, history --json and report.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { run as calibrate } from '../../src/commands/calibrate.js';
import { run as history } from '../../src/commands/history.js';
import { run as report } from '../../src/commands/report.js';
import { run as show } from '../../src/commands/show.js';
import { estimateAbility } from '../../src/psychometrics/ability.js';
import { PLAIN } from '../../src/report/format.js';
import { renderAbility } from '../../src/report/text.js';
import { abilityEstimate } from '../../src/store/calibrations.js';
import { storedSittings } from '../calibration-builders.js';
import { Capture, root, tmpDir } from '../helpers.js';

function setup(sittings = 300) {
  const dir = tmpDir();
  const db = path.join(dir, 'r.db');
  storedSittings(db, sittings);
  const base = { db, env: {}, cwd: dir, stderr: new Capture(), now: () => new Date('2026-06-01T12:00:00.000Z') };
  const out = async (f: (o: typeof base & { stdout: Capture }) => Promise<number>): Promise<string> => {
    const stdout = new Capture();
    expect(await f({ ...base, stdout })).toBe(0);
    return stdout.text;
  };
  return { dir, db, base, out };
}

describe('ability in show, history and report', () => {
  it('shows none before a calibration exists', async () => {
    const s = setup(40);
    expect(JSON.parse(await s.out((o) => show('s00001', { ...o, json: true })))).not.toHaveProperty('ability');
    expect(await s.out((o) => show('s00001', o))).not.toContain('Ability');
    expect(JSON.parse(await s.out((o) => history({ ...o, json: true }))).sessions[0]).not.toHaveProperty('ability');
    const r = JSON.parse(await s.out((o) => report(['s00001', 's00002'], { ...o, format: 'json' })));
    expect(r).not.toHaveProperty('calibration');
    expect(r.candidates[0]).not.toHaveProperty('ability');
  });

  it('after calibrate, every session has θ ± SE and a percentile, computed from its answers and the calibrated b', async () => {
    const s = setup();
    await s.out((o) => calibrate(o));
    const shown = JSON.parse(await s.out((o) => show('s00007', { ...o, json: true })));
    expect(shown.ability).toMatchObject({ items: 6, calibration: { id: 1, createdAt: '2026-06-01T12:00:00.000Z' } });
    // The same estimate by hand: the calibrated difficulties of its questions and its outcomes.
    const db = new Sqlite(s.db, { readonly: true });
    const b = new Map(db.prepare(`SELECT key, b FROM calibration_items WHERE calibration_id = 1`).raw().all() as [string, number][]);
    db.close();
    const expected = estimateAbility(
      shown.questions.map((q: { key: string; outcome: string }) => ({ b: b.get(q.key)!, x: q.outcome === 'right' ? 1 : 0 })),
    );
    expect(shown.ability.theta).toBeCloseTo(expected.theta, 3);
    expect(shown.ability.se).toBeCloseTo(expected.se, 3);
    expect(shown.ability.percentile).toBe(expected.percentile);

    const text = await s.out((o) => show('s00007', o));
    expect(text).toMatch(
      new RegExp(
        `^Ability θ [+-]\\d\\.\\d\\d ± \\d\\.\\d\\d · percentile ${shown.ability.percentile}\nOn calibration #1 of 2026-06-01, from 6 questions\\.$`,
        'm',
      ),
    );

    const listed = JSON.parse(await s.out((o) => history({ ...o, json: true, limit: 5 }))).sessions;
    expect(listed).toHaveLength(5);
    for (const h of listed) expect(h.ability).toMatchObject({ items: 6, calibration: { id: 1 } });
    expect(await s.out((o) => history(o))).not.toContain('θ'); // the table keeps its 80 columns
  });

  it('report: an ability column, the calibration in the header, and JSON its schema accepts', async () => {
    const s = setup();
    await s.out((o) => calibrate(o));
    const ids = ['s00001', 's00002', 's00003', 's00004', 's00005', 's00006'];
    const json = JSON.parse(await s.out((o) => report(ids, { ...o, format: 'json' })));
    const schema = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
      JSON.parse(fs.readFileSync(path.join(root, 'schema', 'report.schema.json'), 'utf8')),
    );
    expect(schema(json), JSON.stringify(schema.errors)).toBe(true);
    expect(json.calibration).toEqual({ id: 1, createdAt: '2026-06-01T12:00:00.000Z' });
    expect(json.candidates.every((c: { ability: { items: number } }) => c.ability.items === 6)).toBe(true);
    const text = await s.out((o) => report(ids, { ...o, details: false }));
    expect(text).toContain('from calibration #1 of 2026-06-01');
    expect(text).toMatch(/^ {2}RANK\s+CANDIDATE\s+SCORE\s+PERCENT\s+ABILITY\s+TIME\s+PERCENTILE\s+STATUS$/m);
    expect(text.split('\n').filter((l) => [...l].length > 80)).toEqual([]);
  });

  it('a question the calibration never saw does not count', async () => {
    const s = setup();
    await s.out((o) => calibrate({ ...o, topic: ['alpha'] }));
    const shown = JSON.parse(await s.out((o) => show('s00003', { ...o, json: true })));
    const alpha = shown.questions.filter((q: { topic: string }) => q.topic === 'alpha').length;
    expect(shown.ability.items).toBe(alpha);
    expect(alpha).toBeLessThan(6);
  });
});

describe('abilityEstimate', () => {
  const items = [
    { key: 'a/1', difficulty: 'easy' as const, outcome: 'right' as const },
    { key: 'a/2', difficulty: 'hard' as const, outcome: null },
  ];
  const scale = {
    calibration: { id: 2, createdAt: '2026-06-01T00:00:00.000Z' },
    known: new Map([
      ['a/1', -0.5],
      ['a/2', 0.7],
    ]),
  };

  it('counts a question never reached as unanswered once the sitting is closed, not while it can resume', () => {
    const closed = abilityEstimate(items, scale, { adaptive: false, status: 'finished' })!;
    const open = abilityEstimate(items, scale, { adaptive: false, status: 'abandoned' })!;
    expect(closed.items).toBe(2);
    expect(open.items).toBe(1);
    expect(closed.theta).toBeCloseTo(
      estimateAbility([
        { b: -0.5, x: 1 },
        { b: 0.7, x: 0 },
      ]).theta,
      3,
    );
  });

  it('is null when the calibration knows none of the questions; without a calibration only an adaptive sitting has one, on its labels', () => {
    const none = abilityEstimate(items, { ...scale, known: new Map() }, { adaptive: false, status: 'finished' });
    expect(none).toBeNull();
    expect(renderAbility(none!, PLAIN)).toBe('Ability: none of these questions is in the calibration yet.');
    expect(abilityEstimate(items, null, { adaptive: false, status: 'finished' })).toBeUndefined();
    const labels = abilityEstimate(items, null, { adaptive: true, status: 'finished' })!;
    expect(labels.calibration).toBeNull();
    expect(labels.theta).toBeCloseTo(
      estimateAbility([
        { b: -1, x: 1 },
        { b: 1, x: 0 },
      ]).theta,
      3,
    );
    expect(renderAbility(labels, PLAIN)).toMatch(/\nOn difficulty labels \(no calibration yet\), from 2 questions\.$/);
  });
});
