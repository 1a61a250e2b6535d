// GIFT, Moodle's text format for questions (docs.moodle.org/en/GIFT_format), read and written
// the way Moodle's own qformat_gift does: questions are separated by blank lines, `//` lines are
// comments, a backslash escapes ~ = # { } : and itself, and `\n` is a newline.
import { lineIndex, parseRegexEntry } from '../bank/parse.js';
import type { Bank, Question } from '../bank/types.js';
import {
  Findings,
  MAX_ANSWERS,
  MAX_QUESTIONS,
  MAX_QUESTION_LINES,
  eachLine,
  choicesFromWeights,
  tooManyAnswers,
  tooManyQuestions,
  feedbackText,
  isDifficulty,
  patternNote,
  numberFromAnswers,
  percentText,
  splitFeedback,
  textFromAnswers,
  moodleWeights,
  wildcardFromAccept,
  type At,
  type Body,
  type Dialect,
  type Draft,
  type ImportResult,
  type WeightedAnswer,
  withoutTasks,
} from './common.js';
import { htmlToText } from './html.js';

const ESCAPABLE = new Set(['~', '=', '#', '{', '}', ':', '\\']);

/** Index of the first `target` at or after `from` that is not escaped by a backslash, or -1. */
function findUnescaped(s: string, target: string, from = 0, end = s.length): number {
  for (let i = from; i < end; i++) {
    if (s[i] === '\\') i++;
    else if (s.startsWith(target, i) && i + target.length <= end) return i;
  }
  return -1;
}

/** Offsets of the unescaped occurrences of any of `targets` (single characters) in [from, end), at most `max`. */
function splitPoints(s: string, targets: string, from: number, end: number, max: number): number[] {
  const out: number[] = [];
  for (let i = from; i < end && out.length < max; i++) {
    if (s[i] === '\\') i++;
    else if (targets.includes(s[i]!)) out.push(i);
  }
  return out;
}

export function giftUnescape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const next = s[i + 1];
    if (ch === '\\' && next !== undefined && (ESCAPABLE.has(next) || next === 'n')) {
      out += next === 'n' ? '\n' : next;
      i++;
    } else out += ch;
  }
  return out;
}

/** Escapes GIFT's control characters; newlines become `\n`, so a question stays one block. */
export function giftEscape(s: string): string {
  return s
    .replace(/\r/g, '')
    .replace(/[\\~=#{}:]/g, '\\$&')
    .replace(/\n/g, '\\n');
}

/** A span of the source: [start, end) offsets into the whole text. */
interface Span {
  start: number;
  end: number;
}

function trimSpan(s: string, span: Span): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(s[start]!)) start++;
  while (end > start && /\s/.test(s[end - 1]!)) end--;
  return { start, end };
}

/** Text with an optional [format] tag first: the tag is taken off, html is turned into text. */
function formatted(raw: string, inherited: string): { text: string; format: string } {
  const m = /^\s*\[(html|moodle|plain|markdown)\]/.exec(raw);
  const format = m ? m[1]! : inherited;
  const text = giftUnescape((m ? raw.slice(m[0].length) : raw).trim());
  return { text: format === 'html' ? htmlToText(text) : text, format };
}

const WEIGHT = /^\s*%(-?\d+(?:\.\d*)?)%/;

interface Answer {
  marker: '~' | '=' | '';
  weight?: number;
  text: string;
  feedback?: string;
  /** Offset of the answer in the source. */
  at: number;
}

/**
 * `~%50%text#feedback` pieces of an answer block, split at unescaped `~` and `=` (Moodle's way);
 * undefined past MAX_ANSWERS, found before any piece is made.
 */
