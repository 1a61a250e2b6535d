// Renders a cohort report to HTML and takes a PNG screenshot of it in headless Chromium, for the
// README. Reads a report input (the JSON the report command builds; see src/report/model.ts) or,
// without one, uses a built-in sample cohort. Needs `npm run build` first and Debian's chromium.
//
//   node scripts/screenshot-report.mjs [input.json | report.html] [--out report.png] [--html report.html]
//                                      [--width 1200] [--details]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: 'report.png' },
    html: { type: 'string' },
    width: { type: 'string', default: '1200' },
    details: { type: 'boolean', default: false },
  },
});

const dist = path.join(root, 'dist', 'report', 'index.js');
if (!fs.existsSync(dist)) fail('dist/ is missing: run `npm run build` first.');
if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\`.`);
const { renderReport } = await import(pathToFileURL(dist).href);
const { percentOf, round } = await import(pathToFileURL(path.join(root, 'dist', 'engine', 'summary.js')).href);
const { chromium } = await import('playwright-core');

// An .html file (as `backend-quiz report --format html` writes it) is shown as it is.
const given = positionals[0];
let htmlPath;
if (given?.endsWith('.html')) htmlPath = path.resolve(given);
else {
  const input = given ? JSON.parse(fs.readFileSync(given, 'utf8')) : sampleCohort();
  htmlPath = values.html ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bq-report-')), 'report.html');
  fs.writeFileSync(htmlPath, renderReport(input, { format: 'html', details: values.details }));
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(values.width), height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(htmlPath).href);
  await page.screenshot({ path: values.out, fullPage: true });
} finally {
  await browser.close();
}
console.log(`screenshot-report: ${values.out} (HTML: ${htmlPath})`);

function fail(message) {
  console.error(`screenshot-report: ${message}`);
  process.exit(1);
}

