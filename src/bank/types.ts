import { safeLine } from '../text.js';

export const QUESTION_TYPES = ['single', 'multiple', 'boolean', 'text', 'number'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

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
export type Question = ChoiceQuestion | BooleanQuestion | TextQuestion | NumberQuestion;

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
