// The practice schedule in the results database: the migration that adds it (from the previous
// version, with answers in it), the live update as answers are stored, and the queries' indexes.
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/bank/types.js';
import { reviewer } from '../../src/practice/reviewer.js';
import { rightAnswer, scoreResponse, type Response } from '../../src/engine/score.js';
import { migrate, openStore } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations/index.js';
import { cardsOf, PRACTICE_SQL } from '../../src/store/practice.js';
import { createSession, recordAnswer, type SessionSettings } from '../../src/store/sessions.js';
import { aQuestion, tmpDir } from '../helpers.js';

const at = (day: number, minute = 0): string =>
  new Date(Date.parse('2026-03-02T09:00:00.000Z') + day * 86_400_000 + minute * 60_000).toISOString();
const qs = Array.from({ length: 14 }, (_, i) =>
  aQuestion({
    topic: i < 12 ? 'facts' : 'sql',
    id: `q${i}`,
    type: i < 12 ? 'boolean' : 'single',
    answer: true,
    ...(i < 12 ? { choices: undefined } : {}),
  }),
);

interface Given {
  q: Question;
  /** 'right' answers rightly; 'wrong' picks a wrong answer; undefined leaves it unanswered. */
  as: 'right' | 'wrong' | undefined;
  timeMs: number;
}
interface Sitting {
  id: string;
  candidate: string;
  mode: 'interactive' | 'scripted';
  assessment?: boolean;
  day: number;
  given: Given[];
}

const wrongOf = (q: Question): Response =>
  q.type === 'boolean' ? !q.answer : 'choices' in q ? q.choices.find((c) => !c.correct)!.text : 'nope';

/** Stores sittings as a sitting stores them; `live` also runs the reviewer on each answer, as sit() does. */
function store(db: Sqlite.Database, sittings: Sitting[], live: boolean): void {
  for (const s of sittings) {
    const settings: SessionSettings = {
      topics: ['facts', 'sql'],
      count: s.given.length,
      difficulties: ['medium'],
      feedback: 'end',
      mode: s.mode,
      ...(s.assessment
        ? { assessment: { id: 'a', title: 'A', digest: 'sha256:a', timeLimitMs: null, form: 'fixed' as const, sealed: false } }
        : {}),
    };
    createSession(db, {
      id: s.id,
      candidate: s.candidate,
      startedAt: at(s.day),
      seed: 1,
      settings,
      items: s.given.map((g) => ({ question: g.q, choiceOrder: [] })),
    });
    const review = live && !s.assessment ? reviewer(db, s.candidate, s.mode) : undefined;
    s.given.forEach((g, position) => {
      const response = g.as === 'right' ? rightAnswer(g.q) : g.as === 'wrong' ? wrongOf(g.q) : undefined;
      const r = { position, item: { question: g.q, choiceOrder: [] }, response, timeMs: g.timeMs, ...scoreResponse(g.q, response) };
      const when = at(s.day, position + 1);
      recordAnswer(db, s.id, r, when);
      review?.(r, when);
    });
  }
}

// Ann answers twelve booleans in 8 s each on day 0 (her pace), misses q12 and skips q13; on day 1
// she gets q12 right and answers q0 in 2 s (Easy); an assessment on day 1 (not scheduled) and
// bob's scripted run on day 2.
const HISTORY: Sitting[] = [
  {
    id: 's1',
    candidate: 'ann',
    mode: 'interactive',
    day: 0,
    given: [
      ...qs.slice(0, 12).map((q) => ({ q, as: 'right' as const, timeMs: 8_000 })),
      { q: qs[12]!, as: 'wrong', timeMs: 9_000 },
      { q: qs[13]!, as: undefined, timeMs: 3_000 },
    ],
  },
  {
    id: 's2',
    candidate: 'ann',
    mode: 'interactive',
    day: 1,
    given: [
      { q: qs[12]!, as: 'right', timeMs: 7_000 },
      { q: qs[0]!, as: 'right', timeMs: 2_000 },
    ],
  },
  { id: 's3', candidate: 'ann', mode: 'interactive', assessment: true, day: 1, given: [{ q: qs[1]!, as: 'wrong', timeMs: 5_000 }] },
  {
    id: 's4',
    candidate: 'bob',
    mode: 'scripted',
    day: 2,
    given: [
      { q: qs[0]!, as: 'wrong', timeMs: 0 },
      { q: qs[1]!, as: 'right', timeMs: 0 },
    ],
  },
];

