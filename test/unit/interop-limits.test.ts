// The readers under hostile input: limits that say what was exceeded, findings that stay twenty
// lines, work that grows with the file and not with its square, and banks that validate.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBank } from '../../src/bank/parse.js';
import { renderBankYaml } from '../../src/bank/write.js';
import { parseAiken } from '../../src/interop/aiken.js';
import { Findings, MAX_ANSWERS, MAX_QUESTIONS, MAX_QUESTION_LINES, draftsToBank, type ImportResult } from '../../src/interop/common.js';
import { parseGift } from '../../src/interop/gift.js';
import { parseMarkdown } from '../../src/interop/markdown.js';
import { MAX_ELEMENTS, parseMoodleXml } from '../../src/interop/moodle-xml.js';
import { MAX_PROBLEMS } from '../../src/yaml.js';
import { findings } from '../interop-helpers.js';

const TOO_MANY_ANSWERS = `more than ${MAX_ANSWERS} answers in one question; a question may have at most ${MAX_ANSWERS}: split it into several questions or leave answers out`;
const TOO_MANY_QUESTIONS = `more than ${MAX_QUESTIONS.toLocaleString('en')} questions in one file, more than a bank holds; the file was not read further: split it into smaller files and convert each`;

const errors = (r: ImportResult): string[] => findings(r).filter((f) => f.includes(' error: '));
const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('');

describe('limits on answers per question', () => {
  it('GIFT: one answer past the limit is refused where the question starts, before any answer is made', () => {
    const at = (n: number): ImportResult => parseGift(`::q::Pick one{=a${' ~b'.repeat(n - 1)}}\n`, 'q.gift');
    expect(at(MAX_ANSWERS).drafts).toHaveLength(1);
    const over = at(MAX_ANSWERS + 1);
    expect(over.drafts).toEqual([]);
    expect(findings(over)).toEqual([`1:1 error: ${TOO_MANY_ANSWERS}`]);
    // The repro's weights and short answers take the same path.
    expect(errors(parseGift(`::q::Q{${'~%50%a '.repeat(MAX_ANSWERS + 1)}}\n`, 'w.gift'))).toEqual([`1:1 error: ${TOO_MANY_ANSWERS}`]);
    expect(errors(parseGift(`::q::Q{${'=a '.repeat(MAX_ANSWERS + 1)}}\n`, 's.gift'))).toEqual([`1:1 error: ${TOO_MANY_ANSWERS}`]);
  });

  it('Markdown: the choice past the limit is named, and the rest of the checklist passed over', () => {
    const r = parseMarkdown(`## Q\n\n${'- [x] a\n'.repeat(MAX_ANSWERS + 50)}\n## Next\n\nAnswer: true\n`, 'q.md');
    expect(findings(r)).toEqual([`${MAX_ANSWERS + 3}:1 error: ${TOO_MANY_ANSWERS}`]);
    expect(r.drafts.map((d) => d.prompt)).toEqual(['Next']);
    const spans = parseMarkdown(`## Q\n\nAnswer: ${Array.from({ length: MAX_ANSWERS + 1 }, (_, i) => `\`a${i}\``).join(', ')}\n`, 's.md');
    expect(findings(spans)).toEqual([`3:1 error: ${TOO_MANY_ANSWERS}`]);
  });

  it('Moodle XML: answers past the limit are refused at the question', () => {
    const xml = `<quiz>\n<question type="multichoice"><questiontext><text>Q</text></questiontext>${'<answer fraction="100"><text>a</text></answer>'.repeat(MAX_ANSWERS + 1)}</question>\n</quiz>\n`;
    const r = parseMoodleXml(xml, 'q.xml');
    expect(r.drafts).toEqual([]);
    expect(findings(r)).toEqual([`2:1 error: ${TOO_MANY_ANSWERS}`]);
  });
});

describe('limits on lines per question and elements per file', () => {
  const TOO_LONG = `more than ${MAX_QUESTION_LINES.toLocaleString('en')} lines in one question; a question may have at most ${MAX_QUESTION_LINES.toLocaleString('en')}: is a heading or a blank line missing before this?`;

  it('Markdown and Aiken name the line past the limit, and read on after the question', () => {
    const md = parseMarkdown(`## Q\n${'text\n'.repeat(MAX_QUESTION_LINES + 10)}## Next\nAnswer: true\n`, 'q.md');
    expect(findings(md)).toEqual([`${MAX_QUESTION_LINES + 2}:1 error: ${TOO_LONG}`]);
    expect(md.drafts.map((d) => d.prompt)).toEqual(['Next']);
    const aiken = parseAiken(`${'Q\n'.repeat(MAX_QUESTION_LINES + 1)}A) a\nB) b\nANSWER: A\n`, 'q.txt');
    expect(errors(aiken)[0]).toBe(`${MAX_QUESTION_LINES + 1}:1 error: ${TOO_LONG}`);
  });

  it('Moodle XML stops at the element past MAX_ELEMENTS', () => {
    const r = parseMoodleXml(`<quiz>\n${'<a/>'.repeat(MAX_ELEMENTS + 10)}</quiz>\n`, 'e.xml');
    expect(findings(r)).toEqual([
      `2:${4 * MAX_ELEMENTS - 3} error: not well-formed XML: more than ${MAX_ELEMENTS.toLocaleString('en')} elements; a file of ${MAX_QUESTIONS.toLocaleString('en')} questions needs far fewer, so the file was not read further: split it into smaller files`,
    ]);
  });
});

