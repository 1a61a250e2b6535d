// npm run bench: speed and memory, each figure a ratio to its floor measured alternately in the
// same run (absolute times drift with the machine and whatever else runs on it). Informative:
// a figure over its target is marked, never an error; the exit code is 0 unless the run fails.
//   node bench/run.mjs [--quick] [--json]     (after npm run build)
// --quick: fewer repetitions and no million-answer database, for CI logs.
// --json:  the figures as JSON on stdout (the table goes to stderr).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { interviewerFigures } from './interviewer.mjs';
import { writeGeneratedBanks } from '../scripts/generated-banks.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'backend-quiz.js');
const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const REPS = quick ? 5 : 15;
const out = asJson ? process.stderr : process.stdout;
const say = (s) => out.write(`${s}\n`);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-bench-'));
const env = {
  ...process.env,
  NO_COLOR: '1',
  CI: '',
  BACKEND_QUIZ_DB: path.join(work, 'bench.db'),
  XDG_CACHE_HOME: path.join(work, 'cache'),
};
// The child reports its own peak RSS as it exits.
const REPORT_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS+"\\n"))';

function spawnTimed(args, okCodes = [0], extraEnv = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', REPORT_RSS, ...args], { env: { ...env, ...extraEnv }, cwd: work, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!okCodes.includes(r.status)) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { ms, rssMb: Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))];

/** Runs floor and subject alternately; medians in ms and the subject's peak RSS. */
function alternate(floor, subject, reps = REPS) {
  floor();
  subject(); // warm the page cache for both
  const f = [];
  const s = [];
  let rssMb = 0;
  for (let i = 0; i < reps; i++) {
    f.push(floor().ms);
    const r = subject();
    s.push(r.ms);
    rssMb = Math.max(rssMb, r.rssMb ?? 0);
  }
  return { floor: median(f), subject: median(s), rssMb };
}

const figures = [];
function add(figure, floorLabel, r, target, unit = 'ratio') {
  const value = unit === 'ratio' ? r.subject / r.floor : r.value;
  figures.push({
    figure,
    floor: floorLabel,
    floorMs: r.floor ?? null,
    subjectMs: r.subject ?? null,
    value: Number(value.toFixed(3)),
    unit,
    target,
    met: target === null || value <= target,
  });
}

// --- inputs -------------------------------------------------------------------------------------
const builtin = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'banks.json'), 'utf8')).banks.flatMap((b) => b.questions);
// Answers for every question of one topic, and quizzes drawn from that topic: a file that names
// none of the drawn questions is refused, as a form made for another quiz.
const benchTopic = builtin[0].topic;
fs.writeFileSync(
  path.join(work, 'answers.yaml'),
  builtin
    .filter((q) => q.topic === benchTopic)
    .map(
      (q) =>
        `${q.key}: ${JSON.stringify(q.type === 'boolean' ? q.answer : q.type === 'number' ? q.answer : q.type === 'text' ? q.accept[0] : q.choices.find((c) => c.correct).text)}`,
    )
    .join('\n'),
);
// An answers file for every built-in question (about 145 KB), as a CI job that scripts any quiz
// keeps: read as JSON, it should cost the quiz about what a short one does.
const answerOf = (q) =>
  q.type === 'boolean' || q.type === 'number'
    ? q.answer
    : q.type === 'text'
      ? q.accept[0]
      : q.type === 'multiple'
        ? q.choices.filter((c) => c.correct).map((c) => c.text)
        : q.choices.find((c) => c.correct).text;
fs.writeFileSync(
  path.join(work, 'all-answers.json'),
  JSON.stringify(Object.fromEntries(builtin.map((q) => [q.key, answerOf(q)])), null, 2),
);

// 10,000 questions of user banks in 5 files of 2,000 (each under the 2 MB limit).
const big = path.join(work, 'big');
const bigFiles = writeGeneratedBanks(big);
fs.writeFileSync(
  path.join(work, 'bare-parse.mjs'),
  `import fs from 'node:fs';\nimport { parse } from ${JSON.stringify(path.join(root, 'node_modules', 'yaml', 'dist', 'index.js'))};\nfor (const f of ${JSON.stringify(bigFiles)}) parse(fs.readFileSync(f, 'utf8'));\n`,
);

// --- start-up and commands, each against `node -e 0` ------------------------------------------------
say(`Measuring (${quick ? 'quick' : 'full'}, ${REPS} alternated runs per figure) in ${work} …`);
const nodeOnly = () => spawnTimed(['-e', '0']);
add(
  '--help',
  'node -e 0',
  alternate(nodeOnly, () => spawnTimed([bin, '--help'])),
  1.3,
);
add(
  'scripted 10-question quiz, built-in banks',
  'node -e 0',
  alternate(nodeOnly, () => spawnTimed([bin, 'take', '-t', benchTopic, '-n', '10', '--answers', 'answers.yaml', '--json'])),
  2.0,
);
add(
  'scripted 10-question quiz, answers for all (JSON)',
  'node -e 0',
  alternate(nodeOnly, () => spawnTimed([bin, 'take', '-n', '10', '--answers', 'all-answers.json', '--json'])),
  2.0,
);
// The first figure above is every start after the first, with the bundle's code cache (src/code-cache.ts)
// in place; this one is the first start after an install, which compiles everything and writes it.
let firstRuns = 0;
const scriptedFirst = () =>
  spawnTimed([bin, 'take', '-t', benchTopic, '-n', '10', '--answers', 'answers.yaml', '--json'], [0], {
    XDG_CACHE_HOME: path.join(work, `first-${firstRuns++}`),
  });
