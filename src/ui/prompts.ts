// Every Inquirer call lives here. Ctrl-C inside a prompt (ExitPromptError) and an aborted signal
// (AbortPromptError) both become InterruptedError, handled once by the command that runs the quiz.
import { stripVTControlCharacters } from 'node:util';
import { createPrompt, isEnterKey, useKeypress } from '@inquirer/core';
import { checkbox, input, password, select } from '@inquirer/prompts';
import type { ChalkInstance } from 'chalk';
import type { Bank, Difficulty } from '../bank/types.js';
import { DIFFICULTIES, isTask } from '../bank/types.js';
import type { Answerer, AnswerRecord, Position } from '../engine/quiz.js';
import type { QuizItem } from '../engine/select.js';
import { MAX_TEXT_ANSWER, type Response } from '../engine/score.js';
import { InterruptedError, TimeUpError } from '../errors.js';
import { len, truncate } from '../report/format.js';
import { safeLine, safeText } from '../text.js';
import { header, outcomeMark, renderBody, renderFeedback } from '../report/text.js';
import { columns as textColumns, wrap } from '../report/wrap.js';
import { clock, liveMessage } from './countdown.js';
import { promptTheme, questionTheme } from './style.js';

export interface PromptContext {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
  paint: ChalkInstance;
  width?: number;
  /** The terminal's rows; a question taller than this is split (see questionPrompt). */
  rows?: number;
}

async function guard<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await p;
  } catch (e) {
    const name = (e as Error)?.name;
    // The sitting's clock withdraws the open question by aborting with a TimeUpError.
    if (name === 'AbortPromptError' && (signal?.reason instanceof TimeUpError || signal?.reason instanceof InterruptedError))
      throw signal.reason;
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
  // What is shown is made safe; the value stays the text itself, which is what the answer is graded on.
  return texts.map((text) => ({
    name: wrap(safeText(text), width - gutter - 1)
      .split('\n')
      .join(`\n${indent}`),
    value: text,
    short: safeLine(text),
  }));
}

/** The Inquirer prompt and config for one question; separate from asking so it can be rendered in tests. */
export type QuestionPrompt = (
  | { kind: 'select'; config: Parameters<typeof select<Response>>[0] }
  | { kind: 'checkbox'; config: Parameters<typeof checkbox<string>>[0] }
  | { kind: 'input'; config: Parameters<typeof input>[0]; parse: (s: string) => Response | undefined }
) & {
  /** Text written once above the prompt, for a question too tall to be redrawn whole. */
  before?: string;
};

/** Rows `text` takes on a terminal `cols` wide, counting the lines the terminal wraps. */
export function screenRows(text: string, cols: number): number {
  return text
    .split('\n')
    .reduce((n, line) => n + Math.max(1, Math.ceil(textColumns(stripVTControlCharacters(line)) / Math.max(1, cols))), 0);
}

/** Fewest choice rows worth showing: below this a page hides too much to choose from. */
const MIN_PAGE = 3;

/** The header line, with the time left and a notice in the last 5 minutes and the last minute. */
export function timedHeader(q: QuizItem['question'], at: Position, paint: ChalkInstance, nowMs: number): string {
  const head = paint.bold(header(q, at.index, at.total, at.adaptive));
  if (at.deadline === undefined) return head;
  const left = at.deadline - nowMs;
  const time = `${clock(left)} left`;
  // A notice is news only in a sitting longer than its threshold.
  const limit = at.limitMs ?? Infinity;
  if (left <= 60_000 && limit > 60_000)
    return `${head}${paint.bold(' · ')}${paint.red(paint.bold(time))}\n${paint.red('Less than a minute left: unanswered questions score nothing.')}`;
  if (left <= 5 * 60_000 && limit > 5 * 60_000)
    return `${head}${paint.bold(' · ')}${paint.yellow(paint.bold(time))}\n${paint.yellow('Less than 5 minutes left.')}`;
  return `${head}${paint.bold(' · ')}${left <= 60_000 ? paint.red(paint.bold(time)) : paint.bold(time)}`;
}