describe('limits on questions per file', () => {
  it('each reader stops after MAX_QUESTIONS, at the question past it, saying so', () => {
    const n = MAX_QUESTIONS + 50;
    const gift = parseGift(`$CATEGORY: t\n\n${lines(n, (i) => `::q${i}::Q${i}{=a ~b}\n\n`)}`, 'q.gift');
    expect(gift.drafts).toHaveLength(MAX_QUESTIONS);
    expect(findings(gift)).toEqual([`${2 * MAX_QUESTIONS + 3}:1 error: ${TOO_MANY_QUESTIONS}`]);

    const aiken = parseAiken(
      lines(n, (i) => `Q${i}\nA) a\nB) b\nANSWER: A\n\n`),
      'q.txt',
    );
    expect(aiken.drafts).toHaveLength(MAX_QUESTIONS);
    expect(findings(aiken)).toEqual([`${5 * MAX_QUESTIONS + 1}:1 error: ${TOO_MANY_QUESTIONS}`]);

    const md = parseMarkdown(
      lines(n, (i) => `## Q${i}\nAnswer: true\n`),
      'q.md',
    );
    expect(md.drafts).toHaveLength(MAX_QUESTIONS);
    expect(findings(md)).toEqual([`${2 * MAX_QUESTIONS + 1}:1 error: ${TOO_MANY_QUESTIONS}`]);

    const question = (i: number): string =>
      `<question type="truefalse"><questiontext><text>Q${i}</text></questiontext><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>\n`;
    const xml = parseMoodleXml(
      `<quiz>\n<question type="category"><category><text>t</text></category></question>\n${lines(n, question)}</quiz>\n`,
      'q.xml',
    );
    expect(xml.drafts).toHaveLength(MAX_QUESTIONS);
    expect(findings(xml)).toEqual([`${MAX_QUESTIONS + 3}:1 error: ${TOO_MANY_QUESTIONS}`]);
  });
});

describe('findings: the first of each kind and a count', () => {
  it('a file of a thousand broken questions keeps twenty findings and counts them all', () => {
    const md = parseMarkdown('## h\n'.repeat(1000), 'h.md');
    expect(md.findings).toHaveLength(MAX_PROBLEMS);
    expect(md.counts).toEqual({ error: 1000, unsupported: 0, note: 0 });
    expect(md.findings[0]!.line).toBe(1);
    const aiken = parseAiken('Q?\nANSWER: A\n'.repeat(1000), 'a.txt');
    expect(aiken.findings).toHaveLength(MAX_PROBLEMS);
    expect(aiken.counts.error).toBe(1000);
  });

  it('a flood of notes does not hide the error after it, and the limit is always kept', () => {
    const f = new Findings('x');
    for (let i = 1; i <= 100; i++) f.add('note', { line: i, col: 1 }, 'n');
    f.add('error', { line: 101, col: 1 }, 'the error');
    for (let i = 0; i < 100; i++) f.add('error', { line: 102, col: 1 }, 'e');
    f.stop({ line: 200, col: 1 }, 'stopped');
    expect(f.list.filter((x) => x.kind === 'note')).toHaveLength(MAX_PROBLEMS);
    expect(f.list.filter((x) => x.kind === 'error').map((x) => x.message)).toEqual([
      'the error',
      ...Array<string>(MAX_PROBLEMS - 1).fill('e'),
      'stopped',
    ]);
    expect(f.counts).toEqual({ error: 102, unsupported: 0, note: 100 });
  });
});

describe('Moodle XML: the bare-ampersand check is linear', () => {
  afterEach(() => void vi.restoreAllMocks());

  it("looks for the next '&' once, not once per CDATA section before it", () => {
    const sections = 2000;
    const xml = `<?xml version="1.0"?>\n<quiz>${'<![CDATA[y]]>'.repeat(sections)}&</quiz>\n`;
    const indexOf = String.prototype.indexOf;
    let ampersands = 0;
    vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (this: string, search: string, from?: number) {
      if (search === '&') ampersands++;
      return indexOf.call(this, search, from);
    });
    const r = parseMoodleXml(xml, 'c.xml');
    vi.restoreAllMocks();
    expect(findings(r)).toEqual([
      `2:${6 + 13 * sections + 1} error: not well-formed XML: a bare '&'; write it as &amp; (or put the text in <![CDATA[ … ]]>)`,
    ]);
    expect(ampersands).toBeLessThanOrEqual(2);
  });
});

describe('what convert writes is what validate accepts', () => {
  const bankOf = (r: ImportResult) => {
    const f = new Findings(r.findings[0]?.file ?? 'x');
    const bank = draftsToBank(r.drafts, { bankId: 'b', title: 'B', difficulty: 'medium', file: 'x' }, f);
    return { bank, f };
  };

  it('a reference led by a control character is an error at the question, not a bank that fails validate', () => {
    const r = parseMarkdown('## Q\n\nWhich port?\n\nAnswer: 443\n\nReferences:\n- \u0007https://example.com/x\n', 'ctrl-ref.md');
    expect(r.findings).toEqual([]);
    const { bank, f } = bankOf(r);
    expect(bank.questions).toEqual([]);
    expect(findings({ ...r, findings: f.list })).toEqual([
      "1:1 error: this question would not make a valid bank question: reference '\\u0007https://example.com/x' is not an http(s) URL",
    ]);
  });

  it('a wildcard answer with U+0085 becomes a pattern RE2 reads, and the bank validates', () => {
    const { bank, f } = bankOf(parseGift('::q::Which command?{=SET * NX \u0085}\n', 'nel.gift'));
    expect(f.list).toEqual([]);
    expect(bank.questions.map((q) => q.type === 'text' && q.accept)).toEqual([['/^SET .* NX \\x85$/i']]);
    expect(parseBank(renderBankYaml(bank), 'nel.yaml').problems).toEqual([]);
  });
});