add('scripted 10-question quiz, first run (no code cache)', 'node -e 0', alternate(nodeOnly, scriptedFirst), null);
add(
  'topics',
  'node -e 0',
  alternate(nodeOnly, () => spawnTimed([bin, 'topics'])),
  1.6,
);

// --- validation against the bare parse of the same YAML ------------------------------------------
const validate = alternate(
  () => spawnTimed([path.join(work, 'bare-parse.mjs')]),
  () => spawnTimed([bin, 'validate', big]),
  quick ? 3 : 7,
);
add('validate 10,000 questions', 'bare yaml parse of the same files', validate, 1.2);
figures.push({
  figure: 'peak RSS, validate 10,000 questions',
  floor: null,
  floorMs: null,
  subjectMs: null,
  value: Number(validate.rssMb.toFixed(0)),
  unit: 'MB',
  target: 200,
  met: validate.rssMb <= 200,
});

// --- in-process figures, on the built modules ----------------------------------------------------
const { loadBankFiles } = await import(path.join(root, 'dist', 'bank', 'load.js'));
const { openStore } = await import(path.join(root, 'dist', 'store', 'db.js'));
const { createSession, recordAnswer } = await import(path.join(root, 'dist', 'store', 'sessions.js'));

// A quiz start reads user banks: the first run parses them, a second finds them in the cache.
const cache = path.join(work, 'bank-cache');
let cold = 0;
const time = (fn) => {
  const t0 = process.hrtime.bigint();
  fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6 };
};
const startCache = alternate(
  () => time(() => loadBankFiles([big], work, undefined, path.join(cache, `cold-${cold++}`))),
  () => time(() => loadBankFiles([big], work, undefined, path.join(cache, 'warm'))),
  quick ? 3 : 7,
);
add('quiz start, 10,000 questions of user banks, second run', "the first run's parse", startCache, 0.1);

// Each answer is one autocommitted INSERT (WAL, synchronous=NORMAL): its p99 in milliseconds.
const db = openStore(path.join(work, 'durable.db'));
const q = builtin[0];
const items = Array.from({ length: 1000 }, () => ({ question: q, choiceOrder: q.choices?.map((_, i) => i) ?? [] }));
createSession(db, {
  id: 'bench00001',
  candidate: 'bench',
  startedAt: new Date().toISOString(),
  seed: 1,
  settings: { topics: [q.topic], count: items.length, difficulties: ['easy', 'medium', 'hard'], feedback: 'none', mode: 'scripted' },
  items,
});
const commits = items.map(
  (item, position) =>
    time(() =>
      recordAnswer(
        db,
        'bench00001',
        { position, item, response: undefined, timeMs: 1000, outcome: 'unanswered', points: 0, maxPoints: 1 },
        new Date().toISOString(),
      ),
    ).ms,
);
db.close();
figures.push({
  figure: 'durable per-answer commit, p99',
  floor: null,
  floorMs: null,
  subjectMs: null,
  value: Number(p99(commits).toFixed(3)),
  unit: 'ms',
  target: 1,
  met: p99(commits) <= 1,
});

// --- the interviewer's workflow at scale (bench/interviewer.mjs) ------------------------------------
for (const r of interviewerFigures({ quick, log: say })) {
  const ratio = r.subject / r.floor;
  figures.push({
    figure: r.figure,
    floor: r.floorLabel,
    floorMs: Number(r.floor.toFixed(1)),
    subjectMs: Number(r.subject.toFixed(1)),
    value: Number(ratio.toFixed(3)),
    unit: 'ratio',
    target: r.target,
    met: r.target === null || (ratio <= r.target && r.subject <= r.targetMs),
  });
}

fs.rmSync(work, { recursive: true, force: true });

// --- report -------------------------------------------------------------------------------------
const shown = (f) => (f.unit === 'ratio' ? `${f.value.toFixed(2)}x` : `${f.value} ${f.unit}`);
const limit = (f) => (f.target === null ? '-' : f.unit === 'ratio' ? `<= ${f.target}x` : `<= ${f.target} ${f.unit}`);
const row = (cells) =>
  `${String(cells[0]).padEnd(50)} ${String(cells[1]).padStart(10)} ${String(cells[2]).padStart(10)}  ${cells[3] ?? ''}`;
say('');
say(row(['figure', 'value', 'target', '']));
for (const f of figures) {
  say(row([f.figure.length > 50 ? `${f.figure.slice(0, 49)}…` : f.figure, shown(f), limit(f), f.met ? '' : 'over']));
  if (f.floor)
    say(`  floor: ${f.floor} (${f.floorMs?.toFixed?.(0) ?? f.floorMs} ms; subject ${f.subjectMs?.toFixed?.(0) ?? f.subjectMs} ms)`);
}
const over = figures.filter((f) => !f.met).length;
say(`${figures.length} figures, ${over} over target${quick ? ' (quick run: fewer repetitions, noisier)' : ''}.`);
if (asJson)
  process.stdout.write(`${JSON.stringify({ schemaVersion: 1, quick, node: process.version, cpus: os.cpus().length, figures }, null, 2)}\n`);
