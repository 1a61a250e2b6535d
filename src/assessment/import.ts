// Importing result files on the interviewer's machine: each answer is graded here, against the
// question snapshots this machine holds (its database and banks) or a sealed pack's key, never
// against anything the file says is right.
import type { Database } from 'better-sqlite3';
import type { Question } from '../bank/types.js';
import { MAX_TEXT_ANSWER, scoreResponse, type Response } from '../engine/score.js';
import type { AnswerRecord } from '../engine/quiz.js';
import { UserError } from '../errors.js';
import { getPackKey, saveAssessment } from '../store/assessments.js';
import { createSession, closeSession, questionHash, recordAnswer, stmt, type SessionStatus } from '../store/sessions.js';
import { summarize } from '../engine/summary.js';
import { unsealedShape } from './pack.js';
import type { ResultFile } from './result.js';

export type ImportOutcome =
  { kind: 'imported'; sessionId: string; candidate: string } | { kind: 'present'; sessionId: string; why: string };

/** Finds a question by content hash: this database's snapshots first, then the loaded banks. */
export type QuestionLookup = (hash: string) => Question | undefined;

export function snapshotLookup(db: Database, banks: () => Map<string, Question>): QuestionLookup {
  const snapshot = db.prepare(`SELECT snapshot FROM questions WHERE hash = ?`).pluck();
  const seen = new Map<string, Question | undefined>();
  return (hash) => {
    if (!seen.has(hash)) {
      const text = snapshot.get(hash) as string | undefined;
      seen.set(hash, text !== undefined ? (JSON.parse(text) as Question) : banks().get(hash));
    }
    return seen.get(hash);
  };
}

/** The response, checked against the question, in the form scoring expects; throws on a misfit. */
function checkResponse(q: Question, r: unknown, at: string): Response | undefined {
  if (r === null) return undefined;
  const bad = (what: string): never => {
    throw new UserError(`question ${at + 1} (${q.key}): ${what}`);
  };
  switch (q.type) {
    case 'single':
      if (typeof r !== 'string' || !q.choices.some((c) => c.text === r)) bad('the answer is not one of its choices');
      return r as string;
    case 'multiple':
      if (!Array.isArray(r) || r.some((x) => typeof x !== 'string' || !q.choices.some((c) => c.text === x)))
        bad('the answer is not a list of its choices');
      return [...new Set(r as string[])];
    case 'boolean':
      if (typeof r !== 'boolean') bad('the answer is not true or false');
      return r as boolean;
    case 'text':
      if (typeof r !== 'string' || r.length > MAX_TEXT_ANSWER) bad(`the answer is not text of at most ${MAX_TEXT_ANSWER} characters`);
      return r as string;
    case 'number':
      if (typeof r !== 'number' || !Number.isFinite(r)) bad('the answer is not a number');
      return r as number;
  }
}

/** Choice indices of `q` in the order the file says they were shown. */
function shownOrder(q: Question, shown: readonly string[], at: number): number[] {
  if (!('choices' in q)) return [];
  const order = shown.map((t) => q.choices.findIndex((c) => c.text === t));
  if (order.length !== q.choices.length || order.includes(-1) || new Set(order).size !== order.length) {
    throw new UserError(`question ${at + 1} (${q.key}): the choices it lists do not match the question`);
  }
  return order;
}

