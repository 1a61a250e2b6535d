import fs from 'node:fs';
import path from 'node:path';
import { builtinBankDir, builtinBankIndex, builtinBankJson, packageRoot } from '../paths.js';
import { UserError } from '../errors.js';
import { readRegularBytes, Unreadable } from '../files.js';
import { cacheKey, readCached, writeCached } from './cache.js';
import { MAX_PROBLEMS } from '../yaml.js';
import { moderateHeapGrowth } from '../memory.js';
import { MAX_BANK_BYTES, duplicateBankProblems, parseBank, tooLargeMessage, type ParsedBank } from './parse.js';
import { formatProblem, type Bank, type Problem, type Question } from './types.js';

export interface LoadResult {
  banks: Bank[];
  problems: Problem[];
  files: number;
  /** The files read, as named (directories expanded). */
  names: string[];
  /** Where each question starts, by key (banks parsed from YAML only). */
  positions?: Map<string, { file: string; line: number; col: number }>;
  /** The `checked:` month of each question that has one, by key (banks parsed from YAML only). */
  checked?: Map<string, string>;
  /** Files with more than MAX_PROBLEMS problems: how many more each had. */
  omitted?: { file: string; count: number }[];
}

const isBankFile = (name: string): boolean => /\.ya?ml$/i.test(name);

/** Expands directories to their *.yaml / *.yml files (sorted), keeps files as they are. */
export function bankFiles(paths: readonly string[], cwd = process.cwd()): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      problems.push({ file: p, line: 1, col: 1, message: 'no such file or directory' });
      continue;
    }
    if (stat.isDirectory()) {
      const names = fs.readdirSync(abs).filter(isBankFile).sort();
      files.push(...names.map((n) => path.join(p, n)));
    } else files.push(p);
  }
  return { files, problems };
}

function readAndParse(file: string, cwd: string, cacheDir?: string, now = new Date()): ParsedBank {
  const abs = path.resolve(cwd, file);
  let read: { bytes: Buffer; stat: fs.Stats };
  try {
    read = readRegularBytes(abs, MAX_BANK_BYTES);
  } catch (e) {
    if (!(e instanceof Unreadable)) throw e;
    return {
      problems: [
        { file, line: 1, col: 1, message: e.tooLarge !== undefined ? tooLargeMessage(e.tooLarge) : `cannot read the file: ${e.reason}` },
      ],
    };
  }
  const key = cacheDir === undefined ? undefined : cacheKey(abs, file, read.stat, read.bytes);
  const cached = key && readCached(cacheDir!, key, now);
  if (cached) return cached;
  const parsed = parseBank(read.bytes.toString('utf8'), file, { now });
  if (key) writeCached(cacheDir!, key, parsed, now);
  return parsed;
}

export interface LoadOptions {
  /** Today, for refusing a `checked:` month that has not come yet. */
  now?: Date;
  /** Hears of each file before it is parsed. */
  onFile?: (file: string, index: number, total: number) => void;
  /** Parses are kept here and reused while a file's bytes are unchanged. */
  cacheDir?: string;
}

/**
 * Parses bank files and checks ids across them; `onFile` hears of each file before it is parsed.
 * With `cacheDir`, parses are kept there and reused while a file's bytes are unchanged.
 */
export function loadBankFiles(
  paths: readonly string[],
  cwd = process.cwd(),
  onFile?: (file: string, index: number, total: number) => void,
  cacheDir?: string,
): LoadResult {
  return loadFiles(paths, cwd, { onFile, cacheDir });
}

/**
 * Bank files meant to be used beside the built-in banks, with every check that loading them
 * applies: each file's own, ids across the files, and ids against the built-in banks. Both
 * loadAllBanks and `validate <paths>` read extra banks through here, so a bank that validate
 * passes is one the quiz loads. The result holds the extra banks only.
 */
export function loadExtraBanks(
  paths: readonly string[],
  builtin: readonly Bank[],
  cwd = process.cwd(),
  opts: LoadOptions = {},
): LoadResult {
  const ids = new Map(
    builtin.map((b) => {
      const abs = path.resolve(packageRoot, b.source);
      return [b.id, { path: abs, name: path.relative(packageRoot, abs) }] as const;
    }),
  );
  return loadFiles(paths, cwd, opts, ids);
}

