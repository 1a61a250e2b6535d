// Calibration and adaptive testing at scale, each figure a ratio to a floor measured alternately in
// the same run (absolute times on shared machines drift), with the absolute targets too:
// calibrating 200 questions from 100,000 stored answers (floor: reading those answers in raw SQL)
// under 2 s; choosing the next adaptive question from a pool of 1,000 (floor: the information of
// every item at one θ) under 5 ms. Then the simulation that shows adaptive sittings pay: 1,000
// simulated candidates, adaptive against random forms, at least 30% fewer questions.
// Run: npm run bench (after a build). `--quick` uses fewer repetitions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate as alternateRuns } from './alternate.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (m) => import(path.join(root, 'dist', m));
const { openStore } = await dist('store/db.js');
const { createSession, recordAnswer, closeSession } = await dist('store/sessions.js');
const { responsesFromSessions } = await dist('store/calibrations.js');
const { calibrate, probability, information } = await dist('psychometrics/rasch.js');
const { chooseNext, ADAPTIVE_DEFAULTS } = await dist('psychometrics/adaptive.js');
const { Posterior } = await dist('psychometrics/ability.js');
const { compareWithFixedForms, syntheticPool } = await dist('psychometrics/simulate.js');
const { renderSimulation } = await dist('report/calibration.js');
const { loadBuiltinBanks } = await dist('bank/load.js');
const { scoreResponse, rightAnswer } = await dist('engine/score.js');
const { mulberry32, normal, shuffle } = await dist('engine/rng.js');

const quick = process.argv.includes('--quick');
const REPS = quick ? 3 : 7;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-bench-irt-'));

const alternate = (floor, subject) => alternateRuns(floor, subject, REPS);

const rows = [];

// 200 built-in questions with difficulties spread over −2…2; 4,000 sittings of 25 of them each.
const QUESTIONS = 200;
const SITTINGS = 4000;
const PER_SITTING = 25;
const pool = loadBuiltinBanks()
  .banks.flatMap((b) => b.questions)
  .slice(0, QUESTIONS);
const rng = mulberry32(9);
const truth = pool.map(() => -2 + 4 * rng());
console.log(`Generating ${(SITTINGS * PER_SITTING).toLocaleString('en-US')} stored answers in ${work} …`);
const db = openStore(path.join(work, 'calibrate.db'));
db.pragma('synchronous = OFF');
db.transaction(() => {
  const settings = { topics: [], count: PER_SITTING, difficulties: ['easy', 'medium', 'hard'], feedback: 'end', mode: 'scripted' };
  const summary = { score: 0, maxScore: 0, percent: 0, questions: 0, right: 0, topics: {} };
  for (let s = 0; s < SITTINGS; s++) {
    const id = `b${String(s).padStart(8, '0')}`;
    const picks = shuffle(
      pool.map((_, i) => i),
      rng,
    ).slice(0, PER_SITTING);
    const items = picks.map((i) => ({ question: pool[i], choiceOrder: 'choices' in pool[i] ? pool[i].choices.map((_, c) => c) : [] }));
    createSession(db, {
      id,
      candidate: `c${s}`,
      startedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + s * 60_000).toISOString(),
      seed: s,
      settings,
      items,
    });
    const theta = normal(rng);
    items.forEach((item, position) => {
      const response = rng() < probability(theta, truth[picks[position]]) ? rightAnswer(item.question) : undefined;
      recordAnswer(
        db,
        id,
        { position, item, response, timeMs: 1000, ...scoreResponse(item.question, response) },
        '2026-01-01T00:00:00.000Z',
      );
    });
    closeSession(db, id, 'finished', summary, '2026-01-01T00:30:00.000Z');
  }
})();
const raw = db
  .prepare(
    `SELECT a.session_id, q.key, a.outcome FROM answers a JOIN session_questions sq USING (session_id, position) JOIN questions q ON q.hash = sq.question_hash`,
  )
  .raw(true);
let result;
const cal = alternate(
  () => raw.all(),
  () => (result = calibrate(responsesFromSessions(db, { status: ['finished', 'timed_out'] }).matrix)),
);
if (!result.converged || result.responses !== SITTINGS * PER_SITTING)
  throw new Error(`calibration: converged ${result.converged}, ${result.responses} responses`);
rows.push({
  figure: `calibrate ${QUESTIONS} questions, ${((SITTINGS * PER_SITTING) / 1000).toFixed(0)}k answers`,
  floorLabel: 'reading the same answers in raw SQL',
  ...cal,
  target: null,
  targetMs: 2000,
});
db.close();

// The next adaptive question from a pool of 1,000, ten answers into a sitting.
const big = syntheticPool(1000, 3).map((item, i) => ({ ...item, topic: `t${i % 4}` }));
const post = new Posterior();
const asked = new Set();
const pick = mulberry32(5);
for (let i = 0; i < 10; i++) {
  const k = chooseNext(big, asked, post.summary().theta, pick);
  asked.add(k);
  post.add(big[k].b, i % 2);
}
const CHOICES = 1000;
let sink = 0;
const choose = alternate(
  () => {
    for (let n = 0; n < CHOICES; n++) for (const item of big) sink += information(0.3, item.b);
  },
  () => {
    for (let n = 0; n < CHOICES; n++) sink += chooseNext(big, asked, post.summary().theta, pick);
  },
);
rows.push({
  figure: 'choose the next of 1,000 questions (each)',
  floorLabel: 'the information of every question at one θ',
  floor: choose.floor / CHOICES,
  subject: choose.subject / CHOICES,
  target: null,
  targetMs: 5,
});
if (Number.isNaN(sink)) throw new Error('unreachable');

fs.rmSync(work, { recursive: true, force: true });

const line = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
const widths = [44, 9, 9, 7, 10];
const ms = (x) => (x < 10 ? `${x.toFixed(3)} ms` : `${x.toFixed(0)} ms`);
console.log(line(['figure', 'floor', 'subject', 'ratio', 'target'], widths));
let over = 0;
for (const r of rows) {
  const miss = r.subject > r.targetMs ? '  over' : '';
  if (miss) over++;
  console.log(line([r.figure, ms(r.floor), ms(r.subject), `${(r.subject / r.floor).toFixed(2)}x`, `<=${r.targetMs}ms`], widths) + miss);
  console.log(`  floor: ${r.floorLabel}`);
}

// The simulation: the same table `calibrate --simulate` prints, on the synthetic pool.
console.log('');
const rules = ADAPTIVE_DEFAULTS;
const t0 = process.hrtime.bigint();
const comparison = compareWithFixedForms(syntheticPool(300, 1), rules, { examinees: 1000, seed: 1, maxFixed: 200 });
const simMs = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(
  renderSimulation({ comparison, pool: 'a synthetic pool of 300 questions, difficulties even from -2.5 to +2.5', rules, seed: 1 }),
);
console.log(`(simulated in ${simMs.toFixed(0)} ms)`);
if (comparison.saving === null || comparison.saving < 0.3) {
  console.log('  under target: adaptive sittings should need at least 30% fewer questions');
  over++;
}
process.exit(over ? 1 : 0);
