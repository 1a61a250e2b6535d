// Writes a bank as the YAML `validate` reads: fields in the documented order, defaults left out,
// multi-line text as literal blocks so prompts with code stay readable.
import { stringify } from 'yaml';
import { DEFAULT_LIMITS, LIMIT_FIELDS } from '../tasks/limits.js';
import type { Bank, CodeTest, Question, TaskLimits } from './types.js';

export const SCHEMA_LINE = '# yaml-language-server: $schema=https://unpkg.com/backend-quiz/schema/bank.schema.json';

/** The limits a task sets, as `{ limits }`, or nothing when all are the defaults. */
function limitsData(limits: TaskLimits): Record<string, unknown> {
  const out: Record<string, number> = {};
  for (const [yaml, field] of Object.entries(LIMIT_FIELDS)) if (limits[field] !== DEFAULT_LIMITS[field]) out[yaml] = limits[field];
  return Object.keys(out).length ? { limits: out } : {};
}

/** A test as a bank writes it; its name is always written, since the default one is derived. */
function testData(t: CodeTest): Record<string, unknown> {
  return {
    name: t.name,
    ...(t.weight !== 1 ? { weight: t.weight } : {}),
    ...(t.assert !== undefined ? { assert: t.assert } : { args: t.args, expect: t.expect }),
  };
}

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
    case 'sql':
      if (q.dialect !== 'sqlite') out.dialect = q.dialect;
      out.schema = q.schema;
      out.data = q.data;
      if (q.hiddenData.length)
        out.hidden_data = q.hiddenData.map((d) => ({ name: d.name, ...(d.weight !== 1 ? { weight: d.weight } : {}), data: d.data }));
      if (q.starter) out.starter = q.starter;
      out.solution = q.solution;
      if (q.check !== undefined) out.check = q.check;
      {
        const c = q.compare;
        const compare = {
          ...(c.order ? { order: true } : {}),
          ...(c.columns ? { columns: true } : {}),
          ...(c.tolerance !== 1e-9 ? { tolerance: c.tolerance } : {}),
        };
        if (Object.keys(compare).length) out.compare = compare;
      }
      Object.assign(out, limitsData(q.limits));
      break;
    case 'code':
      if (q.language !== 'javascript') out.language = q.language;
      out.function = q.function;
      if (q.starter) out.starter = q.starter;
      out.solution = q.solution;
      out.tests = q.tests.map(testData);
      if (q.hiddenTests.length) out.hidden_tests = q.hiddenTests.map(testData);
      Object.assign(out, limitsData(q.limits));
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
