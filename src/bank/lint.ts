// Content checks for a curriculum of banks, beyond what makes a bank valid: enough questions, a
// difficulty mix, several question types, references everywhere, no near-duplicate prompts across
// banks, and no tells that give the right answer away to a candidate who does not know the subject
// (the longest choice, the only hedged one, the only one that repeats the prompt or a word of a name
// it shows, a loose accept pattern), and no facts last checked more than a year ago. Pure: banks
// (and the months their questions were checked) in, problems out.
import { normalizeAnswer } from '../text.js';
import { monthNumber, monthOf, parseRegexEntry } from './parse.js';
import { patternMatches } from '../engine/pattern.js';
import { CURRICULUM_RULES, type LintRules } from './rules.js';
import { isTask, type Bank, type ChoiceQuestion, type Difficulty, type Problem, type Question, type TextQuestion } from './types.js';

export { CURRICULUM_RULES, type LintRules };

type Where = (q: Question) => { file: string; line: number; col: number };

function trigrams(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function uniquelyLongestIsCorrect(q: Question): boolean {
  if (q.type !== 'single') return false;
  const lengths = q.choices.map((c) => c.text.length);
  const max = Math.max(...lengths);
  return lengths.filter((l) => l === max).length === 1 && q.choices[lengths.indexOf(max)]!.correct;
}

// --- Tells within one question -------------------------------------------------------------------
// Each is calibrated on the built-in library: it should flag questions a test-wise guess gets right,
// not every question that happens to use one of its words.

const wordList = (words: readonly string[]): RegExp => new RegExp(`\\b(?:${words.map((w) => w.replace(/ /g, '\\s+')).join('|')})\\b`, 'gi');

/** Qualifiers only ever soften a claim, so one is enough to set the right choice apart. */
const QUALIFIERS = wordList([
  'usually',
  'often',
  'typically',
  'generally',
  'normally',
  'mostly',
  'largely',
  'likely',
  'probably',
  'possibly',
  'sometimes',
  'rarely',
  'seldom',
  'occasionally',
  'depends',
  'depending',
  'at least',
  'at most',
  'in most cases',
  'in general',
  'tends? to',
  'not necessarily',
]);
/** Modals and vague amounts hedge, but as often state a plain ability ("fields can be filtered"). */
const MODALS = wordList(['may', 'might', 'can', 'could', 'some', 'a few', 'up to']);
const ABSOLUTES = wordList([
  'always',
  'never',
  'only',
  'all',
  'every',
  'none',
  'nothing',
  'no one',
  'nobody',
  'must',
  'cannot',
  "can[\u2019']t",
  'can not',
  'guarantees?',
  'guaranteed',
  'exactly',
  'entirely',
  'completely',
  'impossible',
  'forever',
]);
/** "cannot", "couldn't" are absolutes, not the hedges "can" and "could". */
const NEGATED_MODAL = /\b(?:can|could)(?:not|n?[\u2019']t|\s+not)\b/gi;
/** A hedge right after a negation is absolute again: "neither team can change it". */
const NEGATION = /\b(?:not|no|neither|nor|never|nothing|none|nobody|without)\b/i;

interface Hedge {
  word: string;
  qualifier: boolean;
}

export function hedgesIn(text: string): Hedge[] {
  const s = text.replace(NEGATED_MODAL, ' ');
  const found: (Hedge & { at: number })[] = [];
  for (const [re, qualifier] of [
    [QUALIFIERS, true],
    [MODALS, false],
  ] as const) {
    for (const m of s.matchAll(re)) {
      const before = s.slice(0, m.index).split(/\s+/).slice(-3).join(' ');
      if (!/^not\b/i.test(m[0]) && NEGATION.test(before)) continue;
      found.push({ word: m[0].toLowerCase().replace(/\s+/g, ' '), qualifier, at: m.index });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ word, qualifier }) => ({ word, qualifier }));
}

export function absolutesIn(text: string): string[] {
  return [...text.matchAll(ABSOLUTES)].map((m) => m[0].toLowerCase().replace(/\s+/g, ' '));
}

const quoteAll = (words: Iterable<string>): string => [...new Set(words)].map((w) => `'${w}'`).join(', ');

/**
 * The right choices are exactly the hedged ones, and the wrong ones are absolute: "choose the
 * qualified statement" then beats knowing the subject. A modal such as "can" needs every wrong
 * choice to be absolute before it counts; a qualifier such as "at least" needs one.
 */
export function hedgeTell(q: ChoiceQuestion): string | undefined {
  const marked = q.choices.map((c) => ({ correct: c.correct, hedges: hedgesIn(c.text), absolutes: absolutesIn(c.text) }));
  const right = marked.filter((c) => c.correct);
  const wrong = marked.filter((c) => !c.correct);
  if (wrong.length === 0 || !right.every((c) => c.hedges.length > 0 && c.absolutes.length === 0)) return undefined;
  if (wrong.some((c) => c.hedges.length > 0)) return undefined;
  const absolute = wrong.filter((c) => c.absolutes.length > 0);
  const qualified = right.every((c) => c.hedges.some((h) => h.qualifier));
  if (absolute.length === 0 || (!qualified && absolute.length < wrong.length)) return undefined;
  const hedges = quoteAll(right.flatMap((c) => c.hedges.map((h) => h.word)));
  const absolutes = quoteAll(absolute.flatMap((c) => c.absolutes));
  const which = q.type === 'single' ? 'the right choice hedges' : 'the right choices hedge';
  return `only ${which} (${hedges}) while wrong choices are absolute (${absolutes}), which gives the answer away; qualify a wrong choice too or word the answer as firmly`;
}

const FENCE = /```[^\n]*\n([\s\S]*?)```/g;
const BACKTICKS = /`([^`\n]+)`/g;
const TOKEN = /[\p{L}\p{N}_$@-][\p{L}\p{N}_.:/$@%+-]*/gu;
/** Numbers as values, so "20" in a header matches "20 s" in a choice; "40,000" and "1_000" are one number. */
const NUMBER = /(?<![\p{L}\p{N}.,_])(\d{1,3}(?:,\d{3})+|\d[\d_]*(?:\.\d+)?)(?!\d)/gu;

/**
 * Whether a word of prose is code rather than English: snake_case, dotted.names, a::path,
 * camelCase, --flags, @annotations, hyphenated-words, percentiles (p99). "Node.js" is a name and
 * "e.g." an abbreviation.
 * In code (backticks, fenced blocks) PascalCase counts too.
 */
function codeLike(token: string, inCode: boolean): boolean {
  if (/^(?:--|@)\p{L}/u.test(token)) return true;
  if (/\p{L}/u.test(token) && token.includes('_')) return true;
  if (token.includes('::')) return true;
  if (/^\p{Lu}\p{Ll}+\.js$/u.test(token) || /^(?:\p{L}\.)+\p{L}?$/u.test(token)) return false;
  if (/[\p{L}\d]\.\p{L}|\p{L}\.\d/u.test(token)) return true;
  if (/^\p{Ll}[\p{L}\d]*\p{Lu}\p{Ll}/u.test(token)) return true;
  if (inCode && /\p{Ll}\p{Lu}/u.test(token)) return true;
  if (/\p{L}-\p{L}/u.test(token)) return true;
  return /^p\d{2,3}(?:\.\d+)?$/i.test(token);
}

const trimToken = (t: string): string => t.replace(/^(?!--)[.:/+-]+|[.:/+-]+$/g, '');

/** The identifiers of a prompt, lower-cased, with their first spelling for messages. */
export function promptIdentifiers(prompt: string): Map<string, string> {
  const out = new Map<string, string>();
  const add = (t: string): void => void (out.has(t.toLowerCase()) || out.set(t.toLowerCase(), t));
  const prose = prompt.replace(FENCE, ' ');
  for (const [, code] of prompt.matchAll(FENCE))
    for (const t of code!.match(TOKEN) ?? []) if (codeLike(trimToken(t), true)) add(trimToken(t));
  // Anything in backticks is code, even a plain word such as `main`.
  for (const [, span] of prose.matchAll(BACKTICKS))
    for (const t of span!.match(TOKEN) ?? []) if (trimToken(t).length > 1 && /\p{L}/u.test(t)) add(trimToken(t));
  for (const t of prose.replace(BACKTICKS, ' ').match(TOKEN) ?? []) if (codeLike(trimToken(t), false)) add(trimToken(t));
  return out;
}

export function numbersIn(text: string): Set<number> {
  return new Set([...text.matchAll(NUMBER)].map((m) => Number(m[1]!.replace(/[,_]/g, ''))));
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a choice repeats from the prompt: identifiers (as written in the prompt) and numbers. */
export function echoes(choice: string, ids: Map<string, string>, numbers: Set<number>): string[] {
  const lower = choice.toLowerCase();
  const found = [...ids]
    .filter(([id]) => new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRe(id)}(?![\\p{L}\\p{N}_])`, 'u').test(lower))
    .map(([, shown]) => shown);
  for (const n of numbersIn(choice)) if (numbers.has(n)) found.push(String(n));
  return found;
}

