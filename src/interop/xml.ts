// Writing XML by hand: every piece of bank text goes through escapeXml, which also replaces the
// characters XML 1.0 cannot carry at all (most control characters, lone surrogates) and the
// noncharacters (U+FDD0–U+FDEF, U+FFFE, U+FFFF and their like in every plane), which XML 1.0 §2.2
// asks documents to avoid and HTML's parser reports as errors.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]|\p{Noncharacter_Code_Point}/gu;

/** Text with every character a markup document should not carry replaced by U+FFFD. */
export function markupChars(s: string): string {
  return s.replace(NOT_XML, '\uFFFD');
}

const SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute value → XML, with the five predefined entities. */
export function escapeXml(s: string): string {
  return markupChars(s).replace(/[&<>"']/g, (c) => SPECIAL[c]!);
}

/**
 * Element text the way Moodle's exporter writes it (qformat_xml::xml_escape in
 * question/format/xml/format.php): as is when nothing needs escaping, else one CDATA section, a
 * `]]>` inside split across two. Entities would reach Moodle's xmlize() as separate pieces of
 * character data, and PHP's parser with XML_OPTION_SKIP_WHITE drops a piece that is only
 * whitespace: `&apos;a&apos; &apos;b&apos;` arrives as `'a''b'`. A CDATA section is one piece.
 */
export function xmlText(s: string): string {
  const t = markupChars(s);
  return /[&<>"']/.test(t) ? `<![CDATA[${t.replace(/]]>/g, ']]]]><![CDATA[>')}]]>` : t;
}

/** `<!-- … -->` content: `--` may not appear inside a comment. */
export function xmlComment(s: string): string {
  return `<!-- ${markupChars(s)
    .replace(/-(?=-)/g, '- ')
    .replace(/-$/, '- ')} -->`;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