function answers(s: string, span: Span, markers: string, format: string): Answer[] | undefined {
  const cuts = splitPoints(s, markers, span.start, span.end, MAX_ANSWERS + 1);
  const first = trimSpan(s, { start: span.start, end: cuts[0] ?? span.end });
  if (cuts.length + (first.end > first.start ? 1 : 0) > MAX_ANSWERS) return undefined;
  const out: Answer[] = [];
  const pieces: Span[] = [];
  if (first.end > first.start) pieces.push({ start: first.start, end: first.end });
  cuts.forEach((c, i) => pieces.push({ start: c, end: cuts[i + 1] ?? span.end }));
  for (const p of pieces) {
    const marker = markers.includes(s[p.start]!) ? (s[p.start] as '~' | '=') : '';
    let body = s.slice(p.start + (marker ? 1 : 0), p.end);
    let weight: number | undefined;
    const w = WEIGHT.exec(body);
    if (w) {
      weight = Number(w[1]) / 100;
      body = body.slice(w[0].length);
    }
    const hash = findUnescaped(body, '#');
    const text = formatted(hash < 0 ? body : body.slice(0, hash), format).text;
    const feedback = hash < 0 ? undefined : formatted(body.slice(hash + 1), format).text;
    out.push({ marker, ...(weight !== undefined ? { weight } : {}), text, ...(feedback ? { feedback } : {}), at: p.start });
  }
  return out;
}

interface Meta {
  difficulty?: Draft['difficulty'];
  tags?: string[];
  points?: number;
  accept: string[];
}

/**
 * Our own comment lines before a question (`// difficulty: hard · tags: http`, `// accept: /re/i`)
 * carry what GIFT has no place for; Moodle ignores them as comments.
 */
function readMeta(comments: { text: string; at: At }[], f: Findings): Meta {
  const meta: Meta = { accept: [] };
  for (const c of comments) {
    const body = c.text.replace(/^\s*\/\/\s?/, '');
    const accept = /^accept: (\/.+\/[a-z]*)\s*$/.exec(body);
    if (accept) {
      meta.accept.push(accept[1]!);
      continue;
    }
    for (const part of body.split(' · ')) {
      const m = /^\s*(difficulty|tags|points):(.*)$/.exec(part);
      if (!m) continue;
      const key = m[1]!;
      const value = m[2]!.trim();
      if (key === 'difficulty') {
        if (isDifficulty(value)) meta.difficulty = value;
        else f.add('note', c.at, `difficulty '${value}' is not easy, medium or hard; the default is used`);
      } else if (key === 'tags')
        meta.tags = value
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean);
      else if (Number(value) > 0) meta.points = Number(value);
      else f.add('note', c.at, `points '${value}' is not a positive number; 1 is used`);
    }
  }
  return meta;
}

interface Block {
  start: number;
  end: number;
  comments: { text: string; at: At }[];
}

/**
 * Questions are separated by blank lines; `//` lines are comments (kept for our metadata). One
 * block at a time, so a reader that stops early never holds the rest of the file's.
 */
function* blocks(text: string, at: (offset: number) => At): Generator<Block> {
  let cur: Block | undefined;
  for (const { line, start } of eachLine(text)) {
    const end = start + line.length;
    if (line.trim() === '') {
      if (cur) yield cur;
      cur = undefined;
    } else {
      cur ??= { start, end, comments: [] };
      cur.end = end;
      if (line.trimStart().startsWith('//') && cur.comments.length <= MAX_QUESTION_LINES) cur.comments.push({ text: line, at: at(start) });
    }
  }
  if (cur) yield cur;
}

/** One file being read: its text with comments blanked out, positions, and findings. */
class Reader {
  readonly f: Findings;
  readonly at: (offset: number) => At;
  readonly out: ImportResult;
  constructor(
    readonly s: string,
    text: string,
    file: string,
  ) {
    this.f = new Findings(file);
    this.at = lineIndex(text);
    this.out = { drafts: [], findings: this.f.list, counts: this.f.counts };
  }

