import { EXIT } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { detailSummary, sessionJson, toJson } from '../report/json.js';
import { renderReview, renderSummary } from '../report/text.js';
import { sessionAbility } from '../store/calibrations.js';
import { withStore } from '../store/db.js';
import { getSession } from '../store/sessions.js';
import { resolveContext, type CommonOptions } from './context.js';

export interface ShowOptions extends CommonOptions {
  json?: boolean;
}

export async function run(sessionId: string, opts: ShowOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const { detail, ability } = withStore(resolveDbPath(ctx.db, ctx.env), (db) => {
    const detail = getSession(db, sessionId);
    return { detail, ability: sessionAbility(db, detail) };
  });
  const summary = detailSummary(detail);
  ctx.stdout.write(
    opts.json
      ? toJson({ schemaVersion: 1, ...sessionJson(detail, summary, ability) })
      : `${renderSummary(detail.session, summary, ctx.paint, ability)}\n\n${renderReview(detail, ctx.paint, { all: true })}\n`,
  );
  return EXIT.ok;
}