/**
 * The right choices are exactly the ones that repeat an identifier or number of the prompt, so
 * "pick the one about the code shown" finds them. The mirror image is a tell too: every wrong
 * choice repeats one detail of the prompt and the right one alone steps away from it.
 */
export function echoTell(q: ChoiceQuestion): string | undefined {
  const ids = promptIdentifiers(q.prompt);
  const numbers = numbersIn(q.prompt);
  const echoed = q.choices.map((c) => echoes(c.text, ids, numbers));
  const wrong = echoed.filter((_, i) => !q.choices[i]!.correct);
  const right = echoed.filter((_, i) => q.choices[i]!.correct);
  if (wrong.length === 0) return undefined;
  if (wrong.every((e) => e.length === 0) && right.every((e) => e.length > 0)) {
    const which = q.type === 'single' ? 'the right choice repeats' : 'the right choices repeat';
    return `only ${which} ${quoteAll(right.flat())} from the prompt, which gives the answer away; let wrong choices use the prompt's details too`;
  }
  const shared = wrong.reduce((a, b) => a.filter((t) => b.includes(t)));
  if (q.type === 'single' && wrong.length > 1 && shared.length > 0 && right.every((e) => e.length === 0)) {
    return `every wrong choice repeats ${quoteAll(shared)} from the prompt and the right one does not, so the odd one out is the answer; vary the wrong choices`;
  }
  return undefined;
}

