import { EXIT } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { historyJson, toJson } from '../report/json.js';
import { renderHistory } from '../report/text.js';
import { sessionAbilities } from '../store/calibrations.js';
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
  const { sessions, abilities } = withStore(resolveDbPath(ctx.db, ctx.env), (db) => {
    const sessions = listSessions(db, { candidate: opts.candidate, limit: opts.limit });
    // Only JSON carries abilities: the table keeps to the columns that fit 80 characters.
    return { sessions, abilities: opts.json ? sessionAbilities(db, sessions) : undefined };
  });
  ctx.stdout.write(
    opts.json
      ? toJson({ schemaVersion: 1, sessions: historyJson(sessions, abilities) })
      : `${renderHistory(sessions, ctx.paint, opts.candidate, ctx.stdout.columns)}\n`,
  );
  return EXIT.ok;
}
