// Every Inquirer call lives here. Ctrl-C inside a prompt (ExitPromptError) and an aborted signal
// (AbortPromptError) both become InterruptedError, handled once by the command that runs the quiz.
import { checkbox, input, select } from '@inquirer/prompts';
import type { ChalkInstance } from 'chalk';
import type { Bank, Difficulty } from '../bank/types.js';
import { DIFFICULTIES } from '../bank/types.js';
import type { Answerer, AnswerRecord, Position } from '../engine/quiz.js';
import type { QuizItem } from '../engine/select.js';
import type { Response } from '../engine/score.js';
import { InterruptedError } from '../errors.js';
import { header, outcomeMark, renderBody, renderFeedback } from '../report/text.js';
import { wrap } from '../report/wrap.js';
import { promptTheme } from './style.js';

export interface PromptContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
  paint: ChalkInstance;
  width?: number;
}

const MAX_TEXT_ANSWER = 500;

async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError') throw new InterruptedError();
    throw e;
  }
}

function context(ctx: PromptContext) {
  return { input: ctx.input, output: ctx.output, signal: ctx.signal };
}

export function parseNumber(v: string): number | undefined {
  const t = v.trim();
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

/**
 * Choices wrapped by word, continuation lines aligned under the text: a select item starts after
 * "❯ " (2 columns), a checkbox item after "❯◯ " (3).
 */
function choiceList(texts: string[], width: number, gutter: number) {
  const indent = ' '.repeat(gutter);
  return texts.map((text) => ({ name: wrap(text, width - gutter - 1).split('\n').join(`\n${indent}`), value: text, short: text }));
}

/** The Inquirer prompt and config for one question; separate from asking so it can be rendered in tests. */
export type QuestionPrompt =
  | { kind: 'select'; config: Parameters<typeof select<Response>>[0] }
  | { kind: 'checkbox'; config: Parameters<typeof checkbox<string>>[0] }
  | { kind: 'input'; config: Parameters<typeof input>[0]; parse: (s: string) => Response | undefined };

export function questionPrompt(item: QuizItem, at: Position, paint: ChalkInstance, columns = 80): QuestionPrompt {
  const theme = promptTheme(paint);
  const width = Math.min(columns, 80);
  const q = item.question;
  const hint = q.type === 'multiple' ? `\n${paint.dim('Select all that apply.')}` : q.type === 'text' || q.type === 'number' ? `\n${paint.dim('Leave empty to skip.')}` : '';
  const message = `${paint.bold(header(q, at.index, at.total))}\n${renderBody(q.prompt, paint, width - 2)}${hint}\n`;
  const choices = (gutter: number): { name: string; value: string; short: string }[] =>
    'choices' in q ? choiceList(item.choiceOrder.map((i) => q.choices[i]!.text), width, gutter) : [];
  switch (q.type) {
    case 'single':
      return { kind: 'select', config: { message, choices: choices(2), theme, pageSize: 12, loop: false } };
    case 'multiple':
      return { kind: 'checkbox', config: { message, choices: choices(3), theme, pageSize: 12, loop: false } };
    case 'boolean':
      return { kind: 'select', config: { message, choices: [{ name: 'True', value: true }, { name: 'False', value: false }], theme, loop: false } };
    case 'text':
      return {
        kind: 'input',
        config: { message, theme, validate: (s: string) => s.length <= MAX_TEXT_ANSWER || `Keep it under ${MAX_TEXT_ANSWER} characters.` },
        parse: (s) => (s.trim() === '' ? undefined : s.trim()),
      };
    case 'number':
      return {
        kind: 'input',
        config: { message, theme, validate: (s: string) => s.trim() === '' || parseNumber(s) !== undefined || 'Enter a number, such as 42 or 0.5.' },
        parse: parseNumber,
      };
  }
}

/** Asks each question with the prompt that fits its type. */
export function interactiveAnswerer(ctx: PromptContext): Answerer {
  return {
    async ask(item, at): Promise<Response | undefined> {
      if (ctx.signal?.aborted) throw new InterruptedError();
      const p = questionPrompt(item, at, ctx.paint, ctx.width);
      switch (p.kind) {
        case 'select':
          return guard(select(p.config, context(ctx)));
        case 'checkbox':
          return guard(checkbox(p.config, context(ctx)));
        case 'input':
          return p.parse(await guard(input(p.config, context(ctx))));
      }
    },
  };
}

/** Immediate feedback after one answer. */
export function showFeedback(record: AnswerRecord, ctx: PromptContext): void {
  const out = ctx.output ?? process.stdout;
  out.write(`${outcomeMark(record.outcome, ctx.paint)}\n${renderFeedback(record.item.question, record.outcome, record.response, ctx.paint)}\n\n`);
}

export interface MenuChoice {
  topics: string[];
  count: number;
  difficulties: Difficulty[];
}

/** The start menu of a bare `backend-quiz` in a terminal. */
export async function startMenu(banks: readonly Bank[], ctx: PromptContext): Promise<MenuChoice> {
  const theme = promptTheme(ctx.paint);
  const topics = await guard(
    checkbox(
      {
        message: 'Which topics? (space to pick, enter to go on)',
        choices: banks.map((b) => ({ name: `${b.title} ${ctx.paint.dim(`(${b.id}, ${b.questions.length})`)}`, value: b.id, short: b.id })),
        required: true,
        theme,
        pageSize: 12,
        loop: false,
      },
      context(ctx),
    ),
  );
  const count = await guard(
    input(
      {
        message: 'How many questions?',
        default: '10',
        theme,
        validate: (s: string) => (/^\s*\d+\s*$/.test(s) && Number(s) >= 1 && Number(s) <= 500) || 'Enter a whole number from 1 to 500.',
      },
      context(ctx),
    ),
  );
  const difficulties = await guard(
    checkbox(
      {
        message: 'Which difficulties?',
        choices: DIFFICULTIES.map((d) => ({ name: d, value: d, checked: true })),
        required: true,
        theme,
      },
      context(ctx),
    ),
  );
  return { topics, count: Number(count), difficulties };
}