// --- Giveaways found by the December audit -------------------------------------------------------

/**
 * Words too common in prompts and code to tell anything: English function words, and the keywords
 * of the languages the banks show (SQL, JavaScript, Python, Java, shells).
 */
const STOP_WORDS = new Set(
  (
    'about above after again against also because been before being below between both could does doing down during each ' +
    'from further have having here into itself just more most once only other over same should some such than that their ' +
    'them then there these they this those through under until very what when where which while whom will with would your ' +
    'select insert update delete where from join inner outer left right group order limit values into table index create ' +
    'alter drop null true false none self this const function return async await class static public private void final ' +
    'import export default string number boolean object value values type types data name names file files line lines ' +
    'text code http https example request response error errors status objects'
  ).split(' '),
);

/** A name's words: CamelCase, snake_case, kebab-case and dotted names split apart, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(/[^\p{L}]+/u)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** A loose stem, so that "trim", "trims", "trimmed" and "trimming" meet, and "expire" and "expiry". */
export function stem(word: string): string {
  let w = word.toLowerCase();
  const cut = (n: number): boolean => (w.length - n >= 3 ? ((w = w.slice(0, -n)), true) : false);
  if (/(?:ations?)$/.test(w)) cut(w.endsWith('s') ? 6 : 5);
  else if (/ings?$/.test(w)) cut(w.endsWith('s') ? 4 : 3);
  else if (/ed$/.test(w)) cut(2);
  else if (/(?:ss|sh|ch|x|z)es$/.test(w)) cut(2);
  else if (/[^s]s$/.test(w)) cut(1);
  else if (/[^aeiou]y$/.test(w)) cut(1);
  // trimm(ed) -> trim; but keep "ss" (access).
  if (/([b-df-hj-np-rtv-z])\1$/.test(w)) w = w.slice(0, -1);
  return w.replace(/e$/, '');
}

