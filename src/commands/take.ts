import os from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { MAX_ANSWERS_BYTES, parseAnswers } from '../bank/answers.js';
import { requireBanks } from '../bank/load.js';
import { DIFFICULTIES, formatProblem, type Bank, type Difficulty, type Question } from '../bank/types.js';
import { readTextFile } from '../files.js';
import {
  deadlineOf,
  firstUnanswered,
  resumeSitting,
  startSitting,
  storedItems,
  type AdaptiveSetup,
  type NewSitting,
  type SittingOutcome,
} from '../assessment/sitting.js';
import type { Answerer, AnswerRecord } from '../engine/quiz.js';
import { MAX_SEED } from '../engine/rng.js';
import { scriptedAnswerer } from '../engine/scripted.js';
import { availableCount, selectQuestions, type QuizItem } from '../engine/select.js';
import { EXIT, InterruptedError, UserError, type Stop } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import type { AdaptiveRules } from '../psychometrics/adaptive.js';
import { sessionJson, toJson } from '../report/json.js';
import type { AbilityEstimate } from '../report/model.js';
import { saveAssessment } from '../store/assessments.js';
import { openStore, storeError, withStore } from '../store/db.js';
import { getSession, resumableSessions, type SessionDetail, type SittingInfo } from '../store/sessions.js';
import { safeLine } from '../text.js';
import { omittedLine } from '../yaml.js';
import type { Briefing } from '../ui/prompts.js';
import { describeGate, evaluateGates, mergeGates, parseTopicGate, type Gate, type GateSpec } from '../engine/gates.js';
import type { Assessment } from '../assessment/definition.js';
import { writeFileAtomic } from '../files.js';
import type { TakeRun } from '../report/ci/model.js';
import { getAssessment } from '../store/assessments.js';
import { resolveContext, type CommonOptions, type Context } from './context.js';
import { emitReports, parseReporters, takesStdout, type Reporter } from './reporters.js';

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
  /** Gates: exit 1 below these percents. */
  minScore?: number;
  /** `topic=percent`, repeatable. */
  minTopicScore?: string[];
  /** `name[:file]`, repeatable. */
  reporter?: string[];
  /** Print the drawn form without answers and store nothing. */
  printForm?: boolean;
  /** Write an answers-file template for the drawn form. */
  answersTemplate?: string;
  /** Choose each question from the answers so far (`--count` does not apply). */
  adaptive?: boolean;
  /** An adaptive sitting asks at most this many questions (default 30). */
  maxItems?: number;
  /** An adaptive sitting stops once the standard error of the ability is at or below this (default 0.35). */
  targetSe?: number;
  /** Clock, for tests. */
  now?: () => Date;
  /** Builds the interactive answerer; tests replace it. Defaults to the Inquirer one. */
  interactive?: (ctx: Context, signal: AbortSignal) => Promise<Answerer>;
  /** Ask again what a session (its id) or the candidate's latest answers ('mistakes') got wrong. */
  retry?: string;
  /** A sitting another command chose from stored answers (practice): asked as given. */
  chosen?: Chosen;
}

/** A new sitting chosen from stored answers, with the questions an answers file may name. */
export interface Chosen {
  sitting: NewSitting;
  questions: Question[];
}

export function checkTopics(banks: readonly Bank[], topics: readonly string[]): void {
  const known = new Set(banks.map((b) => b.id));
  const unknown = topics.filter((t) => !known.has(t));
  if (unknown.length) {
    throw new UserError(
      `unknown topic${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `'${safeLine(t)}'`).join(', ')}; available: ${[...known].sort().join(', ')}`,
    );
  }
}

export function checkDifficulties(values: readonly string[]): Difficulty[] {
  const bad = values.filter((d) => !(DIFFICULTIES as readonly string[]).includes(d));
  if (bad.length) throw new UserError(`unknown difficulty '${safeLine(bad[0]!)}'; use ${DIFFICULTIES.join(', ')}`);
  return [...new Set(values)] as Difficulty[];
}

export function defaultCandidate(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'candidate';
  }
}

export const cleanName = (name: string): string => safeLine(name.trim()).slice(0, 100) || 'candidate';

