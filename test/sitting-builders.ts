// A candidate's sitting, end to end as far as the result file: what import tests start from.
import type { Database } from 'better-sqlite3';
import type { Assessment } from '../src/assessment/definition.js';
import { importGraded, importResult, snapshotLookup } from '../src/assessment/import.js';
import { isTask, type Bank, type Task } from '../src/bank/types.js';
import { buildResult, type ResultFile } from '../src/assessment/result.js';
import { startSitting } from '../src/assessment/sitting.js';
import type { QuizItem } from '../src/engine/select.js';
import { rightAnswer } from '../src/engine/score.js';
import { openStore } from '../src/store/db.js';
import { getSession, questionHash, type SittingInfo } from '../src/store/sessions.js';

/**
 * The result file of one sitting of `items` on a machine of its own: every question answered
 * right (a sealed one, which carries no key, with its first choice), a minute apart from
 * 2026-06-01 09:00 UTC.
 */
export async function resultOfSitting(
  items: QuizItem[],
  o: {
    seed: number;
    info: SittingInfo;
    definition: Assessment | null;
    mode?: 'interactive' | 'scripted';
    /** A task's answer (the query or code), by question: the default is its starter. */
    taskAnswer?: (q: Task) => string;
  },
): Promise<ResultFile> {
  const db = openStore(':memory:');
  let t = Date.parse('2026-06-01T09:00:00Z');
  const s = await startSitting(
    {
      candidate: 'Ada',
      seed: o.seed,
      items,
      settings: {
        topics: [...new Set(items.map((i) => i.question.topic))].sort(),
        count: items.length,
        difficulties: ['easy', 'medium', 'hard'],
        feedback: 'none',
        mode: o.mode ?? 'interactive',
        assessment: o.info,
      },
    },
    {
      db,
      now: () => new Date((t += 60_000)),
      answerer: {
        ask: async (item) =>
          isTask(item.question)
            ? { answer: (o.taskAnswer ?? ((q: Task) => q.starter))(item.question), runs: 1 }
            : item.question.sealed && 'choices' in item.question
              ? item.question.choices[0]!.text
              : rightAnswer(item.question),
      },
      clock: new AbortController(),
    },
  );
  const r = buildResult(getSession(db, s.id), o.info, o.definition);
  db.close();
  return r;
}

/**
 * An interviewer's machine over `banks`: `setup` records what they hold (a definition, a key),
 * then `run` imports one result file as `import` does, on 2026-06-02.
 */
export function interviewer(banks: readonly Bank[]) {
  const byHash = new Map(banks.flatMap((b) => b.questions.map((q) => [questionHash(q), q] as const)));
  return (setup: (db: Database) => void) => {
    const db = openStore(':memory:');
    setup(db);
    const lookup = snapshotLookup(db, () => byHash);
    return {
      db,
      run: (r: ResultFile) => importResult(db, r, 'r.result.json', lookup, '2026-06-02T09:00:00Z', () => banks),
      /** As import does for a result with tasks: run them here, then store. */
      runGraded: (r: ResultFile, fileName = 'r.result.json') => importGraded(db, r, fileName, lookup, '2026-06-02T09:00:00Z', () => banks),
    };
  };
}