  block(block: Block): void {
    const { s, f } = this;
    const start = trimSpan(s, block).start;
    const here = this.at(start);
    if (s.startsWith('$CATEGORY:', start)) {
      const path = s.slice(start + 10, block.end).trim();
      this.out.bankName ??= path.split('/').filter(Boolean).at(-1) ?? path;
      return;
    }
    let pos = start;
    let name: string | undefined;
    if (s.startsWith('::', pos)) {
      const close = findUnescaped(s, '::', pos + 2, block.end);
      if (close < 0)
        return f.add('error', here, `the title opened with '::' is not closed; end it with '::' (or escape the colons as \\:)`);
      name = giftUnescape(s.slice(pos + 2, close)).trim();
      pos = close + 2;
    }
    const open = findUnescaped(s, '{', pos, block.end);
    const close = findUnescaped(s, '}', pos, block.end);
    if (open < 0 && close < 0) return f.add('unsupported', here, 'a description (text with no answers in {…}) is not a question; left out');
    if (close >= 0 && (open < 0 || close < open))
      return f.add('error', this.at(close), `'}' without an opening '{'; escape it as \\} if it is text`);
    if (close < 0)
      return f.add(
        'error',
        this.at(open),
        `the answers opened with '{' are not closed with '}' (a blank line ends a question; escape a literal { as \\{)`,
      );
    if (findUnescaped(s, '{', close + 1, block.end) >= 0)
      return f.add(
        'unsupported',
        here,
        'several answer blocks {…} in one question (a cloze with several gaps) are not supported; left out',
      );
    const stray = findUnescaped(s, '}', close + 1, block.end);
    if (stray >= 0) return f.add('error', this.at(stray), `'}' without an opening '{'; escape it as \\} if it is text`);

    const after = s.slice(close + 1, block.end);
    // Moodle: text after the answers makes it a missing-word question, with a blank where they were.
    const question = formatted(`${s.slice(pos, open)}${after.trim() ? '_____' : ''}${after}`, 'moodle');
    if (!question.text) return f.add('error', here, 'the question has no text before its answers');

    let inner = trimSpan(s, { start: open + 1, end: close });
    let general = '';
    let gf = -1;
    for (let i = findUnescaped(s, '####', inner.start, inner.end); i >= 0; i = findUnescaped(s, '####', i + 1, inner.end)) gf = i;
    if (gf >= 0) {
      general = formatted(s.slice(gf + 4, inner.end), question.format).text;
      inner = trimSpan(s, { start: inner.start, end: gf });
    }
    const meta = readMeta(block.comments, f);
    const body = this.answers(inner, question.format, here, meta.accept);
    if (!body) return;
    if (meta.accept.length && body.type !== 'text')
      f.add('note', here, "'// accept:' lines apply to short-answer questions only; ignored here");
    const { explanation, references } = splitFeedback(general);
    this.out.drafts.push({
      at: here,
      ...(name ? { name } : {}),
      prompt: question.text,
      body,
      ...(explanation ? { explanation } : {}),
      references,
      ...(meta.difficulty ? { difficulty: meta.difficulty } : {}),
      ...(meta.tags ? { tags: meta.tags } : {}),
      ...(meta.points ? { points: meta.points } : {}),
    });
  }

  /** The type is decided as Moodle decides it, in the same order. */
  answers(inner: Span, format: string, here: At, patterns: string[]): Body | undefined {
    const { s, f } = this;
    const text = s.slice(inner.start, inner.end);
    if (text === '') {
      f.add('unsupported', here, 'an essay question ({} with no answers) needs a person to grade it; left out');
      return undefined;
    }
    if (text.startsWith('#')) return this.numerical({ start: inner.start + 1, end: inner.end }, format, here);
    if (findUnescaped(text, '~') >= 0) return this.choices(inner, format, here);
    if (findUnescaped(text, '=') >= 0 && text.includes('->')) {
      f.add('unsupported', here, 'a matching question (=item -> match) is not supported; left out');
      return undefined;
    }
    const hash = findUnescaped(text, '#');
    const tf = (hash < 0 ? text : text.slice(0, hash)).trim();
    if (['T', 'TRUE', 'F', 'FALSE'].includes(tf)) {
      if (hash >= 0) f.add('note', here, 'true/false feedback dropped: only the explanation (####) is kept');
      return { type: 'boolean', answer: tf.startsWith('T') };
    }
    return this.shortAnswer(inner, format, here, patterns);
  }

  /** The answers of a block, or undefined with the limit reported. */
  pieces(span: Span, markers: string, format: string, here: At): Answer[] | undefined {
    const list = answers(this.s, span, markers, format);
    if (!list) tooManyAnswers(this.f, here);
    return list;
  }

