// GitHub Actions workflow commands and the job summary.
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
import path from 'node:path';
import { describeGate } from '../../engine/gates.js';
import { safeKeepingBreaks } from '../../text.js';
import { failedTestLine, gradedTasks, passedAll, sealed, type CiRun, type TakeRun } from './model.js';

/**
 * A command's message: `%`, CR and LF are escaped, as the runner's own toolkit does. The log is
 * shown in a terminal emulator in the browser, so escapes and bidi controls are made visible first.
 */
export function escapeData(s: string): string {
  return safeKeepingBreaks(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which would end the property. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: 'error' | 'warning' | 'notice', props: Record<string, string | number>, message: string): string {
  const p = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

/**
 * For validate, one error per problem, positioned so the annotation lands on the pull request's
 * diff: paths relative to the working directory, with forward slashes.
 */
export function renderGithub(run: CiRun, cwd: string): string {
  if (run.kind === 'validate') {
    const lines = run.problems.map((p) => {
      const rel = path.relative(cwd, path.resolve(cwd, p.file)).split(path.sep).join('/');
      return command('error', { file: rel, line: p.line, col: p.col, title: 'backend-quiz validate' }, p.message);
    });
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
  const lines = run.gates.filter((g) => !g.passed).map((g) => command('error', { title: 'backend-quiz gate' }, describeGate(g)));
  // A task with a failing test is a warning naming each failed test, so the log says what to fix.
  for (const { task, tests } of gradedTasks(run)) {
    const failed = tests.filter((t) => !t.passed);
    if (failed.length)
      lines.push(
        command(
          'warning',
          { title: `backend-quiz task ${task.key}` },
          `${tests.length - failed.length} of ${tests.length} tests passed; failed: ${failed.map(failedTestLine).join('; ')}`,
        ),
      );
  }
  lines.push(command('notice', { title: 'backend-quiz' }, takeHeadline(run)));
  return `${lines.join('\n')}\n`;
}

export function takeHeadline(run: TakeRun): string {
  const s = run.detail.session;
  if (sealed(run)) return `${s.candidate}: ${run.detail.items.length} answers saved (session ${s.id}); the interviewer grades them`;
  const verdict = run.gates.length ? (passedAll(run.gates) ? ', gates passed' : ', gates failed') : '';
  return `${s.candidate}: ${run.summary.score}/${run.summary.maxScore} (${run.summary.percent}%) in session ${s.id}${verdict}`;
}
