// The HTML we write, checked as the validators check it: html-validate with its recommended rules
// and those for whole documents (doctype, title, language), and the code points the HTML parser
// itself reports (WHATWG HTML, "Preprocessing the input stream": noncharacter-in-input-stream,
// control-character-in-input-stream, surrogate-in-input-stream), which the Nu Html Checker shows
// as "Forbidden code point" and html-validate does not look at.
import { HtmlValidate } from 'html-validate';

const validator = new HtmlValidate({ extends: ['html-validate:recommended', 'html-validate:document'] });

/** Controls other than ASCII whitespace, noncharacters and lone surrogates. */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]|\p{Noncharacter_Code_Point}|\p{Cs}/gu;

/** Every problem found, `line:col rule: message`; empty when the document passes. */
export async function htmlProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html, 'report.html');
  const found = report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
  for (const m of html.matchAll(FORBIDDEN)) {
    const before = html.slice(0, m.index).split('\n');
    const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    found.push(`${before.length}:${before.at(-1)!.length + 1} forbidden-code-point: U+${code}`);
  }
  return found;
}
