// Questions kept as Markdown notes, in one simple convention (README, "Bringing your questions"):
//
//   # Bank title                         optional, before the first question
//   ## Question title                    each level-2 heading starts a question
//   Prompt paragraphs and code fences    (none: the heading is the prompt)
//   - [x] right choice / - [ ] wrong     one checked: single; several: multiple
//     - why this choice is wrong         optional, indented under its choice
//   Answer: true | 42 ± 0.5 | `text`     instead of choices
//   Difficulty: hard · Tags: a, b · Points: 2 · Type: multiple
//   > explanation, as a blockquote (or a paragraph starting "Explanation:")
//   References: followed by a list of links
//
// The same convention is written by renderMarkdown, so an exported bank reads back unchanged.
import { QUESTION_TYPES, type Bank, type Question } from '../bank/types.js';
import {
  Findings,
  MAX_ANSWERS,
  MAX_QUESTIONS,
  MAX_QUESTION_LINES,
  isDifficulty,
  tooManyAnswers,
  tooManyLines,
  tooManyQuestions,
  type At,
  type Body,
  type Draft,
  type ImportResult,
  withoutTasks,
} from './common.js';

const HEADING = /^(#{1,2})(?:[ \t]+(.*))?$/;
const CHOICE = /^[-*+][ \t]+\[([ xX])\][ \t]+(.*)$/;
const ANSWER = /^Answer:[ \t]*(.*)$/;
const META = /^(Difficulty|Type|Points|Tags):/;
const FENCE = /^[ ]{0,3}(`{3,}|~{3,})/;
const NUMBER = /^([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?)(?:[ \t]*(?:±|\+-|\+\/-)[ \t]*((?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?))?$/i;

export interface Line {
  text: string;
  /** 1-based line number. */
  n: number;
  /** Inside a fenced code block (or its fence line). */
  code: boolean;
  /** The line opens or closes a fenced code block. */
  fence: boolean;
}

/** Code spans of a line, as CommonMark reads them: a run of n backticks ends at the next run of n. */
export function codeSpans(s: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  let rest = '';
  while (i < s.length) {
    if (s[i] !== '`') {
      rest += s[i++];
      continue;
    }
    let n = 0;
    while (s[i + n] === '`') n++;
    const fence = '`'.repeat(n);
    let j = s.indexOf(fence, i + n);
    while (j >= 0 && s[j + n] === '`') {
      let k = j;
      while (s[k] === '`') k++;
      j = s.indexOf(fence, k);
    }
    if (j < 0) return undefined;
    let body = s.slice(i + n, j);
    if (body.length > 2 && body.startsWith(' ') && body.endsWith(' ') && body.trim()) body = body.slice(1, -1);
    out.push(body);
    i = j + n;
  }
  // Only separators may stand between the spans: `a`, `b` or `a` or `b`.
  return rest.replace(/,|\bor\b/g, '').trim() === '' ? out : undefined;
}

/** A code span that holds `s` exactly, whatever backticks it contains. */
export function codeSpan(s: string): string {
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim()) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

function answerValue(raw: string): Body | string {
  const v = raw.trim();
  if (v === '') return "'Answer:' has no value; write true, false, a number (42 or 42 ± 0.5) or text in backticks";
  if (v.includes('`')) {
    const spans = codeSpans(v);
    if (!spans || spans.length === 0 || spans.some((s) => s.trim() === ''))
      return 'the text answers are not closed code spans; write them as `answer`, `other answer`';
    return { type: 'text', accept: spans };
  }
  if (/^(true|false)$/i.test(v)) return { type: 'boolean', answer: v.toLowerCase() === 'true' };
  const num = NUMBER.exec(v);
  if (num) return { type: 'number', answer: Number(num[1]), tolerance: num[2] ? Number(num[2]) : 0 };
  return { type: 'text', accept: [v] };
}

/** Lines, each marked when it belongs to a fenced code block. */
export function linesOf(text: string): Line[] {
  return [...eachLine(text)];
}

