import { EXIT } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { historyJson, toJson } from '../report/json.js';
import { renderHistory } from '../report/text.js';
import { openStore } from '../store/db.js';
import { listSessions } from '../store/sessions.js';
import { resolveContext, type CommonOptions } from './context.js';

export interface HistoryOptions extends CommonOptions {
  candidate?: string;
  limit?: number;
  json?: boolean;
}

export async function run(opts: HistoryOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const db = openStore(resolveDbPath(ctx.db, ctx.env));
  try {
    const sessions = listSessions(db, { candidate: opts.candidate, limit: opts.limit });
    ctx.stdout.write(opts.json ? toJson(historyJson(sessions)) : `${renderHistory(sessions, ctx.paint, opts.candidate)}\n`);
  } finally {
    db.close();
  }
  return EXIT.ok;
}
