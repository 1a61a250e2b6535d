// `backend-quiz take`: glue between the options, the plan of the mode asked for (src/take/),
// the sitting (src/assessment/sitting.ts) and the terminal.
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { MAX_ANSWERS_BYTES, parseAnswers, type AnswerFileReader } from '../bank/answers.js';
import { formatProblem } from '../bank/types.js';
import { readRegular, readTextFile, Unreadable } from '../files.js';
import { resumeSitting, startSitting, storedItems, type AdaptiveSetup, type SittingOutcome } from '../assessment/sitting.js';
import type { Answerer, AnswerRecord } from '../engine/quiz.js';
import { MAX_SEED } from '../engine/rng.js';
import { scriptedAnswerer } from '../engine/scripted.js';
import type { QuizItem } from '../engine/select.js';
import { EXIT, InterruptedError, UserError, type Stop } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { sessionJson } from '../report/json.js';
import type { AbilityEstimate } from '../report/model.js';
import { saveAssessment } from '../store/assessments.js';
import { openStore, storeError } from '../store/db.js';
import { getSession, resumableSessions, type SessionDetail } from '../store/sessions.js';
import { safeLine } from '../text.js';
import { omittedLine } from '../yaml.js';
import { describeGate, evaluateGates, mergeGates, parseTopicGate, type Gate, type GateSpec } from '../engine/gates.js';
import type { TakeRun } from '../report/ci/model.js';
import { conflict, FLAG, WHY } from '../take/modes.js';
import { cleanName, formCommand, unattended, type Feedback, type Plan, type TakeOptions } from '../take/plan.js';
import { quizPlan } from '../take/quiz.js';
import { definitionGates } from '../take/assessment.js';
import { resolveContext, type Context } from './context.js';
import { emitReports, parseReporters, takesStdout, type Reporter } from './reporters.js';

export type { Chosen, TakeOptions } from '../take/plan.js';

/**
 * An answers file made for another form (another seed, topic or count) would score a silent 0:
 * say how many drawn questions it leaves unanswered, and refuse it when it answers none.
 */
export function checkCoverage(file: string, named: ReadonlySet<string>, drawn: readonly QuizItem[], rerun: string): string | undefined {
  if (drawn.length === 0) return undefined;
  const missing = drawn.filter((i) => !named.has(i.question.key)).length;
  if (missing === 0) return undefined;
  const see = `see the drawn questions with: ${rerun} --print-form (or --answers-template <file>)`;
  if (missing === drawn.length)
    throw new UserError(
      `${safeLine(file)} names none of the ${drawn.length} questions drawn, so every one would score 0; it was made for another form (seed, topics or count): ${see}`,
    );
  return `${safeLine(file)} does not name ${missing} of the ${drawn.length} questions drawn; they count as unanswered (${see}).`;
}

function loadAnswers(opts: TakeOptions, packFile: string | undefined, ctx: Context, signal: AbortSignal, plan: Plan): Answerer {
  const file = opts.answers!;
  const text = readTextFile(file, ctx.cwd, 'an answers file', MAX_ANSWERS_BYTES);
  const { answers, named, problems, omitted } = parseAnswers(
    text,
    file,
    new Map(plan.questions.map((q) => [q.key, q] as const)),
    answerFileReader(path.dirname(path.resolve(ctx.cwd, file))),
  );
  if (problems.length)
    throw new UserError(
      [...problems.map(formatProblem), ...(omitted ? [omittedLine(file, omitted)] : []), 'Fix the answers file above.'].join('\n'),
    );
  if (!('resume' in plan.sitting)) {
    const s = plan.sitting;
    const notice = checkCoverage(file, named, s.items, formCommand(s, opts, packFile));
    if (notice) ctx.stderr.write(`${notice}\n`);
  }
  return scriptedAnswerer(answers, signal);
}

