// How Moodle itself reads our GIFT and Moodle XML exports, written from Moodle's code for what
// decides whether a question arrives, and arrives unchanged: the text as xmlize() hands it over,
// the grade-option check, and the GIFT parser's question types, answers and numbers. Each function
// names the Moodle file and function it follows. It reads our exports, not every file Moodle can.
import { feedbackText, wildcardFromAccept } from '../src/interop/common.js';
import { parseRegexEntry } from '../src/bank/parse.js';
import type { Bank, Question } from '../src/bank/types.js';
import { MOODLE_TYPE } from '../src/interop/moodle-xml.js';

/** What Moodle makes of one question before saving it. */
export interface MoodleQuestion {
  qtype: string;
  name: string;
  questiontext: string;
  generalfeedback: string;
  /** Moodle's default mark: <defaultgrade>, or 1 (GIFT has none). */
  defaultmark: number;
  single?: boolean;
  answers: { text: string; fraction: number; feedback: string; tolerance?: number }[];
  correctanswer?: boolean;
}

/** A question Moodle refuses (the import stops, with "stop on error"), or a parse error. */
export interface Refusal {
  name: string;
  reason: string;
}

// ---- Grades: question_bank::fraction_options_full() (question/engine/bank.php) and
// match_grade_options($options, $grade, 'error') (lib/questionlib.php), as
// qformat_default::importprocess (question/format.php) applies them to every $question->fraction.
const RAW_FRACTIONS = [
  0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05,
];
const FRACTION_OPTIONS_FULL = [0, 1, ...RAW_FRACTIONS, ...RAW_FRACTIONS.map((f) => -f), -1];

export function matchGradeOptions(grade: number): number | false {
  for (const value of FRACTION_OPTIONS_FULL) if (Math.abs(grade - value) < 0.00001) return value;
  return false;
}

function gradeCheck(q: MoodleQuestion): string | undefined {
  if (!['multichoice', 'shortanswer', 'numerical'].includes(q.qtype)) return undefined;
  const invalid = q.answers.map((a) => a.fraction).filter((f) => matchGradeOptions(f) === false);
  return invalid.length ? `Grades (${invalid.join(', ')}) do not match grade options` : undefined;
}

// ---- PHP's string helpers, as Moodle's code relies on them.
/** PHP trim(): " \t\n\r\0\x0B" only, not every Unicode space as String.prototype.trim. */
const phpTrim = (s: string): string => s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '');
/** PHP empty() on a string: "" and "0". */
const phpEmpty = (s: string | undefined): boolean => s === undefined || s === '' || s === '0';
/** PHP 8 is_numeric() on a string: leading and trailing whitespace allowed. */
const isNumeric = (s: string): boolean => /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(s);

// ---- Moodle XML: lib/xmlize.php and qformat_xml (question/format/xml/format.php).

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (ref: string): string =>
  ref[0] === '#' ? String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)) : ENTITIES[ref]!;

/**
 * The text of one element as xmlize() returns it. PHP's xml_parse_into_struct() receives character
 * data in pieces from libxml2: each entity or character reference is a piece, each CDATA section
 * is one, and the runs of text between are others. With XML_OPTION_SKIP_WHITE, PHP before the fix
 * of its bug #70962 drops every piece that is only whitespace (Moodle's xmlize() passes the option
 * through). Then qformat_xml::getpath(..., $istext = true) trims the result.
 */
export function xmlizeText(raw: string): string {
  const pieces: string[] = [];
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-fA-F]+|#\d+|[a-z]+);|[^&<]+/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    if (m[1] !== undefined) pieces.push(m[1]);
    else if (m[2] !== undefined) pieces.push(decode(m[2]));
    else pieces.push(m[0]);
  }
  return phpTrim(pieces.filter((p) => !/^[ \t\n]*$/.test(p)).join(''));
}

const TEXT = String.raw`<text>((?:<!\[CDATA\[[\s\S]*?\]\]>|[^<])*)</text>`;
const field = (xml: string, tag: string): string => {
  const m = new RegExp(String.raw`<${tag}(?: [^>]*)?>\s*${TEXT}`).exec(xml);
  return m ? xmlizeText(m[1]!) : '';
};

