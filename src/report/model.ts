// The data a report is rendered from: plain values, assembled from the store by the report command
// and consumed by the pure renderers in this folder (data in, string out).
import type { Difficulty, QuestionType } from '../bank/types.js';
import type { Outcome, TestOutcome } from '../engine/score.js';
import type { Ability } from '../psychometrics/ability.js';

export type ReportStatus = 'in_progress' | 'finished' | 'abandoned' | 'timed_out';

/** One question as asked to at least one candidate of the report. */
export interface ReportQuestion {
  key: string;
  topic: string;
  difficulty: Difficulty;
  type: QuestionType;
  prompt: string;
  points: number;
}

/** One candidate's answer to one question, already graded. */
export interface ReportAnswer {
  key: string;
  /** 0-based position in the candidate's sitting. */
  position: number;
  /** The candidate's answer as display text ('(no answer)' when unanswered). */
  given: string;
  /** The right answer as display text. */
  right: string;
  outcome: Outcome;
  points: number;
  maxPoints: number;
  /** Time spent on the question; null when it was never reached. */
  timeMs: number | null;
  /** A hands-on task: its tests as graded on import, and its runs; `given` is the submitted answer. */
  task?: ReportTask;
}

export interface ReportTask {
  visible: { passed: number; total: number };
  hidden: { passed: number; total: number };
  /** Share of the tests' weight passed, 0–1: the task's item score. */
  share: number;
  /** Runs before submitting; null when the answer does not say. */
  runs: number | null;
  /** Empty when the answer was never graded (a sealed sitting without its key). */
  tests: TestOutcome[];
}

export interface TopicResult {
  score: number;
  maxScore: number;
  percent: number;
  /** Against the assessment's per-topic pass mark; null when it has none for this topic. */
  passed: boolean | null;
}

/**
 * An ability estimate on the Rasch scale: θ (EAP under the N(0, 1) prior) ± its posterior SD, the
 * percentile in the calibration population, and what the difficulties came from.
 */
export interface AbilityEstimate extends Ability {
  /** The calibration used; null when difficulty labels stood in (an adaptive sitting before any calibration). */
  calibration: { id: number; createdAt: string } | null;
}

export interface CandidateResult {
  sessionId: string;
  candidate: string;
  status: ReportStatus;
  startedAt: string;
  finishedAt: string | null;
  /** The session came from a result file (`import`) rather than a sitting on this machine. */
  imported: boolean;
  /** Answered from a file (`take --answers`), not by a person at a terminal. */
  scripted: boolean;
  score: number;
  maxScore: number;
  percent: number;
  /** Overall pass: percent ≥ pass mark and every topic pass mark met; null without a pass mark. */
  passed: boolean | null;
  /**
   * Wall time from start to finish (or to the last answer); null when unknown. At most the limit,
   * except for a sitting flagged over time, which shows how long it really took.
   */
  timeUsedMs: number | null;
  /**
   * An imported sitting that ran past its time limit and the grace: answers after it counted as
   * unanswered. Such a result file was edited or sat with a changed program.
   */
  overTime: boolean;
  /** Questions of the sitting's sealed pack that come from the built-in (public) banks; absent when none. */
  publicQuestions?: number;
  timeLimitMs: number | null;
  topics: Record<string, TopicResult>;
  /** In the order asked. */
  answers: ReportAnswer[];
  /** Present when a calibration exists; null when it knows none of the candidate's questions. */
  ability?: AbilityEstimate | null;
}

export interface ReportAssessment {
  id: string;
  title: string;
  passMark: number | null;
  topicPassMarks: Record<string, number>;
  form: 'fixed' | 'per-candidate';
  timeLimitMs: number | null;
}

export interface ReportInput {
  title: string;
  /** Null for a report over sessions that belong to no assessment. */
  assessment: ReportAssessment | null;
  generatedAt: string;
  /** The filters that chose the sessions, as given (for the report's header). */
  filters: { candidate?: string; since?: string; until?: string; status?: string[] };
  /** Every question asked to any candidate in the report, by key. */
  questions: ReportQuestion[];
  candidates: CandidateResult[];
  /** The calibration the candidates' abilities were estimated against, when one exists. */
  calibration?: { id: number; createdAt: string };
  /** What a reader must know to trust the report (public questions, missing pass marks); absent when nothing. */
  notices?: string[];
}
