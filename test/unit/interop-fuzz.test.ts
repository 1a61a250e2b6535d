// Malformed input never crashes a parser: any text gives drafts and findings, every finding at a
// real line and column of that text. Inputs are built from each format's own syntax, so the
// generator reaches the parsers' corners, and from arbitrary text (lone surrogates included).
// Inputs of 100,000+ characters of the worst shapes for each format finish well within the
// test timeout: the scanners are linear, with no regular expression that can backtrack without bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAiken } from '../../src/interop/aiken.js';
import { Findings, draftsToBank, type ImportResult } from '../../src/interop/common.js';
import { parseGift, renderGift } from '../../src/interop/gift.js';
import { htmlToText } from '../../src/interop/html.js';
import { parseMarkdown } from '../../src/interop/markdown.js';
import { parseMoodleXml, renderMoodleXml } from '../../src/interop/moodle-xml.js';
import { aBank, aQuestion } from '../helpers.js';

type Parser = (text: string, file: string) => ImportResult;

const tokens = (list: string[]): fc.Arbitrary<string> => fc.array(fc.constantFrom(...list), { maxLength: 60 }).map((t) => t.join(''));

const GIFT = tokens([
  '{',
  '}',
  '~',
  '=',
  '#',
  '####',
  '\\',
  '::',
  ':',
  '%',
  '%50%',
  '%-100%',
  '->',
  '..',
  '//',
  '// difficulty: hard',
  '// accept: /a/i',
  '[html]',
  '[markdown]',
  '<b>',
  '\n',
  '\n\n',
  ' ',
  'a',
  'T',
  'TRUE',
  'F',
  '1',
  '5',
  '.5',
  '$CATEGORY: x/y',
  '*',
  '\\*',
  '\r\n',
  '\\n',
]);
/** Well-formed pieces, sometimes broken: a token dropped in or a slice cut out. */
function mutated(pieces: fc.Arbitrary<string[]>, noise: string[]): fc.Arbitrary<string> {
  return fc.tuple(pieces, fc.option(fc.tuple(fc.nat(), fc.constantFrom(...noise), fc.nat(20)), { freq: 2 })).map(([parts, cut]) => {
    const text = parts.join('');
    if (!cut) return text;
    const [at, token, len] = cut;
    const i = at % (text.length + 1);
    return len % 2 ? text.slice(0, i) + token + text.slice(i) : text.slice(0, i) + text.slice(i + len);
  });
}

const letter = fc.constantFrom('A', 'B', 'C', 'D', 'Z');
const AIKEN = mutated(
  fc.array(
    fc
      .tuple(
        fc.constantFrom('Which one?', 'Q\nmore', ''),
        fc.array(fc.tuple(fc.constantFrom(') ', '. ', ')'), fc.constantFrom('x', 'y', '')), { maxLength: 5 }),
        fc.option(letter),
        fc.boolean(),
      )
      .map(
        ([q, choices, answer, blank]) =>
          `${q}\n${choices.map(([sep, t], i) => `${String.fromCharCode(65 + i)}${sep}${t}\n`).join('')}${answer ? `ANSWER: ${answer}\n` : ''}${blank ? '\n' : ''}`,
      ),
    { maxLength: 5 },
  ),
  ['A) ', 'ANSWER: B', '\n', 'Z.', '\ufeff'],
);

