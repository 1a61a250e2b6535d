import { builtinSummary, summarize } from '../bank/summary.js';
import { EXIT } from '../errors.js';
import { toJson } from '../report/json.js';
import { resolveContext, type CommonOptions } from './context.js';

export interface TopicsOptions extends CommonOptions {
  json?: boolean;
}

export async function run(opts: TopicsOptions): Promise<number> {
  const ctx = resolveContext(opts);
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
