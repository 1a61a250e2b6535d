// npm run bench: the task engines, each figure a ratio to its floor measured alternately in the
// same run. Every sample is a fresh node process (an engine's start is part of what is graded),
// timed inside it from before the first import to the end of the work, so node's own start-up
// does not dilute the ratio.
//   node bench/tasks.mjs [--quick] [--json]     (after npm run build)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { ENGINE_PACKAGES } from '../scripts/build-task-worker.mjs';
import { median } from './alternate.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const REPS = quick ? 3 : 9;
const out = asJson ? process.stderr : process.stdout;
const say = (s) => out.write(`${s}\n`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-bench-tasks-'));
const nm = (p) => path.join(root, 'node_modules', p);
// The engines as the program ships them: the host bundled as CommonJS with the Worker entry from
// cli/ beside it (the layout src/tasks/host.ts expects in the bundle). No command imports the
// engines yet, so the bench bundles dist/tasks/index.js itself, into .bench/ (inside the package,
// where the engines' packages resolve).
const shipped = path.join(root, '.bench', 'tasks');
fs.rmSync(shipped, { recursive: true, force: true });
await build({
  input: path.join(root, 'dist', 'tasks', 'index.js'),
  platform: 'node',
  external: (id) => ENGINE_PACKAGES.some((p) => id === p || id.startsWith(`${p}/`)),
  logLevel: 'warn',
  output: { file: path.join(shipped, 'tasks.cjs'), format: 'cjs', codeSplitting: false },
});
fs.copyFileSync(path.join(root, 'cli', 'task-worker.cjs'), path.join(shipped, 'task-worker.cjs'));
const index = JSON.stringify(path.join(shipped, 'tasks.cjs'));
const dump = path.join(root, 'dist', 'pglite-datadir.tar.gz');

/** Runs a script in a fresh node; it prints {ms} (and may print more); peak RSS is added. */
function sample(name, source) {
  const file = path.join(work, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, source);
  const r = spawnSync(process.execPath, [file], { cwd: work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr.slice(0, 800)}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()), rssMb: Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024 };
}
const RSS = 'process.on("exit", () => process.stderr.write("maxrss=" + process.resourceUsage().maxRSS + "\\n"));\n';

function alternateSamples(floor, subject, reps = REPS) {
  floor();
  subject();
  const f = [];
  const s = [];
  for (let i = 0; i < reps; i++) {
    f.push(floor().ms);
    s.push(subject().ms);
  }
  return { floor: median(f), subject: median(s) };
}

const figures = [];
function add(figure, floorLabel, r, target) {
  const value = r.subject / r.floor;
  figures.push({
    figure,
    floor: floorLabel,
    floorMs: Number(r.floor.toFixed(1)),
    subjectMs: Number(r.subject.toFixed(1)),
    value: Number(value.toFixed(3)),
    unit: 'ratio',
    target,
    met: target === null || value <= target,
  });
}
function fact(figure, value, unit) {
  figures.push({ figure, floor: null, floorMs: null, subjectMs: null, value, unit, target: null, met: true });
}

// --- one SQL task: engine start, schema, two data sets, answer and solution on each --------------
const limits = { timeMs: 2000, memoryMb: 64, outputKb: 256, answerKb: 20 };
const schema =
  'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, total REAL);';
const rows = (n, off) => Array.from({ length: n }, (_, i) => `(${i + 1}, 'c${i + off}')`).join(', ');
const data1 = `INSERT INTO customers VALUES ${rows(50, 0)}; INSERT INTO orders VALUES ${Array.from({ length: 200 }, (_, i) => `(${i + 1}, ${(i % 40) + 1}, ${i * 1.5})`).join(', ')};`;
const data2 = `INSERT INTO customers VALUES ${rows(80, 7)};`;
const solution =
  'SELECT c.name, count(o.id) AS orders, coalesce(sum(o.total), 0) AS total FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.name';
const answer =
  'SELECT c.name, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id), (SELECT coalesce(sum(total), 0) FROM orders o WHERE o.customer_id = c.id) FROM customers c';
