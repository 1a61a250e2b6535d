// Aiken (docs.moodle.org/en/Aiken_format): a question, lettered choices `A)` or `A.`, and a line
// `ANSWER: B`. Single choice only, no feedback. Moodle reads the question from one line; here
// several lines before the first choice are joined, so a question may hold code.
import type { At, Draft, ImportResult } from './common.js';
import { Findings, MAX_QUESTIONS, MAX_QUESTION_LINES, eachLine, tooManyLines, tooManyQuestions } from './common.js';

const CHOICE = /^([A-Z])[.)][ \t]*(.*)$/;
const ANSWER = /^ANSWER\s*:\s*(.*)$/i;

interface Pending {
  at: At;
  prompt: string[];
  choices: { text: string; at: At }[];
}

/** Aiken text → drafts and findings, each at file:line:col. */
export function parseAiken(text: string, file: string): ImportResult {
  const f = new Findings(file);
  const drafts: Draft[] = [];
  let q: Pending | undefined;
  // After a problem inside a question, its remaining lines up to its ANSWER are passed over, so
  // one mistake is reported once.
  let skipping = false;
  const unfinished = (p: Pending): void =>
    f.add('error', p.at, `the question has no 'ANSWER:' line; add 'ANSWER: <letter>' after its last choice`);

  let questions = 0;
  for (const { line: raw, n } of eachLine(text)) {
    const line = raw.trim().replace(/^\ufeff/, '');
    const at = { line: n, col: raw.length - raw.trimStart().length + 1 };
    if (line === '') continue;
    const answer = ANSWER.exec(line);
    const choice = CHOICE.exec(line);
    if (skipping) {
      if (answer) skipping = false;
      if (answer || choice) continue;
      skipping = false;
    }
    if (answer) {
      if (!q || q.choices.length === 0) {
        f.add('error', at, q ? 'ANSWER comes before any choice; list the choices A) B) … first' : 'ANSWER without a question before it');
        q = undefined;
        continue;
      }
      const letter = answer[1]!.trim().toUpperCase();
      const index = letter.length === 1 ? letter.charCodeAt(0) - 65 : -1;
      if (q.choices.length < 2) f.add('error', q.at, `a question needs at least 2 choices, has ${q.choices.length}`);
      else if (index < 0 || index >= q.choices.length)
        f.add(
          'error',
          at,
          `ANSWER '${answer[1]!.trim()}' names no choice; use a letter from A to ${String.fromCharCode(64 + q.choices.length)}`,
        );
      else {
        drafts.push({
          at: q.at,
          prompt: q.prompt.join('\n'),
          body: { type: 'single', choices: q.choices.map((c, n) => ({ text: c.text, correct: n === index })) },
        });
      }
      q = undefined;
      continue;
    }
    if (choice && q && q.prompt.length && choice[1]!.charCodeAt(0) - 65 === q.choices.length) {
      if (choice[2]!.trim() === '') {
        f.add('error', at, `choice ${choice[1]} has no text`);
        q = undefined;
        skipping = true;
      } else q.choices.push({ text: choice[2]!.trim(), at });
      continue;
    }
    if (choice && (!q || q.choices.length > 0)) {
      f.add(
        'error',
        at,
        q
          ? `expected choice ${String.fromCharCode(65 + q.choices.length)} or an ANSWER line, got ${choice[1]}`
          : `choice ${choice[1]} comes before any question text`,
      );
      q = undefined;
      skipping = true;
      continue;
    }
    if (q && q.choices.length) {
      unfinished(q);
      q = undefined;
    }
    if (!q && ++questions > MAX_QUESTIONS) {
      tooManyQuestions(f, at);
      return { drafts, findings: f.list, counts: f.counts };
    }
    q ??= { at, prompt: [], choices: [] };
    if (q.prompt.length === MAX_QUESTION_LINES) {
      tooManyLines(f, at);
      q = undefined;
      skipping = true;
      continue;
    }
    q.prompt.push(line);
  }
  if (q) unfinished(q);
  return { drafts, findings: f.list, counts: f.counts };
}
