// Calibrations in the store: the response matrix a calibration reads from stored sittings, saving
// its result, and reading back the current one for ability estimates and adaptive sittings.
import type { Database } from 'better-sqlite3';
import type { Difficulty } from '../bank/types.js';
import type { Outcome } from '../engine/score.js';
import { abilityOf } from '../psychometrics/ability.js';
import { LABEL_DIFFICULTY } from '../psychometrics/adaptive.js';
import type { Calibration, ItemCalibration } from '../psychometrics/rasch.js';
import type { ResponseMatrix } from '../psychometrics/responses.js';
import { round } from '../engine/summary.js';
import type { AbilityEstimate, ReportStatus } from '../report/model.js';
import { sessionQuery } from './report.js';
import type { Session, SessionDetail, SessionStatus } from './sessions.js';

export interface CalibrationFilter {
  assessment?: string;
  /** Only questions of these topics. */
  topics?: string[];
  /** ISO times: started_at >= since, started_at < until. */
  since?: string;
  until?: string;
  status: ReportStatus[];
}

export interface CalibrationSettings {
  model: 'rasch';
  quadPoints: number;
  minResponses: number;
  tolerance: number;
}

export interface StoredCalibration extends Calibration {
  id: number;
  createdAt: string;
  /** 'sessions', or the name of the response file. */
  source: string;
  filters: Record<string, unknown>;
  dataHash: string;
  settings: CalibrationSettings;
}

/** A calibration as ability estimates name it. */
export type CalibrationRef = Pick<StoredCalibration, 'id' | 'createdAt'>;

/**
 * The answers of the sittings in @ids, one query; exported so a test can check its plan. Each row
 * is the sitting's index in @ids, the question's rowid and its score (1 right; 0 partial, wrong,
 * unanswered or never reached; -1 ungraded): numbers only, since a hundred thousand rows of
 * session ids and keys as strings cost more than the query.
 */
export function responsesSql(topics: boolean): string {
  return `SELECT s.key, q.rowid, CASE a.outcome WHEN 'right' THEN 1 WHEN 'ungraded' THEN -1 ELSE 0 END
            FROM json_each(@ids) AS s
            JOIN session_questions sq ON sq.session_id = s.value
            JOIN questions q ON q.hash = sq.question_hash
            LEFT JOIN answers a ON a.session_id = sq.session_id AND a.position = sq.position
           ${topics ? 'WHERE q.topic IN (SELECT value FROM json_each(@topics))' : ''}`;
}

/**
 * Stored sittings as a response matrix, one person per sitting. A question that was asked but not
 * reached before time ran out counts as unanswered (0), as in the reports; an ungraded answer
 * (a sealed sitting never imported with its key) is missing.
 */
export function responsesFromSessions(db: Database, f: CalibrationFilter): { matrix: ResponseMatrix; sessions: number } {
  const { sql, params } = sessionQuery({
    status: f.status,
    ...(f.assessment !== undefined && { assessment: f.assessment }),
    ...(f.since !== undefined && { since: f.since }),
    ...(f.until !== undefined && { until: f.until }),
  });
  // Only the ids: the sittings' settings and the rest are not needed here.
  const ids = db.prepare(`SELECT id FROM (${sql})`).pluck().all(params) as string[];
  const rows = db
    .prepare(responsesSql(f.topics !== undefined))
    .raw(true)
    .all({ ids: JSON.stringify(ids), ...(f.topics !== undefined && { topics: JSON.stringify(f.topics) }) }) as [
    number,
    number,
    1 | 0 | -1,
  ][];
  // Rows in compressed form: count per sitting, then fill, with question rowids mapped to keys once.
  const keyOf = db.prepare(`SELECT key FROM questions WHERE rowid = ?`).pluck();
  const index = new Map<number, number>();
  const items: string[] = [];
  const personStart = new Int32Array(ids.length + 1);
  for (const [person, , x] of rows) if (x >= 0) personStart[person + 1]!++;
  for (let p = 0; p < ids.length; p++) personStart[p + 1]! += personStart[p]!;
  const fill = personStart.slice(0, ids.length);
  const item = new Int32Array(personStart[ids.length]!);
  const score = new Uint8Array(item.length);
  for (const [person, rowid, x] of rows) {
    if (x < 0) continue;
    let i = index.get(rowid);
    if (i === undefined) {
      i = items.push(keyOf.get(rowid) as string) - 1;
      index.set(rowid, i);
    }
    const at = fill[person]!++;
    item[at] = i;
    score[at] = x;
  }
  return { matrix: { items, personStart, item, x: score }, sessions: ids.length };
}