function loadFiles(
  paths: readonly string[],
  cwd: string,
  opts: LoadOptions,
  builtin?: ReadonlyMap<string, { path: string; name: string }>,
): LoadResult {
  const { files, problems } = bankFiles(paths, cwd);
  // Several files: the trees of those done should not pile up while the next is parsed (memory.ts).
  if (files.length > 1) moderateHeapGrowth();
  const parsed = files.map((file, i) => {
    opts.onFile?.(file, i, files.length);
    return { file, path: path.resolve(cwd, file), result: readAndParse(file, cwd, opts.cacheDir, opts.now) };
  });
  return finish(parsed, problems, builtin);
}

function finish(
  parsed: { file: string; path: string; result: ParsedBank }[],
  problems: Problem[],
  builtin?: ReadonlyMap<string, { path: string; name: string }>,
): LoadResult {
  const all = [...problems, ...parsed.flatMap((p) => p.result.problems), ...duplicateBankProblems(parsed, builtin)];
  const positions = new Map<string, { file: string; line: number; col: number }>();
  for (const { file, result } of parsed) for (const [key, at] of result.positions ?? []) positions.set(key, { file, ...at });
  const checked = new Map(parsed.flatMap(({ result }) => [...(result.checked ?? [])]));
  const seen = new Set<string>();
  const banks: Bank[] = [];
  for (const { result } of parsed) {
    if (result.bank && !seen.has(result.bank.id)) {
      seen.add(result.bank.id);
      banks.push(result.bank);
    }
  }
  const omitted = parsed.filter((p) => p.result.omitted).map((p) => ({ file: p.file, count: p.result.omitted! }));
  return {
    banks,
    problems: all,
    files: parsed.length,
    names: parsed.map((p) => p.file),
    positions,
    checked,
    ...(omitted.length ? { omitted } : {}),
  };
}

/**
 * The built-in banks: the JSON compiled at build time when it exists (parsing YAML on every
 * start is slow), else the YAML itself (a checkout that has not been built).
 */
export function loadBuiltinBanks(): LoadResult {
  try {
    const banks = indexedBanks() ?? (JSON.parse(fs.readFileSync(builtinBankJson, 'utf8')) as { banks: Bank[] }).banks;
    return { banks, problems: [], files: banks.length, names: banks.map((b) => b.source) };
  } catch {
    return loadBankFiles([builtinBankDir]);
  }
}

/** dist/banks-index.json: see scripts/build-banks.mjs. */
interface BankIndex {
  bytes: number;
  shapes: string[][];
  banks: (Omit<Bank, 'questions'> & {
    questions: [start: number, length: number, shape: number, id: string, difficulty: string, type: string][];
  })[];
}

/**
 * The built-in banks, each question parsed from dist/banks.json only when a field other than its
 * id, key, topic, difficulty or type is first read: a quiz of 10 questions parses those 10 and the
 * ones its answers file names, not all 1,015 (the whole file takes about 20 ms to read and parse).
 * A question is a Proxy that looks like the plain object in every way (its fields, in order, for
 * `in`, spreading, Object.keys and JSON.stringify) and becomes one inside on the first such read.
 * Undefined when the index is missing or was not built with this banks.json.
 */
function indexedBanks(): Bank[] | undefined {
  let index: BankIndex;
  let bytes: Buffer;
  try {
    index = JSON.parse(fs.readFileSync(builtinBankIndex, 'utf8')) as BankIndex;
    bytes = fs.readFileSync(builtinBankJson);
  } catch {
    return undefined;
  }
  if (bytes.length !== index.bytes) return undefined;
  const handler = lazyQuestionHandler(bytes, index.shapes);
  return index.banks.map(({ questions, ...meta }) => ({
    ...meta,
    questions: questions.map(
      ([start, length, shape, id, difficulty, type]) =>
        new Proxy(
          { topic: meta.id, start, length, shape, id, difficulty, type, full: undefined } as LazyQuestion,
          handler,
        ) as unknown as Question,
    ),
  }));
}

interface LazyQuestion {
  topic: string;
  start: number;
  length: number;
  shape: number;
  id: string;
  difficulty: string;
  type: string;
  /** The parsed question, once a field outside the index is read. */
  full: Record<string, unknown> | undefined;
}

