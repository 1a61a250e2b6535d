import { EXIT } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { detailSummary, sessionJson, toJson } from '../report/json.js';
import { renderReview, renderSummary, scoreLine } from '../report/text.js';
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
  if (opts.json) {
    ctx.stdout.write(toJson({ schemaVersion: 1, ...sessionJson(detail, summary, ability) }));
    return EXIT.ok;
  }
  const review = renderReview(detail, ctx.paint, { all: true, width: ctx.stdout.columns });
  // A review longer than the screen pushes the score out of sight: it is repeated under it.
  const long = !detail.session.settings.assessment?.sealed && review.split('\n').length >= (ctx.stdout.rows ?? 24) - 2;
  ctx.stdout.write(
    `${renderSummary(detail.session, summary, ctx.paint, ability)}\n\n${review}\n${long ? `\n${scoreLine(summary, ctx.paint)}\n` : ''}`,
  );
  return EXIT.ok;
}
