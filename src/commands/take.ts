import os from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { MAX_ANSWERS_BYTES, parseAnswers } from '../bank/answers.js';
import { requireBanks } from '../bank/load.js';
import { DIFFICULTIES, formatProblem, type Bank, type Difficulty, type Question } from '../bank/types.js';
import { drawForm } from '../assessment/form.js';
import { requireAssessment } from '../assessment/load.js';
import { readTextFile } from '../files.js';
import { MAX_PACK_BYTES, packItems, readPack } from '../assessment/pack.js';
import { deadlineOf, firstUnanswered, resumeSitting, startSitting, storedItems, type NewSitting, type SittingOutcome } from '../assessment/sitting.js';
import type { Answerer, AnswerRecord } from '../engine/quiz.js';
import { MAX_SEED } from '../engine/rng.js';
import { scriptedAnswerer } from '../engine/scripted.js';
import { selectQuestions, type QuizItem } from '../engine/select.js';
import { EXIT, InterruptedError, UserError, type Stop } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { sessionJson, toJson } from '../report/json.js';
import { renderResumable, renderReview, renderSummary } from '../report/text.js';
import { saveAssessment } from '../store/assessments.js';
import { openStore, storeError } from '../store/db.js';
import { getSession, resumableSessions, type SessionDetail, type SittingInfo } from '../store/sessions.js';
import { safeLine } from '../text.js';
import { omittedLine } from '../yaml.js';
import type { Briefing } from '../ui/prompts.js';
import { resolveContext, type CommonOptions, type Context } from './context.js';

export const FEEDBACK = ['immediate', 'end', 'none'] as const;
export type Feedback = (typeof FEEDBACK)[number];

export interface TakeOptions extends CommonOptions {
  topic?: string[];
  count?: number;
  difficulty?: string[];
  seed?: number;
  candidate?: string;
  feedback?: string;
  answers?: string;
  json?: boolean;
  /** An assessment file (YAML) to sit. */
  assessment?: string;
  /** Resume a stopped sitting: its id, or true to list the resumable ones. */
  resume?: string | boolean;
  /** Where an assessment's result file is written (default: the current directory). */
  out?: string;
  /** Clock, for tests. */
  now?: () => Date;
  /** Builds the interactive answerer; tests replace it. Defaults to the Inquirer one. */
  interactive?: (ctx: Context, signal: AbortSignal) => Promise<Answerer>;
}

function checkTopics(banks: readonly Bank[], topics: readonly string[]): void {
  const known = new Set(banks.map((b) => b.id));
  const unknown = topics.filter((t) => !known.has(t));
  if (unknown.length) {
    throw new UserError(`unknown topic${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `'${safeLine(t)}'`).join(', ')}; available: ${[...known].sort().join(', ')}`);
  }
}

function checkDifficulties(values: readonly string[]): Difficulty[] {
  const bad = values.filter((d) => !(DIFFICULTIES as readonly string[]).includes(d));
  if (bad.length) throw new UserError(`unknown difficulty '${safeLine(bad[0]!)}'; use ${DIFFICULTIES.join(', ')}`);
  return [...new Set(values)] as Difficulty[];
}

function defaultCandidate(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'candidate';
  }
}

const cleanName = (name: string): string => safeLine(name.trim()).slice(0, 100) || 'candidate';

function loadAnswers(file: string, ctx: Context, questions: readonly Question[], signal: AbortSignal): Answerer {
  const text = readTextFile(file, ctx.cwd, 'an answers file', MAX_ANSWERS_BYTES);
  const { answers, problems, omitted } = parseAnswers(text, file, new Map(questions.map((q) => [q.key, q] as const)));
  if (problems.length) throw new UserError([...problems.map(formatProblem), ...(omitted ? [omittedLine(file, omitted)] : []), 'Fix the answers file above.'].join('\n'));
  return scriptedAnswerer(answers, signal);
}

/** What to ask, decided before the database is opened (so bad input changes nothing). */
interface Plan {
  /** A new sitting, or the id of a stopped one to resume. */
  sitting: NewSitting | { resume: SessionDetail };
  feedback: Feedback;
  /** Shown before the first question in a terminal. */
  briefing?: Briefing;
  /** Questions an answers file may name. */
  questions: Question[];
  /** A fresh assessment definition to record with the sitting. */
  save?: Parameters<typeof saveAssessment>[1];
}

