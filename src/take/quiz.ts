// A quiz drawn from the banks: a fixed number of questions, or an adaptive sitting that chooses
// each question from the answers so far.
import { randomInt } from 'node:crypto';
import { requireBanks } from '../bank/load.js';
import { DIFFICULTIES } from '../bank/types.js';
import { MAX_SEED } from '../engine/rng.js';
import { availableCount, selectQuestions, topicsWithTasks } from '../engine/select.js';
import { UserError } from '../errors.js';
import type { AdaptiveRules } from '../psychometrics/adaptive.js';
import type { Context } from '../commands/context.js';
import { candidateOf, checkDifficulties, checkFeedback, checkTopics, modeOf, type Plan, type TakeOptions } from './plan.js';

async function adaptiveRules(opts: TakeOptions): Promise<AdaptiveRules> {
  const { ADAPTIVE_DEFAULTS } = await import('../psychometrics/adaptive.js');
  const maxItems = opts.maxItems ?? ADAPTIVE_DEFAULTS.maxItems;
  if (!Number.isInteger(maxItems) || maxItems < 1) throw new UserError('--max-items must be a whole number of 1 or more');
  const targetSe = opts.targetSe ?? ADAPTIVE_DEFAULTS.targetSe;
  if (!(targetSe > 0 && targetSe < 10)) throw new UserError('--target-se must be a number above 0 and below 10, such as 0.35');
  return { ...ADAPTIVE_DEFAULTS, maxItems, targetSe };
}

export async function quizPlan(opts: TakeOptions, ctx: Context, interactive: boolean): Promise<Plan> {
  const feedback = checkFeedback(opts.feedback);
  const count = opts.count ?? 10;
  if (!Number.isInteger(count) || count < 1) throw new UserError('--count must be a whole number of 1 or more');
  const difficulties = checkDifficulties(opts.difficulty?.length ? opts.difficulty : [...DIFFICULTIES]);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const topics = opts.topic?.length ? [...new Set(opts.topic)] : banks.map((b) => b.id);
  checkTopics(banks, topics);
  const seed = opts.seed ?? randomInt(0, MAX_SEED);
  const tasks = opts.tasks === true;
  if (tasks && opts.adaptive)
    throw new UserError('--tasks draws hands-on tasks, which an adaptive sitting does not ask; leave out one of them');
  if (tasks && availableCount(banks, topics, DIFFICULTIES, true) === 0) {
    const having = topicsWithTasks(banks);
    throw new UserError(
      having.length
        ? `${topics.length === banks.length ? 'no topic' : `topic${topics.length === 1 ? '' : 's'} ${topics.join(', ')}`} ha${topics.length === 1 ? 's' : 've'} no tasks; topics with tasks: ${having.join(', ')}`
        : 'no topic has tasks (hands-on sql or code questions) yet',
    );
  }
  if (availableCount(banks, topics, difficulties, tasks) === 0)
    throw new UserError(`no ${tasks ? 'tasks' : 'questions'} match topics ${topics.join(', ')} at difficulty ${difficulties.join(', ')}`);
  const mode = modeOf(interactive);
  const questions = banks.flatMap((b) => b.questions);
  if (opts.adaptive) {
    const rules = await adaptiveRules(opts);
    return {
      sitting: { candidate: candidateOf(opts), seed, items: [], settings: { topics, count: 0, difficulties, feedback, mode } },
      feedback,
      questions,
      adaptive: { banks, topics, difficulties, rules },
    };
  }
  const items = selectQuestions(banks, { topics, count, difficulties, seed, tasks });
  const noun = tasks ? 'task' : 'question';
  // Said only when asked for: the default count is no promise.
  if (items.length < count && opts.count !== undefined)
    ctx.stderr.write(
      `Only ${items.length} ${noun}${items.length === 1 ? '' : 's'} match${items.length === 1 ? 'es' : ''} ${topics.length === banks.length ? 'all topics' : `topic${topics.length === 1 ? '' : 's'} ${topics.join(', ')}`}${difficulties.length < DIFFICULTIES.length ? ` at difficulty ${difficulties.join(', ')}` : ''}, so the quiz asks ${items.length}, not ${count}.\n`,
    );
  return {
    sitting: { candidate: candidateOf(opts), seed, items, settings: { topics, count: items.length, difficulties, feedback, mode } },
    feedback,
    questions,
  };
}
