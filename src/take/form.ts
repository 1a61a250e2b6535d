// `--print-form` and `--answers-template`: the drawn questions shown without answers, nothing stored.
import path from 'node:path';
import type { NewSitting } from '../assessment/sitting.js';
import { writeFileAtomic } from '../files.js';
import { toJson } from '../report/json.js';
import type { Context } from '../commands/context.js';
import type { TakeOptions } from './plan.js';

export async function printForm(s: NewSitting, opts: TakeOptions, ctx: Context, packFile: string | undefined): Promise<void> {
  const { answersTemplate, formJson, renderFormText } = await import('../report/form.js');
  if (opts.answersTemplate !== undefined) {
    const what =
      packFile !== undefined
        ? packFile
        : opts.assessment !== undefined
          ? `--assessment ${opts.assessment}`
          : opts.retry !== undefined
            ? `--retry ${opts.retry}`
            : `${opts.topic?.length ? `--topic ${opts.topic.join(',')} ` : ''}--count ${s.items.length}${opts.difficulty?.length ? ` --difficulty ${opts.difficulty.join(',')}` : ''}`;
    // The code itself stays out of the file and the terminal's scrollback.
    const code = s.settings.assessment?.openedAt !== undefined ? ' --start-code <code>' : '';
    const rerun = `backend-quiz take ${what}${code} --seed ${s.seed} --answers ${opts.answersTemplate}`;
    writeFileAtomic(path.resolve(ctx.cwd, opts.answersTemplate), answersTemplate(s.items, s.seed, rerun));
    ctx.stderr.write(`Wrote ${opts.answersTemplate} (${s.items.length} questions, seed ${s.seed}). Fill it in, then run:\n  ${rerun}\n`);
  }
  if (opts.printForm) ctx.stdout.write(opts.json ? toJson(formJson(s.items, s.seed)) : `${renderFormText(s.items, s.seed, ctx.paint)}\n`);
}
