// Most YAML syntax errors in a hand-written bank are one line indented by a space too many or too
// few, and the yaml package names what it then failed to build ("Sequence item without -
// indicator", "Nested mappings are not allowed in compact mappings"), often on another line.
// Near such an error this finds the line whose indentation matches no level above it and says so.

export interface Misfit {
  /** Where the badly indented line's text starts. */
  offset: number;
  /** Its offset at the start of the line. */
  line: number;
  message: string;
}

interface Line {
  /** 1-based. */
  number: number;
  offset: number;
  indent: number;
  /** The columns (0-based) where its nested levels start: "  - id: x" has 2 and 4. */
  levels: number[];
  /** How many of the levels are list items' "-". */
  dashes: number;
  /** Ends with a key and no value, a lone "-" or a block scalar header: the next line may go deeper. */
  opens: boolean;
  /** A block scalar header (| or >): deeper lines after it are text, whatever their indentation. */
  blockScalar: boolean;
  /** Looks like structure (a key or a list item), not the continuation of a text. */
  structure: boolean;
}

const spaces = (n: number): string => `${n} space${n === 1 ? '' : 's'}`;
const BLANK = /^\s*(?:#.*)?$/;
const KEY = /^(?:"[^"]*"|'[^']*'|[^\s#'"[{][^#]*?)\s*:(?:\s|$)/;
const BLOCK_SCALAR = /(?:^|[\s:])[|>][-+0-9]*\s*(?:#.*)?$/;

function describe(text: string, number: number, offset: number): Line | undefined {
  const indent = /^ */.exec(text)![0].length;
  let rest = text.slice(indent);
  if (BLANK.test(text) || rest.startsWith('\t')) return undefined;
  const levels = [indent];
  let col = indent;
  // "- - x": a level at each dash and one at what follows the last.
  for (let m = /^-( +|$)/.exec(rest); m; m = /^-( +|$)/.exec(rest)) {
    col += 1 + m[1]!.length;
    rest = rest.slice(1 + m[1]!.length);
    if (rest === '' || rest.startsWith('#'))
      return { number, offset, indent, levels, dashes: levels.length, opens: true, blockScalar: false, structure: true };
    levels.push(col);
  }
  const blockScalar = BLOCK_SCALAR.test(rest);
  const opens = blockScalar || /:\s*(?:#.*)?$/.test(rest);
  return { number, offset, indent, levels, dashes: levels.length - 1, opens, blockScalar, structure: levels.length > 1 || KEY.test(rest) };
}

/**
 * An indentation problem at or just after the YAML syntax error at `offset`, as the offset of the
 * badly indented line's first character and a message; undefined when the indentation there fits.
 */
export function indentationProblem(
  text: string,
  offset: number,
  lineOf: (offset: number) => number,
  /** Problems found so far, by the offset of their line: a line after one of them is judged by it. */
  found: ReadonlyMap<number, Misfit> = new Map(),
): Misfit | undefined {
  // The error's line and the next line with content: errors are often reported on the line
  // before the one that went wrong ("id: two" when the next line is indented one space too deep).
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  for (let tries = 0; tries < 2 && start < text.length;) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    const line = describe(text.slice(start, stop).replace(/\r$/, ''), lineOf(start), start);
    if (line) {
      const bad = misfit(text, line, found);
      if (bad) return bad;
      tries++;
    }
    start = stop + 1;
  }
  return undefined;
}

/** Lines with content before `line` and less indented than every such line after them, nearest first. */
function* enclosing(text: string, line: Line): Generator<Line> {
  let limit = Infinity;
  let number = line.number;
  for (let end = line.offset - 1; end >= 0;) {
    const start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1;
    number--;
    // Most lines are skipped on their indentation alone: a file may have many thousands above.
    let indent = 0;
    while (start + indent < end && text.charCodeAt(start + indent) === 0x20) indent++;
    if (indent < limit) {
      const l = describe(text.slice(start, end).replace(/\r$/, ''), number, start);
      if (l) {
        yield l;
        limit = l.indent;
        if (limit === 0) return;
      }
    }
    end = start - 1;
  }
}

function misfit(text: string, line: Line, found: ReadonlyMap<number, Misfit>): Misfit | undefined {
  const n = line.indent;
  // The levels still open at this line: those of the line before and of each line it is nested in.
  const open: { col: number; line: number; dash: boolean }[] = [];
  let previous: Line | undefined;
  let limit = Infinity;
  for (const l of enclosing(text, line)) {
    if (!previous) {
      previous = l;
      // After a badly indented line the next ones misfit too, or fit only it: one problem.
      const after = found.get(l.offset);
      if (after) return after;
      // Whatever follows an opener may go deeper.
      if (l.opens && n > l.levels.at(-1)!) return undefined;
    } else if (l.blockScalar && n > l.indent) return blockText(text, l, line);
    l.levels.forEach((col, i) => {
      if (col <= limit) open.push({ col, line: l.number, dash: i < l.dashes });
    });
    limit = l.indent;
  }
  if (!previous || open.some((o) => o.col === n)) return undefined;
  const deepest = Math.max(...previous.levels);
  const at = line.offset + n;
  if (n > deepest) {
    if (!line.structure) return undefined; // a text continued on the next line, more indented
    // A new list item lines up with the "-" of the item before; anything else with the line above.
    const item = line.dashes > 0 ? open.find((o) => o.dash) : undefined;
    return {
      offset: at,
      line: line.offset,
      message: `bad indentation: this line is indented ${spaces(n)}, deeper than line ${previous.number} (${deepest}), which already has its value; ${
        item
          ? `indent it ${spaces(item.col)} to line up with the "-" of line ${item.line}`
          : `indent it ${spaces(deepest)} to line up with it`
      }`,
    };
  }
  const below = open.filter((o) => o.col < n).sort((a, b) => b.col - a.col)[0];
  const above = open.filter((o) => o.col > n).sort((a, b) => a.col - b.col)[0]!;
  const where = (o: { col: number; line: number }): string => `${spaces(o.col)} (line ${o.line})`;
  return {
    offset: at,
    line: line.offset,
    message: `bad indentation: this line is indented ${spaces(n)}, which matches no level above it: the nearest are ${below ? `${where(below)} and ` : ''}${where(above)}; indent it like the lines it belongs with, with spaces`,
  };
}

/**
 * `line` is in the text of the block scalar whose header is `header`: that text takes its
 * indentation from its first line, so a line after it indented less (but more than the header)
 * ends the text where its author did not mean to.
 */
function blockText(text: string, header: Line, line: Line): Misfit | undefined {
  let start = text.indexOf('\n', header.offset) + 1;
  while (start > 0 && start < line.offset) {
    const end = text.indexOf('\n', start);
    const content = text.slice(start, end < 0 ? text.length : end);
    if (!/^\s*$/.test(content)) {
      const first = /^ */.exec(content)![0].length;
      if (first <= line.indent) return undefined;
      const number = header.number + text.slice(header.offset, start).split('\n').length - 1;
      return {
        offset: line.offset + line.indent,
        line: line.offset,
        message: `bad indentation: this line is indented ${spaces(line.indent)}, less than line ${number} (${first}), the first of the text begun on line ${header.number}; a block of text takes its indentation from its first line, so indent its lines alike`,
      };
    }
    start = end + 1;
  }
  return undefined;
}