export function questionPrompt(
  item: QuizItem,
  at: Position,
  paint: ChalkInstance,
  columns = 80,
  now: () => number = Date.now,
  rows = Infinity,
): QuestionPrompt {
  const width = Math.min(columns, 80);
  const q = item.question;
  const hint =
    q.type === 'multiple'
      ? `\n${paint.dim('Select all that apply.')}`
      : q.type === 'text' || q.type === 'number'
        ? `\n${paint.dim('Leave empty to skip.')}`
        : '';
  const prompt = renderBody(q.prompt, paint, width - 2);
  const choiceTexts = 'choices' in q ? item.choiceOrder.map((i) => q.choices[i]!.text) : [];
  const choices = (gutter: number): { name: string; value: string; short: string }[] => choiceList(choiceTexts, width, gutter);
  // Inquirer redraws a prompt by moving the cursor up over its last render, which it cannot do
  // past the top of the screen: a prompt taller than the terminal leaves a partial copy in the
  // scrollback on every redraw (each key, each tick of the clock), and its header scrolls out of
  // sight. Such a question is written once above the prompt, and only the header, the hint and a
  // page of choices are redrawn. A timed header may grow a notice line, hence the one spare row.
  const headRows = screenRows(`? ${timedHeader(q, at, paint, now())}`, columns) + (at.deadline === undefined ? 0 : 1);
  const hintRows = hint ? 1 : 0;
  // The blank line and the key help under the choices, and one row for a validation message.
  const footRows = 1 + screenRows('↑↓ navigate • space select • a all • i invert • ⏎ submit', columns) + 1;
  const choiceRows = choices(3).reduce((n, c) => n + screenRows(`   ${c.name}`, columns), 0) || (q.type === 'boolean' ? 2 : 1);
  const tall = headRows + screenRows(prompt, columns) + hintRows + choiceRows + footRows >= rows;
  const body = tall ? (hint ? `${hint.slice(1)}\n` : '') : `${prompt}${hint}\n`;
  const pageSize = tall ? Math.max(MIN_PAGE, rows - 1 - headRows - hintRows - footRows) : 12;
  const messageAt = (ms: number): string => `${timedHeader(q, at, paint, ms)}\n${body}`;
  const message = messageAt(now());
  const base = questionTheme(paint);
  // With a time limit the header counts down live, at least once a second.
  const theme =
    at.deadline === undefined
      ? base
      : {
          ...base,
          style: { ...base.style, message: liveMessage(() => messageAt(now()), paint.bold(header(q, at.index, at.total, at.adaptive))) },
        };
  // Once answered, Inquirer echoes the answer after the message in one line, which a long choice
  // breaks mid-word at the terminal's edge; it is wrapped like the choices instead. A timed
  // question's message shrinks to its header once answered, so there the echo starts a line of its own.
  const echoLead = at.deadline === undefined ? '' : '\n ';
  // A blank line first: the header that tells where a question starts comes below its text.
  const before = tall ? { before: `\n${prompt}\n` } : {};
  switch (q.type) {
    case 'single':
      return {
        kind: 'select',
        ...before,
        config: {
          message,
          choices: choices(2).map((c) => ({
            ...c,
            short:
              echoLead +
              wrap(safeText(c.value), width - 2)
                .split('\n')
                .join('\n '),
          })),
          theme,
          pageSize,
          loop: false,
        },
      };
    case 'multiple': {
      const renderSelectedChoices = (picked: readonly { name: string }[]): string =>
        picked.length ? echoLead + picked.map((c) => `${theme.icon.checked} ${c.name}`).join('\n ') : '';
      return {
        kind: 'checkbox',
        ...before,
        config: {
          message,
          choices: choices(3),
          theme: { ...theme, style: { ...theme.style, renderSelectedChoices } },
          pageSize,
          loop: false,
        },
      };
    }
    case 'boolean':
      return {
        kind: 'select',
        ...before,
        config: {
          message,
          choices: [
            { name: 'True', value: true },
            { name: 'False', value: false },
          ],
          theme,
          loop: false,
        },
      };
    case 'text':
      return {
        kind: 'input',
        ...before,
        config: { message, theme, validate: (s: string) => s.length <= MAX_TEXT_ANSWER || `Keep it under ${MAX_TEXT_ANSWER} characters.` },
        parse: (s) => (s.trim() === '' ? undefined : s.trim()),
      };
    case 'number':
      return {
        kind: 'input',
        ...before,
        config: {
          message,
          theme,
          validate: (s: string) => s.trim() === '' || parseNumber(s) !== undefined || 'Enter a number, such as 42 or 0.5.',
        },
        parse: parseNumber,
      };
    case 'sql':
    case 'code':
      throw new Error('a task is asked by the task screen, not as a question prompt');
  }
}