/** Grades and stores one result file; idempotent by session id and digest. */
export function importResult(db: Database, r: ResultFile, fileName: string, lookup: QuestionLookup, now: string): ImportOutcome {
  const existing = stmt(db, `SELECT imported_from, source_digest FROM sessions WHERE id = ?`).get(r.session.id) as
    { imported_from: string | null; source_digest: string | null } | undefined;
  if (existing) {
    if (existing.source_digest === r.digest) {
      return {
        kind: 'present',
        sessionId: r.session.id,
        why: existing.imported_from === fileName ? 'already imported' : `already imported from ${existing.imported_from}`,
      };
    }
    if (existing.imported_from === null)
      return { kind: 'present', sessionId: r.session.id, why: 'already in this database (taken on this machine)' };
    throw new UserError(
      `conflict: session ${r.session.id} was already imported from ${existing.imported_from} with different content; this file was not imported`,
    );
  }
  const a = r.assessment;
  const mode = r.session.mode ?? 'interactive';
  // Only a changed program sits a timed assessment from a file when the definition refuses it.
  const refusesScripted = (d: { timeLimitMs: number | null; scripted?: 'allowed' }): void => {
    if (mode === 'scripted' && d.timeLimitMs !== null && d.scripted !== 'allowed')
      throw new UserError(`it is a scripted sitting of '${a.id}', which is timed and does not allow scripted sittings`);
  };
  let full: (key: string, hash: string, at: number) => Question;
  if (a.sealed) {
    if (!a.pack) throw new UserError('a sealed result must name its pack');
    const key = getPackKey(db, a.pack);
    if (!key) {
      throw new UserError(
        `sealed result of pack ${a.pack} ('${a.id}'): its answer key is not in this database. Import it on the machine that made the pack, or give the key file first: backend-quiz import <key.json> <results>`,
      );
    }
    if (key.packDigest !== a.packDigest)
      throw new UserError(`it was taken from a different version of pack ${a.pack} than the key here describes`);
    refusesScripted(key.assessment);
    full = (k, hash, at) => {
      const q = key.questions[k];
      if (!q) throw new UserError(`question ${at + 1}: '${k}' is not a question of pack ${a.pack}`);
      // The candidate must have been shown exactly the sealed form of this question.
      const sealed = unsealedShape(k, {
        type: q.type,
        topic: q.topic,
        difficulty: q.difficulty,
        prompt: q.prompt,
        ...('choices' in q ? { choices: q.choices.map((c) => c.text) } : {}),
        points: q.points,
      });
      if (questionHash(sealed) !== hash) throw new UserError(`question ${at + 1} (${k}): its content differs from the pack's`);
      return q;
    };
  } else {
    if (!a.definition || a.definition.id !== a.id || a.definition.digest !== a.digest)
      throw new UserError(`unknown assessment '${a.id}': the result file does not carry its definition`);
    refusesScripted(a.definition);
    full = (k, hash, at) => {
      const q = lookup(hash);
      if (!q || q.key !== k)
        throw new UserError(
          `question ${at + 1} (${k}) is not known here in the version the candidate saw; import with the banks the assessment used (--banks <dir>)`,
        );
      return q;
    };
  }
  const items = r.questions.map((rq, at) => {
    if (rq.position !== at) throw new UserError(`question positions are not 0, 1, 2, … in order`);
    const question = full(rq.key, rq.contentHash, at);
    return { question, choiceOrder: shownOrder(question, rq.choices, at), response: checkResponse(question, rq.response, String(at)), rq };
  });
  db.transaction(() => {
    if (!a.sealed && a.definition) saveAssessment(db, a.definition, now, 'import');
    createSession(db, {
      id: r.session.id,
      candidate: r.session.candidate,
      startedAt: r.session.startedAt,
      seed: r.session.seed,
      settings: {
        topics: [...new Set(items.map((i) => i.question.topic))].sort(),
        count: items.length,
        difficulties: ['easy', 'medium', 'hard'],
        feedback: 'none',
        mode,
        assessment: {
          id: a.id,
          title: a.title,
          digest: a.digest,
          timeLimitMs: r.session.timeLimitMs,
          form: a.form,
          sealed: a.sealed,
          ...(a.pack ? { packId: a.pack } : {}),
          ...(a.packDigest ? { packDigest: a.packDigest } : {}),
          ...(r.session.openedAt !== undefined ? { openedAt: r.session.openedAt } : {}),
        },
      },
      items: items.map(({ question, choiceOrder }) => ({ question, choiceOrder })),
      imported: { from: fileName, at: now, sourceDigest: r.digest },
    });
    const graded = items.map((i, position) => {
      const score = scoreResponse(i.question, i.response);
      // A question never reached has no answer row, as in a sitting on this machine.
      if (i.rq.answeredAt !== null)
        recordAnswer(
          db,
          r.session.id,
          { position, item: i, response: i.response, timeMs: i.rq.timeMs ?? 0, ...score } satisfies AnswerRecord,
          i.rq.answeredAt,
        );
      return {
        topic: i.question.topic,
        difficulty: i.question.difficulty,
        ...(i.rq.answeredAt !== null ? score : { outcome: 'unanswered' as const, points: 0, maxPoints: i.question.points }),
      };
    });
    const status = (r.session.status === 'in_progress' ? 'abandoned' : r.session.status) as Exclude<SessionStatus, 'in_progress'>;
    closeSession(db, r.session.id, status, summarize(graded), r.session.finishedAt ?? now);
  }).immediate();
  return { kind: 'imported', sessionId: r.session.id, candidate: r.session.candidate };
}
