// Builders for task literals: tests state only what matters to them.
import { parseAssessment, type Assessment } from '../src/assessment/definition.js';
import type { CodeTask, SqlTask } from '../src/bank/types.js';
import { DEFAULT_LIMITS } from '../src/tasks/limits.js';

let n = 0;

export function aSqlTask(over: Partial<SqlTask> & { check?: string } = {}): SqlTask {
  const id = over.id ?? `sql${++n}`;
  return {
    key: `databases/${id}`,
    id,
    topic: 'databases',
    type: 'sql',
    dialect: 'sqlite',
    difficulty: 'medium',
    prompt: 'List every customer with the number of orders they placed.',
    schema: `CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total REAL);`,
    data: `INSERT INTO customers VALUES (1, 'Ada'), (2, 'Linus');
INSERT INTO orders VALUES (10, 1, 9.5), (11, 1, 0.5);`,
    hiddenData: [
      { name: 'no orders at all', weight: 1, data: `INSERT INTO customers VALUES (1, 'Grace');` },
      {
        name: 'many customers',
        weight: 2,
        data: `INSERT INTO customers VALUES (1, 'A'), (2, 'B'), (3, 'C'); INSERT INTO orders VALUES (1, 3, 1), (2, 3, 2), (3, 2, 5);`,
      },
    ],
    starter: 'SELECT',
    solution: `SELECT c.name, count(o.id) AS orders FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.name ORDER BY c.name;`,
    compare: { order: false, columns: false, tolerance: 1e-9 },
    limits: { ...DEFAULT_LIMITS },
    references: [],
    tags: [],
    points: 3,
    ...over,
  } as SqlTask;
}

export function aCodeTask(over: Partial<CodeTask> = {}): CodeTask {
  const id = over.id ?? `code${++n}`;
  return {
    key: `http-apis/${id}`,
    id,
    topic: 'http-apis',
    type: 'code',
    language: 'javascript',
    difficulty: 'medium',
    prompt: 'Implement add(a, b).',
    function: 'add',
    starter: 'function add(a, b) {\n  // your code\n}\n',
    tests: [
      { name: '', weight: 1, args: [1, 2], expect: 3 },
      { name: 'negative', weight: 1, args: [-1, -2], expect: -3 },
    ],
    hiddenTests: [{ name: 'large', weight: 2, assert: 'assertEqual(add(2 ** 40, 1), 2 ** 40 + 1);' }],
    solution: 'function add(a, b) {\n  return a + b;\n}\n',
    limits: { ...DEFAULT_LIMITS },
    references: [],
    tags: [],
    points: 3,
    ...over,
  } as CodeTask;
}

/**
 * An assessment of one SQL task (topic databases) and one code task (topic http-apis), after
 * `questions` questions of topic alpha when there are any; `extra` lines go before the sections.
 */
export function aTaskAssessment(id: string, questions = 0, extra: string[] = []): Assessment {
  const section = (topic: string, tasks: boolean): string[] => [
    `  - topic: ${topic}`,
    ...(tasks ? ['    tasks: true'] : []),
    `    count: ${tasks ? 1 : questions}`,
  ];
  const yaml = [
    `assessment: ${id}`,
    `title: ${id}`,
    ...extra,
    'sections:',
    ...(questions ? section('alpha', false) : []),
    ...section('databases', true),
    ...section('http-apis', true),
  ];
  const parsed = parseAssessment(yaml.join('\n'), `${id}.yaml`);
  if (!parsed.assessment) throw new Error(JSON.stringify(parsed.problems));
  return parsed.assessment;
}
