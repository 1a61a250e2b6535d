// Markdown notes in the documented convention.
import { describe, expect, it } from 'vitest';
import { codeSpan, codeSpans, parseMarkdown } from '../../src/interop/markdown.js';
import { findings, readFixture, show } from '../interop-helpers.js';

describe('Markdown', () => {
  it('reads the documented convention', () => {
    const r = parseMarkdown(readFixture('notes.md'), 'notes.md');
    expect(r.title).toBe('Networking notes');
    expect(r.drafts.map(show)).toEqual([
      '5 number "Which port does HTTPS use by default?" => 443±0',
      '9 single "How many segments does the TCP three-way handshake send?" => -Two#The handshake is SYN, SYN-ACK, ACK. | +Three | -Four ## SYN, SYN-ACK and ACK: three segments before data flows.',
      '25 multiple "Which of these methods are idempotent?" => +PUT | +DELETE | -POST#Two identical POSTs may create two resources. ## RFC 9110 defines PUT and DELETE as idempotent;\nPOST is not.',
      '39 boolean "Is this request safe to retry?\\n\\n```http\\nGET /orders/42 HTTP/1.1\\n- [x] not a choice: inside a code block\\nAnswer: not an answer either\\n```" => true',
      '53 text "Which header gives the delay before a retry?" => Retry-After | /^retry-after$/i',
      '59 number "A service has a 200 ms budget and spends 150 ms in the database. How many ms are left?" => 50±5',
      '65 multiple "Which of these is a transport protocol?" => +TCP | -HTTP | -DNS',
    ]);
    expect(r.drafts[1]).toMatchObject({
      name: 'TCP handshake',
      difficulty: 'easy',
      tags: ['tcp', 'networking'],
      references: ['https://www.rfc-editor.org/rfc/rfc9293'],
    });
    expect(r.drafts[3]).toMatchObject({ difficulty: 'hard', points: 2 });
    expect(r.findings).toEqual([]);
  });

  it('reports questions that break the convention', () => {
    expect(findings(parseMarkdown(readFixture('broken.md'), 'broken.md'))).toEqual([
      "1:1 error: the question has no answers; add choices (- [x] right, - [ ] wrong) or an 'Answer:' line",
      '7:1 error: no choice is marked right; mark the right ones - [x]',
      "10:1 error: the question has both choices and an 'Answer:' line; keep one",
      "21:1 error: Difficulty must be easy, medium or hard; got 'impossible'",
      '23:1 error: a question heading needs a title: ## Title',
    ]);
  });

  it.each(['plain', '`tick', 'tick`', '``double``', ' padded ', 'a`b'])('code span %j reads back', (s) => {
    expect(codeSpans(codeSpan(s))).toEqual([s]);
  });
});
