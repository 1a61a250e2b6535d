import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { parseAnswers } from '../bank/answers.js';
import { requireBanks } from '../bank/load.js';
import { DIFFICULTIES, formatProblem, type Bank, type Difficulty } from '../bank/types.js';
import { runQuiz, type Answerer } from '../engine/quiz.js';
import { MAX_SEED } from '../engine/rng.js';
import { scriptedAnswerer } from '../engine/scripted.js';
import { selectQuestions } from '../engine/select.js';
import { EXIT, InterruptedError, UserError } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { detailSummary, sessionJson, toJson } from '../report/json.js';
import { renderReview, renderSummary } from '../report/text.js';
import { openStore } from '../store/db.js';
import { closeSession, createSession, getSession, newSessionId, recordAnswer } from '../store/sessions.js';
import { safeLine } from '../text.js';
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

function loadAnswers(file: string, ctx: Context, banks: readonly Bank[], signal: AbortSignal): Answerer {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(ctx.cwd, file), 'utf8');
  } catch (e) {
    throw new UserError(`cannot read answers file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const questions = new Map(banks.flatMap((b) => b.questions.map((q) => [q.key, q] as const)));
  const { answers, problems } = parseAnswers(text, file, questions);
  if (problems.length) throw new UserError([...problems.slice(0, 20).map(formatProblem), 'Fix the answers file above.'].join('\n'));
  return scriptedAnswerer(answers, signal);
}

async function defaultInteractive(ctx: Context, signal: AbortSignal, feedbackOut: NodeJS.WritableStream): Promise<Answerer> {
  const { interactiveAnswerer } = await import('../ui/prompts.js');
  return interactiveAnswerer({ input: ctx.stdin, output: feedbackOut, signal, paint: ctx.paint, width: ctx.stdout.columns });
}

export async function run(opts: TakeOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const now = opts.now ?? (() => new Date());
  const feedback = (opts.feedback ?? 'end') as Feedback;
  if (!FEEDBACK.includes(feedback)) throw new UserError(`--feedback must be one of ${FEEDBACK.join(', ')}`);
  const count = opts.count ?? 10;
  if (!Number.isInteger(count) || count < 1) throw new UserError('--count must be a whole number of 1 or more');
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > MAX_SEED)) {
    throw new UserError(`--seed must be a whole number from 0 to ${MAX_SEED}`);
  }
  const difficulties = checkDifficulties(opts.difficulty?.length ? opts.difficulty : [...DIFFICULTIES]);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd);
  const topics = opts.topic?.length ? [...new Set(opts.topic)] : banks.map((b) => b.id);
  checkTopics(banks, topics);
  const candidate = safeLine((opts.candidate ?? defaultCandidate()).trim()).slice(0, 100) || 'candidate';

  // Prompts write to stderr when stdout carries JSON, so the JSON stays parseable.
  const promptOut = opts.json ? ctx.stderr : ctx.stdout;
  const abort = new AbortController();
  let answerer: Answerer;
  if (opts.answers !== undefined) answerer = loadAnswers(opts.answers, ctx, banks, abort.signal);
  else if (ctx.stdin.isTTY || opts.interactive) answerer = await (opts.interactive ? opts.interactive(ctx, abort.signal) : defaultInteractive(ctx, abort.signal, promptOut));
  else throw new UserError('no terminal to ask questions in; run in a terminal, or give the answers with --answers <file>');

  const seed = opts.seed ?? randomInt(0, MAX_SEED);
  const items = selectQuestions(banks, { topics, count, difficulties, seed });
  if (items.length === 0) throw new UserError(`no questions match topics ${topics.join(', ')} at difficulty ${difficulties.join(', ')}`);

  const db = openStore(resolveDbPath(ctx.db, ctx.env));
  const id = newSessionId();
  const interactive = opts.answers === undefined;
  createSession(db, {
    id,
    candidate,
    startedAt: now().toISOString(),
    seed,
    settings: { topics, count: items.length, difficulties, feedback, mode: interactive ? 'interactive' : 'scripted' },
    items,
  });

  // Closes the session with the score of what is stored, then reads it back as it now stands.
  const close = (status: 'finished' | 'abandoned') => {
    const summary = detailSummary(getSession(db, id));
    closeSession(db, id, status, summary, now().toISOString());
    return { detail: getSession(db, id), summary };
  };

  let answered = 0;
  const onSigint = (): void => abort.abort();
  process.on('SIGINT', onSigint);
  try {
    await runQuiz(items, answerer, {
      now: () => now().getTime(),
      onAnswer: async (r) => {
        recordAnswer(db, id, r, now().toISOString());
        answered++;
        if (feedback === 'immediate' && interactive) {
          const { showFeedback } = await import('../ui/prompts.js');
          showFeedback(r, { output: promptOut, paint: ctx.paint });
        }
      },
    });
  } catch (e) {
    if (e instanceof InterruptedError) {
      close('abandoned');
      db.close();
      throw new InterruptedError(`Quiz interrupted: ${answered} of ${items.length} answers saved in session ${id} (marked abandoned).`);
    }
    db.close();
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }

  const { detail, summary } = close('finished');
  db.close();

  if (opts.json) {
    ctx.stdout.write(toJson(sessionJson(detail, summary)));
  } else if (feedback === 'none') {
    ctx.stdout.write(`\nThank you, ${candidate}. Your ${items.length} answers are saved (session ${id}).\n`);
  } else {
    const parts = ['', renderSummary(detail.session, summary, ctx.paint)];
    if (feedback === 'end') parts.push('', renderReview(detail, ctx.paint));
    parts.push('', ctx.paint.dim(`See this session again with: backend-quiz show ${id}`));
    ctx.stdout.write(`${parts.join('\n')}\n`);
  }
  return EXIT.ok;
}
