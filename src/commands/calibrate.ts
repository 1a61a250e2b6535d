import { readTextFile } from '../files.js';
import { formatProblem } from '../bank/types.js';
import { EXIT, UserError } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { ADAPTIVE_DEFAULTS } from '../psychometrics/adaptive.js';
import { calibrate, CALIBRATION_DEFAULTS } from '../psychometrics/rasch.js';
import { matrixHash, parseResponseCsv, type ResponseMatrix } from '../psychometrics/responses.js';
import { compareWithFixedForms, syntheticPool } from '../psychometrics/simulate.js';
import {
  calibrationJson,
  renderCalibration,
  renderSimulation,
  simulationJson,
  type ShownCalibration,
  type SimulationView,
} from '../report/calibration.js';
import type { ReportStatus } from '../report/model.js';
import { latestCalibration, responsesFromSessions, saveCalibration, type CalibrationSettings } from '../store/calibrations.js';
import { withStore } from '../store/db.js';
import { safeLine } from '../text.js';
import { resolveContext, type CommonOptions, type Context } from './context.js';
import { dateBound } from './report.js';

export interface CalibrateOptions extends CommonOptions {
  assessment?: string;
  topic?: string[];
  since?: string;
  until?: string;
  status?: string[];
  /** A CSV response matrix instead of the stored sittings. */
  responses?: string;
  minResponses?: number;
  quadrature?: number;
  json?: boolean;
  /** Print the current calibration. */
  show?: boolean;
  /** false with --no-save */
  save?: boolean;
  /** Simulated candidates (true: the default 1,000). */
  simulate?: number | boolean;
  /** Simulate on a synthetic pool even when a calibration exists. */
  synthetic?: boolean;
  seed?: number;
  maxItems?: number;
  targetSe?: number;
  now?: () => Date;
}

const STATUSES: ReportStatus[] = ['finished', 'timed_out', 'abandoned', 'in_progress'];
/** A response file is read whole; 50 MB holds a million persons × 25 items. */
const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
const SYNTHETIC_POOL = 300;

function output(ctx: Context, opts: CalibrateOptions, text: string, json: string): void {
  ctx.stdout.write(opts.json ? json : text);
}

function simulate(opts: CalibrateOptions, ctx: Context): number {
  const examinees = typeof opts.simulate === 'number' ? opts.simulate : 1000;
  if (!Number.isInteger(examinees) || examinees < 10 || examinees > 100_000)
    throw new UserError('--simulate takes a number of candidates from 10 to 100000');
  const rules = {
    ...ADAPTIVE_DEFAULTS,
    ...(opts.maxItems !== undefined && { maxItems: opts.maxItems }),
    ...(opts.targetSe !== undefined && { targetSe: opts.targetSe }),
  };
  if (!(rules.targetSe > 0)) throw new UserError('--target-se must be a number above 0, such as 0.35');
  const seed = opts.seed ?? 1;
  const calibration = opts.synthetic ? null : withStore(resolveDbPath(ctx.db, ctx.env), latestCalibration);
  const estimated = calibration?.items.filter((i) => i.b !== null) ?? [];
  const pool = estimated.length
    ? estimated.map((i) => ({ key: i.key, topic: i.key.split('/')[0]!, b: i.b! }))
    : syntheticPool(SYNTHETIC_POOL, seed);
  const described = estimated.length
    ? `the ${pool.length} calibrated questions of calibration #${calibration!.id}`
    : `a synthetic pool of ${SYNTHETIC_POOL} questions, difficulties even from -2.5 to +2.5${opts.synthetic ? '' : ' (no calibration yet)'}`;
  const view: SimulationView = {
    comparison: compareWithFixedForms(pool, rules, { examinees, seed, maxFixed: Math.min(pool.length, 200) }),
    pool: described,
    rules,
    seed,
  };
  output(ctx, opts, renderSimulation(view, { paint: ctx.paint, width: ctx.stdout.columns }), simulationJson(view));
  return EXIT.ok;
}

function show(opts: CalibrateOptions, ctx: Context): number {
  const c = withStore(resolveDbPath(ctx.db, ctx.env), latestCalibration);
  if (!c) throw new UserError("no calibration yet; make one with 'backend-quiz calibrate' once sittings are stored");
  output(ctx, opts, renderCalibration(c, { paint: ctx.paint, width: ctx.stdout.columns }), calibrationJson(c));
  return EXIT.ok;
}