/** Asks each question with the prompt that fits its type. */
export function interactiveAnswerer(ctx: PromptContext): Answerer {
  return {
    async ask(item, at): Promise<Response | undefined> {
      if (ctx.signal?.aborted) throw ctx.signal.reason instanceof InterruptedError ? ctx.signal.reason : new InterruptedError();
      const q = item.question;
      if (isTask(q)) {
        const { askTask } = await import('./task.js');
        return askTask(
          q,
          at,
          { ...ctx, env: process.env },
          (ms) => timedHeader(q, at, ctx.paint, ms),
          (p) => guard(p, ctx.signal),
          ctx.rows,
        );
      }
      const p = questionPrompt(item, at, ctx.paint, ctx.width, Date.now, ctx.rows);
      if (p.before) (ctx.output ?? process.stdout).write(p.before);
      switch (p.kind) {
        case 'select':
          return guard(select(p.config, context(ctx)), ctx.signal);
        case 'checkbox':
          return guard(checkbox(p.config, context(ctx)), ctx.signal);
        case 'input':
          return p.parse(await guard(input(p.config, context(ctx)), ctx.signal));
      }
    },
  };
}

/**
 * Immediate feedback after one answer, then a wait for Enter: the next question would otherwise
 * push the verdict and the explanation out of sight before they are read.
 */
export async function showFeedback(record: AnswerRecord, ctx: PromptContext, wait: 'next' | 'results' | 'none' = 'next'): Promise<void> {
  const out = ctx.output ?? process.stdout;
  const width = Math.min(ctx.width ?? 80, 80);
  out.write(
    `${outcomeMark(record.outcome, ctx.paint)}\n${renderFeedback(record.item.question, record.outcome, record.response, ctx.paint, record.item.choiceOrder, width)}\n\n`,
  );
  if (wait === 'none') return;
  const next = wait === 'results' ? 'Press Enter for the results.' : 'Press Enter for the next question.';
  await guard(pressEnter({ message: ctx.paint.dim(next) }, context(ctx)), ctx.signal);
  out.write('\n');
}

export type MenuAction = 'practice' | 'quiz' | 'task' | 'retry' | 'progress' | 'quit';

/**
 * The first question of a bare `backend-quiz`, asked again after each round: what to do. A
 * candidate with questions due lands on practice; one without (a first visit) on a quiz.
 */
export function menuPrompt(
  counts: { due: number; mistakes: number; tasks?: number },
  paint: ChalkInstance,
): Parameters<typeof select<MenuAction>>[0] {
  const theme = promptTheme(paint);
  return {
    message: 'What would you like to do?',
    choices: [
      {
        name: `Practice (${counts.due} due)`,
        value: 'practice',
        description: 'Questions due for review first, then new ones, with feedback after each.',
      },
      { name: 'Quiz', value: 'quiz', description: 'Pick topics, a number of questions and difficulties; review at the end.' },
      // Offered only where the banks hold tasks: an entry that can never be chosen is noise.
      ...(counts.tasks
        ? [
            {
              name: 'Hands-on task (SQL or code)',
              value: 'task' as const,
              description: 'Write a query or a function, run it against tests, then submit it.',
            },
          ]
        : []),
      {
        name: counts.mistakes ? `Retry mistakes (${counts.mistakes})` : 'Retry mistakes',
        value: 'retry',
        description: 'The questions whose latest answer was not right.',
        disabled: counts.mistakes ? false : '(none yet)',
      },
      { name: 'Progress', value: 'progress', description: 'Share right per topic and week, and what is due.' },
      { name: 'Quit', value: 'quit', description: 'Leave; your answers and schedule are saved.' },
    ],
    default: counts.due > 0 ? 'practice' : 'quiz',
    // The menu comes back after each round, so it says how to leave it.
    theme: {
      ...theme,
      style: {
        ...theme.style,
        keysHelpTip: (keys: [string, string][]) => `${theme.style.keysHelpTip(keys)}\n${paint.dim('Ctrl-C or Quit to leave.')}`,
      },
    },
    loop: false,
  };
}

