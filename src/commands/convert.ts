// convert: foreign question files (GIFT, Aiken, Moodle XML, Markdown) into a bank, and banks
// out to GIFT, Moodle XML, QTI 2.1 and Markdown. The interop modules are pure; this file reads,
// chooses the formats, reports what happened and writes the result.
import path from 'node:path';
import { readTextFile } from '../files.js';
import { writeFileAtomic } from '../files.js';
import { loadAllBanks, loadBankFiles } from '../bank/load.js';
import { ID_PATTERN, MAX_BANK_BYTES, parseBank } from '../bank/parse.js';
import { formatProblem, type Bank, type Difficulty } from '../bank/types.js';
import { EXIT, UserError } from '../errors.js';
import {
  Findings,
  draftsToBank,
  idFrom,
  isDifficulty,
  tally,
  type Finding,
  type FindingKind,
  type ImportFormat,
  type ImportResult,
} from '../interop/common.js';
import { safeLine } from '../text.js';
import { MAX_PROBLEMS, omittedLine } from '../yaml.js';
import { colourEnabled, makePaint } from '../ui/style.js';
import { resolveContext, type CommonOptions, type Context } from './context.js';

export const INPUT_FORMATS = ['gift', 'aiken', 'moodle-xml', 'md', 'yaml'] as const;
export const OUTPUT_FORMATS = ['yaml', 'gift', 'moodle-xml', 'qti', 'md'] as const;
type InputFormat = (typeof INPUT_FORMATS)[number];
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Moodle exports with embedded images can be large; anything past this is not a question file. */
export const MAX_INPUT_BYTES = 20 * 1024 * 1024;

export interface ConvertOptions extends CommonOptions {
  from?: string;
  to?: string;
  output?: string;
  /** Export this bank (built-in or from --banks) instead of a file. */
  topic?: string;
  /** The id of the bank made from a foreign file. */
  bank?: string;
  /** The level of imported questions whose source gives none. */
  difficulty?: string;
}

const NAMES: Record<InputFormat | OutputFormat, string> = {
  gift: 'GIFT',
  aiken: 'Aiken',
  'moodle-xml': 'Moodle XML',
  md: 'Markdown',
  yaml: 'bank YAML',
  qti: 'QTI 2.1',
};
const INPUT_BY_EXTENSION: Record<string, InputFormat> = {
  '.gift': 'gift',
  '.aiken': 'aiken',
  '.xml': 'moodle-xml',
  '.md': 'md',
  '.markdown': 'md',
  '.yaml': 'yaml',
  '.yml': 'yaml',
};
const OUTPUT_BY_EXTENSION: Record<string, OutputFormat> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.gift': 'gift',
  '.txt': 'gift',
  '.xml': 'moodle-xml',
  '.zip': 'qti',
  '.md': 'md',
  '.markdown': 'md',
};

/** Moodle saves both GIFT and Aiken as .txt: an `ANSWER: B` line tells Aiken apart. */
function sniffTxt(text: string): InputFormat {
  return /^[ \t]*ANSWER\s*:\s*[A-Z]\s*$/m.test(text) && !/(?<!\\)\{/.test(text) ? 'aiken' : 'gift';
}

function choose<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UserError(`${flag} takes ${allowed.join(', ')}; got '${safeLine(value)}'`);
  return value as T;
}

async function parse(format: ImportFormat, text: string, file: string): Promise<ImportResult> {
  switch (format) {
    case 'gift':
      return (await import('../interop/gift.js')).parseGift(text, file);
    case 'aiken':
      return (await import('../interop/aiken.js')).parseAiken(text, file);
    case 'moodle-xml':
      return (await import('../interop/moodle-xml.js')).parseMoodleXml(text, file);
    case 'md':
      return (await import('../interop/markdown.js')).parseMarkdown(text, file);
  }
}

async function render(format: OutputFormat, bank: Bank, notes: string[]): Promise<string | Buffer> {
  switch (format) {
    case 'yaml':
      return (await import('../bank/write.js')).renderBankYaml(bank);
    case 'gift':
      return (await import('../interop/gift.js')).renderGift(bank, notes);
    case 'moodle-xml':
      return (await import('../interop/moodle-xml.js')).renderMoodleXml(bank, notes);
    case 'md':
      return (await import('../interop/markdown.js')).renderMarkdown(bank, notes);
    case 'qti':
      return (await import('../interop/qti.js')).renderQti(bank, notes);
  }
}

