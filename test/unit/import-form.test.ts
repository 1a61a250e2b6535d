// Import recomputes the form a result claims (per-candidate forms from their seed, sealed or not),
// checks its times against the interviewer's limit, and reads keys only when they are whole.
import { describe, expect, it } from 'vitest';
import { parseAssessment, type Assessment } from '../../src/assessment/definition.js';
import { contentDigest } from '../../src/assessment/digest.js';
import { drawForm } from '../../src/assessment/form.js';
import { GRACE_MS } from '../../src/assessment/import.js';
import { buildPack, packItems, readKey, type OpenPack, type PackKey } from '../../src/assessment/pack.js';
import type { ResultFile } from '../../src/assessment/result.js';
import { mulberry32 } from '../../src/engine/rng.js';
import type { QuizItem } from '../../src/engine/select.js';
import { saveAssessment, savePackKey } from '../../src/store/assessments.js';
import { openStore } from '../../src/store/db.js';
import { getSession, type SittingInfo } from '../../src/store/sessions.js';
import { definitionSittingInfo, packSittingInfo } from '../../src/take/assessment.js';
import { aBank } from '../helpers.js';
import { interviewer, resultOfSitting } from '../sitting-builders.js';

const banks = [aBank('alpha', 8), aBank('beta', 6)];

function definition(extra: string[] = []): Assessment {
  return parseAssessment(
    [
      'assessment: t',
      'title: T',
      'form: per-candidate',
      'time_limit: 30m',
      'sections:',
      '  - topic: alpha',
      '    count: 3',
      '  - topic: beta',
      '    count: 2',
      ...extra,
    ].join('\n'),
    't.yaml',
  ).assessment!;
}

/** One honest sitting, answered right a minute apart from 09:00, as the candidate's machine writes it. */
function sit(items: QuizItem[], seed: number, info: SittingInfo, a: Assessment | null): Promise<ResultFile> {
  return resultOfSitting(items, { seed, info, definition: a });
}

const resealed = (r: ResultFile, edit: (r: ResultFile) => void): ResultFile => {
  const copy = structuredClone(r);
  edit(copy);
  const { digest: _d, ...body } = copy;
  return { ...body, digest: contentDigest(body) };
};

const importer = interviewer(banks);

describe('a per-candidate form, unsealed', () => {
  const a = definition();
  const info = definitionSittingInfo(a);

  it("is the one its seed draws from the interviewer's banks, choice order included", async () => {
    const r = await sit(drawForm(a, banks, 7), 7, info, a);
    const ok = importer((db) => saveAssessment(db, a, 'then'));
    expect(ok.run(r).kind).toBe('imported');
    // The same questions under another seed's claim, or in another order, are not that form.
    expect(() => importer((db) => saveAssessment(db, a, 'then')).run(resealed(r, (x) => (x.session.seed = 8)))).toThrow(
      /its questions are not the form of 't' drawn from the banks here: question 1 is/,
    );
    const swapped = resealed(r, (x) => {
      [x.questions[0], x.questions[1]] = [
        { ...x.questions[1]!, position: 0 },
        { ...x.questions[0]!, position: 1 },
      ];
    });
    expect(() => importer((db) => saveAssessment(db, a, 'then')).run(swapped)).toThrow(/question 1 is '.*'; the form has '.*' there/);
    const reordered = resealed(r, (x) => void x.questions[0]!.choices.reverse());
    expect(() => importer((db) => saveAssessment(db, a, 'then')).run(reordered)).toThrow(
      /question 1 \(alpha\/.*\) shows its choices in another order than the form's/,
    );
  });
});