function loadAnswers(file: string, ctx: Context, questions: readonly Question[], signal: AbortSignal): Answerer {
  const text = readTextFile(file, ctx.cwd, 'an answers file', MAX_ANSWERS_BYTES);
  const { answers, problems, omitted } = parseAnswers(text, file, new Map(questions.map((q) => [q.key, q] as const)));
  if (problems.length)
    throw new UserError(
      [...problems.map(formatProblem), ...(omitted ? [omittedLine(file, omitted)] : []), 'Fix the answers file above.'].join('\n'),
    );
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
  /** An assessment's pass marks, as gates. */
  gates?: GateSpec;
  /**
   * An adaptive sitting's pool, completed with the difficulties once the store is open: from the
   * latest calibration for a new sitting, from the one it started with for a resumed one.
   */
  adaptive?: {
    banks: Bank[];
    topics: string[];
    difficulties: Difficulty[];
    rules: AdaptiveRules;
    calibrationId?: number | null;
    used?: AbilityEstimate['calibration'];
  };
}

async function adaptiveRules(opts: TakeOptions): Promise<AdaptiveRules> {
  const { ADAPTIVE_DEFAULTS } = await import('../psychometrics/adaptive.js');
  const maxItems = opts.maxItems ?? ADAPTIVE_DEFAULTS.maxItems;
  if (!Number.isInteger(maxItems) || maxItems < 1) throw new UserError('--max-items must be a whole number of 1 or more');
  const targetSe = opts.targetSe ?? ADAPTIVE_DEFAULTS.targetSe;
  if (!(targetSe > 0 && targetSe < 10)) throw new UserError('--target-se must be a number above 0 and below 10, such as 0.35');
  return { ...ADAPTIVE_DEFAULTS, maxItems, targetSe };
}

async function plainPlan(opts: TakeOptions, ctx: Context, interactive: boolean): Promise<Plan> {
  const feedback = (opts.feedback ?? 'end') as Feedback;
  if (!FEEDBACK.includes(feedback)) throw new UserError(`--feedback must be one of ${FEEDBACK.join(', ')}`);
  const count = opts.count ?? 10;
  if (!Number.isInteger(count) || count < 1) throw new UserError('--count must be a whole number of 1 or more');
  const difficulties = checkDifficulties(opts.difficulty?.length ? opts.difficulty : [...DIFFICULTIES]);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const topics = opts.topic?.length ? [...new Set(opts.topic)] : banks.map((b) => b.id);
  checkTopics(banks, topics);
  const seed = opts.seed ?? randomInt(0, MAX_SEED);
  if (availableCount(banks, topics, difficulties) === 0)
    throw new UserError(`no questions match topics ${topics.join(', ')} at difficulty ${difficulties.join(', ')}`);
  if (opts.adaptive) {
    const rules = await adaptiveRules(opts);
    return {
      sitting: {
        candidate: cleanName(opts.candidate ?? defaultCandidate()),
        seed,
        items: [],
        settings: { topics, count: 0, difficulties, feedback, mode: interactive ? 'interactive' : 'scripted' },
      },
      feedback,
      questions: banks.flatMap((b) => b.questions),
      adaptive: { banks, topics, difficulties, rules },
    };
  }
  const items = selectQuestions(banks, { topics, count, difficulties, seed });
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
function assessmentSitting(
  items: QuizItem[],
  seed: number,
  info: SittingInfo,
  feedback: 'none' | 'end',
  instructions: string,
  opts: TakeOptions,
  interactive: boolean,
): Plan {
  return {
    sitting: {
      candidate: cleanName(opts.candidate ?? defaultCandidate()),
      seed,
      items,
      settings: {
        topics: topicsOf(items),
        count: items.length,
        difficulties: [...DIFFICULTIES],
        feedback,
        mode: interactive ? 'interactive' : 'scripted',
        assessment: info,
      },
    },
    feedback,
    briefing: {
      title: info.title,
      instructions,
      questions: items.length,
      timeLimitMs: info.timeLimitMs,
      ...(opts.candidate === undefined ? { askName: defaultCandidate() } : {}),
    },
    questions: items.map((i) => i.question),
  };
}

async function assessmentPlan(file: string, opts: TakeOptions, ctx: Context, interactive: boolean): Promise<Plan> {
  const [{ requireAssessment }, { drawForm }] = await Promise.all([import('../assessment/load.js'), import('../assessment/form.js')]);
  const { assessment: a, banks } = requireAssessment(file, ctx.cwd, ctx.bankDirs, ctx.cacheDir);
  const seed = a.form === 'fixed' ? a.seed : (opts.seed ?? randomInt(0, MAX_SEED));
  const info: SittingInfo = { id: a.id, title: a.title, digest: a.digest, timeLimitMs: a.timeLimitMs, form: a.form, sealed: false };
  // Like a plain quiz, an answers file may name any question of the banks; those not drawn are ignored.
  const plan = assessmentSitting(drawForm(a, banks, seed), seed, info, a.feedback, a.instructions, opts, interactive);
  return { ...plan, questions: banks.flatMap((b) => b.questions), save: a, gates: passMarkGates(a) };
}

async function packPlan(file: string, opts: TakeOptions, ctx: Context, interactive: boolean): Promise<Plan> {
  const { MAX_PACK_BYTES, packItems, readPack } = await import('../assessment/pack.js');
  const pack = readPack(readTextFile(file, ctx.cwd, 'a pack file', MAX_PACK_BYTES), file);
  const a = pack.assessment;
  const seed = a.form === 'fixed' ? 0 : (opts.seed ?? randomInt(0, MAX_SEED));
  const info: SittingInfo = {
    id: a.id,
    title: a.title,
    digest: a.digest,
    timeLimitMs: a.timeLimitMs,
    form: a.form,
    sealed: true,
    packId: pack.id,
    packDigest: pack.digest,
  };
  return assessmentSitting(packItems(pack, seed), seed, info, 'none', a.instructions, opts, interactive);
}

const passMarkGates = (a: Assessment): GateSpec => ({
  ...(a.passMark !== null ? { minScore: a.passMark } : {}),
  minTopic: a.topicPassMarks,
});

/** --min-score and --min-topic-score, checked before anything is asked. */
function cliGates(opts: TakeOptions): GateSpec {
  if (opts.minScore !== undefined && !(opts.minScore >= 0 && opts.minScore <= 100))
    throw new UserError('--min-score is a percent from 0 to 100');
  const minTopic: Record<string, number> = {};
  for (const v of opts.minTopicScore ?? []) {
    const g = parseTopicGate(v);
    if (!g) throw new UserError(`--min-topic-score takes <topic>=<percent>, such as databases-sql=60; got '${safeLine(v)}'`);
    minTopic[g[0]] = g[1];
  }
  return { ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}), ...(Object.keys(minTopic).length ? { minTopic } : {}) };
}