  choices(inner: Span, format: string, here: At): Body | undefined {
    const list = this.pieces(inner, '~=', format, here);
    if (!list) return undefined;
    const weighted = this.weighted(list, (a) => (a.marker === '=' ? 1 : 0));
    const empty = weighted.find((a) => a.text === '');
    if (empty) {
      this.f.add('error', empty.at, 'an answer has no text; write it after its ~ or =');
      return undefined;
    }
    return choicesFromWeights(
      weighted,
      list.some((a) => a.marker === '='),
      here,
      this.f,
    );
  }

  /** Answers with their weight: the one written (%50%), else `fallback`'s. */
  weighted(list: readonly Answer[], fallback: (a: Answer) => number): WeightedAnswer[] {
    return list.map((a) => ({
      text: a.text,
      weight: a.weight ?? fallback(a),
      ...(a.feedback ? { why: a.feedback } : {}),
      at: this.at(a.at),
    }));
  }

  shortAnswer(inner: Span, format: string, here: At, patterns: string[]): Body | undefined {
    const list = this.pieces(inner, '=', format, here);
    if (!list) return undefined;
    return textFromAnswers(
      this.weighted(list, () => 1),
      patterns,
      here,
      this.f,
      GIFT,
    );
  }

  numerical(span: Span, format: string, here: At): Body | undefined {
    let end = span.end;
    const wrong = findUnescaped(this.s, '~', span.start, span.end);
    if (wrong >= 0) {
      this.f.add('note', here, 'feedback for wrong numbers (~#…) is not kept');
      end = wrong;
    }
    const pieces = this.pieces({ start: span.start, end }, '=', format, here);
    if (!pieces) return undefined;
    const list = this.weighted(pieces, () => 1);
    if (list.length === 0)
      return void this.f.add('error', here, 'a numerical question needs an answer: {#answer}, {#answer:tolerance} or {#min..max}');
    const values = [];
    for (const a of list) {
      const v = numberAnswer(a.text);
      if (!v)
        return void this.f.add(
          'error',
          a.at,
          `'${a.text}' is not a number answer; write answer, answer:tolerance or min..max (min not above max)`,
        );
      values.push({ ...a, ...v });
    }
    return numberFromAnswers(values, here, this.f, GIFT);
  }
}

const GIFT: Dialect = { explanation: 'the explanation (####)', fullCredit: 'mark one with = and no weight (or %100%)' };

// Each part can match only one way, so a long run of digits fails in linear time.
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

