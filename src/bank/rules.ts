// The content rules of a curriculum bank (validate --lint), apart from the checks that apply them
// (lint.ts): the command line's help states them too, and must not load the linter to do so.
import type { Difficulty } from './types.js';

export interface LintRules {
  minQuestions: number;
  /** Target share of each difficulty, and how far a bank may stray from it. */
  mix: Record<Difficulty, number>;
  mixTolerance: number;
  minTypes: number;
  /** Share of single-choice questions whose right choice is uniquely the longest, at most. */
  maxLongestCorrect: number;
  /** Jaccard similarity of prompt word trigrams from which two prompts count as near-duplicates. */
  nearDuplicate: number;
}

export const CURRICULUM_RULES: LintRules = {
  minQuestions: 48,
  mix: { easy: 0.3, medium: 0.45, hard: 0.25 },
  mixTolerance: 0.1,
  minTypes: 3,
  maxLongestCorrect: 0.4,
  nearDuplicate: 0.6,
};
