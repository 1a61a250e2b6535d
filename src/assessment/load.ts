// Reading an assessment file from disk with the banks it draws on.
import path from 'node:path';
import { loadAllBanks } from '../bank/load.js';
import { formatProblem, type Bank, type Problem } from '../bank/types.js';
import { UserError } from '../errors.js';
import { readTextFile } from '../files.js';
import { MAX_ASSESSMENT_BYTES, parseAssessment, type Assessment, type ParsedAssessment } from './definition.js';
import { checkAgainstBanks } from './form.js';

export interface LoadedAssessment {
  assessment?: Assessment;
  banks: Bank[];
  problems: Problem[];
}

/** Parses the file and checks it against the built-in banks, `bankDirs` and the banks it names. */
export function loadAssessment(file: string, cwd: string, bankDirs: readonly string[], cacheDir?: string): LoadedAssessment {
  const text = readTextFile(file, cwd, 'an assessment file', MAX_ASSESSMENT_BYTES);
  const parsed = parseAssessment(text, file);
  const a = parsed.partial;
  if (!a) return { banks: [], problems: parsed.problems };
  const own = a.banks.map((d) => path.resolve(cwd, path.dirname(file), d));
  const loaded = loadAllBanks([...bankDirs, ...own], cwd, cacheDir);
  const problems = loaded.problems.length ? [...parsed.problems, ...loaded.problems] : allProblems(parsed, loaded.banks, file);
  return problems.length ? { banks: loaded.banks, problems } : { assessment: a, banks: loaded.banks, problems };
}

/** Every problem at once, in file order: the file's own, then what the banks cannot give it. */
export function allProblems(parsed: ParsedAssessment, banks: readonly Bank[], file: string): Problem[] {
  if (!parsed.partial) return parsed.problems;
  return [...parsed.problems, ...checkAgainstBanks(parsed.partial, banks, file, parsed.at)].sort(
    (x, y) => x.line - y.line || x.col - y.col,
  );
}

/** For commands that need a usable assessment: any problem is a usage error with every position. */
export function requireAssessment(
  file: string,
  cwd: string,
  bankDirs: readonly string[],
  cacheDir?: string,
): { assessment: Assessment; banks: Bank[] } {
  const { assessment, banks, problems } = loadAssessment(file, cwd, bankDirs, cacheDir);
  if (!assessment) {
    const shown = problems.slice(0, 20).map(formatProblem);
    if (problems.length > 20) shown.push(`... and ${problems.length - 20} more problems`);
    throw new UserError([...shown, `Fix the assessment above (check it with: backend-quiz assessment check ${file}).`].join('\n'));
  }
  return { assessment, banks };
}
