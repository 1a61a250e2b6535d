// Adaptive sittings through `take --adaptive`: the questions chosen one at a time and stored as they
// are asked, the stopping rules, difficulty labels before any calibration, and resume.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { run as take } from '../../src/commands/take.js';
import type { Answerer } from '../../src/engine/quiz.js';
import { InterruptedError, UserError } from '../../src/errors.js';
import { calibrate } from '../../src/psychometrics/rasch.js';
import { matrixFromPersons } from '../../src/psychometrics/responses.js';
import { openStore } from '../../src/store/db.js';
import { saveCalibration } from '../../src/store/calibrations.js';
import { writeTrueFalseBanks } from '../calibration-builders.js';
import { Capture, tmpDir } from '../helpers.js';

function setup() {
  const dir = tmpDir();
  const keys = writeTrueFalseBanks(path.join(dir, 'banks'));
  const stdout = new Capture();
  const stderr = new Capture();
  let t = Date.parse('2026-06-02T09:00:00.000Z');
  const base = {
    banks: [path.join(dir, 'banks')],
    db: path.join(dir, 'r.db'),
    stdout,
    stderr,
    env: {},
    cwd: dir,
    now: () => new Date((t += 1000)),
    candidate: 'ada',
    adaptive: true as const,
    topic: ['alpha', 'beta'],
  };
  const answers = (value: boolean, only?: (k: string) => boolean): string => {
    const file = path.join(dir, `answers-${value}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(Object.fromEntries(keys.filter((k) => !only || only(k)).map((k) => [k, value]))));
    return file;
  };
  return { dir, keys, stdout, stderr, base, answers };
}

interface Out {
  sessionId: string;
  settings: {
    count: number;
    adaptive: { maxItems: number; targetSe: number; exposure: number; calibrationId: number | null; stop?: string };
  };
  ability: { theta: number; se: number; percentile: number; items: number; calibration: { id: number } | null };
  questions: { key: string; topic: string; difficulty: string; outcome: string }[];
}

describe('take --adaptive', () => {
  it('before any calibration: difficulty labels stand in, and it says so; all right climbs to the hard questions', async () => {
    const s = setup();
    expect(await take({ ...s.base, seed: 5, answers: s.answers(true), json: true })).toBe(0);
    expect(s.stderr.text).toBe(
      "No calibration yet: difficulty labels stand in (easy −1, medium 0, hard +1). Run 'backend-quiz calibrate' once enough sittings are stored.\n",
    );
    const out = JSON.parse(s.stdout.text) as Out;
    expect(out.settings.adaptive).toEqual({ maxItems: 30, targetSe: 0.35, exposure: 5, calibrationId: null, stop: 'max-items' });
    expect(out.settings.count).toBe(30);
    expect(out.questions).toHaveLength(30);
    expect(new Set(out.questions.map((q) => q.key)).size).toBe(30);
    // Topics balanced; once the estimate climbs, hard questions (drawn among the 5 most informative,
    // so a medium one now and then as the hard ones run out), never an easy one.
    expect(out.questions.filter((q) => q.topic === 'alpha')).toHaveLength(15);
    expect(out.questions.filter((q) => q.difficulty === 'hard').length).toBeGreaterThanOrEqual(15);
    expect(out.questions.slice(3).some((q) => q.difficulty === 'easy')).toBe(false);
    // The first question is near θ = 0: a medium one.
    expect(out.questions[0]!.difficulty).toBe('medium');
    expect(out.ability).toMatchObject({ items: 30, calibration: null });
    expect(out.ability.theta).toBeGreaterThan(2);
    const db = new Sqlite(s.base.db, { readonly: true });
    expect(db.prepare(`SELECT status FROM sessions`).pluck().get()).toBe('finished');
    expect(db.prepare(`SELECT count(*) FROM session_questions`).pluck().get()).toBe(30);
    db.close();
  });

  it('stops at the target standard error, at --max-items, or when the pool runs out', async () => {
    const s = setup();
    await take({ ...s.base, seed: 1, answers: s.answers(true), json: true, targetSe: 0.9 });
    const precise = JSON.parse(s.stdout.text) as Out;
    expect(precise.settings.adaptive.stop).toBe('precision');
    expect(precise.ability.se).toBeLessThanOrEqual(0.9);
    expect(precise.questions.length).toBeLessThan(5);

    const short = new Capture();
    await take({ ...s.base, stdout: short, seed: 1, answers: s.answers(false), json: true, maxItems: 4 });
    const four = JSON.parse(short.text) as Out;
    expect([four.questions.length, four.settings.adaptive.stop]).toEqual([4, 'max-items']);
    expect(four.ability.theta).toBeLessThan(0);

    const all = new Capture();
    await take({
      ...s.base,
      stdout: all,
      seed: 1,
      answers: s.answers(true),
      json: true,
      maxItems: 100,
      topic: ['beta'],
      difficulty: ['hard'],
    });
    const out = JSON.parse(all.text) as Out;
    expect([out.questions.length, out.settings.adaptive.stop]).toEqual([10, 'pool-exhausted']);
  });

  it('the same seed and answers choose the same questions; another seed, others', async () => {
    const s = setup();
    const keysOf = async (seed: number): Promise<string[]> => {
      const out = new Capture();
      await take({ ...s.base, stdout: out, seed, answers: s.answers(true, (k) => k.includes('easy')), json: true, maxItems: 12 });
      return (JSON.parse(out.text) as Out).questions.map((q) => q.key);
    };
    const a = await keysOf(42);
    expect(await keysOf(42)).toEqual(a);
    expect(await keysOf(43)).not.toEqual(a);
  });

  it('prints θ ± SE, the percentile, the raw score and why it stopped', async () => {
    const s = setup();
    await take({ ...s.base, seed: 2, answers: s.answers(true, (k) => !k.includes('hard')), maxItems: 10, feedback: 'none' });
    await take({ ...s.base, seed: 2, answers: s.answers(true, (k) => !k.includes('hard')), maxItems: 10 });
    const text = s.stdout.text;
    expect(text).toMatch(/^Score \d+\/10 · [\d.]+% · \d+ of 10 fully right$/m);
    expect(text).toMatch(
      /^Ability θ [+-]\d\.\d\d ± \d\.\d\d · percentile [\d.]+\nOn difficulty labels \(no calibration yet\), from 10 questions\.\nAdaptive sitting: 10 questions; stopped at the most questions it may ask, 10\.$/m,
    );
    // With feedback none the candidate sees no score and no ability.
    expect(text.split('Result for ada')[0]).toMatch(/Thank you, ada\. Your \d+ answers are saved/);
    expect(text.split('Result for ada')[0]).not.toContain('Ability');
  });

  it('uses the latest calibration, and names the questions it has no difficulty for', async () => {
    const s = setup();
    // A calibration of the alpha questions only, hard ones hardest.
    const rows = Array.from({ length: 200 }, (_, p) =>
      s.keys
        .filter((k) => k.startsWith('alpha/'))
        .map((k, i) => [k, ((p + i) % (k.includes('hard') ? 4 : k.includes('easy') ? 2 : 3) === 0 ? 1 : 0) as 0 | 1] as const),
    );
    const db = openStore(s.base.db);
    const id = saveCalibration(db, calibrate(matrixFromPersons(rows)), {
      createdAt: '2026-06-01T00:00:00.000Z',
      source: 'sessions',
      filters: {},
      dataHash: 'sha256:test',
      settings: { model: 'rasch', quadPoints: 41, minResponses: 30, tolerance: 1e-6 },
    });
    db.close();
    await take({ ...s.base, seed: 3, answers: s.answers(true), json: true, topic: ['alpha'], maxItems: 8 });
    expect(s.stderr.text).toBe('');
    const out = JSON.parse(s.stdout.text) as Out;
    expect(out.settings.adaptive.calibrationId).toBe(id);
    expect(out.ability.calibration).toEqual({ id, createdAt: '2026-06-01T00:00:00.000Z' });
    const both = new Capture();
    await take({ ...s.base, stdout: both, seed: 3, answers: s.answers(true), json: true, maxItems: 8 });
    expect(s.stderr.text).toBe(
      `Calibration #${id} has no difficulty for 30 of these 60 questions: their difficulty labels stand in (easy −1, medium 0, hard +1).\n`,
    );
  });

  it('resumes a stopped sitting where it was: the question on screen first, then goes on choosing', async () => {
    const s = setup();
    const asked: string[] = [];
    const answerer = (stopAt = Infinity): Answerer => ({
      async ask(item, at) {
        expect(at.adaptive).toBe(true);
        if (asked.length >= stopAt) throw new InterruptedError();
        asked.push(item.question.key);
        return true;
      },
    });
    const e = await take({ ...s.base, seed: 8, maxItems: 9, interactive: async () => answerer(3) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InterruptedError);
    // The fourth question was chosen and stored, then the candidate pressed Ctrl-C on it.
    expect((e as Error).message).toMatch(/^Quiz interrupted: 3 of 4 answers saved in session (\w+) \(marked abandoned\)/);
    const id = /session (\w+)/.exec((e as Error).message)![1]!;
    const db = new Sqlite(s.base.db, { readonly: true });
    const fourth = db
      .prepare(`SELECT q.key FROM session_questions sq JOIN questions q ON q.hash = sq.question_hash WHERE sq.position = 3`)
      .pluck()
      .get() as string;
    db.close();

    const list = new Capture();
    await take({ ...s.base, adaptive: undefined, stdout: list, resume: true });
    expect(list.text).toMatch(new RegExp(`^${id}\\s.*\\s3/4\\s+quiz$`, 'm'));

    const before = asked.length;
    await take({ ...s.base, adaptive: undefined, resume: id, interactive: async () => answerer() });
    expect(asked[before]).toBe(fourth);
    expect(asked).toHaveLength(9);
    expect(new Set(asked).size).toBe(9);
    const done = new Sqlite(s.base.db, { readonly: true });
    const settings = JSON.parse(done.prepare(`SELECT settings FROM sessions WHERE id = ?`).pluck().get(id) as string);
    expect(settings).toMatchObject({ count: 9, adaptive: { stop: 'max-items' } });
    done.close();
    await expect(take({ ...s.base, adaptive: undefined, resume: id })).rejects.toThrow(/is finished; there is nothing to resume/);
  });

  it('refuses what it cannot do, in one line', async () => {
    const s = setup();
    await expect(take({ ...s.base, assessment: 'x.yaml' })).rejects.toThrow(
      new UserError(
        '--adaptive chooses questions from the banks as it goes, while an assessment or a pack has its questions set; leave out --assessment',
      ),
    );
    await expect(take({ ...s.base, resume: 'abcd' })).rejects.toThrow(
      '--resume continues a stored sitting as it was started; leave out --adaptive',
    );
    await expect(take({ ...s.base, answers: s.answers(true), maxItems: 0 })).rejects.toThrow(
      '--max-items must be a whole number of 1 or more',
    );
    await expect(take({ ...s.base, answers: s.answers(true), targetSe: -1 })).rejects.toThrow(/--target-se must be a number above 0/);
    await expect(take({ ...s.base, answers: s.answers(true), topic: ['gamma'] })).rejects.toThrow(/unknown topic 'gamma'/);
    expect(fs.existsSync(s.base.db)).toBe(false);
  });
});
