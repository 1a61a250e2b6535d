// A calibration and an adaptive-testing simulation, as text for the terminal (80 columns, colour
// only through the Paint) and as JSON for programs (schema/calibration.schema.json). Pure.
import type { Comparison, MethodResult } from '../psychometrics/simulate.js';
import type { ItemCalibration, NotEstimable } from '../psychometrics/rasch.js';
import type { StoredCalibration } from '../store/calibrations.js';
import { safeLine } from '../text.js';
import { PLAIN, len, truncate, when } from './format.js';
import { max } from './stats.js';
import { toJson } from './json.js';
import type { Paint } from './text.js';
import { wrap } from './wrap.js';

/** A calibration as it is shown: stored ones have an id; one run with --no-save has none. */
export type ShownCalibration = Omit<StoredCalibration, 'id'> & { id: number | null };

/** Bump on any change that could break a reader. */
export const CALIBRATION_SCHEMA_VERSION = 1;

/** Mean-squares outside this band are flagged: the usual range for reasonable fit (Wright & Linacre 1994). */
export const FIT_BAND = [0.7, 1.3] as const;

const NOT_ESTIMABLE: Record<NotEstimable, (i: ItemCalibration, min: number) => string> = {
  'too-few-responses': (i, min) => `${i.n} answer${i.n === 1 ? '' : 's'}, fewer than ${min} (--min-responses)`,
  'all-right': (i) => `all ${i.n} answers right: too easy to place`,
  'all-wrong': (i) => `all ${i.n} answers wrong: too hard to place`,
};

/** Questions listed by name under "Not estimable"; a file of 130,000 unanswered columns listed them all. */
const MAX_SKIPPED_SHOWN = 30;
const fixed = (n: number | null, places: number): string => (n === null ? '–' : n.toFixed(places));
const count = (n: number): string => n.toLocaleString('en-US');
const misfit = (v: number | null): boolean => v !== null && (v < FIT_BAND[0] || v > FIT_BAND[1]);

function filtersText(c: ShownCalibration): string {
  const f = c.filters;
  const parts = Object.entries(f)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return parts.length ? parts.join(' · ') : 'none';
}

export function renderCalibration(c: ShownCalibration, opts: { paint?: Paint; width?: number; stored?: boolean } = {}): string {
  const p = opts.paint ?? PLAIN;
  const width = Math.max(60, Math.min(opts.width ?? 80, 80));
  const out: string[] = [];
  const name = c.id === null ? 'Calibration (not stored)' : `Calibration #${c.id}`;
  out.push(p.bold(wrap(`${name} · Rasch model, marginal ML · ${when(c.createdAt)}`, width)));
  const source = c.source === 'sessions' ? `${count(c.persons)} sittings` : `${count(c.persons)} persons in ${safeLine(c.source)}`;
  out.push(p.dim(wrap(`Data: ${source}, ${count(c.responses)} answers · filters: ${safeLine(filtersText(c))}`, width)));
  const fit = `Log-likelihood ${c.logLik.toFixed(3)} · ${c.iterations} iterations · ${c.converged ? 'converged' : 'did not converge'} · ${c.settings.quadPoints} quadrature points`;
  out.push((c.converged ? p.dim : p.yellow)(wrap(fit, width)));
  out.push(p.dim(`Data hash ${c.dataHash.slice(0, 23)}…`));

  const estimated = c.items.filter((i) => i.status === 'estimated').sort((a, b) => a.b! - b.b! || (a.key < b.key ? -1 : 1));
  out.push('');
  if (estimated.length) {
    const head = ['QUESTION', 'N', 'FACILITY', 'B', 'SE', 'INFIT', 'OUTFIT'];
    const rows = estimated.map((i) => [
      i.key,
      count(i.n),
      fixed(i.facility, 2),
      fixed(i.b, 2),
      fixed(i.se, 2),
      `${fixed(i.infit, 2)}${misfit(i.infit) ? '*' : ' '}`,
      `${fixed(i.outfit, 2)}${misfit(i.outfit) ? '*' : ' '}`,
    ]);
    const widths = head.map((h, k) => max([len(h), ...rows.map((r) => len(r[k]!))])!);
    const rest = widths.slice(1).reduce((s, w) => s + w + 2, 0);
    widths[0] = Math.max(len('QUESTION'), Math.min(widths[0]!, width - 2 - rest));
    const line = (cells: string[], colour?: (s: string) => string): string => {
      const text =
        `  ${cells.map((cell, k) => (k === 0 ? truncate(safeLine(cell), widths[0]!).padEnd(widths[0]!) : cell.padStart(widths[k]!))).join('  ')}`.trimEnd();
      return colour ? colour(text) : text;
    };
    out.push(p.bold(`Difficulties, easiest first (${estimated.length} question${estimated.length === 1 ? '' : 's'})`));
    out.push(p.bold(line(head)));
    rows.forEach((r, k) => out.push(line(r, misfit(estimated[k]!.infit) || misfit(estimated[k]!.outfit) ? p.yellow : undefined)));
    out.push(
      p.dim(
        wrap(
          `B: difficulty on the ability scale (0 is the average candidate; +1 is one SD harder). INFIT and OUTFIT: mean-square residuals, near 1 when the question behaves as the model expects; * outside ${FIT_BAND[0]}–${FIT_BAND[1]}: check its wording and answer key.`,
          width,
          '  ',
        ),
      ),
    );
  } else {
    out.push(p.yellow('No question could be estimated.'));
  }
  const skipped = c.items.filter((i) => i.status !== 'estimated');
  if (skipped.length) {
    out.push('', p.bold(`Not estimable (${skipped.length}): no difficulty is given for these`));
    const sorted = skipped.sort((a, b) => (a.key < b.key ? -1 : 1));
    const keyW = Math.min(40, max(sorted.slice(0, MAX_SKIPPED_SHOWN).map((i) => len(i.key)))!);
    for (const i of sorted.slice(0, MAX_SKIPPED_SHOWN)) {
      out.push(`  ${truncate(safeLine(i.key), keyW).padEnd(keyW)}  ${NOT_ESTIMABLE[i.status as NotEstimable](i, c.settings.minResponses)}`);
    }
    if (sorted.length > MAX_SKIPPED_SHOWN)
      out.push(p.dim(`  … and ${(sorted.length - MAX_SKIPPED_SHOWN).toLocaleString('en')} more (--json lists every one)`));
  }
  if (opts.stored !== undefined) {
    out.push(
      '',
      opts.stored
        ? `Ability estimates and adaptive sittings now use calibration #${c.id}.`
        : p.dim('Not stored (--no-save): abilities and adaptive sittings are unchanged.'),
    );
  }
  return `${out.join('\n')}\n`;
}