/** A deterministic, plausible cohort: eight candidates, four topics, a fixed form of twelve questions. */
function sampleCohort() {
  const questions = [
    [
      'http/idempotent-methods',
      'multiple',
      'medium',
      2,
      'Which of these HTTP methods are idempotent according to RFC 9110?',
      'GET, PUT, DELETE',
      'GET, POST',
    ],
    [
      'http/retry-after',
      'text',
      'easy',
      1,
      'A server answers 429 Too Many Requests. Which response header tells the client when it may retry?',
      'Retry-After',
      'X-RateLimit-Reset',
    ],
    [
      'http/conditional-put',
      'number',
      'medium',
      1,
      'A PUT with If-Match fails because the resource’s ETag has changed. Which status code should the server return?',
      '412',
      '409',
    ],
    [
      'sql/phantom-read',
      'single',
      'hard',
      1,
      'In standard SQL, which is the weakest isolation level that prevents phantom reads?',
      'Serializable',
      'Repeatable read',
    ],
    [
      'sql/covering-index',
      'single',
      'hard',
      1,
      'Which index answers `SELECT email FROM users WHERE tenant_id = ? ORDER BY created_at` from the index alone?',
      '(tenant_id, created_at, email)',
      '(email, tenant_id)',
    ],
    [
      'sql/n-plus-one',
      'text',
      'easy',
      1,
      'An ORM runs one query for the orders, then one more per order for its customer. What is this pattern called?',
      'N+1 queries',
      'Lazy join',
    ],
    [
      'caching/stampede',
      'single',
      'hard',
      1,
      'Many requests miss the same expired key at once and all recompute it. Which technique avoids this?',
      'Request coalescing',
      'A longer TTL',
    ],
    [
      'caching/ttl-jitter',
      'single',
      'medium',
      1,
      'Why add random jitter to the TTLs of keys cached together?',
      'To spread their expirations out',
      'To save memory',
    ],
    [
      'caching/write-through',
      'boolean',
      'easy',
      1,
      'True or false: after a successful write, a write-through cache can still serve the old value.',
      'False',
      'True',
    ],
    [
      'queues/at-least-once',
      'single',
      'medium',
      1,
      'With at-least-once delivery, what must a consumer be to process every message safely?',
      'Idempotent',
      'Stateless',
    ],
    [
      'queues/dead-letter',
      'text',
      'easy',
      1,
      'Where should a message go once it has failed processing the maximum number of times?',
      'A dead-letter queue',
      'Back to the head of the queue',
    ],
    ['queues/kafka-ordering', 'single', 'medium', 1, 'Within what does Kafka guarantee message order?', 'A partition', 'A topic'],
  ];
  const difficulty = { easy: -1.2, medium: 0, hard: 1.1 };
  const people = [
    ['Amara Okafor', 1.9, 1_690],
    ['Jonas Lindqvist', 1.1, 1_420],
    ['Priya Raman', 1.3, 2_050],
    ['Mateo García', 0.4, 1_980],
    ['Hannah Schmidt', 0.2, 1_210],
    ['Wei Chen', -0.2, 2_310],
    ['Olu Adeyemi', -0.8, null],
    ['Sofia Rossi', -1.4, 2_400],
  ];
  let seed = 20260309;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const assessment = {
    id: 'be-spring-2026',
    title: 'Backend engineer, spring intake',
    passMark: 65,
    topicPassMarks: { sql: 50 },
    form: 'fixed',
    timeLimitMs: 40 * 60_000,
  };
  const candidates = people.map(([name, ability, seconds], n) => {
    const answers = questions.map(([key, , diff, points, , right, wrong], position) => {
      const p = 1 / (1 + Math.exp(-(ability - difficulty[diff])));
      const roll = random();
      const unanswered = roll > 0.97;
      const earned = unanswered ? 0 : roll < p ? points : points > 1 && roll < p + 0.25 ? points / 2 : 0;
      const outcome = unanswered ? 'unanswered' : earned === points ? 'right' : earned > 0 ? 'partial' : 'wrong';
      const given = unanswered
        ? '(no answer)'
        : outcome === 'right'
          ? right
          : outcome === 'partial'
            ? right.split(', ').slice(0, 2).join(', ')
            : wrong;
      return {
        key,
        position,
        given,
        right,
        outcome,
        points: earned,
        maxPoints: points,
        timeMs: unanswered ? null : Math.round(40_000 + random() * 140_000),
      };
    });
    const topics = {};
    for (const topic of [...new Set(questions.map(([key]) => key.split('/')[0]))].sort()) {
      const mine = answers.filter((a) => a.key.startsWith(`${topic}/`));
      const score = round(
        mine.reduce((s, a) => s + a.points, 0),
        3,
      );
      const maxScore = mine.reduce((s, a) => s + a.maxPoints, 0);
      const percent = percentOf(score, maxScore);
      topics[topic] = {
        score,
        maxScore,
        percent,
        passed: assessment.topicPassMarks[topic] === undefined ? null : percent >= assessment.topicPassMarks[topic],
      };
    }
    const score = round(
      answers.reduce((s, a) => s + a.points, 0),
      3,
    );
    const maxScore = answers.reduce((s, a) => s + a.maxPoints, 0);
    const percent = percentOf(score, maxScore);
    return {
      sessionId: `${(0x5a3c1e + n * 0x2f1b7).toString(16)}-${n}`,
      candidate: name,
      status: 'finished',
      startedAt: `2026-03-0${2 + (n % 5)}T${String(9 + n).padStart(2, '0')}:00:00.000Z`,
      finishedAt: `2026-03-0${2 + (n % 5)}T${String(9 + n).padStart(2, '0')}:40:00.000Z`,
      imported: seconds === null,
      score,
      maxScore,
      percent,
      passed: percent >= assessment.passMark && Object.values(topics).every((t) => t.passed !== false),
      timeUsedMs: seconds === null ? null : seconds * 1000,
      timeLimitMs: assessment.timeLimitMs,
      topics,
      answers,
    };
  });
  return {
    title: assessment.title,
    assessment,
    generatedAt: '2026-03-09T17:30:00.000Z',
    filters: { since: '2026-03-01' },
    questions: questions.map(([key, type, diff, points, prompt]) => ({
      key,
      topic: key.split('/')[0],
      difficulty: diff,
      type,
      prompt,
      points,
    })),
    candidates,
  };
}