/** linesOf one at a time: a file is read without a record per line of it held at once. */
function* eachLine(text: string): Generator<Line> {
  let fence: string | undefined;
  for (let start = 0, i = 0; start <= text.length; i++) {
    const nl = text.indexOf('\n', start);
    const raw = text.slice(start, nl < 0 ? text.length : nl);
    start = nl < 0 ? text.length + 1 : nl + 1;
    const t = raw.replace(/\r$/, '');
    const m = FENCE.exec(t);
    const wasCode = fence !== undefined;
    let edge = false;
    if (m && fence === undefined) [fence, edge] = [m[1]!, true];
    else if (m && fence !== undefined && m[1]![0] === fence[0] && m[1]!.length >= fence.length && t.trim() === m[1])
      [fence, edge] = [undefined, true];
    yield { text: t, n: i + 1, code: wasCode || fence !== undefined, fence: edge };
  }
}

const trimBlank = (ls: string[]): string[] => {
  let a = 0;
  let b = ls.length;
  while (a < b && ls[a]!.trim() === '') a++;
  while (b > a && ls[b - 1]!.trim() === '') b--;
  return ls.slice(a, b);
};

function question(heading: string, at: At, body: Line[], f: Findings): Draft | undefined {
  const prompt: string[] = [];
  let i = 0;
  for (; i < body.length; i++) {
    const l = body[i]!;
    if (!l.code && (CHOICE.test(l.text) || ANSWER.test(l.text))) break;
    prompt.push(l.text);
  }
  const choices: { text: string; correct: boolean; why?: string; at: At }[] = [];
  let value: Body | undefined;
  let explanation: string[] = [];
  const references: string[] = [];
  const meta: Record<string, { value: string; at: At }> = {};
  let inRefs = false;
  let inExplanation = false;
  let inWhy = false;
  for (; i < body.length; i++) {
    const l = body[i]!;
    const here = { line: l.n, col: 1 };
    const t = l.text;
    const choice = CHOICE.exec(t);
    const answer = ANSWER.exec(t);
    if (t.trim() === '') {
      inRefs = false;
      inExplanation = false;
      if (explanation.length && explanation.at(-1) !== '') explanation.push('');
      continue;
    }
    if (choice) {
      choices.push({ text: choice[2]!.trim(), correct: choice[1] !== ' ', at: here });
      inWhy = false;
    } else if (choices.length && /^[ \t]{2,}[-*+][ \t]+/.test(t) && !inRefs) {
      const c = choices.at(-1)!;
      const why = t.replace(/^[ \t]+[-*+][ \t]+/, '').trim();
      c.why = c.why ? `${c.why}\n${why}` : why;
      inWhy = true;
    } else if (choices.length && /^[ \t]{2,}\S/.test(t) && !inRefs && !inExplanation) {
      const c = choices.at(-1)!;
      if (inWhy) c.why = `${c.why}\n${t.trim()}`;
      else c.text = `${c.text}\n${t.trim()}`;
    } else if (answer) {
      if (value) return void f.add('error', here, "a second 'Answer:' line; give the accepted answers on one line: `a`, `b`");
      const v = answerValue(answer[1]!);
      if (typeof v === 'string') return void f.add('error', here, v);
      if (v.type === 'text' && v.accept.length > MAX_ANSWERS) return void tooManyAnswers(f, here);
      value = v;
    } else if (META.test(t)) {
      for (const part of t.split(' · ')) {
        const m = /^\s*(Difficulty|Type|Points|Tags):(.*)$/.exec(part);
        if (m) meta[m[1]!] = { value: m[2]!.trim(), at: here };
        else f.add('note', here, `'${part.trim()}' is not Difficulty, Type, Points or Tags; left out`);
      }
    } else if (/^>/.test(t)) {
      explanation.push(t.replace(/^>[ \t]?/, ''));
    } else if (/^Explanation:/.test(t)) {
      inExplanation = true;
      explanation.push(t.slice('Explanation:'.length).trim());
    } else if (/^References?:/.test(t)) {
      inRefs = true;
      inExplanation = false;
      references.push(...urls(t.replace(/^References?:/, '')));
    } else if (inRefs && /^[-*+][ \t]+/.test(t)) references.push(link(t.replace(/^[-*+][ \t]+/, '')));
    else if (inExplanation) explanation.push(t);
    else f.add('note', here, 'text after the answers that is not an explanation, references or Difficulty/Type/Points/Tags; left out');
  }
  explanation = trimBlank(explanation);

  if (choices.length && value) return void f.add('error', at, "the question has both choices and an 'Answer:' line; keep one");
  let b: Body | undefined = value;
  const type = meta.Type?.value;
  if (choices.length) {
    const right = choices.filter((c) => c.correct).length;
    if (choices.length < 2) return void f.add('error', choices[0]!.at, 'a choice question needs at least 2 choices');
    if (right === 0) return void f.add('error', choices[0]!.at, 'no choice is marked right; mark the right ones - [x]');
    if (type === 'single' && right > 1)
      return void f.add('error', meta.Type!.at, `Type: single, but ${right} choices are marked right; mark one, or make it Type: multiple`);
    b = { type: type === 'multiple' || right > 1 ? 'multiple' : 'single', choices: choices.map(({ at: _, ...c }) => c) };
  }
  if (!b) return void f.add('error', at, "the question has no answers; add choices (- [x] right, - [ ] wrong) or an 'Answer:' line");
  if (type !== undefined && !(QUESTION_TYPES as readonly string[]).includes(type))
    return void f.add('error', meta.Type!.at, `Type must be one of ${QUESTION_TYPES.join(', ')}; got '${type}'`);
  if (type !== undefined && type !== b.type) {
    return void f.add('error', meta.Type!.at, `Type: ${type} does not match the answers, which make a ${b.type} question`);
  }
  const difficulty = meta.Difficulty?.value;
  if (difficulty !== undefined && !isDifficulty(difficulty))
    return void f.add('error', meta.Difficulty!.at, `Difficulty must be easy, medium or hard; got '${difficulty}'`);
  const points = meta.Points ? Number(meta.Points.value) : 1;
  if (!(points > 0)) return void f.add('error', meta.Points!.at, `Points must be a positive number; got '${meta.Points!.value}'`);
  const text = trimBlank(prompt)
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n');
  return {
    at,
    name: heading,
    prompt: text || heading,
    body: b,
    ...(explanation.length ? { explanation: explanation.join('\n') } : {}),
    references,
    ...(difficulty !== undefined && isDifficulty(difficulty) ? { difficulty } : {}),
    ...(meta.Tags
      ? {
          tags: meta.Tags.value
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        }
      : {}),
    ...(points !== 1 ? { points } : {}),
  };
}

