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

/** Word-wraps plain text (no ANSI) to `width` columns, keeping blank lines, list items and leading indentation. */
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
    const push = (): void => {
      out.push(lead + line);
      lead = rest;
      line = '';
    };
    for (const word of para.trim().split(/\s+/)) {
      const max = Math.max(20, width - lead.length);
      if (line && line.length + 1 + word.length > max) push();
      // A word longer than the line (a URL) is split so nothing runs past the edge.
      let w = word;
      while (!line && w.length > Math.max(20, width - lead.length)) {
        line = w.slice(0, Math.max(20, width - lead.length));
        w = w.slice(line.length);
        push();
      }
      line = line ? `${line} ${w}` : w;
    }
    if (line) push();
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
    if (kind === 'code' || t.trim() !== '') segs.push(kind === 'code' ? { kind, text: t, lang } : { kind, text: t.replace(/^\n+|\n+$/g, '') });
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
