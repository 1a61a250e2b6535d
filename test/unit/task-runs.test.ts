// validate runs each task: the reference solution must pass every test, the starter fail one;
// --lint wants a hidden test per task. Tasks are object literals: the engines run them for real.
import { describe, expect, it } from 'vitest';
import { lintBanks } from '../../src/bank/lint.js';
import { taskRunProblems } from '../../src/bank/task-runs.js';
import { formatProblem, type Question } from '../../src/bank/types.js';
import { aBank, aQuestion } from '../helpers.js';
import { aCodeTask, aSqlTask } from '../task-builders.js';

const at = (q: { key: string }) => ({ file: `banks/${q.key.split('/')[0]}.yaml`, line: q.key.endsWith('bad') ? 40 : 12, col: 5 });
const run = async (tasks: Question[]): Promise<string[]> => (await taskRunProblems([aBank('b', tasks)], at)).map(formatProblem);

describe('validate runs tasks', () => {
  it('is silent for a task whose solution passes and whose starter fails', async () => {
    expect(await run([aSqlTask({ id: 'good' }), aCodeTask({ id: 'good' }), aQuestion()])).toEqual([]);
  });

  it("names the solution's failing test, hidden or not, with its reason, at the task's position", async () => {
    const code = aCodeTask({
      id: 'bad',
      solution: 'function add(a, b) { return a > 1e9 ? 0 : a + b; }',
      tests: [{ name: 'small', weight: 1, args: [1, 2], expect: 4 }],
    });
    expect(await run([code])).toEqual([
      "banks/http-apis.yaml:40:5: http-apis/bad: the reference solution fails test 'small': got 3, expected 4; fix the solution or the test",
      "banks/http-apis.yaml:40:5: http-apis/bad: the reference solution fails hidden test 'large': Error: got 0, expected 1099511627777; fix the solution or the test",
    ]);
  });

  it('flags a SQL solution that does not run, on each data set', async () => {
    // A SQL task's expected rows are its solution's, so what can fail is the solution running at all.
    const problems = await run([aSqlTask({ id: 'bad', solution: 'SELECT name FROM customer' })]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /^banks\/databases\.yaml:40:5: databases\/bad: the reference solution fails test 'sample data': .*no such table: customer/,
    );
    expect(problems[2]).toMatch(/fails hidden test 'many customers': /);
  });

  it('flags a starter that passes every test', async () => {
    const code = aCodeTask({ id: 'bad', starter: 'function add(a, b) { return a + b; }' });
    expect(await run([code])).toEqual([
      'banks/http-apis.yaml:40:5: http-apis/bad: the starter passes every test, so an untouched answer would score full marks; add a test it fails',
    ]);
  });

  it('loads no engine and finds nothing in a bank without tasks', async () => {
    expect(await run([aQuestion(), aQuestion({ type: 'boolean', answer: true })])).toEqual([]);
  });
});

describe('validate --lint and tasks', () => {
  it('wants a hidden test or data set per task', () => {
    const tasks = [aSqlTask({ id: 'bad', hiddenData: [] }), aCodeTask({ id: 'bad', hiddenTests: [] }), aCodeTask({ id: 'fine' })];
    const problems = lintBanks([aBank('b', tasks)], at).map(formatProblem);
    expect(problems).toContain(
      "banks/databases.yaml:40:5: databases/bad: has no hidden data set; add one under 'hidden_data' so that a query fitted to the sample data fails",
    );
    expect(problems).toContain(
      "banks/http-apis.yaml:40:5: http-apis/bad: has no hidden test; add one under 'hidden_tests' that covers an edge case the visible tests do not",
    );
    expect(problems.filter((p) => p.includes('fine') && p.includes('hidden'))).toEqual([]);
  });

  it('leaves tasks out of the mix of question kinds', () => {
    const questions = Array.from({ length: 12 }, (_, i) => aQuestion({ topic: 'b', id: `q${i}` }));
    const tasks = Array.from({ length: 20 }, (_, i) => aCodeTask({ id: `t${i}`, topic: 'b', key: `b/t${i}` }));
    const withTasks = lintBanks([aBank('b', [...questions, ...tasks])], at).map((p) => p.message);
    const without = lintBanks([aBank('b', questions)], at).map((p) => p.message);
    expect(withTasks.filter((m) => m.startsWith("bank 'b'"))).toEqual(without.filter((m) => m.startsWith("bank 'b'")));
  });
});
