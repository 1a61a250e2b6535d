// JSON files a user gives us (a .json answers file) under the limits YAML files have (yaml.ts):
// the size, the nesting depth, the number of values, duplicate keys, problems with positions.
// JSON is YAML too, but the yaml package reads it at about 7 MB/s: an answers file for every
// built-in question (145 KB) took longer than the quiz it scripted. Here one linear scan checks
// the text and finds where each entry of the top-level object is, and JSON.parse, native, makes
// the values. The scan keeps its own stack, so nothing recurses per level.
import { safeLine } from './text.js';
import {
  MAX_DEPTH,
  MAX_VALUES,
  Problems,
  duplicateKeyMessage,
  refused,
  tooDeepMessage,
  tooManyValuesMessage,
  type TextLimits,
} from './yaml.js';

/** One entry of the top-level object: its key and value, and where each starts. */
export interface JsonEntry {
  key: string;
  keyAt: number;
  value: unknown;
  valueAt: number;
}

export interface ReadJson {
  /** The top-level value, when the text is valid: an object's entries, or any other value. */
  root?: { at: number; entries: JsonEntry[] } | { at: number; value: unknown };
  problems: Problems;
}

const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERAL = /true|false|null/y;
const SINGLE_QUOTES = 'JSON puts keys and text in double quotes, not single ones';
const NAMES = { '{': 'mapping', '[': 'list' } as const;

interface Open {
  bracket: '{' | '[';
  at: number;
  /** Keys seen so far in a mapping. */
  keys?: Set<string>;
}

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

/** What the text shows at `at`, for "unexpected …". */
function shown(text: string, at: number): string {
  if (at >= text.length) return 'end of the file';
  const ch = String.fromCodePoint(text.codePointAt(at)!);
  return /\s/.test(ch) ? JSON.stringify(ch) : `'${safeLine(ch)}'`;
}

/**
 * The offset after the JSON string that starts at `at` (a double quote), or -1. A loop, not a
 * regular expression: the expression's backtracking stack overflowed on a 20 MB string.
 */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c !== 0x5c) {
      i++;
      continue;
    }
    ESCAPE.lastIndex = i;
    if (!ESCAPE.test(text)) return -1;
    i = ESCAPE.lastIndex;
  }
  return -1;
}

/** Why a string starting at `at` (a double quote) is not valid JSON, and where. */
function badString(text: string, at: number): { at: number; message: string } {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c < 0x20)
      return {
        at: i,
        message:
          c === 0x0a ? 'a line break inside text in double quotes; write it as \\n' : 'a control character inside text in double quotes',
      };
    if (c === 0x5c) {
      if (!/^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(i + 1, i + 6)))
        return { at: i, message: `invalid escape ${shown(text, i + 1).replace(/^'/, "'\\")} in text in double quotes` };
      i++;
    }
  }
  return { at, message: 'text in double quotes is not closed' };
}

/**
 * Reads JSON text with the shared limits. Returns the top-level value only when the text is valid
 * JSON with no nesting deeper than MAX_DEPTH, no more than MAX_VALUES values and no duplicate key.
 * Empty text (or only whitespace) has no top-level value and no problem, as an empty YAML file.
 */