/** A task's `{ file: path }` answer, relative to the answers file's folder so that the pair moves together. */
function answerFileReader(dir: string): AnswerFileReader {
  return (file, maxBytes) => {
    try {
      return readRegular(path.resolve(dir, file), maxBytes);
    } catch (e) {
      if (!(e instanceof Unreadable)) throw e;
      if (e.tooLarge !== undefined) return `!${Math.ceil(e.tooLarge / 1024)} KB is over the task's answer limit of ${maxBytes / 1024} KB`;
      return `!${e.reason}`;
    }
  };
}

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

/** The plan of the mode the options ask for; each mode's code is loaded only when it is used. */
async function planFor(
  opts: TakeOptions,
  packFile: string | undefined,
  ctx: Context,
  now: Date,
  interactive: boolean,
  resume: SessionDetail | undefined,
): Promise<Plan> {
  if (resume) return (await import('../take/resume.js')).resumePlan(resume, now, ctx);
  if (opts.chosen)
    return { sitting: opts.chosen.sitting, feedback: opts.chosen.sitting.settings.feedback as Feedback, questions: opts.chosen.questions };
  if (packFile !== undefined) return (await import('../take/assessment.js')).packPlan(packFile, opts, ctx, interactive);
  if (opts.assessment !== undefined) return (await import('../take/assessment.js')).assessmentPlan(opts.assessment, opts, ctx, interactive);
  return quizPlan(opts, ctx, interactive);
}