export async function run(opts: CalibrateOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const now = opts.now ?? (() => new Date());
  const modes = [opts.show && '--show', opts.simulate !== undefined && '--simulate', opts.responses !== undefined && '--responses'].filter(
    Boolean,
  );
  if (modes.length > 1) throw new UserError(`${modes.join(' and ')} do different things; give one of them`);
  if (opts.show) return show(opts, ctx);
  if (opts.simulate !== undefined) return simulate(opts, ctx);

  const settings: CalibrationSettings = {
    model: 'rasch',
    quadPoints: opts.quadrature ?? CALIBRATION_DEFAULTS.quadPoints,
    minResponses: opts.minResponses ?? CALIBRATION_DEFAULTS.minResponses,
    tolerance: CALIBRATION_DEFAULTS.tolerance,
  };
  if (!Number.isInteger(settings.quadPoints) || settings.quadPoints < 21 || settings.quadPoints > 200)
    throw new UserError('--quadrature takes a number of points from 21 to 200');
  if (!Number.isInteger(settings.minResponses) || settings.minResponses < 1)
    throw new UserError('--min-responses must be a whole number of 1 or more');
  const status = (opts.status?.length ? opts.status : ['finished', 'timed_out']) as ReportStatus[];
  const bad = status.find((s) => !STATUSES.includes(s));
  if (bad) throw new UserError(`--status takes ${STATUSES.join(', ')}; got '${safeLine(bad)}'`);
  const filters = {
    ...(opts.assessment !== undefined && { assessment: opts.assessment }),
    ...(opts.topic?.length && { topics: [...new Set(opts.topic)] }),
    ...(opts.since !== undefined && { since: dateBound(opts.since, '--since', false) }),
    ...(opts.until !== undefined && { until: dateBound(opts.until, '--until', true) }),
  };
  if (opts.responses !== undefined && Object.keys(filters).length)
    throw new UserError(
      '--responses calibrates the file as it is; the filters (--assessment, --topic, --since, --until) are for stored sittings',
    );

  let matrix: ResponseMatrix;
  let source = 'sessions';
  if (opts.responses !== undefined) {
    const parsed = parseResponseCsv(readTextFile(opts.responses, ctx.cwd, 'a response file', MAX_RESPONSE_BYTES), opts.responses);
    if (!parsed.matrix)
      throw new UserError(
        [
          ...parsed.problems.slice(0, 20).map(formatProblem),
          'Fix the response file: a header row of item keys, then one row per person with 1, 0 or an empty cell.',
        ].join('\n'),
      );
    matrix = parsed.matrix;
    source = opts.responses;
  } else {
    matrix = withStore(resolveDbPath(ctx.db, ctx.env), (db) => responsesFromSessions(db, { ...filters, status })).matrix;
    if (matrix.item.length === 0) {
      throw new UserError(
        `no stored answers match (status ${status.join(', ')}${opts.assessment ? `, assessment '${safeLine(opts.assessment)}'` : ''}${opts.topic?.length ? `, topics ${opts.topic.join(', ')}` : ''}); take or import sittings first, or calibrate a file with --responses`,
      );
    }
  }

  const result = calibrate(matrix, { quadPoints: settings.quadPoints, minResponses: settings.minResponses, tolerance: settings.tolerance });
  const estimated = result.items.some((i) => i.status === 'estimated');
  const meta = {
    createdAt: now().toISOString(),
    source,
    filters: { ...filters, ...(source === 'sessions' && { status }) },
    dataHash: matrixHash(matrix),
    settings,
  };
  const save = opts.save !== false && estimated;
  const id = save ? withStore(resolveDbPath(ctx.db, ctx.env), (db) => saveCalibration(db, result, meta), 'write') : null;
  const shown: ShownCalibration = { ...result, ...meta, id };
  output(
    ctx,
    opts,
    renderCalibration(shown, { paint: ctx.paint, width: ctx.stdout.columns, ...(estimated && { stored: save }) }),
    calibrationJson(shown),
  );
  // Nothing estimated is a failed run: there is no calibration to use.
  return estimated ? EXIT.ok : EXIT.failed;
}
