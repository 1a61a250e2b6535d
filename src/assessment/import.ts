// Importing result files on the interviewer's machine. A result file is written by the candidate's
// copy of the program and held by the candidate, so nothing in it is trusted but the answers, and
// those are judged against what the interviewer holds: the form (which questions, in which order,
// with which choice order) is recomputed from the interviewer's definition and banks or the pack's
// key, the time limit and pass marks come from the interviewer's definition, and each answer is
// graded here against the interviewer's questions.
import { availableParallelism } from 'node:os';
import type { Database } from 'better-sqlite3';
import { isTask, type Bank, type Question, type Task } from '../bank/types.js';
import { MAX_TEXT_ANSWER, scoreResponse, type Response, type TaskGrade, type TaskResponse } from '../engine/score.js';
import type { AnswerRecord } from '../engine/quiz.js';
import { UserError } from '../errors.js';
import { getPackKey, localAssessment } from '../store/assessments.js';
import { createSession, closeSession, questionHash, recordAnswer, stmt, type SessionStatus } from '../store/sessions.js';
import { summarize } from '../engine/summary.js';
import type { Assessment } from './definition.js';
import { canonicalJson } from './digest.js';
import { drawForm } from './form.js';
import { drawPackForm, sealQuestion, unsealedShape, type Pack, type PackKey } from './pack.js';
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
function checkResponse(q: Question, r: unknown, at: number): Response | undefined {
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
    case 'sql':
    case 'code': {
      const t = r as Partial<TaskResponse>;
      if (typeof r !== 'object' || Array.isArray(r) || typeof t.answer !== 'string') bad('the answer is not a task answer {answer, runs}');
      if (t.runs !== undefined && !(Number.isInteger(t.runs) && t.runs >= 0 && t.runs <= MAX_RUNS))
        bad('its count of runs is not a small whole number');
      // A grade the file carries is dropped here: only the run on this machine decides it.
      return { answer: t.answer!, ...(t.runs !== undefined ? { runs: t.runs } : {}) };
    }
  }
}

/** More runs than anyone makes in a sitting: a count beyond it was not written by a sitting. */
const MAX_RUNS = 100_000;

/** Choice indices of `q` in the order the file says they were shown. */
function shownOrder(q: Question, shown: readonly string[], at: number): number[] {
  if (!('choices' in q)) return [];
  const order = shown.map((t) => q.choices.findIndex((c) => c.text === t));
  if (order.length !== q.choices.length || order.includes(-1) || new Set(order).size !== order.length) {
    throw new UserError(`question ${at + 1} (${q.key}): the choices it lists do not match the question`);
  }
  return order;
}

/**
 * How long past its time limit a sitting's answers still count. A sitting on the candidate's
 * machine stops at the limit; this covers the moment between the clock running out and the last
 * answer being written, and a little clock drift, without giving anyone a useful extra minute.
 */
export const GRACE_MS = 30_000;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds of an ISO 8601 timestamp, or a refusal naming the field. */
function time(value: string, what: string): number {
  const ms = ISO.test(value) ? Date.parse(value) : NaN;
  // Date.parse rolls 2026-02-30 over to March 2: a day the calendar does not have is refused too.
  const [y, m, d] = value.split(/[-T]/, 3).map(Number) as [number, number, number];
  if (!Number.isFinite(ms) || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d)
    throw new UserError(`its ${what} is not a date and time ('${value.slice(0, 40)}'): the file was edited or damaged`);
  return ms;
}

interface Timing {
  /** When the clock started: the start code's opening of a locked pack, else the start. */
  clock: number;
  /** Answer times in ms (null: never answered), by position. */
  answered: (number | null)[];
  end: number | null;
}

/** How far ahead of this machine's clock a candidate's clock may run before its times are refused. */
const CLOCK_SKEW_MS = 24 * 3600_000;

/**
 * Every timestamp parses and they are in order: start, opening, answers, finish, and not ahead of
 * now. `opens`: whether the interviewer's copy says a start code opened the pack, which is the
 * only case where the clock runs from the opening rather than the start.
 */