export function saveCalibration(db: Database, c: Calibration, meta: Omit<StoredCalibration, keyof Calibration | 'id'>): number {
  return db
    .transaction(() => {
      const { lastInsertRowid } = db
        .prepare(
          `INSERT INTO calibrations (created_at, source, filters, data_hash, persons, responses, settings, log_lik, iterations, converged)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          meta.createdAt,
          meta.source,
          JSON.stringify(meta.filters),
          meta.dataHash,
          c.persons,
          c.responses,
          JSON.stringify(meta.settings),
          c.logLik,
          c.iterations,
          c.converged ? 1 : 0,
        );
      const id = Number(lastInsertRowid);
      const item = db.prepare(
        `INSERT INTO calibration_items (calibration_id, key, status, n, facility, b, se, infit, outfit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const i of c.items) item.run(id, i.key, i.status, i.n, i.facility, i.b, i.se, i.infit, i.outfit);
      return id;
    })
    .immediate();
}

interface CalibrationRow {
  id: number;
  created_at: string;
  source: string;
  filters: string;
  data_hash: string;
  persons: number;
  responses: number;
  settings: string;
  log_lik: number;
  iterations: number;
  converged: number;
}

function rowToCalibration(db: Database, r: CalibrationRow): StoredCalibration {
  const items = db
    .prepare(`SELECT key, status, n, facility, b, se, infit, outfit FROM calibration_items WHERE calibration_id = ? ORDER BY key`)
    .all(r.id) as ItemCalibration[];
  const settings = JSON.parse(r.settings) as CalibrationSettings;
  return {
    id: r.id,
    createdAt: r.created_at,
    source: r.source,
    filters: JSON.parse(r.filters) as Record<string, unknown>,
    dataHash: r.data_hash,
    settings,
    items,
    persons: r.persons,
    responses: r.responses,
    logLik: r.log_lik,
    iterations: r.iterations,
    converged: r.converged === 1,
    quadPoints: settings.quadPoints,
  };
}

/** The current calibration: the one made last. */
export function latestCalibration(db: Database): StoredCalibration | null {
  const row = db.prepare(`SELECT * FROM calibrations ORDER BY id DESC LIMIT 1`).get() as CalibrationRow | undefined;
  return row ? rowToCalibration(db, row) : null;
}

export function getCalibration(db: Database, id: number): StoredCalibration | null {
  const row = db.prepare(`SELECT * FROM calibrations WHERE id = ?`).get(id) as CalibrationRow | undefined;
  return row ? rowToCalibration(db, row) : null;
}

/** Difficulty by question key, for the items the calibration could estimate. */
export function difficulties(c: Calibration): Map<string, number> {
  return new Map(c.items.flatMap((i) => (i.b === null ? [] : [[i.key, i.b] as const])));
}

/** A question of a sitting as an ability estimate reads it. */
export interface AnsweredItem {
  key: string;
  difficulty: Difficulty;
  outcome: Outcome | null;
}

/** Each session's questions and outcomes, for ability estimates; exported so a test can check its plan. */
export const OUTCOMES_SQL = `SELECT sq.session_id, q.key, a.outcome, q.difficulty
                               FROM json_each(@ids) AS s
                               JOIN session_questions sq ON sq.session_id = s.value
                               JOIN questions q ON q.hash = sq.question_hash
                               LEFT JOIN answers a ON a.session_id = sq.session_id AND a.position = sq.position`;

/** Each session's questions and outcomes, for ability estimates over a list of sessions. */
export function outcomesBySession(db: Database, ids: readonly string[]): Map<string, AnsweredItem[]> {
  const rows = db
    .prepare(OUTCOMES_SQL)
    .raw(true)
    .all({ ids: JSON.stringify(ids) }) as [string, string, Outcome | null, Difficulty][];
  const out = new Map<string, AnsweredItem[]>(ids.map((id) => [id, []]));
  for (const [session, key, outcome, difficulty] of rows) out.get(session)?.push({ key, outcome, difficulty });
  return out;
}

/** A calibration ready to measure sittings against: its difficulties by question key. */
export interface Scale {
  calibration: CalibrationRef;
  known: Map<string, number>;
}

export const scaleOf = (c: StoredCalibration | null): Scale | null =>
  c ? { calibration: { id: c.id, createdAt: c.createdAt }, known: difficulties(c) } : null;

/**
 * A sitting's ability against the calibration (the questions it has a difficulty for); without
 * one, an adaptive sitting is still measured as it was run, on its difficulty labels, and any
 * other sitting has none (undefined). A question with no answer counts as unanswered once the
 * sitting is closed; while it can still be resumed, it is not counted yet.
 */
export function abilityEstimate(
  items: readonly AnsweredItem[],
  scale: Scale | null,
  sitting: { adaptive: boolean; status: SessionStatus },
): AbilityEstimate | null | undefined {
  if (!scale && !sitting.adaptive) return undefined;
  const known = scale?.known ?? new Map(items.map((i) => [i.key, LABEL_DIFFICULTY[i.difficulty]]));
  const open = sitting.status === 'in_progress' || sitting.status === 'abandoned';
  const a = abilityOf(open ? items.filter((i) => i.outcome !== null) : items, (k) => known.get(k));
  return a && { ...abilityJson(a), calibration: scale?.calibration ?? null };
}

/** Estimates rounded as every output shows them: θ and SE to three decimals. */
export const abilityJson = <T extends { theta: number; se: number }>(a: T): T => ({ ...a, theta: round(a.theta, 3), se: round(a.se, 3) });

/** The questions of a stored sitting as an ability estimate reads them. */
export function answeredItems(detail: SessionDetail): AnsweredItem[] {
  return detail.items.map((i) => ({ key: i.question.key, difficulty: i.question.difficulty, outcome: i.answer?.outcome ?? null }));
}

/** The ability of one stored sitting against the current calibration (see abilityEstimate). */
export function sessionAbility(db: Database, detail: SessionDetail): AbilityEstimate | null | undefined {
  const s = detail.session;
  return abilityEstimate(answeredItems(detail), scaleOf(latestCalibration(db)), {
    adaptive: s.settings.adaptive !== undefined,
    status: s.status,
  });
}

/** The abilities of many sessions, for history and reports, in one query. */
export function sessionAbilities(db: Database, sessions: readonly Session[]): Map<string, AbilityEstimate | null | undefined> {
  const scale = scaleOf(latestCalibration(db));
  const adaptive = sessions.some((s) => s.settings.adaptive);
  if (!scale && !adaptive) return new Map();
  const items = outcomesBySession(
    db,
    sessions.map((s) => s.id),
  );
  return new Map(
    sessions.map((s) => [
      s.id,
      abilityEstimate(items.get(s.id) ?? [], scale, { adaptive: s.settings.adaptive !== undefined, status: s.status }),
    ]),
  );
}
