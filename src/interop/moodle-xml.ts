// Moodle XML (docs.moodle.org/en/Moodle_XML_format): read with saxes, a strict streaming parser
// that gives line and column; written by hand with every text escaped.
import { SaxesParser } from 'saxes';
import { lineIndex, parseRegexEntry } from '../bank/parse.js';
import type { Bank, Question } from '../bank/types.js';
import {
  Findings,
  MAX_ANSWERS,
  MAX_QUESTIONS,
  choicesFromWeights,
  tooManyAnswers,
  tooManyQuestions,
  numberFromAnswers,
  textFromAnswers,
  feedbackText,
  isDifficulty,
  patternNote,
  percentText,
  splitFeedback,
  moodleWeights,
  wildcardFromAccept,
  type At,
  type Body,
  type Dialect,
  type ImportResult,
  withoutTasks,
} from './common.js';
import { htmlToText } from './html.js';
import { XML_DECLARATION, escapeXml, xmlComment, xmlText } from './xml.js';

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
  /** Offset of the element's '<' in the source. */
  offset: number;
}

/** Where regular-expression answers go: Moodle has no such answers and ignores elements it does not know. */
const PATTERN_EL = 'backend-quiz-pattern';

class XmlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * saxes reads a bare '&' as the start of an entity and reports only the end of the file; this
 * finds the most common slip in hand-edited XML where it is, skipping CDATA and comments.
 */
function bareAmpersand(text: string): number {
  let i = 0;
  // The next '&', CDATA section and comment, each looked up again only once passed: linear in
  // the text. Looking up the '&' on every pass made 400,000 CDATA sections before one '&' take 12 s.
  let amp = text.indexOf('&');
  let cdata = text.indexOf('<![CDATA[');
  let comment = text.indexOf('<!--');
  for (;;) {
    if (amp >= 0 && amp < i) amp = text.indexOf('&', i);
    if (amp < 0) return -1;
    if (cdata >= 0 && cdata < i) cdata = text.indexOf('<![CDATA[', i);
    if (comment >= 0 && comment < i) comment = text.indexOf('<!--', i);
    const skip = [cdata, comment].filter((x) => x >= 0 && x < amp).sort((a, b) => a - b)[0];
    if (skip !== undefined) {
      const end = text.indexOf(skip === cdata ? ']]>' : '-->', skip);
      if (end < 0) return -1;
      i = end + 3;
      continue;
    }
    if (!/^&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z_][\w.-]{0,63});/.test(text.slice(amp, amp + 72))) return amp;
    i = amp + 1;
  }
}

/**
 * Elements held in the tree: memory grows with them (3,000,000 `<a/>` took 1 GB), while Moodle
 * writes about 40 for a question of four answers, 80,000 for 2,000 such questions.
 */
export const MAX_ELEMENTS = 250_000;

/** The document as a small tree; the first well-formedness error stops the reading. */
function readTree(text: string): El {
  const amp = bareAmpersand(text);
  if (amp >= 0) throw new XmlError("a bare '&'; write it as &amp; (or put the text in <![CDATA[ … ]]>)", amp);
  const parser = new SaxesParser({ position: true });
  const root: El = { name: '#document', attrs: {}, children: [], text: '', offset: 0 };
  const stack: El[] = [root];
  const top = (): El => stack[stack.length - 1]!;
  parser.on('error', (e) => {
    throw new XmlError(e.message.replace(/^\d+:\d+: /, ''), parser.position);
  });
  parser.on('doctype', () => {
    throw new XmlError('a DOCTYPE is not allowed in a Moodle XML file; remove it', Math.max(0, text.indexOf('<!DOCTYPE')));
  });
  let pendingOffset = 0;
  parser.on('opentagstart', (tag) => {
    // Recorded here, where the parser has read '<', the name and the character after it.
    pendingOffset = parser.position - tag.name.length - 2;
  });
  let elements = 0;
  parser.on('opentag', (tag) => {
    if (++elements > MAX_ELEMENTS)
      throw new XmlError(
        `more than ${MAX_ELEMENTS.toLocaleString('en')} elements; a file of ${MAX_QUESTIONS.toLocaleString('en')} questions needs far fewer, so the file was not read further: split it into smaller files`,
        pendingOffset,
      );
    const el: El = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [], text: '', offset: pendingOffset };
    top().children.push(el);
    stack.push(el); // saxes sends closetag for <x/> too
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (t) => void (top().text += t));
  parser.on('cdata', (t) => void (top().text += t));
  parser.write(text).close();
  return root;
}

