// Outside text on its way to a terminal or a report file: the one function that makes it safe,
// table-driven over hostile candidate names, and every renderer that prints such text.
import { select } from '@inquirer/prompts';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/bank/types.js';
import { csvText } from '../../src/report/cohort-csv.js';
import { esc } from '../../src/report/cohort-html.js';
import { mdText } from '../../src/report/cohort-markdown.js';
import { answersTemplate, renderFormText } from '../../src/report/form.js';
import { renderReport, type ReportFormat } from '../../src/report/index.js';
import { toJson } from '../../src/report/json.js';
import { escapeData } from '../../src/report/ci/github.js';
import { xmlText } from '../../src/report/ci/junit.js';
import { renderBody, renderHistory, renderReviewItem, renderSummary } from '../../src/report/text.js';
import { PLAIN } from '../../src/report/format.js';
import { columns } from '../../src/report/wrap.js';
import type { Session, StoredItem } from '../../src/store/sessions.js';
import { safeJson, safeLine, safeText } from '../../src/text.js';
import { questionPrompt } from '../../src/ui/prompts.js';
import { makePaint } from '../../src/ui/style.js';
import { aQuestion } from '../helpers.js';
import { render } from '../prompt.js';
import { aCandidate, aReportInput } from '../report-builders.js';

/** Characters that act on a terminal or reorder text, and lone surrogates; newline and tab apart. */
const ACTS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;
/** The same, for one line: no newline, no tab either. */
const ACTS_ON_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;