/** True when something other than a person runs the command: CI set (and not false), or no terminal. */
export function unattended(env: NodeJS.ProcessEnv, stdin: { isTTY?: boolean }): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return ci || !stdin.isTTY;
}

/** `--retry`: a new sitting of stored questions, or why there is none. */
async function retryPlan(opts: TakeOptions, ctx: Context, dbPath: string, interactive: boolean): Promise<Chosen | string> {
  const { findMistakes, retryItems } = await import('../practice/retry.js');
  const feedback = (opts.feedback ?? 'end') as Feedback;
  if (!FEEDBACK.includes(feedback)) throw new UserError(`--feedback must be one of ${FEEDBACK.join(', ')}`);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  if (opts.topic?.length) checkTopics(banks, opts.topic);
  const difficulties = opts.difficulty?.length ? checkDifficulties(opts.difficulty) : undefined;
  const found = withStore(dbPath, (db) =>
    findMistakes(db, opts.retry!, cleanName(opts.candidate ?? defaultCandidate()), { topics: opts.topic, difficulties }),
  );
  if (found.questions.length === 0)
    return `Nothing to retry: no wrong, partly right or skipped answers in ${found.where}${opts.topic?.length || difficulties ? ' that match --topic and --difficulty' : ''}.`;
  const seed = opts.seed ?? randomInt(0, MAX_SEED);
  const items = retryItems(found.questions, seed);
  return {
    sitting: {
      candidate: opts.candidate !== undefined ? cleanName(opts.candidate) : found.candidate,
      seed,
      items,
      settings: {
        topics: topicsOf(items),
        count: items.length,
        difficulties: [...DIFFICULTIES],
        feedback,
        mode: interactive ? 'interactive' : 'scripted',
        kind: 'retry',
        retryOf: found.of,
      },
    },
    // An answers file may name any question of the banks, as for a plain quiz; the versions
    // retried come last, so they win where a bank has changed since.
    questions: [...banks.flatMap((b) => b.questions), ...items.map((i) => i.question)],
  };
}

