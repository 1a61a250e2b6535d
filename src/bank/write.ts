// Writes a bank as the YAML `validate` reads: fields in the documented order, defaults left out,
// multi-line text as literal blocks so prompts with code stay readable.
import { stringify } from 'yaml';
import type { Bank, Question } from './types.js';

export const SCHEMA_LINE = '# yaml-language-server: $schema=https://unpkg.com/backend-quiz/schema/bank.schema.json';

function questionData(q: Question, checked: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { id: q.id, type: q.type, difficulty: q.difficulty, prompt: q.prompt };
  switch (q.type) {
    case 'single':
    case 'multiple':
      out.choices = q.choices.map((c) => ({
        text: c.text,
        ...(c.correct ? { correct: true } : {}),
        ...(c.why !== undefined ? { why: c.why } : {}),
      }));
      break;
    case 'boolean':
      out.answer = q.answer;
      break;
    case 'text':
      out.accept = q.accept;
      break;
    case 'number':
      out.answer = q.answer;
      if (q.tolerance) out.tolerance = q.tolerance;
      break;
  }
  if (q.explanation !== undefined) out.explanation = q.explanation;
  if (q.references.length) out.references = q.references;
  if (checked !== undefined) out.checked = checked;
  if (q.tags.length) out.tags = q.tags;
  if (q.points !== 1) out.points = q.points;
  return out;
}

/** `checked`: the `checked:` month of questions that have one, by key (it is kept beside the question). */
export function renderBankYaml(
  bank: Pick<Bank, 'id' | 'title' | 'description' | 'questions'>,
  checked: ReadonlyMap<string, string> = new Map(),
): string {
  const data = {
    bank: bank.id,
    title: bank.title,
    ...(bank.description ? { description: bank.description } : {}),
    questions: bank.questions.map((q) => questionData(q, checked.get(q.key))),
  };
  return `${SCHEMA_LINE}\n${stringify(data, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false })}`;
}
