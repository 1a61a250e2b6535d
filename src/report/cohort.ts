// The cohort report's numbers, computed once from the report input so every format shows the same
// ones: ranking, cohort statistics, topic averages, score histogram and item analysis. Pure.
import { round } from '../engine/summary.js';
import type { CandidateResult, ReportAssessment, ReportInput, ReportQuestion } from './model.js';
import { cronbachAlpha, histogram, max, mean, median, min, pearson, percentileRank, sd } from './stats.js';

/**
 * Below this many candidates item statistics are mostly noise: one candidate more or less flips a
 * correlation's sign. Five is the smallest cohort where a discrimination index says anything.
 */
export const MIN_ITEM_ANALYSIS = 5;

export interface RankedCandidate extends CandidateResult {
  /** Standard competition ranking on percent: equal percents share a rank (1, 2, 2, 4). */
  rank: number;
  /** Percentile rank of the candidate's percent within the cohort, 0–100, one decimal. */
  percentileRank: number;
}

/** Over candidates' percents, one decimal. */
export interface CohortStats {
  n: number;
  mean: number;
  median: number;
  sd: number;
  min: number;
  max: number;
}

export interface TopicAverage {
  topic: string;
  /** Candidates whose sitting had questions in this topic. */
  candidates: number;
  /** Mean of those candidates' percents in the topic, one decimal. */
  mean: number;
  passMark: number | null;
}

/** Percent bins [from, to); the last, 90–100, includes 100. */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

export type ItemFlag = 'all-right' | 'none-right' | 'negative-discrimination';

export interface ItemStats {
  key: string;
  topic: string;
  /** Candidates who were asked the question. */
  asked: number;
  /** Mean item score as a fraction of its points (unanswered counts 0), 0–1, three decimals. */
  facility: number;
  /**
   * Corrected item–total correlation: Pearson's r between the item score and the candidate's
   * percent on their other items, so the item does not correlate with itself. Null with fewer
   * than MIN_ITEM_ANALYSIS candidates asked or when either side does not vary. Three decimals.
   */
  discrimination: number | null;
  flags: ItemFlag[];
}

export type AlphaMissing = 'not-fixed-form' | 'different-questions' | 'too-few-items' | 'no-variance';

/** Cronbach's alpha over item points, meaningful only when every candidate sat the same items. */
export type Reliability = { alpha: number; items: number } | { alpha: null; reason: AlphaMissing };

export type ItemAnalysis =
  | { enoughData: false; candidates: number; needed: number }
  | { enoughData: true; candidates: number; needed: number; items: ItemStats[]; reliability: Reliability };