const child = (el: El | undefined, name: string): El | undefined => el?.children.find((c) => c.name === name);
const children = (el: El | undefined, name: string): El[] => el?.children.filter((c) => c.name === name) ?? [];

// Moodle's import_question() in question/format/xml/format.php reads both names of matching and
// of embedded answers: its exporter writes 'matching' and 'cloze', older files 'match' and 'multianswer'.
const UNSUPPORTED: Record<string, string> = {
  matching: 'matching',
  match: 'matching',
  cloze: 'embedded answers (cloze)',
  essay: 'an essay, which needs a person to grade it',
  description: 'a description, which is not a question',
  multianswer: 'embedded answers (cloze)',
  calculated: 'calculated',
  calculatedsimple: 'simple calculated',
  calculatedmulti: 'calculated multiple choice',
  ddwtos: 'drag and drop into text',
  gapselect: 'select missing words',
  ddimageortext: 'drag and drop onto image',
  ddmarker: 'drag and drop markers',
  randomsamatch: 'random short-answer matching',
  ordering: 'ordering',
  random: 'a random question slot',
};

class Reader {
  readonly f: Findings;
  readonly at: (offset: number) => At;
  readonly out: ImportResult;
  constructor(text: string, file: string) {
    this.f = new Findings(file);
    this.at = lineIndex(text);
    this.out = { drafts: [], findings: this.f.list, counts: this.f.counts };
  }

  /** `<x format="…"><text>…</text></x>` as plain text; HTML is converted, images noted. */
  formatted(el: El | undefined, here: At): string {
    const raw = child(el, 'text')?.text ?? '';
    if ((el?.attrs.format ?? 'html') !== 'html') return raw.trim();
    const found = { images: 0 };
    const text = htmlToText(raw, found);
    if (found.images || /@@PLUGINFILE@@/.test(raw) || children(el, 'file').length)
      this.f.add('note', here, 'images and attached files are not imported; only the text is');
    return text;
  }

  question(q: El): void {
    const type = q.attrs.type ?? '';
    const here = this.at(q.offset);
    if (type === 'category') {
      const path = child(child(q, 'category'), 'text')?.text.trim() ?? '';
      this.out.bankName ??= path.split('/').filter(Boolean).at(-1);
      return;
    }
    if (!['multichoice', 'truefalse', 'shortanswer', 'numerical'].includes(type)) {
      // A type from a plugin or a later Moodle is one question we cannot read, not a broken file.
      const what = UNSUPPORTED[type];
      this.f.add(
        'unsupported',
        here,
        what
          ? `a question of type '${type}' (${what}) is not supported; left out`
          : `unknown question type '${type}' left out; backend-quiz reads multichoice, truefalse, shortanswer and numerical`,
      );
      return;
    }
    if (children(q, 'answer').length > MAX_ANSWERS) return tooManyAnswers(this.f, here);
    const prompt = this.formatted(child(q, 'questiontext'), here);
    // Moodle 1.9's <image> beside the text, which Moodle still appends as an <img> (import_headers).
    const noted = this.f.list.some((x) => x.line === here.line && x.col === here.col && x.message.startsWith('images'));
    if ((child(q, 'image') || child(q, 'image_base64')) && !noted)
      this.f.add('note', here, 'images and attached files are not imported; only the text is');
    if (!prompt) return this.f.add('error', here, 'the question has no text: <questiontext><text> is empty or missing');
    const body = this.body(q, type, here);
    if (!body) return;
    const { explanation, references } = splitFeedback(this.formatted(child(q, 'generalfeedback'), here));
    const tags = children(child(q, 'tags'), 'tag')
      .map((t) => (child(t, 'text')?.text ?? '').trim())
      .filter(Boolean);
    const level = tags.map((t) => /^difficulty:(.*)$/.exec(t)?.[1]).find((d) => d !== undefined);
    const grade = Number(child(q, 'defaultgrade')?.text ?? 1);
    const name = child(child(q, 'name'), 'text')?.text.trim();
    this.out.drafts.push({
      at: here,
      ...(name ? { name } : {}),
      prompt,
      body,
      ...(explanation ? { explanation } : {}),
      references,
      ...(level && isDifficulty(level) ? { difficulty: level } : {}),
      tags: tags.filter((t) => !t.startsWith('difficulty:')),
      ...(grade > 0 && grade !== 1 ? { points: grade } : {}),
    });
  }