const sqlTask = {
  key: 'b/sql',
  type: 'sql',
  dialect: 'sqlite',
  schema,
  data: data1,
  hiddenData: [{ name: 'h', weight: 1, data: data2 }],
  solution,
  compare: { order: false, columns: false, tolerance: 1e-9 },
  limits,
};

const sqlFloor = `${RSS}const t0 = performance.now();
const initSqlJs = require(${JSON.stringify(nm('sql.js'))});
initSqlJs().then((SQL) => {
  for (const data of ${JSON.stringify([data1, data2])}) {
    for (const q of ${JSON.stringify([answer, solution])}) {
      const db = new SQL.Database();
      db.exec(${JSON.stringify(schema)});
      db.exec(data);
      db.exec(q);
      db.close();
    }
  }
  console.log(JSON.stringify({ ms: performance.now() - t0 }));
});
`;
const sqlSubject = `${RSS}const t0 = performance.now();
const { runTask } = await import(${index});
const run = await runTask(${JSON.stringify(sqlTask)}, ${JSON.stringify(answer)}, { hidden: true });
if (!run.tests.every((t) => t.passed)) throw new Error(JSON.stringify(run.tests));
console.log(JSON.stringify({ ms: performance.now() - t0 }));
`;

// --- one code task: six tests ----------------------------------------------------------------------
const code =
  'function median(xs) {\n  const s = [...xs].sort((a, b) => a - b);\n  const m = s.length >> 1;\n  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;\n}\n';
const calls = [[[1, 3, 2]], [[4, 1, 2, 3]], [[5]], [[2, 2, 2, 9]], [[10, -1]], [Array.from({ length: 100 }, (_, i) => (i * 37) % 101)]];
const expects = calls.map(([xs]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
});
const tests = calls.map((args, i) => ({ name: `t${i}`, weight: 1, args, expect: expects[i] }));
const codeTask = {
  key: 'b/code',
  type: 'code',
  language: 'javascript',
  function: 'median',
  tests: tests.slice(0, 3),
  hiddenTests: tests.slice(3),
  solution: code,
  limits,
};
const codeFloor = `${RSS}const t0 = performance.now();
const core = require(${JSON.stringify(nm('quickjs-emscripten-core'))});
const variant = require(${JSON.stringify(nm('@jitl/quickjs-wasmfile-release-sync'))}).default;
(async () => {
  const mod = await core.newQuickJSWASMModuleFromVariant(variant);
  for (const [i, args] of ${JSON.stringify(calls)}.entries()) {
    const ctx = mod.newContext();
    const r = ctx.evalCode(${JSON.stringify(code)} + '\\nJSON.stringify(median(...' + JSON.stringify(args) + '))');
    if (ctx.getString(ctx.unwrapResult(r)) !== JSON.stringify(${JSON.stringify(expects)}[i])) throw new Error('wrong');
    ctx.dispose();
  }
  console.log(JSON.stringify({ ms: performance.now() - t0 }));
})();
`;
const codeSubject = `${RSS}const t0 = performance.now();
const { runTask } = await import(${index});
const run = await runTask(${JSON.stringify(codeTask)}, ${JSON.stringify(code)}, { hidden: true });
if (!run.tests.every((t) => t.passed)) throw new Error(JSON.stringify(run.tests));
console.log(JSON.stringify({ ms: performance.now() - t0 }));
`;

// --- a Worker per runTask against one per test -----------------------------------------------------
const perTest = `${RSS}const t0 = performance.now();
const { runTask } = await import(${index});
const task = ${JSON.stringify(sqlTask)};
for (const data of [task.data, ...task.hiddenData.map((d) => d.data)]) {
  const run = await runTask({ ...task, data, hiddenData: [] }, ${JSON.stringify(answer)}, { hidden: false });
  if (!run.tests.every((t) => t.passed)) throw new Error('wrong');
}
console.log(JSON.stringify({ ms: performance.now() - t0 }));
`;

// --- PGlite: start from the prepared directory against initdb --------------------------------------
const pgStart = (prepared) => `${RSS}import fs from 'node:fs';
const t0 = performance.now();
const { PGlite } = await import(${JSON.stringify(path.join(nm('@electric-sql/pglite'), 'dist', 'index.js'))});
const db = ${prepared ? `await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(${JSON.stringify(dump)})], { type: 'application/x-gzip' }) })` : 'await PGlite.create()'};
await db.query('SELECT 1');
console.log(JSON.stringify({ ms: performance.now() - t0 }));
process.exit(0);
`;