const practice = migrations.findIndex((m) => m.name === 'practice');

describe('the practice migration', () => {
  it('follows the previous version and builds the schedule from the answers already stored', () => {
    const file = path.join(tmpDir(), 'r.db');
    const db = new Sqlite(file);
    migrate(db, file, migrations.slice(0, practice));
    store(db, HISTORY, false);
    migrate(db, file, migrations.slice(0, practice + 1));
    db.pragma('foreign_keys = ON');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations[practice]!.version);
    expect(db.pragma('foreign_key_check')).toEqual([]);

    const ann = new Map(cardsOf(db, 'ann').map((c) => [c.key, c]));
    expect([...ann.keys()].sort()).toEqual(qs.map((q) => q.key).sort());
    // Missed on day 0, right on day 1: due again days later. Skipped on day 0: due since then.
    expect(ann.get('sql/q12')).toMatchObject({ lastOutcome: 'right', reps: 2, lastReview: at(1, 1) });
    expect(Date.parse(ann.get('sql/q12')!.due)).toBeGreaterThan(Date.parse(at(2)));
    expect(ann.get('sql/q13')).toMatchObject({ lastOutcome: 'unanswered', due: at(0, 14), scheduledDays: 0 });
    // The assessment's wrong answer to q1 left its card alone.
    expect(ann.get('facts/q1')).toMatchObject({ lastOutcome: 'right', reps: 1, scheduledDays: 3 });
    // q0 again in 2 s, a quarter of her usual 8 s: Easy, a longer interval than Good gave q1.
    expect(ann.get('facts/q0')!.scheduledDays).toBeGreaterThan(ann.get('facts/q1')!.scheduledDays);
    expect(cardsOf(db, 'bob').map((c) => [c.key, c.lastOutcome, c.due])).toEqual([
      ['facts/q0', 'wrong', at(2, 1)],
      ['facts/q1', 'right', new Date(Date.parse(at(2, 2)) + 3 * 86_400_000).toISOString()],
    ]);
    db.close();
  });

  it('builds the same schedule as answering one answer at a time', () => {
    const replayed = new Sqlite(path.join(tmpDir(), 'r.db'));
    migrate(replayed, 'r.db', migrations.slice(0, practice));
    store(replayed, HISTORY, false);
    migrate(replayed, 'r.db', migrations.slice(0, practice + 1));
    const live = openStore(path.join(tmpDir(), 'live.db'));
    store(live, HISTORY, true);
    for (const who of ['ann', 'bob']) expect(cardsOf(replayed, who)).toEqual(cardsOf(live, who));
    replayed.close();
    live.close();
  });
});

describe('practice queries', () => {
  const plan = (db: Sqlite.Database, sql: string, ...args: unknown[]): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');

  it("reads a candidate's cards by their key, without a scan", () => {
    const db = openStore(':memory:');
    expect(plan(db, PRACTICE_SQL.cards, 'ann')).toMatch(/SEARCH practice_cards USING PRIMARY KEY \(candidate=\?\)/);
    expect(plan(db, PRACTICE_SQL.due, 'ann')).toMatch(/SEARCH practice_cards USING PRIMARY KEY \(candidate=\?\)/);
    expect(plan(db, PRACTICE_SQL.card, 'ann', 'k')).toMatch(/SEARCH practice_cards USING PRIMARY KEY \(candidate=\? AND key=\?\)/);
    db.close();
  });

  it("walks a candidate's sessions newest first for their pace, with no sort of their history", () => {
    const db = openStore(':memory:');
    const p = plan(db, PRACTICE_SQL.pace, 'ann', 200);
    expect(p).toMatch(/SEARCH s USING INDEX sessions_candidate \(candidate=\?\)/);
    expect(p).not.toMatch(/TEMP B-TREE|SCAN a\b/);
    db.close();
  });
});