  answers(q: El): { text: string; weight: number; why?: string; at: At; el: El }[] {
    return children(q, 'answer').map((a) => {
      const at = this.at(a.offset);
      const weight = Number(a.attrs.fraction ?? 0) / 100;
      const why = this.formatted(child(a, 'feedback'), at);
      // Answers of short-answer and numerical questions are plain text whatever the format says.
      const text =
        a.attrs.format === undefined || a.attrs.format === 'html' ? this.formatted(a, at) : (child(a, 'text')?.text ?? '').trim();
      if (!Number.isFinite(weight)) this.f.add('error', at, `fraction '${a.attrs.fraction}' is not a number`);
      return { text, weight: Number.isFinite(weight) ? weight : 0, ...(why ? { why } : {}), at, el: a };
    });
  }

  body(q: El, type: string, here: At): Body | undefined {
    const list = this.answers(q);
    const full = list.filter((a) => a.weight >= 1 - 1e-9);
    switch (type) {
      case 'multichoice': {
        const empty = list.find((a) => a.text === '');
        if (empty) return void this.f.add('error', empty.at, 'an answer has no text');
        const single = /^(true|1)$/i.test(child(q, 'single')?.text.trim() ?? 'true');
        return choicesFromWeights(list, single, here, this.f);
      }
      case 'truefalse': {
        const right = full[0];
        const value = right?.text.toLowerCase();
        if (list.some((a) => a.why)) this.f.add('note', here, 'true/false feedback dropped: only the general feedback is kept');
        if (value !== 'true' && value !== 'false')
          return void this.f.add('error', here, "a true/false question needs an answer 'true' or 'false' with fraction 100");
        return { type: 'boolean', answer: value === 'true' };
      }
      case 'shortanswer': {
        const patterns = children(q, PATTERN_EL)
          .map((p) => p.text.trim())
          .filter(Boolean);
        if (child(q, 'usecase')?.text.trim() === '1')
          this.f.add('note', here, 'answers here are compared ignoring case; the source asked for matching case');
        return textFromAnswers(list, patterns, here, this.f, XML);
      }
      default: {
        const values = [];
        for (const a of list.filter((x) => x.text !== '*')) {
          const answer = Number(a.text);
          const tolerance = Number(child(a.el, 'tolerance')?.text ?? 0);
          if (a.text === '' || !Number.isFinite(answer)) return void this.f.add('error', a.at, `'${a.text}' is not a number`);
          if (!Number.isFinite(tolerance) || tolerance < 0)
            return void this.f.add('error', a.at, 'the tolerance is not a number of 0 or more');
          values.push({ ...a, answer, tolerance });
        }
        if (children(child(q, 'units'), 'unit').length) this.f.add('note', here, 'units are not kept: answers are plain numbers here');
        return numberFromAnswers(values, here, this.f, XML);
      }
    }
  }
}

const XML: Dialect = { explanation: 'the general feedback', fullCredit: 'give the right answer fraction="100"' };

/** Moodle XML text → drafts and findings, each at file:line:col. */
export function parseMoodleXml(text: string, file: string): ImportResult {
  const r = new Reader(text, file);
  let tree: El;
  try {
    tree = readTree(text);
  } catch (e) {
    if (!(e instanceof XmlError)) throw e;
    r.f.add('error', r.at(Math.min(e.offset, text.length)), `not well-formed XML: ${e.message}`);
    return r.out;
  }
  const quiz = tree.children[0];
  if (!quiz || quiz.name !== 'quiz') {
    r.f.add(
      'error',
      r.at(quiz?.offset ?? 0),
      `not a Moodle XML file: the root element is ${quiz ? `<${quiz.name}>` : 'missing'}, expected <quiz>`,
    );
    return r.out;
  }
  let questions = 0;
  for (const q of quiz.children) {
    if (q.name !== 'question') continue;
    if (q.attrs.type !== 'category' && ++questions > MAX_QUESTIONS) {
      tooManyQuestions(r.f, r.at(q.offset));
      break;
    }
    r.question(q);
  }
  return r.out;
}