const STOP_STEMS = new Set([...STOP_WORDS].map(stem));
const meaningful = (w: string): boolean => w.length >= 4 && !STOP_WORDS.has(w) && !STOP_STEMS.has(stem(w));

/** The stems of every word of a text, names split into their words. */
function textStems(text: string): Set<string> {
  return new Set(nameWords(text).map(stem));
}

/**
 * The words inside the compound names a prompt quotes or shows as code (`TrimmedDataAccessException`,
 * `restartPolicy`, `min.insync.replicas`), by stem, with the word and the name each came from. A
 * one-word name is left to echoTell, which sees a choice repeat a whole name; a word the prompt
 * also says in its prose is the subject of the question, and one of the bank's own topic ("cache"
 * in caching) the subject of every question, not a hint hidden in a name.
 */
export function quotedNameWords(prompt: string, topic = ''): Map<string, { word: string; name: string }> {
  const prose = textStems(
    prompt
      .replace(FENCE, ' ')
      .replace(BACKTICKS, ' ')
      .replace(TOKEN, (t) => (codeLike(trimToken(t), false) ? ' ' : t)),
  );
  for (const w of nameWords(topic)) prose.add(stem(w));
  const quoted = [...prompt.matchAll(BACKTICKS), ...prompt.matchAll(FENCE)].map((m) => m[1]!).join('\n');
  const out = new Map<string, { word: string; name: string }>();
  for (const name of promptIdentifiers(prompt).values()) {
    const words = nameWords(name);
    // A media type or a path (application/x-www-form-urlencoded) names a format, not a mechanism;
    // "weight-based" in prose is English, though in backticks it is a name.
    if (words.length < 2 || name.includes('/') || (/^\p{Ll}+(?:-\p{Ll}+)+$/u.test(name) && !quoted.includes(name))) continue;
    for (const word of words) {
      const st = stem(word);
      if (meaningful(word) && st.length >= 4 && !prose.has(st) && !out.has(st)) out.set(st, { word, name });
    }
  }
  return out;
}

/**
 * A word taken from a name the prompt quotes or shows as code, used by the right choices alone:
 * `TrimmedDataAccessException` in the prompt and "were trimmed" in the one right choice. A reader
 * who matches words finds the answer without knowing the subject.
 */
export function nameEchoTell(q: ChoiceQuestion): string | undefined {
  const words = quotedNameWords(q.prompt, q.topic);
  if (words.size === 0) return undefined;
  const stems = q.choices.map((c) => textStems(c.text));
  const right = stems.filter((_, i) => q.choices[i]!.correct);
  const wrong = stems.filter((_, i) => !q.choices[i]!.correct);
  if (wrong.length === 0 || right.length === 0) return undefined;
  const echoed = [...words].filter(
    ([w, { name }]) =>
      right.every((s) => s.has(w)) &&
      // A wrong choice with the word inside one of its own ("asynchronous" for "synchronous") uses it too.
      !wrong.some((s) => [...s].some((x) => x.includes(w))) &&
      // A right choice that repeats the whole name is echoTell's to report.
      !q.choices.some((c) => c.correct && c.text.toLowerCase().includes(name.toLowerCase())),
  );
  if (echoed.length === 0) return undefined;
  const which = q.type === 'single' ? 'only the right choice uses' : 'only the right choices use';
  const list = echoed.map(([, { word, name }]) => `'${word}' (from ${name})`).join(', ');
  return `${which} ${list}, a word of a name the prompt shows, which gives the answer away; use the word in a wrong choice too, or reword the answer`;
}

