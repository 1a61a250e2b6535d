// `--retry`: the questions a session, or the candidate's latest answers, got wrong, asked again.
import { randomInt } from 'node:crypto';
import { requireBanks } from '../bank/load.js';
import { MAX_SEED } from '../engine/rng.js';
import { withStore } from '../store/db.js';
import type { Context } from '../commands/context.js';
import {
  candidateOf,
  checkDifficulties,
  checkFeedback,
  checkTopics,
  cleanName,
  itemSettings,
  type Chosen,
  type TakeOptions,
} from './plan.js';

/** A new sitting of stored questions, or why there is none. */
export async function retryPlan(
  retry: string,
  opts: TakeOptions,
  ctx: Context,
  dbPath: string,
  interactive: boolean,
): Promise<Chosen | string> {
  const { findMistakes, retryItems } = await import('../practice/retry.js');
  const feedback = checkFeedback(opts.feedback);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  if (opts.topic?.length) checkTopics(banks, opts.topic);
  const difficulties = opts.difficulty?.length ? checkDifficulties(opts.difficulty) : undefined;
  const found = withStore(dbPath, (db) => findMistakes(db, retry, candidateOf(opts), { topics: opts.topic, difficulties }));
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
        ...itemSettings(items, feedback, interactive),
        kind: 'retry',
        retryOf: found.of,
      },
    },
    // An answers file may name any question of the banks, as for a plain quiz; the versions
    // retried come last, so they win where a bank has changed since.
    questions: [...banks.flatMap((b) => b.questions), ...items.map((i) => i.question)],
  };
}
