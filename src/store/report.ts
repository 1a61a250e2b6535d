// Reads what a report needs in three queries (sessions, their questions and answers, the distinct
// question snapshots), so a cohort of a thousand candidates costs no more than a few statements.
import type { Database } from 'better-sqlite3';
import type { Question } from '../bank/types.js';
import type { Assessment } from '../assessment/definition.js';
import { isTaskResponse, rightAnswer, taskCredit, type Outcome, type Response } from '../engine/score.js';
import { summarize } from '../engine/summary.js';
import type {
  AbilityEstimate,
  CandidateResult,
  ReportAnswer,
  ReportInput,
  ReportQuestion,
  ReportStatus,
  ReportTask,
} from '../report/model.js';
import { responseLine } from '../report/text.js';
import { getPackKey, latestAssessment } from './assessments.js';
import type { AnsweredItem } from './calibrations.js';
import type { SessionSettings } from './sessions.js';

export interface ReportFilter {
  /** Explicit session ids (full ids), or else: */
  sessionIds?: string[];
  assessment?: string;
  candidate?: string;
  /** ISO times: started_at >= since, started_at < until. */
  since?: string;
  until?: string;
  status: ReportStatus[];
}

/** The session query of a cohort report; exported so a test can check that an index serves it. */
export function sessionQuery(f: ReportFilter): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.sessionIds) {
    where.push(`id IN (SELECT value FROM json_each(@ids))`);
    params.ids = JSON.stringify(f.sessionIds);
  }
  if (f.assessment !== undefined) {
    where.push('assessment_id = @assessment');
    params.assessment = f.assessment;
  }
  if (f.since !== undefined) {
    where.push('started_at >= @since');
    params.since = f.since;
  }
  if (f.until !== undefined) {
    where.push('started_at < @until');
    params.until = f.until;
  }
  if (f.candidate !== undefined) {
    where.push('candidate = @candidate');
    params.candidate = f.candidate;
  }
  where.push(`status IN (SELECT value FROM json_each(@status))`);
  params.status = JSON.stringify(f.status);
  return { sql: `SELECT * FROM sessions WHERE ${where.join(' AND ')} ORDER BY started_at`, params };
}

interface Row {
  id: string;
  candidate: string;
  started_at: string;
  finished_at: string | null;
  settings: string;
  status: ReportStatus;
  imported_from: string | null;
}

/** session_id, position, question_hash, outcome, points, time_ms, response: raw rows, since a
 * cohort's answers are many and objects per row cost more than the query itself. */
type ItemRow = [string, number, string, Outcome | null, number | null, number | null, string | null];

/**
 * The questions and answers of the sessions in @ids (a JSON array). No ORDER BY: rows are grouped
 * and put in position order in code, without a temporary b-tree. The answer text is read only
 * when the report shows it.
 */
export function itemsSql(details: boolean): string {
  return `SELECT sq.session_id, sq.position, sq.question_hash, a.outcome, a.points, a.time_ms, ${details ? 'a.response' : 'NULL'}
            FROM json_each(@ids) AS s
            JOIN session_questions sq ON sq.session_id = s.value
            LEFT JOIN answers a ON a.session_id = sq.session_id AND a.position = sq.position`;
}

export interface GatherOptions {
  /** Read each answer's text (the formats that show it). Default true. */
  details?: boolean;
  /** Each candidate's ability, when a calibration (or an adaptive sitting) gives one. */
  ability?: (items: AnsweredItem[], sitting: { adaptive: boolean; status: ReportStatus }) => AbilityEstimate | null | undefined;
}

