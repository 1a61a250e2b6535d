// The pool of an adaptive sitting: the questions its topics and difficulties allow, each with its
// calibrated difficulty, or its label's stand-in where the calibration has none.
import type { Bank, Difficulty } from '../bank/types.js';
import { LABEL_DIFFICULTY, type AdaptiveRules } from '../psychometrics/adaptive.js';
import { difficulties, type StoredCalibration } from '../store/calibrations.js';
import type { AdaptiveSettings } from '../store/sessions.js';
import type { AdaptiveSetup } from './sitting.js';

export interface AdaptivePool {
  setup: AdaptiveSetup;
  settings: AdaptiveSettings;
  /** Questions whose difficulty comes from their label, because the calibration has none for them. */
  labelled: number;
}

export function adaptivePool(banks: readonly Bank[], topics: readonly string[], levels: readonly Difficulty[], rules: AdaptiveRules, calibration: StoredCalibration | null): AdaptivePool {
  const known = calibration ? difficulties(calibration) : new Map<string, number>();
  let labelled = 0;
  const pool = banks
    .filter((b) => topics.includes(b.id))
    .flatMap((b) => b.questions)
    .filter((q) => levels.includes(q.difficulty))
    // Sorted by key, so the same banks give the same pool whatever order they were loaded in.
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((question) => {
      const b = known.get(question.key);
      if (b === undefined) labelled++;
      return { question, b: b ?? LABEL_DIFFICULTY[question.difficulty] };
    });
  return {
    setup: { pool, rules },
    settings: { maxItems: rules.maxItems, targetSe: rules.targetSe, exposure: rules.exposure, calibrationId: calibration?.id ?? null },
    labelled,
  };
}

/** What a sitting tells its candidate about where its difficulties come from, or null when all are calibrated. */
export function poolNotice(p: AdaptivePool, calibration: StoredCalibration | null): string | null {
  const labels = 'difficulty labels stand in (easy −1, medium 0, hard +1)';
  if (!calibration) return `No calibration yet: ${labels}. Run 'backend-quiz calibrate' once enough sittings are stored.`;
  if (p.labelled === 0) return null;
  const n = p.setup.pool.length;
  return `Calibration #${calibration.id} has no difficulty for ${p.labelled} of these ${n} questions: their ${labels}.`;
}