/** The first MAX_PROBLEMS findings of each kind, in source order, then a count of the rest. */
function printFindings(ctx: Context, file: string, findings: readonly Finding[], n: Record<FindingKind, number>): number {
  const order = { error: 0, unsupported: 1, note: 2 };
  const sorted = [...findings].sort((a, b) => a.line - b.line || a.col - b.col || order[a.kind] - order[b.kind]);
  const shown = { error: 0, unsupported: 0, note: 0 };
  for (const x of sorted) {
    if (shown[x.kind] >= MAX_PROBLEMS && !x.stop) continue;
    shown[x.kind]++;
    const line = formatProblem({ ...x, message: x.kind === 'note' ? `note: ${x.message}` : x.message });
    ctx.stderr.write(
      `${x.kind === 'error' ? ctx.paint.red(line) : x.kind === 'unsupported' ? ctx.paint.yellow(line) : ctx.paint.dim(line)}\n`,
    );
  }
  const more = (kind: FindingKind): number => n[kind] - shown[kind];
  if (more('error')) ctx.stderr.write(`${ctx.paint.red(omittedLine(file, more('error')))}\n`);
  const others = [
    more('unsupported') ? `${more('unsupported')} more not supported` : '',
    more('note') ? plural(more('note'), 'more note') : '',
  ].filter(Boolean);
  if (others.length) ctx.stderr.write(`${ctx.paint.dim(`... and ${others.join(' and ')} in ${safeLine(file)}`)}\n`);
  return shown.error;
}

/**
 * What convert writes as a bank passes `validate`: the whole file goes through the same checks
 * before it is written (each question was checked alone; together they may be too large).
 */
