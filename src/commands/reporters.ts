// --reporter <name>[:<file>] for take and validate: parses the option and writes each report.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files.js';
import { UserError } from '../errors.js';
import { REPORTERS, type CiRun, type ReporterName } from '../report/ci/model.js';
import { toJson } from '../report/json.js';
import { safeLine } from '../text.js';
import type { Context } from './context.js';

export interface Reporter {
  name: ReporterName;
  /** Undefined: standard output. */
  file?: string;
}

/** `junit`, `junit:out/quiz.xml`; `--json` is `json` on stdout. Only one report may use stdout. */
export function parseReporters(values: readonly string[] = [], json = false): Reporter[] {
  const out: Reporter[] = values.map((v) => {
    const m = /^([a-z]+)(?::(.+))?$/.exec(v.trim());
    if (!m || !(REPORTERS as readonly string[]).includes(m[1]!)) {
      throw new UserError(
        `--reporter '${safeLine(v)}' is not a reporter; use ${REPORTERS.join(', ')}, optionally with :<file> (e.g. junit:results/quiz.xml)`,
      );
    }
    return { name: m[1] as ReporterName, ...(m[2] ? { file: m[2] } : {}) };
  });
  if (json) out.push({ name: 'json' });
  // `--json --reporter json` asks for one report, not two.
  const unique = out.filter((r, i) => out.findIndex((o) => o.name === r.name && o.file === r.file) === i);
  const toStdout = unique.filter((r) => r.file === undefined);
  if (toStdout.length > 1) {
    throw new UserError(
      `only one report can go to standard output, but ${toStdout.map((r) => r.name).join(' and ')} would; give the others a file (--reporter ${toStdout[1]!.name}:<file>)`,
    );
  }
  return unique;
}

/** A report on stdout replaces the human-readable output; GitHub's workflow commands mix with it. */
export const takesStdout = (reporters: readonly Reporter[]): boolean => reporters.some((r) => r.file === undefined && r.name !== 'github');

const markdown = async (run: CiRun): Promise<string> => (await import('../report/ci/markdown.js')).renderMarkdown(run);

/** One report's text. Each format is loaded only when asked for: most runs use none or json. */
async function render(name: ReporterName, run: CiRun, json: () => unknown, ctx: Context): Promise<string> {
  switch (name) {
    case 'junit':
      return (await import('../report/ci/junit.js')).renderJunit(run);
    case 'tap':
      return (await import('../report/ci/tap.js')).renderTap(run);
    case 'github':
      return (await import('../report/ci/github.js')).renderGithub(run, ctx.cwd);
    case 'md':
      return markdown(run);
    case 'json':
      return toJson(json());
  }
}

/** Writes every report; `json` is the command's JSON value, made by the caller. */
export async function emitReports(reporters: readonly Reporter[], run: CiRun, json: () => unknown, ctx: Context): Promise<void> {
  for (const r of reporters) {
    const text = await render(r.name, run, json, ctx);
    if (r.file === undefined) ctx.stdout.write(text);
    else {
      const file = path.resolve(ctx.cwd, r.file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, text);
    }
    // GitHub shows the job summary file on the run's page; append, as every step shares it.
    if (r.name === 'github' && ctx.env.GITHUB_STEP_SUMMARY) {
      try {
        fs.appendFileSync(ctx.env.GITHUB_STEP_SUMMARY, `${await markdown(run)}\n`);
      } catch (e) {
        throw new UserError(
          `cannot append to GITHUB_STEP_SUMMARY (${ctx.env.GITHUB_STEP_SUMMARY}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
    }
  }
}
