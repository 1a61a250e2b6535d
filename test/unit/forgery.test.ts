// The forgery suite: result files, keys and definitions a candidate (or a stranger whose files end
// up in the results folder) could send, each refused or flagged, and the report showing the flag.
// test/fixtures/integrity/ holds the interviewer's database (int-base.db: the definition of
// senior.yaml and the key of pack stkn2hapgsrx), the pack and its key, and one folder per case
// with the files as sent; the legacy-*.db files are databases older imports left damaged.
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { contentDigest } from '../../src/assessment/digest.js';
import type { PackKey } from '../../src/assessment/pack.js';
import { run as assessmentCmd } from '../../src/commands/assessment.js';
import { run as history } from '../../src/commands/history.js';
import { run as importCmd } from '../../src/commands/import.js';
import { run as report } from '../../src/commands/report.js';
import { run as show } from '../../src/commands/show.js';
import { run as take } from '../../src/commands/take.js';
import { rightAnswer } from '../../src/engine/score.js';
import { Ajv } from 'ajv';
import { Capture, fixtures, root, tmpDir } from '../helpers.js';

const reportSchema = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
  JSON.parse(fs.readFileSync(path.join(root, 'schema', 'report.schema.json'), 'utf8')),
);

const F = path.join(fixtures, 'integrity');

interface Machine {
  dir: string;
  db: string;
  import(paths: string[], extra?: { key?: string[]; assessment?: string[] }): Promise<{ code: number; text: string }>;
  report(format?: string): Promise<{ code: number; text: string }>;
  rows(sql: string): unknown[];
}

/** The interviewer's machine: a copy of `db` (or none), with the fixtures in its working folder. */
function machine(db: string | null = 'int-base.db'): Machine {
  const dir = tmpDir('bq-forgery-');
  fs.cpSync(F, dir, { recursive: true });
  const file = path.join(dir, 'interviewer.db');
  if (db) fs.copyFileSync(path.join(F, db), file);
  const base = { db: file, env: {}, cwd: dir, stderr: new Capture() };
  return {
    dir,
    db: file,
    async import(paths, extra = {}) {
      const out = new Capture();
      const code = await importCmd(paths, { ...base, stdout: out, ...extra });
      return { code, text: out.text };
    },
    async report(format = 'text') {
      const out = new Capture();
      const code = await report([], { ...base, stdout: out, assessment: 'senior-backend', format, details: false });
      return { code, text: out.text };
    },
    rows(sql) {
      const d = new Sqlite(file, { readonly: true });
      try {
        return d.prepare(sql).all();
      } finally {
        d.close();
      }
    },
  };
}

const sessions = (m: Machine): unknown[] =>
  m.rows(`SELECT candidate, status, score, max_score FROM sessions WHERE imported_from IS NOT NULL ORDER BY candidate`);

describe('honest results are imported as before', () => {
  it('the baseline: two sealed sittings and two unsealed ones, graded here', async () => {
    const m = machine();
    const r = await m.import(['baseline']);
    expect(r.text).toContain('Imported 4 results, 0 already present, 0 refused.');
    expect(r.code).toBe(0);
    expect(sessions(m)).toEqual([
      { candidate: 'alice', status: 'finished', score: 0, max_score: 9 },
      { candidate: 'bob', status: 'finished', score: 9, max_score: 9 },
      { candidate: 'carol', status: 'finished', score: 0, max_score: 9 },
      { candidate: 'dave', status: 'finished', score: 9, max_score: 9 },
    ]);
  });
});

describe('G1: the form is checked', () => {
  it.each([
    [
      'sealed-drop-wrong-questions',
      /e\.json: its questions are not the form of pack stkn2hapgsrx: it lists 5 questions \(5 different\); the pack has 9/,
    ],
    [
      'sealed-one-question-20-times',
      /b\.json: its questions are not the form of pack stkn2hapgsrx: it lists 20 questions \(1 different\); the pack has 9/,
    ],
    ['sealed-no-questions', /a\.json: its questions are not the form of pack stkn2hapgsrx: it lists no questions/],
    [
      'nonsealed-substitute-easy-questions',
      /c\.json: its questions are not the form of 'senior-backend' drawn from the banks here: question 1 is 'http-apis\/breaking-changes'; the form has 'http-apis\/cors-credentials-wildcard' there; the file was edited/,
    ],
  ])('%s is refused with the reason, and nothing is stored', async (folder, why) => {
    const m = machine();
    const r = await m.import([folder]);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(why);
    expect(r.text).toContain('Imported 0 results, 0 already present, 1 refused.');
    expect(sessions(m)).toEqual([]);
  });
});