export async function mainMenu(counts: { due: number; mistakes: number; tasks?: number }, ctx: PromptContext): Promise<MenuAction> {
  return guard(select(menuPrompt(counts, ctx.paint), context(ctx)));
}

export interface MenuChoice {
  topics: string[];
  count: number;
  difficulties: Difficulty[];
}

/** One line a topic in the picker: the title gives way, never the id a command line would use. */
export function topicChoices(banks: readonly Bank[], paint: ChalkInstance, width: number) {
  return banks.map((b) => {
    const tail = `(${safeLine(b.id)}, ${b.questions.length})`;
    // "❯◯ " before it and a column to spare at the edge.
    const title = truncate(safeLine(b.title), Math.max(8, width - 4 - len(tail) - 1));
    return { name: `${title} ${paint.dim(tail)}`, value: b.id, short: b.id };
  });
}

/** Topics to draw from, each listed with how many of what is drawn it holds. */
async function pickTopics(banks: readonly Bank[], ctx: PromptContext): Promise<string[]> {
  return guard(
    checkbox(
      {
        message: 'Which topics? (space to pick, enter to go on)',
        choices: topicChoices(banks, ctx.paint, ctx.width ?? 80),
        required: true,
        theme: promptTheme(ctx.paint),
        // The message, the key help and a line to spare stay on screen.
        pageSize: Math.max(MIN_PAGE, Math.min(12, (ctx.rows ?? 24) - 4)),
        loop: false,
      },
      context(ctx),
    ),
  );
}

async function askCount(what: string, first: number, most: number, ctx: PromptContext): Promise<number> {
  const count = await guard(
    input(
      {
        message: `How many ${what}?`,
        default: String(first),
        theme: promptTheme(ctx.paint),
        validate: (s: string) =>
          (/^\s*\d+\s*$/.test(s) && Number(s) >= 1 && Number(s) <= most) || `Enter a whole number from 1 to ${most}.`,
      },
      context(ctx),
    ),
  );
  return Number(count);
}

/** Each bank with only its questions, or only its tasks; banks left with none are dropped. */
function banksOf(banks: readonly Bank[], tasks: boolean): Bank[] {
  return banks.map((b) => ({ ...b, questions: b.questions.filter((q) => isTask(q) === tasks) })).filter((b) => b.questions.length > 0);
}

/** The start menu of a bare `backend-quiz` in a terminal. */
export async function startMenu(banks: readonly Bank[], ctx: PromptContext): Promise<MenuChoice> {
  const topics = await pickTopics(banksOf(banks, false), ctx);
  const count = await askCount('questions', 10, 500, ctx);
  const difficulties = await guard(
    checkbox(
      {
        message: 'Which difficulties?',
        choices: DIFFICULTIES.map((d) => ({ name: d, value: d, checked: true })),
        required: true,
        theme: promptTheme(ctx.paint),
      },
      context(ctx),
    ),
  );
  return { topics, count, difficulties };
}

/** The menu's hands-on task: which topics (those with tasks) and how many. */
export async function taskMenu(banks: readonly Bank[], ctx: PromptContext): Promise<{ topics: string[]; count: number }> {
  const topics = await pickTopics(banksOf(banks, true), ctx);
  return { topics, count: await askCount('tasks', 1, 50, ctx) };
}

/** Waits for Enter: the candidate starts the clock when ready. */
const pressEnter = createPrompt<void, { message: string }>((config, done) => {
  useKeypress((key) => {
    if (isEnterKey(key)) done();
  });
  return config.message;
});

export interface Briefing {
  title: string;
  instructions: string;
  questions: number;
  timeLimitMs: number | null;
  /** For a resumed sitting: how far it got and the time left. */
  resume?: { answered: number; leftMs: number | null };
  /** Ask for the candidate's name, with this default, when none was given. */
  askName?: string;
  /** An adaptive sitting: `questions` is the most it asks. */
  adaptive?: boolean;
}

