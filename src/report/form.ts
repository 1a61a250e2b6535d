// A drawn form without its answers, for scripts and models that must see the questions before
// answering them: as text, as JSON, and as an answers-file template to fill in. Pure.
import type { QuizItem } from '../engine/select.js';
import type { Paint } from './text.js';
import { renderBody } from './text.js';

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
    out.push(paint.bold(`${q.position}. ${q.key} · ${q.topic} · ${q.difficulty} · ${q.type}`), renderBody(q.prompt, paint, 80, '   '));
    if (q.choices) out.push(...q.choices.map((c) => `   - ${c}`));
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
    lines.push('', `# ${q.position}. ${q.topic} · ${q.difficulty} · ${q.type} (${HOW[q.type]})`, ...comment(q.prompt, '  '));
    if (q.choices) lines.push(...q.choices.map((c) => `#   - ${c.replace(/\n/g, ' ')}`));
    lines.push(`${JSON.stringify(q.key)}:`);
  }
  return `${lines.join('\n')}\n`;
}
