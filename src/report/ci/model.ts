// What the CI reporters render: a finished sitting with its gates, or a validation run. Each
// reporter is a pure function of one of these (data in, string out).
import { isTask, type Problem, type Task } from '../../bank/types.js';
import { isTaskResponse, type TestOutcome } from '../../engine/score.js';
import type { Gate } from '../../engine/gates.js';
import type { Summary } from '../../engine/summary.js';
import type { SessionDetail } from '../../store/sessions.js';

export interface TakeRun {
  kind: 'take';
  detail: SessionDetail;
  summary: Summary;
  gates: Gate[];
}

export interface ValidateRun {
  kind: 'validate';
  /** Every file read, as given (relative paths stay relative). */
  files: string[];
  banks: { id: string; source: string; questions: number }[];
  problems: Problem[];
  /** Problems not listed, per file (a file lists its first 20). */
  omitted?: { file: string; count: number }[];
  /** When the check ran, ISO 8601. */
  at: string;
}

export type CiRun = TakeRun | ValidateRun;

export const REPORTERS = ['junit', 'tap', 'github', 'json', 'md'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** Whether a sitting's answers can be judged here (a sealed pack's are graded by the interviewer). */
export const sealed = (run: TakeRun): boolean => Boolean(run.detail.session.settings.assessment?.sealed);

export const passedAll = (gates: readonly Gate[]): boolean => gates.every((g) => g.passed);

/** The graded tasks of a sitting, each with its tests: what every reporter lists under the task. */
export function gradedTasks(run: TakeRun): { task: Task; tests: TestOutcome[]; points: number }[] {
  if (sealed(run)) return [];
  return run.detail.items.flatMap((i) => {
    const r = i.answer?.response;
    return isTask(i.question) && isTaskResponse(r) && r.grade
      ? [{ task: i.question, tests: r.grade.tests, points: i.answer?.points ?? 0 }]
      : [];
  });
}

/** A failed test in one line: its name, whether hidden, and why. */
export const failedTestLine = (t: TestOutcome): string => `${t.hidden ? 'hidden: ' : ''}${t.name} (${t.reason ?? 'failed'})`;
