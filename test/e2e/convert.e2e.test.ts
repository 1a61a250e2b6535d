// convert on the built bin: foreign files in, banks out, and the errors a user sees.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBank } from '../../src/bank/parse.js';
import { isTask } from '../../src/bank/types.js';
import { fixtures, root, tmpDir } from '../helpers.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const interop = path.join(fixtures, 'interop');

/** `env` entries set to undefined are removed from the child's environment. */
function cli(args: string[], cwd = root, env: Record<string, string | undefined> = {}) {
  const merged = Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: '1', ...env }).filter(([, v]) => v !== undefined));
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, env: merged, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

/** A copy of a fixture in a fresh folder, so the bank's id comes from a name the test chooses. */
function copy(name: string, as = name): { dir: string; file: string } {
  const dir = tmpDir('bq-convert-');
  fs.copyFileSync(path.join(interop, name), path.join(dir, as));
  return { dir, file: as };
}

describe('convert: bringing questions in', () => {
  it('GIFT → a bank that validates and can be taken, with what was left out listed by line', () => {
    const { dir } = copy('every-construct.gift', 'basics.gift');
    const r = cli(['convert', 'basics.gift', '-o', 'basics.yaml', '--difficulty', 'easy'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('basics.gift:45:1: a matching question (=item -> match) is not supported; left out');
    expect(r.stderr).toContain('basics.gift:93:1: note: weights 50%, 50%, 0% become the partial-credit rule');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('basics.gift (GIFT): 27 imported, 4 not supported, 8 notes → basics.yaml');
    const { bank, problems } = parseBank(fs.readFileSync(path.join(dir, 'basics.yaml'), 'utf8'), 'basics.yaml');
    expect(problems).toEqual([]);
    expect(bank!.id).toBe('backend-basics'); // from the $CATEGORY line
    expect(bank!.questions.every((q) => q.difficulty === 'easy')).toBe(true);
    expect(cli(['validate', 'basics.yaml'], dir).code).toBe(0);
    const answers = path.join(tmpDir('bq-answers-'), 'answers.yaml');
    fs.writeFileSync(answers, 'backend-basics/tcp-handshake: three\n');
    const take = cli(
      [
        '--banks',
        dir,
        'take',
        '-t',
        'backend-basics',
        '-n',
        '27',
        '--seed',
        '1',
        '--answers',
        answers,
        '--json',
        '--db',
        path.join(dir, 'r.db'),
      ],
      dir,
    );
    expect(take.code).toBe(0);
    const taken = JSON.parse(take.stdout).questions.find((q: { key: string }) => q.key === 'backend-basics/tcp-handshake');
    expect(taken).toMatchObject({ correct: true });
  });

  it('Aiken from a .txt file, recognised by its ANSWER lines, to stdout', () => {
    const { dir } = copy('questions.aiken.txt', 'quiz.txt');
    const r = cli(['convert', 'quiz.txt', '--bank', 'web-basics'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('quiz.txt (Aiken): 3 imported, 0 not supported\n');
    const { bank, problems } = parseBank(r.stdout, 'stdout.yaml');
    expect(problems).toEqual([]);
    expect(bank!.questions.map((q) => q.key)).toEqual([
      'web-basics/which-http-method-is-safe',
      'web-basics/which-sql-keyword-removes-duplicate-rows',
      'web-basics/what-does-this-print-console-log-typeof-null',
    ]);
  });

  it('Moodle XML and Markdown', () => {
    const { dir } = copy('moodle-export.xml', 'export.xml');
    const xml = cli(['convert', 'export.xml', '-o', 'apis.yaml'], dir);
    expect(xml.code).toBe(0);
    expect(xml.stderr).toContain("export.xml:143:3: a question of type 'matching' (matching) is not supported; left out");
    expect(xml.stderr).toContain('export.xml (Moodle XML): 5 imported, 4 not supported, 5 notes → apis.yaml');
    expect(parseBank(fs.readFileSync(path.join(dir, 'apis.yaml'), 'utf8'), 'apis.yaml').bank!.id).toBe('web-apis');

    fs.copyFileSync(path.join(interop, 'notes.md'), path.join(dir, 'notes.md'));
    const md = cli(['convert', 'notes.md', '-o', 'notes.yaml'], dir);
    expect(md.code).toBe(0);
    const bank = parseBank(fs.readFileSync(path.join(dir, 'notes.yaml'), 'utf8'), 'notes.yaml').bank!;
    expect(bank).toMatchObject({ id: 'notes', title: 'Networking notes' });
    expect(bank.questions).toHaveLength(7);
  });

  // Moodle's own fixtures (moodle/moodle question/format/xml/tests/fixtures/): Moodle exports
  // embedded answers as type="cloze", which is listed and left out, never the whole file refused.
  it("Moodle's export with a cloze question: the cloze listed by line, the rest imported", () => {
    const { dir } = copy('moodle/sample_questions_with_old_image_tag.xml', 'images.xml');
    const r = cli(['convert', 'images.xml', '-o', 'images.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("images.xml:16:3: a question of type 'cloze' (embedded answers (cloze)) is not supported; left out");
    expect(r.stderr.trim().split('\n').at(-1)).toBe('images.xml (Moodle XML): 1 imported, 1 not supported, 1 note → images.yaml');
    expect(cli(['validate', 'images.yaml'], dir).code).toBe(0);

    const only = copy('moodle/broken_cloze_questions.xml', 'cloze.xml');
    const none = cli(['convert', 'cloze.xml'], only.dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('cloze.xml: no question could be imported (5 not supported, listed above); nothing was written.');
    noStack(none.stderr);
  });

  it('a malformed file: every problem with file:line:col, exit 2, nothing written, no stack', () => {
    const { dir } = copy('broken.gift');
    const r = cli(['convert', 'broken.gift', '-o', 'out.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("broken.gift:6:16: '}' without an opening '{'; escape it as \\} if it is text");
    expect(r.stderr).toContain('backend-quiz: broken.gift: 7 problems (listed above); nothing was written. Fix them and convert again.');
    expect(fs.existsSync(path.join(dir, 'out.yaml'))).toBe(false);
    noStack(r.stderr);

    const xml = copy('broken.xml');
    const bad = cli(['convert', 'broken.xml'], xml.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("broken.xml:5:41: not well-formed XML: a bare '&'; write it as &amp;");
    noStack(bad.stderr);
  });

  it('a flood of problems: the first 20 and a count, as validate prints them', () => {
    const dir = tmpDir('bq-convert-');
    fs.writeFileSync(path.join(dir, 'h.md'), '## h\n'.repeat(1000));
    const r = cli(['convert', 'h.md', '-o', 'out.yaml'], dir);
    expect(r.code).toBe(2);
    const out = r.stderr.trim().split('\n');
    expect(out).toHaveLength(22);
    expect(out[19]).toBe("h.md:20:1: the question has no answers; add choices (- [x] right, - [ ] wrong) or an 'Answer:' line");
    expect(out[20]).toBe('... and 980 more problems in h.md (fix the ones above first)');
    expect(out[21]).toBe('backend-quiz: h.md: 1000 problems (the first 20 listed above); nothing was written. Fix them and convert again.');
    expect(fs.existsSync(path.join(dir, 'out.yaml'))).toBe(false);
  });

  it('what is written passes validate: a bank past 2 MB and a reference validate refuses are not written', () => {
    const dir = tmpDir('bq-convert-');
    const prompt = 'How long? '.repeat(800);
    fs.writeFileSync(path.join(dir, 'big.gift'), Array.from({ length: 300 }, (_, i) => `::q${i}::${prompt}{=a ~b}\n\n`).join(''));
    const big = cli(['convert', 'big.gift', '-o', 'big.yaml'], dir);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(
      /^backend-quiz: big\.gift: the bank would be 2\.\d MB, and a bank may be at most 2 MB; nothing was written\. Split big\.gift into smaller files and convert each\.$/m,
    );
    expect(fs.existsSync(path.join(dir, 'big.yaml'))).toBe(false);
    noStack(big.stderr);

    fs.writeFileSync(path.join(dir, 'ref.md'), '## Q\n\nWhich port?\n\nAnswer: 443\n\nReferences:\n- \u0007https://example.com/x\n');
    const ref = cli(['convert', 'ref.md', '-o', 'ref.yaml'], dir);
    expect(ref.code).toBe(2);
    expect(ref.stderr).toContain(
      "ref.md:1:1: this question would not make a valid bank question: reference '\\u0007https://example.com/x' is not an http(s) URL",
    );
    expect(fs.existsSync(path.join(dir, 'ref.yaml'))).toBe(false);
  });

  it('usage errors say what to do', () => {
    const dir = tmpDir('bq-convert-');
    fs.writeFileSync(path.join(dir, 'q.csv'), 'a,b\n');
    fs.writeFileSync(path.join(dir, 'bin.gift'), Buffer.from([0x7b, 0x00, 0xff, 0x7d]));
    const cases: [string[], RegExp][] = [
      [['convert'], /name a file to convert, or a bank with --topic <id>/],
      [['convert', 'q.csv'], /q\.csv: cannot tell the format from '\.csv'; say --from gift\|aiken\|moodle-xml\|md\|yaml/],
      [['convert', 'missing.gift'], /missing\.gift: no such file/],
      [['convert', 'bin.gift'], /bin\.gift: not a UTF-8 text file/],
      [['convert', '--topic', 'caching'], /say what to convert the bank to: --to gift\|moodle-xml\|qti\|md/],
      [['convert', '--topic', 'nope', '--to', 'gift'], /no topic 'nope'; choose one of: ai-backends, /],
      [['convert', '--topic', 'caching', '--to', 'qti'], /QTI is a ZIP package: write it to a file with -o <name>\.zip/],
      [['convert', '--topic', 'caching', '--to', 'pdf'], /Allowed choices are yaml, gift, moodle-xml, qti, md/],
      [['convert', 'q.csv', '--from', 'gift', '--bank', 'Not Kebab'], /--bank must be kebab-case/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      noStack(r.stderr);
    }
  });

  it('--help shows examples within 80 columns', () => {
    const r = cli(['convert', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ backend-quiz convert moodle-export.gift -o networking.yaml');
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('convert: sending banks out', () => {
  it('a built-in topic → GIFT → a bank with the same questions', () => {
    const dir = tmpDir('bq-convert-');
    const out = cli(['convert', '--topic', 'http-apis', '-o', 'http.gift'], dir);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^http-apis: \d+ questions as GIFT → http\.gift/m);
    const back = cli(['convert', 'http.gift', '-o', 'back.yaml'], dir);
    expect(back.code).toBe(0);
    const original = parseBank(fs.readFileSync(path.join(root, 'questions', 'http-apis.yaml'), 'utf8'), 'http-apis.yaml').bank!;
    const again = parseBank(fs.readFileSync(path.join(dir, 'back.yaml'), 'utf8'), 'back.yaml').bank!;
    // The topic's code tasks are left out, each named in a note.
    expect(again.questions).toEqual(original.questions.filter((q) => !isTask(q)));
    expect(out.stderr).toMatch(/GIFT has no code tasks/);
  });

  it('a bank file → Moodle XML on stdout, pattern answers noted', () => {
    const r = cli(['convert', path.join(root, 'questions', 'caching.yaml'), '--to', 'moodle-xml']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(r.stdout).toContain('<question type="multichoice">');
    expect(r.stderr).toMatch(/^caching: \d+ questions as Moodle XML/m);
  });

  it('what Moodle cannot hold is listed: grades outside its options, and points in GIFT', () => {
    const dir = tmpDir('bq-convert-');
    const choices = [...Array.from({ length: 12 }, (_, i) => `      - text: right ${i}\n        correct: true`), '      - text: wrong'];
    fs.writeFileSync(
      path.join(dir, 'm.yaml'),
      [
        'bank: m',
        'title: M',
        'questions:',
        '  - id: twelve',
        '    type: multiple',
        '    difficulty: easy',
        '    prompt: Which are right?',
        '    choices:',
        ...choices,
        '  - id: heavy',
        '    type: boolean',
        '    difficulty: easy',
        '    prompt: Heavy?',
        '    answer: true',
        '    points: 3',
        '',
      ].join('\n'),
    );
    const gift = cli(['convert', 'm.yaml', '-o', 'm.gift'], dir);
    expect(gift.code).toBe(0);
    expect(gift.stderr).toContain(
      'note: m/twelve: Moodle has no grade of 1/12 (8.33333%) for each of 12 right choices; written as 8 × 10% and 4 × 5%',
    );
    expect(gift.stderr).toContain('note: m/heavy: GIFT has no place for points; Moodle gives the question its default mark 1, not 3');
    expect(gift.stderr).toMatch(/^m: 2 questions as GIFT → m\.gift \(2 notes\)$/m);
    expect(fs.readFileSync(path.join(dir, 'm.gift'), 'utf8')).toContain('\t~%10%right 0\n');
    const xml = cli(['convert', 'm.yaml', '-o', 'm.xml'], dir);
    expect(xml.code).toBe(0);
    expect(xml.stderr).toMatch(/^m: 2 questions as Moodle XML → m\.xml \(1 note\)$/m);
    expect(fs.readFileSync(path.join(dir, 'm.xml'), 'utf8')).toContain('<defaultgrade>3</defaultgrade>');
  });

  it('QTI 2.1: a ZIP package any unzip reads', () => {
    const dir = tmpDir('bq-convert-');
    const r = cli(['convert', '--topic', 'security', '-o', 'security.zip'], dir);
    expect(r.code).toBe(0);
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(len(z.namelist()), z.read("imsmanifest.xml").decode()[:38])',
        path.join(dir, 'security.zip'),
      ],
      { encoding: 'utf8' },
    );
    expect(py.stdout.trim()).toMatch(/^\d+ <\?xml version="1\.0" encoding="UTF-8"\?>$/);
  });

  it('Markdown for reading, no colour in a pipe', () => {
    const r = cli(['convert', '--topic', 'graphql', '--to', 'md'], root, { NO_COLOR: undefined, FORCE_COLOR: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# GraphQL')).toBe(true);
    expect(r.stderr).not.toContain('\u001b[');
  });
});
