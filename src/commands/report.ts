import path from 'node:path';
import { writeFileAtomic } from '../files.js';
import { EXIT, UserError } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import type { ReportStatus } from '../report/model.js';
import { abilityEstimate, latestCalibration, scaleOf } from '../store/calibrations.js';
import { withStore } from '../store/db.js';
import { gatherReport, type ReportFilter } from '../store/report.js';
import { getSession } from '../store/sessions.js';
import { safeLine } from '../text.js';
import { resolveContext, type CommonOptions } from './context.js';

export interface ReportOptions extends CommonOptions {
  assessment?: string;
  candidate?: string;
  since?: string;
  until?: string;
  status?: string[];
  format?: string;
  /** The same as `--format json`, as every other command's --json. */
  json?: boolean;
  output?: string;
  /** false with --no-details */
  details?: boolean;
  now?: () => Date;
}

const STATUSES: ReportStatus[] = ['finished', 'timed_out', 'abandoned', 'in_progress'];
const FORMATS = ['text', 'md', 'html', 'csv', 'json'] as const;
const BY_EXTENSION: Record<string, (typeof FORMATS)[number]> = {
  '.txt': 'text',
  '.md': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.csv': 'csv',
  '.json': 'json',
};

/** `YYYY-MM-DD` or an ISO time → an ISO time; a date alone means its start (or, for --until, its end). */
export function dateBound(value: string, flag: string, endOfDay: boolean): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
  const t = Date.parse(dateOnly ? `${value.trim()}T00:00:00Z` : value);
  if (Number.isNaN(t))
    throw new UserError(`${flag} takes a date (2026-11-01) or an ISO time (2026-11-01T09:00:00Z); got '${safeLine(value)}'`);
  return new Date(dateOnly && endOfDay ? t + 86_400_000 : t).toISOString();
}

export async function run(ids: string[], opts: ReportOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const now = opts.now ?? (() => new Date());
  if (ids.length === 0 && opts.assessment === undefined)
    throw new UserError("name sessions (see 'backend-quiz history') or an assessment with --assessment <id>");
  const status = (opts.status?.length ? opts.status : ['finished', 'timed_out']) as ReportStatus[];
  const bad = status.find((s) => !STATUSES.includes(s));
  if (bad) throw new UserError(`--status takes ${STATUSES.join(', ')}; got '${safeLine(bad)}'`);
  if (opts.json && opts.format !== undefined && opts.format !== 'json')
    throw new UserError(`--json prints JSON; leave out --format ${safeLine(opts.format)}`);
  const format =
    opts.format ??
    (opts.json ? 'json' : undefined) ??
    (opts.output ? BY_EXTENSION[path.extname(opts.output).toLowerCase()] : undefined) ??
    'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UserError(`--format must be one of ${FORMATS.join(', ')}`);
  const filter: ReportFilter = {
    status: ids.length ? STATUSES : status,
    ...(opts.assessment !== undefined ? { assessment: opts.assessment } : {}),
    ...(opts.candidate !== undefined ? { candidate: opts.candidate } : {}),
    ...(opts.since !== undefined ? { since: dateBound(opts.since, '--since', false) } : {}),
    ...(opts.until !== undefined ? { until: dateBound(opts.until, '--until', true) } : {}),
  };
  const input = withStore(resolveDbPath(ctx.db, ctx.env), (db) => {
    // Ids and unique prefixes, as `show` takes them.
    if (ids.length) filter.sessionIds = ids.map((id) => getSession(db, id).session.id);
    // JSON always carries every answer; CSV never shows them, so their text is not read for it.
    const details = format === 'json' || (format !== 'csv' && opts.details !== false);
    const scale = scaleOf(latestCalibration(db));
    const title = ids.length === 1 ? `Session ${filter.sessionIds![0]}` : opts.assessment ? `Assessment ${opts.assessment}` : 'Sessions';
    const input = gatherReport(db, filter, title, now().toISOString(), {
      details,
      ability: (items, sitting) => abilityEstimate(items, scale, sitting),
    });
    return scale ? { ...input, calibration: scale.calibration } : input;
  });
  if (input.candidates.length === 0) {
    const what = opts.assessment !== undefined ? `assessment '${safeLine(opts.assessment)}'` : 'those sessions';
    throw new UserError(
      `no sittings of ${what} match (status ${status.join(', ')}${opts.candidate ? `, candidate '${safeLine(opts.candidate)}'` : ''}${opts.since ? `, since ${opts.since}` : ''}${opts.until ? `, until ${opts.until}` : ''}); 'backend-quiz history' lists the sessions`,
    );
  }
  const { renderReport } = await import('../report/index.js');
  const toFile = opts.output !== undefined;
  const text = renderReport(input, {
    format: format as (typeof FORMATS)[number],
    details: opts.details !== false,
    // Colour only for the terminal; a file gets plain text.
    ...(toFile ? {} : { paint: ctx.paint }),
    width: Math.min(ctx.stdout.columns ?? 80, 80),
  });
  if (toFile) {
    writeFileAtomic(path.resolve(ctx.cwd, opts.output!), text);
    ctx.stderr.write(
      `Wrote ${opts.output} (${format}, ${input.candidates.length} candidate${input.candidates.length === 1 ? '' : 's'}).\n`,
    );
  } else ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT.ok;
}
