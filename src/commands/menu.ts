import { requireBanks } from '../bank/load.js';
import { DIFFICULTIES } from '../bank/types.js';
import { resolveDbPath } from '../paths.js';
import { isMistake } from '../practice/retry.js';
import { standing } from '../practice/round.js';
import { withStore } from '../store/db.js';
import { dueOf } from '../store/practice.js';
import { resolveContext } from './context.js';
import { cleanName, defaultCandidate, type TakeOptions } from '../take/plan.js';
import { run as take } from './take.js';

/** Bare `backend-quiz` in a terminal: practice, a quiz, retrying mistakes or progress, then that command. */
export async function run(opts: TakeOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const candidate = cleanName(opts.candidate ?? defaultCandidate());
  const counts = withStore(resolveDbPath(ctx.db, ctx.env), (db) => {
    const cards = dueOf(db, candidate);
    const due = standing(
      banks,
      cards,
      { topics: banks.map((b) => b.id), difficulties: DIFFICULTIES },
      (opts.now ?? (() => new Date()))(),
    ).reduce((n, t) => n + t.due, 0);
    return { due, mistakes: cards.filter((c) => isMistake(c.lastOutcome)).length };
  });
  const prompts = await import('../ui/prompts.js');
  const ui = { input: ctx.stdin, output: ctx.stdout, paint: ctx.paint };
  switch (await prompts.mainMenu(counts, ui)) {
    case 'practice':
      return (await import('./practice.js')).run(opts);
    case 'retry':
      return take({ ...opts, retry: 'mistakes' });
    case 'progress':
      return (await import('./stats.js')).run(opts);
    case 'quiz': {
      const choice = await prompts.startMenu(banks, ui);
      return take({ ...opts, topic: choice.topics, count: choice.count, difficulty: choice.difficulties });
    }
  }
}