function checkBank(file: string, output: string): void {
  const bytes = Buffer.byteLength(output);
  if (bytes > MAX_BANK_BYTES)
    throw new UserError(
      `${file}: the bank would be ${(bytes / 1048576).toFixed(1)} MB, and a bank may be at most ${MAX_BANK_BYTES / 1048576} MB; nothing was written. Split ${safeLine(file)} into smaller files and convert each.`,
    );
  const { problems, omitted } = parseBank(output, file);
  if (problems.length)
    throw new UserError(
      [
        ...problems.map((p) => formatProblem({ ...p, file: `${file} (as a bank)` })),
        ...(omitted ? [omittedLine(`${file} (as a bank)`, omitted)] : []),
        `${file}: the bank made from it would not pass 'backend-quiz validate'; nothing was written. Split ${safeLine(file)} into smaller files and convert each.`,
      ].join('\n'),
    );
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A foreign file → a bank; errors in the file stop here (exit 2) with every one listed. */
async function importFile(
  ctx: Context,
  file: string,
  format: ImportFormat,
  text: string,
  opts: ConvertOptions,
  difficulty: Difficulty,
): Promise<{ bank: Bank; summary: string }> {
  const result = await parse(format, text, file);
  const f = new Findings(file);
  const base = path.basename(file).replace(/\.[^.]*$/, '');
  const bankId = opts.bank ?? (idFrom(result.bankName ?? '') || idFrom(base) || 'imported');
  const bank = draftsToBank(result.drafts, { bankId, title: result.title || result.bankName || base || bankId, difficulty, file }, f);
  const findings = [...result.findings, ...f.list];
  const n = tally(result.counts, f.counts);
  const shown = printFindings(ctx, file, findings, n);
  if (n.error) {
    throw new UserError(
      `${file}: ${plural(n.error, 'problem')} (${shown < n.error ? `the first ${shown} ` : ''}listed above); nothing was written. Fix ${n.error === 1 ? 'it' : 'them'} and convert again.`,
    );
  }
  if (bank.questions.length === 0) {
    throw new UserError(
      `${file}: no question could be imported${n.unsupported ? ` (${n.unsupported} not supported, listed above)` : ''}; nothing was written.`,
    );
  }
  const summary = `${file} (${NAMES[format]}): ${bank.questions.length} imported, ${n.unsupported} not supported${n.note ? `, ${plural(n.note, 'note')}` : ''}`;
  return { bank, summary };
}

async function exportSource(ctx: Context, file: string | undefined, topic: string | undefined): Promise<Bank> {
  if (topic !== undefined) {
    const { banks, problems } = loadAllBanks(ctx.bankDirs, ctx.cwd);
    const bank = banks.find((b) => b.id === topic);
    if (!bank) {
      const hint = problems.length ? ` (${plural(problems.length, 'bank problem')}: run 'backend-quiz validate')` : '';
      throw new UserError(`no topic '${safeLine(topic)}'; choose one of: ${banks.map((b) => b.id).join(', ')}${hint}`);
    }
    return bank;
  }
  const { banks, problems } = loadBankFiles([file!], ctx.cwd);
  if (problems.length)
    throw new UserError(
      [
        ...problems.slice(0, 20).map(formatProblem),
        `${file}: not a valid bank; fix it (see 'backend-quiz validate ${file}') and convert again.`,
      ].join('\n'),
    );
  return banks[0]!;
}

export async function run(file: string | undefined, opts: ConvertOptions): Promise<number> {
  // Everything this command says goes to stderr (stdout may carry the converted file), so colour
  // follows stderr.
  const base = resolveContext(opts);
  const ctx = { ...base, paint: makePaint(colourEnabled(base.stderr, base.env, opts.color)) };
  if ((file === undefined) === (opts.topic === undefined))
    throw new UserError(file === undefined ? 'name a file to convert, or a bank with --topic <id>' : 'give a file or --topic, not both');
  const from = choose(opts.from, INPUT_FORMATS, '--from');
  const named = choose(opts.to, OUTPUT_FORMATS, '--to');
  const level = opts.difficulty ?? 'medium';
  if (!isDifficulty(level)) throw new UserError(`--difficulty takes easy, medium or hard; got '${safeLine(level)}'`);
  if (opts.bank !== undefined && !ID_PATTERN.test(opts.bank))
    throw new UserError(`--bank must be kebab-case (lowercase letters, digits and single hyphens); got '${safeLine(opts.bank)}'`);

  let input: InputFormat = 'yaml';
  let text = '';
  if (file !== undefined) {
    text = readTextFile(file, ctx.cwd, 'a question file', MAX_INPUT_BYTES);
    if (/[\u0000\ufffd]/.test(text)) throw new UserError(`${file}: not a UTF-8 text file; save it as UTF-8 text and convert again`);
    const ext = path.extname(file).toLowerCase();
    const guessed = ext === '.txt' ? sniffTxt(text) : INPUT_BY_EXTENSION[ext];
    const chosen = from ?? guessed;
    if (!chosen)
      throw new UserError(`${file}: cannot tell the format from '${ext || 'no extension'}'; say --from ${INPUT_FORMATS.join('|')}`);
    input = chosen;
  }
  const foreign = input !== 'yaml';
  const to =
    named ?? (opts.output ? OUTPUT_BY_EXTENSION[path.extname(opts.output).toLowerCase()] : undefined) ?? (foreign ? 'yaml' : undefined);
  if (!to) throw new UserError(`say what to convert the bank to: --to ${OUTPUT_FORMATS.filter((f) => f !== 'yaml').join('|')}`);
  if (!foreign && to === 'yaml')
    throw new UserError(`${file ?? opts.topic} is a bank already; convert it --to ${OUTPUT_FORMATS.filter((f) => f !== 'yaml').join('|')}`);
  if (!foreign && opts.difficulty !== undefined)
    throw new UserError('--difficulty applies when importing questions from GIFT, Aiken, Moodle XML or Markdown');
  if (to === 'qti' && !opts.output) throw new UserError('QTI is a ZIP package: write it to a file with -o <name>.zip');

  const { bank, summary } = foreign
    ? await importFile(ctx, file!, input as ImportFormat, text, opts, level)
    : { bank: await exportSource(ctx, file, opts.topic), summary: '' };
  const notes: string[] = [];
  const output = await render(to, bank, notes);
  if (to === 'yaml') checkBank(file!, output as string);
  for (const n of notes) ctx.stderr.write(`${ctx.paint.dim(`note: ${safeLine(n)}`)}\n`);
  if (opts.output) writeFileAtomic(path.resolve(ctx.cwd, opts.output), output);
  else ctx.stdout.write(output);
  const written = opts.output ? ` → ${opts.output}` : '';
  const line = foreign
    ? `${summary}${written}`
    : `${bank.id}: ${plural(bank.questions.length, 'question')} as ${NAMES[to]}${written}${notes.length ? ` (${plural(notes.length, 'note')})` : ''}`;
  ctx.stderr.write(`${ctx.paint.green(line)}\n`);
  return EXIT.ok;
}
