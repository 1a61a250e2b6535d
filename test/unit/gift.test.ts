// GIFT: our own fixture with every construct Moodle documents, errors, escaping and weights.
import { describe, expect, it } from 'vitest';
import { giftEscape, giftUnescape, parseGift, renderGift } from '../../src/interop/gift.js';
import { aBank, aQuestion } from '../helpers.js';
import { findings, readFixture, show } from '../interop-helpers.js';

describe('GIFT', () => {
  it('reads every construct Moodle documents, in our own fixture', () => {
    const r = parseGift(readFixture('every-construct.gift'), 'every-construct.gift');
    expect(r.drafts.map(show)).toEqual([
      '7 single "Which HTTP status code means \\"Not Found\\"?" => -400 | +404 | -500',
      '10 single "A cache _____ serves stale data after a write." => -always | +sometimes | -never',
      '13 single "How many segments does a TCP handshake take?" => -two | +three | -four',
      '20 boolean "UDP guarantees delivery." => false',
      '22 boolean "TLS 1.3 removed RSA key exchange." => true',
      '24 boolean "Idempotent requests may be retried safely." => true',
      '26 boolean "A 301 redirect is temporary." => false',
      '29 boolean "PUT is idempotent." => true ## RFC 9110 section 9.2.2 lists PUT among the idempotent methods.',
      '32 text "Which HTTP header carries a cache validator?" => ETag | Last-Modified',
      '34 text "Name the Redis command that sets a key only if it is absent." => SETNX | /^SET .* NX$/i',
      '36 text "Which character is the wildcard in a shell glob that matches any text?" => *',
      '39 text "Which port does HTTPS use?" => 443',
      '52 number "In what year was HTTP/2 published as RFC 7540?" => 2015±0',
      '54 number "What is pi to two decimals?" => 3.14±0.005',
      '56 number "Pick a TCP port number between 1 and 1023." => 512±511',
      '58 number "When was RFC 9110 published?" => 2022±0',
      '64 number "How many bits are in an IPv4 address?" => 32±0',
      '67 single "Which isolation level prevents dirty reads at the lowest cost?" => -Read uncommitted#It allows dirty reads. | +Read committed#Yes. | -Serializable#It prevents them, but costs the most.',
      '74 single "Which **SQL** clause filters groups?" => +HAVING | -WHERE | -ORDER BY',
      '76 single "Which header starts a **CORS** preflight check?" => +Access-Control-Request-Method | -`Origin` only',
      '78 single "Which status is 418?" => +I\'m a teapot | -Gone',
      '80 single "Which verb is safe?" => +GET | -POST',
      '83 single "Which of these stores data in memory first?" => -Write-behind cache | +Redis | -PostgreSQL',
      '86 multiple "Which of these are HTTP methods?" => +GET | +DELETE | -FETCH | -SEND',
      '93 multiple "Which are NoSQL databases?" => +MongoDB | +Cassandra | -MySQL',
      '100 single "Which line prints { \\"a\\": 1 }?\\nPick one." => +print(json.dumps({"a": 1}))#Uses = and # safely. | -print("a" ~ 1)#Not Python. | -print(r"C:\\path")#A path, not JSON.',
      '107 single "Which consistency model does DynamoDB use by default for reads?" => +Eventually consistent | -Strongly consistent ## Reads are eventually consistent unless ConsistentRead is set.',
    ]);
    expect(r.drafts.filter((d) => d.name).map((d) => d.name)).toEqual([
      'tcp-handshake',
      'put-idempotent',
      'md-format',
      'html-format',
      'plain-format',
      'moodle-format',
      'escapes',
    ]);
    expect(r.bankName).toBe('Backend basics');
    expect(findings(r)).toEqual([
      '29:1 note: true/false feedback dropped: only the explanation (####) is kept',
      "39:1 note: partial-credit answers left out: '8443' (50%)",
      '39:1 note: answer feedback dropped: a text question keeps only the explanation (####)',
      '45:1 unsupported: a matching question (=item -> match) is not supported; left out',
      '58:1 note: one right number is kept (2022:0); 2022:1 (50%) left out',
      '58:1 note: answer feedback dropped: a number question keeps only the explanation (####)',
      '64:1 note: feedback for wrong numbers (~#…) is not kept',
      "83:1 note: single choice is all or nothing: 'Write-behind cache' (50%) counts as wrong",
      '93:1 note: weights 50%, 50%, 0% become the partial-credit rule: right +50%, wrong −50%',
      '114:1 unsupported: an essay question ({} with no answers) needs a person to grade it; left out',
      '117:1 unsupported: a description (text with no answers in {…}) is not a question; left out',
      '120:1 unsupported: several answer blocks {…} in one question (a cloze with several gaps) are not supported; left out',
    ]);
  });

  it('reports each mistake at its line and column, with what to do', () => {
    expect(findings(parseGift(readFixture('broken.gift'), 'broken.gift'))).toEqual([
      "2:1 error: the title opened with '::' is not closed; end it with '::' (or escape the colons as \\:)",
      "4:13 error: the answers opened with '{' are not closed with '}' (a blank line ends a question; escape a literal { as \\{)",
      "6:16 error: '}' without an opening '{'; escape it as \\} if it is text",
      "8:16 error: 'twenty' is not a number answer; write answer, answer:tolerance or min..max (min not above max)",
      '10:1 error: no answer has a positive weight; give the right answers weights that add up to 100% (~%50%…)',
      "12:15 error: '5..1' is not a number answer; write answer, answer:tolerance or min..max (min not above max)",
      '14:12 error: an answer has no text; write it after its ~ or =',
    ]);
  });

  it('escapes every control character so any text reads back as written', () => {
    const hostile = 'a~b=c#d{e}f:g\\h\nnew line \\n // not a comment ####';
    expect(giftEscape(hostile)).toBe('a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\nnew line \\\\n // not a comment \\#\\#\\#\\#');
    expect(giftUnescape(giftEscape(hostile))).toBe(hostile);
    const q = aQuestion({
      id: 'hostile',
      prompt: hostile,
      choices: [
        { text: '%50% of {x}', correct: true },
        { text: '[html]<b>no</b>', correct: false, why: '~=#' },
      ],
    });
    const back = parseGift(renderGift(aBank('hostile', [q])), 'h.gift');
    expect(back.findings).toEqual([]);
    expect(back.drafts[0]).toMatchObject({
      prompt: hostile,
      body: {
        type: 'single',
        choices: [
          { text: '%50% of {x}', correct: true },
          { text: '[html]<b>no</b>', correct: false, why: '~=#' },
        ],
      },
    });
  });

  it('writes multiple-answer weights that Moodle scores as the partial-credit rule does', () => {
    const q = aQuestion({
      type: 'multiple',
      choices: [
        { text: 'A', correct: true },
        { text: 'B', correct: true },
        { text: 'C', correct: true },
        { text: 'D', correct: false },
      ],
    });
    const text = renderGift(aBank('w', [q]));
    expect(text).toContain('\t~%33.33333%A\n\t~%33.33333%B\n\t~%33.33333%C\n\t~%-33.33333%D\n');
    expect(parseGift(text, 'w.gift').findings).toEqual([]);
  });

  it('keeps pattern answers in a comment Moodle ignores, and says so', () => {
    const q = aQuestion({ topic: 't', id: 'p', type: 'text', accept: ['s-maxage', '/^s-?maxage$/i'] });
    const notes: string[] = [];
    const text = renderGift(aBank('t', [q]), notes);
    expect(text).toContain('// accept: /^s-?maxage$/i\n::p::[markdown]');
    expect(notes).toEqual([
      "t/p: Moodle has no pattern answers; the pattern is kept in a comment for backend-quiz, and Moodle accepts only 's-maxage'",
    ]);
    expect(parseGift(text, 't.gift').drafts[0]!.body).toEqual({ type: 'text', accept: ['s-maxage', '/^s-?maxage$/i'] });
  });
});