describe('a sealed per-candidate form', () => {
  const a = definition();
  const { pack, key } = buildPack(a, banks, mulberry32(3));
  const info = packSittingInfo(pack);

  it('is recomputed from the sections the key now records; another draw is refused', async () => {
    expect(key.sections).toEqual(pack.sections);
    const r = await sit(packItems(pack as OpenPack, 11), 11, info, null);
    expect(importer((db) => savePackKey(db, key, 'then')).run(r).kind).toBe('imported');
    const other = await sit(packItems(pack as OpenPack, 12), 12, info, null);
    const claimed = resealed(other, (x) => (x.session.seed = 11));
    expect(() => importer((db) => savePackKey(db, key, 'then')).run(claimed)).toThrow(/its questions are not the form of pack/);
  });

  it('is refused, with what to do, when the key predates recorded sections', async () => {
    const { sections: _s, digest: _d, ...old } = key;
    const legacy = { ...old, digest: contentDigest(old) } as PackKey;
    const r = await sit(packItems(pack as OpenPack, 11), 11, info, null);
    expect(() => importer((db) => savePackKey(db, legacy, 'then')).run(r)).toThrow(
      /was written by an older backend-quiz and does not record the pack's sections, so a per-candidate form cannot be checked/,
    );
  });
});

describe('an opening time moves the clock only where a start code locked the pack', () => {
  const a = definition();
  const { pack, key } = buildPack(a, banks, mulberry32(3));
  const info = packSittingInfo(pack);
  const { digest: _d, ...body } = key;
  const lockedKey = { ...body, locked: true as const, digest: contentDigest({ ...body, locked: true }) } as PackKey;
  // The candidate claims the clock started at the second answer, after the first was given.
  const openedLate = (r: ResultFile) => resealed(r, (x) => (x.session.openedAt = x.questions[1]!.answeredAt!));

  it('is refused in a result of a pack no start code locked, and of an unsealed assessment', async () => {
    const r = await sit(packItems(pack as OpenPack, 11), 11, info, null);
    const claimed = resealed(r, (x) => (x.session.openedAt = x.session.startedAt));
    expect(() => importer((db) => savePackKey(db, key, 'then')).run(claimed)).toThrow(
      /it says a start code opened the pack, but no start code locked it/,
    );
    const f = definition();
    const u = await sit(drawForm(f, banks, 7), 7, definitionSittingInfo(f), f);
    expect(() =>
      importer((db) => saveAssessment(db, f, 'then')).run(resealed(u, (x) => (x.session.openedAt = x.session.startedAt))),
    ).toThrow(/no start code locked it/);
  });

  it('of a locked pack, comes before every answer', async () => {
    const r = await sit(packItems(pack as OpenPack, 11), 11, info, null);
    expect(
      importer((db) => savePackKey(db, lockedKey, 'then')).run(resealed(r, (x) => (x.session.openedAt = x.session.startedAt))).kind,
    ).toBe('imported');
    expect(() => importer((db) => savePackKey(db, lockedKey, 'then')).run(openedLate(r))).toThrow(
      /question 1 was answered outside the sitting/,
    );
  });
});

