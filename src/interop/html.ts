// Moodle stores most question text as HTML. Banks hold plain text with Markdown-style code, so
// HTML is turned into that: blocks become paragraphs, <pre> a fenced block, <code> backticks,
// entities decoded, every other tag dropped. A small scanner, not a browser: question text is a
// fragment of simple markup, and anything it does not know is kept as its text.
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  times: '×',
  divide: '÷',
  minus: '−',
  le: '≤',
  ge: '≥',
  ne: '≠',
  deg: '°',
  copy: '©',
  reg: '®',
  trade: '™',
  middot: '·',
  bull: '•',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  plusmn: '±',
  rarr: '→',
  larr: '←',
  harr: '↔',
  uarr: '↑',
  darr: '↓',
  shy: '',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,30});/gi, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : m;
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}

const BLOCK = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'table', 'blockquote', 'hr']);

/** HTML fragment → text with paragraphs, code fences and inline code; `found.images` counts dropped <img>. */
export function htmlToText(html: string, found: { images: number } = { images: 0 }): string {
  if (!/[<&]/.test(html)) return html.trim();
  const out: string[] = [];
  let inPre = 0;
  let text = '';
  const flush = (): void => {
    flushes++;
    const t = text.replace(/[ \t\r\n]+/g, ' ').trim();
    if (t) out.push(decodeEntities(t));
    text = '';
  };
  // Scanned by hand with indexOf: each character is looked at a bounded number of times, so no
  // input (an unclosed comment, a '<' with no '>') can make it slow.
  // A link keeps its target as a Markdown link, and audio or video its source, so a prompt that
  // points at a recording still does after the tags are gone.
  let link: { href: string; start: number; flushes: number } | undefined;
  let flushes = 0;
  const attr = (tag: string, name: string): string | undefined => {
    const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
    const v = m ? (m[1] ?? m[2] ?? m[3] ?? '') : '';
    return v.trim() ? decodeEntities(v.trim()) : undefined;
  };
  let i = 0;
  let gt = -2; // the next '>' at or after the current '<' (-1: there is none)
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text += html.slice(i);
      break;
    }
    text += html.slice(i, lt);
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9]{0,20})/.exec(html.slice(lt, lt + 23));
    if (tag && gt !== -1 && gt < lt) gt = html.indexOf('>', lt);
    if (!tag || gt < 0) {
      text += '<';
      i = lt + 1;
      continue;
    }
    i = gt + 1;
    const close = tag[1] === '/';
    const name = tag[2]!.toLowerCase();
    if (name === 'pre') {
      if (!close) {
        flush();
        inPre++;
      } else if (inPre) {
        inPre--;
        out.push(`\`\`\`\n${decodeEntities(text).replace(/^\n/, '').replace(/\s+$/, '')}\n\`\`\``);
        text = '';
      }
    } else if (inPre) {
      if (name === 'br') text += '\n';
    } else if (name === 'code' || name === 'tt' || name === 'kbd') text += '`';
    else if (name === 'b' || name === 'strong') text += '**';
    else if (name === 'img') found.images++;
    else if (name === 'a' && !close) {
      const href = attr(html.slice(lt, gt), 'href');
      link = href ? { href, start: text.length, flushes } : undefined;
    } else if (name === 'a') {
      if (link && link.flushes === flushes) {
        const label = text.slice(link.start).replace(/\s+/g, ' ').trim();
        text = `${text.slice(0, link.start)}${label && label !== link.href ? `[${label}](${link.href})` : link.href}`;
      }
      link = undefined;
    } else if (!close && ['audio', 'video', 'source', 'embed', 'iframe'].includes(name)) {
      const src = attr(html.slice(lt, gt), 'src');
      if (src) text += ` [${name === 'source' || name === 'embed' || name === 'iframe' ? 'media' : name}](${src}) `;
    } else if (name === 'li' && !close) {
      flush();
      text = '- ';
    } else if (BLOCK.has(name)) flush();
  }
  flush();
  return out.join('\n\n').trim();
}
