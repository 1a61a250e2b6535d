import { requireBanks } from '../bank/load.js';
import { DIFFICULTIES, isTask } from '../bank/types.js';
import { EXIT } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { isMistake } from '../practice/retry.js';
import { standing } from '../practice/round.js';
import { withStore } from '../store/db.js';
import { dueOf } from '../store/practice.js';
import { resolveContext } from './context.js';
import { cleanName, defaultCandidate, type TakeOptions } from '../take/plan.js';
import { run as take } from './take.js';

/**
 * Bare `backend-quiz` in a terminal: practice, a quiz, retrying mistakes or progress, then back to
 * the menu (as rustlings and Anki do) until Quit or Ctrl-C.
 */
export async function run(opts: TakeOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const candidate = cleanName(opts.candidate ?? defaultCandidate());
  const prompts = await import('../ui/prompts.js');
  const ui = { input: ctx.stdin, output: ctx.stdout, paint: ctx.paint, width: ctx.stdout.columns, rows: ctx.stdout.rows };
  for (let first = true; ; first = false) {
    // Counted afresh each time: a round changes what is due and what is left to retry.
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
    if (!first) ctx.stdout.write('\n');
    const tasks = banks.reduce((n, b) => n + b.questions.filter(isTask).length, 0);
    switch (await prompts.mainMenu({ ...counts, tasks }, ui)) {
      case 'quit':
        return EXIT.ok;
      case 'practice':
        await (await import('./practice.js')).run(opts);
        break;
      case 'retry':
        await take({ ...opts, retry: 'mistakes' });
        break;
      case 'progress':
        await (await import('./stats.js')).run(opts);
        break;
      case 'task': {
        const choice = await prompts.taskMenu(banks, ui);
        await take({ ...opts, tasks: true, topic: choice.topics, count: choice.count });
        break;
      }
      case 'quiz': {
        const choice = await prompts.startMenu(banks, ui);
        await take({ ...opts, topic: choice.topics, count: choice.count, difficulty: choice.difficulties });
        break;
      }
    }
  }
}