function plainPlan(opts: TakeOptions, ctx: Context, interactive: boolean): Plan {
  const feedback = (opts.feedback ?? 'end') as Feedback;
  if (!FEEDBACK.includes(feedback)) throw new UserError(`--feedback must be one of ${FEEDBACK.join(', ')}`);
  const count = opts.count ?? 10;
  if (!Number.isInteger(count) || count < 1) throw new UserError('--count must be a whole number of 1 or more');
  const difficulties = checkDifficulties(opts.difficulty?.length ? opts.difficulty : [...DIFFICULTIES]);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const topics = opts.topic?.length ? [...new Set(opts.topic)] : banks.map((b) => b.id);
  checkTopics(banks, topics);
  const seed = opts.seed ?? randomInt(0, MAX_SEED);
  const items = selectQuestions(banks, { topics, count, difficulties, seed });
  if (items.length === 0) throw new UserError(`no questions match topics ${topics.join(', ')} at difficulty ${difficulties.join(', ')}`);
  return {
    sitting: {
      candidate: cleanName(opts.candidate ?? defaultCandidate()),
      seed,
      items,
      settings: { topics, count: items.length, difficulties, feedback, mode: interactive ? 'interactive' : 'scripted' },
    },
    feedback,
    questions: banks.flatMap((b) => b.questions),
  };
}

const topicsOf = (items: readonly QuizItem[]): string[] => [...new Set(items.map((i) => i.question.topic))].sort();

/** A sitting of an assessment, from its file or from a sealed pack. */
function assessmentSitting(items: QuizItem[], seed: number, info: SittingInfo, feedback: 'none' | 'end', instructions: string, opts: TakeOptions, interactive: boolean): Plan {
  return {
    sitting: {
      candidate: cleanName(opts.candidate ?? defaultCandidate()),
      seed,
      items,
      settings: { topics: topicsOf(items), count: items.length, difficulties: [...DIFFICULTIES], feedback, mode: interactive ? 'interactive' : 'scripted', assessment: info },
    },
    feedback,
    briefing: { title: info.title, instructions, questions: items.length, timeLimitMs: info.timeLimitMs, ...(opts.candidate === undefined ? { askName: defaultCandidate() } : {}) },
    questions: items.map((i) => i.question),
  };
}

function assessmentPlan(file: string, opts: TakeOptions, ctx: Context, interactive: boolean): Plan {
  const { assessment: a, banks } = requireAssessment(file, ctx.cwd, ctx.bankDirs, ctx.cacheDir);
  const seed = a.form === 'fixed' ? a.seed : (opts.seed ?? randomInt(0, MAX_SEED));
  const info: SittingInfo = { id: a.id, title: a.title, digest: a.digest, timeLimitMs: a.timeLimitMs, form: a.form, sealed: false };
  return { ...assessmentSitting(drawForm(a, banks, seed), seed, info, a.feedback, a.instructions, opts, interactive), save: a };
}

function packPlan(file: string, opts: TakeOptions, ctx: Context, interactive: boolean): Plan {
  const pack = readPack(readTextFile(file, ctx.cwd, 'a pack file', MAX_PACK_BYTES), file);
  const a = pack.assessment;
  const seed = a.form === 'fixed' ? 0 : (opts.seed ?? randomInt(0, MAX_SEED));
  const info: SittingInfo = { id: a.id, title: a.title, digest: a.digest, timeLimitMs: a.timeLimitMs, form: a.form, sealed: true, packId: pack.id, packDigest: pack.digest };
  return assessmentSitting(packItems(pack, seed), seed, info, 'none', a.instructions, opts, interactive);
}