export function calibrationJson(c: ShownCalibration): string {
  return toJson({
    schemaVersion: CALIBRATION_SCHEMA_VERSION,
    format: 'backend-quiz/calibration',
    id: c.id,
    createdAt: c.createdAt,
    model: c.settings.model,
    source: c.source,
    filters: c.filters,
    dataHash: c.dataHash,
    settings: c.settings,
    persons: c.persons,
    responses: c.responses,
    logLik: c.logLik,
    iterations: c.iterations,
    converged: c.converged,
    items: c.items.map((i) => ({
      key: i.key,
      status: i.status,
      n: i.n,
      facility: i.facility,
      b: i.b,
      se: i.se,
      infit: i.infit,
      outfit: i.outfit,
    })),
  });
}

export interface SimulationView {
  comparison: Comparison;
  /** What the pool is: `calibration #3 (185 questions)` or `a synthetic pool of 300 questions`. */
  pool: string;
  rules: { maxItems: number; targetSe: number; exposure: number };
  seed: number;
}

export function renderSimulation(v: SimulationView, opts: { paint?: Paint; width?: number } = {}): string {
  const p = opts.paint ?? PLAIN;
  const width = Math.max(60, Math.min(opts.width ?? 80, 80));
  const c = v.comparison;
  const signed = (n: number): string => `${n < 0 ? '' : '+'}${n.toFixed(3)}`;
  const row = (label: string, r: MethodResult, items: string): string =>
    `  ${label.padEnd(28)}${items.padStart(6)}${r.rmse.toFixed(3).padStart(9)}${signed(r.bias).padStart(9)}`;
  const out = [
    p.bold(wrap(`Adaptive sittings against random forms: ${count(c.examinees)} simulated candidates`, width)),
    p.dim(
      wrap(
        `Abilities θ ~ N(0, 1), seed ${v.seed}. Pool: ${v.pool}. Rules: at most ${v.rules.maxItems} questions, stop at SE ≤ ${v.rules.targetSe}, each next question drawn among the ${v.rules.exposure} most informative.`,
        width,
      ),
    ),
    '',
    p.bold(`  ${'METHOD'.padEnd(28)}${'ITEMS'.padStart(6)}${'RMSE'.padStart(9)}${'BIAS'.padStart(9)}`),
    row('adaptive', c.adaptive, c.adaptive.meanItems.toFixed(1)),
    row('random form, same length', c.fixedSameLength, String(c.fixedSameLength.meanItems)),
  ];
  if (c.fixedNeeded) out.push(row('random form as accurate', c.fixedNeeded, String(c.fixedNeeded.items)));
  out.push('');
  const s = c.adaptive.stops;
  out.push(
    p.dim(
      wrap(
        `Adaptive sittings stopped: ${count(s.precision)} at the target SE, ${count(s['max-items'])} at ${v.rules.maxItems} questions, ${count(s['pool-exhausted'])} with the pool used up.`,
        width,
      ),
    ),
  );
  if (c.fixedNeeded && c.saving !== null) {
    const pct = Math.round(c.saving * 100);
    const verdict = `Adaptive sittings reach the accuracy of a ${c.fixedNeeded.items}-question random form with ${c.adaptive.meanItems.toFixed(1)} questions on average: ${pct > 0 ? `${pct}% fewer` : 'no fewer'}.`;
    out.push(wrap(verdict, width));
  } else {
    out.push(wrap(`No random form from this pool is as accurate as the adaptive sittings (RMSE ${c.adaptive.rmse.toFixed(3)}).`, width));
  }
  // The crossing point of two RMSE curves moves by several questions between runs of a few hundred.
  if (c.examinees < 500)
    out.push(p.dim(wrap(`With fewer than 500 candidates these figures are noisy; simulate more for a firm answer.`, width)));
  return `${out.join('\n')}\n`;
}

export function simulationJson(v: SimulationView): string {
  return toJson({
    schemaVersion: CALIBRATION_SCHEMA_VERSION,
    format: 'backend-quiz/simulation',
    pool: v.pool,
    seed: v.seed,
    rules: v.rules,
    ...v.comparison,
  });
}