describe('G1 with a key that predates recorded sections', () => {
  it('still checks the choice order a fixed pack showed', async () => {
    const m = machine();
    const r = JSON.parse(fs.readFileSync(path.join(F, 'baseline', 'b.json'), 'utf8'));
    r.questions[0].choices.reverse();
    delete r.digest;
    fs.writeFileSync(path.join(m.dir, 'reordered.json'), JSON.stringify({ ...r, digest: contentDigest(r) }));
    const out = await m.import(['reordered.json']);
    expect(out.text).toMatch(
      /reordered\.json: its questions are not the form of pack stkn2hapgsrx: question 1 \(q-\w+\) shows its choices in another order than the pack's/,
    );
    expect(sessions(m)).toEqual([]);
  });
});

describe('G2: timing is checked', () => {
  it.each([
    [
      'time-garbage-timestamps',
      /b\.json: not a valid result file: 'startedAt' must be a date and time such as 2026-12-07T10:00:00\.000Z; got text '2026-12-07Tgarbage'/,
    ],
    ['time-finished-before-started', /b\.json: its times are out of order: it finished before it started/],
  ])('%s is refused', async (folder, why) => {
    const m = machine();
    const r = await m.import([folder]);
    expect(r.code).toBe(1);
    expect(r.text).toMatch(why);
    expect(sessions(m)).toEqual([]);
  });

  it.each(['2026-02-30T10:00:00.000Z', '2026-13-01T10:00:00.000Z', '2026-12-07T25:00:00.000Z'])(
    'a start time the calendar does not have (%s) is refused',
    async (startedAt) => {
      const m = machine();
      const r = JSON.parse(fs.readFileSync(path.join(F, 'baseline', 'b.json'), 'utf8'));
      r.session.startedAt = startedAt;
      delete r.digest;
      fs.writeFileSync(path.join(m.dir, 'calendar.json'), JSON.stringify({ ...r, digest: contentDigest(r) }));
      const out = await m.import(['calendar.json']);
      expect(out.text).toContain(`calendar.json: its start time (startedAt) is not a date and time ('${startedAt}')`);
      expect(sessions(m)).toEqual([]);
    },
  );

  it('a 5-hour sitting on a 30-minute limit: late answers count unanswered, flagged over time in every report format', async () => {
    const m = machine();
    expect((await m.import(['time-5h-on-30m-limit-status-finished'])).code).toBe(0);
    expect(sessions(m)).toEqual([{ candidate: 'bob', status: 'timed_out', score: 0, max_score: 9 }]);
    expect(m.rows(`SELECT count(*) AS n FROM answers`)).toEqual([{ n: 0 }]);
    const text = (await m.report('text')).text;
    expect(text).toMatch(/^ +1 {2}bob +0\/9 +0% +fail +5h +timed out, over time$/m);
    expect(text).not.toContain('NaN');
    expect((await m.report('md')).text).toContain('timed out, over time');
    expect((await m.report('html')).text).toContain('timed out, over time');
    const json = JSON.parse((await m.report('json')).text);
    expect(reportSchema(json), JSON.stringify(reportSchema.errors)).toBe(true);
    expect(json.candidates[0]).toMatchObject({ overTime: true, timeUsedMs: 5 * 3600_000, timeLimitMs: 1800_000, status: 'timed_out' });
    const csv = (await m.report('csv')).text.split('\r\n');
    const head = csv[0]!.split(',');
    expect(csv[1]!.split(',')[head.indexOf('over_time')]).toBe('true');
    const hist = new Capture();
    await history({ db: m.db, env: {}, cwd: m.dir, stdout: hist });
    expect(hist.text).toMatch(/bob .* timed out, over time/);
    const [row] = m.rows(`SELECT id FROM sessions`) as { id: string }[];
    const shown = new Capture();
    await show(row!.id, { db: m.db, env: {}, cwd: m.dir, stdout: shown });
    expect(shown.text).toContain('Result for bob (over time: answers after the limit were counted unanswered)');
  });

  it('a sitting an older import stored with times that do not parse shows no time, never NaN', async () => {
    const m = machine('legacy-garbage-times.db');
    const text = (await m.report('text')).text;
    expect(text).not.toContain('NaN');
    expect(text).toMatch(/^ +1 {2}bob +9\/9 +100% +pass +– +finished$/m);
    expect(JSON.parse((await m.report('json')).text).candidates[0].timeUsedMs).toBeNull();
  });

  it("a pack edited to drop its limit: the key's limit applies, whatever the file says", async () => {
    const m = machine();
    const file = JSON.parse(fs.readFileSync(path.join(F, 'time-limit-removed', 'b.json'), 'utf8'));
    expect(file.session.timeLimitMs).toBeNull();
    expect((await m.import(['time-limit-removed'])).code).toBe(0);
    const [row] = m.rows(`SELECT settings FROM sessions`) as { settings: string }[];
    expect(JSON.parse(row!.settings).assessment.timeLimitMs).toBe(1800_000);
  });
});