function resumePlan(detail: SessionDetail, now: Date): Plan {
  const s = detail.session;
  if (s.status !== 'in_progress' && s.status !== 'abandoned') throw new UserError(`session ${s.id} is ${s.status.replace('_', ' ')}; there is nothing to resume ('backend-quiz take --resume' lists the sittings that can be resumed)`);
  if (s.importedFrom !== null) throw new UserError(`session ${s.id} was imported from ${s.importedFrom}; only a sitting taken on this machine can be resumed`);
  const answered = firstUnanswered(detail);
  if (answered >= detail.items.length) throw new UserError(`session ${s.id} has every question answered; there is nothing to resume`);
  const deadline = deadlineOf(detail);
  const info = s.settings.assessment;
  const leftMs = deadline === undefined ? null : deadline - now.getTime();
  return {
    sitting: { resume: detail },
    feedback: s.settings.feedback as Feedback,
    // A sitting whose time ran out while away is closed at once, without a briefing.
    ...(leftMs === null || leftMs > 0
      ? { briefing: { title: info?.title ?? `Quiz ${s.id}`, instructions: '', questions: detail.items.length, timeLimitMs: info?.timeLimitMs ?? null, resume: { answered, leftMs } } }
      : {}),
    questions: storedItems(detail).map((i) => i.question),
  };
}

export async function run(packOrOpts: string | TakeOptions | undefined, maybeOpts?: TakeOptions): Promise<number> {
  const opts = (typeof packOrOpts === 'object' ? packOrOpts : maybeOpts) ?? {};
  const packFile = typeof packOrOpts === 'string' ? packOrOpts : undefined;
  const ctx = resolveContext(opts);
  const now = opts.now ?? (() => new Date());
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > MAX_SEED)) {
    throw new UserError(`--seed must be a whole number from 0 to ${MAX_SEED}`);
  }
  if (packFile !== undefined && opts.assessment !== undefined) throw new UserError('give either a pack file or --assessment, not both');
  if (opts.resume !== undefined && (packFile !== undefined || opts.assessment !== undefined)) throw new UserError('--resume continues a stored sitting; it takes no pack or --assessment');

  const dbPath = resolveDbPath(ctx.db, ctx.env);
  try {
    return await sitting(opts, packFile, ctx, now, dbPath);
  } catch (e) {
    throw storeError(e, dbPath);
  }
}

async function sitting(opts: TakeOptions, packFile: string | undefined, ctx: Context, now: () => Date, dbPath: string): Promise<number> {
  if (opts.resume === true) {
    const db = openStore(dbPath, 'read');
    try {
      ctx.stdout.write(`${renderResumable(resumableSessions(db), ctx.paint)}\n`);
    } finally {
      db.close();
    }
    return EXIT.ok;
  }

  const interactive = opts.answers === undefined;
  let db: Database | undefined;
  let resumeDetail: SessionDetail | undefined;
  if (typeof opts.resume === 'string') {
    db = openStore(dbPath);
    try {
      resumeDetail = getSession(db, opts.resume);
    } catch (e) {
      db.close();
      throw e;
    }
  }
  let plan: Plan;
  try {
    plan = resumeDetail
      ? resumePlan(resumeDetail, now())
      : packFile !== undefined
        ? packPlan(packFile, opts, ctx, interactive)
        : opts.assessment !== undefined
          ? assessmentPlan(opts.assessment, opts, ctx, interactive)
          : plainPlan(opts, ctx, interactive);
  } catch (e) {
    db?.close();
    throw e;
  }

  if (interactive && !ctx.stdin.isTTY && !opts.interactive) {
    db?.close();
    throw new UserError('no terminal to ask questions in; run in a terminal, or give the answers with --answers <file>');
  }
  // Prompts write to stderr when stdout carries JSON, so the JSON stays parseable.
  const promptOut = opts.json ? ctx.stderr : ctx.stdout;
  const abort = new AbortController();
  const clock = new AbortController();
  const signal = AbortSignal.any([abort.signal, clock.signal]);
  // Ctrl-C outside a prompt, a closed terminal and a polite kill all stop the sitting the same
  // way: the open question is withdrawn, the session is marked abandoned (resumable) and the
  // database is closed before the process ends with 130, 129 or 143.
  const stop = (how: Stop) => (): void => {
    if (!abort.signal.aborted) abort.abort(new InterruptedError(undefined, how));
  };
  const signals: [NodeJS.Signals, () => void][] = [
    ['SIGINT', stop('interrupt')],
    ['SIGHUP', stop('hangup')],
    ['SIGTERM', stop('terminate')],
  ];
  for (const [sig, fn] of signals) process.on(sig, fn);
  const unwatch = interactive && ctx.stdin.isTTY ? (await import('../ui/terminal.js')).watchTerminal(ctx.stdin, stop('hangup')) : undefined;
  try {
    let answerer: Answerer;
    if (!interactive) answerer = loadAnswers(opts.answers!, ctx, plan.questions, signal);
    else if (opts.interactive) answerer = await opts.interactive(ctx, signal);
    else {
      const { interactiveAnswerer } = await import('../ui/prompts.js');
      answerer = interactiveAnswerer({ input: ctx.stdin, output: promptOut, signal, paint: ctx.paint, width: ctx.stdout.columns });
    }
    if (interactive && plan.briefing && !opts.interactive) {
      const { briefing } = await import('../ui/prompts.js');
      const { candidate } = await briefing(plan.briefing, { input: ctx.stdin, output: promptOut, signal, paint: ctx.paint, width: ctx.stdout.columns });
      if (candidate !== undefined && 'candidate' in plan.sitting) plan.sitting.candidate = cleanName(candidate);
    }

    db ??= openStore(dbPath);
    const store = db;
    if (plan.save) saveAssessment(store, plan.save, now().toISOString());
    const env = {
      db: store,
      now,
      answerer,
      clock,
      resultDir: path.resolve(ctx.cwd, opts.out ?? '.'),
      onAnswer: async (r: AnswerRecord) => {
        if (plan.feedback === 'immediate' && interactive) {
          const { showFeedback } = await import('../ui/prompts.js');
          showFeedback(r, { output: promptOut, paint: ctx.paint });
        }
      },
    };
    const outcome = 'resume' in plan.sitting ? await resumeSitting(plan.sitting.resume.session.id, env) : await startSitting(plan.sitting, env);
    printOutcome(outcome, plan, opts, ctx);
    return EXIT.ok;
  } finally {
    for (const [sig, fn] of signals) process.off(sig, fn);
    unwatch?.();
    db?.close();
  }
}

