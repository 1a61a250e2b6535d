// `take <pack> --check`: before the interview, the candidate learns whether the pack is intact
// and whether this machine can run the sitting, without a start code and without a clock.
import { EXIT, UserError } from '../errors.js';
import { readTextFile } from '../files.js';
import { formatDuration, safeLine } from '../text.js';
import type { Context } from '../commands/context.js';

/** Narrower than this, a question's choices wrap into a column too thin to read. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export async function checkPackFile(file: string | undefined, ctx: Context, dbPath: string): Promise<number> {
  if (file === undefined) throw new UserError('--check checks a pack before a sitting: backend-quiz take <pack file> --check');
  const { MAX_PACK_BYTES, readPack } = await import('../assessment/pack.js');
  const pack = readPack(readTextFile(file, ctx.cwd, 'a pack file', MAX_PACK_BYTES), file);
  const p = ctx.paint;
  const a = pack.assessment;
  const n = pack.sections.reduce((s, x) => s + x.count, 0);
  const lines = [
    p.green(`✔ ${safeLine(file)}: pack ${pack.id} for '${safeLine(a.title)}' is intact (its digest holds)`),
    `  ${n} question${n === 1 ? '' : 's'}, ${a.timeLimitMs === null ? 'no time limit' : `time limit ${formatDuration(a.timeLimitMs)}`}`,
  ];
  let ok = true;
  try {
    const { openStore } = await import('../store/db.js');
    openStore(dbPath).close();
    lines.push(p.green(`✔ results database ${safeLine(dbPath)} opens`));
  } catch (e) {
    ok = false;
    // A native module built for another Node fails here, before any question is shown.
    lines.push(p.red(`✘ results database ${safeLine(dbPath)}: ${safeLine((e as Error).message.split('\n')[0] ?? '')}`));
  }
  const out = ctx.stdout as { isTTY?: boolean; columns?: number; rows?: number };
  if (!out.isTTY) lines.push(p.yellow('! not a terminal here: sit the pack in a terminal'));
  else if ((out.columns ?? 0) < MIN_COLUMNS || (out.rows ?? 0) < MIN_ROWS) {
    ok = false;
    lines.push(p.red(`✘ terminal ${out.columns}×${out.rows}: make it at least ${MIN_COLUMNS}×${MIN_ROWS}`));
  } else lines.push(p.green(`✔ terminal ${out.columns}×${out.rows}`));
  if (a.instructions) lines.push('', p.bold('Instructions'), safeLine(a.instructions.replace(/\s*\n\s*/g, ' ')));
  lines.push('');
  if (!ok) lines.push(p.red('Not ready: fix the problems above before the sitting.'));
  else if (pack.locked)
    lines.push(
      p.bold('Ready.'),
      `The questions are locked: \`backend-quiz take ${safeLine(file)}\` asks for the start code your interviewer gives you,`,
      `and the clock${a.timeLimitMs === null ? '' : ` (${formatDuration(a.timeLimitMs)})`} starts when the code opens them.`,
    );
  else
    lines.push(
      p.bold('Ready.'),
      `Run \`backend-quiz take ${safeLine(file)}\` when the sitting begins; ${a.timeLimitMs === null ? 'it has no time limit' : 'the clock starts when you press Enter after the briefing'}.`,
    );
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return ok ? EXIT.ok : EXIT.failed;
}
