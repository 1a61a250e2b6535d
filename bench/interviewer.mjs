// The interviewer's workflow at scale, each figure a ratio to its floor measured alternately in
// the same run (absolute times on shared machines drift): importing 1,000 result files against
// reading and parsing the same files; a cohort report of 1,000 candidates × 50 questions, alone
// and inside a database of 1,000,000 answers, against the same aggregate in raw SQL; the check a
// write makes first on both databases, against the quick_check a read makes.
// Part of npm run bench (bench/run.mjs); `quick` skips the million-answer database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate as alternateRuns } from './alternate.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (m) => import(path.join(root, 'dist', m));
const { openStore, fullCheck, quickCheck } = await dist('store/db.js');
const { createSession, recordAnswer, closeSession, questionHash } = await dist('store/sessions.js');
const { saveAssessment } = await dist('store/assessments.js');
const { gatherReport } = await dist('store/report.js');
const { renderReport } = await dist('report/index.js');
const { buildResult } = await dist('assessment/result.js');
const { importResult, snapshotLookup } = await dist('assessment/import.js');
const { drawForm } = await dist('assessment/form.js');
const { readResult } = await dist('assessment/result.js');
const { loadBuiltinBanks } = await dist('bank/load.js');
const { scoreResponse, rightAnswer } = await dist('engine/score.js');
const { detailSummary } = await dist('report/json.js');
const { getSession } = await dist('store/sessions.js');
const { mulberry32 } = await dist('engine/rng.js');

let REPS = 7;
let work = '';
const rng = mulberry32(7);
const banks = loadBuiltinBanks().banks;
const pool = banks.flatMap((b) => b.questions);
const QUESTIONS = 50;
const form = Array.from({ length: QUESTIONS }, (_, i) => pool[(i * 13) % pool.length]);

const definition = (id) => ({
  id,
  title: `Bench ${id}`,
  instructions: '',
  // The form as an explicit list, so import can draw it again as it checks each result.
  sections: [{ questions: form.map((q) => q.key) }],
  timeLimitMs: 3_600_000,
  passMark: 60,
  topicPassMarks: {},
  feedback: 'none',
  form: 'fixed',
  seed: 1,
  banks: [],
  digest: `sha256:${id
    .padEnd(64, '0')
    .slice(0, 64)
    .replace(/[^0-9a-f]/g, 'a')}`,
});
const settings = (a) => ({
  topics: [...new Set(form.map((q) => q.topic))].sort(),
  count: QUESTIONS,
  difficulties: ['easy', 'medium', 'hard'],
  feedback: 'none',
  mode: 'interactive',
  assessment: { id: a.id, title: a.title, digest: a.digest, timeLimitMs: a.timeLimitMs, form: 'fixed', sealed: false },
});

/** A sitting answered right with a probability that grows with the candidate's ability. */
function sit(db, a, id, candidate, t0) {
  const items = drawForm(a, banks, a.seed);
  createSession(db, { id, candidate, startedAt: new Date(t0).toISOString(), seed: 1, settings: settings(a), items });
  const ability = rng();
  items.forEach((item, position) => {
    const response = rng() < ability ? rightAnswer(item.question) : undefined;
    recordAnswer(
      db,
      id,
      { position, item, response, timeMs: 20_000, ...scoreResponse(item.question, response) },
      new Date(t0 + position * 20_000).toISOString(),
    );
  });
  closeSession(db, id, 'finished', detailSummary(getSession(db, id)), new Date(t0 + QUESTIONS * 20_000).toISOString());
}

function fill(file, cohorts) {
  const db = openStore(file);
  db.pragma('synchronous = OFF');
  let n = 0;
  db.transaction(() => {
    for (const [aid, count] of cohorts) {
      const a = definition(aid);
      saveAssessment(db, a, '2026-01-01T00:00:00.000Z');
      for (let i = 0; i < count; i++, n++)
        sit(db, a, `s${String(n).padStart(9, '0')}`, `cand-${n}`, Date.parse('2026-01-01T00:00:00Z') + n * 60_000);
    }
  })();
  return db;
}

const alternate = (floor, subject) => alternateRuns(floor, subject, REPS);

// The aggregate a cohort report shows, in raw SQL: per-candidate totals, per-candidate topic
// totals and per-question facility, over the assessment's finished sittings.
const RAW = [
  `SELECT s.id, s.candidate, s.started_at, s.finished_at, sum(a.points), sum(a.max_points) FROM sessions s JOIN answers a ON a.session_id = s.id
    WHERE s.assessment_id = @a AND s.status IN ('finished', 'timed_out') GROUP BY s.id`,
  `SELECT s.id, q.topic, sum(a.points), sum(a.max_points) FROM sessions s JOIN session_questions sq ON sq.session_id = s.id
    JOIN questions q ON q.hash = sq.question_hash LEFT JOIN answers a ON a.session_id = sq.session_id AND a.position = sq.position
    WHERE s.assessment_id = @a AND s.status IN ('finished', 'timed_out') GROUP BY s.id, q.topic`,
  `SELECT q.key, avg(coalesce(a.points, 0) / coalesce(a.max_points, 1)) FROM sessions s JOIN session_questions sq ON sq.session_id = s.id
    JOIN questions q ON q.hash = sq.question_hash LEFT JOIN answers a ON a.session_id = sq.session_id AND a.position = sq.position
    WHERE s.assessment_id = @a AND s.status IN ('finished', 'timed_out') GROUP BY q.key`,
];