describe('G3: definitions come only from the interviewer', () => {
  it('on a new machine a result is refused with how to add the definition; given with --assessment, the forged copy is refused', async () => {
    const m = machine(null);
    const first = await m.import(['nonsealed-forged-def-same-digest-fresh-db-first']);
    expect(first.code).toBe(1);
    expect(first.text).toMatch(
      /a-c\.json: assessment 'senior-backend' \(sha256:b216ac61bdf2…\) is not known on this machine; add the interviewer's definition first: backend-quiz import --assessment <senior-backend\.yaml> <results>, or backend-quiz assessment check <senior-backend\.yaml>/,
    );
    expect(m.rows(`SELECT count(*) AS n FROM assessments`)).toEqual([{ n: 0 }]);
    const second = await m.import(['nonsealed-forged-def-same-digest-fresh-db-first'], { assessment: ['senior.yaml'] });
    expect(second.text).toMatch(/a-c\.json: the definition of 'senior-backend' it carries does not match its digest/);
    expect(second.text).toContain('Imported 1 result, 0 already present, 1 refused.');
    expect((await m.report()).text).toContain('Pass mark: 70% overall; databases-sql 50%');
  });

  it('with the definition already here, a forged copy under its digest is refused', async () => {
    const m = machine();
    const r = await m.import(['nonsealed-forged-def-same-digest-local-def-present']);
    expect(r.text).toMatch(/c\.json: the definition of 'senior-backend' it carries does not match its digest/);
    expect(m.rows(`SELECT json_extract(definition, '$.passMark') AS mark, origin FROM assessments`)).toEqual([
      { mark: 70, origin: 'local' },
    ]);
  });

  it('a database where an older import stored a forged definition: no pass marks until the interviewer records theirs', async () => {
    const m = machine('legacy-forged-definition.db');
    const before = (await m.report()).text;
    expect(before).not.toContain('Pass mark');
    expect(before).not.toContain('RESULT');
    expect(before).toContain(
      "Note: no pass marks: this database holds the definition of 'senior-backend' only\nas older versions copied it from result files",
    );
    const json = JSON.parse((await m.report('json')).text);
    expect(reportSchema(json), JSON.stringify(reportSchema.errors)).toBe(true);
    expect(json.candidates.map((c: { passed: unknown }) => c.passed)).toEqual([null, null]);
    await assessmentCmd('check', 'senior.yaml', { db: m.db, env: {}, cwd: m.dir, stdout: new Capture() });
    const after = (await m.report()).text;
    expect(after).toContain('Pass mark: 70% overall; databases-sql 50%');
    expect(after).not.toContain('Note:');
  });
});

