// Speed and memory targets, measured rather than asserted in unit tests (timings there are flaky).
// Run: npm run bench. Prints the median of several runs per case against its budget; exit 1 if
// any median is over budget, so a regression is visible in CI logs when run there.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'backend-quiz.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bq-bench-'));
const env = { ...process.env, NO_COLOR: '1', BACKEND_QUIZ_DB: path.join(work, 'bench.db') };

function time(args, runs = 7, script = bin) {
  const ms = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    // The child reports its own peak RSS on exit (process.resourceUsage), so no external time(1) is needed.
    const r = spawnSync(process.execPath, ['--import', 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS+"\\n"))', ...(script ? [script] : []), ...args], { env, cwd: work, encoding: 'utf8' });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    rss = Math.max(rss, Number(/maxrss=(\d+)/.exec(r.stderr)?.[1] ?? 0));
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], rssMb: rss / 1024 };
}

// A large generated bank: 5,000 questions, to measure parsing and validation of user banks.
const big = path.join(work, 'big');
fs.mkdirSync(big);
const lines = ['bank: big', 'title: Generated', 'questions:'];
for (let i = 0; i < 5000; i++) {
  lines.push(`  - id: q${i}`, '    type: single', '    difficulty: medium', `    prompt: Generated question number ${i}?`, '    choices:',
    '      - text: Right', '        correct: true', '      - text: Wrong', '        why: no', '    explanation: Because.', '    references: [https://example.org]');
}
fs.writeFileSync(path.join(big, 'big.yaml'), lines.join('\n'));
fs.writeFileSync(path.join(work, 'answers.json'), '{}');

const cases = [
  { name: 'baseline: node -e 0 (for scale)', args: ['-e', '0'], budgetMs: 150, script: null },
  { name: 'startup: --help', args: ['--help'], budgetMs: 150 },
  { name: 'startup: --version', args: ['--version'], budgetMs: 150 },
  { name: 'topics (built-in banks, pre-parsed)', args: ['topics'], budgetMs: 300 },
  { name: 'scripted quiz, 50 questions, SQLite', args: ['take', '-n', '50', '--answers', 'answers.json', '--json'], budgetMs: 600 },
  { name: 'validate built-in banks (YAML)', args: ['validate', path.join(root, 'questions')], budgetMs: 1500 },
  { name: 'validate a 5,000-question bank', args: ['validate', big], budgetMs: 4000, runs: 3 },
];

let over = 0;
console.log(`${'case'.padEnd(40)} ${'median'.padStart(9)} ${'budget'.padStart(8)} ${'peak RSS'.padStart(9)}`);
for (const c of cases) {
  const r = time(c.args, c.runs, c.script === undefined ? bin : c.script);
  const flag = r.median > c.budgetMs ? '  OVER' : '';
  if (flag) over++;
  console.log(`${c.name.padEnd(40)} ${`${r.median.toFixed(0)} ms`.padStart(9)} ${`${c.budgetMs} ms`.padStart(8)} ${`${r.rssMb.toFixed(0)} MB`.padStart(9)}${flag}`);
}
fs.rmSync(work, { recursive: true, force: true });
process.exit(over ? 1 : 0);