export interface Cohort {
  title: string;
  assessment: ReportAssessment | null;
  generatedAt: string;
  filters: ReportInput['filters'];
  /** Every topic any candidate had, sorted. */
  topics: string[];
  /** Sorted by key. */
  questions: ReportQuestion[];
  /** In rank order: percent desc, then time used asc (unknown last), then name. */
  candidates: RankedCandidate[];
  /** Null when the report has no candidates. */
  stats: CohortStats | null;
  /** One per topic, in `topics` order. */
  topicAverages: TopicAverage[];
  /** Always ten bins. */
  histogram: HistogramBin[];
  itemAnalysis: ItemAnalysis;
  /** The calibration abilities were estimated against, when one exists. */
  calibration?: { id: number; createdAt: string };
  notices?: string[];
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// Code-unit order rather than localeCompare: the same report must sort the same on every machine.
function compareCandidates(a: CandidateResult, b: CandidateResult): number {
  if (a.percent !== b.percent) return b.percent - a.percent;
  if (a.timeUsedMs !== b.timeUsedMs) {
    if (a.timeUsedMs === null) return 1;
    if (b.timeUsedMs === null) return -1;
    return a.timeUsedMs - b.timeUsedMs;
  }
  return byCode(a.candidate, b.candidate) || byCode(a.sessionId, b.sessionId);
}

function rankCandidates(candidates: readonly CandidateResult[]): RankedCandidate[] {
  const sorted = [...candidates].sort(compareCandidates);
  const percents = sorted.map((c) => c.percent);
  let rank = 0;
  return sorted.map((c, i) => {
    // Time used orders equal percents on screen but does not split their rank.
    if (i === 0 || c.percent !== sorted[i - 1]!.percent) rank = i + 1;
    return { rank, percentileRank: round(percentileRank(c.percent, percents)), ...c };
  });
}

function cohortStats(percents: readonly number[]): CohortStats | null {
  if (!percents.length) return null;
  return {
    n: percents.length,
    mean: round(mean(percents)!),
    median: round(median(percents)!),
    sd: round(sd(percents)),
    min: min(percents)!,
    max: max(percents)!,
  };
}

const topicOf = (key: string, questions: ReadonlyMap<string, ReportQuestion>): string => questions.get(key)?.topic ?? key.split('/')[0]!;

const fraction = (points: number, maxPoints: number): number => (maxPoints > 0 ? points / maxPoints : 0);

function itemStats(key: string, candidates: readonly CandidateResult[], questions: ReadonlyMap<string, ReportQuestion>): ItemStats {
  const item: number[] = [];
  const paired: [number, number][] = [];
  for (const c of candidates) {
    const a = c.answers.find((x) => x.key === key);
    if (!a) continue;
    // A task's item score is the share of its tests passed (weighted), like a partial multiple choice's credit.
    const score = a.task ? a.task.share : fraction(a.points, a.maxPoints);
    item.push(score);
    // A candidate asked nothing else has no rest score to correlate with.
    const restMax = c.maxScore - a.maxPoints;
    if (restMax > 0) paired.push([score, (c.score - a.points) / restMax]);
  }
  const facility = mean(item) ?? 0;
  const discrimination =
    paired.length >= MIN_ITEM_ANALYSIS
      ? pearson(
          paired.map((p) => p[0]),
          paired.map((p) => p[1]),
        )
      : null;
  const flags: ItemFlag[] = [];
  if (facility === 1) flags.push('all-right');
  if (facility === 0) flags.push('none-right');
  if (discrimination !== null && discrimination < 0) flags.push('negative-discrimination');
  return {
    key,
    topic: topicOf(key, questions),
    asked: item.length,
    facility: round(facility, 3),
    discrimination: discrimination === null ? null : round(discrimination, 3),
    flags,
  };
}

function reliability(input: ReportInput, keys: readonly string[]): Reliability {
  if (input.assessment?.form !== 'fixed') return { alpha: null, reason: 'not-fixed-form' };
  const same = input.candidates.every((c) => c.answers.length === keys.length && keys.every((k) => c.answers.some((a) => a.key === k)));
  if (!same) return { alpha: null, reason: 'different-questions' };
  if (keys.length < 2) return { alpha: null, reason: 'too-few-items' };
  const matrix = input.candidates.map((c) => keys.map((k) => c.answers.find((a) => a.key === k)!.points));
  const alpha = cronbachAlpha(matrix);
  return alpha === null ? { alpha: null, reason: 'no-variance' } : { alpha: round(alpha, 3), items: keys.length };
}

function itemAnalysis(input: ReportInput, questions: ReadonlyMap<string, ReportQuestion>): ItemAnalysis {
  const n = input.candidates.length;
  if (n < MIN_ITEM_ANALYSIS) return { enoughData: false, candidates: n, needed: MIN_ITEM_ANALYSIS };
  const keys = [...new Set(input.candidates.flatMap((c) => c.answers.map((a) => a.key)))].sort(byCode);
  return {
    enoughData: true,
    candidates: n,
    needed: MIN_ITEM_ANALYSIS,
    items: keys.map((k) => itemStats(k, input.candidates, questions)),
    reliability: reliability(input, keys),
  };
}

export function buildCohort(input: ReportInput): Cohort {
  const questions = new Map(input.questions.map((q) => [q.key, q]));
  const topics = [...new Set(input.candidates.flatMap((c) => Object.keys(c.topics)))].sort(byCode);
  const percents = input.candidates.map((c) => c.percent);
  const topicAverages = topics.map((topic): TopicAverage => {
    const had = input.candidates.flatMap((c) => (c.topics[topic] ? [c.topics[topic].percent] : []));
    return { topic, candidates: had.length, mean: round(mean(had) ?? 0), passMark: input.assessment?.topicPassMarks[topic] ?? null };
  });
  return {
    title: input.title,
    assessment: input.assessment,
    generatedAt: input.generatedAt,
    filters: input.filters,
    topics,
    questions: [...input.questions].sort((a, b) => byCode(a.key, b.key)),
    candidates: rankCandidates(input.candidates),
    stats: cohortStats(percents),
    topicAverages,
    histogram: histogram(percents).map((count, i) => ({ from: i * 10, to: i * 10 + 10, count })),
    itemAnalysis: itemAnalysis(input, questions),
    ...(input.calibration && { calibration: input.calibration }),
    ...(input.notices?.length && { notices: input.notices }),
  };
}
