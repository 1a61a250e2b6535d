// A sitting, from the first question to the stored result: session rows, the clock, answers as
// they come, the closing status and, for an assessment, the result file. Plain quizzes, assessment
// sittings, sealed packs and resumed sittings all run through here; commands/take.ts is glue.
import type { Database } from 'better-sqlite3';
import type { Question } from '../bank/types.js';
import type { Answerer, AnswerRecord } from '../engine/quiz.js';
import { graded, runQuiz } from '../engine/quiz.js';
import { scoreResponse } from '../engine/score.js';
import { isTask } from '../bank/types.js';
import type { QuizItem } from '../engine/select.js';
import type { Summary } from '../engine/summary.js';
import { InterruptedError, TimeUpError } from '../errors.js';
import type { Ability } from '../psychometrics/ability.js';
import type { AdaptiveRules, StopReason } from '../psychometrics/adaptive.js';
import { reviewer } from '../practice/reviewer.js';
import { detailSummary } from '../report/json.js';
import { getAssessment } from '../store/assessments.js';
import { getDraft, openDrafts, saveDraft } from '../store/drafts.js';
import {
  closeSession,
  createSession,
  getSession,
  newSessionId,
  recordAnswer,
  reopenSession,
  type SessionDetail,
  type SessionSettings,
  type SessionStatus,
} from '../store/sessions.js';

/** A folder the result file is written to under its own name, or the file itself. */
export type ResultTarget = { dir: string } | { file: string };

export interface SittingEnv {
  db: Database;
  now: () => Date;
  answerer: Answerer;
  /** Aborted with a TimeUpError when the deadline passes; the answerer's signal must follow it. */
  clock: AbortController;
  /** After each stored answer (immediate feedback). */
  onAnswer?: (r: AnswerRecord) => void | Promise<void>;
  /** Where an assessment's result file goes (a folder, under its own name, or a file); none is written without it. */
  resultTo?: ResultTarget;
}

/** What an adaptive sitting chooses from, and when it stops. */
export interface AdaptiveSetup {
  /** Every question it may ask, with its difficulty on the calibration's scale. */
  pool: { question: Question; b: number }[];
  rules: AdaptiveRules;
}

export interface NewSitting {
  candidate: string;
  seed: number;
  /** The questions, in order; an adaptive sitting has none up front and chooses from its pool. */
  items: QuizItem[];
  settings: SessionSettings;
  adaptive?: AdaptiveSetup;
  /** When the clock started, if before the first question (a locked pack: when its code opened it). */
  startedAt?: string;
}

export interface SittingOutcome {
  id: string;
  status: Exclude<SessionStatus, 'in_progress'>;
  detail: SessionDetail;
  summary: Summary;
  /** Answers given in this run (a resumed sitting had some before). */
  answered: number;
  resultFile?: string;
  /** The position of a task whose draft was submitted because time ran out while the sitting was stopped. */
  draftSubmitted?: number;
  /** For an adaptive sitting: its final estimate and why it stopped (none when time ran out). */
  adaptive?: { ability: Ability; stop: StopReason | null };
}

/** Deadline of a sitting in epoch milliseconds: wall time from its start. */
export function deadlineOf(detail: SessionDetail): number | undefined {
  const limit = detail.session.settings.assessment?.timeLimitMs;
  return limit ? Date.parse(detail.session.startedAt) + limit : undefined;
}

/** The questions of a stored sitting, in order, as they were shown. */
export function storedItems(detail: SessionDetail): QuizItem[] {
  return detail.items.map((i) => ({ question: i.question, choiceOrder: i.choiceOrder }));
}

/** The first question without a stored answer. */
export function firstUnanswered(detail: SessionDetail): number {
  const i = detail.items.findIndex((x) => x.answer === null);
  return i < 0 ? detail.items.length : i;
}

export function startSitting(s: NewSitting, env: SittingEnv): Promise<SittingOutcome> {
  const id = newSessionId();
  createSession(env.db, {
    id,
    candidate: s.candidate,
    startedAt: s.startedAt ?? env.now().toISOString(),
    seed: s.seed,
    settings: s.settings,
    items: s.adaptive ? [] : s.items,
  });
  return sit(id, env, s.adaptive);
}

/**
 * Continues a stored sitting at its first unanswered question; one whose time ran out meanwhile is
 * closed. An adaptive sitting needs its pool again to go on choosing.
 */
export function resumeSitting(id: string, env: SittingEnv, adaptive?: AdaptiveSetup): Promise<SittingOutcome> {
  reopenSession(env.db, id);
  return sit(id, env, adaptive);
}

