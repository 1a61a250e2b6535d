// Content checks for a curriculum of banks, beyond what makes a bank valid: enough questions, a
// difficulty mix, several question types, references everywhere, no near-duplicate prompts across
// banks, and no tell-tale "the right choice is the longest one". Pure: banks in, problems out.
import type { Bank, Difficulty, Problem, Question } from './types.js';

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
  minQuestions: 30,
  mix: { easy: 0.3, medium: 0.45, hard: 0.25 },
  mixTolerance: 0.1,
  minTypes: 3,
  maxLongestCorrect: 0.4,
  nearDuplicate: 0.6,
};

type Where = (q: Question) => { file: string; line: number; col: number };

function trigrams(text: string): Set<string> {
  const words = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ');
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function uniquelyLongestIsCorrect(q: Question): boolean {
  if (q.type !== 'single') return false;
  const lengths = q.choices.map((c) => c.text.length);
  const max = Math.max(...lengths);
  return lengths.filter((l) => l === max).length === 1 && q.choices[lengths.indexOf(max)]!.correct;
}

export function lintBanks(banks: readonly Bank[], where: Where, rules: LintRules = CURRICULUM_RULES): Problem[] {
  const problems: Problem[] = [];
  const atBank = (b: Bank, message: string): void => void problems.push({ file: b.source, line: 1, col: 1, message: `bank '${b.id}': ${message}` });
  const atQuestion = (q: Question, message: string): void => void problems.push({ ...where(q), message: `${q.key}: ${message}` });

  for (const b of banks) {
    const n = b.questions.length;
    if (n < rules.minQuestions) atBank(b, `has ${n} questions; a curriculum bank needs at least ${rules.minQuestions}`);
    for (const [level, target] of Object.entries(rules.mix) as [Difficulty, number][]) {
      const share = b.questions.filter((q) => q.difficulty === level).length / Math.max(1, n);
      if (Math.abs(share - target) > rules.mixTolerance) atBank(b, `${pct(share)} of questions are ${level}; aim for about ${pct(target)} (±${pct(rules.mixTolerance)})`);
    }
    const types = new Set(b.questions.map((q) => q.type));
    if (types.size < rules.minTypes) atBank(b, `uses ${types.size} question type(s) (${[...types].join(', ')}); use at least ${rules.minTypes}`);
    const choice = b.questions.filter((q) => q.type === 'single' || q.type === 'multiple').length;
    if (choice * 2 <= n) atBank(b, `single and multiple choice are ${choice} of ${n} questions; they should be the majority`);
    const singles = b.questions.filter((q) => q.type === 'single');
    const longest = singles.filter(uniquelyLongestIsCorrect).length;
    if (singles.length && longest / singles.length > rules.maxLongestCorrect) {
      atBank(b, `the right choice is the longest in ${longest} of ${singles.length} single-choice questions; make distractors as specific as the answer`);
    }
    for (const q of b.questions) {
      if (q.references.length === 0) atQuestion(q, 'has no reference; add an authoritative https link');
      for (const r of q.references) if (!r.startsWith('https://')) atQuestion(q, `reference ${r} is not https`);
      if ('choices' in q) {
        for (const c of q.choices) if (/\b(all|none) of the above\b/i.test(c.text)) atQuestion(q, `choice "${c.text}" depends on the order of choices, which is shuffled`);
        for (const c of q.choices) if (!c.correct && !c.why) atQuestion(q, `wrong choice "${c.text}" has no 'why'`);
      }
    }
  }

  const all = banks.flatMap((b) => b.questions).map((q) => ({ q, grams: trigrams(q.prompt), norm: q.prompt.toLowerCase().replace(/\s+/g, ' ').trim() }));
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      const same = a.norm === b.norm;
      if (same || jaccard(a.grams, b.grams) >= rules.nearDuplicate) {
        atQuestion(b.q, `prompt ${same ? 'duplicates' : 'nearly duplicates'} ${a.q.key} (${where(a.q).file}:${where(a.q).line}); ask something different`);
      }
    }
  }
  return problems;
}