/** qformat_xml::readquestions → import_question for the four types we write, then the grade check. */
export function readMoodleXml(xml: string): { questions: MoodleQuestion[]; refused: Refusal[] } {
  const questions: MoodleQuestion[] = [];
  const refused: Refusal[] = [];
  const blocks = xml.match(/<question type="[^"]*">[\s\S]*?\n {2}<\/question>/g) ?? [];
  for (const block of blocks) {
    const qtype = /type="([^"]*)"/.exec(block)![1]!;
    if (qtype === 'category') continue;
    const answers = [...block.matchAll(new RegExp(String.raw`<answer fraction="([^"]*)"[^>]*>${TEXT}([\s\S]*?)</answer>`, 'g'))].map(
      (m) => {
        const tolerance = /<tolerance>([^<]*)<\/tolerance>/.exec(m[3]!);
        return {
          text: xmlizeText(m[2]!),
          // import_answer(): $fraction = attribute / 100.
          fraction: Number(m[1]) / 100,
          feedback: field(m[3]!, 'feedback'),
          ...(tolerance ? { tolerance: Number(tolerance[1]) } : {}),
        };
      },
    );
    const single = /<single>([^<]*)<\/single>/.exec(block);
    const q: MoodleQuestion = {
      qtype,
      name: field(block, 'name'),
      questiontext: field(block, 'questiontext'),
      generalfeedback: field(block, 'generalfeedback'),
      defaultmark: Number(/<defaultgrade>([^<]*)<\/defaultgrade>/.exec(block)?.[1] ?? 1),
      // trans_single(): 'false' or empty is 0.
      ...(single ? { single: !(phpTrim(single[1]!) === 'false' || phpEmpty(phpTrim(single[1]!))) } : {}),
      answers,
    };
    // import_truefalse(): the answer whose text is 'true' says, by its fraction, which is right.
    if (qtype === 'truefalse') q.correctanswer = answers.find((a) => a.text === 'true')?.fraction === 1;
    const bad = gradeCheck(q);
    if (bad) refused.push({ name: q.name, reason: bad });
    else questions.push(q);
  }
  return { questions, refused };
}

// ---- GIFT: qformat_gift (question/format/gift/format.php).

const ESCAPED = ['\\:', '\\#', '\\=', '\\{', '\\}', '\\~', '\\n'];
const PLACEHOLDERS = ['&&058;', '&&035;', '&&061;', '&&123;', '&&125;', '&&126;', '&&010'];
const CHARACTERS = [':', '#', '=', '{', '}', '~', '\n'];
const replaceAll = (s: string, from: string[], to: string[]): string => from.reduce((t, f, i) => t.split(f).join(to[i]!), s);

/** escapedchar_pre(): escapes become placeholders before any parsing. */
const escapedPre = (s: string): string => replaceAll(s.split('\\\\').join('&&092;'), ESCAPED, PLACEHOLDERS).split('&&092;').join('\\');
/** escapedchar_post(). */
const escapedPost = (s: string): string => replaceAll(s, PLACEHOLDERS, CHARACTERS);

/** parse_text_with_format(): a leading [format] is taken off when it names a format. */
function textWithFormat(text: string, defaultFormat: string): { text: string; format: string } {
  let format = defaultFormat;
  let t = text;
  if (t.startsWith('[')) {
    const end = t.indexOf(']');
    const name = t.slice(1, end);
    if (['moodle', 'html', 'plain', 'markdown'].includes(name)) {
      format = name;
      t = t.slice(end + 1);
    }
  }
  return { text: phpTrim(escapedPost(t)), format };
}

/** commentparser(): answer#feedback. */
function comment(answer: string, format: string): [string, string] {
  const at = answer.indexOf('#');
  const bits = at < 0 ? [answer] : [answer.slice(0, at), answer.slice(at + 1)];
  return [textWithFormat(phpTrim(bits[0]!), format).text, bits[1] === undefined ? '' : textWithFormat(phpTrim(bits[1]), format).text];
}

const WEIGHT = /^%-*([0-9]{1,2})\.?([0-9]*)%/;
/** answerweightparser(): the text between the percent signs, over 100. */
function weight(answer: string): [number, string] {
  const rest = answer.slice(1);
  const end = rest.indexOf('%');
  return [Number(rest.slice(0, end)) / 100, rest.slice(end + 1)];
}

/** explode($sep, $text) with the first piece trimmed and dropped when PHP calls it empty. */
function pieces(text: string, sep: string): string[] {
  const out = text.split(sep);
  out[0] = phpTrim(out[0]!);
  if (phpEmpty(out[0])) out.shift();
  return out;
}

