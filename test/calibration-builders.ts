// Data for the tests of calibration, abilities and adaptive sittings: a results database with
// sittings answered by the Rasch model, and banks large enough to adapt in.
import fs from 'node:fs';
import path from 'node:path';
import { mulberry32, normal } from '../src/engine/rng.js';
import { rightAnswer, scoreResponse } from '../src/engine/score.js';
import { selectQuestions } from '../src/engine/select.js';
import { summarize } from '../src/engine/summary.js';
import { probability } from '../src/psychometrics/rasch.js';
import { openStore } from '../src/store/db.js';
import { closeSession, createSession, recordAnswer } from '../src/store/sessions.js';
import { aBank } from './helpers.js';

/** A results database of `n` sittings of 6 questions drawn from two 10-question topics, answered by the Rasch model. */
export function storedSittings(file: string, n: number, seed = 1): Map<string, number> {
  const banks = [aBank('alpha', 10), aBank('beta', 10)];
  const truth = new Map(banks.flatMap((b) => b.questions).map((q, i) => [q.key, -1.8 + (3.6 * i) / 19]));
  const rng = mulberry32(seed);
  const db = openStore(file);
  db.transaction(() => {
    for (let s = 0; s < n; s++) {
      const id = `s${String(s).padStart(5, '0')}`;
      const items = selectQuestions(banks, { topics: ['alpha', 'beta'], count: 6, difficulties: ['medium'], seed: s });
      createSession(db, {
        id,
        candidate: `c${s}`,
        startedAt: new Date(Date.parse('2026-05-01T00:00:00Z') + s * 60_000).toISOString(),
        seed: s,
        settings: { topics: ['alpha', 'beta'], count: 6, difficulties: ['medium'], feedback: 'end', mode: 'scripted' },
        items,
      });
      const theta = normal(rng);
      items.forEach((item, position) => {
        const response = rng() < probability(theta, truth.get(item.question.key)!) ? rightAnswer(item.question) : 'Wrong A';
        recordAnswer(
          db,
          id,
          { position, item, response, timeMs: 1000, ...scoreResponse(item.question, response) },
          '2026-05-01T00:00:00.000Z',
        );
      });
      closeSession(db, id, 'finished', summarize([]), '2026-05-01T00:10:00.000Z');
    }
  })();
  db.close();
  return truth;
}

/** Two topics (alpha, beta) of 30 true/false questions, 10 per difficulty, written as YAML banks in `dir`; every answer is true. Returns the keys. */
export function writeTrueFalseBanks(dir: string): string[] {
  const keys: string[] = [];
  fs.mkdirSync(dir, { recursive: true });
  for (const topic of ['alpha', 'beta']) {
    const lines = [`bank: ${topic}`, `title: ${topic}`, 'description: Generated for the adaptive tests.', 'questions:'];
    for (const level of ['easy', 'medium', 'hard']) {
      for (let i = 1; i <= 10; i++) {
        const id = `${level}-${i}`;
        keys.push(`${topic}/${id}`);
        lines.push(
          `  - id: ${id}`,
          '    type: boolean',
          `    difficulty: ${level}`,
          `    prompt: Statement ${topic} ${id} holds.`,
          '    answer: true',
          '    explanation: It does.',
          '    references: [https://example.org]',
        );
      }
    }
    fs.writeFileSync(path.join(dir, `${topic}.yaml`), lines.join('\n'));
  }
  return keys;
}