say(`Measuring (${quick ? 'quick' : 'full'}, ${REPS} alternated runs per figure, each a fresh node) in ${work} …`);
add(
  'grade one SQL task (start, setup, 2 data sets)',
  'bare sql.js, same statements, no Worker',
  alternateSamples(
    () => sample('sql-floor.cjs', sqlFloor),
    () => sample('sql-subject.mjs', sqlSubject),
  ),
  2.0,
);
add(
  'grade one code task (6 tests)',
  'bare QuickJS evaluating the same tests',
  alternateSamples(
    () => sample('code-floor.cjs', codeFloor),
    () => sample('code-subject.mjs', codeSubject),
  ),
  2.0,
);
add(
  'a Worker per test (SQL, 2 data sets)',
  'one Worker per runTask',
  alternateSamples(
    () => sample('sql-subject.mjs', sqlSubject),
    () => sample('per-test.mjs', perTest),
  ),
  null,
);

if (fs.existsSync(nm('@electric-sql/pglite')) && fs.existsSync(dump)) {
  const pgReps = quick ? 2 : 3;
  const prepared = [];
  const initdb = [];
  for (let i = 0; i < pgReps; i++) {
    prepared.push(sample('pg-prepared.mjs', pgStart(true)));
    initdb.push(sample('pg-initdb.mjs', pgStart(false)));
  }
  add(
    'PGlite start from the prepared data directory',
    'PGlite start with initdb',
    { floor: median(initdb.map((r) => r.ms)), subject: median(prepared.map((r) => r.ms)) },
    null,
  );
  fact('PGlite peak RSS, prepared data directory', Math.round(Math.max(...prepared.map((r) => r.rssMb))), 'MB');
  fact('PGlite peak RSS, initdb', Math.round(Math.max(...initdb.map((r) => r.rssMb))), 'MB');
} else say('PGlite or dist/pglite-datadir.tar.gz missing: its figures are left out.');

// --- install size ---------------------------------------------------------------------------------
const du = (p) => {
  const r = spawnSync('du', ['-sk', p], { encoding: 'utf8' });
  return r.status === 0 ? Math.round(Number(r.stdout.split('\t')[0]) / 102.4) / 10 : null;
};
for (const p of [
  'sql.js',
  'quickjs-emscripten-core',
  '@jitl/quickjs-wasmfile-release-sync',
  '@jitl/quickjs-ffi-types',
  'sucrase',
  '@electric-sql/pglite',
])
  if (fs.existsSync(nm(p))) fact(`node_modules/${p}`, du(nm(p)), 'MB');
for (const f of ['cli/task-worker.cjs', 'dist/pglite-datadir.tar.gz'])
  if (fs.existsSync(path.join(root, f))) fact(`package file ${f}`, Math.round(fs.statSync(path.join(root, f)).size / 1024), 'KB');

fs.rmSync(work, { recursive: true, force: true });
fs.rmSync(shipped, { recursive: true, force: true });
const shown = (f) => (f.unit === 'ratio' ? `${f.value.toFixed(2)}x` : `${f.value} ${f.unit}`);
const row = (cols) => cols.map((c, i) => String(c).padEnd([52, 12, 8, 4][i])).join(' ');
say('');
say(row(['figure', 'value', 'target', '']));
for (const f of figures) {
  say(row([f.figure, shown(f), f.target === null ? '' : `≤ ${f.target}x`, f.met ? '' : 'over']));
  if (f.floor) say(`  floor: ${f.floor} (${f.floorMs} ms; subject ${f.subjectMs} ms)`);
}
const over = figures.filter((f) => !f.met).length;
say(`${figures.length} figures, ${over} over target${quick ? ' (quick run: fewer repetitions, noisier)' : ''}.`);
if (asJson)
  process.stdout.write(`${JSON.stringify({ schemaVersion: 1, quick, node: process.version, cpus: os.cpus().length, figures }, null, 2)}\n`);