describe('GIFT from other tools', () => {
  it('keeps a link (a recording) in an HTML prompt as a Markdown link', () => {
    const r = parseGift(readFixture('links-and-lines.gift'), 'l.gift');
    expect(r.drafts[0]!.prompt).toBe(
      'Listen to [the recording](https://example.org/audio/robin.mp3), or play it here: [audio](https://example.org/audio/robin.ogg)\n\nWhich bird is it?',
    );
  });

  it('joins a short answer written over several lines with spaces, and says so', () => {
    const r = parseGift(readFixture('links-and-lines.gift'), 'l.gift');
    expect(r.drafts[1]!.body).toEqual({ type: 'text', accept: ['answer1 line1 answer1 line2', 'answer2'] });
    expect(findings(r)).toEqual([
      "5:1 note: 'answer1 line1 answer1 line2': written over several lines, joined with spaces, since a typed answer is one line",
    ]);
  });

  // GIFT-grammar-PEG.js's tests/questions/escapeColon.gift, which Moodle imports as a single choice
  // where any one of four answers gets full marks.
  it('imports several fully right answers of a single choice as multiple answers, with a note', () => {
    const r = parseGift(readFixture('escapeColon.gift'), 'escapeColon.gift');
    expect(r.drafts.map(show)).toEqual(['1 multiple "Specify the seasons:" => +spring | +summer | +winter | +autumn | -easter']);
    expect(findings(r)).toEqual([
      '1:1 note: single choice with 4 fully right answers becomes multiple answers: pick every right one (Moodle gives full marks for any one)',
    ]);
  });
});

describe('GIFT for Moodle', () => {
  it('writes numbers after an =, so Moodle reads an answer of 0', () => {
    const q = aQuestion({ topic: 'n', id: 'zero', type: 'number', answer: 0, tolerance: 0 });
    const text = renderGift(aBank('n', [q]));
    expect(text).toContain('{\n\t#=0:0\n');
    expect(parseGift(text, 'n.gift').drafts[0]!.body).toEqual({ type: 'number', answer: 0, tolerance: 0 });
  });

  it('lists the points it cannot carry, and keeps them in a comment for the way back', () => {
    const q = aQuestion({ topic: 'p', id: 'heavy', points: 3 });
    const notes: string[] = [];
    const text = renderGift(aBank('p', [q]), notes);
    expect(notes).toEqual([
      'p/heavy: GIFT has no place for points; Moodle gives the question its default mark 1, not 3 (kept in a comment for backend-quiz)',
    ]);
    expect(parseGift(text, 'p.gift').drafts[0]!.points).toBe(3);
  });
});