function checkTimes(r: ResultFile, now: number, opens: boolean): Timing {
  const start = time(r.session.startedAt, 'start time (startedAt)');
  const opened = r.session.openedAt === undefined ? undefined : time(r.session.openedAt, 'opening time (openedAt)');
  const end = r.session.finishedAt === null ? null : time(r.session.finishedAt, 'finish time (finishedAt)');
  const refuse = (what: string): never => {
    throw new UserError(`its times are out of order: ${what}; the file was edited or damaged`);
  };
  if (end !== null && end < start) refuse('it finished before it started');
  if (opened !== undefined && !opens)
    throw new UserError(`it says a start code opened the pack, but no start code locked it; the file was edited or damaged`);
  if (opened !== undefined && (opened < start || (end !== null && opened > end))) refuse('the pack was opened outside the sitting');
  const answered = r.questions.map((q, at) => {
    if (q.answeredAt === null) return null;
    const t = time(q.answeredAt, `answer time of question ${at + 1}`);
    if (t < (opened ?? start) || (end !== null && t > end)) refuse(`question ${at + 1} was answered outside the sitting`);
    return t;
  });
  const latest = Math.max(start, end ?? start, ...answered.map((t) => t ?? start));
  if (latest > now + CLOCK_SKEW_MS) refuse(`it ends on ${new Date(latest).toISOString().slice(0, 10)}, in the future`);
  return { clock: opened ?? start, answered, end };
}

/** One line saying where a result's questions part from the form it should have. */
function formDifference(
  listed: readonly { key: string; choices: readonly string[] }[],
  form: readonly { key: string; choices: readonly string[] }[],
): string | undefined {
  if (listed.length === 0) return `it lists no questions; the form has ${form.length}`;
  for (let i = 0; i < Math.max(listed.length, form.length); i++) {
    const got = listed[i];
    const want = form[i];
    if (!got) return `it lists ${listed.length} questions; the form has ${form.length}`;
    if (!want) return `it lists ${listed.length} questions; the form has ${form.length} (question ${i + 1} is '${got.key}')`;
    if (got.key !== want.key) return `question ${i + 1} is '${got.key}'; the form has '${want.key}' there`;
    if (canonicalJson(got.choices) !== canonicalJson(want.choices))
      return `question ${i + 1} (${got.key}) shows its choices in another order than the form's`;
  }
  return undefined;
}

/**
 * The form of a sealed sitting as the interviewer's key draws it. A key written before keys
 * recorded the pack's sections can still check a fixed form (every question of the key, once);
 * a per-candidate form cannot be recomputed without them, so such a result is refused.
 */
function sealedForm(key: PackKey, seed: number): { key: string; choices: string[] }[] | 'any-order' {
  const texts = (k: string): string[] => {
    const q = key.questions[k];
    return q && 'choices' in q ? q.choices.map((c) => c.text) : [];
  };
  const sections: Pack['sections'] | undefined = key.sections;
  if (!sections) {
    if (key.assessment.form === 'fixed') return 'any-order';
    throw new UserError(
      `the key of pack ${key.pack} was written by an older backend-quiz and does not record the pack's sections, so a per-candidate form cannot be checked against it; import this result with the version that made the pack, or seal a new pack for later sittings`,
    );
  }
  return drawPackForm(sections, key.assessment.form, key.assessment.form === 'fixed' ? 0 : seed, (k) => texts(k).length).map((d) => ({
    key: d.key,
    choices: d.choiceOrder.map((i) => texts(d.key)[i]!),
  }));
}

type Form = { key: string; choices: string[] }[];

/** Forms drawn per set of banks, by definition digest and seed: a fixed form is drawn once per run. */
const drawnForms = new WeakMap<readonly Bank[], Map<string, Form>>();

/** The form an unsealed sitting of `def` with `seed` was asked, from the interviewer's banks. */
function unsealedForm(def: Assessment, banks: readonly Bank[], seed: number): Form {
  let forms = drawnForms.get(banks);
  if (!forms) drawnForms.set(banks, (forms = new Map()));
  const id = `${def.digest}\0${seed}`;
  let form = forms.get(id);
  if (!form) {
    form = drawForm(def, banks, seed).map((d) => ({
      key: d.question.key,
      choices: 'choices' in d.question ? d.choiceOrder.map((i) => (d.question as { choices: { text: string }[] }).choices[i]!.text) : [],
    }));
    forms.set(id, form);
  }
  return form;
}