function lazyQuestionHandler(bytes: Buffer, shapes: string[][]): ProxyHandler<LazyQuestion> {
  const full = (t: LazyQuestion): Record<string, unknown> =>
    (t.full ??= JSON.parse(bytes.toString('utf8', t.start, t.start + t.length)) as Record<string, unknown>);
  const known = (t: LazyQuestion, name: string | symbol): unknown =>
    name === 'key'
      ? `${t.topic}/${t.id}`
      : name === 'id' || name === 'topic' || name === 'difficulty' || name === 'type'
        ? t[name]
        : undefined;
  // The proxy's own properties are the question's; the record behind it keeps only the index entry.
  // JSON.stringify (question hashes, snapshots) finds toJSON and serialises the plain object on
  // its fast path; through the traps it took twice as long. toJSON is not an own property.
  return {
    get: (t, name) =>
      t.full
        ? name === 'toJSON'
          ? () => t.full
          : t.full[name as string]
        : name === 'toJSON'
          ? () => full(t)
          : (known(t, name) ?? Reflect.get(full(t), name)),
    has: (t, name) => (t.full ? name in t.full : typeof name === 'string' && shapes[t.shape]!.includes(name)),
    ownKeys: (t) => (t.full ? Reflect.ownKeys(t.full) : [...shapes[t.shape]!]),
    // A parsed object's properties are configurable, as those the record behind the proxy does
    // not have must be reported.
    getOwnPropertyDescriptor: (t, name) => Reflect.getOwnPropertyDescriptor(full(t), name),
    set: (t, name, value) => Reflect.set(full(t), name, value),
    defineProperty: (t, name, d) => Reflect.defineProperty(full(t), name, d),
    deleteProperty: (t, name) => Reflect.deleteProperty(full(t), name),
    getPrototypeOf: () => Object.prototype,
  };
}

/**
 * Built-in banks plus extra directories (parses cached in `cacheDir`); extra banks may not reuse a
 * built-in id. With `builtinYaml`, the built-in banks are parsed from their YAML, with positions.
 */
export function loadAllBanks(
  extraDirs: readonly string[],
  cwd = process.cwd(),
  cacheDir?: string,
  opts: { onFile?: LoadOptions['onFile']; builtinYaml?: boolean; now?: Date } = {},
): LoadResult {
  const { onFile } = opts;
  // One count over both sets of files, for "file (i/n)".
  const builtinFiles = opts.builtinYaml ? bankFiles([builtinBankDir]).files.length : 0;
  const total = onFile && builtinFiles + bankFiles(extraDirs, cwd).files.length;
  const builtin = opts.builtinYaml
    ? loadFiles([builtinBankDir], cwd, {
        ...(onFile ? { onFile: (file, i) => onFile(file, i, total!) } : {}),
        ...(opts.now ? { now: opts.now } : {}),
      })
    : loadBuiltinBanks();
  if (extraDirs.length === 0) return builtin;
  const extra = loadExtraBanks(extraDirs, builtin.banks, cwd, {
    cacheDir,
    ...(opts.now ? { now: opts.now } : {}),
    ...(onFile ? { onFile: (file, i) => onFile(file, builtinFiles + i, total!) } : {}),
  });
  const ids = new Set(builtin.banks.map((b) => b.id));
  const omitted = [...(builtin.omitted ?? []), ...(extra.omitted ?? [])];
  return {
    // A built-in bank's own file given again is that bank, not a second copy of it.
    banks: [...builtin.banks, ...extra.banks.filter((b) => !ids.has(b.id))],
    problems: [...builtin.problems, ...extra.problems],
    files: builtin.files + extra.files,
    names: [...builtin.names, ...extra.names],
    ...(builtin.positions || extra.positions ? { positions: new Map([...(builtin.positions ?? []), ...(extra.positions ?? [])]) } : {}),
    ...(builtin.checked || extra.checked ? { checked: new Map([...(builtin.checked ?? []), ...(extra.checked ?? [])]) } : {}),
    ...(omitted.length ? { omitted } : {}),
  };
}

/** Loads banks for commands that need valid ones; any problem is a usage error (exit 2). */
export function requireBanks(extraDirs: readonly string[], cwd = process.cwd(), cacheDir?: string): Bank[] {
  const { banks, problems, omitted } = loadAllBanks(extraDirs, cwd, cacheDir);
  if (problems.length) {
    const shown = problems.slice(0, MAX_PROBLEMS).map(formatProblem);
    const rest = problems.length - shown.length + (omitted ?? []).reduce((n, o) => n + o.count, 0);
    const more = rest > 0 ? [`... and ${rest} more problem${rest === 1 ? '' : 's'}`] : [];
    throw new UserError(
      [...shown, ...more, `Fix the bank${problems.length > 1 ? 's' : ''} above (run 'backend-quiz validate' to check them).`].join('\n'),
    );
  }
  return banks;
}