/**
 * Words that soften a claim itself, for loneHedgeTell. Narrower than hedgeTell's lists, since no
 * absolute wrong choice backs the reading up: "can" and "up to" state abilities and limits ("can be
 * refilled", "up to 20 seconds"), and "often", "rarely" and "depending" describe the subject ("read
 * often, written rarely") as often as they hedge; on the built-in library those were all false alarms.
 */
const LONE_HEDGES = wordList([
  'nearly all',
  'almost all',
  'usually',
  'typically',
  'generally',
  'normally',
  'mostly',
  'largely',
  'mainly',
  'primarily',
  'likely',
  'probably',
  'possibly',
  'nearly',
  'almost',
  'roughly',
  'approximately',
  'may',
  'might',
  'in most cases',
  'in general',
  'in practice',
  'tends? to',
  // "most inserts", "most of the": an amount; not "the most", "at most" or "most recent".
  'most(?= of\\b| [a-z]+s\\b)',
]);

const HEDGED_AMOUNT = new RegExp(`${LONE_HEDGES.source}(?:\\s+all\\b)?`, 'giu');

function loneHedges(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(LONE_HEDGES)) {
    const before = text.slice(0, m.index);
    if (NEGATION.test(before.split(/\s+/).slice(-3).join(' ')) || /\b(?:the|at)\s+$/i.test(before)) continue;
    out.push(m[0].toLowerCase().replace(/\s+/g, ' '));
  }
  return out;
}

/**
 * The right choices hedge ("nearly all", "usually", "may") and no wrong choice hedges at all, even
 * with "can": the one qualified claim reads as the careful, right one. A right choice that is also
 * absolute elsewhere ("cannot tell ... nearly all") is not the careful one, and hedgeTell covers
 * wrong choices that are all absolute, with its own message.
 */
export function loneHedgeTell(q: ChoiceQuestion): string | undefined {
  const right = q.choices.filter((c) => c.correct).map((c) => c.text);
  const wrong = q.choices.filter((c) => !c.correct).map((c) => c.text);
  if (wrong.length === 0 || wrong.some((t) => hedgesIn(t).length > 0 || loneHedges(t).length > 0)) return undefined;
  const hedges = right.map(loneHedges);
  if (!hedges.every((h) => h.length > 0)) return undefined;
  // "nearly all" is one hedge, not a hedge and an absolute.
  const rest = right.map((t) => t.replace(HEDGED_AMOUNT, ' '));
  if (rest.some((t) => absolutesIn(t).length > 0)) return undefined;
  const which = q.type === 'single' ? 'only the right choice hedges' : 'only the right choices hedge';
  return `${which} (${quoteAll(hedges.flat())}) and no wrong choice does, which gives the answer away; qualify a wrong choice too or word the answer as firmly`;
}

/** Edit distance, for near misses of a short answer. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

const QUOTED = /`([^`\n]+)`|"([^"\n]+)"|\u201c([^\u201d\n]+)\u201d/g;

/**
 * A spelling the question quotes that is close to the answer but not one of its literal accepted
 * forms is a near miss (`s-max-age` beside `s-maxage`); an accept pattern that takes it scores a
 * wrong answer as right. Literal forms are the author's list of right spellings.
 */
