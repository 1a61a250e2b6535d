// Every YAML file a user gives us (banks, answers files, assessments) is untrusted input and is
// read through here, with one set of limits: a size, a nesting depth checked before anything
// recurses, a number of problems kept per file, linear duplicate-key detection and no aliases.
// The yaml package's CST parser is iterative, but its composer, visitor and toJS recurse once
// per level, so 3,000 nested "- " overflowed the stack; and its uniqueKeys check compares every
// key with every other (80,000 keys took 71 s).
import { CST, Composer, Lexer, Parser, isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Problem } from './bank/types.js';
import { safeLine } from './text.js';
import { indentationProblem, type Misfit } from './yaml-indent.js';

/** Deeper than any format of ours needs (a bank is 5 levels deep); far below the stack's limit. */
export const MAX_DEPTH = 64;
/** Problems kept in full per file; the rest are counted. */
export const MAX_PROBLEMS = 20;
/**
 * Scalars, entries and keys in one file. Memory grows with them, not with bytes: a 2 MB bank of
 * real questions has about 76,000 and peaks at 150 MB; 2 MB of "a," has two million, which took
 * 1.1 GB and 14 s. Counted from the lexer's stream, before the parser builds anything.
 */
export const MAX_VALUES = 120_000;
// The lexer marks each plain scalar with "\x1f" (type 'scalar') and then gives its text (no type).
const VALUE_TOKENS = new Set([
  'scalar',
  'double-quoted-scalar',
  'single-quoted-scalar',
  'block-scalar-header',
  'seq-item-ind',
  'map-value-ind',
  'explicit-key-ind',
  'comma',
  'flow-seq-start',
  'flow-map-start',
]);

/** Maps offsets to 1-based line and column; line starts are found once, then binary-searched. */
export function lineIndex(text: string): (offset: number) => { line: number; col: number } {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  };
}

/** The problems of one file: the first MAX_PROBLEMS in full, the rest only counted. */
export class Problems {
  readonly list: Problem[] = [];
  omitted = 0;
  readonly lineCol: (offset: number) => { line: number; col: number };
  constructor(
    readonly file: string,
    text: string,
  ) {
    this.lineCol = lineIndex(text);
  }

  at(offset: number, message: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ file: this.file, ...this.lineCol(offset), message });
    else this.omitted++;
  }

  node(node: Node | null | undefined, message: string): void {
    this.at(node?.range?.[0] ?? 0, message);
  }

  get count(): number {
    return this.list.length + this.omitted;
  }
}

/** "… and 12 more problems in a.yaml", for the line after a file's first MAX_PROBLEMS. */
export function omittedLine(file: string, omitted: number): string {
  return `... and ${omitted} more problem${omitted === 1 ? '' : 's'} in ${safeLine(file)} (fix the ones above first)`;
}

export interface TextLimits {
  maxBytes: number;
  /** What the file is, for messages: "a bank", "an answers file". */
  what: string;
  tooLarge?: (bytes: number) => string;
  /** Values allowed in the file (MAX_VALUES unless the format needs more, e.g. a pack's pool). */
  maxValues?: number;
}

/** The checks every reader makes before parsing: the size limit and text that is UTF-8. */
export function refused(text: string, problems: Problems, opts: TextLimits, format: 'YAML' | 'JSON'): boolean {
  const bytes = Buffer.byteLength(text);
  if (bytes > opts.maxBytes) {
    problems.at(
      0,
      opts.tooLarge?.(bytes) ??
        `file is too large (${(bytes / 1048576).toFixed(1)} MB); ${opts.what} may be at most ${(opts.maxBytes / 1048576).toFixed(1)} MB`,
    );
    return true;
  }
  const bad = text.search(/[\u0000\ufffd]/);
  if (bad >= 0) {
    problems.at(bad, `this is not a UTF-8 text file; ${opts.what} is ${format} text`);
    return true;
  }
  return false;
}

/** The message for a collection nested deeper than MAX_DEPTH. */
export function tooDeepMessage(what: string): string {
  return `nesting deeper than ${MAX_DEPTH} levels; ${what} never needs more than a few, so the file was not read further`;
}

