import { EXIT } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { historyJson, toJson } from '../report/json.js';
import { renderHistory } from '../report/text.js';
import { withStore } from '../store/db.js';
import { listSessions } from '../store/sessions.js';
import { resolveContext, type CommonOptions } from './context.js';

export interface HistoryOptions extends CommonOptions {
  candidate?: string;
  limit?: number;
  json?: boolean;
}

export async function run(opts: HistoryOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const sessions = withStore(resolveDbPath(ctx.db, ctx.env), (db) => listSessions(db, { candidate: opts.candidate, limit: opts.limit }));
  ctx.stdout.write(opts.json ? toJson({ schemaVersion: 1, sessions: historyJson(sessions) }) : `${renderHistory(sessions, ctx.paint, opts.candidate)}\n`);
  return EXIT.ok;
}
