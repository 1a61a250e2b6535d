import fs from 'node:fs';
import path from 'node:path';
import { loadAllBanks } from '../bank/load.js';
import type { Bank, Question } from '../bank/types.js';
import { requireAssessment } from '../assessment/load.js';
import { gradeAll, importResult, snapshotLookup, taskAnswers, type ImportOutcome, type TaskAnswers } from '../assessment/import.js';
import type { TaskGrade } from '../engine/score.js';
import { readTextFile } from '../files.js';
import { MAX_PACK_BYTES, readKey } from '../assessment/pack.js';
import { KEY_AMONG_RESULTS, MAX_RESULT_BYTES, readResult, type ResultFile } from '../assessment/result.js';
import { EXIT, UserError } from '../errors.js';
import { resolveDbPath } from '../paths.js';
import { toJson } from '../report/json.js';
import { saveAssessment, savePackKey } from '../store/assessments.js';
import { withStoreAsync } from '../store/db.js';
import { questionHash } from '../store/sessions.js';
import { safeLine } from '../text.js';
import { resolveContext, type CommonOptions } from './context.js';

export interface ImportOptions extends CommonOptions {
  json?: boolean;
  now?: () => Date;
  /** Answer keys of sealed packs, named by the interviewer: the only key files import reads. */
  key?: string[];
  /** Assessment definitions (YAML) to record as the interviewer's before grading. */
  assessment?: string[];
}

interface Refusal {
  file: string;
  reason: string;
}

/** Files named on the command line, and the *.json files of folders (sorted). */
function expand(paths: readonly string[], cwd: string): { files: string[]; refused: Refusal[] } {
  const files: string[] = [];
  const refused: Refusal[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(path.resolve(cwd, p));
    } catch {
      refused.push({ file: p, reason: 'no such file or folder' });
      continue;
    }
    if (st.isDirectory())
      files.push(
        ...fs
          .readdirSync(path.resolve(cwd, p))
          .filter((n) => n.endsWith('.json'))
          .sort()
          .map((n) => path.join(p, n)),
      );
    else files.push(p);
  }
  return { files, refused };
}

