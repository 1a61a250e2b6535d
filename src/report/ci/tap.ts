// TAP version 14 (https://testanything.org/tap-version-14-specification.html): a plan, one test
// point per question (or bank file), `# SKIP` for unanswered questions, YAML diagnostics with what
// was expected and what was given, and the gates as test points of their own.
import { stringify } from 'yaml';
import { describeGate } from '../../engine/gates.js';
import { rightAnswer } from '../../engine/score.js';
import { safeLine } from '../../text.js';
import { responseLine } from '../text.js';
import type { CiRun } from './model.js';

interface Point {
  ok: boolean;
  description: string;
  directive?: string;
  diagnostics?: Record<string, unknown>;
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

export function renderTap(run: CiRun): string {
  const ps = points(run);
  const lines = ['TAP version 14', `1..${ps.length}`];
  ps.forEach((p, i) => {
    lines.push(`${p.ok ? 'ok' : 'not ok'} ${i + 1} - ${describe(p.description)}${p.directive ? ` # ${describe(p.directive)}` : ''}`);
    if (p.diagnostics) lines.push(...yamlBlock(p.diagnostics));
  });
  return `${lines.join('\n')}\n`;
}