/** The message for a file with more than MAX_VALUES values. */
export function tooManyValuesMessage(what: string, max = MAX_VALUES): string {
  return `more than ${max.toLocaleString('en')} values (entries, keys and scalars); ${what} is never that dense, so the file was not read further`;
}

/** The message for a key given twice in one mapping. */
export function duplicateKeyMessage(name: string): string {
  return `duplicate key '${safeLine(name.length > 60 ? `${name.slice(0, 60)}…` : name)}'; each key may appear once in a mapping`;
}

type Cst = ReturnType<Parser['parse']> extends Generator<infer T> ? T : never;
type SourceTokens = { type: string; offset: number; message?: string }[] | undefined;

/**
 * Walks the CST with an explicit stack: finds the first collection nested deeper than MAX_DEPTH,
 * and collects the parser's error tokens into `errors`.
 */
function scan(token: Cst, errors: { offset: number; message: string }[]): { tooDeep?: number } {
  const stack: [Cst | null | undefined, number][] = [[token, 0]];
  const collect = (list: SourceTokens): void => {
    for (const t of list ?? []) if (t.type === 'error') errors.push({ offset: t.offset, message: t.message ?? 'unexpected text' });
  };
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (!t) continue;
    switch (t.type) {
      case 'document':
        collect(t.start as SourceTokens);
        collect(t.end as SourceTokens);
        stack.push([t.value, depth]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth + 1 > MAX_DEPTH) return { tooDeep: t.offset };
        if (t.type === 'flow-collection') collect(t.end as SourceTokens);
        for (const item of t.items as { start: SourceTokens; sep?: SourceTokens; key?: Cst | null; value?: Cst }[]) {
          collect(item.start);
          collect(item.sep);
          stack.push([item.key, depth + 1], [item.value, depth + 1]);
        }
        break;
      }
      case 'error':
        errors.push({ offset: t.offset, message: t.message });
        break;
      default:
        if ('end' in t) collect(t.end as SourceTokens);
    }
  }
  return {};
}

const SYNTAX = / at line \d+, column \d+$/;

export interface ReadYaml {
  doc?: Document;
  problems: Problems;
}

/**
 * Parses YAML text with the shared limits. Returns the document only when it has no syntax
 * problem, no nesting deeper than MAX_DEPTH, no duplicate key and no alias.
 */