export async function run(packOrOpts: string | TakeOptions | undefined, maybeOpts?: TakeOptions): Promise<number> {
  const opts = (typeof packOrOpts === 'object' ? packOrOpts : maybeOpts) ?? {};
  const packFile = typeof packOrOpts === 'string' ? packOrOpts : undefined;
  const ctx = resolveContext(opts);
  const now = opts.now ?? (() => new Date());
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > MAX_SEED)) {
    throw new UserError(`--seed must be a whole number from 0 to ${MAX_SEED}`);
  }
  // The command line refuses these through commander's .conflicts(); callers passing options
  // directly (the menu, practice, tests) meet the same table here, and so does a pack file.
  const clash = conflict({ ...opts, pack: packFile });
  if (clash) throw new UserError(`${WHY[clash[0]]}; leave out ${FLAG[clash[1]]}`);

  const reporters = parseReporters(opts.reporter, opts.json);
  const dbPath = resolveDbPath(ctx.db, ctx.env);
  if (opts.check) return (await import('../take/check.js')).checkPackFile(packFile, ctx, dbPath);
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
  if (opts.retry !== undefined) {
    const retry = await (await import('../take/retry.js')).retryPlan(opts.retry, opts, ctx, dbPath, interactive);
    if (typeof retry === 'string') {
      (opts.json ? ctx.stderr : ctx.stdout).write(`${retry}\n`);
      return EXIT.ok;
    }
    opts = { ...opts, chosen: retry };
  }
  let db: Database | undefined;
  let plan: Plan;
  try {
    let resumeDetail: SessionDetail | undefined;
    if (typeof opts.resume === 'string') {
      db = openStore(dbPath);
      resumeDetail = getSession(db, opts.resume);
    }
    plan = await planFor(opts, packFile, ctx, now(), interactive, resumeDetail);
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
    const assessed = 'resume' in plan.sitting ? plan.sitting.resume.session.settings.assessment : plan.sitting.settings.assessment;
    if (!assessed && (opts.output !== undefined || opts.resultDir !== undefined))
      throw new UserError(
        '--output and --result-dir say where an assessment writes its result file; a quiz has none (use --json > file.json)',
      );
    if (opts.printForm || opts.answersTemplate !== undefined) {
      if ('resume' in plan.sitting) throw new UserError('--print-form and --answers-template show a new form; they take no --resume');
      await (await import('../take/form.js')).printForm(plan.sitting, opts, ctx, packFile);
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
    if (!interactive) answerer = loadAnswers(opts, packFile, ctx, signal, plan);
    else if (opts.interactive) answerer = await opts.interactive(ctx, signal);
    else {
      const { interactiveAnswerer } = await import('../ui/prompts.js');
      answerer = interactiveAnswerer({
        input: ctx.stdin,
        output: promptOut,
        signal,
        paint: ctx.paint,
        width: ctx.stdout.columns,
        rows: promptOut.rows,
      });
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
      resultTo:
        opts.output !== undefined ? { file: path.resolve(ctx.cwd, opts.output) } : { dir: path.resolve(ctx.cwd, opts.resultDir ?? '.') },
      onAnswer: async (r: AnswerRecord) => {
        if (plan.feedback === 'immediate' && interactive) {
          const { showFeedback } = await import('../ui/prompts.js');
          const total = 'resume' in plan.sitting ? plan.sitting.resume.items.length : plan.sitting.items.length;
          // An answerer passed in by the caller (as tests do) has no one to press Enter.
          const wait = opts.interactive ? 'none' : !plan.adaptive && r.position + 1 >= total ? 'results' : 'next';
          await showFeedback(r, { input: ctx.stdin, output: promptOut, signal, paint: ctx.paint, width: ctx.stdout.columns }, wait);
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
    // A resumed practice round ends as a fresh one does: with what is due and when to come back.
    if ('resume' in plan.sitting && outcome.detail.session.settings.kind === 'practice') {
      const { resumedScheduleLine } = await import('./practice.js');
      (opts.json ? ctx.stderr : ctx.stdout).write(`${resumedScheduleLine(ctx, store, outcome.detail.session, now())}\n`);
    }
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
  const { renderAdaptiveResult, renderReview, renderSummary, scoreLine } = await import('../report/text.js');
  const { detail, summary } = o;
  const p = ctx.paint;
  const parts: string[] = [''];
  const total = detail.items.length;
  const given = detail.items.filter((i) => i.answer !== null && i.answer.outcome !== 'unanswered').length;
  if (o.status === 'timed_out')
    parts.push(
      p.yellow(
        `Time is up: ${given} of ${total} questions answered; the rest count as unanswered.${o.draftSubmitted !== undefined ? ` The draft of task ${o.draftSubmitted + 1} was submitted.` : ''}`,
      ),
      '',
    );
  const info = detail.session.settings.assessment;
  if (plan.feedback === 'none' || info?.sealed) {
    parts.push(
      `Thank you, ${safeLine(detail.session.candidate)}. Your ${given} answer${given === 1 ? ' is' : 's are'} saved (session ${o.id}).`,
    );
  } else {
    parts.push(renderSummary(detail.session, summary, p));
    if (ability) parts.push('', renderAdaptiveResult(detail.items.length, detail.session.settings.adaptive!, ability, p));
    if (plan.feedback === 'end') {
      const review = renderReview(detail, p, { width: ctx.stdout.columns });
      parts.push('', review);
      // A review longer than the screen pushes the score out of sight: it is repeated under it.
      if (review.split('\n').length >= (ctx.stdout.rows ?? 24) - 2) parts.push('', scoreLine(summary, p));
    }
  }
  if (gates.length) {
    parts.push('', p.bold('Gates'), ...gates.map((g) => (g.passed ? p.green(`  ✔ ${describeGate(g)}`) : p.red(`  ✘ ${describeGate(g)}`))));
  }
  if (o.resultFile) {
    const shown = path.relative(ctx.cwd, o.resultFile) || o.resultFile;
    parts.push(
      '',
      p.bold(`Result file: ${safeLine(shown.startsWith('..') ? o.resultFile : shown)}`),
      'Send this file to your interviewer.',
    );
  }
  // With no feedback the candidate is not pointed at a review of the answers.
  if (plan.feedback !== 'none' && !info?.sealed) parts.push('', p.dim(`See this session again with: backend-quiz show ${o.id}`));
  ctx.stdout.write(`${parts.join('\n')}\n`);
}