/**
 * The check an older key allows for a fixed form: every question of the pack once, each with its
 * choices in the pack's order (a fixed pack form shows them as sealed). The order of the questions
 * is not checked: a key's questions are a JSON object, whose order a tool may have changed.
 */
function everyQuestionOnce(listed: readonly { key: string; choices: readonly string[] }[], key: PackKey): string | undefined {
  const all = Object.keys(key.questions).length;
  const distinct = new Set(listed.map((q) => q.key)).size;
  if (listed.length === 0) return `it lists no questions; the pack has ${all}`;
  if (distinct !== listed.length || listed.length !== all)
    return `it lists ${listed.length} questions (${distinct} different); the pack has ${all}`;
  const at = listed.findIndex((l) => {
    const q = key.questions[l.key];
    return q && canonicalJson(l.choices) !== canonicalJson('choices' in q ? q.choices.map((c) => c.text) : []);
  });
  return at < 0 ? undefined : `question ${at + 1} (${listed[at]!.key}) shows its choices in another order than the pack's`;
}

const HOW_TO_ADD = (id: string): string =>
  `add the interviewer's definition first: backend-quiz import --assessment <${id}.yaml> <results>, or backend-quiz assessment check <${id}.yaml>`;

/**
 * Grades and stores one result file; idempotent by session id and digest. `banks` are the
 * interviewer's banks (built-in and --banks), from which an unsealed form is drawn again.
 */
export function importResult(
  db: Database,
  r: ResultFile,
  fileName: string,
  lookup: QuestionLookup,
  now: string,
  banks: () => readonly Bank[] = () => [],
  grades: TaskGrades = new Map(),
): ImportOutcome {
  const checked = checkResult(db, r, fileName, lookup, now, banks);
  return checked.kind === 'present' ? checked : store(db, r, checked, fileName, now, grades);
}

/** Grades of a result's tasks, by position: computed on this machine before the file is stored. */
export type TaskGrades = ReadonlyMap<number, TaskGrade>;

/** The task answers of a result that import runs, each with the interviewer's task. */
export type TaskAnswers = { position: number; task: Task; answer: string }[];

/**
 * The answered tasks of a result, checked as import checks the whole file (a refused file throws
 * the same UserError), for grading before the file is stored. Empty when it was already imported.
 */
export function taskAnswers(
  db: Database,
  r: ResultFile,
  fileName: string,
  lookup: QuestionLookup,
  now: string,
  banks: () => readonly Bank[] = () => [],
): TaskAnswers {
  const checked = checkResult(db, r, fileName, lookup, now, banks);
  if (checked.kind === 'present') return [];
  return checked.items.flatMap((i, position) =>
    isTask(i.question) && i.response !== undefined && i.rq.answeredAt !== null && !checked.late[position]
      ? [{ position, task: i.question, answer: (i.response as TaskResponse).answer }]
      : [],
  );
}

/**
 * Runs each answer on this machine, in the sandbox and with the limits of the interviewer's task,
 * against all its tests. An answer that loops, exhausts memory or reaches for the host fails its
 * tests with the reason; nothing it does stops the import.
 */
export async function gradeTaskAnswers(answers: TaskAnswers): Promise<Map<number, TaskGrade>> {
  const grades = await gradeAll(answers);
  return new Map(answers.map((a, i) => [a.position, grades[i]!]));
}

/**
 * Grades answers, several at once: each run has a Worker of its own, and starting an engine costs
 * more than most answers take to run, so a folder of results is graded up to as many times faster
 * as there are cores. An answer's clock starts only once its engine has started, so the start-up
 * of engines side by side does not count against its time limit; no more runs share the machine
 * than it has cores (at most four), which keeps an honest answer far inside its limit.
 */