function printOutcome(o: SittingOutcome, plan: Plan, opts: TakeOptions, ctx: Context): void {
  const { detail, summary } = o;
  const p = ctx.paint;
  if (opts.json) {
    const json = sessionJson(detail, summary) as Record<string, unknown>;
    // A sealed sitting is graded by the interviewer: its JSON carries the answers, not a score.
    if (detail.session.settings.assessment?.sealed) for (const k of ['score', 'maxScore', 'percent', 'topics']) json[k] = null;
    ctx.stdout.write(toJson({ ...json, ...(o.resultFile ? { resultFile: o.resultFile } : {}) }));
    if (o.resultFile) ctx.stderr.write(`Result file: ${o.resultFile}\n`);
    return;
  }
  const parts: string[] = [''];
  const total = detail.items.length;
  const given = detail.items.filter((i) => i.answer !== null && i.answer.outcome !== 'unanswered').length;
  if (o.status === 'timed_out') parts.push(p.yellow(`Time is up: ${given} of ${total} questions answered; the rest count as unanswered.`), '');
  const info = detail.session.settings.assessment;
  if (plan.feedback === 'none' || info?.sealed) {
    parts.push(`Thank you, ${detail.session.candidate}. Your ${given} answer${given === 1 ? ' is' : 's are'} saved (session ${o.id}).`);
  } else {
    parts.push(renderSummary(detail.session, summary, p));
    if (plan.feedback === 'end') parts.push('', renderReview(detail, p));
  }
  if (o.resultFile) {
    const shown = path.relative(ctx.cwd, o.resultFile) || o.resultFile;
    parts.push('', p.bold(`Result file: ${shown.startsWith('..') ? o.resultFile : shown}`), 'Send this file to your interviewer.');
  }
  // With no feedback the candidate is not pointed at a review of the answers.
  if (plan.feedback !== 'none' && !info?.sealed) parts.push('', p.dim(`See this session again with: backend-quiz show ${o.id}`));
  ctx.stdout.write(`${parts.join('\n')}\n`);
}