describe('G4: keys come only from --key', () => {
  it('a key in the results folder is refused; the real grades stand', async () => {
    const m = machine();
    const r = await m.import(['key-injection-real-key-present']);
    expect(r.text).toMatch(
      /aaa\.result\.json: it is a key file, and a key found among results could be anyone's: if it is yours, name it with --key <file>/,
    );
    expect(r.text).toContain('Imported 2 results, 0 already present, 1 refused.');
    expect(sessions(m)).toEqual([
      { candidate: 'alice', status: 'finished', score: 0, max_score: 9 },
      { candidate: 'bob', status: 'finished', score: 9, max_score: 9 },
    ]);
    expect((await m.report()).text).toContain('Pass mark: 70% overall');
  });

  it('on a machine without the key: refused; then the real key with --key grades them right', async () => {
    const m = machine(null);
    const first = await m.import(['key-injection-folder-first-then-real-key']);
    expect(first.text).toContain('Imported 0 results, 0 already present, 3 refused.');
    expect(first.text).toMatch(
      /alice\.result\.json: .*its answer key is not in this database.* backend-quiz import --key <key\.json> <results>/,
    );
    const positional = await m.import(['senior.key.json', 'key-injection-folder-first-then-real-key']);
    expect(positional.text).toMatch(/senior\.key\.json: it is a key file/);
    expect(sessions(m)).toEqual([]);
    const named = await m.import(['key-injection-folder-first-then-real-key'], { key: ['senior.key.json'] });
    expect(named.text).toContain('Imported 2 results, 1 key file, 0 already present, 1 refused.');
    expect(sessions(m)).toEqual([
      { candidate: 'alice', status: 'finished', score: 0, max_score: 9 },
      { candidate: 'bob', status: 'finished', score: 9, max_score: 9 },
    ]);
  });

  it('a key named with --key is read even from inside the results folder, and only that one', async () => {
    const m = machine(null);
    fs.copyFileSync(path.join(F, 'senior.key.json'), path.join(m.dir, 'key-injection-folder-first-then-real-key', 'senior.key.json'));
    const r = await m.import(['key-injection-folder-first-then-real-key'], {
      key: ['key-injection-folder-first-then-real-key/senior.key.json'],
    });
    expect(r.text).toMatch(/aaa\.result\.json: it is a key file/);
    expect(r.text).not.toMatch(/senior\.key\.json: /);
    expect(r.text).toContain('Imported 2 results, 1 key file, 0 already present, 1 refused.');
  });

  it('a minimal forged key is refused at import even when named; a database an older import left with one still reports', async () => {
    const m = machine(null);
    const r = await m.import(['key-injection-minimal-assessment/alice.result.json'], {
      key: ['key-injection-minimal-assessment/aaa.result.json'],
    });
    expect(r.text).toMatch(/aaa\.result\.json: not a usable backend-quiz key file: its assessment is not a whole definition/);
    expect(m.rows(`SELECT count(*) AS n FROM packs`)).toEqual([{ n: 0 }]);
    const legacy = machine('legacy-minimal-key.db');
    const out = await legacy.report();
    expect(out.code).toBe(0);
    expect(out.text).toContain('Pass mark: 70% overall');
  });

  it('a key that conflicts with the stored key of its pack is refused, and the stored one kept', async () => {
    const m = machine();
    const real = JSON.parse(fs.readFileSync(path.join(F, 'senior.key.json'), 'utf8')) as PackKey;
    const { digest: _d, ...body } = { ...real, assessment: { ...real.assessment, passMark: 0 } };
    fs.writeFileSync(path.join(m.dir, 'other.key.json'), JSON.stringify({ ...body, digest: contentDigest(body) }));
    const r = await m.import(['baseline/a.json'], { key: ['other.key.json'] });
    expect(r.text).toMatch(/other\.key\.json: it conflicts with the key of pack stkn2hapgsrx already in this database/);
    expect(r.code).toBe(1);
    expect(m.rows(`SELECT json_extract(key, '$.assessment.passMark') AS mark FROM packs`)).toEqual([{ mark: 70 }]);
  });
});

describe('G10: a sealed pack of built-in questions says so', () => {
  it('pack warns, pack and key record it, and every report format says so', async () => {
    const m = machine(null);
    // scripted: allowed, so this test can sit the pack from an answers file.
    fs.writeFileSync(path.join(m.dir, 'open.yaml'), `${fs.readFileSync(path.join(F, 'senior.yaml'), 'utf8')}scripted: allowed\n`);
    const err = new Capture();
    const opts = { db: m.db, env: {}, cwd: m.dir, stdout: new Capture(), stderr: err };
    await assessmentCmd('pack', 'open.yaml', { ...opts, output: 'open.pack.json', keyOut: 'open.key.json' });
    expect(err.text).toMatch(
      /^warning: 9 of the pack's questions come from the built-in banks, whose answers ship with backend-quiz: .* draw on banks of your own/,
    );
    expect(err.text.trim().split('\n')).toHaveLength(1);
    const pack = JSON.parse(fs.readFileSync(path.join(m.dir, 'open.pack.json'), 'utf8'));
    const key = JSON.parse(fs.readFileSync(path.join(m.dir, 'open.key.json'), 'utf8')) as PackKey;
    expect([pack.publicQuestions, key.publicQuestions]).toEqual([9, 9]);

    const [first, q] = Object.entries(key.questions)[0]!;
    fs.writeFileSync(path.join(m.dir, 'answers.yaml'), `${first}: ${JSON.stringify(rightAnswer(q))}\n`);
    const cand = { db: path.join(m.dir, 'candidate.db'), env: {}, cwd: m.dir, stdout: new Capture(), stderr: new Capture() };
    expect(await take('open.pack.json', { ...cand, candidate: 'cy', answers: 'answers.yaml', resultDir: 'outbox' })).toBe(0);
    expect((await m.import(['outbox'])).text).toContain('Imported 1 result');

    const says = `pack ${pack.id} holds 9 built-in questions, whose answers ship with backend-quiz`;
    expect((await m.report('text')).text.replace(/\n/g, ' ')).toContain(`Note: ${says}`);
    expect((await m.report('md')).text).toContain(`**Note:** ${says}`);
    expect((await m.report('html')).text).toContain(`<dt>Note</dt><dd>${says}`);
    const json = JSON.parse((await m.report('json')).text);
    expect(reportSchema(json), JSON.stringify(reportSchema.errors)).toBe(true);
    expect(json.notices[0]).toContain(says);
    expect(json.candidates[0].publicQuestions).toBe(9);
    const csv = (await m.report('csv')).text.split('\r\n');
    expect(csv[1]!.split(',')[csv[0]!.split(',').indexOf('public_questions')]).toBe('9');
  });
});