export function looseAcceptTells(q: TextQuestion): string[] {
  const answer = q.accept.find((a) => !parseRegexEntry(a));
  if (answer === undefined) return [];
  const literals = q.accept.filter((a) => !parseRegexEntry(a)).map(normalizeAnswer);
  const canonical = normalizeAnswer(answer);
  const squash = (s: string): string => s.replace(/[-_\s]/g, '');
  const nearMisses = new Set<string>();
  for (const m of `${q.prompt}\n${q.explanation ?? ''}`.matchAll(QUOTED)) {
    const quoted = (m[1] ?? m[2] ?? m[3]!).trim();
    const norm = normalizeAnswer(quoted);
    const distance = levenshtein(norm, canonical);
    if (!literals.includes(norm) && (squash(norm) === squash(canonical) || (distance <= 3 && distance * 2 < canonical.length)))
      nearMisses.add(quoted);
  }
  const out: string[] = [];
  for (const entry of q.accept) {
    const re = parseRegexEntry(entry);
    if (!re) continue;
    const taken = [...nearMisses].filter((t) => patternMatches(re.pattern, re.flags, t));
    if (taken.length) {
      out.push(
        `accept pattern ${entry} also takes ${taken.map((t) => `"${t}"`).join(', ')}, which the question quotes as near misses of '${answer}'; narrow the pattern to the right spellings`,
      );
    }
  }
  return out;
}

// --- Facts age ---------------------------------------------------------------------------------
// Specifications get new editions and defaults move, so a question records the month its facts
// were last checked against its references (`checked:`), and a check grows stale.

/** A check more than this many months before the current month is stale. */
export const STALE_AFTER_MONTHS = 12;
/**
 * Whether `validate --lint` also warns on a question with no `checked:` month: every built-in
 * question carries one since the December 2026 audit, and a curriculum question must say when its
 * facts were last checked. `--stale` lists such questions as never checked either way.
 */
export const WARN_NEVER_CHECKED = true;

export interface FreshnessOptions {
  /** The `checked:` month of each question that has one, by key. */
  checked?: ReadonlyMap<string, string>;
  /** Today; months are counted from its month (UTC). */
  now?: Date;
  /** Warn on questions with no `checked:` month (default WARN_NEVER_CHECKED). */
  warnNeverChecked?: boolean;
}

export interface StaleQuestion {
  key: string;
  file: string;
  line: number;
  col: number;
  /** The month of the last check, or null when the question was never checked. */
  checked: string | null;
  /** Whole months from that month to the current one; null when never checked. */
  months: number | null;
  references: string[];
}

