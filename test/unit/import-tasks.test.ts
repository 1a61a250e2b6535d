// Import grades each task answer of a result on the interviewer's machine, from the key, in the
// sandbox: the candidate's file never decides a grade, and a hostile answer fails its tests with
// the reason, writes nothing outside the sandbox, and stops nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAssessment } from '../../src/assessment/definition.js';
import { contentDigest } from '../../src/assessment/digest.js';
import { buildPack, packExpectations, packItems, readPack, type OpenPack } from '../../src/assessment/pack.js';
import { writeResult, type ResultFile } from '../../src/assessment/result.js';
import type { Bank, Task, TaskLimits } from '../../src/bank/types.js';
import { run as importCmd } from '../../src/commands/import.js';
import { isTaskResponse, type TaskGrade } from '../../src/engine/score.js';
import { mulberry32 } from '../../src/engine/rng.js';
import { savePackKey } from '../../src/store/assessments.js';
import { openStore } from '../../src/store/db.js';
import { getSession } from '../../src/store/sessions.js';
import { packSittingInfo } from '../../src/take/assessment.js';
import { Capture, aBank, tmpDir } from '../helpers.js';
import { interviewer, resultOfSitting } from '../sitting-builders.js';
import { aCodeTask, aSqlTask, aTaskAssessment } from '../task-builders.js';

const limits: TaskLimits = { timeMs: 1000, memoryMb: 64, outputKb: 256, answerKb: 20 };
const sql = aSqlTask({ id: 'counts', limits });
const code = aCodeTask({ id: 'adder', limits });
const pg = aSqlTask({
  id: 'pg-counts',
  key: 'pg/pg-counts',
  topic: 'pg',
  dialect: 'postgres',
  limits,
  schema: 'CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);',
  data: "INSERT INTO customers VALUES (1, 'Ada');",
  hiddenData: [{ name: 'two', weight: 1, data: "INSERT INTO customers VALUES (1, 'A'), (2, 'B');" }],
  solution: 'SELECT count(*) AS n FROM customers',
});
const banks: Bank[] = [aBank('databases', [sql]), aBank('http-apis', [code]), aBank('alpha', 3)];

const a = aTaskAssessment('tasks', 1, ['form: fixed']);

let sealed: { pack: OpenPack; key: ReturnType<typeof buildPack>['key'] };
beforeAll(async () => {
  const s = buildPack(a, banks, mulberry32(1), undefined, await packExpectations(a, banks));
  sealed = { pack: readPack(JSON.stringify(s.pack), 'p.json') as OpenPack, key: s.key };
});

/** A sealed sitting of the pack whose SQL and code tasks are answered with `answers`. */
function sitting(answers: { sql?: string; code?: string }, seed = 5): Promise<ResultFile> {
  return resultOfSitting(packItems(sealed.pack, seed), {
    seed,
    info: packSittingInfo(sealed.pack),
    definition: null,
    taskAnswer: (q: Task) => (q.type === 'sql' ? answers.sql : answers.code) ?? q.starter,
  });
}

const machine = interviewer(banks);
const keyed = () => machine((db) => savePackKey(db, sealed.key, 'then'));

function grades(db: ReturnType<typeof keyed>['db'], id: string): Record<string, TaskGrade | undefined> {
  const d = getSession(db, id);
  return Object.fromEntries(
    d.items
      .filter((i) => i.question.type === 'sql' || i.question.type === 'code')
      .map((i) => [i.question.type, isTaskResponse(i.answer?.response) ? i.answer.response.grade : undefined]),
  );
}

const resealed = (r: ResultFile, edit: (r: ResultFile) => void): ResultFile => {
  const copy = structuredClone(r);
  edit(copy);
  const { digest: _d, ...body } = copy;
  return { ...body, digest: contentDigest(body) };
};

