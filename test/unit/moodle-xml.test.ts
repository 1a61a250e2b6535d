// Moodle XML: a fixture shaped like Moodle's own export, XML errors with positions, escaping.
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { parseMoodleXml, renderMoodleXml } from '../../src/interop/moodle-xml.js';
import { aBank, aQuestion } from '../helpers.js';
import { findings, readFixture, show } from '../interop-helpers.js';

describe('Moodle XML', () => {
  it('reads the four question types, HTML text, categories, tags and grades', () => {
    const r = parseMoodleXml(readFixture('moodle-export.xml'), 'm.xml');
    expect(r.drafts.map(show)).toEqual([
      '14 single "Which HTTP method is **safe** & idempotent?" => -POST#POST may create a resource. | +GET ## Safe methods do not change state.',
      '50 multiple "Which methods are idempotent?" => +PUT | +DELETE | -POST',
      '69 boolean "A 204 response has no body." => true',
      '90 text "Which header tells a client how long to wait before retrying? Example:\\n\\n```\\nHTTP/1.1 503 Service Unavailable\\nRetry-After: 120\\n```" => Retry-After | /^Retry.*After$/i',
      '117 number "Which port does `https` use by default?" => 443±0',
    ]);
    expect(r.drafts[0]).toMatchObject({
      name: 'Safe method',
      difficulty: 'easy',
      tags: ['http'],
      points: 2,
      references: ['https://www.rfc-editor.org/rfc/rfc9110#section-9.2.1'],
    });
    expect(r.bankName).toBe('Web APIs');
    expect(findings(r)).toEqual([
      '50:3 note: images and attached files are not imported; only the text is',
      '69:3 note: true/false feedback dropped: only the general feedback is kept',
      '90:3 note: answers here are compared ignoring case; the source asked for matching case',
      "90:3 note: partial-credit answers left out: 'Retry' (50%)",
      '117:3 note: units are not kept: answers are plain numbers here',
      "143:3 unsupported: a question of type 'matching' (matching) is not supported; left out",
      "151:3 unsupported: a question of type 'essay' (an essay, which needs a person to grade it) is not supported; left out",
      "157:3 unsupported: a question of type 'multianswer' (embedded answers (cloze)) is not supported; left out",
      "163:3 unsupported: a question of type 'description' (a description, which is not a question) is not supported; left out",
    ]);
  });

  it.each([
    [
      '<quiz><question type="truefalse"><name><text>A & B</text></name></question></quiz>',
      "1:48 error: not well-formed XML: a bare '&'; write it as &amp; (or put the text in <![CDATA[ … ]]>)",
    ],
    ['<quiz>\n  <question type="x">\n</quiz>', '3:8 error: not well-formed XML: unexpected close tag.'],
    [
      '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaa">]>\n<quiz/>',
      '2:1 error: not well-formed XML: a DOCTYPE is not allowed in a Moodle XML file; remove it',
    ],
    ['<questions/>', '1:1 error: not a Moodle XML file: the root element is <questions>, expected <quiz>'],
    [
      '<quiz>\n<question type="shortanswer"><questiontext><text>Q</text></questiontext><answer fraction="50"><text>a</text></answer></question></quiz>',
      '2:1 error: no answer gives full credit; give the right answer fraction="100"',
    ],
    [
      '<quiz>\n<question type="bogus"/></quiz>',
      "2:1 unsupported: unknown question type 'bogus' left out; backend-quiz reads multichoice, truefalse, shortanswer and numerical",
    ],
  ])('reports %j', (xml, message) => {
    expect(findings(parseMoodleXml(xml, 'x.xml'))).toContain(message);
  });

  it('escapes bank text so the file stays well-formed and reads back unchanged', () => {
    const hostile = 'a < b && c > d "quoted" \'single\' ]]> <!-- --> \u0001 end';
    const q = aQuestion({ id: 'x', prompt: hostile, explanation: '</text></generalfeedback>' });
    const xml = renderMoodleXml(aBank('x', [q]));
    const parser = new SaxesParser();
    let texts = '';
    parser.on('text', (t) => void (texts += t));
    parser.on('cdata', (t) => void (texts += t));
    expect(() => parser.write(xml).close()).not.toThrow();
    expect(texts).toContain('a < b && c > d "quoted" \'single\' ]]> <!-- --> \ufffd end');
    const back = parseMoodleXml(xml, 'x.xml');
    expect(back.drafts[0]).toMatchObject({ prompt: hostile.replace('\u0001', '\ufffd'), explanation: '</text></generalfeedback>' });
  });
});

