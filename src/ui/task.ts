// The task screen: a hands-on task (write SQL or code) shown once above a small action menu —
// Edit, Run, Submit, Skip — that is the only thing Inquirer redraws, so a tall task never floods
// the scrollback. The answer is written in the candidate's editor, or typed line by line.
import { createPrompt, isEnterKey, useKeypress, useState } from '@inquirer/core';
import { editor, select } from '@inquirer/prompts';
import type { ChalkInstance } from 'chalk';
import type { CodeTask, CodeTest, ResultSet, SqlTask, Task } from '../bank/types.js';
import type { Position } from '../engine/quiz.js';
import type { TaskResponse } from '../engine/score.js';
import { TimeUpError } from '../errors.js';
import { header, renderBody } from '../report/text.js';
import { columns, wrap, wrapCode } from '../report/wrap.js';
import { safeLine, safeText } from '../text.js';
import type { TaskRun, TestRun } from '../tasks/index.js';
import { liveMessage } from './countdown.js';
import { questionTheme } from './style.js';

export interface SqlTableView {
  name: string;
  columns: { name: string; type: string }[];
  rows: ResultSet;
}

/** Rows of a data table shown on the task screen; the rest are counted, not drawn. */
const MAX_ROWS = 8;

/** Cuts `s` to `width` terminal columns, ending in … when cut. */
export function cut(s: string, width: number): string {
  if (columns(s) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (columns(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** A cell as one safe line: NULL stands out from the text 'NULL' by being dimmed by the caller. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return safeLine(v.replace(/\s+/g, ' '));
  return safeLine(typeof v === 'object' ? JSON.stringify(v) : String(v));
}

/**
 * A result set as a text table no wider than `width`: the widest columns give way first (to no
 * less than 3 columns each, cut with …); columns that still do not fit are left out and a last
 * "…" column says so. `mark` flags a row (the first difference) with ›.
 */
export function renderTable(rs: ResultSet, width: number, paint: ChalkInstance, opts: { mark?: number; maxRows?: number } = {}): string[] {
  const maxRows = opts.maxRows ?? MAX_ROWS;
  const shown = rs.rows.slice(0, maxRows);
  const head = rs.columns.map((c) => safeLine(c));
  const cells = shown.map((r) => rs.columns.map((_, i) => cellText(r[i])));
  const gutter = 2; // the row mark and a space
  let widths = head.map((h, i) => Math.max(columns(h), ...cells.map((r) => columns(r[i]!)), 1));
  const total = (ws: number[]): number => gutter + ws.reduce((n, w) => n + w, 0) + 3 * Math.max(0, ws.length - 1);
  while (total(widths) > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 3) break;
    widths[widest]!--;
  }
  let dropped = false;
  while (widths.length > 1 && total(widths) + (dropped ? 4 : 0) > width) {
    widths = widths.slice(0, -1);
    dropped = true;
  }
  const line = (vals: string[], raw?: unknown[]): string =>
    widths
      .map((w, i) => {
        const v = cut(vals[i]!, w);
        const padded = v + ' '.repeat(Math.max(0, w - columns(v)));
        return raw && (raw[i] === null || raw[i] === undefined) ? paint.dim(padded) : padded;
      })
      .join(paint.dim(' │ ')) + (dropped ? paint.dim(' │ …') : '');
  const out = [`  ${paint.bold(line(head))}`, `  ${paint.dim(widths.map((w) => '─'.repeat(w)).join('─┼─') + (dropped ? '─┼──' : ''))}`];
  shown.forEach((r, i) => {
    const marked = opts.mark === i;
    const text = `${marked ? paint.red('›') : ' '} ${line(cells[i]!, r)}`;
    out.push(marked ? paint.red(text) : text);
  });
  if (rs.rows.length > shown.length)
    out.push(paint.dim(`  … ${rs.rows.length - shown.length} more row${rs.rows.length - shown.length === 1 ? '' : 's'}`));
  if (rs.rows.length === 0) out.push(paint.dim('  (no rows)'));
  return out.map((l) => (columns(l.replace(/\u001b\[[0-9;]*m/g, '')) > width ? cut(l, width) : l));
}

/** The line of the starter that declares the function or class under test: what the candidate implements. */
export function signatureOf(task: CodeTask): string {
  const name = task.function.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const decl = new RegExp(
    `^\\s*(export\\s+)?(async\\s+)?(function\\s*\\*?\\s*${name}\\b|class\\s+${name}\\b|(const|let|var)\\s+${name}\\b)`,
  );
  const line = task.starter.split('\n').find((l) => decl.test(l));
  return (line ?? `${task.function}(…)`).trim().replace(/\s*\{\s*$/, '');
}

/** A test as the candidate reads it: `fn(args) → expected`, or its name. */
export function testCall(task: CodeTask, t: CodeTest): string {
  if (t.args)
    return `${task.function}(${t.args.map((a) => JSON.stringify(a) ?? 'undefined').join(', ')}) → ${JSON.stringify(t.expect) ?? 'undefined'}`;
  return t.name;
}

/** Code shown as code: indented, long lines broken at a space (a token wider than the line is cut). */
function codeBlock(code: string, width: number, paint: ChalkInstance, indent = '    '): string[] {
  return wrapCode(safeText(code.replace(/\s+$/, '')), width, indent)
    .split('\n')
    .map((l) => paint.cyan(cut(l, width)));
}

/** The task screen, written once above the action menu. `tables` comes from the SQL engine (sqlTables). */
export function renderTask(task: Task, paint: ChalkInstance, width: number, tables?: readonly SqlTableView[]): string {
  const w = Math.max(20, width - 1);
  const out: string[] = [renderBody(task.prompt, paint, Math.min(w, 80) - 2), ''];
  if (task.type === 'sql') {
    out.push(paint.bold(`Tables${task.dialect === 'postgres' ? ' (PostgreSQL)' : ' (SQLite)'}`));
    if (tables) {
      for (const t of tables) {
        const cols = t.columns.map((c) => `${safeLine(c.name)} ${paint.dim(safeLine(c.type || 'ANY'))}`).join(', ');
        out.push('', wrap(`${paint.bold(safeLine(t.name))} (${cols})`, w), ...renderTable(t.rows, w, paint));
      }
    } else {
      // Without the engine's view of the tables, the statements themselves say what there is.
      out.push(...codeBlock(task.schema, w, paint), '', paint.bold('Sample data'), ...codeBlock(task.data, w, paint));
    }
  } else {
    out.push(paint.bold('Implement'), ...codeBlock(signatureOf(task), w, paint), '');
    out.push(paint.bold(`Visible tests (${task.tests.length})`));
    for (const t of task.tests) {
      if (t.args) out.push(cut(`  • ${safeLine(testCall(task, t))}`, w));
      else out.push(cut(`  • ${safeLine(t.name)}`, w), ...codeBlock(t.assert ?? '', w, paint, '      '));
    }
  }
  return out.join('\n');
}

/** `line 3, col 7` with the line of the answer and a caret under the column. */
function errorLines(e: NonNullable<TestRun['error']>, answer: string, paint: ChalkInstance, width: number): string[] {
  const where = e.line !== undefined ? ` (line ${e.line}${e.col !== undefined ? `, col ${e.col}` : ''})` : '';
  const out = [paint.red(wrap(safeText(`${e.message.replace(/\s+/g, ' ').trim()}${where}`), width, '    '))];
  const src = e.line !== undefined ? answer.split('\n')[e.line - 1] : undefined;
  if (src !== undefined) {
    out.push(paint.cyan(cut(`    ${e.line} | ${safeLine(src)}`, width)));
    if (e.col !== undefined && e.col >= 1) out.push(paint.red(`    ${' '.repeat(String(e.line).length)} | ${' '.repeat(e.col - 1)}^`));
  }
  return out;
}

function isRows(v: TestRun['got']): v is ResultSet {
  return v !== undefined && 'rows' in v;
}

/** A Run: each visible test passed or failed; SQL rows beside (or above) the expected rows, the first difference marked. */
export function renderRun(task: Task, answer: string, run: TaskRun, paint: ChalkInstance, width: number): string {
  const w = Math.max(20, width - 1);
  const passed = run.tests.filter((t) => t.passed).length;
  const out: string[] = [paint.bold(`Run: ${passed} of ${run.tests.length} visible test${run.tests.length === 1 ? '' : 's'} passed`)];
  for (const t of run.tests) {
    out.push(t.passed ? paint.green(cut(`  ✔ ${safeLine(t.name)}`, w)) : paint.red(cut(`  ✘ ${safeLine(t.name)}`, w)));
    const values =
      !t.passed && t.got && t.expected && !isRows(t.got) && !isRows(t.expected) ? { got: t.got, expected: t.expected } : undefined;
    if (t.error) out.push(...errorLines(t.error, answer, paint, w));
    else if (values)
      out.push(cut(`    got      ${safeLine(values.got.value)}`, w), cut(`    expected ${safeLine(values.expected.value)}`, w));
    else if (!t.passed && t.reason) out.push(paint.red(wrap(safeText(t.reason), w, '    ')));
    if (task.type === 'sql' && isRows(t.got) && isRows(t.expected) && !t.passed) {
      out.push(...sideBySide(t.got, t.expected, marks(task, t.got, t.expected, t.firstDifference?.row), paint, w));
    }
  }
  return out.join('\n');
}

/** Your rows and the expected rows: beside each other where the terminal is wide enough, else one above the other. */
function sideBySide(
  got: ResultSet,
  expected: ResultSet,
  mark: { got?: number; expected?: number },
  paint: ChalkInstance,
  width: number,
): string[] {
  const opts = { mark: mark.got, maxRows: MAX_ROWS };
  const expOpts = { mark: mark.expected, maxRows: MAX_ROWS };
  const half = Math.floor((width - 3) / 2);
  const fits = (rs: ResultSet): boolean => renderTable(rs, Infinity, paint).every((l) => columns(strip(l)) <= half);
  if (width >= 50 && fits(got) && fits(expected)) {
    const left = [paint.bold('  Your rows'), ...renderTable(got, half, paint, opts)];
    const right = [paint.bold('  Expected'), ...renderTable(expected, half, paint, expOpts)];
    const rows = Math.max(left.length, right.length);
    return Array.from({ length: rows }, (_, i) => {
      const l = left[i] ?? '';
      return `${l}${' '.repeat(Math.max(0, half - columns(strip(l))))}   ${right[i] ?? ''}`.replace(/\s+$/, '');
    });
  }
  return [
    paint.bold('  Your rows'),
    ...renderTable(got, width, paint, opts),
    paint.bold('  Expected'),
    ...renderTable(expected, width, paint, expOpts),
  ];
}

/**
 * The rows to mark. In order, the engine's first differing row is the same place on both sides;
 * as a multiset, its row is one of yours without a partner, and the expected side's mark is its
 * first row that none of yours equals.
 */
function marks(task: Task, got: ResultSet, expected: ResultSet, row: number | undefined): { got?: number; expected?: number } {
  if (task.type === 'sql' && task.compare.order) return { got: row, expected: row };
  const left = new Map<string, number>();
  for (const r of got.rows) left.set(JSON.stringify(r), (left.get(JSON.stringify(r)) ?? 0) + 1);
  const missing = expected.rows.findIndex((r) => {
    const k = JSON.stringify(r);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1);
    return n === 0;
  });
  return { got: row, expected: missing >= 0 ? missing : undefined };
}

const strip = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

// ---- answering ----------------------------------------------------------------------------

export type TaskAction = 'edit' | 'run' | 'submit' | 'skip';

export interface TaskIo {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
  paint: ChalkInstance;
  width?: number;
  env?: NodeJS.ProcessEnv;
  /** Runs the visible tests; the engines' runTask by default. */
  run?: (task: Task, answer: string) => Promise<TaskRun>;
  /** The SQL tables of the task screen; the engines' sqlTables by default. */
  tables?: (task: SqlTask) => Promise<SqlTableView[]>;
  now?: () => number;
}

/** Whether the candidate has an editor to write in: $VISUAL, then $EDITOR. */
export function editorOf(env: NodeJS.ProcessEnv): string | undefined {
  return [env.VISUAL, env.EDITOR].find((e) => e !== undefined && e.trim() !== '');
}

/**
 * Typing an answer without an editor: lines typed one by one, ended by a line holding only ".".
 * Not Ctrl-D: on an empty line it closes the terminal's input, which stops the sitting. Only the
 * last lines are redrawn, so a long answer does not flood the screen.
 */
const multiLine = createPrompt<string, { message: string; rows: number; paint: ChalkInstance }>((config, done) => {
  const [lines, setLines] = useState<string[]>([]);
  const [value, setValue] = useState('');
  const [finished, setFinished] = useState(false);
  useKeypress((key, rl) => {
    if (finished) return;
    if (isEnterKey(key)) {
      if (value === '.') {
        setFinished(true);
        done(lines.join('\n'));
      } else {
        setLines([...lines, value]);
        setValue('');
      }
    } else setValue(rl.line);
  });
  if (finished) return `${config.message.split('\n')[0]} ${config.paint.dim(`(${lines.length} line${lines.length === 1 ? '' : 's'})`)}`;
  const room = Math.max(3, config.rows - 3 - config.message.split('\n').length);
  const shown = lines.slice(-room);
  const above = lines.length - shown.length;
  return [
    config.message,
    ...(above ? [config.paint.dim(`  … ${above} line${above === 1 ? '' : 's'} above`)] : []),
    ...shown.map((l) => `  ${safeLine(l)}`),
    `  ${safeLine(value)}`,
  ].join('\n');
});

function starterOf(task: Task): string {
  return task.starter ?? '';
}

/**
 * Asks one task: the screen once, then the action menu until Submit or Skip. The draft is saved
 * on every edit and run; when the clock withdraws the task, the latest draft is submitted.
 */
export async function askTask(
  task: Task,
  at: Position,
  io: TaskIo,
  heading: (nowMs: number) => string,
  guard: <T>(p: Promise<T>) => Promise<T>,
  rows = 24,
): Promise<TaskResponse | undefined> {
  const out = io.output ?? process.stdout;
  const p = io.paint;
  const width = io.width ?? 80;
  const now = io.now ?? Date.now;
  const env = io.env ?? process.env;
  const ctx = { input: io.input, output: io.output, signal: io.signal };
  const stored = at.draft?.load();
  let draft = stored?.answer ?? starterOf(task);
  let runs = stored?.runs ?? 0;
  let touched = stored !== undefined;
  const save = (): void => at.draft?.save({ answer: draft, runs });

  let tables: SqlTableView[] | undefined;
  if (task.type === 'sql') {
    try {
      tables = await (io.tables ?? (async (t: SqlTask) => (await import('../tasks/index.js')).sqlTables(t)))(task);
    } catch {
      tables = undefined;
    }
  }
  out.write(`\n${p.bold(header(task, at.index, at.total, at.adaptive))}\n${renderTask(task, p, width, tables)}\n\n`);
  const ed = editorOf(env);
  out.write(
    p.dim(
      wrap(
        ed
          ? `Edit opens ${safeLine(ed.split(/\s+/)[0]!)} with ${stored ? 'your draft' : 'the starter'}; save and close it to come back. Run tries the visible tests; Submit hands the answer in.`
          : 'No $EDITOR is set, so Edit takes the answer here: type it line by line and end with a line holding only a ".". Run tries the visible tests; Submit hands the answer in.',
        Math.min(width, 80) - 1,
      ),
    ) + '\n',
  );
  if (stored) out.write(`${p.yellow(`Your draft is restored (${lineCount(draft)}, ${runs} run${runs === 1 ? '' : 's'}).`)}\n`);

  const timeUp = (): TaskResponse | undefined => {
    if (!touched || draft.trim() === '') return undefined;
    out.write(`\n${p.yellow('Time is up: your latest draft is submitted.')}\n`);
    return { answer: draft, runs };
  };

  try {
    for (;;) {
      const action = await guard(select<TaskAction>(menuConfig(task, heading, p, now, touched, runs, at), ctx));
      if (action === 'skip') return undefined;
      if (action === 'submit') return { answer: draft, runs };
      if (action === 'edit') {
        if (!ed && draft.trim() !== '')
          out.write(
            `${p.dim('Your draft so far (type the whole answer to replace it):')}\n${codeBlock(draft, width - 1, p, '  ').join('\n')}\n`,
          );
        const typed = ed
          ? await guard(
              editor(
                {
                  message: 'Your answer',
                  default: draft,
                  postfix: task.type === 'sql' ? '.sql' : task.type === 'code' && task.language === 'typescript' ? '.ts' : '.js',
                  waitForUserInput: false,
                  theme: questionTheme(p),
                },
                ctx,
              ),
            )
          : await guard(
              multiLine(
                {
                  message: `${p.bold('Your answer')}\n${p.dim(wrap('End with a line holding only "."; nothing typed keeps the draft.', Math.min(width, 80) - 1))}`,
                  rows,
                  paint: p,
                },
                ctx,
              ),
            );
        if (ed || typed.trim() !== '') {
          draft = typed.replace(/\r\n/g, '\n');
          touched = true;
          save();
        }
        if (!ed && typed.trim() === '') out.write(`${p.dim('Nothing typed: the draft is unchanged.')}\n`);
        continue;
      }
      // Run
      runs++;
      touched = true;
      save();
      const result = await withSpinner(out, p, () => (io.run ?? defaultRun)(task, draft));
      out.write(`${renderRun(task, draft, result, p, width)}\n`);
    }
  } catch (e) {
    if (e instanceof TimeUpError) {
      const r = timeUp();
      if (r) return r;
    }
    throw e;
  }
}

async function defaultRun(task: Task, answer: string): Promise<TaskRun> {
  const { runTask } = await import('../tasks/index.js');
  return runTask(task, answer, { hidden: false });
}

function lineCount(s: string): string {
  const n = s === '' ? 0 : s.split('\n').length;
  return `${n} line${n === 1 ? '' : 's'}`;
}

/** A spinner only once a run takes longer than a moment: most runs finish before it would show. */
async function withSpinner<T>(out: NodeJS.WritableStream, paint: ChalkInstance, work: () => Promise<T>): Promise<T> {
  const stream = out as NodeJS.WritableStream & { isTTY?: boolean };
  let finished = false;
  let stop = (): void => {};
  const timer = setTimeout(() => {
    void import('./spinner.js').then(({ progress }) => {
      // The run may have ended while the module loaded.
      if (finished) return;
      const s = progress(stream, 'Running the visible tests…', { colour: paint.level > 0, env: process.env });
      stop = () => s.stop();
    });
  }, 300);
  try {
    return await work();
  } finally {
    finished = true;
    clearTimeout(timer);
    stop();
  }
}

function menuConfig(
  task: Task,
  heading: (nowMs: number) => string,
  p: ChalkInstance,
  now: () => number,
  touched: boolean,
  runs: number,
  at: Position,
): Parameters<typeof select<TaskAction>>[0] {
  const base = questionTheme(p);
  const status = `${p.dim(runs ? `${runs} run${runs === 1 ? '' : 's'}` : 'not run yet')}`;
  const messageAt = (ms: number): string => `${heading(ms)} ${p.dim('·')} ${status}`;
  // Once chosen, the menu leaves one short line behind (header and action), which fits 60 columns.
  const done = p.bold(header(task, at.index, at.total, at.adaptive));
  const theme =
    at.deadline === undefined
      ? { ...base, style: { ...base.style, message: (text: string, state: string) => (state === 'done' ? done : text) } }
      : { ...base, style: { ...base.style, message: liveMessage(() => messageAt(now()), done) } };
  return {
    message: messageAt(now()),
    choices: [
      { name: touched ? 'Edit' : 'Write your answer', value: 'edit', short: 'Edit' },
      { name: 'Run the visible tests', value: 'run', short: 'Run' },
      { name: 'Submit', value: 'submit', short: 'Submit' },
      { name: 'Skip (leave it unanswered)', value: 'skip', short: 'Skip' },
    ],
    default: touched ? 'run' : 'edit',
    theme,
    loop: false,
  };
}