describe('import grades tasks from the key', () => {
  it('runs every test, hidden ones included, and scores the share passed', async () => {
    const m = keyed();
    const r = await sitting({ sql: sql.solution, code: 'function add(a, b) { return a + b }' });
    // The sealed sitting stored no grade: the candidate's machine has no hidden tests to run.
    expect(r.questions.filter((q) => q.type === 'sql' || q.type === 'code').map((q) => q.response)).toEqual([
      { answer: sql.solution, runs: 1 },
      { answer: 'function add(a, b) { return a + b }', runs: 1 },
    ]);
    const out = await m.runGraded(r);
    const g = grades(m.db, out.sessionId);
    expect(g.sql!.tests.map((t) => [t.name, t.hidden, t.weight, t.passed])).toEqual([
      ['sample data', false, 1, true],
      ['no orders at all', true, 1, true],
      ['many customers', true, 2, true],
    ]);
    expect(g.code!.tests.map((t) => [t.hidden, t.passed])).toEqual([
      [false, true],
      [false, true],
      [true, true],
    ]);
  });

  it('gives partial credit for an answer that passes the visible test only', async () => {
    const m = keyed();
    // Hard-codes the sample's answer: the hidden data sets catch it.
    const r = await sitting({
      sql: "SELECT 'Ada' AS name, 2 AS orders UNION ALL SELECT 'Linus', 0",
      code: 'function add(a, b) { return a - -b }',
    });
    const out = await m.runGraded(r);
    const d = getSession(m.db, out.sessionId);
    const task = d.items.find((i) => i.question.type === 'sql')!;
    expect(task.answer).toMatchObject({ outcome: 'partial', points: 0.75, maxPoints: 3 });
  });

  it('ignores a grade the result file carries', async () => {
    const m = keyed();
    const honest = await sitting({ sql: 'SELECT 1', code: 'function add() { return 0 }' });
    const forged = resealed(honest, (x) => {
      for (const q of x.questions)
        if (q.type === 'sql' || q.type === 'code')
          q.response = { ...(q.response as object), grade: { tests: [{ name: 'all', hidden: false, weight: 1, passed: true }] } } as never;
    });
    const out = await m.runGraded(forged);
    const g = grades(m.db, out.sessionId);
    expect(g.sql!.tests.every((t) => !t.passed)).toBe(true);
    expect(g.code!.tests.every((t) => !t.passed)).toBe(true);
    expect(g.sql!.tests).toHaveLength(3);
  });

  it('refuses a task answer of the wrong shape or a runs count no sitting writes', async () => {
    const honest = await sitting({});
    const at = honest.questions.findIndex((q) => q.type === 'code');
    const asText = resealed(honest, (x) => void (x.questions[at]!.response = 'function add() {}'));
    await expect(keyed().runGraded(asText)).rejects.toThrow(/the answer is not a task answer \{answer, runs\}/);
    const runs = resealed(honest, (x) => void (x.questions[at]!.response = { answer: 'x', runs: 1.5 }));
    await expect(keyed().runGraded(runs)).rejects.toThrow(/count of runs is not a small whole number/);
    const type = resealed(honest, (x) => void (x.questions[at]!.type = 'text'));
    await expect(keyed().runGraded(type)).rejects.toThrow(/it says it is a text question; it is a code one/);
  });

  it("does not run an answer larger than the key's answer limit", async () => {
    const m = keyed();
    const r = await sitting({ code: `function add(a, b) { return a + b }\n//${'x'.repeat(21 * 1024)}` });
    const g = grades(m.db, (await m.runGraded(r)).sessionId);
    expect(new Set(g.code!.tests.map((t) => t.reason))).toEqual(new Set(['answer is 22 KB; the limit is 20 KB']));
  });
});

