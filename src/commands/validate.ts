import { loadAllBanks, loadBuiltinBanks, loadExtraBanks } from '../bank/load.js';
import { lintBanks, staleQuestions, STALE_AFTER_MONTHS, type StaleQuestion } from '../bank/lint.js';
import { formatProblem, isTask, type Bank } from '../bank/types.js';
import { EXIT, UserError } from '../errors.js';
import { safeLine } from '../text.js';
import type { ValidateRun } from '../report/ci/model.js';
import { omittedLine } from '../yaml.js';
import { resolveContext, type CommonOptions } from './context.js';
import { emitReports, parseReporters, takesStdout } from './reporters.js';

export interface ValidateOptions extends CommonOptions {
  json?: boolean;
  /** `name[:file]`, repeatable. */
  reporter?: string[];
  /** Also run the curriculum content checks (counts, mix, types, references, near-duplicates, tells). */
  lint?: boolean;
  /** With lint: list the questions whose facts are due for a check (stale or never checked). */
  stale?: boolean;
  /** false (`--no-run`): skip running each task's solution and starter, checking the structure only. */
  run?: boolean;
  now?: () => Date;
}

const banksHaveTasks = (banks: readonly Bank[]): boolean => banks.some((b) => b.questions.some(isTask));

/** Exit 1 when any bank has a problem: a CI gate over question banks. */
export async function run(paths: string[], opts: ValidateOptions): Promise<number> {
  // Ages are a content check: without --lint they would be listed beside a verdict that ignores them.
  if (opts.stale && !opts.lint) throw new UserError('--stale is part of the content checks; run: backend-quiz validate --lint --stale');
  const ctx = resolveContext(opts);
  const now = (opts.now ?? (() => new Date()))();
  const reporters = parseReporters(opts.reporter, opts.json);
  const { progress } = await import('../ui/spinner.js');
  const spinner = progress(takesStdout(reporters) ? undefined : ctx.stderr, 'Reading banks', { colour: ctx.paint.level > 0, env: ctx.env });
  const onFile = (file: string, i: number, n: number): void => spinner.update(`Checking ${file} (${i + 1}/${n})`);
  // The loaders the quiz uses, so that what passes here loads there. Linting reports per question,
  // so it reads the built-in YAML (with positions) rather than the compiled JSON.
  const result = paths.length
    ? loadExtraBanks(paths, loadBuiltinBanks().banks, ctx.cwd, { onFile, now })
    : loadAllBanks(ctx.bankDirs, ctx.cwd, undefined, { onFile, now, ...(opts.lint ? { builtinYaml: true } : {}) });
  let stale: StaleQuestion[] | undefined;
  if (opts.lint && result.problems.length === 0) {
    const positions = result.positions ?? new Map();
    const where = (q: { key: string; topic: string }) => positions.get(q.key) ?? { file: q.topic, line: 1, col: 1 };
    const freshness = { checked: result.checked ?? new Map<string, string>(), now };
    spinner.update('Checking content rules');
    result.problems.push(...lintBanks(result.banks, where, undefined, freshness));
    if (opts.stale) stale = staleQuestions(result.banks, where, freshness);
  }
  if (opts.run !== false && banksHaveTasks(result.banks)) {
    // Where the compiled built-in banks carry no positions, a task is placed at its bank's file.
    const sources = new Map(result.banks.flatMap((b) => b.questions.map((q) => [q.key, b.source] as const)));
    const at = (q: { key: string }) => result.positions?.get(q.key) ?? { file: sources.get(q.key) ?? q.key, line: 1, col: 1 };
    const { taskRunProblems } = await import('../bank/task-runs.js');
    result.problems.push(
      ...(await taskRunProblems(result.banks, at, (t, i, n) => spinner.update(`Running ${t.key}: solution and starter (${i + 1}/${n})`))),
    );
  }
  spinner.stop();
  const tasks = result.banks.reduce((n, b) => n + b.questions.filter(isTask).length, 0);
  const questions = result.banks.reduce((n, b) => n + b.questions.length, 0) - tasks;
  const taskCount = `${tasks} task${tasks === 1 ? '' : 's'}`;
  const counted = tasks === 0 ? `${questions} questions` : questions === 0 ? taskCount : `${questions} questions and ${taskCount}`;
  const banks = result.banks.map((b) => ({ id: b.id, source: b.source, questions: b.questions.length }));
  const run: ValidateRun = {
    kind: 'validate',
    files: result.names,
    banks,
    problems: result.problems,
    ...(result.omitted?.length ? { omitted: result.omitted } : {}),
    at: now.toISOString(),
  };
  // Files with more than 20 problems list their first 20; `omitted` counts the rest.
  const json = () => ({
    schemaVersion: 1,
    ok: result.problems.length === 0,
    files: result.files,
    banks,
    problems: result.problems,
    omitted: result.omitted ?? [],
    ...(stale ? { stale } : {}),
  });
  await emitReports(reporters, run, json, ctx);
  if (!takesStdout(reporters)) {
    const omitted = new Map((result.omitted ?? []).map((o) => [o.file, o.count]));
    result.problems.forEach((p, i) => {
      ctx.stdout.write(`${ctx.paint.red(formatProblem(p))}\n`);
      const more = omitted.get(p.file);
      if (more && result.problems[i + 1]?.file !== p.file) ctx.stdout.write(`${ctx.paint.red(omittedLine(p.file, more))}\n`);
    });
    if (stale) writeStale(ctx.stdout, stale, (t) => ctx.paint.yellow(t));
    const total = result.problems.length + [...omitted.values()].reduce((n, c) => n + c, 0);
    const verdict = total
      ? ctx.paint.red(`${total} problem${total > 1 ? 's' : ''} in ${result.files} file${result.files === 1 ? '' : 's'}`)
      : ctx.paint.green(`✔ ${result.banks.length} bank${result.banks.length === 1 ? '' : 's'}, ${counted}: no problems`);
    ctx.stdout.write(`${verdict}\n`);
  }
  return result.problems.length ? EXIT.failed : EXIT.ok;
}

/** The questions due for a check, each with what to check it against. */
function writeStale(out: NodeJS.WritableStream, stale: readonly StaleQuestion[], mark: (text: string) => string): void {
  const never = stale.filter((s) => s.checked === null).length;
  out.write(
    `${mark(`${stale.length} question${stale.length === 1 ? '' : 's'} due for a check of facts (${stale.length - never} checked more than ${STALE_AFTER_MONTHS} months ago, ${never} never checked)`)}\n`,
  );
  for (const s of stale) {
    const when = s.checked === null ? 'never checked' : `checked ${s.checked}, ${s.months} months ago`;
    out.write(`${safeLine(`${s.file}:${s.line}:${s.col}: ${s.key}: ${when}`)}\n`);
    for (const r of s.references.length ? s.references : ['(no references)']) out.write(`    ${safeLine(r)}\n`);
  }
}
