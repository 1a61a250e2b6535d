// The cohort report for programs: everything the cohort holds, under a versioned envelope.
// schema/report.schema.json describes it; a test validates real output against that schema.
import type { Cohort } from './cohort.js';
import { toJson } from './json.js';

/** Bump on any change that could break a reader: a removed or renamed field, a changed meaning. */
export const REPORT_SCHEMA_VERSION = 1;

export function renderCohortJson(c: Cohort): string {
  return toJson({ schemaVersion: REPORT_SCHEMA_VERSION, format: 'backend-quiz/report', ...c });
}