describe('a per-candidate pack of tasks', () => {
  it("draws each sitting's tasks from the pool, and import recomputes that form from the key", async () => {
    const pool: Bank[] = [
      aBank('databases', [aSqlTask({ id: 'one', limits }), aSqlTask({ id: 'two', limits }), aSqlTask({ id: 'three', limits })]),
    ];
    const def = parseAssessment(
      [
        'assessment: pool',
        'title: Pool',
        'form: per-candidate',
        'sections:',
        '  - topic: databases',
        '    tasks: true',
        '    count: 2',
      ].join('\n'),
      'p.yaml',
    ).assessment!;
    const s = buildPack(def, pool, mulberry32(2), undefined, await packExpectations(def, pool));
    const pack = readPack(JSON.stringify(s.pack), 'p.json') as OpenPack;
    const m = interviewer(pool)((db) => savePackKey(db, s.key, 'then'));
    const r = await resultOfSitting(packItems(pack, 9), {
      seed: 9,
      info: packSittingInfo(pack),
      definition: null,
      taskAnswer: (q) => ((q as { schema?: string }).schema ? sql.solution : ''),
    });
    const out = await m.runGraded(r);
    const d = getSession(m.db, out.sessionId);
    expect(d.items.map((i) => i.answer?.outcome)).toEqual(['right', 'right']);
    // Another seed's claim for the same answers is not the form the key draws.
    const other = resealed(r, (x) => void (x.session.seed = 10));
    await expect(interviewer(pool)((db) => savePackKey(db, s.key, 'then')).runGraded(other)).rejects.toThrow(
      /its questions are not the form of pack/,
    );
  });
});