/** readquestion(): one question (lines between blank lines) as Moodle builds it, or its error. */
export function giftReadQuestion(lines: string[]): MoodleQuestion | Refusal | undefined {
  let text = phpTrim(lines.map((l) => (phpTrim(l).startsWith('//') ? ' ' : l)).join('\n'));
  if (text === '') return undefined;
  text = escapedPre(text);
  if (/^\$CATEGORY:/.test(text)) return undefined;
  let name = '';
  if (text.startsWith('::')) {
    text = text.slice(2);
    const end = text.indexOf('::');
    if (end >= 0) {
      name = phpTrim(escapedPost(text.slice(0, end)));
      text = phpTrim(text.slice(end + 2));
    }
  }
  const start = text.indexOf('{');
  const finish = text.indexOf('}');
  if (start < 0 && finish < 0) return { name, reason: 'a description, not a question' };
  if (start < 0 || finish < 0) return { name, reason: 'Braces {...} are not balanced' };
  let answertext = phpTrim(text.slice(start + 1, finish));
  const questiontext = text.endsWith('}')
    ? text.slice(0, start) + text.slice(finish + 1)
    : `${text.slice(0, start)}_____${text.slice(finish + 1)}`;
  const gf = answertext.lastIndexOf('####');
  const general = gf < 0 ? '' : answertext.slice(gf + 4);
  if (gf >= 0) answertext = phpTrim(answertext.slice(0, gf));
  const qt = textWithFormat(questiontext, 'moodle');
  const q: MoodleQuestion = {
    qtype: '',
    name,
    questiontext: qt.text,
    generalfeedback: textWithFormat(general, qt.format).text,
    defaultmark: 1,
    answers: [],
  };
  const hash = answertext.indexOf('#');
  const tf = hash > 0 ? phpTrim(answertext.slice(0, hash)) : answertext;
  q.qtype =
    answertext === ''
      ? 'essay'
      : answertext[0] === '#'
        ? 'numerical'
        : answertext.includes('~')
          ? 'multichoice'
          : answertext.includes('=') && answertext.includes('->')
            ? 'match'
            : ['T', 'TRUE', 'F', 'FALSE'].includes(tf)
              ? 'truefalse'
              : 'shortanswer';
  switch (q.qtype) {
    case 'multichoice': {
      q.single = answertext.includes('=');
      const list = pieces(answertext.split('=').join('~='), '~');
      if (list.length < 2) return { name, reason: 'There must be at least 2 choices' };
      for (let a of list) {
        a = phpTrim(a);
        let fraction = 0;
        if (a[0] === '=') {
          fraction = 1;
          a = a.slice(1);
        } else if (WEIGHT.test(a)) [fraction, a] = weight(a);
        const [t, feedback] = comment(a, qt.format);
        q.answers.push({ text: t, fraction, feedback });
      }
      break;
    }
    case 'truefalse': {
      const bits = answertext.split('#');
      const t = textWithFormat(phpTrim(bits[0]!), qt.format).text;
      q.correctanswer = t === 'T' || t === 'TRUE';
      break;
    }
    case 'shortanswer': {
      const list = pieces(answertext, '=');
      if (list.length < 1) return { name, reason: 'There must be at least 1 answer' };
      for (let a of list) {
        a = phpTrim(a);
        let fraction = 1;
        if (WEIGHT.test(a)) [fraction, a] = weight(a);
        const [t, feedback] = comment(a, qt.format);
        q.answers.push({ text: t, fraction, feedback });
      }
      break;
    }
    case 'numerical': {
      let body = answertext.slice(1);
      const wrong = body.indexOf('~');
      if (wrong >= 0) body = body.slice(0, wrong);
      const list = pieces(body, '=');
      if (list.length === 0) return { name, reason: 'No answers found for numerical question' };
      for (let a of list) {
        a = phpTrim(a);
        let fraction = 1;
        if (WEIGHT.test(a)) [fraction, a] = weight(a);
        const [t, feedback] = comment(a, qt.format);
        let ans: string;
        let tol: string;
        const range = t.indexOf('..');
        const colon = t.indexOf(':');
        if (range > 0) {
          const max = Number(phpTrim(t.slice(range + 2)));
          const min = Number(phpTrim(t.slice(0, range)));
          ans = String((max + min) / 2);
          tol = String(max - (max + min) / 2);
        } else if (colon > 0) {
          tol = phpTrim(t.slice(colon + 1));
          ans = phpTrim(t.slice(0, colon));
        } else {
          tol = '0';
          ans = phpTrim(t);
        }
        // `!(is_numeric($ans) || $ans = '*') || !is_numeric($tol)`: the assignment makes a
        // non-numeric answer '*' (anything) instead of an error.
        if (!isNumeric(ans)) ans = '*';
        if (!isNumeric(tol)) return { name, reason: 'Numbers are not valid' };
        q.answers.push({ text: ans, fraction, feedback, tolerance: Number(tol) });
      }
      break;
    }
    default:
      return { name, reason: `imported as ${q.qtype}` };
  }
  return q;
}

