import fs from 'node:fs';
import path from 'node:path';
import { loadAssessment, requireAssessment } from '../assessment/load.js';
import { checkNewStartCode, generateStartCode } from '../assessment/lock.js';
import { buildPack, lockPack, packExpectations } from '../assessment/pack.js';
import { writeFileAtomic } from '../files.js';
import { drawSections } from '../assessment/form.js';
import { formatProblem } from '../bank/types.js';
import { EXIT, UserError } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { toJson } from '../report/json.js';
import { saveAssessment, savePackKey } from '../store/assessments.js';
import { loadBuiltinBanks } from '../bank/load.js';
import { withStore } from '../store/db.js';
import { formatDuration, safeLine } from '../text.js';
import { resolveContext, type CommonOptions } from './context.js';

export interface AssessmentOptions extends CommonOptions {
  force?: boolean;
  json?: boolean;
  output?: string;
  keyOut?: string;
  /** Lock the pack's questions with this start code, or with a generated one (true). */
  startCode?: string | boolean;
  now?: () => Date;
}

export const STARTER = `# yaml-language-server: $schema=https://backend-quiz.dev/schema/assessment.schema.json
# A backend-quiz assessment. Check it with:  backend-quiz assessment check <this file>
# Candidates sit it with:                    backend-quiz take --assessment <this file>
# or, sealed without the answer key:         backend-quiz assessment pack <this file> -o pack.json

# Reports group sittings by this id (lowercase letters, digits and hyphens).
assessment: senior-backend
title: Senior backend engineer

# Shown before the first question, with the number of questions and the time limit.
instructions: |
  Answer on your own, without looking anything up. Unanswered questions score
  nothing, so answer every one. Your answers are saved as you go.

# Each section draws 'count' questions from a topic (see: backend-quiz topics),
# optionally only at some difficulties, or lists exact questions as <bank>/<id>
# (see: backend-quiz topics <topic>).
sections:
  - topic: http-apis
    count: 4
  - topic: databases-sql
    count: 4
    difficulty: [medium, hard]
  - topic: security
    count: 3
  - questions:
      - caching/identify-cache-aside

# Wall time from the moment the candidate starts (e.g. 45m, 90s, 1h30m);
# leave it out for no limit.
time_limit: 30m

# Percent needed to pass, overall and (optionally) per topic.
pass_mark: 70
topic_pass_marks:
  databases-sql: 50

# none (default): the candidate sees no score; end: a review after the last question.
feedback: none

# fixed (default): every candidate gets the same questions in the same order.
# per-candidate: each sitting draws its own; the seed is recorded.
form: fixed

# Extra bank directories, relative to this file.
# banks: [./our-banks]

# A timed assessment is sat in a terminal: --print-form, --answers-template and
# --answers (scripted sittings) are refused. Allow them for CI and rehearsals;
# such sittings are marked scripted in result files and reports.
# scripted: allowed
`;

