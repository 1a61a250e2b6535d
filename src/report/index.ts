// The cohort report: one entry point from report input to any format. Everything here is pure.
import { buildCohort, type Cohort } from './cohort.js';
import { renderCohortCsv } from './cohort-csv.js';
import { renderCohortHtml } from './cohort-html.js';
import { renderCohortJson } from './cohort-json.js';
import { renderCohortMarkdown } from './cohort-markdown.js';
import { renderCohortText } from './cohort-text.js';
import type { ReportInput } from './model.js';
import type { Paint } from './text.js';

export const REPORT_FORMATS = ['text', 'md', 'html', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  format: ReportFormat;
  /** Each candidate's answers after the cohort sections (text, md, html). Default true. */
  details?: boolean;
  /** Terminal colour for `text`; colourless when absent. */
  paint?: Paint;
  /** Columns for `text`. Default 80. */
  width?: number;
}

export function renderCohort(cohort: Cohort, opts: RenderOptions): string {
  const details = opts.details ?? true;
  switch (opts.format) {
    case 'text':
      return renderCohortText(cohort, {
        details,
        ...(opts.paint && { paint: opts.paint }),
        ...(opts.width !== undefined && { width: opts.width }),
      });
    case 'md':
      return renderCohortMarkdown(cohort, { details });
    case 'html':
      return renderCohortHtml(cohort, { details });
    case 'csv':
      return renderCohortCsv(cohort);
    case 'json':
      return renderCohortJson(cohort);
  }
}

export function renderReport(input: ReportInput, opts: RenderOptions): string {
  return renderCohort(buildCohort(input), opts);
}

export { buildCohort, MIN_ITEM_ANALYSIS } from './cohort.js';
export type {
  Cohort,
  CohortStats,
  HistogramBin,
  ItemAnalysis,
  ItemFlag,
  ItemStats,
  RankedCandidate,
  Reliability,
  TopicAverage,
} from './cohort.js';
export { REPORT_SCHEMA_VERSION } from './cohort-json.js';