export async function gradeAll(
  answers: readonly { task: Task; answer: string }[],
  concurrency = Math.min(4, availableParallelism()),
): Promise<TaskGrade[]> {
  const out: TaskGrade[] = new Array<TaskGrade>(answers.length);
  if (!answers.length) return out;
  const { gradeOf, runTask } = await import('../tasks/index.js');
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < answers.length) {
      const i = next++;
      out[i] = gradeOf(await runTask(answers[i]!.task, answers[i]!.answer, { hidden: true }));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return out;
}

/** importResult for results that may hold tasks: grades them, then stores the file in one transaction. */
export async function importGraded(
  db: Database,
  r: ResultFile,
  fileName: string,
  lookup: QuestionLookup,
  now: string,
  banks: () => readonly Bank[] = () => [],
): Promise<ImportOutcome> {
  const grades = await gradeTaskAnswers(taskAnswers(db, r, fileName, lookup, now, banks));
  return db.transaction(() => importResult(db, r, fileName, lookup, now, banks, grades)).immediate();
}

interface Checked {
  kind: 'checked';
  def: Assessment;
  mode: 'interactive' | 'scripted';
  items: { question: Question; choiceOrder: number[]; response: Response | undefined; rq: ResultFile['questions'][number] }[];
  late: boolean[];
  overTime: boolean;
}

/** Everything import checks before it writes: the form, the answers' fit, the times. */
function checkResult(
  db: Database,
  r: ResultFile,
  fileName: string,
  lookup: QuestionLookup,
  now: string,
  banks: () => readonly Bank[],
): Extract<ImportOutcome, { kind: 'present' }> | Checked {
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
  const listed = r.questions.map((q) => ({ key: q.key, choices: q.choices }));
  const edited = 'the file was edited or does not belong to this assessment; ask the candidate for the original result file';
  let def: Assessment;
  let full: (key: string, hash: string, at: number) => Question;
  // Only a locked pack has an opening; a key from before keys said so (no sections) cannot tell.
  let opens = false;
  if (a.sealed) {
    if (!a.pack) throw new UserError('a sealed result must name its pack');
    const key = getPackKey(db, a.pack);
    if (!key) {
      throw new UserError(
        `sealed result of pack ${a.pack} ('${a.id}'): its answer key is not in this database. Import it on the machine that made the pack, or name the key file: backend-quiz import --key <key.json> <results>`,
      );
    }
    if (key.packDigest !== a.packDigest)
      throw new UserError(`it was taken from a different version of pack ${a.pack} than the key here describes`);
    def = key.assessment;
    opens = key.locked === true || key.sections === undefined;
    const form = sealedForm(key, r.session.seed);
    const differs = form === 'any-order' ? everyQuestionOnce(listed, key) : formDifference(listed, form);
    if (differs) throw new UserError(`its questions are not the form of pack ${a.pack}: ${differs}; ${edited}`);
    full = (k, hash, at) => {
      const q = key.questions[k];
      if (!q) throw new UserError(`question ${at + 1}: '${k}' is not a question of pack ${a.pack}`);
      // The candidate must have been shown exactly the sealed form of this question.
      const sealed = unsealedShape(k, sealQuestion(q));
      if (questionHash(sealed) !== hash) throw new UserError(`question ${at + 1} (${k}): its content differs from the pack's`);
      return q;
    };
  } else {
    const own = localAssessment(db, a.digest);
    if (!own) throw new UserError(`assessment '${a.id}' (${a.digest.slice(0, 19)}…) is not known on this machine; ${HOW_TO_ADD(a.id)}`);
    // The copy the file carries is never used; one that differs from the interviewer's was edited.
    if (a.definition !== null && (a.definition.digest !== own.digest || canonicalJson(a.definition) !== canonicalJson(own)))
      throw new UserError(
        `the definition of '${a.id}' it carries does not match its digest (it differs from the interviewer's definition with that digest); the file was edited`,
      );
    if (a.id !== own.id) throw new UserError(`it names assessment '${a.id}', but its digest is that of '${own.id}'; the file was edited`);
    def = own;
    const differs = formDifference(listed, unsealedForm(def, banks(), def.form === 'fixed' ? def.seed : r.session.seed));
    if (differs)
      throw new UserError(
        `its questions are not the form of '${a.id}' drawn from the banks here: ${differs}; ${edited} (if the assessment draws on banks of your own, give them with --banks <dir>)`,
      );
    full = (k, hash, at) => {
      const q = lookup(hash);
      if (!q || q.key !== k)
        throw new UserError(
          `question ${at + 1} (${k}) is not known here in the version the candidate saw; import with the banks the assessment used (--banks <dir>)`,
        );
      return q;
    };
  }
  refusesScripted(def);
  const timing = checkTimes(r, Date.parse(now), opens);
  const items = r.questions.map((rq, at) => {
    if (rq.position !== at) throw new UserError(`question positions are not 0, 1, 2, … in order`);
    const question = full(rq.key, rq.contentHash, at);
    if (rq.type !== question.type)
      throw new UserError(`question ${at + 1} (${rq.key}): it says it is a ${rq.type} question; it is a ${question.type} one; ${edited}`);
    return { question, choiceOrder: shownOrder(question, rq.choices, at), response: checkResponse(question, rq.response, at), rq };
  });
  // The limit is the interviewer's; the file's own `timeLimitMs` is ignored.
  const limit = def.timeLimitMs;
  const deadline = limit === null ? Infinity : timing.clock + limit + GRACE_MS;
  const late = timing.answered.map((t) => t !== null && t > deadline);
  const lastAnswer = Math.max(-Infinity, ...timing.answered.filter((t): t is number => t !== null));
  const overTime = late.includes(true) || (timing.end ?? lastAnswer) > deadline;
  return { kind: 'checked', def, mode, items, late, overTime };
}