export async function run(action: 'init' | 'check' | 'pack', file: string, opts: AssessmentOptions): Promise<number> {
  const ctx = resolveContext(opts);
  const now = opts.now ?? (() => new Date());
  switch (action) {
    case 'init': {
      const abs = path.resolve(ctx.cwd, file);
      if (fs.existsSync(abs) && !opts.force)
        throw new UserError(`${file} already exists; choose another name or use --force to overwrite it`);
      writeFileAtomic(abs, STARTER);
      ctx.stdout.write(`Wrote ${file}. Edit it, then check it with: backend-quiz assessment check ${file}\n`);
      return EXIT.ok;
    }
    case 'check': {
      const { assessment: a, banks, problems } = loadAssessment(file, ctx.cwd, ctx.bankDirs);
      // A valid definition checked here is the interviewer's: import grades by it from now on.
      let recorded = false;
      if (a) {
        try {
          withStore(resolveDbPath(ctx.db, ctx.env), (db) => saveAssessment(db, a, now().toISOString()), 'write');
          recorded = true;
        } catch (e) {
          // The check itself stands; only the record for import is missing, and the line says why.
          if (!(e instanceof UserError)) throw e;
          ctx.stderr.write(`${ctx.paint.yellow(`warning: the definition was not recorded for import: ${e.message}`)}\n`);
        }
      }
      if (opts.json) {
        ctx.stdout.write(
          toJson({
            schemaVersion: 1,
            ok: problems.length === 0,
            file,
            problems,
            ...(a
              ? {
                  assessment: {
                    id: a.id,
                    title: a.title,
                    digest: a.digest,
                    questions: drawSections(a, banks, a.seed).reduce((n, s) => n + s.wanted, 0),
                  },
                }
              : {}),
          }),
        );
        return problems.length ? EXIT.failed : EXIT.ok;
      }
      if (!a) {
        for (const p of problems) ctx.stdout.write(`${ctx.paint.red(formatProblem(p))}\n`);
        ctx.stdout.write(`${ctx.paint.red(`${problems.length} problem${problems.length > 1 ? 's' : ''} in ${file}`)}\n`);
        return EXIT.failed;
      }
      const sections = drawSections(a, banks, a.seed);
      const n = sections.reduce((s, x) => s + x.wanted, 0);
      const lines = [
        ctx.paint.green(`✔ ${safeLine(file)}: assessment '${safeLine(a.id)}' (${safeLine(a.title)}) is valid`),
        `  ${n} questions in ${sections.length} section${sections.length > 1 ? 's' : ''}, ${a.timeLimitMs === null ? 'no time limit' : `time limit ${formatDuration(a.timeLimitMs)}`}, ${a.form} form, feedback ${a.feedback}`,
        ...sections.map((s) => {
          const spec = a.sections[s.index]!;
          const what = spec.topic
            ? `${spec.count} of ${s.available} from ${safeLine(spec.topic)}${spec.difficulty ? ` (${spec.difficulty.join(', ')})` : ''}`
            : `${spec.questions!.length} listed question${spec.questions!.length > 1 ? 's' : ''}`;
          return `  section ${s.index + 1}: ${what}`;
        }),
        `  pass mark: ${a.passMark === null ? 'none' : `${a.passMark}%`}${
          Object.keys(a.topicPassMarks).length
            ? `; per topic: ${Object.entries(a.topicPassMarks)
                .map(([t, m]) => `${safeLine(t)} ${m}%`)
                .join(', ')}`
            : ''
        }`,
        ...(recorded ? [ctx.paint.dim(`  Recorded in your results database: import grades results of '${a.id}' by this version.`)] : []),
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
      return EXIT.ok;
    }
    case 'pack': {
      if (!opts.output) throw new UserError('give the pack file to write with -o <file>');
      let code: string | undefined;
      if (opts.startCode === true) code = generateStartCode();
      else if (typeof opts.startCode === 'string') code = checkNewStartCode(opts.startCode) && opts.startCode;
      const { assessment: a, banks } = requireAssessment(file, ctx.cwd, ctx.bankDirs);
      const builtin = new Set(loadBuiltinBanks().banks.map((b) => b.id));
      const sealed = buildPack(
        a,
        banks,
        undefined,
        (q) => builtin.has(q.key.slice(0, q.key.indexOf('/'))),
        await packExpectations(a, banks),
      );
      const { pack, key } = code === undefined ? sealed : await lockPack(sealed, code);
      const stamp = now().toISOString();
      withStore(resolveDbPath(ctx.db, ctx.env), (db) => savePackKey(db, key, stamp), 'write');
      writeFileAtomic(path.resolve(ctx.cwd, opts.output), `${JSON.stringify(pack, null, 2)}\n`);
      if (opts.keyOut) writeFileAtomic(path.resolve(ctx.cwd, opts.keyOut), `${JSON.stringify(key, null, 2)}\n`);
      const n = pack.sections.reduce((s, x) => s + x.count, 0);
      if (pack.publicQuestions)
        ctx.stderr.write(
          `${ctx.paint.yellow(`warning: ${pack.publicQuestions} of the pack's questions come from the built-in banks, whose answers ship with backend-quiz: sealing hides nothing of those; for graded hiring, draw on banks of your own (--banks <dir>, or 'banks:' in ${safeLine(file)})`)}\n`,
        );
      ctx.stdout.write(
        [
          ctx.paint.green(`✔ Sealed '${a.id}' into ${opts.output} (pack ${pack.id}, ${n} questions, ${a.form} form).`),
          `Send only ${opts.output} to candidates; they run: npx backend-quiz take ${path.basename(opts.output)}`,
          opts.keyOut
            ? `The answer key is in ${opts.keyOut} and in your results database: keep it from candidates (elsewhere: backend-quiz import --key ${opts.keyOut} <results>).`
            : 'The answer key stays in your results database: import results on this machine (or write it out with --key-out).',
          ...(code === undefined
            ? []
            : [
                opts.startCode === true
                  ? ctx.paint.bold(`Start code: ${code}`)
                  : 'The questions are encrypted with the start code you gave.',
                'Read the code to the candidate when the sitting begins: their clock starts when it opens the pack.',
                'The code is stored nowhere: keep it now (if it is lost, seal a new pack).',
              ]),
        ].join('\n') + '\n',
      );
      return EXIT.ok;
    }
  }
}
