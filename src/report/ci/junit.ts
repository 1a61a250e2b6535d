// JUnit XML as CI systems read it (Jenkins' JUnit schema; GitLab's and GitHub's test reporters):
// a <testsuite> per topic, a <testcase> per question, <failure> for wrong or partly right
// answers, <skipped> for unanswered ones, and the gates as a suite of their own. For validate, a
// test case per bank file with a failure per problem.
import { describeGate } from '../../engine/gates.js';
import { markupChars } from '../../interop/xml.js';
import { escapeUnsafe } from '../../text.js';
import { responseLine } from '../text.js';
import { rightAnswer } from '../../engine/score.js';
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
interface Case {
  classname: string;
  name: string;
  timeMs: number;
  failures: { type: string; message: string; body: string }[];
  skipped?: string;
}

function suite(name: string, cases: Case[], properties: [string, string][] = []): string {
  const failed = cases.filter((c) => c.failures.length).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const time = cases.reduce((t, c) => t + c.timeMs, 0);
  const lines = [
    `  <testsuite name="${xmlAttr(name)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skipped}" time="${seconds(time)}">`,
  ];
  if (properties.length) {
    lines.push(
      '    <properties>',
      ...properties.map(([k, v]) => `      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`),
      '    </properties>',
    );
  }
  for (const c of cases) {
    const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}" time="${seconds(c.timeMs)}"`;
    if (!c.failures.length && c.skipped === undefined) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    // Jenkins' schema orders children: skipped, then errors, then failures.
    if (c.skipped !== undefined) lines.push(`      <skipped>${xmlText(c.skipped)}</skipped>`);
    for (const f of c.failures)
      lines.push(`      <failure message="${xmlAttr(f.message)}" type="${xmlAttr(f.type)}">${xmlText(f.body)}</failure>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>');
  return lines.join('\n');
}

function takeSuites(run: TakeRun): { suites: string[]; tests: number; failures: number; timeMs: number } {
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
      .map((i): Case => {
        const q = i.question;
        const outcome = i.answer?.outcome ?? 'unanswered';
        const c: Case = { classname: topic, name: q.key, timeMs: i.answer?.timeMs ?? 0, failures: [] };
        if (outcome === 'unanswered') c.skipped = 'not answered';
        else if (outcome === 'ungraded') c.skipped = 'sealed: graded by the interviewer';
        else if (outcome === 'wrong' || outcome === 'partial') {
          const expected = responseLine(q, rightAnswer(q));
          const got = responseLine(q, i.answer?.response);
          c.failures.push({
            type: outcome,
            message: `expected ${expected}, got ${got}`,
            body: `${q.prompt}\n\nExpected: ${expected}\nGot: ${got}\nPoints: ${i.answer?.points ?? 0}/${q.points}`,
          });
        }
        return c;
      }),
  }));
  const suites = byTopic.map((t) => suite(t.topic, t.cases, props));
  const gateCases = run.gates.map((g): Case => ({
    classname: 'gates',
    name: g.gate === 'score' ? `score ≥ ${g.threshold}%` : `${g.gate} ≥ ${g.threshold}%`,
    timeMs: 0,
    failures: g.passed ? [] : [{ type: 'gate', message: describeGate(g), body: describeGate(g) }],
  }));
  if (gateCases.length) suites.push(suite('gates', gateCases, props));
  const all = [...byTopic.flatMap((t) => t.cases), ...gateCases];
  return {
    suites,
    tests: all.length,
    failures: all.filter((c) => c.failures.length).length,
    timeMs: all.reduce((t, c) => t + c.timeMs, 0),
  };
}

function validateSuites(run: ValidateRun): { suites: string[]; tests: number; failures: number; timeMs: number } {
  const cases = run.files.map((file): Case => ({
    classname: 'banks',
    name: file,
    timeMs: 0,
    failures: run.problems
      .filter((p) => p.file === file)
      .map((p) => ({ type: 'problem', message: `${p.line}:${p.col}: ${p.message}`, body: `${p.file}:${p.line}:${p.col}: ${p.message}` })),
  }));
  // Problems not tied to a file that was read (a missing path, a duplicate across banks).
  const loose = run.problems.filter((p) => !run.files.includes(p.file));
  for (const p of loose)
    cases.push({
      classname: 'banks',
      name: p.file,
      timeMs: 0,
      failures: [{ type: 'problem', message: `${p.line}:${p.col}: ${p.message}`, body: `${p.file}:${p.line}:${p.col}: ${p.message}` }],
    });
  return { suites: [suite('validate', cases)], tests: cases.length, failures: cases.filter((c) => c.failures.length).length, timeMs: 0 };
}

export function renderJunit(run: CiRun): string {
  const { suites, tests, failures, timeMs } = run.kind === 'take' ? takeSuites(run) : validateSuites(run);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="backend-quiz ${run.kind}" tests="${tests}" failures="${failures}" errors="0" time="${seconds(timeMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
