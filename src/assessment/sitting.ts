// A sitting, from the first question to the stored result: session rows, the clock, answers as
// they come, the closing status and, for an assessment, the result file. Plain quizzes, assessment
// sittings, sealed packs and resumed sittings all run through here; commands/take.ts is glue.
import type { Database } from 'better-sqlite3';
import type { Answerer, AnswerRecord } from '../engine/quiz.js';
import { runQuiz } from '../engine/quiz.js';
import type { QuizItem } from '../engine/select.js';
import type { Summary } from '../engine/summary.js';
import { InterruptedError, TimeUpError } from '../errors.js';
import { detailSummary } from '../report/json.js';
import { getAssessment } from '../store/assessments.js';
import { closeSession, createSession, getSession, newSessionId, recordAnswer, reopenSession, type SessionDetail, type SessionSettings, type SessionStatus } from '../store/sessions.js';
import { buildResult, writeResult } from './result.js';

export interface SittingEnv {
  db: Database;
  now: () => Date;
  answerer: Answerer;
  /** Aborted with a TimeUpError when the deadline passes; the answerer's signal must follow it. */
  clock: AbortController;
  /** After each stored answer (immediate feedback). */
  onAnswer?: (r: AnswerRecord) => void | Promise<void>;
  /** Where an assessment's result file goes; none is written without it. */
  resultDir?: string;
}

export interface NewSitting {
  candidate: string;
  seed: number;
  items: QuizItem[];
  settings: SessionSettings;
}

export interface SittingOutcome {
  id: string;
  status: Exclude<SessionStatus, 'in_progress'>;
  detail: SessionDetail;
  summary: Summary;
  /** Answers given in this run (a resumed sitting had some before). */
  answered: number;
  resultFile?: string;
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
  createSession(env.db, { id, candidate: s.candidate, startedAt: env.now().toISOString(), seed: s.seed, settings: s.settings, items: s.items });
  return sit(id, env);
}

/** Continues a stored sitting at its first unanswered question; one whose time ran out meanwhile is closed. */
export function resumeSitting(id: string, env: SittingEnv): Promise<SittingOutcome> {
  reopenSession(env.db, id);
  return sit(id, env);
}

async function sit(id: string, env: SittingEnv): Promise<SittingOutcome> {
  const { db, now } = env;
  const before = getSession(db, id);
  const items = storedItems(before);
  const deadline = deadlineOf(before);
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
  try {
    await runQuiz(items, env.answerer, {
      now: () => now().getTime(),
      start: firstUnanswered(before),
      ...(deadline !== undefined ? { deadline, limitMs: before.session.settings.assessment?.timeLimitMs ?? Infinity } : {}),
      onAnswer: async (r) => {
        recordAnswer(db, id, r, now().toISOString());
        answered++;
        await env.onAnswer?.(r);
      },
    });
  } catch (e) {
    if (e instanceof TimeUpError) status = 'timed_out';
    else if (e instanceof InterruptedError) {
      const { detail } = close(db, id, 'abandoned', now);
      const saved = detail.items.filter((i) => i.answer !== null).length;
      throw new InterruptedError(`Quiz ${e.how}: ${saved} of ${detail.items.length} answers saved in session ${id} (marked abandoned).\nResume it with: backend-quiz take --resume ${id}`, e.stop);
    } else throw e;
  } finally {
    clearTimeout(timer);
  }
  const { detail, summary } = close(db, id, status, now);
  const info = detail.session.settings.assessment;
  let resultFile: string | undefined;
  if (info && env.resultDir !== undefined) {
    resultFile = writeResult(env.resultDir, buildResult(detail, info, info.sealed ? null : (getAssessment(db, info.digest) ?? null)));
  }
  return { id, status, detail, summary, answered, ...(resultFile ? { resultFile } : {}) };
}

/** Closes a session with the score of what is stored, then reads it back as it now stands. */
export function close(db: Database, id: string, status: SittingOutcome['status'], now: () => Date): { detail: SessionDetail; summary: Summary } {
  const summary = detailSummary(getSession(db, id));
  closeSession(db, id, status, summary, now().toISOString());
  return { detail: getSession(db, id), summary };
}
