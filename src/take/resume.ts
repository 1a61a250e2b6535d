// `--resume <id>`: a stopped sitting continued at its first unanswered question.
import { requireBanks } from '../bank/load.js';
import type { Difficulty } from '../bank/types.js';
import { deadlineOf, firstUnanswered, storedItems } from '../assessment/sitting.js';
import { UserError } from '../errors.js';
import type { SessionDetail } from '../store/sessions.js';
import type { Context } from '../commands/context.js';
import type { Feedback, Plan } from './plan.js';

// A practice round or a retry stays one when resumed: its title says so.
const KIND_TITLE = { practice: 'Practice round', retry: 'Retry', quiz: 'Quiz' } as const;

export function resumePlan(detail: SessionDetail, now: Date, ctx: Context): Plan {
  const s = detail.session;
  if (s.status !== 'in_progress' && s.status !== 'abandoned')
    throw new UserError(
      `session ${s.id} is ${s.status.replace('_', ' ')}; there is nothing to resume ('backend-quiz take --resume' lists the sittings that can be resumed)`,
    );
  if (s.importedFrom !== null)
    throw new UserError(`session ${s.id} was imported from ${s.importedFrom}; only a sitting taken on this machine can be resumed`);
  const answered = firstUnanswered(detail);
  const adaptive = s.settings.adaptive;
  // An adaptive sitting that has not stopped goes on choosing after its last answer, from its banks.
  if (answered >= detail.items.length && (!adaptive || adaptive.stop))
    throw new UserError(`session ${s.id} has every question answered; there is nothing to resume`);
  const banks = adaptive ? requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir) : [];
  const deadline = deadlineOf(detail);
  const info = s.settings.assessment;
  const leftMs = deadline === undefined ? null : deadline - now.getTime();
  return {
    sitting: { resume: detail },
    feedback: s.settings.feedback as Feedback,
    // A sitting whose time ran out while away is closed at once, without a briefing.
    ...(leftMs === null || leftMs > 0
      ? {
          briefing: {
            title: info?.title ?? `${KIND_TITLE[s.settings.kind ?? 'quiz']} ${s.id}`,
            instructions: '',
            questions: adaptive?.maxItems ?? detail.items.length,
            timeLimitMs: info?.timeLimitMs ?? null,
            resume: { answered, leftMs },
            ...(adaptive && { adaptive: true }),
          },
        }
      : {}),
    // The questions as stored come last, so an answers file is checked against them as asked.
    questions: [...banks.flatMap((b) => b.questions), ...storedItems(detail).map((i) => i.question)],
    ...(adaptive && {
      adaptive: {
        banks,
        topics: s.settings.topics,
        difficulties: s.settings.difficulties as Difficulty[],
        rules: { maxItems: adaptive.maxItems, targetSe: adaptive.targetSe, exposure: adaptive.exposure },
        calibrationId: adaptive.calibrationId,
      },
    }),
  };
}