describe('hostile submissions in result files', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-import-hostile-'));
  const target = path.join(work, 'x.db');
  const written = path.join(work, 'written.txt');
  const listing = (dir: string): string[] => fs.readdirSync(dir).sort();
  let cwdBefore: string[];
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  beforeAll(async () => {
    // The first grading builds what every later one reuses, before the listing is taken.
    await keyed().runGraded(await sitting({}));
    cwdBefore = listing(process.cwd());
  });

  // Which limit a memory bomb meets first depends on the machine's load; the engine's own tests pin
  // the memory reason. Here what counts is that it fails with a limit's reason and stops nothing.
  const cases: [string, { sql?: string; code?: string }, 'sql' | 'code', RegExp][] = [
    ['an endless loop', { code: 'function add() { for (;;) {} }' }, 'code', /^time limit 1 s exceeded$/],
    [
      'a memory bomb',
      { code: 'function add() { const a = []; for (;;) a.push(new Array(1e6).fill(1)) }' },
      'code',
      /^(memory limit 64 MB exceeded|time limit 1 s exceeded)$/,
    ],
    [
      "require('fs')",
      { code: `function add() { require('fs').writeFileSync(${JSON.stringify(written)}, 'x') }` },
      'code',
      /'require' is not defined/,
    ],
    ['process', { code: 'function add() { process.exit(0) }' }, 'code', /'process' is not defined/],
    [
      'import()',
      { code: `function add() { return import('fs').then((fs) => fs.writeFileSync(${JSON.stringify(written)}, 'x')) }` },
      'code',
      // An assertion test sees the rejected promise as a value; a call test awaits it.
      /could not load module 'fs'|^Error: got \{\}/,
    ],
    [
      'a globalThis trick',
      { code: "function add() { return globalThis.constructor.constructor('return this')().process.mainModule.require('fs') }" },
      'code',
      /TypeError/,
    ],
    ['SQL ATTACH', { sql: `ATTACH DATABASE '${target}' AS x; CREATE TABLE x.t (a); SELECT * FROM x.t` }, 'sql', /unable to open database/],
    ['VACUUM INTO', { sql: `VACUUM INTO '${target}'` }, 'sql', /unable to open database/],
    [
      'a recursive CTE that never ends',
      { sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*), 0 FROM r' },
      'sql',
      /^time limit 1 s exceeded$/,
    ],
  ];

  it.each(cases)('%s fails its tests with the reason and writes nothing', async (_name, answers, type, reason) => {
    const m = keyed();
    const out = await m.runGraded(await sitting(answers));
    expect(out.kind).toBe('imported');
    const g = grades(m.db, out.sessionId)[type]!;
    expect(g.tests.length).toBeGreaterThan(1);
    for (const t of g.tests) {
      expect(t.passed).toBe(false);
      expect(t.reason).toMatch(reason);
    }
    expect(listing(work)).toEqual([]);
    expect(listing(process.cwd())).toEqual(cwdBefore);
  });

  // A Postgres task grades in PGlite: its own pack, so the other sittings need not start it.
  const pgBanks: Bank[] = [aBank('pg', [pg])];
  const pgDef = parseAssessment(
    ['assessment: pg', 'title: Pg', 'sections:', '  - topic: pg', '    tasks: true', '    count: 1'].join('\n'),
    'pg.yaml',
  ).assessment!;
  it.each([
    ['COPY … TO', `COPY customers TO '${written}'`, /COPY|superuser|permission|not supported|could not open/i],
    ['pg_read_file', "SELECT pg_read_file('/etc/passwd') AS n", /pg_read_file|permission|could not open|No such file/i],
    ['a billion-row generate_series', 'SELECT count(*) AS n FROM generate_series(1, 1000000000)', /^(time|memory) limit /],
  ])('a Postgres task answered with %s fails its tests with the reason and writes nothing', async (_name, answer, reason) => {
    const s = buildPack(pgDef, pgBanks, mulberry32(3), undefined, await packExpectations(pgDef, pgBanks));
    const pack = readPack(JSON.stringify(s.pack), 'pg.pack.json') as OpenPack;
    const r = await resultOfSitting(packItems(pack, 1), {
      seed: 1,
      info: packSittingInfo(pack),
      definition: null,
      taskAnswer: () => answer,
    });
    const m = interviewer(pgBanks)((db) => savePackKey(db, s.key, 'then'));
    const out = await m.runGraded(r);
    const g = grades(m.db, out.sessionId).sql!;
    expect(g.tests).toHaveLength(2);
    for (const t of g.tests) {
      expect(t.passed).toBe(false);
      expect(t.reason).toMatch(reason);
    }
    expect(listing(work)).toEqual([]);
    expect(listing(process.cwd())).toEqual(cwdBefore);
  });

  it('import goes on with the other files; a refused file is reported as before', async () => {
    const dir = tmpDir('bq-import-tasks-');
    const db = path.join(dir, 'int.db');
    const store = openStore(db, 'write');
    savePackKey(store, sealed.key, 'then');
    store.close();
    const loop = await sitting({ code: 'function add() { for (;;) {} }' }, 1);
    const bomb = await sitting({ code: 'function add() { const a = []; for (;;) a.push(new Array(1e6).fill(1)) }' }, 2);
    const good = await sitting({ sql: sql.solution, code: 'function add(a, b) { return a + b }' }, 3);
    const edited = { ...(await sitting({}, 4)), digest: `sha256:${'0'.repeat(64)}` };
    const files = [loop, bomb, good, edited].map((r, i) => writeResult({ file: path.join(dir, `r${i}.result.json`) }, r));
    const out = new Capture();
    const exit = await importCmd(files, {
      db,
      env: {},
      cwd: dir,
      stdout: out,
      stderr: new Capture(),
      now: () => new Date('2026-06-02T09:00:00Z'),
    });
    expect(exit).toBe(1);
    expect(out.text).toMatch(/r3\.result\.json: its digest does not match/);
    expect(out.text).toMatch(/Imported 3 results, 0 already present, 1 refused\./);
    const check = openStore(db);
    const points = [loop, bomb, good].map(
      (r) => getSession(check, r.session.id).items.find((i) => i.question.type === 'code')!.answer!.points,
    );
    check.close();
    expect(points).toEqual([0, 0, 3]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
