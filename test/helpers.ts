// Builders for plain test data: tests state only what matters to them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Bank, Question } from '../src/bank/types.js';

let n = 0;

export function aQuestion(over: Record<string, unknown> = {}): Question {
  const topic = (over.topic as string) ?? 'topic-a';
  const id = (over.id as string) ?? `q${++n}`;
  return {
    key: `${topic}/${id}`,
    id,
    topic,
    type: 'single',
    difficulty: 'medium',
    prompt: `Prompt ${id}?`,
    choices: [
      { text: 'Right', correct: true },
      { text: 'Wrong A', correct: false, why: 'no' },
      { text: 'Wrong B', correct: false, why: 'no' },
    ],
    explanation: 'Because.',
    references: ['https://example.org'],
    tags: [],
    points: 1,
    ...over,
  } as Question;
}

export function aBank(id: string, questions: Question[] | number, over: Partial<Bank> = {}): Bank {
  const qs =
    typeof questions === 'number' ? Array.from({ length: questions }, (_, i) => aQuestion({ topic: id, id: `${id}-q${i}` })) : questions;
  return { id, title: id, description: '', source: `${id}.yaml`, questions: qs, ...over };
}

export function tmpDir(prefix = 'bq-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A writable that keeps what is written, with TTY-ish fields tests can set. */
export class Capture extends Writable {
  text = '';
  isTTY = false;
  columns = 80;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export const root = path.resolve(import.meta.dirname, '..');
export const fixtures = path.join(root, 'test', 'fixtures');

/** Fields that hold a moment or a measured duration: two runs never agree on them. */
const TIMING = /(At|^timeMs|^durationMs|^elapsedMs)$/;

/**
 * A command's JSON output without what differs from run to run (instants, measured times and the
 * given ids), so that two runs can be compared whole. No test compares a timing.
 */
export function withoutTimings(value: unknown, ids: readonly string[] = ['sessionId']): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutTimings(v, ids));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !TIMING.test(k) && !ids.includes(k))
      .map(([k, v]) => [k, withoutTimings(v, ids)]),
  );
}
