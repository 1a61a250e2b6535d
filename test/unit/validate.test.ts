import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAllBanks, loadBankFiles, loadExtraBanks } from '../../src/bank/load.js';
import { MAX_BANK_BYTES, parseBank } from '../../src/bank/parse.js';
import { formatProblem } from '../../src/bank/types.js';
import { aBank, fixtures, root, tmpDir } from '../helpers.js';

const invalidDir = path.join(fixtures, 'banks', 'invalid');
const cases = fs
  .readdirSync(invalidDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('validator: one fixture per kind of problem', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(15));

  it.each(cases)('%s', (name) => {
    const text = fs.readFileSync(path.join(invalidDir, name), 'utf8');
    const m = /^# expect: (\d+):(\d+) (.+)$/m.exec(text);
    expect(m, 'fixture must start with "# expect: line:col message"').not.toBeNull();
    const [, line, col, message] = m!;
    const file = `banks/${name}`;
    const { bank, problems } = parseBank(text, file);
    expect(bank).toBeUndefined();
    expect(problems.map(formatProblem)).toContainEqual(expect.stringContaining(`${file}:${line}:${col}: ${message}`));
  });
});

const minimal = (questions: string): string => `bank: demo\ntitle: Demo\nquestions:\n${questions}`;

// The yaml package names what it failed to build ("Sequence item without - indicator"), often on
// another line; the author needs to hear that one line is indented wrongly, and which.
describe('validator: indentation', () => {
  const item = (id: string, indent = '    '): string =>
    `  - id: ${id}\n${indent}type: boolean\n${indent}difficulty: easy\n${indent}prompt: x\n${indent}answer: true\n`;
  const first = (text: string): string[] => parseBank(text, 'b.yaml').problems.map(formatProblem);

  it.each([
    [
      'a field indented 3 spaces under "  - "',
      minimal(item('one', '   ')),
      'b.yaml:5:4: bad indentation: this line is indented 3 spaces, which matches no level above it: the nearest are 2 spaces (line 4) and 4 spaces (line 4); indent it like the lines it belongs with, with spaces',
    ],
    [
      'an item indented one space more than the one before',
      minimal(`${item('one')} ${item('two')}`),
      'b.yaml:9:4: bad indentation: this line is indented 3 spaces, which matches no level above it: the nearest are 2 spaces (line 4) and 4 spaces (line 8); indent it like the lines it belongs with, with spaces',
    ],
    [
      'a field one space deeper than the one above',
      minimal(item('one').replace('    difficulty', '     difficulty')),
      'b.yaml:6:6: bad indentation: this line is indented 5 spaces, deeper than line 5 (4), which already has its value; indent it 4 spaces to line up with it',
    ],
    [
      'an item deeper than the fields of the one before',
      minimal(`${item('one').replace(/^ {2}/gm, '')}   - id: two\n`),
      'b.yaml:9:4: bad indentation: this line is indented 3 spaces, deeper than line 8 (2), which already has its value; indent it 0 spaces to line up with the "-" of line 4',
    ],
    [
      'a text after "|" whose first line is deeper than the rest',
      minimal(item('one').replace('prompt: x', 'prompt: |\n       First line.\n      Second line.')),
      'b.yaml:9:7: bad indentation: this line is indented 6 spaces, less than line 8 (7), the first of the text begun on line 7; a block of text takes its indentation from its first line, so indent its lines alike',
    ],
  ])('%s: one problem that names the line and its indentation', (_name, text, message) => {
    expect(first(text)).toEqual([message]);
  });

  it('a line indented wrongly at the top of a bank is named, not the flood of errors after it', () => {
    const problems = first(` bank: demo\ntitle: Demo\ndescription: D\nquestions:\n${item('one')}${item('two')}`);
    expect(problems[0]).toMatch(/^b\.yaml:2:1: bad indentation: this line is indented 0 spaces, which matches no level above it/);
    expect(problems.slice(1).every((p) => !p.includes('YAML syntax error'))).toBe(true);
  });

  it('a syntax error that is not about indentation keeps its own message', () => {
    expect(first(minimal(item('one').replace('prompt: x', 'prompt: "unclosed')))[0]).toMatch(/^b\.yaml:\d+:\d+: YAML syntax error: /);
    // A text continued on a more indented line is YAML, not a misfit.
    expect(first(minimal(item('one').replace('prompt: x', 'prompt: a long\n      text, continued')))).toEqual([]);
  });
});

