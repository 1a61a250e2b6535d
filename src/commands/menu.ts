import { requireBanks } from '../bank/load.js';
import { resolveContext } from './context.js';
import { run as take, type TakeOptions } from './take.js';

/** Bare `backend-quiz` in a terminal: a short start menu, then the same quiz as `take`. */
export async function run(opts: TakeOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const { startMenu } = await import('../ui/prompts.js');
  const choice = await startMenu(banks, { input: ctx.stdin, output: ctx.stdout, paint: ctx.paint });
  return take({ ...opts, topic: choice.topics, count: choice.count, difficulty: choice.difficulties });
}
