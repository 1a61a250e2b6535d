// Practice at scale, each figure measured alternately against its floor in the same run (absolute
// times on shared machines drift): a scripted practice round chosen from a candidate's history of
// 100,000 answers, against the same round on an empty database (start-up: Node, the banks,
// SQLite); target: under 50 ms beyond it. Also shown: stats over the same history, and the
// migration's replay of it into a schedule.
// Run: npm run bench (after a build). `--quick` uses fewer repetitions.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (m) => import(path.join(root, 'dist', m));
const { openStore } = await dist('store/db.js');
const { createSession, recordAnswer, closeSession } = await dist('store/sessions.js');
const { replayHistory } = await dist('practice/reviewer.js');
const { loadBuiltinBanks } = await dist('bank/load.js');
const { scoreResponse, rightAnswer } = await dist('engine/score.js');
const { summarize } = await dist('engine/summary.js');
const { mulberry32 } = await dist('engine/rng.js');
const { dueOf } = await dist('store/practice.js');
const { chooseRound } = await dist('practice/round.js');
const { DIFFICULTIES } = await dist('bank/types.js');

const quick = process.argv.includes('--quick');
// Process start-up on a shared machine varies by tens of milliseconds, so more runs than elsewhere.
const REPS = quick ? 3 : 11;
const ANSWERS = 100_000;
const PER_SESSION = 50;
const bin = path.join(root, 'bin', 'backend-quiz.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-bench-practice-'));
const rng = mulberry32(11);
const banks = loadBuiltinBanks().banks;
const pool = banks.flatMap((b) => b.questions);

/** One candidate's history: sessions of 50 questions, one every few hours for months, right more often as time goes on. */
function fill(file) {
  const db = openStore(file);
  db.pragma('synchronous = OFF');
  const start = Date.now() - 200 * 86_400_000;
  const step = (200 * 86_400_000) / (ANSWERS / PER_SESSION);
  db.transaction(() => {
    for (let s = 0; s < ANSWERS / PER_SESSION; s++) {
      const t0 = start + s * step;
      // 50 different questions: a partial Fisher-Yates over the pool.
      for (let i = 0; i < PER_SESSION; i++) {
        const j = i + Math.floor(rng() * (pool.length - i));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      const unique = pool.slice(0, PER_SESSION).map((question) => ({ question, choiceOrder: [] }));
      const id = `b${String(s).padStart(9, '0')}`;
      createSession(db, {
        id,
        candidate: 'bench',
        startedAt: new Date(t0).toISOString(),
        seed: s,
        settings: {
          topics: [],
          count: unique.length,
          difficulties: ['easy', 'medium', 'hard'],
          feedback: 'immediate',
          mode: 'interactive',
          kind: 'practice',
        },
        items: unique,
      });
      const skill = 0.4 + (0.5 * s) / (ANSWERS / PER_SESSION);
      const scored = unique.map((item, position) => {
        const response = rng() < skill ? rightAnswer(item.question) : undefined;
        const r = { position, item, response, timeMs: 5_000 + Math.floor(rng() * 20_000), ...scoreResponse(item.question, response) };
        recordAnswer(db, id, r, new Date(t0 + position * 20_000).toISOString());
        return { topic: item.question.topic, difficulty: item.question.difficulty, ...r };
      });
      closeSession(db, id, 'finished', summarize(scored), new Date(t0 + unique.length * 20_000).toISOString());
    }
  })();
  return db;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function run(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/** Alternates floor and subject REPS times (after one warm-up each); returns both medians in ms. */
function alternate(floor, subject, check) {
  const f = [];
  const s = [];
  floor();
  check(subject().stdout);
  for (let i = 0; i < REPS; i++) {
    f.push(floor().ms);
    s.push(subject().ms);
  }
  return { floor: median(f), subject: median(s) };
}

console.log(`Generating a history of ${ANSWERS.toLocaleString('en')} answers in ${work} …`);
const bigFile = path.join(work, 'history.db');
const big = fill(bigFile);
const answers = big.prepare('SELECT count(*) FROM answers').pluck().get();
let t = process.hrtime.bigint();
const replayed = replayHistory(big);
const replayMs = Number(process.hrtime.bigint() - t) / 1e6;
const cards = big.prepare(`SELECT count(*) FROM practice_cards WHERE candidate = 'bench'`).pluck().get();
big.close();
const emptyFile = path.join(work, 'empty.db');
openStore(emptyFile).close();
// Every built-in question named and left blank: a round answers none, and the file fits any form.
const everyKey = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'banks.json'), 'utf8')).banks.flatMap((b) =>
  b.questions.map((q) => q.key),
);
fs.writeFileSync(path.join(work, 'none.json'), JSON.stringify(Object.fromEntries(everyKey.map((k) => [k, null]))));

// In the process: reading the candidate's schedule and choosing a round, alone.
function choose(file) {
  const db = openStore(file);
  const scope = { topics: banks.map((b) => b.id), difficulties: DIFFICULTIES, count: 10, seed: 1 };
  return () => {
    const t0 = process.hrtime.bigint();
    const r = chooseRound(banks, dueOf(db, 'bench'), { ...scope, now: new Date() });
    if (r.items.length !== 10) throw new Error('the round is not 10 questions');
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout: '' };
  };
}
const inProcess = alternate(choose(emptyFile), choose(bigFile), () => {});

const round = (db) => () => run(['practice', '-c', 'bench', '-n', '10', '--answers', 'none.json', '--json', '--db', db]);
const rows = [];
rows.push({
  figure: `practice round, ${(answers / 1000).toFixed(0)}k answers`,
  floorLabel: 'the same round on an empty database (start-up)',
  ...alternate(round(emptyFile), round(bigFile), (out) => {
    if (JSON.parse(out).questions.length !== 10) throw new Error('the round is not 10 questions');
  }),
  beyondMs: 50,
});
const stats = (db) => () => run(['stats', '-c', 'bench', '--db', db]);
rows.push({
  figure: `stats, ${(answers / 1000).toFixed(0)}k answers`,
  floorLabel: 'stats on an empty database (start-up)',
  ...alternate(stats(emptyFile), stats(bigFile), (out) => {
    if (!out.includes('all topics')) throw new Error('stats printed no table');
  }),
  beyondMs: null,
});
if (!process.env.KEEP) fs.rmSync(work, { recursive: true, force: true });

const line = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
const widths = [30, 8, 8, 7, 9, 14];
console.log(line(['figure', 'floor', 'subject', 'ratio', 'beyond', 'target'], widths));
for (const r of rows) {
  const beyond = r.subject - r.floor;
  const miss = r.beyondMs !== null && beyond > r.beyondMs ? '  over' : '';
  console.log(
    line(
      [
        r.figure,
        `${r.floor.toFixed(0)} ms`,
        `${r.subject.toFixed(0)} ms`,
        `${(r.subject / r.floor).toFixed(2)}x`,
        `${beyond.toFixed(0)} ms`,
        r.beyondMs === null ? '-' : `<=${r.beyondMs} ms beyond`,
      ],
      widths,
    ) + miss,
  );
  console.log(`  floor: ${r.floorLabel}`);
}
console.log(
  `Choosing the round in the process (reading the schedule included): ${inProcess.subject.toFixed(1)} ms from ${(answers / 1000).toFixed(0)}k answers, ${inProcess.floor.toFixed(1)} ms from none`,
);
console.log(`Replaying ${replayed.toLocaleString('en')} answers into ${cards} cards (migration 3, once): ${replayMs.toFixed(0)} ms`);