export function readYaml(text: string, file: string, opts: TextLimits): ReadYaml {
  const problems = new Problems(file, text);
  if (refused(text, problems, opts, 'YAML')) return { problems };
  // One badly indented line sets off several errors, often on other lines and named for what the
  // parser then failed to build: those become one problem that says it is the indentation.
  const syntaxProblems = (list: { offset: number; message: string }[], stopped = false): void => {
    const misfits = new Map<number, Misfit>();
    for (const e of list) {
      // Only the first few are shown, and the look at indentation walks back through the file.
      const indent =
        problems.count < MAX_PROBLEMS ? indentationProblem(text, e.offset, (o) => problems.lineCol(o).line, misfits) : undefined;
      if (indent) {
        if (misfits.has(indent.line)) continue;
        misfits.set(indent.line, indent);
        problems.at(indent.offset, indent.message);
        // Reading stopped after a flood of errors: past a badly indented line, they are its echoes.
      } else if (!(stopped && misfits.size)) problems.at(e.offset, `YAML syntax error: ${e.message}`);
    }
  };
  // The parser streams top-level tokens: a flood of stray brackets stops after the first few,
  // before the composer turns each into an error object.
  const tokens: Cst[] = [];
  const errors: { offset: number; message: string }[] = [];
  const parser = new Parser();
  let values = 0;
  const take = (token: Cst): ReadYaml | undefined => {
    const deep = scan(token, errors).tooDeep;
    if (deep !== undefined) return tooDeep(deep);
    if (errors.length > MAX_PROBLEMS) {
      syntaxProblems(errors.slice(0, MAX_PROBLEMS), true);
      problems.list.push({
        file,
        ...problems.lineCol(errors[MAX_PROBLEMS]!.offset),
        message: `YAML reading stopped after ${MAX_PROBLEMS} syntax errors; fix these first`,
      });
      return { problems };
    }
    tokens.push(token);
    return undefined;
  };
  const tooDeep = (offset: number): ReadYaml => {
    problems.at(offset, tooDeepMessage(opts.what));
    return { problems };
  };
  // The parser recurses once per level too (3,000 "- " on one line overflow it), so nesting is
  // estimated from the lexemes before they reach it: indentation steps, block indicators on one
  // line, open flow brackets and the indicators within one entry of each. The estimate only
  // guards the parser's stack, so it is held to twice the limit, far below the 2,500 or so levels
  // that overflow; the CST walk applies the exact one.
  const indents: number[] = [];
  let onLine = 0;
  // Per open flow collection, the indicators since its last comma: "{a: a: a: …}" nests once per
  // ":", but a comma ends an entry, so a one-line mapping of many entries is one level deep.
  const entries: number[] = [];
  let inEntries = 0;
  let lineStart = true;
  for (const lexeme of new Lexer().lex(text)) {
    // Most lexemes are the text of a plain scalar (no type): nothing to count or nest.
    const type = CST.tokenType(lexeme);
    if (type !== null) {
      if (type === 'newline') {
        lineStart = true;
        onLine = 0;
      } else if (type !== 'comment') {
        const flow = entries.length;
        if (lineStart && flow === 0) {
          const indent = type === 'space' ? lexeme.length : 0;
          while (indents.length && indents.at(-1)! >= indent) indents.pop();
          indents.push(indent);
        }
        lineStart = false;
        if (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind') {
          if (flow === 0) onLine++;
          else {
            entries[flow - 1]!++;
            inEntries++;
          }
        } else if (type === 'flow-seq-start' || type === 'flow-map-start') entries.push(0);
        else if ((type === 'flow-seq-end' || type === 'flow-map-end') && flow > 0) inEntries -= entries.pop()!;
        else if (type === 'comma' && flow > 0) {
          inEntries -= entries[flow - 1]!;
          entries[flow - 1] = 0;
        }
        if (indents.length + onLine + entries.length + inEntries > 2 * MAX_DEPTH) return tooDeep(parser.offset);
      }
      if (VALUE_TOKENS.has(type) && ++values > MAX_VALUES) {
        problems.at(parser.offset, tooManyValuesMessage(opts.what));
        return { problems };
      }
    }
    for (const token of parser.next(lexeme)) {
      const stop = take(token);
      if (stop) return stop;
    }
  }
  for (const token of parser.end()) {
    const stop = take(token);
    if (stop) return stop;
  }
  let doc: Document | undefined;
  for (const d of new Composer({ prettyErrors: false, uniqueKeys: false, strict: true }).compose(tokens, true, text.length)) {
    if (doc) {
      problems.at(d.range[0], 'YAML syntax error: more than one document (a second "---"); put everything in one');
      break;
    }
    doc = d;
  }
  syntaxProblems((doc?.errors ?? []).map((e) => ({ offset: e.pos[0], message: e.message.split('\n')[0]!.replace(SYNTAX, '') })));
  if (problems.count || !doc) return { problems };

  // Aliases buy nothing in our formats and make alias bombs ("billion laughs") possible.
  // One pass with an explicit stack (children pushed last first, so problems come in document
  // order); yaml's visit() allocates a path per node.
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isAlias(node)) problems.node(node as unknown as Node, `YAML aliases (*name) are not allowed; write the value out`);
    else if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    else if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]!.value);
      const seen = new Set<string>();
      for (const pair of node.items) {
        // A list or mapping as a key ("? [a]: b") has no place in our formats, and toJS would
        // turn it into a string with a process warning.
        if (pair.key !== null && !isScalar(pair.key)) {
          problems.node(pair.key as Node, 'a key must be plain text, not a list or a mapping');
          continue;
        }
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        if (seen.has(name)) problems.node(pair.key as Node, duplicateKeyMessage(name));
        seen.add(name);
      }
    }
  }
  return problems.count ? { problems } : { doc, problems };
}