function numberOrUndefined(s: string): number | undefined {
  const t = s.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

// Ranges are stored as midpoint and half width; rounding keeps 3.141..3.142 at 3.1415, not 3.14149999.
const tidy = (n: number): number => Number(n.toPrecision(12));

/** `answer`, `answer:tolerance` or `min..max` → answer and tolerance. */
function numberAnswer(t: string): { answer: number; tolerance: number } | undefined {
  const range = t.indexOf('..');
  const colon = t.indexOf(':');
  if (range > 0) {
    const lo = numberOrUndefined(t.slice(0, range));
    const hi = numberOrUndefined(t.slice(range + 2));
    return lo !== undefined && hi !== undefined && lo <= hi ? { answer: tidy((lo + hi) / 2), tolerance: tidy((hi - lo) / 2) } : undefined;
  }
  const answer = numberOrUndefined(colon > 0 ? t.slice(0, colon) : t);
  const tolerance = colon > 0 ? numberOrUndefined(t.slice(colon + 1)) : 0;
  return answer !== undefined && tolerance !== undefined && tolerance >= 0 ? { answer, tolerance } : undefined;
}

/** GIFT text → drafts and findings, each at file:line:col. */
export function parseGift(text: string, file: string): ImportResult {
  // Comment lines are blanked (same length) so offsets still point into the file.
  const src = text.replace(/^[ \t\r\f\v\ufeff]*\/\/[^\n]*/gm, (m) => ' '.repeat(m.length));
  const r = new Reader(src, text, file);
  let questions = 0;
  for (const block of blocks(text, r.at)) {
    if (src.slice(block.start, block.end).trim() === '') continue;
    if (!src.startsWith('$CATEGORY:', trimSpan(src, block).start) && ++questions > MAX_QUESTIONS) {
      tooManyQuestions(r.f, r.at(trimSpan(src, block).start));
      break;
    }
    r.block(block);
  }
  return r.out;
}

// ---- Writing ---------------------------------------------------------------------------------

/** Text that would start with a format tag gets ours first, so Moodle keeps the tag as text. */
function guard(s: string): string {
  const e = giftEscape(s);
  return /^\[(html|moodle|plain|markdown)\]/.test(e) || /^\s*%/.test(e) ? `[markdown]${e}` : e;
}

function metaComment(q: Question): string[] {
  const parts = [`difficulty: ${q.difficulty}`];
  if (q.tags.length) parts.push(`tags: ${q.tags.join(', ')}`);
  if (q.points !== 1) parts.push(`points: ${q.points}`);
  const lines = [`// ${parts.join(' · ')}`];
  if (q.type === 'text') for (const a of q.accept) if (parseRegexEntry(a)) lines.push(`// accept: ${a.replace(/\n/g, '\\n')}`);
  return lines;
}

function answerLines(q: Question, notes: string[]): string[] {
  switch (q.type) {
    case 'single':
      return q.choices.map((c) => `\t${c.correct ? '=' : '~'}${guard(c.text)}${c.why ? `#${guard(c.why)}` : ''}`);
    case 'multiple': {
      const { weights, note } = moodleWeights(q);
      if (note) notes.push(note);
      return q.choices.map((c, i) => `\t~%${percentText(weights[i]!)}%${guard(c.text)}${c.why ? `#${guard(c.why)}` : ''}`);
    }
    case 'boolean':
      return [`\t${q.answer ? 'TRUE' : 'FALSE'}`];
    case 'text':
      return q.accept.filter((a) => !parseRegexEntry(a)).map((a) => `\t=${guard(wildcardFromAccept(a))}`);
    case 'number':
      // Moodle's numerical branch (qformat_gift::readquestion) splits the answers at '=' and drops
      // the first piece when PHP's empty() calls it empty, which "0" is: `{#0}` has no answer
      // and stops the import. Written as Moodle's own exporter does, the number follows an '='.
      return [`\t#=${q.answer}:${q.tolerance}`];
    case 'sql':
    case 'code':
      // Left out by withoutTasks before rendering.
      throw new Error(`${q.key}: a ${q.type} task reached the GIFT writer`);
  }
}

/**
 * A bank as GIFT for Moodle: one category, each question titled with its id, text in [markdown],
 * multiple-answer weights that score as ours do, the explanation and references as general
 * feedback. What GIFT cannot hold (difficulty, tags, points, pattern answers) goes in comments.
 */
export function renderGift(all: Pick<Bank, 'id' | 'title' | 'questions'>, notes: string[] = []): string {
  const bank = withoutTasks(all, 'GIFT', notes);
  for (const q of bank.questions) {
    if (q.type !== 'text') continue;
    notes.push(...patternNote(q, 'a comment'));
    if (q.accept.some((a) => a.includes('->'))) notes.push(`${q.key}: Moodle reads an answer with '->' as a matching question`);
  }
  for (const q of bank.questions)
    if (q.points !== 1)
      notes.push(
        `${q.key}: GIFT has no place for points; Moodle gives the question its default mark 1, not ${q.points} (kept in a comment for backend-quiz)`,
      );
  const out = [
    `// ${bank.title.replace(/\n/g, ' ')} (${bank.id}): ${bank.questions.length} questions, from backend-quiz`,
    '',
    `$CATEGORY: $course$/top/${bank.id}`,
    '',
  ];
  for (const q of bank.questions) {
    const general = feedbackText(q.explanation, q.references);
    out.push(
      ...metaComment(q),
      `::${giftEscape(q.id)}::[markdown]${giftEscape(q.prompt)}{`,
      ...answerLines(q, notes),
      ...(general ? [`\t####${guard(general)}`] : []),
      '}',
      '',
    );
  }
  return out.join('\n');
}
