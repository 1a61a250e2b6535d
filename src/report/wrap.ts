import { createRequire } from 'node:module';

const LIST_ITEM = /^\s*(?:[-*•]|\d+[.)])\s/;

/**
 * Joins the hard line breaks inside a paragraph (as Markdown does), so text written wrapped in a
 * YAML block reflows to the terminal; blank lines and list items still start new lines.
 */
export function reflow(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const prev = out.length ? out[out.length - 1]! : '';
    if (line.trim() !== '' && prev.trim() !== '' && !LIST_ITEM.test(line)) out[out.length - 1] = `${prev} ${line.trim()}`;
    else out.push(line);
  }
  return out;
}

// string-width takes about 50 ms to load (its Unicode tables and ICU's grapheme segmenter), which
// every command that wraps text would pay at start-up. Nearly all bank text is printable ASCII,
// where a character is a column, so it is loaded the first time other text is measured
// (require() of an ES module: Node 20.19 and later).
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
let stringWidth: ((s: string) => number) | undefined;
let graphemes: Intl.Segmenter | undefined;

/** Terminal columns a string takes: CJK characters and most emoji take two, combining marks none. */
export function columns(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  stringWidth ??= (createRequire(import.meta.url)('string-width') as { default: (s: string) => number }).default;
  return stringWidth(s);
}

/** Splits `word` after as many whole characters (graphemes) as fit in `room` columns. */
function fit(word: string, room: number): [string, string] {
  if (PRINTABLE_ASCII.test(word)) return [word.slice(0, Math.max(0, room)), word.slice(Math.max(0, room))];
  graphemes ??= new Intl.Segmenter();
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(word)) {
    used += columns(segment);
    if (used > room) break;
    end = index + segment.length;
  }
  return [word.slice(0, end), word.slice(end)];
}

/**
 * Word-wraps plain text (no ANSI) to `width` terminal columns, keeping blank lines, list items and
 * leading indentation. Chinese and Japanese put no spaces between words, so a run with wide
 * characters in it is broken wherever a column boundary falls (UAX #14 allows a break between
 * ideographs); other words move to the next line whole and are cut only when longer than a line.
 */
export function wrap(text: string, width: number, indent = ''): string {
  const out: string[] = [];
  for (const para of reflow(text)) {
    if (para.trim() === '') {
      out.push('');
      continue;
    }
    const first = indent + (/^\s*/.exec(para)?.[0] ?? '');
    // List items hang: continuation lines align with the text after the marker.
    const rest = indent + ' '.repeat(LIST_ITEM.exec(para)?.[0].length ?? first.length - indent.length);
    let lead = first;
    let line = '';
    let used = 0;
    const push = (): void => {
      out.push(lead + line);
      lead = rest;
      line = '';
      used = 0;
    };
    const add = (piece: string): void => {
      line = line ? `${line} ${piece}` : piece;
      used = columns(line);
    };
    for (const word of para.trim().split(/\s+/)) {
      // The indentation is spaces, so its length is its width.
      const max = Math.max(20, width - lead.length);
      let w = word;
      if (line && used + 1 + columns(w) > max) {
        if (columns(w) > [...w].length) {
          const [head, tail] = fit(w, max - used - 1);
          if (head) {
            add(head);
            w = tail;
          }
        }
        push();
      }
      // A word longer than the line (a URL, a sentence without spaces) is cut so nothing runs past the edge.
      while (!line && columns(w) > Math.max(20, width - lead.length)) {
        const [head, tail] = fit(w, Math.max(20, width - lead.length));
        add(head);
        w = tail;
        push();
      }
      if (w) add(w);
    }
    if (line) push();
  }
  return out.join('\n');
}

/**
 * Code to `width` columns: every line keeps its indentation and is broken only at a space, never
 * inside a token (a token wider than the line runs past the edge whole); a continuation hangs two
 * columns deeper than its line.
 */
export function wrapCode(code: string, width: number, indent = ''): string {
  const out: string[] = [];
  for (const line of code.split('\n')) {
    const own = /^\s*/.exec(line)![0];
    let lead = indent + own;
    let rest = line.slice(own.length);
    for (;;) {
      const room = width - lead.length;
      if (columns(rest) <= room) break;
      // The last space that leaves the head within the line; failing that, the first one after it.
      let cut = rest.lastIndexOf(' ', room);
      if (cut <= 0) cut = rest.indexOf(' ', room);
      if (cut <= 0) break;
      out.push((lead + rest.slice(0, cut)).trimEnd());
      rest = rest.slice(cut + 1);
      lead = `${indent}${own}  `;
    }
    out.push((lead + rest).trimEnd());
  }
  return out.join('\n');
}

export interface Segment {
  kind: 'prose' | 'code';
  text: string;
  lang?: string;
}

/** Splits Markdown-style fenced code blocks (```lang ... ```) from prose. */
export function splitFences(text: string): Segment[] {
  const segs: Segment[] = [];
  const lines = text.split('\n');
  let buf: string[] = [];
  let inCode = false;
  let lang = '';
  const flush = (kind: Segment['kind']): void => {
    const t = buf.join('\n');
    if (kind === 'code' || t.trim() !== '')
      segs.push(kind === 'code' ? { kind, text: t, lang } : { kind, text: t.replace(/^\n+|\n+$/g, '') });
    buf = [];
  };
  for (const line of lines) {
    const fence = /^\s*```\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      if (inCode) {
        flush('code');
        inCode = false;
      } else {
        flush('prose');
        inCode = true;
        lang = fence[1] ?? '';
      }
      continue;
    }
    buf.push(line);
  }
  flush(inCode ? 'code' : 'prose');
  return segs;
}