export function gatherReport(db: Database, f: ReportFilter, title: string, now: string, opts: GatherOptions = {}): ReportInput {
  const details = opts.details ?? true;
  const { sql, params } = sessionQuery(f);
  const sessions = db.prepare(sql).all(params) as Row[];
  const ids = JSON.stringify(sessions.map((s) => s.id));
  const items = db.prepare(itemsSql(details)).raw(true).all({ ids }) as ItemRow[];
  const lastAnswer = db.prepare(`SELECT max(answered_at) FROM answers WHERE session_id = ?`).pluck();
  const snapshots = new Map<string, Question>();
  const snap = db.prepare(`SELECT snapshot FROM questions WHERE hash = ?`).pluck();
  const question = (hash: string): Question => {
    let q = snapshots.get(hash);
    if (!q) {
      q = JSON.parse(snap.get(hash) as string) as Question;
      snapshots.set(hash, q);
    }
    return q;
  };
  const bySession = new Map<string, ItemRow[]>();
  for (const it of items) {
    const list = bySession.get(it[0]);
    if (list) list.push(it);
    else bySession.set(it[0], [it]);
  }
  for (const list of bySession.values()) list.sort((x, y) => x[1] - y[1]);
  const rightText = new Map<string, string>();
  const right = (hash: string, q: Question): string => {
    let t = rightText.get(hash);
    if (t === undefined) rightText.set(hash, (t = q.sealed ? '(sealed)' : responseLine(q, rightAnswer(q))));
    return t;
  };

  const assessmentIds = new Set(
    sessions.map((s) => (JSON.parse(s.settings) as SessionSettings).assessment?.id).filter((x) => x !== undefined),
  );
  const onlyAssessment =
    f.assessment ??
    (assessmentIds.size === 1 && sessions.every((s) => JSON.parse(s.settings).assessment) ? [...assessmentIds][0] : undefined);
  const latest = onlyAssessment === undefined ? undefined : latestAssessment(db, onlyAssessment);
  const def: Assessment | undefined = latest?.definition;
  const notices: string[] = [];
  if (latest?.importedOnly)
    notices.push(
      `no pass marks: this database holds the definition of '${onlyAssessment}' only as older versions copied it from result files, which a candidate could have edited; record yours with: backend-quiz assessment check <file.yaml>`,
    );
  // Built-in questions ship with their answers in the program every candidate runs.
  const publicOf = new Map<string, number>();
  for (const s of sessions) {
    const packId = (JSON.parse(s.settings) as SessionSettings).assessment?.packId;
    if (packId !== undefined && !publicOf.has(packId)) publicOf.set(packId, getPackKey(db, packId)?.publicQuestions ?? 0);
  }
  for (const [packId, n] of publicOf)
    if (n > 0)
      notices.push(
        `pack ${packId} holds ${n} built-in question${n === 1 ? '' : 's'}, whose answers ship with backend-quiz: sealing hid nothing of ${n === 1 ? 'it' : 'them'}; use your own banks for graded hiring`,
      );
  const questions = new Map<string, ReportQuestion>();

  const candidates: CandidateResult[] = sessions.map((s) => {
    const settings = JSON.parse(s.settings) as SessionSettings;
    const answers: ReportAnswer[] = (bySession.get(s.id) ?? []).map(([, position, hash, outcome, points, timeMs, response]) => {
      const q = question(hash);
      if (!questions.has(q.key))
        questions.set(q.key, { key: q.key, topic: q.topic, difficulty: q.difficulty, type: q.type, prompt: q.prompt, points: q.points });
      const r = response === null ? undefined : (JSON.parse(response) as Response);
      const task = isTaskResponse(r) ? reportTask(r) : undefined;
      return {
        key: q.key,
        position,
        given: details ? (isTaskResponse(r) ? r.answer : responseLine(q, r)) : '',
        right: details ? right(hash, q) : '',
        outcome: outcome ?? 'unanswered',
        points: points ?? 0,
        maxPoints: q.points,
        timeMs,
        ...(task ? { task } : {}),
      };
    });
    const summary = summarize(
      answers.map((a) => ({
        topic: questions.get(a.key)!.topic,
        difficulty: questions.get(a.key)!.difficulty,
        outcome: a.outcome,
        points: a.points,
        maxPoints: a.maxPoints,
      })),
    );
    const marks = def?.topicPassMarks ?? {};
    const topics = Object.fromEntries(
      Object.entries(summary.topics).map(([t, v]) => [
        t,
        { score: v.score, maxScore: v.maxScore, percent: v.percent, passed: marks[t] === undefined ? null : v.percent >= marks[t] },
      ]),
    );
    const passMark = def?.passMark ?? null;
    const passed = passMark === null ? null : summary.percent >= passMark && Object.values(topics).every((t) => t.passed !== false);
    const ability = opts.ability?.(
      answers.map((a) => ({
        key: a.key,
        difficulty: questions.get(a.key)!.difficulty,
        outcome: a.outcome === 'unanswered' && a.timeMs === null ? null : a.outcome,
      })),
      { adaptive: settings.adaptive !== undefined, status: s.status },
    );
    const limit = settings.assessment?.timeLimitMs ?? null;
    const overTime = settings.assessment?.overTime === true;
    const end = s.finished_at ?? (lastAnswer.get(s.id) as string | null);
    // Sittings stored by older imports may hold times that do not parse: unknown, never NaN.
    const span = end ? Date.parse(end) - Date.parse(s.started_at) : NaN;
    const used = Number.isFinite(span) ? Math.max(0, span) : null;
    const publicQuestions = settings.assessment?.packId === undefined ? 0 : (publicOf.get(settings.assessment.packId) ?? 0);
    return {
      sessionId: s.id,
      candidate: s.candidate,
      status: s.status,
      startedAt: s.started_at,
      finishedAt: s.finished_at,
      imported: s.imported_from !== null,
      scripted: settings.mode === 'scripted',
      score: summary.score,
      maxScore: summary.maxScore,
      percent: summary.percent,
      passed,
      // A sitting on this machine stops at its limit (give or take the last write): it shows the
      // limit. One flagged over time shows how long it really took.
      timeUsedMs: used === null ? null : limit !== null && !overTime ? Math.min(used, limit) : used,
      timeLimitMs: limit,
      overTime,
      ...(publicQuestions > 0 ? { publicQuestions } : {}),
      topics,
      answers,
      ...(ability !== undefined && { ability }),
    };
  });
  return {
    title: def?.title ?? title,
    assessment: def
      ? {
          id: def.id,
          title: def.title,
          passMark: def.passMark,
          topicPassMarks: def.topicPassMarks,
          form: def.form,
          timeLimitMs: def.timeLimitMs,
        }
      : null,
    generatedAt: now,
    filters: {
      ...(f.candidate !== undefined ? { candidate: f.candidate } : {}),
      ...(f.since !== undefined ? { since: f.since } : {}),
      ...(f.until !== undefined ? { until: f.until } : {}),
      status: f.status,
    },
    questions: [...questions.values()],
    candidates,
    ...(notices.length ? { notices } : {}),
  };
}

/** A task's tests as the report shows them: passed of run, visible and hidden apart. */
function reportTask(r: { runs?: number; grade?: { tests: ReportTask['tests'] } }): ReportTask {
  const tests = r.grade?.tests ?? [];
  const count = (hidden: boolean) => {
    const of = tests.filter((t) => t.hidden === hidden);
    return { passed: of.filter((t) => t.passed).length, total: of.length };
  };
  return {
    visible: count(false),
    hidden: count(true),
    share: r.grade ? Math.round(taskCredit(r.grade) * 1000) / 1000 : 0,
    runs: r.runs ?? null,
    tests,
  };
}
