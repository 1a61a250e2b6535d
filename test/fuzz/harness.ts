// Mutation fuzzing of every parser that reads a user's file, shared by the property tests in
// `npm test` (a few hundred cases) and `npm run fuzz` (10,000 cases per parser). Inputs are real
// files, mutated as a careless editor, a broken disk or an attacker would: byte flips,
// truncation, type swaps, deep nesting, huge numbers and strings, control and right-to-left
// characters, duplicated keys. The property: a parser returns problems with positions, or throws
// a UserError with a one-line reason; never any other exception.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseAnswers } from '../../src/bank/answers.js';
import { parseBank } from '../../src/bank/parse.js';
import type { Problem, Question } from '../../src/bank/types.js';
import { drawForm } from '../../src/assessment/form.js';
import { parseAssessment } from '../../src/assessment/definition.js';
import { buildPack, readKey, readPack } from '../../src/assessment/pack.js';
import { buildResult, readResult } from '../../src/assessment/result.js';
import { startSitting } from '../../src/assessment/sitting.js';
import { mulberry32 } from '../../src/engine/rng.js';
import { rightAnswer } from '../../src/engine/score.js';
import { UserError } from '../../src/errors.js';
import { openStore } from '../../src/store/db.js';
import { getSession } from '../../src/store/sessions.js';
import { fixtures, root } from '../helpers.js';

export type Outcome = 'accepted' | 'problems' | 'refused';

export interface Target {
  name: string;
  /** Real files of the format to mutate. */
  seeds: string[];
  /** Parses one input; throws anything but a UserError only on a bug. */
  parse(text: string): Outcome;
}

function positioned(problems: readonly Problem[], omitted = 0): Outcome {
  for (const p of problems) {
    if (!Number.isInteger(p.line) || p.line < 1 || !Number.isInteger(p.col) || p.col < 1)
      throw new Error(`problem without a position: ${JSON.stringify(p)}`);
    if (typeof p.message !== 'string' || p.message.length === 0) throw new Error(`problem without a message: ${JSON.stringify(p)}`);
  }
  if (problems.length > 21) throw new Error(`${problems.length} problems kept for one file; at most 20 (and a stop line) are`);
  return problems.length || omitted ? 'problems' : 'accepted';
}

function refusedOr(read: () => unknown): Outcome {
  try {
    read();
    return 'accepted';
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    if (e.message.includes('\n') || e.message.length === 0)
      throw new Error(`a UserError must be one line: ${JSON.stringify(e.message)}`, { cause: e });
    return 'refused';
  }
}

