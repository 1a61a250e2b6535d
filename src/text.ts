// Text from outside (banks, packs, result files, names, answers, file names) is untrusted: an
// escape sequence in it could rewrite the terminal (OSC 52 clipboard writes, window titles, hidden
// text, cursor moves), and a bidi control could make it read as something else (Trojan Source,
// CVE-2021-42574: `evil\u202etxt.exe` shows as `evilexe.txt`). Every such character is shown as a
// visible `\uXXXX` instead, so the reader sees what the text holds rather than what it does:
// - C0 controls (ESC and the rest) and DEL; C1 controls (U+0080–U+009F, which some terminals
//   read as ESC [ and the like);
// - bidi embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, and the marks U+200E,
//   U+200F and U+061C, which reorder the text around them;
// - U+2028/U+2029, which some viewers break lines on and terminals do not;
// - lone surrogates, which are no character at all (a terminal shows U+FFFD, hiding what was there).
// Wrapped in an isolate, an override would still flip the name itself, so it is shown, not isolated.
const OTHERS = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
/** The list with these C0 controls; `\\p{Cs}` in a `u` pattern matches only a lone surrogate. */
const unsafe = (c0: string): RegExp => new RegExp(`[${c0}${OTHERS}]|\\p{Cs}`, 'gu');
const UNSAFE = unsafe('\\u0000-\\u001f');
const UNSAFE_BUT_NEWLINE = unsafe('\\u0000-\\u0009\\u000b-\\u001f');

const hex4 = (code: number): string => code.toString(16).padStart(4, '0');

/** `\uXXXX` for one unsafe character; a tab becomes four spaces, which is what it means. */
function visible(ch: string): string {
  if (ch === '\t') return '    ';
  return `\\u${hex4(ch.charCodeAt(0))}`;
}

/**
 * Untrusted text made safe for a terminal: every control, escape, bidi control and lone surrogate
 * shown as a visible `\uXXXX`, tabs as spaces. With `lines`, CRLF and CR become newlines and
 * newlines are kept; without, a newline is shown as `\u000a` too, so the text stays on one line.
 * Idempotent: its output holds none of the characters it replaces.
 */
export function terminalSafe(s: string, opts: { lines?: boolean } = {}): string {
  return opts.lines ? s.replace(/\r\n?/g, '\n').replace(UNSAFE_BUT_NEWLINE, visible) : s.replace(UNSAFE, visible);
}

/** Untrusted text of several lines (a prompt, an answer, instructions), safe for a terminal. */
export const safeText = (s: string): string => terminalSafe(s, { lines: true });

/** Untrusted one-line text (a name, a title, a file name), safe for a terminal; newlines are escaped too. */
export const safeLine = (s: string): string => terminalSafe(s);

/**
 * Like safeText, but every line break (CRLF, CR, LF) is kept exactly as it was: for formats that
 * quote or escape line breaks themselves (a CSV cell, a CI log command).
 */
export function safeKeepingBreaks(s: string): string {
  return s
    .split(/(\r\n|\r|\n)/)
    .map((part, i) => (i % 2 ? part : terminalSafe(part)))
    .join('');
}

// What terminalSafe shows, but tab, LF and CR: data formats have escapes of their own for the
// rest, which give the exact text back to a parser while nothing acts on a terminal.
const UNSAFE_IN_DATA = unsafe('\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f');

/** Each character terminalSafe would show, written as the format's own escape for its code instead. */
export function escapeUnsafe(s: string, as: (code: number) => string): string {
  return s.replace(UNSAFE_IN_DATA, (ch) => as(ch.charCodeAt(0)));
}

/**
 * JSON text as JSON.stringify writes it, with the characters above that it leaves raw (C1 and bidi
 * controls, U+2028/U+2029) written as `\uXXXX` escapes: the same data to every parser, and safe
 * when the JSON is printed to a terminal. JSON.stringify already escapes C0 controls and lone
 * surrogates, and the text's own newlines are its layout, so they stay.
 */
export const safeJson = (json: string): string => escapeUnsafe(json, (code) => `\\u${hex4(code)}`);

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