async function sit(id: string, env: SittingEnv, setup?: AdaptiveSetup): Promise<SittingOutcome> {
  const { db, now } = env;
  const before = getSession(db, id);
  const items = storedItems(before);
  // Adaptive sittings load their psychometrics only when one is sat.
  const adaptive =
    setup && before.session.settings.adaptive ? (await import('./adaptive.js')).adaptiveSource(db, before, setup) : undefined;
  const deadline = deadlineOf(before);
  // Every answer outside an assessment moves its candidate's practice schedule.
  const review = before.session.settings.assessment ? undefined : reviewer(db, before.session.candidate, before.session.settings.mode);
  let answered = 0;
  let timer: NodeJS.Timeout | undefined;
  if (deadline !== undefined) {
    const arm = (): void => {
      const left = deadline - now().getTime();
      // setTimeout holds at most ~24.8 days; re-arm for longer waits.
      if (left <= 0) env.clock.abort(new TimeUpError());
      else timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
    };
    arm();
  }
  let status: SittingOutcome['status'] = 'finished';
  let draftSubmitted: number | undefined;
  try {
    await runQuiz(adaptive?.source ?? items, env.answerer, {
      now: () => now().getTime(),
      start: firstUnanswered(before),
      ...(deadline !== undefined ? { deadline, limitMs: before.session.settings.assessment?.timeLimitMs ?? Infinity } : {}),
      drafts: (position) => ({
        load: () => getDraft(db, id, position),
        save: (d) => saveDraft(db, id, position, d, now().toISOString()),
      }),
      onAnswer: async (r) => {
        const at = now().toISOString();
        db.transaction(() => {
          recordAnswer(db, id, r, at);
          review?.(r, at);
          adaptive?.answered(r);
        }).immediate();
        answered++;
        await env.onAnswer?.(r);
      },
    });
    // A task open when time ran out is submitted with its latest draft, and the sitting goes on to
    // its end; that it ended by the clock is still what it records.
    if (env.clock.signal.aborted && env.clock.signal.reason instanceof TimeUpError) status = 'timed_out';
  } catch (e) {
    if (e instanceof TimeUpError) {
      status = 'timed_out';
      // Time ran out with a task open and nobody at it (it ran out while the sitting was stopped):
      // its latest draft is submitted, as the task screen does when it is open.
      const pos = firstUnanswered(getSession(db, id));
      const item = adaptive ? undefined : items[pos];
      const draft = item && isTask(item.question) ? getDraft(db, id, pos) : undefined;
      if (item && draft && draft.answer.trim() !== '') {
        const response = await graded(item, { answer: draft.answer, runs: draft.runs });
        const r: AnswerRecord = { position: pos, item, response, timeMs: 0, ...scoreResponse(item.question, response) };
        const at = now().toISOString();
        db.transaction(() => {
          recordAnswer(db, id, r, at);
          review?.(r, at);
        }).immediate();
        answered++;
        draftSubmitted = pos;
      }
    } else if (e instanceof InterruptedError) {
      const { detail } = close(db, id, 'abandoned', now);
      const saved = detail.items.filter((i) => i.answer !== null).length;
      const drafts = openDrafts(db, id);
      const kept = drafts ? `, and the draft of ${drafts} task${drafts === 1 ? '' : 's'},` : '';
      throw new InterruptedError(
        `${before.session.settings.kind === 'practice' ? 'Practice round' : 'Quiz'} ${e.how}: ${saved} of ${detail.items.length} answers${kept} saved in session ${id} (marked abandoned).\nResume it with: backend-quiz take --resume ${id}`,
        e.stop,
      );
    } else throw e;
  } finally {
    clearTimeout(timer);
    adaptive?.record();
  }
  const result = adaptive?.result();
  // A sitting whose time ran out ended at its deadline, even when that is noticed later (on
  // resume): its result file then stays within the limit that import checks it against.
  const ended = status === 'timed_out' && deadline !== undefined ? () => new Date(Math.min(now().getTime(), deadline)) : now;
  const { detail, summary } = close(db, id, status, ended);
  const info = detail.session.settings.assessment;
  let resultFile: string | undefined;
  if (info && env.resultTo !== undefined) {
    const { buildResult, writeResult } = await import('./result.js');
    resultFile = writeResult(env.resultTo, buildResult(detail, info, info.sealed ? null : (getAssessment(db, info.digest) ?? null)));
  }
  return {
    id,
    status,
    detail,
    summary,
    answered,
    ...(draftSubmitted !== undefined ? { draftSubmitted } : {}),
    ...(resultFile ? { resultFile } : {}),
    ...(result ? { adaptive: result } : {}),
  };
}

/** Closes a session with the score of what is stored, then reads it back as it now stands. */
export function close(
  db: Database,
  id: string,
  status: SittingOutcome['status'],
  now: () => Date,
): { detail: SessionDetail; summary: Summary } {
  const summary = detailSummary(getSession(db, id));
  closeSession(db, id, status, summary, now().toISOString());
  return { detail: getSession(db, id), summary };
}
