// How the common JUnit consumers count a report, each written from its parser's code, over the
// document as junit2json reads it. They trust different things: some count <testcase> children,
// some take the totals written on <testsuites> and <testsuite>, so a report is only right when every
// one of them arrives at the same numbers, for the whole file and for each suite.
//
// - Jenkins' JUnit plugin (jenkinsci/junit-plugin, src/main/java/hudson/tasks/junit/SuiteResult.java
//   and CaseResult.java): counts the <testcase> elements of each <testsuite>; a case with <skipped>
//   is skipped, one with <failure> or <error> failed (the text and message of the first one shown);
//   a suite's time is its `time` attribute, else the sum of its cases'; the run sums the suites.
//   Nothing on <testsuites> is read.
// - GitLab (gitlabhq/gitlabhq, lib/gitlab/ci/parsers/test/junit.rb): every <testcase> under the
//   suites; status failure, then error, then skipped, else success; time from each case's `time`.
//   No attribute of <testsuites> or <testsuite> is read.
// - dorny/test-reporter (src/parsers/java-junit/java-junit-parser.ts, src/test-results.ts): counts
//   cases (failure or error: failed; skipped: skipped); a suite's time is its `time` attribute; the
//   run's time is the `time` attribute of <testsuites>, else the sum of the suites'.
// - mikepenz/action-junit-report (src/testParser.ts): counts cases, any number of <failure> or
//   <error> in a case making it one failed test; time is the sum of the cases' `time`.
// - test-results-parser (test-results-reporter/parser, src/parsers/junit.js): reads the totals
//   `tests`, `failures`, `errors`, `skipped` and `time` of <testsuites> and of each <testsuite>, and
//   counts `tests - skipped - failures - errors` as passed; only when `tests` or `failures` is missing
//   on <testsuites> does it sum the suites instead.

export interface Counts {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Seconds, to the millisecond. */
  time: number;
}

export interface Reading {
  total: Counts;
  suites: Record<string, Counts>;
}

interface Case {
  time?: number;
  failure?: unknown[];
  error?: unknown[];
  skipped?: unknown[];
}
interface Suite {
  name: string;
  tests?: number;
  failures?: number;
  errors?: number;
  skipped?: number;
  time?: number;
  testcase?: Case[];
}
/** A report as junit2json gives it: attributes as numbers where they look like one, children as arrays. */
export interface Report {
  tests?: number;
  failures?: number;
  errors?: number;
  skipped?: number;
  time?: number;
  testsuite?: Suite[];
}

const ms = (s: number): number => Math.round(s * 1000) / 1000;

function countCases(cases: Case[], time: number): Counts {
  const failed = cases.filter((c) => c.failure || c.error).length;
  const skipped = cases.filter((c) => !(c.failure || c.error) && c.skipped).length;
  return { tests: cases.length, passed: cases.length - failed - skipped, failed, skipped, time: ms(time) };
}

const caseTime = (cases: Case[]): number => cases.reduce((t, c) => t + (c.time ?? 0), 0);

function sum(suites: Record<string, Counts>, time?: number): Counts {
  const all = Object.values(suites);
  const add = (k: keyof Counts): number => all.reduce((n, s) => n + s[k], 0);
  return {
    tests: add('tests'),
    passed: add('passed'),
    failed: add('failed'),
    skipped: add('skipped'),
    time: ms(time ?? add('time')),
  };
}

function bySuite(r: Report, count: (s: Suite) => Counts): Record<string, Counts> {
  return Object.fromEntries((r.testsuite ?? []).map((s) => [s.name, count(s)]));
}

export function jenkins(r: Report): Reading {
  const suites = bySuite(r, (s) => countCases(s.testcase ?? [], s.time ?? caseTime(s.testcase ?? [])));
  return { total: sum(suites), suites };
}

export function gitlab(r: Report): Reading {
  const suites = bySuite(r, (s) => countCases(s.testcase ?? [], caseTime(s.testcase ?? [])));
  return { total: sum(suites), suites };
}

export function dornyTestReporter(r: Report): Reading {
  const suites = bySuite(r, (s) => countCases(s.testcase ?? [], s.time ?? NaN));
  return { total: sum(suites, r.time), suites };
}

export function mikepenzJunitReport(r: Report): Reading {
  return gitlab(r);
}

/** test-results-parser's reading of one set of totals; NaN where an attribute it needs is missing. */
function fromTotals(t: Omit<Suite, 'name'>): Counts {
  const skipped = t.skipped || 0;
  const errors = t.errors || 0;
  const run = (t.tests as number) - skipped;
  const failed = t.failures as number;
  return { tests: run + skipped, passed: run - failed - errors, failed: failed + errors, skipped, time: ms((t.time as number) ?? NaN) };
}

export function testResultsParser(r: Report): Reading {
  const suites = bySuite(r, fromTotals);
  const top = fromTotals(r);
  if (Number.isNaN(top.passed) || Number.isNaN(top.failed)) {
    const summed = sum(suites);
    return { total: { ...summed, time: Number.isNaN(top.time) ? summed.time : top.time }, suites };
  }
  return { total: top, suites };
}

export const CONSUMERS = {
  jenkins,
  gitlab,
  'dorny/test-reporter': dornyTestReporter,
  'mikepenz/action-junit-report': mikepenzJunitReport,
  'test-results-parser': testResultsParser,
} as const;