/** The real files every target starts from: built-in banks, and the other formats made from them. */
export async function targets(opts: { fullBanks: boolean }): Promise<Target[]> {
  const bankDir = path.join(root, 'questions');
  const fixture = fs.readFileSync(path.join(fixtures, 'banks', 'valid', 'fixture.yaml'), 'utf8');
  const real = fs
    .readdirSync(bankDir)
    .sort()
    .map((n) => fs.readFileSync(path.join(bankDir, n), 'utf8'));
  // A real bank is 70 KB: the quick run mutates its first questions, the long run all of it.
  const head = (text: string): string => text.slice(0, text.indexOf('\n  - id:', 6000) > 0 ? text.indexOf('\n  - id:', 6000) : text.length);
  const bankSeeds = [fixture, ...(opts.fullBanks ? real : real.slice(0, 4).map(head))];
  const banks = [parseBank(fixture, 'fixture.yaml').bank!];
  const questions = new Map<string, Question>(banks[0]!.questions.map((q) => [q.key, q]));

  const answersSeed = [...questions.values()].map((q) => `${q.key}: ${JSON.stringify(rightAnswer(q))}`).join('\n');
  const assessmentSeed = [
    'assessment: fuzz-check',
    'title: Fuzz check',
    'instructions: |',
    '  Answer on your own.',
    'sections:',
    '  - topic: fixture',
    '    count: 3',
    '    difficulty: [easy, medium]',
    '  - questions: [fixture/small-primes]',
    'time_limit: 30m',
    'pass_mark: 70',
    'topic_pass_marks: { fixture: 50 }',
    'feedback: none',
    'form: fixed',
  ].join('\n');
  const assessment = parseAssessment(assessmentSeed, 'a.yaml').assessment!;
  const { pack, key } = buildPack(assessment, banks, mulberry32(1));

  const db = openStore(':memory:');
  const items = drawForm(assessment, banks, assessment.seed);
  const clock = new AbortController();
  const info = {
    id: assessment.id,
    title: assessment.title,
    digest: assessment.digest,
    timeLimitMs: assessment.timeLimitMs,
    form: assessment.form,
    sealed: false,
  };
  const sat = await startSitting(
    {
      candidate: 'Fuzz',
      seed: 1,
      items,
      settings: {
        topics: ['fixture'],
        count: items.length,
        difficulties: ['easy', 'medium', 'hard'],
        feedback: 'none',
        mode: 'scripted',
        assessment: info,
      },
    },
    { db, now: () => new Date('2026-06-01T09:00:00Z'), answerer: { ask: async (item) => rightAnswer(item.question) }, clock },
  );
  const resultSeed = JSON.stringify(buildResult(getSession(db, sat.id), info, assessment), null, 2);
  db.close();

  return [
    { name: 'bank', seeds: bankSeeds, parse: (t) => ((r) => positioned(r.problems, r.omitted))(parseBank(t, 'fuzz.yaml')) },
    {
      name: 'answers file',
      seeds: [answersSeed, JSON.stringify(Object.fromEntries([...questions.values()].map((q) => [q.key, rightAnswer(q)])))],
      parse: (t) => ((r) => positioned(r.problems, r.omitted))(parseAnswers(t, 'fuzz.yaml', questions)),
    },
    {
      name: 'answers file (JSON)',
      seeds: [
        JSON.stringify(Object.fromEntries([...questions.values()].map((q) => [q.key, rightAnswer(q)])), null, 2),
        JSON.stringify(Object.fromEntries([...questions.values()].map((q) => [q.key, rightAnswer(q)]))),
      ],
      parse: (t) => ((r) => positioned(r.problems, r.omitted))(parseAnswers(t, 'fuzz.json', questions)),
    },
    { name: 'assessment file', seeds: [assessmentSeed], parse: (t) => positioned(parseAssessment(t, 'fuzz.yaml').problems) },
    { name: 'pack', seeds: [JSON.stringify(pack, null, 2)], parse: (t) => refusedOr(() => readPack(t, 'fuzz.pack.json')) },
    { name: 'key', seeds: [JSON.stringify(key, null, 2)], parse: (t) => refusedOr(() => readKey(t, 'fuzz.key.json')) },
    { name: 'result file', seeds: [resultSeed], parse: (t) => refusedOr(() => readResult(t, 'fuzz.result.json')) },
  ];
}

const NASTY = [
  '\u0000',
  '\u0007',
  '\u001b[2J',
  '\u202e',
  '\u200f',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\t',
  '\r',
  '\n',
  ':',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '&a',
  '*a',
  '!!binary',
  '%YAML 1.1',
  '#',
  '|',
  '>',
  '? ',
  '---',
  '...',
  '@',
  '`',
];
const VALUES = [
  '[]',
  '{}',
  '[1, 2]',
  '{a: 1}',
  '~',
  'null',
  'true',
  '1e400',
  '-0',
  '0x1F',
  '.nan',
  '99999999999999999999999999',
  '-1',
  '"x"',
  "''",
  '[[[[]]]]',
  '2026-13-45',
];

/** One edit of the text; `at` and `n` are fractions and sizes chosen by fast-check. */
type Edit = {
  kind: 'flip-byte' | 'truncate' | 'delete' | 'insert' | 'swap-value' | 'duplicate-line' | 'nest' | 'huge' | 'json-swap';
  at: number;
  n: number;
  pick: number;
};