/** Candidate names as hostile result files carry them, and what a terminal is shown instead. */
const HOSTILE: [string, string, string][] = [
  ['rtl', 'evil\u202etxt.exe', 'evil\\u202etxt.exe'],
  ['bidi-isolate', '\u2066admin\u2069\u2067x', '\\u2066admin\\u2069\\u2067x'],
  ['bidi marks', 'a\u200eb\u200fc\u061cd', 'a\\u200eb\\u200fc\\u061cd'],
  ['embeddings', '\u202aa\u202bb\u202cc\u202dd', '\\u202aa\\u202bb\\u202cc\\u202dd'],
  ['line separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
  ['c1', '\u009b31mC1\u0085', '\\u009b31mC1\\u0085'],
  ['nul', 'a\u0000b', 'a\\u0000b'],
  [
    'ansi',
    '\u001b[31mRED\u001b[0m\u001b]0;pwned\u0007\u001b]52;c;SGVsbG8=\u0007\u001b[2J',
    '\\u001b[31mRED\\u001b[0m\\u001b]0;pwned\\u0007\\u001b]52;c;SGVsbG8=\\u0007\\u001b[2J',
  ],
  [
    'hyperlink',
    '\u001b]8;;http://evil.example\u001b\\click\u001b]8;;\u001b\\',
    '\\u001b]8;;http://evil.example\\u001b\\click\\u001b]8;;\\u001b\\',
  ],
  ['newline', 'line1\nline2 FAKE: bob 100% pass', 'line1\\u000aline2 FAKE: bob 100% pass'],
  ['cr-eq', '\r=1+1', '\\u000d=1+1'],
  ['tab-eq', '\t=1+1', '    =1+1'],
  ['del', 'a\u007fb', 'a\\u007fb'],
  ['lone high surrogate', 'x\ud800y', 'x\\ud800y'],
  ['lone low surrogate', 'x\udc00y', 'x\\udc00y'],
  ['surrogate pair kept', 'emoji \u{1f600}', 'emoji \u{1f600}'],
  ['zwj kept', 'a\u200bd\u200dmin', 'a\u200bd\u200dmin'],
  ['md', '| x | y |', '| x | y |'],
  ['script', '<script>alert(1)</script>', '<script>alert(1)</script>'],
  ['img', '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
  ['attr', '" onmouseover="alert(1)" x="', '" onmouseover="alert(1)" x="'],
  ['pipe', 'a|b|c', 'a|b|c'],
  ['dotdot', '../../x', '../../x'],
  ['-rf', "+cmd|' /C calc'!A0", "+cmd|' /C calc'!A0"],
  ['at', "@SUM(1+1)*cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"],
  ['minus', "-2+3+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"],
  ['arabic and hebrew', 'مرحبا שלום', 'مرحبا שלום'],
  ['long', 'L'.repeat(5000), 'L'.repeat(5000)],
];
const NAMES = HOSTILE.map(([, raw]) => raw);
const paint = makePaint(false);

describe('safeLine: one line of outside text for a terminal', () => {
  it.each(HOSTILE)('%s', (_what, raw, shown) => {
    expect(safeLine(raw)).toBe(shown);
    expect(safeLine(raw)).not.toMatch(ACTS_ON_LINE);
    // Made safe once is safe: nothing is escaped twice.
    expect(safeLine(safeLine(raw))).toBe(shown);
  });
});

describe('safeText: several lines of outside text for a terminal', () => {
  it.each(HOSTILE)('%s', (_what, raw) => {
    const out = safeText(raw);
    expect(out).not.toMatch(ACTS);
    expect(out).not.toContain('\r');
    expect(safeText(out)).toBe(out);
  });

  it('keeps line breaks, as newlines', () => {
    expect(safeText('a\nb\r\nc\rd')).toBe('a\nb\nc\nd');
  });
});

describe('the file formats, each on top of it', () => {
  it.each(HOSTILE)('%s: CSV cell, markdown, HTML, JSON, GitHub command', (_what, raw) => {
    expect(csvText(raw).replace(/[\r\n]/g, '')).not.toMatch(ACTS_ON_LINE);
    expect(mdText(raw)).not.toMatch(ACTS_ON_LINE);
    expect(esc(raw)).not.toMatch(ACTS);
    expect(escapeData(raw)).not.toMatch(ACTS_ON_LINE);
    // JSON escapes instead: the same text to a parser, nothing raw on a terminal.
    const json = safeJson(JSON.stringify({ name: raw }));
    expect(json).not.toMatch(ACTS_ON_LINE);
    expect(JSON.parse(json).name).toBe(raw);
  });

  it('CSV: NUL, ESC and a right-to-left override are shown, line breaks stay for the quotes', () => {
    expect(csvText('a\u0000b')).toBe('a\\u0000b');
    expect(csvText('\u001b[31mx')).toBe('\\u001b[31mx');
    expect(csvText('evil\u202etxt.exe')).toBe('evil\\u202etxt.exe');
    expect(csvText('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvText('\t=1+1')).toBe("'    =1+1");
  });

  it('JUnit XML writes C1 and bidi controls as character references, after its own entities', () => {
    expect(xmlText('a & evil\u202etxt.exe \u009b <b>')).toBe('a &amp; evil&#x202e;txt.exe &#x9b; &lt;b&gt;');
    expect(xmlText('\u001b[2J')).toBe('\ufffd[2J');
  });

  it('JSON output of every command writes C1 and bidi controls as \\u escapes', () => {
    expect(toJson({ n: 'evil\u202etxt.exe \u009b' })).toBe('{\n  "n": "evil\\u202etxt.exe \\u009b"\n}\n');
  });
});

describe('terminal renderers measure and print the safe text', () => {
  it('renderBody: no escape reaches the screen, and wrapping counts the columns shown', () => {
    const body = `Pick ${'\u001b]0;pwned\u0007 '.repeat(6)}one\u202e of these.\n\n\`\`\`\n\u001b[2Jcode\n\`\`\``;
    const out = renderBody(body, paint, 40);
    expect(out).not.toMatch(ACTS);
    expect(out).toContain('\\u001b]0;pwned\\u0007');
    for (const line of out.split('\n').filter((l) => !l.startsWith('    '))) expect(columns(line)).toBeLessThanOrEqual(40);
  });

  const session = (candidate: string, i: number): Session => ({
    id: `s${i}`,
    candidate,
    startedAt: '2026-03-02T09:00:00.000Z',
    finishedAt: '2026-03-02T09:20:00.000Z',
    seed: 1,
    settings: { topics: ['t'], count: 1, difficulties: ['easy'], feedback: 'end', mode: 'scripted' },
    status: 'finished',
    score: 1,
    maxScore: 1,
    assessmentId: null,
    importedFrom: null,
    importedAt: null,
    sourceDigest: null,
  });

  it('history: one row per session, every name shown safe', () => {
    const out = renderHistory(
      NAMES.map((n, i) => session(n, i)),
      paint,
    );
    expect(out).not.toMatch(ACTS);
    expect(out.split('\n')).toHaveLength(NAMES.length + 1);
    // Sixteen columns for a name: the override is shown where it was, the rest cut with an ellipsis.
    expect(out).toContain('evil\\u202etxt.e…');
  });

  it('history fits the terminal: narrower widths drop the count, the time of day, then "timed out"', () => {
    const late: Session = {
      ...session('bob', 9),
      status: 'timed_out',
      settings: {
        ...session('bob', 9).settings,
        assessment: { id: 'a', title: 'A', digest: 'd', timeLimitMs: 1, form: 'fixed', sealed: false, overTime: true },
      },
    };
    const rows = [session('dave', 1), late];
    const wide = renderHistory(rows, PLAIN);
    expect(wide).toContain('timed out, over time  1');
    expect(wide.split('\n')[0]).toContain('QUESTIONS');
    for (const width of [50, 60, 70, 80, 120]) {
      const out = renderHistory(rows, PLAIN, undefined, width);
      for (const line of out.split('\n')) expect(columns(line)).toBeLessThanOrEqual(width);
      expect(out).toMatch(/over time/);
    }
    expect(renderHistory(rows, PLAIN, undefined, 60)).toMatch(/^s9 +2026-03-02 +bob +\S+ +timed out, over time$/m);
    expect(renderHistory(rows, PLAIN, undefined, 50)).toMatch(/^s9 +2026-03-02 +bob +\S+ +over time$/m);
  });

  it('show: the summary and a text answer with escapes and an override', () => {
    const q = aQuestion({ type: 'text', accept: ['ok'], prompt: 'Name it.\u001b]52;c;SGVsbG8=\u0007' });
    delete (q as { choices?: unknown }).choices;
    const answer = '\u001b[2J\u001b]0;pwned\u0007 evil\u202etxt.exe';
    const item: StoredItem = {
      question: q,
      choiceOrder: [],
      position: 0,
      hash: 'h',
      answer: { response: answer, outcome: 'wrong', points: 0, maxPoints: 1, timeMs: 1000, answeredAt: '2026-03-02T09:01:00.000Z' },
    };
    const out = renderReviewItem(item, 1, paint);
    expect(out).not.toMatch(ACTS);
    expect(out).toContain('Your answer: \\u001b[2J\\u001b]0;pwned\\u0007 evil\\u202etxt.exe');
    const summary = {
      score: 0,
      maxScore: 1,
      percent: 0,
      right: 0,
      questions: 1,
      topics: { 't\u202ex': { score: 0, maxScore: 1, percent: 0 } },
    };
    const head = renderSummary(session('evil\u202etxt.exe', 0), summary as never, paint);
    expect(head).not.toMatch(ACTS);
  });

  it('problems: the file name and the message shown safe', () => {
    expect(formatProblem({ file: 'a\u001b[2J\nb.yaml', line: 1, col: 2, message: "got '\u202e'" })).toBe(
      "a\\u001b[2J\\u000ab.yaml:1:2: got '\\u202e'",
    );
  });
});

describe("a pack's text on the candidate's screen", () => {
  const q = aQuestion({
    prompt: 'Prompt \u001b]0;pwned-prompt\u0007\u001b[2J here',
    topic: 'http\u202eapis',
    choices: [
      { text: 'choice \u001b]52;c;SGVsbG8=\u0007 x', correct: true },
      { text: 'evil\u202etxt.exe', correct: false },
    ],
  });

  it('the question, its header and its choices show the escapes; the answer is the choice itself', async () => {
    const p = questionPrompt({ question: q, choiceOrder: [0, 1] }, { index: 0, total: 1 }, paint);
    if (p.kind !== 'select') throw new Error('a select');
    const { answer, events, getScreen } = await render(select, p.config);
    const screen = getScreen();
    expect(screen).not.toMatch(ACTS);
    expect(screen).toContain('choice \\u001b]52;c;SGVsbG8=\\u0007 x');
    expect(screen).toContain('http\\u202eapis');
    events.keypress('enter');
    // Graded on the text the interviewer's key holds, which is the raw one.
    await expect(answer).resolves.toBe('choice \u001b]52;c;SGVsbG8=\u0007 x');
  });

  it('--print-form and the answers template show them too; a CR in a prompt adds no YAML key', () => {
    const cr = aQuestion({ key: 'k/cr', prompt: 'one\rinjected: 1\u202e', choices: [{ text: 'a\rb: 2', correct: true }] });
    const items = [
      { question: q, choiceOrder: [0, 1] },
      { question: cr, choiceOrder: [0] },
    ];
    const text = renderFormText(items, 7, paint);
    expect(text).not.toMatch(ACTS);
    const template = answersTemplate(items, 7, 'backend-quiz take pack.json');
    expect(template).not.toMatch(ACTS);
    expect(Object.keys(parseYaml(template) as object)).toEqual([q.key, 'k/cr']);
  });
});

describe('reports in every format', () => {
  const input = aReportInput({
    title: 'Title \u001b]0;pwned\u0007 \u202e',
    candidates: NAMES.map((name, i) =>
      aCandidate(name, { 'web/a': i % 2, 'web/b': 1 }, { sessionId: `s-${i}`, timeUsedMs: 60_000 + i * 1000 }),
    ).map((c) => ({ ...c, answers: c.answers.map((a) => ({ ...a, given: `${a.given} \u001b[2J evil\u202etxt.exe \u0000` })) })),
  });

  // Markdown escapes the backslash, so the reader sees `\u202e` there too.
  it.each<[ReportFormat, string]>([
    ['text', 'evil\\u202etxt.exe'],
    ['md', 'evil\\\\u202etxt.exe'],
    ['html', 'evil\\u202etxt.exe'],
  ])('%s: no control, escape or bidi control is written raw', (format, shown) => {
    const out = renderReport(input, { format });
    expect(out).not.toMatch(ACTS);
    expect(out).toContain(shown);
  });

  it('csv: no NUL, ESC or bidi control in a cell; one record per candidate', () => {
    const out = renderReport(input, { format: 'csv' });
    // Line breaks inside quoted cells are the CSV's own; nothing else acts.
    expect(out.replace(/[\r\n]/g, '')).not.toMatch(ACTS_ON_LINE);
    expect(out).toContain('evil\\u202etxt.exe');
    expect(out).toContain('a\\u0000b');
  });

  it('json: every name exactly, written with escapes', () => {
    const out = renderReport(input, { format: 'json' });
    expect(out.replace(/\n/g, '')).not.toMatch(ACTS_ON_LINE);
    expect(JSON.parse(out).candidates.map((c: { candidate: string }) => c.candidate)).toEqual(expect.arrayContaining(NAMES));
  });
});