// Moodle's own test fixtures, from moodle/moodle question/format/xml/tests/fixtures/ (GPL test
// data; the base64 image contents are shortened, nothing else changed).
describe("Moodle's own fixtures", () => {
  const read = (name: string): ReturnType<typeof parseMoodleXml> => parseMoodleXml(readFixture(`moodle/${name}`), name);

  it('cloze questions (type="cloze", as Moodle exports them) are listed and left out, not refused', () => {
    const r = read('broken_cloze_questions.xml');
    expect(r.drafts).toEqual([]);
    expect(findings(r)).toEqual(
      [4, 20, 36, 52, 68].map(
        (line) => `${line}:3 unsupported: a question of type 'cloze' (embedded answers (cloze)) is not supported; left out`,
      ),
    );
    expect(findings(read('multianswer.xml'))).toEqual([
      "12:3 unsupported: a question of type 'cloze' (embedded answers (cloze)) is not supported; left out",
    ]);
  });

  it('the rest of the file is imported: a multiple choice beside a cloze, its Moodle 1.9 image noted', () => {
    const r = read('sample_questions_with_old_image_tag.xml');
    expect(r.drafts.map(show)).toEqual([
      '36 single "This is a multichoice question with an image in the old \\"image\\" field that was used in Moodle 1.9" => -wrong answer | -another wrong answer | +right answer',
    ]);
    expect(findings(r)).toEqual([
      "16:3 unsupported: a question of type 'cloze' (embedded answers (cloze)) is not supported; left out",
      '36:3 note: images and attached files are not imported; only the text is',
    ]);
  });

  it('type="match", the older name of matching, is listed and left out', () => {
    const xml = `<quiz>\n<question type="match"/>\n<question type="truefalse"><questiontext><text>T?</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`;
    const r = parseMoodleXml(xml, 'm.xml');
    expect(r.drafts.map(show)).toEqual(['3 boolean "T?" => true']);
    expect(findings(r)).toEqual(["2:1 unsupported: a question of type 'match' (matching) is not supported; left out"]);
  });
});

describe('Moodle XML for Moodle', () => {
  it("writes text as Moodle's exporter does: CDATA where anything needs escaping, ]]> split across two sections", () => {
    const q = aQuestion({ id: 'c', prompt: "script-src 'self' 'unsafe-inline'; a ]]> b", explanation: 'Plain words.' });
    const xml = renderMoodleXml(aBank('c', [q]));
    expect(xml).toContain(
      "<questiontext format=\"markdown\"><text><![CDATA[script-src 'self' 'unsafe-inline'; a ]]]]><![CDATA[> b]]></text>",
    );
    expect(xml).toContain('<generalfeedback format="markdown"><text>Plain words.');
  });

  it('writes only grades Moodle accepts, and lists a question whose scoring changes', () => {
    const q = aQuestion({
      topic: 'g',
      id: 'twelve',
      type: 'multiple',
      choices: [...Array.from({ length: 12 }, (_, i) => ({ text: `r${i}`, correct: true })), { text: 'w', correct: false }],
    });
    const notes: string[] = [];
    const xml = renderMoodleXml(aBank('g', [q]), notes);
    const fractions = [...xml.matchAll(/fraction="([^"]*)"/g)].map((m) => m[1]);
    expect(fractions).toEqual([...Array<string>(8).fill('10'), ...Array<string>(4).fill('5'), '-10']);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^g\/twelve: Moodle has no grade of 1\/12/);
    expect(parseMoodleXml(xml, 'g.xml').drafts[0]!.body).toMatchObject({ type: 'multiple' });
  });
});
