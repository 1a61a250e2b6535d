// What every way of starting a sitting shares: the options, the plan each mode produces, and
// the checks they all apply to names, topics and difficulties.
import os from 'node:os';
import type { Answerer } from '../engine/quiz.js';
import type { NewSitting } from '../assessment/sitting.js';
import { DIFFICULTIES, type Bank, type Difficulty, type Question } from '../bank/types.js';
import type { GateSpec } from '../engine/gates.js';
import type { QuizItem } from '../engine/select.js';
import { UserError } from '../errors.js';
import type { AdaptiveRules } from '../psychometrics/adaptive.js';
import type { AbilityEstimate } from '../report/model.js';
import type { saveAssessment } from '../store/assessments.js';
import type { SessionDetail } from '../store/sessions.js';
import { safeLine } from '../text.js';
import type { Briefing } from '../ui/prompts.js';
import type { CommonOptions, Context } from '../commands/context.js';

export const FEEDBACK = ['immediate', 'end', 'none'] as const;
export type Feedback = (typeof FEEDBACK)[number];

export interface TakeOptions extends CommonOptions {
  topic?: string[];
  /** Draw hands-on tasks (sql, code) instead of questions. */
  tasks?: boolean;
  count?: number;
  difficulty?: string[];
  seed?: number;
  candidate?: string;
  feedback?: string;
  answers?: string;
  json?: boolean;
  /** An assessment file (YAML) to sit. */
  assessment?: string;
  /** Resume a stopped sitting: its id, or true to list the resumable ones. */
  resume?: string | boolean;
  /** The file an assessment's result is written to (default: its own name in `resultDir`). */
  output?: string;
  /** The folder an assessment's result file is written to, under its own name (default: the current one). */
  resultDir?: string;
  /** Gates: exit 1 below these percents. */
  minScore?: number;
  /** `topic=percent`, repeatable. */
  minTopicScore?: string[];
  /** `name[:file]`, repeatable. */
  reporter?: string[];
  /** Print the drawn form without answers and store nothing. */
  printForm?: boolean;
  /** Write an answers-file template for the drawn form. */
  answersTemplate?: string;
  /** Choose each question from the answers so far (`--count` does not apply). */
  adaptive?: boolean;
  /** An adaptive sitting asks at most this many questions (default 30). */
  maxItems?: number;
  /** An adaptive sitting stops once the standard error of the ability is at or below this (default 0.35). */
  targetSe?: number;
  /** The code that opens a pack locked with a start code; asked for in a terminal when left out. */
  startCode?: string;
  /** Check a pack and this machine, then stop: nothing asked, no clock started. */
  check?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
  /** Builds the interactive answerer; tests replace it. Defaults to the Inquirer one. */
  interactive?: (ctx: Context, signal: AbortSignal) => Promise<Answerer>;
  /** Ask again what a session (its id) or the candidate's latest answers ('mistakes') got wrong. */
  retry?: string;
  /** A sitting another command chose from stored answers (practice): asked as given. */
  chosen?: Chosen;
}

/** A new sitting chosen from stored answers, with the questions an answers file may name. */
export interface Chosen {
  sitting: NewSitting;
  questions: Question[];
}

/** What to ask, decided before the database is opened (so bad input changes nothing). */
export interface Plan {
  /** A new sitting, or the id of a stopped one to resume. */
  sitting: NewSitting | { resume: SessionDetail };
  feedback: Feedback;
  /** Shown before the first question in a terminal. */
  briefing?: Briefing;
  /** Questions an answers file may name. */
  questions: Question[];
  /** A fresh assessment definition to record with the sitting. */
  save?: Parameters<typeof saveAssessment>[1];
  /** An assessment's pass marks, as gates. */
  gates?: GateSpec;
  /**
   * An adaptive sitting's pool, completed with the difficulties once the store is open: from the
   * latest calibration for a new sitting, from the one it started with for a resumed one.
   */
  adaptive?: {
    banks: Bank[];
    topics: string[];
    difficulties: Difficulty[];
    rules: AdaptiveRules;
    calibrationId?: number | null;
    used?: AbilityEstimate['calibration'];
  };
}

export function checkTopics(banks: readonly Bank[], topics: readonly string[]): void {
  const known = new Set(banks.map((b) => b.id));
  const unknown = topics.filter((t) => !known.has(t));
  if (unknown.length) {
    throw new UserError(
      `unknown topic${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `'${safeLine(t)}'`).join(', ')}; available: ${[...known].sort().join(', ')}`,
    );
  }
}

export function checkDifficulties(values: readonly string[]): Difficulty[] {
  const bad = values.filter((d) => !(DIFFICULTIES as readonly string[]).includes(d));
  if (bad.length) throw new UserError(`unknown difficulty '${safeLine(bad[0]!)}'; use ${DIFFICULTIES.join(', ')}`);
  return [...new Set(values)] as Difficulty[];
}

export function checkFeedback(value: string | undefined): Feedback {
  const feedback = (value ?? 'end') as Feedback;
  if (!FEEDBACK.includes(feedback)) throw new UserError(`--feedback must be one of ${FEEDBACK.join(', ')}`);
  return feedback;
}

export function defaultCandidate(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'candidate';
  }
}

export const cleanName = (name: string): string => safeLine(name.trim()).slice(0, 100) || 'candidate';

/** The candidate's name from --candidate, or the user's. */
export const candidateOf = (opts: TakeOptions): string => cleanName(opts.candidate ?? defaultCandidate());

export const topicsOf = (items: readonly QuizItem[]): string[] => [...new Set(items.map((i) => i.question.topic))].sort();

export const modeOf = (interactive: boolean): 'interactive' | 'scripted' => (interactive ? 'interactive' : 'scripted');

/** The settings of a sitting whose questions were set another way than by topic and difficulty (a form, a retry). */
export const itemSettings = (items: readonly QuizItem[], feedback: Feedback, interactive: boolean) => ({
  topics: topicsOf(items),
  count: items.length,
  difficulties: [...DIFFICULTIES],
  feedback,
  mode: modeOf(interactive),
});

/** True when something other than a person runs the command: CI set (and not false), or no terminal. */
export function unattended(env: NodeJS.ProcessEnv, stdin: { isTTY?: boolean }): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return ci || !stdin.isTTY;
}

/** The command that draws the same form again (same seed), to show it or to answer it. */
export function formCommand(s: NewSitting, opts: TakeOptions, packFile: string | undefined): string {
  const what =
    packFile !== undefined
      ? packFile
      : opts.assessment !== undefined
        ? `--assessment ${opts.assessment}`
        : opts.retry !== undefined
          ? `--retry ${opts.retry}`
          : `${opts.tasks ? '--tasks ' : ''}${opts.topic?.length ? `--topic ${opts.topic.join(' ')} ` : ''}--count ${s.items.length}${opts.difficulty?.length ? ` --difficulty ${opts.difficulty.join(' ')}` : ''}`;
  // A locked pack's code stays out of files and the terminal's scrollback.
  const code = s.settings.assessment?.openedAt !== undefined ? ' --start-code <code>' : '';
  return `backend-quiz take ${safeLine(what)}${code} --seed ${s.seed}`;
}