function store(db: Database, r: ResultFile, checked: Checked, fileName: string, now: string, grades: TaskGrades): ImportOutcome {
  const { def, mode, items, late, overTime } = checked;
  const a = r.assessment;
  const limit = def.timeLimitMs;
  for (const [position, i] of items.entries()) {
    if (!isTask(i.question) || i.response === undefined) continue;
    const grade = grades.get(position);
    // Without a grade from this machine a task would be stored as the file left it: a bug, not input.
    if (!grade && i.rq.answeredAt !== null && !late[position]) throw new Error(`task at position ${position} was not graded before import`);
    i.response = { ...(i.response as TaskResponse), ...(grade ? { grade } : {}) };
  }
  db.transaction(() => {
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
          id: def.id,
          title: def.title,
          digest: def.digest,
          timeLimitMs: limit,
          form: def.form,
          sealed: a.sealed,
          ...(a.pack ? { packId: a.pack } : {}),
          ...(a.packDigest ? { packDigest: a.packDigest } : {}),
          ...(r.session.openedAt !== undefined ? { openedAt: r.session.openedAt } : {}),
          ...(overTime ? { overTime: true as const } : {}),
        },
      },
      items: items.map(({ question, choiceOrder }) => ({ question, choiceOrder })),
      imported: { from: fileName, at: now, sourceDigest: r.digest },
    });
    const graded = items.map((i, position) => {
      const score = scoreResponse(i.question, i.response);
      // A question never reached, or answered after the limit, has no answer row, as in a sitting
      // on this machine (which stops asking when the clock runs out).
      const counts = i.rq.answeredAt !== null && !late[position];
      if (counts)
        recordAnswer(
          db,
          r.session.id,
          { position, item: i, response: i.response, timeMs: i.rq.timeMs ?? 0, ...score } satisfies AnswerRecord,
          i.rq.answeredAt!,
        );
      return {
        topic: i.question.topic,
        difficulty: i.question.difficulty,
        ...(counts ? score : { outcome: 'unanswered' as const, points: 0, maxPoints: i.question.points }),
      };
    });
    const claimed = r.session.status === 'in_progress' ? 'abandoned' : r.session.status;
    // A sitting that ran past its limit did not finish within it, whatever the file says.
    const status = (overTime && claimed === 'finished' ? 'timed_out' : claimed) as Exclude<SessionStatus, 'in_progress'>;
    closeSession(db, r.session.id, status, summarize(graded), r.session.finishedAt ?? now);
  }).immediate();
  return { kind: 'imported', sessionId: r.session.id, candidate: r.session.candidate };
}
