// The review of a session and the feedback after an answer: what the candidate reads about
// each question once it is answered.
import { describe, expect, it } from 'vitest';
import { scoreResponse } from '../../src/engine/score.js';
import { renderReviewItem } from '../../src/report/text.js';
import type { StoredItem } from '../../src/store/sessions.js';
import { showFeedback } from '../../src/ui/prompts.js';
import { makePaint } from '../../src/ui/style.js';
import { aQuestion, Capture } from '../helpers.js';

const paint = makePaint(false);
const layers = aQuestion({
  type: 'multiple',
  prompt: 'Which of these sit at the transport layer?',
  choices: [
    { text: 'TCP', correct: true },
    { text: 'HTTP', correct: false, why: 'HTTP is an application protocol.' },
    { text: 'UDP', correct: true },
    { text: 'IP', correct: false, why: 'IP is the network layer.' },
    { text: 'QUIC', correct: true },
  ],
});
// Shown as: QUIC, IP, UDP, HTTP, TCP.
const shown = [4, 3, 2, 1, 0];

describe('the right answer lists choices in the order they were shown', () => {
  it('in the end review', () => {
    const response = ['UDP', 'HTTP', 'IP'];
    const item: StoredItem = {
      position: 0,
      hash: 'h',
      question: layers,
      choiceOrder: shown,
      answer: { response, ...scoreResponse(layers, response), timeMs: 1000, answeredAt: '2026-03-01T10:00:00.000Z' },
    };
    const text = renderReviewItem(item, 1, paint);
    expect(text).toContain('  Right answer:\n  - QUIC\n  - UDP\n  - TCP');
    // Why a picked choice was wrong, in the same order.
    expect(text.indexOf('"IP": IP is the network layer.')).toBeLessThan(text.indexOf('"HTTP": HTTP is an application protocol.'));
  });

  it('in immediate feedback', async () => {
    const out = new Capture();
    const response = ['TCP'];
    await showFeedback(
      { position: 0, item: { question: layers, choiceOrder: shown }, response, timeMs: 900, ...scoreResponse(layers, response) },
      { output: out, paint },
      'none',
    );
    expect(out.text).toContain('◐ partly right');
    expect(out.text).toContain('  Right answer:\n  - QUIC\n  - UDP\n  - TCP');
  });

  it('as the bank lists them when the order is not known', () => {
    const item: StoredItem = { position: 0, hash: 'h', question: layers, choiceOrder: [], answer: null };
    expect(renderReviewItem(item, 1, paint)).toContain('  Right answer:\n  - TCP\n  - UDP\n  - QUIC');
  });
});

describe('the review fits the terminal', () => {
  it('puts the verdict under the header when both would not fit one line', () => {
    const q = aQuestion({ topic: 'observability-reliability', difficulty: 'medium', prompt: 'Why?' });
    const item: StoredItem = {
      position: 1,
      hash: 'h',
      question: q,
      choiceOrder: [0, 1, 2],
      answer: { response: 'Wrong A', ...scoreResponse(q, 'Wrong A'), timeMs: 1000, answeredAt: '2026-03-01T10:00:00.000Z' },
    };
    const narrow = renderReviewItem(item, 6, paint, 60).split('\n');
    expect(narrow.slice(0, 2)).toEqual(['Question 2/6 · observability-reliability · medium', '  ✘ wrong  0/1']);
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(60);
    expect(renderReviewItem(item, 6, paint, 80).split('\n')[0]).toBe('Question 2/6 · observability-reliability · medium  ✘ wrong  0/1');
  });
});