function apply(text: string, e: Edit): string {
  const pos = Math.floor(e.at * text.length);
  switch (e.kind) {
    case 'flip-byte': {
      const buf = Buffer.from(text, 'utf8');
      if (buf.length === 0) return text;
      const i = Math.floor(e.at * buf.length);
      buf[i] = buf[i]! ^ (1 << (e.n % 8));
      return buf.toString('utf8');
    }
    case 'truncate':
      return text.slice(0, pos);
    case 'delete':
      return text.slice(0, pos) + text.slice(pos + 1 + (e.n % 200));
    case 'insert':
      return text.slice(0, pos) + NASTY[e.pick % NASTY.length]! + text.slice(pos);
    case 'swap-value': {
      // The value of the key: value line at or after pos becomes a value of another type.
      const line = text.indexOf(': ', pos);
      if (line < 0) return text;
      const end = text.indexOf('\n', line);
      return text.slice(0, line + 2) + VALUES[e.pick % VALUES.length]! + (end < 0 ? '' : text.slice(end));
    }
    case 'duplicate-line': {
      const start = text.lastIndexOf('\n', pos) + 1;
      const end = text.indexOf('\n', pos);
      const line = text.slice(start, end < 0 ? undefined : end);
      return `${text.slice(0, start)}${line}\n${text.slice(start)}`;
    }
    case 'nest': {
      const open = ['[', '{a: ', '- ', '[{'][e.pick % 4]!;
      return text.slice(0, pos) + open.repeat(1 + (e.n % 3000)) + text.slice(pos);
    }
    case 'huge':
      return text.slice(0, pos) + (e.pick % 2 ? '9'.repeat(1 + (e.n % 5000)) : 'A'.repeat(1 + e.n * 50)) + text.slice(pos);
    case 'json-swap': {
      // Structure-aware: one value somewhere in a JSON document changes type.
      try {
        const data = JSON.parse(text) as unknown;
        const holders: [Record<string, unknown> | unknown[], string | number][] = [];
        const walk = (v: unknown): void => {
          if (Array.isArray(v))
            v.forEach((x, i) => {
              holders.push([v, i]);
              walk(x);
            });
          else if (v && typeof v === 'object')
            for (const [k, x] of Object.entries(v)) {
              holders.push([v as Record<string, unknown>, k]);
              walk(x);
            }
        };
        walk(data);
        if (!holders.length) return text;
        const [obj, k] = holders[Math.floor(e.at * holders.length)]!;
        const swaps: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(1 + e.n), [], {}, true, [[[]]], { format: 'backend-quiz/result' }];
        (obj as Record<string, unknown>)[k as string] = swaps[e.pick % swaps.length];
        return JSON.stringify(data, null, e.pick % 2 ? 2 : undefined);
      } catch {
        return text;
      }
    }
  }
}

const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('flip-byte', 'truncate', 'delete', 'insert', 'swap-value', 'duplicate-line', 'nest', 'huge', 'json-swap'),
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  n: fc.nat({ max: 4000 }),
  pick: fc.nat({ max: 1000 }),
});

/** A seed, mutated by one to five edits. */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 5 }))
    .map(([i, edits]) => edits.reduce(apply, seeds[i]!));
}

export interface Tally {
  name: string;
  cases: number;
  accepted: number;
  problems: number;
  refused: number;
  slowestMs: number;
}

/** Runs `runs` mutated inputs through one target; fast-check shrinks and reports any failure. */
export function fuzz(target: Target, runs: number, seed?: number): Tally {
  const tally: Tally = { name: target.name, cases: 0, accepted: 0, problems: 0, refused: 0, slowestMs: 0 };
  fc.assert(
    fc.property(mutated(target.seeds), (text) => {
      const started = performance.now();
      const outcome = target.parse(text);
      tally.slowestMs = Math.max(tally.slowestMs, performance.now() - started);
      tally.cases++;
      tally[outcome]++;
    }),
    { numRuns: runs, ...(seed !== undefined ? { seed } : {}) },
  );
  return tally;
}