const fraction = fc.constantFrom('100', '50', '0', '-50', '33.33333', 'x');
const xmlText = fc.constantFrom('a', '<![CDATA[<p>a &amp; <b>b</b></p>]]>', '&lt;x&gt;', '', '1', 'true', 'false', '*');
const XML = mutated(
  fc
    .array(
      fc
        .tuple(
          fc.constantFrom('multichoice', 'truefalse', 'shortanswer', 'numerical', 'matching', 'category', 'essay'),
          xmlText,
          fc.constantFrom('html', 'markdown', 'plain_text'),
          fc.array(fc.tuple(fraction, xmlText), { maxLength: 4 }),
          fc.boolean(),
        )
        .map(
          ([type, q, format, answers, single]) =>
            `<question type="${type}"><name><text>${q}</text></name><questiontext format="${format}"><text>${q}</text></questiontext><single>${single}</single>${answers.map(([fr, t]) => `<answer fraction="${fr}"><text>${t}</text><tolerance>1</tolerance></answer>`).join('')}<category><text>$course$/top/x</text></category></question>\n`,
        ),
      { maxLength: 4 },
    )
    .map((qs) => ['<?xml version="1.0"?>\n<quiz>\n', ...qs, '</quiz>\n']),
  ['&', '<', '</quiz>', '<!DOCTYPE x>', '<![CDATA[', '"', '<!--', '\n'],
);

const MARKDOWN = mutated(
  fc
    .tuple(
      fc.option(fc.constantFrom('# Title\n\n', '#\n')),
      fc.array(
        fc
          .tuple(
            fc.constantFrom('## Q\n', '## Question title ##\n', '##\n', '### not one\n'),
            fc.constantFrom('', 'Prompt text\n\n', '```\n- [x] in code\n```\n'),
            fc.oneof(
              fc
                .array(fc.tuple(fc.boolean(), fc.constantFrom('a', 'b', 'c', 'a')), { maxLength: 4 })
                .map((cs) => cs.map(([right, t]) => `- [${right ? 'x' : ' '}] ${t}\n`).join('')),
              fc.constantFrom('Answer: true\n', 'Answer: 42 ± 1\n', 'Answer: `a`, `b`\n', 'Answer: \n', 'Answer: `x\n', 'Answer: text\n'),
            ),
            fc.constantFrom(
              '',
              '\nDifficulty: hard · Tags: a\n',
              '\nType: multiple\n',
              '\nType: bogus\n',
              '\nPoints: 0\n',
              '\n> why\n',
              '\nReferences:\n- https://a.example\n',
              '\nstray text\n',
            ),
          )
          .map((parts) => parts.join('')),
        { maxLength: 5 },
      ),
    )
    .map(([title, qs]) => [title ?? '', ...qs]),
  ['## ', '- [x] ', 'Answer: ', '```', '`', '\n', ' · '],
);

function checkPositions(text: string, r: ImportResult): void {
  const lines = text.split('\n');
  for (const p of [...r.findings, ...r.drafts.map((d) => ({ ...d.at, message: 'draft' }))]) {
    expect(p.line, `${p.line}:${p.col} ${p.message}`).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lines.length);
    expect(p.col).toBeGreaterThanOrEqual(1);
    expect(p.col).toBeLessThanOrEqual(lines[p.line - 1]!.length + 1);
  }
  for (const f of r.findings) expect(f.message.length).toBeGreaterThan(0);
  // Whatever was read becomes a bank or findings, never an exception.
  const f = new Findings('f');
  const bank = draftsToBank(r.drafts, { bankId: 'fuzz', title: 'Fuzz', difficulty: 'medium', file: 'f' }, f);
  expect(bank.questions.length + f.list.length).toBe(r.drafts.length);
}

describe.each([
  ['GIFT', parseGift, GIFT],
  ['Aiken', parseAiken, AIKEN],
  ['Moodle XML', parseMoodleXml, XML],
  ['Markdown', parseMarkdown, MARKDOWN],
] as [string, Parser, fc.Arbitrary<string>][])('%s parser', (_, parse, syntax) => {
  it('gives drafts or positioned findings for text built from its syntax', () => {
    fc.assert(
      fc.property(syntax, (text) => checkPositions(text, parse(text, 'f'))),
      { numRuns: 400 },
    );
  });

  it('the syntax generator reaches both questions and problems', () => {
    const results = fc.sample(syntax, { numRuns: 300, seed: 42 }).map((t) => parse(t, 'f'));
    expect(results.some((r) => r.drafts.length > 0)).toBe(true);
    expect(results.some((r) => r.findings.some((x) => x.kind === 'error'))).toBe(true);
  });

  it('gives drafts or positioned findings for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkPositions(text, parse(text, 'f'))),
      { numRuns: 300 },
    );
  });
});