export async function run(paths: string[], opts: ImportOptions): Promise<number> {
  const ctx = resolveContext(opts);
  if (!paths.length && !opts.key?.length && !opts.assessment?.length)
    throw new UserError(
      'name the result files or folders to import (or record a key or definition alone with --key <file> or --assessment <file>)',
      EXIT.usage,
    );
  const now = (opts.now ?? (() => new Date()))().toISOString();
  const expanded = expand(paths, ctx.cwd);
  const refused = expanded.refused;
  // A key named with --key is the interviewer's even where it lies among the results.
  const named = new Set((opts.key ?? []).map((k) => path.resolve(ctx.cwd, k)));
  const files = expanded.files.filter((f) => !named.has(path.resolve(ctx.cwd, f)));
  const imported: Extract<ImportOutcome, { kind: 'imported' }>[] = [];
  const present: (Extract<ImportOutcome, { kind: 'present' }> & { file: string })[] = [];
  const keys: string[] = [];
  const { progress } = await import('../ui/spinner.js');
  const spinner =
    files.length >= 20 && !opts.json
      ? progress(ctx.stderr, `Importing ${files.length} files`, { colour: ctx.paint.level > 0, env: ctx.env })
      : undefined;

  // A definition named with --assessment is the interviewer's: check it fully before anything is written.
  const definitions = (opts.assessment ?? []).map((file) => requireAssessment(file, ctx.cwd, ctx.bankDirs, ctx.cacheDir).assessment);

  await withStoreAsync(
    resolveDbPath(ctx.db, ctx.env),
    async (db) => {
      let loaded: readonly Bank[] | undefined;
      const banks = (): readonly Bank[] => (loaded ??= loadAllBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir).banks);
      let bankIndex: Map<string, Question> | undefined;
      const lookup = snapshotLookup(db, () => {
        bankIndex ??= new Map(banks().flatMap((b) => b.questions.map((q) => [questionHash(q), q] as const)));
        return bankIndex;
      });
      const texts = files.map((file) => {
        try {
          return { file, text: readTextFile(file, ctx.cwd, 'a result file', MAX_RESULT_BYTES) };
        } catch (e) {
          refused.push({ file, reason: reasonOf(e, file) });
          return undefined;
        }
      });
      db.transaction(() => {
        for (const a of definitions) saveAssessment(db, a, now);
        // Keys first, so results sealed with them can be graded in the same run.
        for (const file of opts.key ?? []) {
          try {
            const text = readTextFile(file, ctx.cwd, 'a key file', MAX_PACK_BYTES);
            savePackKey(db, readKey(text, file), now);
            keys.push(file);
          } catch (e) {
            refused.push({ file, reason: reasonOf(e, file) });
          }
        }
      }).immediate();
      const results: { file: string; result: ResultFile; answers: TaskAnswers; grades: Map<number, TaskGrade> }[] = [];
      const readable = texts.filter((t) => t !== undefined);
      for (const [i, { file, text }] of readable.entries()) {
        spinner?.update(`Reading ${i + 1}/${readable.length}: ${path.basename(file)}`);
        try {
          // A key among the results could be anyone's: only the interviewer names one.
          if (isKey(text)) throw new UserError(KEY_AMONG_RESULTS);
          const result = readResult(text, file);
          const answers = result.questions.some((q) => q.type === 'sql' || q.type === 'code')
            ? taskAnswers(db, result, path.basename(file), lookup, now, banks)
            : [];
          results.push({ file, result, answers, grades: new Map() });
        } catch (e) {
          refused.push({ file, reason: reasonOf(e, file) });
        }
      }
      // Tasks are run here, outside the transaction (a run is asynchronous, a transaction is not),
      // the answers of every file together, several at a time.
      const all = results.flatMap((r) => r.answers.map((a) => ({ ...a, grades: r.grades })));
      if (all.length) {
        spinner?.update(`Grading ${all.length} task answer${all.length === 1 ? '' : 's'}`);
        const graded = await gradeAll(all);
        all.forEach((a, i) => a.grades.set(a.position, graded[i]!));
      }
      // One transaction for the results (each file in a savepoint of its own, so a refused file
      // rolls back alone): a commit per file would cost more than the import itself.
      db.transaction(() => {
        results.forEach(({ file, result, grades }, i) => {
          spinner?.update(`Importing ${i + 1}/${results.length}: ${path.basename(file)}`);
          try {
            const outcome = importResult(db, result, path.basename(file), lookup, now, banks, grades);
            if (outcome.kind === 'imported') imported.push(outcome);
            else present.push({ ...outcome, file });
          } catch (e) {
            refused.push({ file, reason: reasonOf(e, file) });
          }
        });
      }).immediate();
    },
    'write',
  );
  spinner?.stop();

  if (opts.json) {
    ctx.stdout.write(toJson({ schemaVersion: 1, imported, alreadyPresent: present, keys, refused }));
  } else {
    const p = ctx.paint;
    for (const r of refused) ctx.stdout.write(`${p.red(`✘ ${safeLine(r.file)}: ${safeLine(r.reason)}`)}\n`);
    for (const r of present) ctx.stdout.write(`${p.dim(`· ${safeLine(r.file)}: ${safeLine(r.why)}`)}\n`);
    const parts = [
      `Imported ${imported.length} result${imported.length === 1 ? '' : 's'}`,
      `${present.length} already present`,
      `${refused.length} refused`,
    ];
    if (keys.length) parts.splice(1, 0, `${keys.length} key file${keys.length === 1 ? '' : 's'}`);
    ctx.stdout.write(`${(refused.length ? p.yellow : p.green)(`${parts.join(', ')}.`)}\n`);
  }
  return refused.length ? EXIT.failed : EXIT.ok;
}

const isKey = (t: string): boolean => /"format"\s*:\s*"backend-quiz\/key"/.test(t.slice(0, 200));

/** The reason for a refusal, without the file name the line already starts with. */
function reasonOf(e: unknown, file: string): string {
  if (e instanceof UserError) return e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
  throw e;
}