/** Questions whose last check is more than STALE_AFTER_MONTHS months old, or that were never checked, in bank order. */
export function staleQuestions(banks: readonly Bank[], where: Where, opts: FreshnessOptions = {}): StaleQuestion[] {
  const current = monthNumber(monthOf(opts.now ?? new Date()))!;
  const out: StaleQuestion[] = [];
  for (const q of banks.flatMap((b) => b.questions)) {
    const month = opts.checked?.get(q.key);
    const months = month === undefined ? null : current - monthNumber(month)!;
    if (months !== null && months <= STALE_AFTER_MONTHS) continue;
    out.push({ key: q.key, ...where(q), checked: month ?? null, months, references: [...q.references] });
  }
  return out;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function freshnessProblems(banks: readonly Bank[], where: Where, opts: FreshnessOptions): Problem[] {
  const warnNever = opts.warnNeverChecked ?? WARN_NEVER_CHECKED;
  return staleQuestions(banks, where, opts)
    .filter((s) => s.checked !== null || warnNever)
    .map(({ key, file, line, col, checked, months }) => ({
      file,
      line,
      col,
      message:
        checked === null
          ? `${key}: has no 'checked:' month; check its facts against its references and record the month (checked: YYYY-MM)`
          : `${key}: its facts were last checked ${checked}, ${plural(months!, 'month')} ago (more than ${STALE_AFTER_MONTHS}); check them against its references again and update 'checked:'`,
    }));
}

export function lintBanks(
  banks: readonly Bank[],
  where: Where,
  rules: LintRules = CURRICULUM_RULES,
  freshness: FreshnessOptions = {},
): Problem[] {
  const problems: Problem[] = [];
  const atBank = (b: Bank, message: string): void =>
    void problems.push({ file: b.source, line: 1, col: 1, message: `bank '${b.id}': ${message}` });
  const atQuestion = (q: Question, message: string): void => void problems.push({ ...where(q), message: `${q.key}: ${message}` });

  for (const b of banks) {
    // The mix of kinds and difficulties is about questions; a bank's tasks are checked on their own.
    const questions = b.questions.filter((q) => !isTask(q));
    const n = questions.length;
    if (n < rules.minQuestions) atBank(b, `has ${n} questions; a curriculum bank needs at least ${rules.minQuestions}`);
    for (const [level, target] of Object.entries(rules.mix) as [Difficulty, number][]) {
      const share = questions.filter((q) => q.difficulty === level).length / Math.max(1, n);
      if (Math.abs(share - target) > rules.mixTolerance)
        atBank(b, `${pct(share)} of questions are ${level}; aim for about ${pct(target)} (±${pct(rules.mixTolerance)})`);
    }
    const types = new Set(questions.map((q) => q.type));
    if (types.size < rules.minTypes)
      atBank(b, `uses ${types.size} question type(s) (${[...types].join(', ')}); use at least ${rules.minTypes}`);
    const choice = questions.filter((q) => q.type === 'single' || q.type === 'multiple').length;
    if (choice * 2 <= n) atBank(b, `single and multiple choice are ${choice} of ${n} questions; they should be the majority`);
    const singles = questions.filter((q) => q.type === 'single');
    const longest = singles.filter(uniquelyLongestIsCorrect).length;
    if (singles.length && longest / singles.length > rules.maxLongestCorrect) {
      atBank(
        b,
        `the right choice is the longest in ${longest} of ${singles.length} single-choice questions; make distractors as specific as the answer`,
      );
    }
    for (const q of b.questions) {
      if (!q.explanation) atQuestion(q, 'has no explanation; add 2-5 sentences on why the right answer is right');
      if (q.references.length === 0) atQuestion(q, 'has no reference; add an authoritative https link');
      for (const r of q.references) if (!r.startsWith('https://')) atQuestion(q, `reference ${r} is not https`);
      if ('choices' in q) {
        for (const c of q.choices)
          if (/\b(all|none) of the above\b/i.test(c.text))
            atQuestion(q, `choice "${c.text}" depends on the order of choices, which is shuffled`);
        for (const c of q.choices) if (!c.correct && !c.why) atQuestion(q, `wrong choice "${c.text}" has no 'why'`);
        const hedged = hedgeTell(q);
        for (const tell of [hedged, echoTell(q), nameEchoTell(q), hedged ? undefined : loneHedgeTell(q)]) if (tell) atQuestion(q, tell);
      }
      if (q.type === 'text') for (const tell of looseAcceptTells(q)) atQuestion(q, tell);
      // Without a hidden test, an answer fitted to the visible sample would pass.
      if (q.type === 'sql' && q.hiddenData.length === 0)
        atQuestion(q, "has no hidden data set; add one under 'hidden_data' so that a query fitted to the sample data fails");
      if (q.type === 'code' && q.hiddenTests.length === 0)
        atQuestion(q, "has no hidden test; add one under 'hidden_tests' that covers an edge case the visible tests do not");
    }
  }

  problems.push(...freshnessProblems(banks, where, freshness));

  const all = banks
    .flatMap((b) => b.questions)
    .map((q) => ({ q, grams: trigrams(q.prompt), norm: q.prompt.toLowerCase().replace(/\s+/g, ' ').trim() }));
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i]!;
      const b = all[j]!;
      const same = a.norm === b.norm;
      if (same || jaccard(a.grams, b.grams) >= rules.nearDuplicate) {
        atQuestion(
          b.q,
          `prompt ${same ? 'duplicates' : 'nearly duplicates'} ${a.q.key} (${where(a.q).file}:${where(a.q).line}); ask something different`,
        );
      }
    }
  }
  return problems;
}