function resumePlan(detail: SessionDetail, now: Date, ctx: Context): Plan {
  const s = detail.session;
  if (s.status !== 'in_progress' && s.status !== 'abandoned')
    throw new UserError(
      `session ${s.id} is ${s.status.replace('_', ' ')}; there is nothing to resume ('backend-quiz take --resume' lists the sittings that can be resumed)`,
    );
  if (s.importedFrom !== null)
    throw new UserError(`session ${s.id} was imported from ${s.importedFrom}; only a sitting taken on this machine can be resumed`);
  const answered = firstUnanswered(detail);
  const adaptive = s.settings.adaptive;
  // An adaptive sitting that has not stopped goes on choosing after its last answer, from its banks.
  if (answered >= detail.items.length && (!adaptive || adaptive.stop))
    throw new UserError(`session ${s.id} has every question answered; there is nothing to resume`);
  const banks = adaptive ? requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir) : [];
  const deadline = deadlineOf(detail);
  const info = s.settings.assessment;
  const leftMs = deadline === undefined ? null : deadline - now.getTime();
  return {
    sitting: { resume: detail },
    feedback: s.settings.feedback as Feedback,
    // A sitting whose time ran out while away is closed at once, without a briefing.
    ...(leftMs === null || leftMs > 0
      ? {
          briefing: {
            title: info?.title ?? `Quiz ${s.id}`,
            instructions: '',
            questions: adaptive?.maxItems ?? detail.items.length,
            timeLimitMs: info?.timeLimitMs ?? null,
            resume: { answered, leftMs },
            ...(adaptive && { adaptive: true }),
          },
        }
      : {}),
    // The questions as stored come last, so an answers file is checked against them as asked.
    questions: [...banks.flatMap((b) => b.questions), ...storedItems(detail).map((i) => i.question)],
    ...(adaptive && {
      adaptive: {
        banks,
        topics: s.settings.topics,
        difficulties: s.settings.difficulties as Difficulty[],
        rules: { maxItems: adaptive.maxItems, targetSe: adaptive.targetSe, exposure: adaptive.exposure },
        calibrationId: adaptive.calibrationId,
      },
    }),
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
  if (opts.resume !== undefined && (packFile !== undefined || opts.assessment !== undefined))
    throw new UserError('--resume continues a stored sitting; it takes no pack or --assessment');
  if (opts.adaptive && (packFile !== undefined || opts.assessment !== undefined))
    throw new UserError('--adaptive chooses questions from the banks as it goes; an assessment or a pack has its questions set');
  if (opts.adaptive && opts.resume !== undefined)
    throw new UserError('--resume continues a sitting as it was started; leave out --adaptive');
  if (opts.retry !== undefined && (packFile !== undefined || opts.assessment !== undefined || opts.resume !== undefined))
    throw new UserError('--retry asks stored questions again; it takes no pack, --assessment or --resume');

  const reporters = parseReporters(opts.reporter, opts.json);
  const dbPath = resolveDbPath(ctx.db, ctx.env);
  try {
    return await sitting(opts, packFile, ctx, now, dbPath, reporters);
  } catch (e) {
    throw storeError(e, dbPath);
  }
}