/** A list item is one link (it may hold spaces); `<url>` and `[text](url)` are unwrapped. */
const link = (s: string): string =>
  s
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .replace(/^\[[^\]]*\]\((.*)\)$/, '$1');

/** Links on the `References:` line itself, separated by spaces or commas. */
const urls = (s: string): string[] =>
  s
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(link);

/** A heading's text without the optional closing #s (`## Title ##`); a loop, so long lines stay linear. */
function headingText(raw: string | undefined): string {
  const t = (raw ?? '').trim();
  let j = t.length;
  while (j > 0 && t[j - 1] === '#') j--;
  return j < t.length && (j === 0 || t[j - 1] === ' ' || t[j - 1] === '\t') ? t.slice(0, j).trim() : t;
}

/** Markdown notes in the convention above → drafts and findings, each at file:line:col. */
export function parseMarkdown(text: string, file: string): ImportResult {
  const f = new Findings(file);
  const out: ImportResult = { drafts: [], findings: f.list, counts: f.counts };
  // `choices` counts the lines that read as choices, so a flood of them stops at the limit
  // instead of being held; `over` marks a question past it, whose remaining lines are passed over.
  let current: { heading: string; at: At; body: Line[]; choices: number; over: boolean } | undefined;
  let questions = 0;
  const finish = (): void => {
    if (!current) return;
    const d = current.over ? undefined : question(current.heading, current.at, current.body, f);
    if (d) out.drafts.push(d);
    current = undefined;
  };
  for (const l of eachLine(text.replace(/^\ufeff/, ''))) {
    const h = l.code ? null : HEADING.exec(l.text);
    const title = headingText(h?.[2]);
    if (h && h[1] === '#') {
      finish();
      if (out.drafts.length === 0 && f.list.length === 0 && out.title === undefined && title) out.title = title;
    } else if (h) {
      finish();
      if (++questions > MAX_QUESTIONS) {
        tooManyQuestions(f, { line: l.n, col: 1 });
        return out;
      }
      if (!title) f.add('error', { line: l.n, col: 1 }, 'a question heading needs a title: ## Title');
      else current = { heading: title, at: { line: l.n, col: 1 }, body: [], choices: 0, over: false };
    } else if (current && !current.over) {
      if (!l.code && CHOICE.test(l.text) && ++current.choices > MAX_ANSWERS) {
        tooManyAnswers(f, { line: l.n, col: 1 });
        current.over = true;
      } else if (current.body.length === MAX_QUESTION_LINES) {
        tooManyLines(f, { line: l.n, col: 1 });
        current.over = true;
      } else current.body.push(l);
    }
  }
  finish();
  return out;
}

