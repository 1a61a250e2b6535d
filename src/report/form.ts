// A drawn form without its answers, for scripts and models that must see the questions before
// answering them: as text, as JSON, and as an answers-file template to fill in. Pure.
import type { QuizItem } from '../engine/select.js';
import type { Paint } from './text.js';
import { renderBody } from './text.js';
import { safeJson, safeLine, safeText } from '../text.js';

export interface FormQuestion {
  position: number;
  key: string;
  topic: string;
  difficulty: string;
  type: string;
  points: number;
  prompt: string;
  /** Choice texts in the order they are shown; absent for boolean, text and number questions. */
  choices?: string[];
}

export function formQuestions(items: readonly QuizItem[]): FormQuestion[] {
  return items.map((i, n) => {
    const q = i.question;
    return {
      position: n + 1,
      key: q.key,
      topic: q.topic,
      difficulty: q.difficulty,
      type: q.type,
      points: q.points,
      prompt: q.prompt,
      ...('choices' in q ? { choices: i.choiceOrder.map((c) => q.choices[c]!.text) } : {}),
    };
  });
}

export function formJson(items: readonly QuizItem[], seed: number): object {
  return { schemaVersion: 1, seed, questions: formQuestions(items) };
}

const HOW: Record<string, string> = {
  single: 'one choice text',
  multiple: 'a list of choice texts',
  boolean: 'true or false',
  text: 'text',
  number: 'a number',
};

export function renderFormText(items: readonly QuizItem[], seed: number, paint: Paint): string {
  const out = [paint.dim(`Seed ${seed}: the same seed and options give this form again.`), ''];
  for (const q of formQuestions(items)) {
    const head = `${q.position}. ${safeLine(q.key)} · ${safeLine(q.topic)} · ${safeLine(q.difficulty)} · ${q.type}`;
    out.push(paint.bold(head), renderBody(q.prompt, paint, 80, '   '));
    if (q.choices) out.push(...q.choices.map((c) => `   - ${safeLine(c)}`));
    out.push(paint.dim(`   answer: ${HOW[q.type]}`), '');
  }
  return out.join('\n').trimEnd();
}

/** YAML comment lines: every line of `text` behind `# `. */
const comment = (text: string, indent = ''): string[] => text.split('\n').map((l) => `#${l ? ` ${indent}${l}` : ''}`);

/**
 * An answers file for `take --answers`: one entry per question in order, its prompt and choices as
 * comments and the value left empty (an empty value is unanswered).
 */
export function answersTemplate(items: readonly QuizItem[], seed: number, rerun: string): string {
  const lines = [
    `# Answers for a backend-quiz form (seed ${seed}, ${items.length} question${items.length === 1 ? '' : 's'}).`,
    '# Fill in each value, then run the same command with the answers:',
    `#   ${rerun}`,
    '# single: one choice text · multiple: a list of choice texts [A, B] · boolean: true/false',
    '# text: the answer · number: a number. A value left empty counts as unanswered.',
  ];
  for (const q of formQuestions(items)) {
    // Comments end at a line break, and YAML breaks lines at CR too: a prompt from a pack could
    // otherwise write keys of its own into the file, or escapes a `cat` of it would obey.
    lines.push(
      '',
      `# ${q.position}. ${safeLine(q.topic)} · ${safeLine(q.difficulty)} · ${q.type} (${HOW[q.type]})`,
      ...comment(safeText(q.prompt), '  '),
    );
    if (q.choices) lines.push(...q.choices.map((c) => `#   - ${safeLine(c.replace(/\n/g, ' '))}`));
    lines.push(`${safeJson(JSON.stringify(q.key))}:`);
  }
  return `${lines.join('\n')}\n`;
}
