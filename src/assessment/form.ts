// Drawing an assessment's questions from the banks: pure and seeded, so a fixed form is the same
// for every candidate and a per-candidate form is reproducible from its recorded seed.
import { DIFFICULTIES, isTask, type Bank, type Problem, type Question } from '../bank/types.js';
import { mulberry32, shuffle } from '../engine/rng.js';
import type { QuizItem } from '../engine/select.js';
import type { Assessment } from './definition.js';
import { safeLine } from '../text.js';
import { didYouMean, nearest } from '../suggest.js';

const byId = (a: Question, b: Question): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface DrawnSection {
  index: number;
  wanted: number;
  /** Questions that could be drawn for it (after the keys reserved by other sections). */
  available: number;
  questions: Question[];
}

/**
 * Explicit question lists are reserved first, so a topic section never draws a question another
 * section names; topic sections then draw in order, each from what earlier ones left.
 */
export function drawSections(a: Assessment, banks: readonly Bank[], seed: number): DrawnSection[] {
  const rng = mulberry32(seed);
  const questions = new Map(banks.flatMap((b) => b.questions.map((q) => [q.key, q] as const)));
  const taken = new Set(a.sections.flatMap((s) => s.questions ?? []));
  return a.sections.map((s, index) => {
    if (s.questions) {
      const qs = s.questions.map((k) => questions.get(k)).filter((q): q is Question => q !== undefined);
      return { index, wanted: s.questions.length, available: qs.length, questions: qs };
    }
    const levels = s.difficulty ?? DIFFICULTIES;
    const pool = (banks.find((b) => b.id === s.topic)?.questions ?? [])
      .filter((q) => levels.includes(q.difficulty) && !taken.has(q.key) && isTask(q) === (s.tasks ?? false))
      .sort(byId);
    const picked = shuffle(pool, rng).slice(0, s.count ?? 0);
    for (const q of picked) taken.add(q.key);
    return { index, wanted: s.count ?? 0, available: pool.length, questions: picked };
  });
}

/** The questions of a sitting in the order asked, with the order their choices are shown in. */
export function drawForm(a: Assessment, banks: readonly Bank[], seed: number): QuizItem[] {
  const rng = mulberry32(seed ^ 0x5bd1e995);
  return drawSections(a, banks, seed)
    .flatMap((s) => s.questions)
    .map((question) => ({
      question,
      choiceOrder:
        'choices' in question
          ? shuffle(
              question.choices.map((_, i) => i),
              rng,
            )
          : [],
    }));
}

/** What the banks cannot give the assessment: unknown topics and keys, sections short of questions. */
export function checkAgainstBanks(
  a: Assessment,
  banks: readonly Bank[],
  file: string,
  at: (pointer: string) => { line: number; col: number },
): Problem[] {
  const problems: Problem[] = [];
  const report = (pointer: string, message: string): void => void problems.push({ file, ...at(pointer), message });
  const topics = new Set(banks.map((b) => b.id));
  const keys = new Set(banks.flatMap((b) => b.questions.map((q) => q.key)));
  const seenKeys = new Map<string, number>();
  a.sections.forEach((s, i) => {
    if (s.topic !== undefined && !topics.has(s.topic)) {
      const near = nearest(s.topic, topics);
      report(
        `/sections/${i}/topic`,
        `section ${i + 1}: unknown topic '${safeLine(s.topic)}'${
          near.length ? `${didYouMean(near)} ('backend-quiz topics' lists them)` : `; available: ${[...topics].sort().join(', ')}`
        }`,
      );
    }
    s.questions?.forEach((k, j) => {
      // Entries the schema refused were left out (undefined) and already have their message.
      if (typeof k !== 'string') return;
      if (!keys.has(k)) {
        const near = nearest(k, keys);
        const bank = [k.split('/')[0]!, ...near.map((n) => n.split('/')[0]!)].find((t) => topics.has(t));
        const listing = bank ? `'backend-quiz topics ${bank}' lists its question keys` : `'backend-quiz topics' lists the topics`;
        report(
          `/sections/${i}/questions/${j}`,
          `section ${i + 1}: no question '${safeLine(k)}' in the loaded banks${didYouMean(near)} (${listing})`,
        );
      }
      const prior = seenKeys.get(k);
      if (prior !== undefined)
        report(`/sections/${i}/questions/${j}`, `section ${i + 1}: '${safeLine(k)}' is already asked in section ${prior + 1}`);
      else seenKeys.set(k, i);
    });
  });
  for (const d of drawSections(a, banks, a.seed)) {
    const s = a.sections[d.index]!;
    // An unknown topic has its own message; a section without a count has the schema's.
    if (s.topic !== undefined && topics.has(s.topic) && s.count !== undefined && d.available < d.wanted) {
      const levels = s.difficulty ? ` at difficulty ${s.difficulty.join('/')}` : '';
      report(
        `/sections/${d.index}/count`,
        `section ${d.index + 1} (${s.topic}${levels}) asks for ${d.wanted} questions, but only ${d.available} are available; lower 'count' or widen 'difficulty'`,
      );
    }
  }
  return problems;
}
