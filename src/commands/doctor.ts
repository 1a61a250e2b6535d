import { EXIT } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { toJson } from '../report/json.js';
import { diagnose } from '../store/db.js';
import { safeLine } from '../text.js';
import { resolveContext, type CommonOptions } from './context.js';

export interface DoctorOptions extends CommonOptions {
  json?: boolean;
}

/** Checks the results database without changing it; exit 1 when it is damaged. */
export async function run(opts: DoctorOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const file = resolveDbPath(ctx.db, ctx.env);
  const d = diagnose(file);
  if (opts.json) {
    ctx.stdout.write(toJson(d));
    return d.ok ? EXIT.ok : EXIT.failed;
  }
  const p = ctx.paint;
  const lines = [`Checking ${file}`];
  if (d.ok) {
    lines.push(p.green(`✔ integrity check passed: schema version ${d.schemaVersion}, ${d.sessions} sessions, ${d.answers} answers`));
  } else {
    lines.push(...d.problems.map((x) => p.red(`✘ ${safeLine(x)}`)));
    lines.push(
      p.yellow(
        `The database is damaged. Restore it from a backup, or move it aside (mv ${file} ${file}.damaged) and start a new one; backend-quiz will not write to it.`,
      ),
    );
  }
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return d.ok ? EXIT.ok : EXIT.failed;
}
