// A Markdown summary of a sitting or a validation run, for pull requests and GitHub's job summary.
import { describeGate } from '../../engine/gates.js';
import { mdText } from '../cohort-markdown.js';
import { takeHeadline } from './github.js';
import { failedTestLine, gradedTasks, passedAll, sealed, type CiRun } from './model.js';

export function renderMarkdown(run: CiRun): string {
  const lines: string[] = [];
  if (run.kind === 'validate') {
    const questions = run.banks.reduce((n, b) => n + b.questions, 0);
    lines.push('## backend-quiz validate', '');
    if (!run.problems.length) lines.push(`✅ ${run.banks.length} banks, ${questions} questions: no problems.`);
    else {
      lines.push(
        `❌ ${run.problems.length} problem${run.problems.length === 1 ? '' : 's'} in ${run.files.length} file${run.files.length === 1 ? '' : 's'}.`,
        '',
      );
      lines.push('| File | Line | Col | Problem |', '| --- | ---: | ---: | --- |');
      for (const p of run.problems) lines.push(`| ${mdText(p.file)} | ${p.line} | ${p.col} | ${mdText(p.message)} |`);
    }
    return `${lines.join('\n')}\n`;
  }
  lines.push('## backend-quiz', '', mdText(takeHeadline(run)), '');
  if (run.gates.length) {
    lines.push(
      passedAll(run.gates) ? '✅ All gates passed.' : '❌ A gate failed.',
      '',
      '| Gate | Required | Reached | |',
      '| --- | ---: | ---: | --- |',
    );
    for (const g of run.gates)
      lines.push(
        `| ${mdText(g.gate)} | ${g.threshold}% | ${g.value === null ? '–' : `${g.value}%`} | ${g.passed ? '✅' : `❌ ${mdText(describeGate(g))}`} |`,
      );
    lines.push('');
  }
  if (!sealed(run)) {
    lines.push('| Topic | Score | Percent | Fully right |', '| --- | ---: | ---: | ---: |');
    for (const [topic, t] of Object.entries(run.summary.topics))
      lines.push(`| ${mdText(topic)} | ${t.score}/${t.maxScore} | ${t.percent}% | ${t.right} of ${t.questions} |`);
    const tasks = gradedTasks(run);
    if (tasks.length) {
      lines.push('', '| Task | Points | Tests passed | Failed tests |', '| --- | ---: | ---: | --- |');
      for (const { task, tests, points } of tasks) {
        const failed = tests.filter((t) => !t.passed);
        lines.push(
          `| ${mdText(task.key)} | ${points}/${task.points} | ${tests.length - failed.length} of ${tests.length} | ${failed.length ? mdText(failed.map(failedTestLine).join('; ')) : '✅'} |`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