async function sitting(
  opts: TakeOptions,
  packFile: string | undefined,
  ctx: Context,
  now: () => Date,
  dbPath: string,
  reporters: Reporter[],
): Promise<number> {
  if (opts.resume === true) {
    const { renderResumable } = await import('../report/text.js');
    const db = openStore(dbPath, 'read');
    try {
      ctx.stdout.write(`${renderResumable(resumableSessions(db), ctx.paint)}\n`);
    } finally {
      db.close();
    }
    return EXIT.ok;
  }

  const interactive = opts.answers === undefined;
  let chosen = opts.chosen;
  if (opts.retry !== undefined) {
    const retry = await retryPlan(opts, ctx, dbPath, interactive);
    if (typeof retry === 'string') {
      (opts.json ? ctx.stderr : ctx.stdout).write(`${retry}\n`);
      return EXIT.ok;
    }
    chosen = retry;
  }
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
      ? resumePlan(resumeDetail, now(), ctx)
      : chosen
        ? { sitting: chosen.sitting, feedback: chosen.sitting.settings.feedback as Feedback, questions: chosen.questions }
        : packFile !== undefined
          ? await packPlan(packFile, opts, ctx, interactive)
          : opts.assessment !== undefined
            ? await assessmentPlan(opts.assessment, opts, ctx, interactive)
            : await plainPlan(opts, ctx, interactive);
  } catch (e) {
    db?.close();
    throw e;
  }

  const gateSpec = cliGates(opts);
  const sealedSitting = 'settings' in plan.sitting && Boolean(plan.sitting.settings.assessment?.sealed);
  try {
    if (sealedSitting && (gateSpec.minScore !== undefined || gateSpec.minTopic)) {
      throw new UserError("a sealed pack's answers are graded by the interviewer, so --min-score and --min-topic-score do not apply to it");
    }
    const asked = new Set(('resume' in plan.sitting ? storedItems(plan.sitting.resume) : plan.sitting.items).map((i) => i.question.topic));
    const unknown = Object.keys(gateSpec.minTopic ?? {}).filter((t) => !asked.has(t));
    if (unknown.length)
      throw new UserError(
        `--min-topic-score names ${unknown.map((t) => `'${t}'`).join(', ')}, which this quiz does not ask about (it asks: ${[...asked].sort().join(', ')})`,
      );
    if (opts.printForm || opts.answersTemplate !== undefined) {
      if ('resume' in plan.sitting) throw new UserError('--print-form and --answers-template show a new form; they take no --resume');
      await printForm(plan.sitting, opts, ctx, packFile);
      return EXIT.ok;
    }
    if (interactive && unattended(ctx.env, ctx.stdin) && !opts.interactive) {
      throw new UserError(
        'no one to ask: this is CI or not a terminal, so give the answers with --answers <file> (see the questions first with --print-form or --answers-template <file>)',
      );
    }
  } catch (e) {
    db?.close();
    throw e;
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
      const { candidate } = await briefing(plan.briefing, {
        input: ctx.stdin,
        output: promptOut,
        signal,
        paint: ctx.paint,
        width: ctx.stdout.columns,
      });
      if (candidate !== undefined && 'candidate' in plan.sitting) plan.sitting.candidate = cleanName(candidate);
    }

    db ??= openStore(dbPath);
    const store = db;
    if (plan.save) saveAssessment(store, plan.save, now().toISOString());
    const adaptive = plan.adaptive && (await adaptiveSetup(plan, plan.adaptive, store, ctx));
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
    const outcome =
      'resume' in plan.sitting ? await resumeSitting(plan.sitting.resume.session.id, env, adaptive) : await startSitting(plan.sitting, env);
    // In a scripted run an assessment's pass marks gate like --min-score (a person sitting it is
    // not told pass or fail by an exit code).
    const info = outcome.detail.session.settings.assessment;
    const fromAssessment = !interactive && info && !info.sealed ? (plan.gates ?? definitionGates(store, info.digest)) : {};
    const gates = info?.sealed ? [] : evaluateGates(outcome.summary, mergeGates(gateSpec, fromAssessment));
    const run: TakeRun = { kind: 'take', detail: outcome.detail, summary: outcome.summary, gates };
    const ability = await outcomeAbility(outcome, plan);
    await emitReports(reporters, run, () => takeJson(outcome, gates, ability), ctx);
    if (!takesStdout(reporters)) await printOutcome(outcome, plan, gates, ability, ctx);
    return gates.every((g) => g.passed) ? EXIT.ok : EXIT.failed;
  } finally {
    for (const [sig, fn] of signals) process.off(sig, fn);
    unwatch?.();
    db?.close();
  }
}

/**
 * Completes an adaptive plan with difficulties from the store: a new sitting uses the latest
 * calibration (and says when labels stand in), a resumed one the calibration it started with.
 */
async function adaptiveSetup(plan: Plan, a: NonNullable<Plan['adaptive']>, db: Database, ctx: Context): Promise<AdaptiveSetup> {
  const [{ getCalibration, latestCalibration }, { adaptivePool, poolNotice }] = await Promise.all([
    import('../store/calibrations.js'),
    import('../assessment/adaptive.js'),
  ]);
  const calibration =
    a.calibrationId === undefined ? latestCalibration(db) : a.calibrationId === null ? null : getCalibration(db, a.calibrationId);
  const pool = adaptivePool(a.banks, a.topics, a.difficulties, a.rules, calibration);
  const notice = poolNotice(pool, calibration);
  if (notice && a.calibrationId === undefined) ctx.stderr.write(`${notice}\n`);
  a.used = calibration && { id: calibration.id, createdAt: calibration.createdAt };
  if (!('resume' in plan.sitting))
    plan.sitting = { ...plan.sitting, adaptive: pool.setup, settings: { ...plan.sitting.settings, adaptive: pool.settings } };
  return pool.setup;
}

