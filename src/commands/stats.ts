import { requireBanks } from '../bank/load.js';
import { DIFFICULTIES } from '../bank/types.js';
import { EXIT } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { standing } from '../practice/round.js';
import { toJson } from '../report/json.js';
import { buildProgress, progressJson, RECENT_DAYS, renderProgress, WEEKS, weeksEnd } from '../report/progress.js';
import { withStore } from '../store/db.js';
import { dueOf } from '../store/practice.js';
import { topicTotals, weekTotals } from '../store/progress.js';
import { resolveContext, type CommonOptions } from './context.js';
import { cleanName, defaultCandidate } from '../take/plan.js';

export interface StatsOptions extends CommonOptions {
  candidate?: string;
  json?: boolean;
  now?: () => Date;
}

const DAY = 86_400_000;

/** `backend-quiz stats`: a candidate's progress per topic, weakest first, with what is due. */
export async function run(opts: StatsOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const now = (opts.now ?? (() => new Date()))();
  const candidate = cleanName(opts.candidate ?? defaultCandidate());
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const end = weeksEnd(now);
  const progress = withStore(resolveDbPath(ctx.db, ctx.env), (db) => {
    const due = standing(banks, dueOf(db, candidate), { topics: banks.map((b) => b.id), difficulties: DIFFICULTIES }, now);
    return buildProgress({
      candidate,
      now,
      totals: topicTotals(db, candidate, new Date(now.getTime() - RECENT_DAYS * DAY).toISOString()),
      weeks: weekTotals(db, candidate, new Date(end.getTime() - WEEKS * 7 * DAY).toISOString(), end.toISOString()),
      banks: new Map(due.map((t) => [t.topic, { questions: t.questions, due: t.due }])),
    });
  });
  ctx.stdout.write(opts.json ? toJson(progressJson(progress)) : `${renderProgress(progress, ctx.paint, ctx.stdout.columns)}\n`);
  return EXIT.ok;
}