describe('validator: cases built inline', () => {
  it('accepts the fixture bank and computes global keys', () => {
    const text = fs.readFileSync(path.join(fixtures, 'banks', 'valid', 'fixture.yaml'), 'utf8');
    const { bank, problems } = parseBank(text, 'fixture.yaml');
    expect(problems).toEqual([]);
    expect(bank!.questions.map((q) => q.key)).toEqual([
      'fixture/pick-two',
      'fixture/sky-blue',
      'fixture/https-port',
      'fixture/retry-header',
      'fixture/small-primes',
    ]);
    expect(bank!.questions.find((q) => q.id === 'small-primes')!.points).toBe(2);
  });

  it('reports every problem, not just the first', () => {
    const { problems } = parseBank(
      minimal(`  - id: Bad Id\n    type: essay\n    difficulty: easy\n    prompt: x\n    explanation: y\n`),
      'b.yaml',
    );
    expect(problems.map((p) => `${p.line}:${p.col} ${p.message.split(';')[0]}`)).toEqual([
      "4:9 'id' must be kebab-case (lowercase letters, digits and single hyphens), got 'Bad Id'",
      "5:11 'type' must be one of single, multiple, boolean, text, number, sql, code",
    ]);
  });

  // The duplicate check saw only questions without other problems: fixing those revealed it.
  it('reports a duplicate question id in the same run as the other problems, whichever copy has them', () => {
    const q = (id: string, difficulty = 'easy'): string =>
      `  - id: ${id}\n    type: boolean\n    difficulty: ${difficulty}\n    prompt: x\n    answer: true\n`;
    const { problems } = parseBank(minimal(q('a', 'extreme') + q('b') + q('a') + q('b', 'extreme')), 'b.yaml');
    expect(problems.map((p) => `${p.line}:${p.col} ${p.message.split(';')[0]}`)).toEqual([
      "6:17 'difficulty' must be one of easy, medium, hard",
      "14:9 duplicate question id 'a' in this bank",
      "19:9 duplicate question id 'b' in this bank",
      "21:17 'difficulty' must be one of easy, medium, hard",
    ]);
  });

  it('refuses a file larger than the limit before parsing it', () => {
    const { problems } = parseBank(`# ${'x'.repeat(MAX_BANK_BYTES)}\n`, 'huge.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/too large .* at most 2 MB/);
  });

  it('refuses binary content', () => {
    const { problems } = parseBank('bank: x\u0000\u0001\u0002', 'bin.yaml');
    expect(formatProblem(problems[0]!)).toMatch(/^bin\.yaml:1:8: this is not a UTF-8 text file/);
  });

  it('refuses regular expression flags that make matching stateful', () => {
    const { problems } = parseBank(
      minimal(`  - id: q\n    type: text\n    difficulty: easy\n    prompt: x\n    explanation: y\n    accept: ['/a/g']\n`),
      'b.yaml',
    );
    expect(problems[0]!.message).toMatch(/flags 'g' are not allowed/);
  });

  it('replaces terminal escape sequences in bank text with visible escapes', () => {
    const { bank } = parseBank(
      minimal(
        `  - id: q\n    type: boolean\n    difficulty: easy\n    prompt: "evil \\e]52;c;aGVsbG8=\\a text"\n    answer: true\n    explanation: "\\e[2J gone"\n`,
      ),
      'b.yaml',
    );
    const q = bank!.questions[0]!;
    expect(q.prompt).toBe('evil \\u001b]52;c;aGVsbG8=\\u0007 text');
    expect(q.explanation).not.toContain('\u001b');
  });

  it('takes a question without explanation or references, and leaves them out', () => {
    const { bank, problems } = parseBank(
      minimal(`  - id: q\n    type: boolean\n    difficulty: easy\n    prompt: x\n    answer: true\n`),
      'b.yaml',
    );
    expect(problems).toEqual([]);
    const q = bank!.questions[0]!;
    expect('explanation' in q).toBe(false);
    expect(q.references).toEqual([]);
  });

  const body = `title: T\nquestions:\n  - id: q\n    type: boolean\n    difficulty: easy\n    prompt: x\n    answer: true\n    explanation: y\n`;

  it('reports a bank id used by two files at the second one', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), `bank: same\n${body}`);
    fs.writeFileSync(path.join(dir, 'b.yaml'), `\nbank: same\n${body}`);
    const result = loadBankFiles([dir]);
    expect(result.banks).toHaveLength(1);
    expect(result.problems.map(formatProblem)).toEqual([
      `${path.join(dir, 'b.yaml')}:2:7: duplicate bank id 'same': ${path.join(dir, 'a.yaml')} already defines it; rename one of them`,
    ]);
  });

  // validate checked extra banks alone; loading them beside the built-in banks refused a reused
  // id, so CI's validate step passed a bank its quiz step then refused.
  it('checks extra banks as loading them does: an id a built-in bank uses is a problem at the id', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'mine.yaml'), `# mine\nbank: caching\n${body}`);
    const builtin = [aBank('caching', 1, { source: 'questions/caching.yaml' })];
    const message = `${path.join(dir, 'mine.yaml')}:2:7: duplicate bank id 'caching': the built-in bank questions/caching.yaml already uses it; rename this bank`;
    expect(loadExtraBanks([dir], builtin).problems.map(formatProblem)).toEqual([message]);
    expect(loadAllBanks([dir]).problems.map(formatProblem)).toEqual([message]);
  });

  it("a built-in bank's own file is that bank, not a duplicate of it", () => {
    const own = path.join(root, 'questions', 'caching.yaml');
    const result = loadExtraBanks([own], [aBank('caching', 1, { source: 'questions/caching.yaml' })]);
    expect(result.problems).toEqual([]);
    expect(result.banks.map((b) => b.id)).toEqual(['caching']);
    expect(loadAllBanks([own]).banks.filter((b) => b.id === 'caching')).toHaveLength(1);
  });

  it('a reused bank id is reported with the other problems of its file, not after they are fixed', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), `bank: same\n${body}`);
    fs.writeFileSync(path.join(dir, 'b.yaml'), `bank: same\n${body.replace('difficulty: easy', 'difficulty: extreme')}`);
    expect(loadBankFiles([dir]).problems.map((p) => p.message.split(';')[0])).toEqual([
      "'difficulty' must be one of easy, medium, hard",
      `duplicate bank id 'same': ${path.join(dir, 'a.yaml')} already defines it`,
    ]);
  });

  it('reports a path that does not exist', () => {
    const result = loadBankFiles(['/no/such/dir']);
    expect(formatProblem(result.problems[0]!)).toBe('/no/such/dir:1:1: no such file or directory');
  });
});
