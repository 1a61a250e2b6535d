// The rules every format shares: weights, wildcards, references, ids, HTML, and the check
// that makes every imported question one the bank validator accepts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBankFiles } from '../../src/bank/load.js';
import { parseBank } from '../../src/bank/parse.js';
import { renderBankYaml } from '../../src/bank/write.js';
import {
  Findings,
  acceptFromWildcard,
  assignIds,
  choicesFromWeights,
  draftsToBank,
  feedbackText,
  idFrom,
  splitFeedback,
  type Draft,
} from '../../src/interop/common.js';
import { htmlToText } from '../../src/interop/html.js';
import { root } from '../helpers.js';

describe('shared mapping rules', () => {
  const at = { line: 3, col: 1 };
  const run = (answers: [string, number][], single: boolean) => {
    const f = new Findings('f');
    const body = choicesFromWeights(
      answers.map(([text, weight]) => ({ text, weight, at })),
      single,
      at,
      f,
    );
    return { body, found: f.list.map((x) => `${x.kind}: ${x.message}`) };
  };

  it('one right answer is single choice; partial credit there is noted', () => {
    expect(
      run(
        [
          ['a', 1],
          ['b', 0],
        ],
        true,
      ),
    ).toEqual({
      body: {
        type: 'single',
        choices: [
          { text: 'a', correct: true },
          { text: 'b', correct: false },
        ],
      },
      found: [],
    });
    expect(
      run(
        [
          ['a', 1],
          ['b', 0.5],
        ],
        true,
      ).found,
    ).toEqual(["note: single choice is all or nothing: 'b' (50%) counts as wrong"]);
    // Moodle gives full marks for any of several fully right answers; here they become multiple
    // answers, every choice kept, with a note (Moodle's own escapeColon-style files).
    expect(
      run(
        [
          ['a', 1],
          ['b', 1],
          ['c', 0],
        ],
        true,
      ),
    ).toEqual({
      body: {
        type: 'multiple',
        choices: [
          { text: 'a', correct: true },
          { text: 'b', correct: true },
          { text: 'c', correct: false },
        ],
      },
      found: [
        'note: single choice with 2 fully right answers becomes multiple answers: pick every right one (Moodle gives full marks for any one)',
      ],
    });
  });

  it('weights that match (right − wrong) / right total pass; others are noted, never dropped', () => {
    expect(
      run(
        [
          ['a', 0.5],
          ['b', 0.5],
          ['c', -0.5],
        ],
        false,
      ),
    ).toMatchObject({ body: { type: 'multiple' }, found: [] });
    expect(
      run(
        [
          ['a', 1],
          ['b', -1],
        ],
        false,
      ),
    ).toMatchObject({ body: { type: 'multiple' }, found: [] });
    expect(
      run(
        [
          ['a', 0.25],
          ['b', 0.75],
          ['c', 0],
        ],
        false,
      ).found,
    ).toEqual(['note: weights 25%, 75%, 0% become the partial-credit rule: right +50%, wrong −50%']);
    expect(
      run(
        [
          ['a', 0],
          ['b', -1],
        ],
        false,
      ).found[0],
    ).toMatch(/^error: no answer has a positive weight/);
    expect(run([['a', 1]], false).found).toEqual(['error: a multiple-choice question needs at least 2 answers, has 1']);
  });

  it.each([
    ['ETag', 'ETag'],
    ['SET * NX', '/^SET .* NX$/i'],
    ['*.example.com', '/^.*\\.example\\.com$/i'],
    ['a\\*b', 'a*b'],
    ['(x)*', '/^\\(x\\).*$/i'],
  ])('short-answer wildcard %j becomes %j', (moodle, ours) => {
    expect(acceptFromWildcard(moodle)).toBe(ours);
  });

  it('a wildcard pattern matches what Moodle would accept', () => {
    const re = acceptFromWildcard('SET * NX');
    const m = /^\/(.+)\/i$/.exec(re)!;
    expect(new RegExp(m[1]!, 'i').test('set mykey 1 nx')).toBe(true);
    expect(new RegExp(m[1]!, 'i').test('SETNX')).toBe(false);
  });

  it('takes references out of general feedback and puts them back', () => {
    expect(splitFeedback(feedbackText('Because.', ['https://a.example/x', 'https://b.example/y(K, V)']))).toEqual({
      explanation: 'Because.',
      references: ['https://a.example/x', 'https://b.example/y(K, V)'],
    });
    expect(splitFeedback('References:\n\n- https://a.example\n\n- https://b.example')).toEqual({
      references: ['https://a.example', 'https://b.example'],
    });
    expect(splitFeedback('See References: below.')).toEqual({ explanation: 'See References: below.', references: [] });
    expect(splitFeedback('')).toEqual({ references: [] });
  });

  it('makes kebab-case ids from titles or prompts, unique in the bank', () => {
    expect(idFrom("Who's buried in Grant's tomb?")).toBe('whos-buried-in-grants-tomb');
    expect(idFrom('Café — naïve: 2-08 TSL')).toBe('cafe-naive-2-08-tsl');
    expect(idFrom('A'.repeat(80))).toHaveLength(48);
    const d = (name: string | undefined, prompt: string): Draft => ({
      at: { line: 1, col: 1 },
      ...(name ? { name } : {}),
      prompt,
      body: { type: 'boolean', answer: true },
    });
    expect(assignIds([d('Q1', 'x'), d('Q1', 'y'), d(undefined, 'Is TLS 1.3 faster?'), d(undefined, '???')])).toEqual([
      'q1',
      'q1-2',
      'is-tls-1-3-faster',
      'q4',
    ]);
  });

  it('turns the HTML Moodle stores into text with paragraphs and code', () => {
    expect(htmlToText('<p dir="ltr">Hello&nbsp;<b>world</b> &amp; &lt;you&gt; &#x1F600; &#128512;</p><p>Next</p>')).toBe(
      'Hello **world** & <you> 😀 😀\n\nNext',
    );
    expect(htmlToText('<pre><code>if (a &lt; b) {\n  go();\n}</code></pre>')).toBe('```\nif (a < b) {\n  go();\n}\n```');
    expect(htmlToText('<ul><li>one</li><li>two <code>x</code></li></ul>')).toBe('- one\n\n- two `x`');
    expect(htmlToText('a < b and <!-- unclosed')).toBe('a < b and');
    const found = { images: 0 };
    htmlToText('<img src="@@PLUGINFILE@@/x.png">Text', found);
    expect(found.images).toBe(1);
  });

  it('refuses a draft the bank validator would refuse, at its place in the source', () => {
    const f = new Findings('q.gift');
    const draft: Draft = {
      at: { line: 7, col: 1 },
      prompt: 'Pick',
      body: {
        type: 'single',
        choices: [
          { text: 'a', correct: true },
          { text: 'A', correct: false },
        ],
      },
    };
    const bank = draftsToBank([draft], { bankId: 'b', title: 'B', difficulty: 'easy', file: 'q.gift' }, f);
    expect(bank.questions).toEqual([]);
    expect(f.list.map((x) => `${x.line}:${x.col} ${x.message}`)).toEqual([
      "7:1 this question would not make a valid bank question: duplicate choice text 'A'; every choice must differ",
    ]);
  });
});

describe('bank YAML writer', () => {
  it('writes every built-in bank so that it reads back the same', () => {
    const library = loadBankFiles([path.join(root, 'questions')], root).banks;
    expect(library.length).toBeGreaterThan(20);
    for (const b of library) expect(parseBank(renderBankYaml(b), b.source).bank!.questions).toEqual(b.questions);
  });

  it('leaves out defaults and fields a question does not have', () => {
    const text = renderBankYaml({
      id: 'b',
      title: 'B',
      description: '',
      questions: [
        {
          key: 'b/q',
          id: 'q',
          topic: 'b',
          type: 'number',
          difficulty: 'easy',
          prompt: 'Two lines\nof prompt',
          answer: 4,
          tolerance: 0,
          references: [],
          tags: [],
          points: 1,
        },
      ],
    });
    expect(text).toBe(
      '# yaml-language-server: $schema=https://unpkg.com/backend-quiz/schema/bank.schema.json\nbank: b\ntitle: B\nquestions:\n  - id: q\n    type: number\n    difficulty: easy\n    prompt: |-\n      Two lines\n      of prompt\n    answer: 4\n',
    );
  });
});