/** What `take --json` and `--reporter json` print. */
function takeJson(o: SittingOutcome, gates: readonly Gate[], ability: AbilityEstimate | undefined): object {
  const json = { schemaVersion: 1, ...sessionJson(o.detail, o.summary, ability) } as Record<string, unknown>;
  // A sealed sitting is graded by the interviewer: its JSON carries the answers, not a score.
  if (o.detail.session.settings.assessment?.sealed) for (const k of ['score', 'maxScore', 'percent', 'topics']) json[k] = null;
  return { ...json, passed: gates.every((g) => g.passed), gates, ...(o.resultFile ? { resultFile: o.resultFile } : {}) };
}

function definitionGates(db: Database, digest: string): GateSpec {
  const a = getAssessment(db, digest);
  return a ? passMarkGates(a) : {};
}

async function printForm(s: NewSitting, opts: TakeOptions, ctx: Context, packFile: string | undefined): Promise<void> {
  const { answersTemplate, formJson, renderFormText } = await import('../report/form.js');
  if (opts.answersTemplate !== undefined) {
    const what =
      packFile !== undefined
        ? packFile
        : opts.assessment !== undefined
          ? `--assessment ${opts.assessment}`
          : opts.retry !== undefined
            ? `--retry ${opts.retry}`
            : `${opts.topic?.length ? `--topic ${opts.topic.join(',')} ` : ''}--count ${s.items.length}${opts.difficulty?.length ? ` --difficulty ${opts.difficulty.join(',')}` : ''}`;
    const rerun = `backend-quiz take ${what} --seed ${s.seed} --answers ${opts.answersTemplate}`;
    writeFileAtomic(path.resolve(ctx.cwd, opts.answersTemplate), answersTemplate(s.items, s.seed, rerun));
    ctx.stderr.write(`Wrote ${opts.answersTemplate} (${s.items.length} questions, seed ${s.seed}). Fill it in, then run:\n  ${rerun}\n`);
  }
  if (opts.printForm) ctx.stdout.write(opts.json ? toJson(formJson(s.items, s.seed)) : `${renderFormText(s.items, s.seed, ctx.paint)}\n`);
}

/** An adaptive sitting's ability estimate, naming the calibration it used. */
async function outcomeAbility(o: SittingOutcome, plan: Plan): Promise<AbilityEstimate | undefined> {
  if (!o.adaptive) return undefined;
  const { abilityJson } = await import('../store/calibrations.js');
  return abilityJson({ ...o.adaptive.ability, calibration: plan.adaptive?.used ?? null });
}

async function printOutcome(
  o: SittingOutcome,
  plan: Plan,
  gates: readonly Gate[],
  ability: AbilityEstimate | undefined,
  ctx: Context,
): Promise<void> {
  const { renderAdaptiveResult, renderReview, renderSummary } = await import('../report/text.js');
  const { detail, summary } = o;
  const p = ctx.paint;
  const parts: string[] = [''];
  const total = detail.items.length;
  const given = detail.items.filter((i) => i.answer !== null && i.answer.outcome !== 'unanswered').length;
  if (o.status === 'timed_out')
    parts.push(p.yellow(`Time is up: ${given} of ${total} questions answered; the rest count as unanswered.`), '');
  const info = detail.session.settings.assessment;
  if (plan.feedback === 'none' || info?.sealed) {
    parts.push(`Thank you, ${detail.session.candidate}. Your ${given} answer${given === 1 ? ' is' : 's are'} saved (session ${o.id}).`);
  } else {
    parts.push(renderSummary(detail.session, summary, p));
    if (ability) parts.push('', renderAdaptiveResult(detail.items.length, detail.session.settings.adaptive!, ability, p));
    if (plan.feedback === 'end') parts.push('', renderReview(detail, p));
  }
  if (gates.length) {
    parts.push('', p.bold('Gates'), ...gates.map((g) => (g.passed ? p.green(`  ✔ ${describeGate(g)}`) : p.red(`  ✘ ${describeGate(g)}`))));
  }
  if (o.resultFile) {
    const shown = path.relative(ctx.cwd, o.resultFile) || o.resultFile;
    parts.push('', p.bold(`Result file: ${shown.startsWith('..') ? o.resultFile : shown}`), 'Send this file to your interviewer.');
  }
  // With no feedback the candidate is not pointed at a review of the answers.
  if (plan.feedback !== 'none' && !info?.sealed) parts.push('', p.dim(`See this session again with: backend-quiz show ${o.id}`));
  ctx.stdout.write(`${parts.join('\n')}\n`);
}