// ---- Writing ---------------------------------------------------------------------------------

function answerPart(q: Question): string[] {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return q.choices.flatMap((c) => [
        `- [${c.correct ? 'x' : ' '}] ${c.text.split('\n').join('\n  ')}`,
        ...(c.why !== undefined ? [`  - ${c.why.split('\n').join('\n    ')}`] : []),
      ]);
    case 'boolean':
      return [`Answer: ${q.answer}`];
    case 'number':
      return [`Answer: ${q.answer}${q.tolerance ? ` ± ${q.tolerance}` : ''}`];
    case 'text':
      return [`Answer: ${q.accept.map(codeSpan).join(', ')}`];
    case 'sql':
    case 'code':
      // Left out by withoutTasks before rendering.
      throw new Error(`${q.key}: a ${q.type} task reached the Markdown writer`);
  }
}

/** Prompt lines that this convention would read as something else. */
function misread(prompt: string): boolean {
  return linesOf(prompt).some((l) => !l.code && (HEADING.test(l.text) || CHOICE.test(l.text) || ANSWER.test(l.text)));
}

/**
 * A bank as Markdown for reading, in the convention parseMarkdown reads. `notes` hears of
 * prompts with lines the convention would read as headings or answers.
 */
export function renderMarkdown(all: Pick<Bank, 'id' | 'title' | 'description' | 'questions'>, notes: string[] = []): string {
  const bank = withoutTasks(all, 'this Markdown convention', notes);
  const out = [`# ${bank.title}`, ''];
  if (bank.description) out.push(bank.description, '');
  for (const q of bank.questions) {
    if (misread(q.prompt))
      notes.push(`${q.key}: a line of the prompt reads as a heading or an answer in Markdown; it is indented by one space`);
    const prompt = linesOf(q.prompt)
      .map((l) => (!l.code && (HEADING.test(l.text) || CHOICE.test(l.text) || ANSWER.test(l.text)) ? ` ${l.text}` : l.text))
      .join('\n');
    const meta = [`Difficulty: ${q.difficulty}`];
    const right = q.type === 'multiple' ? q.choices.filter((c) => c.correct).length : 0;
    if (q.type === 'multiple' && right === 1) meta.push('Type: multiple');
    if (q.points !== 1) meta.push(`Points: ${q.points}`);
    if (q.tags.length) meta.push(`Tags: ${q.tags.join(', ')}`);
    out.push(`## ${q.id}`, '', prompt, '', ...answerPart(q), '', meta.join(' · '), '');
    if (q.explanation) out.push(...q.explanation.split('\n').map((l) => (l ? `> ${l}` : '>')), '');
    if (q.references.length) out.push('References:', ...q.references.map((r) => `- ${r}`), '');
  }
  return out.join('\n');
}
