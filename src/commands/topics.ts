import { builtinSummary, summarize } from '../bank/summary.js';
import { EXIT, UserError } from '../errors.js';
import { didYouMean, nearest } from '../suggest.js';
import { safeLine } from '../text.js';
import { toJson } from '../report/json.js';
import { resolveContext, type CommonOptions, type Context } from './context.js';

export interface TopicsOptions extends CommonOptions {
  json?: boolean;
}

export async function run(ids: string[], opts: TopicsOptions): Promise<number> {
  const ctx = resolveContext(opts);
  if (ids.length) return listKeys(ids, opts, ctx);
  // The built-in banks alone are listed from their summary; user banks need loading (and YAML).
  const rows =
    (ctx.bankDirs.length === 0 ? builtinSummary() : undefined) ??
    summarize((await import('../bank/load.js')).requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir));
  if (opts.json) {
    ctx.stdout.write(toJson({ schemaVersion: 1, topics: rows }));
    return EXIT.ok;
  }
  const w = Math.max(5, ...rows.map((r) => r.id.length));
  const p = ctx.paint;
  const lines = [p.bold(`${'TOPIC'.padEnd(w)}  TOTAL  EASY  MEDIUM  HARD  TITLE`)];
  for (const r of rows) {
    // The columns before the title take w + 29 characters; the title gets the rest of 80.
    const room = 80 - w - 29;
    const title = r.title.length > room ? `${r.title.slice(0, room - 1)}…` : r.title;
    lines.push(
      `${r.id.padEnd(w)}  ${String(r.questions).padStart(5)}  ${String(r.difficulty.easy).padStart(4)}  ${String(r.difficulty.medium).padStart(6)}  ${String(r.difficulty.hard).padStart(4)}  ${title}`,
    );
  }
  const total = rows.reduce((n, r) => n + r.questions, 0);
  lines.push(p.dim(`${rows.length} topics, ${total} questions`));
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** The questions of some topics by key: what an assessment's 'questions' list and an answers file name. */
async function listKeys(ids: readonly string[], opts: TopicsOptions, ctx: Context): Promise<number> {
  const banks = (await import('../bank/load.js')).requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir);
  const chosen = ids.map((id) => {
    const bank = banks.find((b) => b.id === id);
    if (!bank) {
      const near = didYouMean(
        nearest(
          id,
          banks.map((b) => b.id),
        ),
      );
      throw new UserError(`unknown topic '${safeLine(id)}'${near ? `${near} (` : '; '}'backend-quiz topics' lists them${near ? ')' : ''}`);
    }
    return bank;
  });
  if (opts.json) {
    ctx.stdout.write(
      toJson({
        schemaVersion: 1,
        topics: summarize(chosen).map((t, i) => ({
          ...t,
          keys: chosen[i]!.questions.map((q) => ({ key: q.key, difficulty: q.difficulty, type: q.type, prompt: q.prompt })),
        })),
      }),
    );
    return EXIT.ok;
  }
  const qs = chosen.flatMap((b) => b.questions);
  const lines: string[] = [];
  for (const q of qs) {
    // The key to copy, then the prompt's first line cut to 80 columns to tell the questions apart.
    const first = safeLine(q.prompt.split('\n')[0]!.trim());
    lines.push(
      `${ctx.paint.bold(safeLine(q.key))}  ${ctx.paint.dim(`${q.difficulty} · ${q.type}`)}`,
      `  ${first.length > 78 ? `${first.slice(0, 77)}…` : first}`,
    );
  }
  lines.push(ctx.paint.dim(`${qs.length} questions in ${chosen.length} topic${chosen.length === 1 ? '' : 's'}`));
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
