import { safeLine } from '../text.js';

export const QUESTION_TYPES = ['single', 'multiple', 'boolean', 'text', 'number', 'sql', 'code'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** Hands-on tasks: the candidate writes a query or a function, graded by running it in a sandbox. */
export const TASK_TYPES = ['sql', 'code'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface Choice {
  text: string;
  correct: boolean;
  why?: string;
}

interface QuestionBase {
  /** Global key: `<bank>/<id>`. */
  key: string;
  id: string;
  topic: string;
  difficulty: Difficulty;
  prompt: string;
  /** Optional in a bank (imported questions rarely have one); `validate --lint` requires it. */
  explanation?: string;
  /** Empty when the bank gives none; `validate --lint` requires one. */
  references: string[];
  tags: string[];
  points: number;
  /** A question from a sealed pack: the key fields are placeholders and it is never graded here. */
  sealed?: true;
}

export interface ChoiceQuestion extends QuestionBase {
  type: 'single' | 'multiple';
  choices: Choice[];
}
export interface BooleanQuestion extends QuestionBase {
  type: 'boolean';
  answer: boolean;
}
export interface TextQuestion extends QuestionBase {
  type: 'text';
  accept: string[];
}
export interface NumberQuestion extends QuestionBase {
  type: 'number';
  answer: number;
  tolerance: number;
}

/** Limits of one run (one SQL data set, one code test). Defaults in src/tasks/limits.ts. */
export interface TaskLimits {
  /** Wall-clock time of one run. */
  timeMs: number;
  /** Memory the engine may use. */
  memoryMb: number;
  /** Size of one run's output (the rows, the returned value) as JSON. */
  outputKb: number;
  /** Size of the candidate's answer. */
  answerKb: number;
}

/** One SQL data set: statements run after the schema; the candidate's query and the solution are compared on it. */
export interface SqlDataSet {
  name: string;
  data: string;
  weight: number;
}

/** Rows a query returned, as the engine gave them (numbers, text, null; blobs as hex text). */
export interface ResultSet {
  columns: string[];
  rows: unknown[][];
}

export interface SqlTask extends QuestionBase {
  type: 'sql';
  dialect: 'sqlite' | 'postgres';
  /** CREATE statements; shown to the candidate as tables and columns. */
  schema: string;
  /** The visible data set (INSERT statements), shown as tables. */
  data: string;
  hiddenData: SqlDataSet[];
  /** What the editor starts with; empty when the bank gives none. */
  starter: string;
  /** The reference query. Empty in a sealed pack, which carries `expected` instead. */
  solution: string;
  /** For tasks whose answer changes data (an upsert): the query whose rows are compared after it ran. */
  check?: string;
  /** The solution's rows on the visible data: computed at pack time, so a pack can run the visible test. */
  expected?: ResultSet;
  /** Rows in order only when the task says order matters; column names only when it says so. */
  compare: { order: boolean; columns: boolean; tolerance: number };
  limits: TaskLimits;
}

/** A test of a code task: a call and its expected value (compared deeply), or an assertion snippet. */
export interface CodeTest {
  name: string;
  weight: number;
  args?: unknown[];
  expect?: unknown;
  /** JavaScript run in the sandbox after the candidate's code; it passes when it does not throw. */
  assert?: string;
}

export interface CodeTask extends QuestionBase {
  type: 'code';
  language: 'javascript' | 'typescript';
  /** The name of the function under test (`args` tests call it). */
  function: string;
  starter: string;
  tests: CodeTest[];
  hiddenTests: CodeTest[];
  /** The reference solution. Empty in a sealed pack. */
  solution: string;
  limits: TaskLimits;
}

export type Task = SqlTask | CodeTask;
export type Question = ChoiceQuestion | BooleanQuestion | TextQuestion | NumberQuestion | Task;

export function isTask(q: Question): q is Task {
  return q.type === 'sql' || q.type === 'code';
}

export interface Bank {
  id: string;
  title: string;
  description: string;
  /** Where the bank was loaded from, for messages. */
  source: string;
  questions: Question[];
}

/** One finding of the validator, positioned in the source file. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  // The file name is outside text, and a message may quote the file's own content.
  return safeLine(`${p.file}:${p.line}:${p.col}: ${p.message}`);
}