// ---- Writing ---------------------------------------------------------------------------------

const text = (tag: string, value: string, format?: string): string =>
  `<${tag}${format ? ` format="${format}"` : ''}><text>${xmlText(value)}</text></${tag}>`;

function answer(fraction: number, value: string, why: string | undefined, extra = ''): string {
  const feedback = why ? text('feedback', why, 'markdown') : '';
  return `    <answer fraction="${percentText(fraction)}" format="markdown"><text>${xmlText(value)}</text>${extra}${feedback}</answer>`;
}

function answersOf(q: Question, notes: string[]): string[] {
  switch (q.type) {
    case 'single':
    case 'multiple': {
      const fit = q.type === 'multiple' ? moodleWeights(q) : { weights: q.choices.map((c) => (c.correct ? 1 : 0)) };
      if (fit.note) notes.push(fit.note);
      const w = fit.weights;
      return [
        `    <single>${q.type === 'single'}</single>`,
        '    <shuffleanswers>true</shuffleanswers>',
        '    <answernumbering>none</answernumbering>',
        ...q.choices.map((c, i) => answer(w[i]!, c.text, c.why)),
      ];
    }
    case 'boolean':
      return [answer(q.answer ? 1 : 0, 'true', undefined), answer(q.answer ? 0 : 1, 'false', undefined)];
    case 'text':
      return [
        '    <usecase>0</usecase>',
        ...q.accept.filter((a) => !parseRegexEntry(a)).map((a) => answer(1, wildcardFromAccept(a), undefined)),
        ...q.accept.filter((a) => parseRegexEntry(a)).map((a) => `    <${PATTERN_EL}>${escapeXml(a)}</${PATTERN_EL}>`),
      ];
    case 'number':
      return [answer(1, String(q.answer), undefined, `<tolerance>${q.tolerance}</tolerance>`)];
    case 'sql':
    case 'code':
      // Left out by withoutTasks before rendering.
      throw new Error(`${q.key}: a ${q.type} task reached the Moodle XML writer`);
  }
}

/** The Moodle question type each of ours is written as. */
export const MOODLE_TYPE: Record<Question['type'], string> = {
  single: 'multichoice',
  multiple: 'multichoice',
  boolean: 'truefalse',
  text: 'shortanswer',
  number: 'numerical',
  sql: '',
  code: '',
};

/**
 * A bank as Moodle XML: one category, Markdown text, the id as name and idnumber, the difficulty
 * and tags as Moodle tags, multiple-answer fractions that score as ours do, and the explanation
 * and references as general feedback.
 */
export function renderMoodleXml(all: Pick<Bank, 'id' | 'title' | 'description' | 'questions'>, notes: string[] = []): string {
  const bank = withoutTasks(all, 'Moodle XML', notes);
  for (const q of bank.questions) if (q.type === 'text') notes.push(...patternNote(q, `<${PATTERN_EL}>`));
  const out = [
    XML_DECLARATION,
    xmlComment(`${bank.title} (${bank.id}): ${bank.questions.length} questions, from backend-quiz`),
    '<quiz>',
    '  <question type="category">',
    `    <category><text>${xmlText(`$course$/top/${bank.id}`)}</text></category>`,
    ...(bank.description ? [`    ${text('info', bank.description, 'markdown')}`] : []),
    '  </question>',
  ];
  for (const q of bank.questions) {
    const general = feedbackText(q.explanation, q.references);
    const tags = [`difficulty:${q.difficulty}`, ...q.tags];
    out.push(
      `  <question type="${MOODLE_TYPE[q.type]}">`,
      `    ${text('name', q.id)}`,
      `    ${text('questiontext', q.prompt, 'markdown')}`,
      `    ${text('generalfeedback', general, 'markdown')}`,
      `    <defaultgrade>${q.points}</defaultgrade>`,
      `    <penalty>0</penalty>`,
      `    <hidden>0</hidden>`,
      `    <idnumber>${escapeXml(q.id)}</idnumber>`,
      ...answersOf(q, notes),
      `    <tags>${tags.map((t) => `<tag><text>${xmlText(t)}</text></tag>`).join('')}</tags>`,
      '  </question>',
    );
  }
  out.push('</quiz>', '');
  return out.join('\n');
}