/** A GIFT file: questions are the runs of lines between blank lines (qformat_default::readquestions). */
export function readGift(gift: string): { questions: MoodleQuestion[]; refused: Refusal[] } {
  const questions: MoodleQuestion[] = [];
  const refused: Refusal[] = [];
  for (const block of gift.split(/\n[ \t]*\n/)) {
    const q = giftReadQuestion(block.split('\n'));
    if (!q) continue;
    if ('reason' in q) {
      refused.push(q);
      continue;
    }
    const bad = gradeCheck(q);
    if (bad) refused.push({ name: q.name, reason: bad });
    else questions.push(q);
  }
  return { questions, refused };
}

// ---- Comparing what Moodle holds with the bank.

/**
 * What differs between a bank question and Moodle's copy of it, as "field: ours → Moodle's".
 * Scoring counts as unchanged when every right choice (and only those) has a positive fraction,
 * one right choice has 100% in a single-answer question, and a multiple-answer question gives each
 * right choice 1/n and each wrong one −1/n, so Moodle scores it as the partial-credit rule does.
 */
export function differences(q: Question, m: MoodleQuestion): string[] {
  const out: string[] = [];
  const same = (what: string, ours: unknown, theirs: unknown): void => {
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) out.push(`${what}: ${JSON.stringify(ours)} → ${JSON.stringify(theirs)}`);
  };
  same('type', MOODLE_TYPE[q.type], m.qtype);
  same('name', q.id, m.name);
  same('prompt', q.prompt.trim(), m.questiontext);
  same('general feedback', feedbackText(q.explanation, q.references).trim(), m.generalfeedback);
  same('mark', q.points, m.defaultmark);
  switch (q.type) {
    case 'single':
    case 'multiple': {
      same('single', q.type === 'single', m.single);
      same(
        'choices',
        q.choices.map((c) => [c.text.trim(), (c.why ?? '').trim()]),
        m.answers.map((a) => [a.text, a.feedback]),
      );
      const n = q.choices.filter((c) => c.correct).length;
      const ideal = q.choices.map((c) => (q.type === 'single' ? (c.correct ? 1 : 0) : (c.correct ? 1 : -1) / n));
      same(
        'fractions',
        ideal.map((f) => f.toFixed(5)),
        m.answers.map((a) => (matchGradeOptions(a.fraction) as number).toFixed(5)),
      );
      break;
    }
    case 'boolean':
      same('answer', q.answer, m.correctanswer);
      break;
    case 'text': {
      const literal = q.accept.filter((a) => !parseRegexEntry(a));
      same(
        'answers',
        literal.map((a) => [wildcardFromAccept(a).trim(), 1]),
        m.answers.map((a) => [a.text, a.fraction]),
      );
      break;
    }
    case 'number':
      same(
        'answers',
        [[q.answer, q.tolerance]],
        m.answers.map((a) => [Number(a.text), a.tolerance]),
      );
      break;
  }
  return out;
}

/** Every question of a bank through one of Moodle's readers: what it refuses and what it changes. */
export function throughMoodle(
  bank: Pick<Bank, 'questions'>,
  text: string,
  read: (t: string) => { questions: MoodleQuestion[]; refused: Refusal[] },
): { refused: string[]; changed: string[] } {
  const { questions, refused } = read(text);
  const byName = new Map(questions.map((m) => [m.name, m]));
  const changed: string[] = [];
  for (const q of bank.questions) {
    const m = byName.get(q.id);
    if (!m) continue;
    for (const d of differences(q, m)) changed.push(`${q.key}: ${d}`);
  }
  const key = (name: string): string => bank.questions.find((q) => q.id === name)?.key ?? name;
  return { refused: refused.map((r) => `${key(r.name)}: ${r.reason}`), changed };
}