describe("timing against the interviewer's limit", () => {
  const fixed = parseAssessment(
    ['assessment: f', 'title: F', 'time_limit: 30m', 'sections:', '  - topic: alpha', '    count: 3'].join('\n'),
    'f.yaml',
  ).assessment!;
  const info = definitionSittingInfo(fixed);
  const load = () => importer((db) => saveAssessment(db, fixed, 'then'));
  const stored = (db: ReturnType<typeof openStore>, id: string) => getSession(db, id);

  it('a finish past the limit and the grace is flagged over time even with every answer in time', async () => {
    const r = await sit(drawForm(fixed, banks, fixed.seed), fixed.seed, info, fixed);
    const late = resealed(
      r,
      (x) => (x.session.finishedAt = new Date(Date.parse(x.session.startedAt) + 1800_000 + GRACE_MS + 1).toISOString()),
    );
    const m = load();
    m.run(late);
    const s = stored(m.db, r.session.id).session;
    expect(s.settings.assessment?.overTime).toBe(true);
    expect(s.status).toBe('timed_out');
    expect(s.score).toBe(3);
  });

  it('within the grace is not over time; an answer after it counts unanswered', async () => {
    const r = await sit(drawForm(fixed, banks, fixed.seed), fixed.seed, info, fixed);
    const start = Date.parse(r.session.startedAt);
    const inGrace = resealed(r, (x) => (x.session.finishedAt = new Date(start + 1800_000 + GRACE_MS).toISOString()));
    const m = load();
    m.run(inGrace);
    expect(stored(m.db, r.session.id).session).toMatchObject({ status: 'finished', score: 3 });
    expect(stored(m.db, r.session.id).session.settings.assessment?.overTime).toBeUndefined();

    const lateAnswer = resealed(r, (x) => {
      x.session.finishedAt = new Date(start + 3600_000).toISOString();
      x.questions[2]!.answeredAt = new Date(start + 1800_000 + GRACE_MS + 1000).toISOString();
    });
    const n = load();
    n.run(lateAnswer);
    expect(stored(n.db, r.session.id).session).toMatchObject({ status: 'timed_out', score: 2 });
    expect(stored(n.db, r.session.id).items[2]!.answer).toBeNull();
  });

  it("ignores the file's own limit: a result claiming no limit still gets the definition's", async () => {
    const r = await sit(drawForm(fixed, banks, fixed.seed), fixed.seed, info, fixed);
    const m = load();
    m.run(
      resealed(
        r,
        (x) => (
          (x.session.timeLimitMs = null),
          (x.session.finishedAt = new Date(Date.parse(x.session.startedAt) + 7200_000).toISOString())
        ),
      ),
    );
    expect(stored(m.db, r.session.id).session.settings.assessment).toMatchObject({ timeLimitMs: 1800_000, overTime: true });
  });

  it('refuses a sitting dated in the future (beyond a day of clock skew)', async () => {
    const r = await sit(drawForm(fixed, banks, fixed.seed), fixed.seed, info, fixed);
    const later = (t: string): string => t.replace(/^2026/, '2036');
    const future = resealed(r, (x) => {
      x.session.startedAt = later(x.session.startedAt);
      x.session.finishedAt = later(x.session.finishedAt!);
      for (const q of x.questions) q.answeredAt = q.answeredAt && later(q.answeredAt);
    });
    expect(() => load().run(future)).toThrow('its times are out of order: it ends on 2036-06-01, in the future');
  });

  it('refuses an answer given before the start or after the finish', async () => {
    const r = await sit(drawForm(fixed, banks, fixed.seed), fixed.seed, info, fixed);
    const early = resealed(r, (x) => (x.questions[0]!.answeredAt = '2026-05-31T09:00:00.000Z'));
    expect(() => load().run(early)).toThrow('its times are out of order: question 1 was answered outside the sitting');
  });
});

describe('keys are read whole', () => {
  const a = definition();
  const { key } = buildPack(a, banks, mulberry32(3));
  const text = (k: object): string => {
    const { digest: _d, ...body } = k as PackKey;
    return JSON.stringify({ ...body, digest: contentDigest(body) });
  };

  it('a question that cannot be graded, or a section naming a question it lacks, is refused with one line', () => {
    expect(readKey(text(key), 'k.json').pack).toBe(key.pack);
    const [first] = Object.keys(key.questions);
    const twoRight = structuredClone(key);
    const q = twoRight.questions[first!]!;
    if ('choices' in q) q.choices.forEach((c) => (c.correct = true));
    expect(() => readKey(text(twoRight), 'k.json')).toThrow(
      `k.json: not a usable backend-quiz key file: question ${first}: its choices do not mark the right answer`,
    );
    const ghost = { ...key, sections: [{ count: 1, questions: ['q-ghost'] }] };
    expect(() => readKey(text(ghost), 'k.json')).toThrow("a section lists 'q-ghost', which the key does not hold");
    const partial = { ...key, assessment: { id: 't', title: 'Forged', digest: `sha256:${'e'.repeat(64)}` } };
    expect(() => readKey(text(partial), 'k.json')).toThrow('its assessment is not a whole definition');
  });
});
