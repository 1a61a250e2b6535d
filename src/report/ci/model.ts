// What the CI reporters render: a finished sitting with its gates, or a validation run. Each
// reporter is a pure function of one of these (data in, string out).
import type { Problem } from '../../bank/types.js';
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