describe('worst shapes at 100,000 characters finish', () => {
  const n = 100_000;
  it.each([
    [
      'GIFT',
      parseGift,
      [
        '{'.repeat(n),
        '\\'.repeat(n + 1),
        `Q{#${'1'.repeat(n)}x}`,
        `::${':'.repeat(n)}`,
        `Q{~%${'5'.repeat(n)} =a}`,
        `// difficulty: a${' '.repeat(n)}b\nQ{T}`,
      ],
    ],
    ['Aiken', parseAiken, ['A) x\n'.repeat(n / 5), `Q\n${'A) x\nB) y\n'.repeat(n / 10)}`]],
    [
      'Moodle XML',
      parseMoodleXml,
      [`<quiz>${'&amp;'.repeat(n / 5)}`, `<quiz>${'<a>'.repeat(n / 3)}`, '<!--'.repeat(n / 4), `<quiz>${'&'.repeat(n)}`],
    ],
    [
      'Markdown',
      parseMarkdown,
      [
        `##${' '.repeat(n)}x`,
        `## a\nAnswer: ${'1'.repeat(n)}x`,
        `## a\nAnswer: ${'`'.repeat(n)}`,
        `## a\nAnswer: ${'` '.repeat(n / 2)}`,
        '```\n'.repeat(n / 4),
        `## a\n- [x] a\nDifficulty:${' '.repeat(n)}x`,
      ],
    ],
  ] as [string, Parser, string[]][])('%s', (_, parse, inputs) => {
    for (const text of inputs) checkPositions(text, parse(text, 'big'));
  });

  it('HTML to text', () => {
    for (const html of ['<'.repeat(n), '<a'.repeat(n / 2), '<!--'.repeat(n / 4), '<pre>'.repeat(n / 5), '&#'.repeat(n / 2)])
      expect(typeof htmlToText(html)).toBe('string');
  });

  it('HTML to text never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (html) => void htmlToText(html)),
      { numRuns: 300 },
    );
  });
});

describe('untrusted text survives export and import unchanged', () => {
  // Bank text as the validator leaves it: no control characters but newlines, trimmed.
  const text = fc
    .string({
      unit: fc.constantFrom(
        'a',
        'Z',
        ' ',
        '\n',
        '~',
        '=',
        '#',
        '{',
        '}',
        ':',
        '\\',
        '%',
        '[',
        ']',
        '<',
        '>',
        '&',
        '"',
        "'",
        '*',
        '-',
        '/',
        '`',
        'é',
        '😀',
        ']]>',
      ),
      minLength: 1,
      maxLength: 40,
    })
    .map((s) => s.trim())
    .filter((s) => s !== '' && !/^\[(html|moodle|plain|markdown)\]/.test(s));

  it.each([
    ['GIFT', (b: ReturnType<typeof aBank>) => parseGift(renderGift(b), 'x.gift')],
    ['Moodle XML', (b: ReturnType<typeof aBank>) => parseMoodleXml(renderMoodleXml(b), 'x.xml')],
  ])('%s', (_, roundTrip) => {
    fc.assert(
      fc.property(text, text, text, (prompt, right, wrong) => {
        fc.pre(right.toLowerCase() !== wrong.toLowerCase());
        const q = aQuestion({
          id: 'x',
          prompt,
          choices: [
            { text: right, correct: true, why: wrong },
            { text: wrong, correct: false, why: right },
          ],
          explanation: right,
        });
        const r = roundTrip(aBank('x', [q]));
        expect(r.findings.filter((f) => f.kind !== 'note')).toEqual([]);
        expect(r.drafts[0]).toMatchObject({
          prompt,
          body: {
            type: 'single',
            choices: [
              { text: right, correct: true, why: wrong },
              { text: wrong, correct: false, why: right },
            ],
          },
          explanation: right,
        });
      }),
      { numRuns: 300 },
    );
  });
});
