// Every Inquirer call lives here. Ctrl-C inside a prompt (ExitPromptError) and an aborted signal
// (AbortPromptError) both become InterruptedError, handled once by the command that runs the quiz.
import { checkbox, input, select } from '@inquirer/prompts';
import type { ChalkInstance } from 'chalk';
import type { Bank, Difficulty } from '../bank/types.js';
import { DIFFICULTIES } from '../bank/types.js';
import type { Answerer, AnswerRecord } from '../engine/quiz.js';
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

/** Choices wrapped by word to fit beside the cursor and checkbox, continuation lines aligned. */
function choiceList(texts: string[], width: number) {
  return texts.map((text) => ({ name: wrap(text, width - 4).split('\n').join('\n   '), value: text, short: text }));
}

/** Asks each question with the prompt that fits its type. */
export function interactiveAnswerer(ctx: PromptContext): Answerer {
  const theme = promptTheme(ctx.paint);
  const width = Math.min(ctx.width ?? 80, 80);
  return {
    async ask(item, at): Promise<Response | undefined> {
      if (ctx.signal?.aborted) throw new InterruptedError();
      const q = item.question;
      const hint = q.type === 'multiple' ? `\n${ctx.paint.dim('Select all that apply.')}` : q.type === 'text' || q.type === 'number' ? `\n${ctx.paint.dim('Leave empty to skip.')}` : '';
      const message = `${ctx.paint.bold(header(q, at.index, at.total))}\n${renderBody(q.prompt, ctx.paint, width - 2)}${hint}\n`;
      switch (q.type) {
        case 'single':
          return guard(select({ message, choices: choiceList(item.choiceOrder.map((i) => q.choices[i]!.text), width), theme, pageSize: 12, loop: false }, context(ctx)));
        case 'multiple':
          return guard(checkbox({ message, choices: choiceList(item.choiceOrder.map((i) => q.choices[i]!.text), width), theme, pageSize: 12, loop: false }, context(ctx)));
        case 'boolean':
          return guard(select({ message, choices: [{ name: 'True', value: true }, { name: 'False', value: false }], theme, loop: false }, context(ctx)));
        case 'text': {
          const v = await guard(input({ message, theme, validate: (s: string) => s.length <= MAX_TEXT_ANSWER || `Keep it under ${MAX_TEXT_ANSWER} characters.` }, context(ctx)));
          return v.trim() === '' ? undefined : v.trim();
        }
        case 'number': {
          const v = await guard(input({ message, theme, validate: (s: string) => s.trim() === '' || parseNumber(s) !== undefined || 'Enter a number, such as 42 or 0.5.' }, context(ctx)));
          return parseNumber(v);
        }
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
