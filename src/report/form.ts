// A drawn form without its answers, for scripts and models that must see the questions before
// answering them: as text, as JSON, and as an answers-file template to fill in. Pure.
import type { CodeTest } from '../bank/types.js';
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
  /** A task's visible part (never its solution or hidden tests): what a script needs to write the answer. */
  task?: FormSqlTask | FormCodeTask;
}

export interface FormSqlTask {
  dialect: string;
  /** The CREATE statements. */
  schema: string;
  /** The visible data set (INSERT statements): the sample the answer runs on first. */
  data: string;
  starter: string;
  answerKb: number;
}

export interface FormCodeTask {
  language: string;
  function: string;
  starter: string;
  /** The visible tests: a call and its expected value, or an assertion snippet. */
  tests: { name: string; args?: unknown[]; expect?: unknown; assert?: string }[];
  answerKb: number;
}

/** A visible test as the candidate sees it: its name, or the call it makes. */
function visibleTest(fn: string, t: CodeTest): FormCodeTask['tests'][number] {
  const name = t.name || (t.args ? `${fn}(${t.args.map((a) => JSON.stringify(a) ?? 'undefined').join(', ')})` : 'assertion');
  return {
    name,
    ...(t.args !== undefined ? { args: t.args } : {}),
    ...(t.assert === undefined ? { expect: t.expect } : { assert: t.assert }),
  };
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
      ...(q.type === 'sql'
        ? { task: { dialect: q.dialect, schema: q.schema, data: q.data, starter: q.starter, answerKb: q.limits.answerKb } }
        : q.type === 'code'
          ? {
              task: {
                language: q.language,
                function: q.function,
                starter: q.starter,
                tests: q.tests.map((t) => visibleTest(q.function, t)),
                answerKb: q.limits.answerKb,
              },
            }
          : {}),
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
  sql: 'a query, as a block scalar | or { file: path }',
  code: 'the code, as a block scalar | or { file: path }',
};

/** The text form of a task's visible part, indented under its prompt. */
function taskText(t: FormSqlTask | FormCodeTask, paint: Paint): string[] {
  const block = (title: string, text: string): string[] =>
    text.trim()
      ? [
          paint.dim(`   ${title}:`),
          ...safeText(text.trimEnd())
            .split('\n')
            .map((l) => `     ${l}`),
        ]
      : [];
  if ('dialect' in t) return [...block(`schema (${t.dialect})`, t.schema), ...block('sample data', t.data), ...block('starter', t.starter)];
  const tests = t.tests.map((x) =>
    x.assert !== undefined
      ? `     - ${safeLine(x.name)}: ${safeLine(x.assert.trim().replace(/\s*\n\s*/g, ' '))}`
      : `     - ${safeLine(x.name)} → ${safeLine(JSON.stringify(x.expect) ?? 'undefined')}`,
  );
  return [
    ...block(`starter (${t.language}, implement ${t.function})`, t.starter),
    ...(tests.length ? [paint.dim('   visible tests (hidden ones run too when graded):'), ...tests] : []),
  ];
}

export function renderFormText(items: readonly QuizItem[], seed: number, paint: Paint): string {
  const out = [paint.dim(`Seed ${seed}: the same seed and options give this form again.`), ''];
  for (const q of formQuestions(items)) {
    const head = `${q.position}. ${safeLine(q.key)} · ${safeLine(q.topic)} · ${safeLine(q.difficulty)} · ${q.type}`;
    out.push(paint.bold(head), renderBody(q.prompt, paint, 80, '   '));
    if (q.choices) out.push(...q.choices.map((c) => `   - ${safeLine(c)}`));
    if (q.task) out.push(...taskText(q.task, paint));
    out.push(paint.dim(`   answer: ${HOW[q.type]}`), '');
  }
  return out.join('\n').trimEnd();
}

/** YAML comment lines: every line of `text` behind `# `. */
const comment = (text: string, indent = ''): string[] => text.split('\n').map((l) => `#${l ? ` ${indent}${l}` : ''}`);

/** A task's schema and sample data, or its visible tests, as YAML comments. */
function taskComments(t: FormSqlTask | FormCodeTask): string[] {
  if ('dialect' in t)
    return [
      `#   schema (${t.dialect}):`,
      ...comment(safeText(t.schema.trimEnd()), '    '),
      '#   sample data:',
      ...comment(safeText(t.data.trimEnd()), '    '),
    ];
  return [
    `#   implement ${safeLine(t.function)} (${t.language}); visible tests:`,
    ...t.tests.map((x) =>
      x.assert !== undefined
        ? `#     - ${safeLine(x.name)}: ${safeLine(x.assert.trim().replace(/\s*\n\s*/g, ' '))}`
        : `#     - ${safeLine(x.name)} → ${safeLine(JSON.stringify(x.expect) ?? 'undefined')}`,
    ),
  ];
}

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
    ...(items.some((i) => i.question.type === 'sql' || i.question.type === 'code')
      ? [
          '# sql and code tasks: the answer as a block scalar (the starter is filled in; edit it,',
          '# keeping the indentation) or { file: path } naming a file beside this one. The visible',
          '# tests are shown; hidden ones run too when the answer is graded.',
        ]
      : []),
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
    if (q.task) {
      // The starter, or a comment of the task's own language: a `#` line inside a block scalar
      // would be part of the answer, not a YAML comment.
      const starter = safeText(q.task.starter.trimEnd()).replace(/^\s*$/, '') || ('dialect' in q.task ? '-- your query' : '// your code');
      // An indentation indicator only when the first line is itself indented: YAML would take
      // that line's indentation as the block's.
      const header = /^[ \t]/.test(starter.replace(/^\n+/, '')) ? '|2-' : '|-';
      lines.push(...taskComments(q.task), `${safeJson(JSON.stringify(q.key))}: ${header}`);
      lines.push(...starter.split('\n').map((l) => (l ? `  ${l}` : '')));
      continue;
    }
    lines.push(`${safeJson(JSON.stringify(q.key))}:`);
  }
  return `${lines.join('\n')}\n`;
}
