// The helper that lets tests compare two runs' JSON whole: only timings and the given ids go.
import { describe, expect, it } from 'vitest';
import { withoutTimings } from '../helpers.js';

describe('withoutTimings', () => {
  const run = (timeMs: number, score: number) => ({
    sessionId: `s${timeMs}`,
    startedAt: `2026-12-07T10:00:0${timeMs}.000Z`,
    score,
    questions: [{ key: 'a/b', timeMs, answer: { answeredAt: `t${timeMs}`, points: score } }],
  });

  it('two runs that differ only in measured times, instants and ids compare equal', () => {
    expect(withoutTimings(run(1, 2))).toEqual(withoutTimings(run(0, 2)));
  });

  it('anything else still differs', () => {
    expect(withoutTimings(run(1, 2))).not.toEqual(withoutTimings(run(1, 3)));
    expect(withoutTimings(run(1, 2))).toEqual({ score: 2, questions: [{ key: 'a/b', answer: { points: 2 } }] });
  });
});
