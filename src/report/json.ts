import { percentOf, summarize, type Summary } from '../engine/summary.js';
import type { Session, SessionDetail } from '../store/sessions.js';
import type { AbilityEstimate } from './model.js';
import { awaitsGrading } from './text.js';
import { safeJson } from '../text.js';

export function detailSummary(detail: SessionDetail): Summary {
  return summarize(
    detail.items.map((i) => ({
      topic: i.question.topic,
      difficulty: i.question.difficulty,
      outcome: i.answer?.outcome ?? 'unanswered',
      points: i.answer?.points ?? 0,
      maxPoints: i.question.points,
    })),
  );
}

/** The fields every JSON form of a session starts with. */
function sessionHead(s: Session) {
  return { sessionId: s.id, candidate: s.candidate, status: s.status, startedAt: s.startedAt, finishedAt: s.finishedAt, seed: s.seed };
}

/**
 * The machine-readable form of one session (take --json, show --json); `ability` is added when
 * the session has an estimate (null when the calibration knows none of its questions).
 */
export function sessionJson(detail: SessionDetail, summary: Summary = detailSummary(detail), ability?: AbilityEstimate | null): object {
  // Ungraded answers add up to nothing: a sealed sitting's JSON carries the answers, not a score.
  const graded = !awaitsGrading(detail.session);
  return {
    ...sessionHead(detail.session),
    settings: detail.session.settings,
    score: graded ? summary.score : null,
    maxScore: graded ? summary.maxScore : null,
    percent: graded ? summary.percent : null,
    ...(ability !== undefined && { ability }),
    topics: graded ? summary.topics : null,
    questions: detail.items.map((i) => ({
      position: i.position + 1,
      key: i.question.key,
      topic: i.question.topic,
      difficulty: i.question.difficulty,
      type: i.question.type,
      response: i.answer?.response ?? null,
      correct: i.answer?.outcome === 'right',
      outcome: i.answer?.outcome ?? 'unanswered',
      points: i.answer?.points ?? 0,
      maxPoints: i.question.points,
      timeMs: i.answer?.timeMs ?? null,
      contentHash: i.hash,
    })),
  };
}

export function historyJson(sessions: readonly Session[], abilities?: ReadonlyMap<string, AbilityEstimate | null | undefined>): object[] {
  return sessions.map((s) => {
    const ability = abilities?.get(s.id);
    return {
      ...sessionHead(s),
      topics: s.settings.topics,
      questions: s.settings.count,
      score: s.score,
      maxScore: s.maxScore,
      percent: s.maxScore === null || awaitsGrading(s) ? null : percentOf(s.score ?? 0, s.maxScore),
      ...(s.settings.assessment?.overTime && { overTime: true }),
      ...(ability !== undefined && { ability }),
    };
  });
}

export const toJson = (value: unknown): string => `${safeJson(JSON.stringify(value, null, 2))}\n`;
