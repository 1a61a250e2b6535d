import { randomInt } from 'node:crypto';
import { requireBanks } from '../bank/load.js';
import type { Database } from 'better-sqlite3';
import { DIFFICULTIES, type Bank, type Difficulty } from '../bank/types.js';
import { MAX_SEED } from '../engine/rng.js';
import { EXIT, UserError } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { chooseRound, nextDue, standing, type Scope } from '../practice/round.js';
import { toJson } from '../report/json.js';
import { renderStatus, statusJson } from '../report/practice.js';
import { when } from '../report/format.js';
import { withStore } from '../store/db.js';
import { dueOf, type CardDue } from '../store/practice.js';
import type { Session } from '../store/sessions.js';
import { resolveContext, type Context } from './context.js';
import { dateBound } from './report.js';
import { checkDifficulties, checkTopics, cleanName, defaultCandidate, modeOf, unattended, type TakeOptions } from '../take/plan.js';
import { run as take } from './take.js';

export interface PracticeOptions extends Omit<TakeOptions, 'retry' | 'chosen' | 'feedback'> {
  /** Show where the candidate stands instead of asking. */
  status?: boolean;
  /** With `status`: as it will stand at this date or time. */
  at?: string;
}

function scopeOf(opts: PracticeOptions, banks: readonly Bank[]): Scope {
  const topics = opts.topic?.length ? [...new Set(opts.topic)] : banks.map((b) => b.id);
  checkTopics(banks, topics);
  return { topics, difficulties: checkDifficulties(opts.difficulty?.length ? opts.difficulty : [...DIFFICULTIES]) };
}

/** Due now and the next due time, after a round, so the candidate knows when to come back. */
export function scheduleLine(cards: readonly CardDue[], banks: readonly Bank[], scope: Scope, now: Date): string {
  const due = standing(banks, cards, scope, now).reduce((n, t) => n + t.due, 0);
  const next = nextDue(banks, cards, scope, now);
  const parts = [
    due
      ? `${due} question${due === 1 ? ' is' : 's are'} due now (practise again to go over ${due === 1 ? 'it' : 'them'})`
      : 'Nothing is due now',
  ];
  if (next) parts.push(`the next ${due ? 'comes' : 'is'} due ${when(next)}`);
  return `${parts.join('; ')}.`;
}

/** The same line after a resumed round (`take --resume`), for the round's own candidate and scope. */
export function resumedScheduleLine(ctx: Context, db: Database, session: Session, now: Date): string {
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const scope = { topics: session.settings.topics, difficulties: session.settings.difficulties as Difficulty[] };
  return scheduleLine(dueOf(db, session.candidate), banks, scope, now);
}

/** `backend-quiz practice`: a round of the questions due, then new ones; or, with --status, where the candidate stands. */
export async function run(opts: PracticeOptions): Promise<number> {
  const ctx: Context = resolveContext(opts);
  const now = opts.now ?? (() => new Date());
  if (opts.at !== undefined && !opts.status) throw new UserError('--at goes with --status: backend-quiz practice --status --at 2026-11-02');
  const banks = requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const scope = scopeOf(opts, banks);
  const candidate = cleanName(opts.candidate ?? defaultCandidate());
  const dbPath = resolveDbPath(ctx.db, ctx.env);

  if (opts.status) {
    const at = opts.at !== undefined ? dateBound(opts.at, '--at', true) : now().toISOString();
    const topics = withStore(dbPath, (db) => standing(banks, dueOf(db, candidate), scope, new Date(at)));
    const input = { candidate, at, now: opts.at === undefined, topics };
    ctx.stdout.write(opts.json ? toJson(statusJson(input)) : `${renderStatus(input, ctx.paint, ctx.stdout.columns)}\n`);
    return EXIT.ok;
  }

  const count = opts.count ?? 10;
  if (!Number.isInteger(count) || count < 1) throw new UserError('--count must be a whole number of 1 or more');
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > MAX_SEED))
    throw new UserError(`--seed must be a whole number from 0 to ${MAX_SEED}`);
  const interactive = opts.answers === undefined;
  if (interactive && unattended(ctx.env, ctx.stdin) && !opts.interactive) {
    throw new UserError(
      'no one to ask: this is CI or not a terminal, so give the answers with --answers <file> (keys as <bank>/<id>, see `backend-quiz topics`)',
    );
  }
  const seed = opts.seed ?? randomInt(0, MAX_SEED);
  const cards = withStore(dbPath, (db) => dueOf(db, candidate));
  const round = chooseRound(banks, cards, { ...scope, count, seed, now: now() });
  const out = opts.json ? ctx.stderr : ctx.stdout;
  if (round.items.length === 0) {
    const next = nextDue(banks, cards, scope, now());
    out.write(
      `Nothing to practise: no question is due and you have answered every question in ${scope.topics.length === 1 ? scope.topics[0] : 'these topics'}.${next ? ` The next comes due ${when(next)}.` : ''}\n`,
    );
    return EXIT.ok;
  }
  const fresh = round.items.length - round.due;
  const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const what = [
    round.due ? `${plural(round.due, 'question')} due (most overdue first)` : '',
    fresh ? plural(fresh, round.due ? 'new one' : 'new question') : '',
  ];
  // In a terminal a blank line sets the first question apart.
  out.write(`${ctx.paint.bold(`Practice for ${candidate}: ${what.filter(Boolean).join(', then ')}.`)}\n${interactive ? '\n' : ''}`);
  const code = await take({
    ...opts,
    chosen: {
      sitting: {
        candidate,
        seed,
        items: round.items,
        settings: {
          topics: [...scope.topics],
          count: round.items.length,
          difficulties: [...scope.difficulties],
          feedback: 'immediate',
          mode: modeOf(interactive),
          kind: 'practice',
        },
      },
      // An answers file may name any question of the banks, as for a quiz.
      questions: banks.flatMap((b) => b.questions),
    },
  });
  out.write(
    `${scheduleLine(
      withStore(dbPath, (db) => dueOf(db, candidate)),
      banks,
      scope,
      now(),
    )}\n`,
  );
  return code;
}