export function readJson(text: string, file: string, opts: TextLimits): ReadJson {
  const problems = new Problems(file, text);
  if (refused(text, problems, opts, 'JSON')) return { problems };
  const stop = (at: number, message: string): ReadJson => {
    problems.at(at, message);
    return { problems };
  };
  const syntax = (at: number, message: string): ReadJson => stop(at, `JSON syntax error: ${message}`);

  // A byte order mark is not JSON, but editors write one and it hides nothing.
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: Open[] = [];
  // The top-level object's entries, as offsets; their values are parsed once the text is valid.
  const entries: { key: string; keyAt: number; valueAt: number; valueEnd: number }[] = [];
  let rootAt = -1;
  let values = 0;
  // Widened: ended() changes it where the compiler does not look.
  let expect = 'value' as Expect;
  // A value has ended at i: an entry of the top-level object, or the top-level value itself.
  const ended = (): void => {
    if (stack.length === 1 && stack[0]!.bracket === '{') entries.at(-1)!.valueEnd = i;
    expect = stack.length ? 'comma-or-close' : 'end';
  };
  for (;;) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
    const at = i;
    const c = text[i];
    if (c === undefined) {
      if (expect === 'end' || rootAt < 0) break;
      const open = stack.at(-1)!;
      const { line, col } = problems.lineCol(open.at);
      return syntax(at, `the file ends before the ${NAMES[open.bracket]} opened at ${line}:${col} is closed`);
    }
    if (rootAt < 0) rootAt = at;
    if (c !== '}' && c !== ']' && ++values > (opts.maxValues ?? MAX_VALUES))
      return stop(at, tooManyValuesMessage(opts.what, opts.maxValues));
    const top = stack.at(-1);
    switch (expect) {
      case 'end':
        return syntax(at, `unexpected ${shown(text, at)} after the end of the JSON value; a file holds one value`);
      case 'comma-or-close':
      case 'value-or-close':
      case 'key-or-close':
        if (c === (top!.bracket === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          ended();
          continue;
        }
        if (expect === 'comma-or-close') {
          if (c !== ',')
            return syntax(at, `unexpected ${shown(text, at)}; expected ',' or '${top!.bracket === '{' ? '}' : ']'}' after a value`);
          i++;
          expect = top!.bracket === '{' ? 'key' : 'value';
          continue;
        }
        break;
    }
    if (expect === 'key' || expect === 'key-or-close') {
      if (c === '}') return syntax(at, `a comma before '}' is not allowed in JSON; remove it`);
      if (c === "'") return syntax(at, SINGLE_QUOTES);
      if (c !== '"') return syntax(at, `unexpected ${shown(text, at)}; expected a key in double quotes`);
      const end = stringEnd(text, i);
      if (end < 0) {
        const bad = badString(text, i);
        return syntax(bad.at, bad.message);
      }
      const raw = text.slice(i + 1, end - 1);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
      i = end;
      if (top!.keys!.has(key)) problems.at(at, duplicateKeyMessage(key));
      top!.keys!.add(key);
      if (stack.length === 1) entries.push({ key, keyAt: at, valueAt: -1, valueEnd: -1 });
      expect = 'colon';
      continue;
    }
    if (expect === 'colon') {
      if (c !== ':') return syntax(at, `unexpected ${shown(text, at)}; expected ':' after a key`);
      i++;
      expect = 'value';
      continue;
    }
    // A value.
    if (expect === 'value' && c === ']' && top?.bracket === '[') return syntax(at, `a comma before ']' is not allowed in JSON; remove it`);
    if (stack.length === 1 && top!.bracket === '{') entries.at(-1)!.valueAt = at;
    if (c === '{' || c === '[') {
      if (stack.length + 1 > MAX_DEPTH) return stop(at, tooDeepMessage(opts.what));
      stack.push({ bracket: c, at, ...(c === '{' ? { keys: new Set<string>() } : {}) });
      i++;
      expect = c === '{' ? 'key-or-close' : 'value-or-close';
      continue;
    }
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) {
        const bad = badString(text, i);
        return syntax(bad.at, bad.message);
      }
      i = end;
      ended();
      continue;
    }
    const pattern = c === '-' || (c >= '0' && c <= '9') ? NUMBER : LITERAL;
    pattern.lastIndex = i;
    if (!pattern.test(text)) {
      if (c === "'") return syntax(at, SINGLE_QUOTES);
      return syntax(
        at,
        `unexpected ${shown(text, at)}; expected a value (text in double quotes, a number, true, false, null, a list or a mapping)`,
      );
    }
    i = pattern.lastIndex;
    ended();
  }
  if (problems.count) return { problems };
  if (rootAt < 0) return { problems };
  if (text[rootAt] !== '{') return { root: { at: rootAt, value: JSON.parse(text.slice(rootAt)) as unknown }, problems };
  return {
    root: {
      at: rootAt,
      entries: entries.map((e) => ({
        key: e.key,
        keyAt: e.keyAt,
        value: JSON.parse(text.slice(e.valueAt, e.valueEnd)) as unknown,
        valueAt: e.valueAt,
      })),
    },
    problems,
  };
}
