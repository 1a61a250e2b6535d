// Bank text and candidate names are untrusted: an escape sequence in them could rewrite the
// terminal (OSC 52 clipboard writes, hidden text, cursor moves). Control characters other than
// newline are replaced by a visible escape before anything is shown or stored.
// C0 controls except \n, DEL, and C1 controls (0x80-0x9f, which some terminals treat as ESC [).
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const CONTROL_NO_NEWLINE = /[\u0000-\u001f\u007f-\u009f]/g;

function visible(ch: string): string {
  if (ch === '\t') return '    ';
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Replace control characters (except newline) with a visible `\uXXXX` form; tabs become spaces. */
export function safeText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(CONTROL, visible);
}

/** Like safeText, but for one-line values such as names: newlines are escaped too. */
export function safeLine(s: string): string {
  return s.replace(CONTROL_NO_NEWLINE, visible);
}

/** Case- and whitespace-insensitive form used to compare free-text answers. */
export function normalizeAnswer(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `42s`, `12m 05s`, `30m`, `1h 02m 05s`, `1h 30m`: units that are zero at the end are left out. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = h ? [`${h}h`, ...(m || s ? [`${two(m)}m`] : [])] : [`${m}m`];
  if (s) parts.push(`${two(s)}s`);
  return parts.join(' ');
}
