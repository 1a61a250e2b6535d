// Accept patterns come from banks, which are untrusted: a backtracking engine lets one like
// /^(a+)+$/ hang on "aaaa…ab" (ReDoS). RE2 guarantees time linear in the input, at the price of
// back-references and lookaround, which `validate` reports. re2js is loaded on first use, so a
// quiz without patterns does not pay for it.
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSType } from 're2js';

type Re2 = typeof RE2JSType;
let engine: Re2 | undefined;
const re2 = (): Re2 => (engine ??= (createRequire(import.meta.url)('re2js') as { RE2JS: Re2 }).RE2JS);

const compiled = new Map<string, RE2JSType>();

function flagBits(flags: string): number {
  const r = re2();
  // u is RE2's only mode (it matches code points); the others map one to one.
  return (flags.includes('i') ? r.CASE_INSENSITIVE : 0) | (flags.includes('m') ? r.MULTILINE : 0) | (flags.includes('s') ? r.DOTALL : 0);
}

function compile(pattern: string, flags: string): RE2JSType {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (!re) compiled.set(key, (re = re2().compile(pattern, flagBits(flags))));
  return re;
}

/** Whether `text` contains a match of the pattern, in time linear in `text`. */
export function patternMatches(pattern: string, flags: string, text: string): boolean {
  return compile(pattern, flags).test(text);
}

/** Why RE2 cannot run the pattern, with the character it stopped at; undefined when it can. */
export function patternProblem(pattern: string, flags: string): string | undefined {
  try {
    compile(pattern, flags);
    return undefined;
  } catch (e) {
    const message = (e as Error).message.replace(/^error parsing regexp: /, '');
    const culprit = /`([^`]*)`$/.exec(message)?.[1];
    const at = culprit ? pattern.indexOf(culprit) : -1;
    return `${message}${at >= 0 ? ` at character ${at + 1} of the pattern` : ''}`;
  }
}