/** What every briefing says first: the title, the instructions, how many questions and the time limit. */
function briefingFacts(b: Briefing, p: ChalkInstance, width: number): string[] {
  const lines = [p.bold(safeLine(b.title)), ''];
  if (b.instructions) lines.push(renderBody(b.instructions, p, width), '');
  const limit = b.timeLimitMs === null ? 'no time limit' : `a time limit of ${clock(b.timeLimitMs)}`;
  const size = b.adaptive
    ? `An adaptive sitting of up to ${b.questions} questions`
    : `${b.questions} question${b.questions === 1 ? '' : 's'}`;
  lines.push(wrap(`${size}, ${limit}.`, width));
  return lines;
}

/** The screen before the first question: instructions, size, time limit, resume rules, Enter to start. */
export async function briefing(b: Briefing, ctx: PromptContext): Promise<{ candidate?: string }> {
  const out = ctx.output ?? process.stdout;
  const p = ctx.paint;
  const width = Math.min(ctx.width ?? 80, 80);
  const lines = briefingFacts(b, p, width);
  if (b.resume) {
    const left = b.resume.leftMs === null ? '' : ` ${clock(b.resume.leftMs)} left.`;
    lines.push(
      wrap(`Resuming: ${b.resume.answered} of ${b.questions} answered; you continue at question ${b.resume.answered + 1}.${left}`, width),
    );
  } else if (b.timeLimitMs !== null) {
    lines.push(
      p.dim(
        wrap(
          'The clock starts when you press Enter and runs on wall time: if you stop (Ctrl-C, a closed terminal), time away still counts. Resume with `backend-quiz take --resume`. When time runs out, the open question and the rest count as unanswered.',
          width,
        ),
      ),
    );
  } else {
    lines.push(p.dim(wrap('If you stop (Ctrl-C, a closed terminal), resume with `backend-quiz take --resume`.', width)));
  }
  out.write(`${lines.join('\n')}\n\n`);
  const candidate = b.askName === undefined ? undefined : await askName(b.askName, ctx);
  await guard(pressEnter({ message: p.bold(`Press Enter to ${b.resume ? 'continue' : 'start'}.`) }, context(ctx)), ctx.signal);
  return candidate === undefined ? {} : { candidate };
}

/** The candidate's name for the result, before an assessment starts. */
async function askName(suggested: string, ctx: PromptContext): Promise<string> {
  const answer = await guard(
    input(
      {
        message: 'Your name (as the interviewer should see it):',
        default: suggested,
        theme: promptTheme(ctx.paint),
        validate: (s: string) => (s.trim().length > 0 && s.length <= 100) || 'Enter a name of up to 100 characters.',
      },
      context(ctx),
    ),
    ctx.signal,
  );
  return answer.trim();
}

/**
 * The briefing of a pack locked with a start code: the same facts as `briefing`, then the code,
 * which starts the clock by opening the questions. The code is masked and never printed.
 */
export async function startCodePrompt(b: Briefing, ctx: PromptContext): Promise<{ candidate?: string; code: string }> {
  const out = ctx.output ?? process.stdout;
  const p = ctx.paint;
  const width = Math.min(ctx.width ?? 80, 80);
  const lines = briefingFacts(b, p, width);
  lines.push(
    p.dim(
      wrap(
        `The questions are locked until you enter the start code your interviewer gives you.${b.timeLimitMs === null ? '' : ' The clock starts when the code opens them and runs on wall time: if you stop (Ctrl-C, a closed terminal), time away still counts. Resume with `backend-quiz take --resume`.'}`,
        width,
      ),
    ),
  );
  out.write(`${lines.join('\n')}\n\n`);
  const candidate = b.askName === undefined ? undefined : await askName(b.askName, ctx);
  const code = await guard(
    password(
      {
        message: 'Start code:',
        mask: '*',
        theme: promptTheme(p),
        validate: (s: string) => s.trim().length > 0 || 'Enter the code your interviewer gives you.',
      },
      context(ctx),
    ),
    ctx.signal,
  );
  return candidate === undefined ? { code } : { candidate, code };
}
