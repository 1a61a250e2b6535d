// The pool of an adaptive sitting: the questions its topics and difficulties allow, each with its
// calibrated difficulty, or its label's stand-in where the calibration has none.
import type { Database } from 'better-sqlite3';
import type { Bank, Difficulty, Question } from '../bank/types.js';
import type { AnswerRecord, ItemSource } from '../engine/quiz.js';
import { mulberry32, shuffle } from '../engine/rng.js';
import type { QuizItem } from '../engine/select.js';
import { Posterior, percentileOf, scoreOf, type Ability } from '../psychometrics/ability.js';
import { LABEL_DIFFICULTY, chooseNext, stopReason, type AdaptiveRules, type StopReason } from '../psychometrics/adaptive.js';
import { difficulties, type StoredCalibration } from '../store/calibrations.js';
import { addItem, updateSettings, type AdaptiveSettings, type SessionDetail } from '../store/sessions.js';
import { storedItems, type AdaptiveSetup } from './sitting.js';

export interface AdaptivePool {
  setup: AdaptiveSetup;
  settings: AdaptiveSettings;
  /** Questions whose difficulty comes from their label, because the calibration has none for them. */
  labelled: number;
}

export function adaptivePool(
  banks: readonly Bank[],
  topics: readonly string[],
  levels: readonly Difficulty[],
  rules: AdaptiveRules,
  calibration: StoredCalibration | null,
): AdaptivePool {
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

/**
 * The questions of an adaptive sitting, chosen one at a time from the answers so far (stored ones
 * included, so a resumed sitting goes on where it was). Each is stored just before it is asked,
 * and its choice of question and of choice order is seeded by the sitting's seed and position.
 */
export function adaptiveSource(db: Database, detail: SessionDetail, setup: AdaptiveSetup) {
  const { rules } = setup;
  const pool = setup.pool.map((p) => ({ key: p.question.key, topic: p.question.topic, b: p.b }));
  const index = new Map(pool.map((p, i) => [p.key, i]));
  // A stored question that left the pool (its bank changed) still counts, at its label's difficulty.
  const difficulty = (q: Question): number => pool[index.get(q.key) ?? -1]?.b ?? LABEL_DIFFICULTY[q.difficulty];
  const asked = new Set<number>();
  const posterior = new Posterior();
  const stored = storedItems(detail);
  for (const it of detail.items) {
    const i = index.get(it.question.key);
    if (i !== undefined) asked.add(i);
    const x = it.answer ? scoreOf(it.answer.outcome) : null;
    if (x !== null) posterior.add(difficulty(it.question), x);
  }
  let stop: StopReason | null = null;
  let count = stored.length;
  const source: ItemSource = {
    most: rules.maxItems,
    next(position) {
      // The question that was on screen when the sitting stopped comes back first.
      if (position < stored.length) return stored[position];
      const { sd, theta } = posterior.summary();
      stop = stopReason(position, sd, pool.length - asked.size, rules);
      if (stop) return undefined;
      const rng = mulberry32((detail.session.seed ^ Math.imul(position + 1, 0x9e3779b9)) >>> 0);
      const i = chooseNext(pool, asked, theta, rng, rules.exposure)!;
      asked.add(i);
      const question = setup.pool[i]!.question;
      const item: QuizItem = {
        question,
        choiceOrder:
          'choices' in question
            ? shuffle(
                question.choices.map((_, c) => c),
                rng,
              )
            : [],
      };
      addItem(db, detail.session.id, position, item);
      count = position + 1;
      return item;
    },
  };
  return {
    source,
    answered(r: AnswerRecord): void {
      const x = scoreOf(r.outcome);
      if (x !== null) posterior.add(difficulty(r.item.question), x);
    },
    /** Records how many questions were asked and, once it has stopped, why. */
    record(): void {
      const settings = detail.session.settings;
      updateSettings(db, detail.session.id, { ...settings, count, adaptive: { ...settings.adaptive!, ...(stop ? { stop } : {}) } });
    },
    result(): { ability: Ability; stop: StopReason | null } {
      const { theta, sd } = posterior.summary();
      return { ability: { theta, se: sd, percentile: percentileOf(theta), items: posterior.count }, stop };
    },
  };
}
