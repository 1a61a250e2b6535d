// What `topics` shows of each bank: its name and how many questions it has per difficulty. For the
// built-in banks this is written at build time (dist/topics.json), so listing them reads a few
// kilobytes instead of parsing 1.5 MB of questions (and never loads the YAML parser).
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import { DIFFICULTIES, type Bank, type Difficulty } from './types.js';

export interface TopicSummary {
  id: string;
  title: string;
  description: string;
  source: string;
  questions: number;
  difficulty: Record<Difficulty, number>;
}

export function summarize(banks: readonly Bank[]): TopicSummary[] {
  return banks.map((b) => ({
    id: b.id,
    title: b.title,
    description: b.description,
    source: b.source,
    questions: b.questions.length,
    difficulty: Object.fromEntries(DIFFICULTIES.map((d) => [d, b.questions.filter((q) => q.difficulty === d).length])) as Record<
      Difficulty,
      number
    >,
  }));
}

export const builtinSummaryFile = path.join(packageRoot, 'dist', 'topics.json');

/** The built-in banks' summaries as built, or undefined in a checkout that has not been built. */
export function builtinSummary(): TopicSummary[] | undefined {
  try {
    return JSON.parse(fs.readFileSync(builtinSummaryFile, 'utf8')) as TopicSummary[];
  } catch {
    return undefined;
  }
}