const rows = [];
function report(label, db, aid) {
  const stmts = RAW.map((sql) => db.prepare(sql));
  const filter = { assessment: aid, status: ['finished', 'timed_out'] };
  for (const format of ['text', 'csv', 'json']) {
    let out = '';
    const r = alternate(
      () => stmts.forEach((s) => s.all({ a: aid })),
      () =>
        (out = renderReport(gatherReport(db, filter, aid, '2026-06-01T00:00:00.000Z', { details: format === 'json' }), {
          format,
          details: false,
        })),
    );
    if (!out.includes('cand-')) throw new Error('the report is empty');
    rows.push({ figure: `${label}, ${format}`, floorLabel: 'the same aggregate in raw SQL', ...r, target: 3, targetMs: 500 });
  }
}

/**
 * The check a write makes first when the file is not known sound (integrity_check and the JSON of
 * every row), against the quick_check a read makes.
 */
function check(label, db) {
  const mb = ((db.pragma('page_count', { simple: true }) * db.pragma('page_size', { simple: true })) / 1e6).toFixed(0);
  const r = alternate(
    () => quickCheck(db),
    () => {
      if (fullCheck(db)) throw new Error('the benchmark database is damaged');
    },
  );
  rows.push({
    figure: `check before a write, ${label} (${mb} MB)`,
    floorLabel: 'PRAGMA quick_check, the check a read makes',
    ...r,
    target: 3,
    targetMs: 3000,
  });
}

/** The interviewer's figures as rows of { figure, floorLabel, floor, subject, target, targetMs }. */
export function interviewerFigures({ quick = false, log = () => {} } = {}) {
  REPS = quick ? 3 : 7;
  rows.length = 0;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-bench-iv-'));
  log(`Generating databases in ${work} …`);
  const cohortDb = fill(path.join(work, 'cohort.db'), [['bench-cohort', 1000]]);
  report('cohort of 1,000 × 50', cohortDb, 'bench-cohort');
  check('1,000 sittings', cohortDb);
  if (!quick) {
    const bigDb = fill(path.join(work, 'big.db'), [['bench-cohort', 1000], ...Array.from({ length: 19 }, (_, i) => [`other-${i}`, 1000])]);
    const answers = bigDb.prepare('SELECT count(*) FROM answers').pluck().get();
    report(`same cohort in ${(answers / 1e6).toFixed(1)}M answers`, bigDb, 'bench-cohort');
    check(`${(answers / 1e6).toFixed(1)}M answers`, bigDb);
    bigDb.close();
  }

  // 1,000 result files, written from the cohort's sittings.
  const inbox = path.join(work, 'inbox');
  fs.mkdirSync(inbox);
  const ids = cohortDb.prepare(`SELECT id FROM sessions ORDER BY id`).pluck().all();
  for (const id of ids) {
    const detail = getSession(cohortDb, id);
    const info = detail.session.settings.assessment;
    fs.writeFileSync(path.join(inbox, `${id}.result.json`), JSON.stringify(buildResult(detail, info, definition('bench-cohort'))));
  }
  const files = fs.readdirSync(inbox).map((n) => path.join(inbox, n));
  const bankIndex = new Map(pool.map((q) => [questionHash(q), q]));
  let runNo = 0;
  const imp = alternate(
    () => files.forEach((f) => JSON.parse(fs.readFileSync(f, 'utf8'))),
    () => {
      const file = path.join(work, `import-${runNo++}.db`);
      const db = openStore(file);
      const lookup = snapshotLookup(db, () => bankIndex);
      // The interviewer's own definition, as `assessment check` records it.
      saveAssessment(db, definition('bench-cohort'), '2026-01-01T00:00:00.000Z');
      let n = 0;
      for (const f of files)
        if (
          importResult(db, readResult(fs.readFileSync(f, 'utf8'), f), path.basename(f), lookup, '2026-06-01T00:00:00.000Z', () => banks)
            .kind === 'imported'
        )
          n++;
      db.close();
      if (n !== files.length) throw new Error(`imported ${n} of ${files.length}`);
    },
  );
  rows.push({
    figure: 'import 1,000 result files',
    floorLabel: 'reading and JSON.parse of the same files',
    ...imp,
    target: null,
    targetMs: null,
  });

  cohortDb.close();
  if (!process.env.KEEP) fs.rmSync(work, { recursive: true, force: true });
  return rows;
}
