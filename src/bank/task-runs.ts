// validate's runs of a bank's tasks: the reference solution must pass every test, the starter
// must fail at least one (a starter that passes would grade an untouched answer as right). The
// engines load here only when a bank has a task, so banks without tasks validate as fast as ever.
import { isTask, type Bank, type Problem, type Task } from './types.js';

type Where = (q: Task) => { file: string; line: number; col: number };

/** One problem per failing test of a solution, and one per starter that passes everything. */
export async function taskRunProblems(
  banks: readonly Bank[],
  where: Where,
  onTask?: (task: Task, i: number, n: number) => void,
): Promise<Problem[]> {
  const tasks = banks.flatMap((b) => b.questions.filter(isTask));
  if (!tasks.length) return [];
  const { runTask } = await import('../tasks/index.js');
  const problems: Problem[] = [];
  for (const [i, task] of tasks.entries()) {
    onTask?.(task, i, tasks.length);
    const at = where(task);
    const solution = await runTask(task, task.solution, { hidden: true });
    for (const t of solution.tests)
      if (!t.passed)
        problems.push({
          ...at,
          message: `${task.key}: the reference solution fails ${t.hidden ? 'hidden ' : ''}test '${t.name}': ${t.reason ?? 'failed'}; fix the solution or the test`,
        });
    const starter = await runTask(task, task.starter, { hidden: true });
    if (starter.tests.every((t) => t.passed))
      problems.push({
        ...at,
        message: `${task.key}: the starter passes every test, so an untouched answer would score full marks; add a test it fails`,
      });
  }
  return problems;
}
