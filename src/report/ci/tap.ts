// TAP version 14 (https://testanything.org/tap-version-14-specification.html): a plan, one test
// point per question (or bank file), `# SKIP` for unanswered questions, YAML diagnostics with what
// was expected and what was given, and the gates as test points of their own. A graded task is a
// test point with a subtest: a point per test of it (hidden ones too), each failure with its reason.
import { stringify } from 'yaml';
import { describeGate } from '../../engine/gates.js';
import { isTask } from '../../bank/types.js';
import { isTaskResponse, rightAnswer, type TestOutcome } from '../../engine/score.js';
import { safeLine } from '../../text.js';
import { responseLine } from '../text.js';
import type { CiRun } from './model.js';

interface Point {
  ok: boolean;
  description: string;
  directive?: string;
  diagnostics?: Record<string, unknown>;
  /** A task's tests, written as a subtest before this point. */
  subtest?: Point[];
}

/**
 * A description may not hold a line break, and `#` would start a directive: TAP 14 escapes `\` and
 * `#`. TAP is read on a terminal or in a CI log, so the text is made safe for one first.
 */
const describe = (s: string): string =>
  safeLine(s.replace(/[\r\n]+/g, ' '))
    .replace(/\\/g, '\\\\')
    .replace(/#/g, '\\#');

function yamlBlock(d: Record<string, unknown>): string[] {
  // The yaml library quotes whatever needs it (colons, leading dashes, `...`), so untrusted text
  // cannot end the block early or change its structure.
  const body = stringify(d, { lineWidth: 0 }).trimEnd().split('\n');
  return ['  ---', ...body.map((l) => `  ${l}`), '  ...'];
}

function points(run: CiRun): Point[] {
  if (run.kind === 'validate') {
    const files = [...run.files, ...new Set(run.problems.map((p) => p.file).filter((f) => !run.files.includes(f)))];
    return files.map((file) => {
      const problems = run.problems.filter((p) => p.file === file);
      return problems.length
        ? { ok: false, description: file, diagnostics: { problems: problems.map((p) => `${p.line}:${p.col}: ${p.message}`) } }
        : { ok: true, description: file };
    });
  }
  const out: Point[] = run.detail.items.map((i) => {
    const q = i.question;
    const outcome = i.answer?.outcome ?? 'unanswered';
    const base = { topic: q.topic, difficulty: q.difficulty, outcome };
    if (outcome === 'unanswered') return { ok: true, description: q.key, directive: 'SKIP not answered' };
    if (outcome === 'ungraded') return { ok: true, description: q.key, directive: 'SKIP sealed: graded by the interviewer' };
    const r = i.answer?.response;
    if (isTask(q) && isTaskResponse(r) && r.grade) {
      const tests = r.grade.tests;
      return {
        ok: outcome === 'right',
        description: q.key,
        subtest: tests.map(testPoint),
        ...(outcome === 'right'
          ? {}
          : {
              diagnostics: {
                ...base,
                passed: `${tests.filter((t) => t.passed).length} of ${tests.length} tests`,
                points: `${i.answer?.points ?? 0}/${q.points}`,
              },
            }),
      };
    }
    if (outcome === 'right') return { ok: true, description: q.key };
    return {
      ok: false,
      description: q.key,
      diagnostics: {
        ...base,
        expected: responseLine(q, rightAnswer(q)),
        got: responseLine(q, i.answer?.response),
        points: `${i.answer?.points ?? 0}/${q.points}`,
      },
    };
  });
  for (const g of run.gates) out.push({ ok: g.passed, description: `gate: ${describeGate(g)}` });
  return out;
}

function testPoint(t: TestOutcome): Point {
  const description = `${t.hidden ? 'hidden: ' : ''}${t.name}`;
  return t.passed ? { ok: true, description } : { ok: false, description, diagnostics: { reason: t.reason ?? 'failed' } };
}

/** Test points from `plan` on, each subtest indented four spaces under its `# Subtest` comment (TAP 14). */
function pointLines(ps: Point[], indent: string): string[] {
  const lines = [`${indent}1..${ps.length}`];
  ps.forEach((p, i) => {
    if (p.subtest) lines.push(`${indent}    # Subtest: ${describe(p.description)}`, ...pointLines(p.subtest, `${indent}    `));
    lines.push(
      `${indent}${p.ok ? 'ok' : 'not ok'} ${i + 1} - ${describe(p.description)}${p.directive ? ` # ${describe(p.directive)}` : ''}`,
    );
    if (p.diagnostics) lines.push(...yamlBlock(p.diagnostics).map((l) => `${indent}${l}`));
  });
  return lines;
}

export function renderTap(run: CiRun): string {
  return `${['TAP version 14', ...pointLines(points(run), '')].join('\n')}\n`;
}
