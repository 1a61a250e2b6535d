// Aiken: lettered choices and an ANSWER line, and the mistakes people make in them.
import { describe, expect, it } from 'vitest';
import { parseAiken } from '../../src/interop/aiken.js';
import { findings, readFixture, show } from '../interop-helpers.js';

describe('Aiken', () => {
  it('reads lettered choices with ) or . and the ANSWER line; several lines make the question', () => {
    const r = parseAiken(readFixture('questions.aiken.txt'), 'q.txt');
    expect(r.drafts.map(show)).toEqual([
      '1 single "Which HTTP method is safe?" => -POST | +GET | -DELETE | -PATCH',
      '8 single "Which SQL keyword removes duplicate rows?" => -UNIQUE | +DISTINCT | -GROUP',
      '14 single "What does this print?\\nconsole.log(typeof null)" => +"object" | -"null" | -"undefined"',
    ]);
    expect(r.findings).toEqual([]);
  });

  it('reports each broken question once and goes on with the next', () => {
    const r = parseAiken(readFixture('broken.aiken.txt'), 'b.txt');
    expect(findings(r)).toEqual([
      '1:1 error: a question needs at least 2 choices, has 1',
      '5:1 error: choice A comes before any question text',
      "12:1 error: ANSWER 'E' names no choice; use a letter from A to B",
      '16:1 error: expected choice B or an ANSWER line, got C',
      "19:1 error: the question has no 'ANSWER:' line; add 'ANSWER: <letter>' after its last choice",
    ]);
    expect(r.drafts.map(show)).toEqual(['23 single "A good question after the broken ones" => +Right | -Wrong']);
  });
});
