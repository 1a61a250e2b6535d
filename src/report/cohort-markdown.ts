// The cohort report as GitHub-flavoured Markdown, for pull requests, issues and wikis. Candidate
// names and bank text are untrusted: escaped so they can neither break a table nor inject HTML.
import { safeText } from '../text.js';
import type { Cohort } from './cohort.js';
import {
  ALPHA_MISSING,
  FLAG_TEXT,
  ITEM_LEGEND,
  NO_CANDIDATES,
  ONE_CANDIDATE,
  OUTCOME_TEXT,
  abilityCell,
  abilityNote,
  abilityShort,
  binLabel,
  coef,
  duration,
  filtersText,
  hasAbility,
  hasVerdicts,
  notEnoughData,
  num,
  passLabel,
  passMarkText,
  pct,
  promptLine,
  promptSegments,
  answersByQuestion,
  sittingLabel,
  when,
  heading,
  failedTests,
  taskLine,
} from './format.js';

export interface MarkdownOptions {
  details?: boolean;
}

/**
 * Untrusted text as one line of inline Markdown. CommonMark lets a backslash escape any ASCII
 * punctuation; GFM tables split on `|` before inline parsing, even inside code spans, so it is
 * escaped everywhere. `<`, `>` and `&` become entities, which no HTML sanitiser has to rescue.
 * A leading `#`, `-`, `+`, `=` or `1.` could start a block at the start of a line, and newlines
 * become `<br>` so a cell stays one row.
 */
export function mdText(s: string): string {
  return safeText(s)
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2')
    .replace(/\n/g, '<br>');
}

type Align = 'l' | 'r';

function table(head: string[], rows: string[][], align: Align[]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map(line)].join('\n');
}

function header(c: Cohort): string {
  const lines = [`# ${mdText(heading(c))}`, ''];
  if (c.assessment) {
    const a = c.assessment;
    const title = a.title !== c.title ? ` (${mdText(a.title)})` : '';
    const limit = a.timeLimitMs === null ? '' : ` · time limit ${duration(a.timeLimitMs)}`;
    lines.push(`- **Assessment:** ${mdText(a.id)}${title} · ${a.form === 'fixed' ? 'fixed form' : 'a form per candidate'}${limit}`);
  }
  lines.push(`- **Generated:** ${when(c.generatedAt)}`, `- **Filters:** ${mdText(filtersText(c.filters) ?? 'none')}`);
  const marks = passMarkText(c);
  if (marks !== null) lines.push(`- **Pass mark:** ${mdText(marks)}`);
  const ability = abilityNote(c);
  if (ability !== null) lines.push(`- **${mdText(ability).replace(/^Ability:/, 'Ability:**')}`);
  for (const n of c.notices ?? []) lines.push(`- **Note:** ${mdText(n)}`);
  return lines.join('\n');
}

function ranking(c: Cohort): string {
  const verdicts = hasVerdicts(c);
  const cohort = c.candidates.length > 1;
  const ability = hasAbility(c);
  const head = [
    'Rank',
    'Candidate',
    'Score',
    'Percent',
    ...(ability ? ['Ability (θ ± SE)'] : []),
    ...(verdicts ? ['Result'] : []),
    'Time used',
    ...(cohort ? ['Percentile rank'] : []),
    'Status',
    ...c.topics.map(mdText),
  ];
  const align: Align[] = [
    'r',
    'l',
    'r',
    'r',
    ...(ability ? ['r' as const] : []),
    ...(verdicts ? ['l' as const] : []),
    'r',
    ...(cohort ? ['r' as const] : []),
    'l',
    ...c.topics.map(() => 'r' as const),
  ];
  const rows = c.candidates.map((x) => [
    String(x.rank),
    mdText(x.candidate),
    `${num(x.score)}/${num(x.maxScore)}`,
    pct(x.percent),
    ...(ability ? [abilityCell(x.ability)] : []),
    ...(verdicts ? [passLabel(x.passed)] : []),
    duration(x.timeUsedMs),
    ...(cohort ? [num(x.percentileRank)] : []),
    sittingLabel(x),
    ...c.topics.map((t) => (x.topics[t] ? pct(x.topics[t].percent) : '–')),
  ]);
  return `## ${cohort ? 'Ranking' : 'Result'}\n\n${table(head, rows, align)}`;
}

function cohortSections(c: Cohort): string[] {
  const s = c.stats!;
  const marks = c.topicAverages.some((t) => t.passMark !== null);
  const out = [
    `## Cohort statistics\n\n${table(['Candidates', 'Mean', 'Median', 'SD', 'Min', 'Max'], [[String(s.n), pct(s.mean), pct(s.median), num(s.sd), pct(s.min), pct(s.max)]], ['r', 'r', 'r', 'r', 'r', 'r'])}`,
    `## Topic averages\n\n${table(
      ['Topic', 'Mean percent', 'Candidates', ...(marks ? ['Pass mark'] : [])],
      c.topicAverages.map((t) => [
        mdText(t.topic),
        pct(t.mean),
        `${t.candidates} of ${c.candidates.length}`,
        ...(marks ? [t.passMark === null ? '–' : pct(t.passMark)] : []),
      ]),
      ['l', 'r', 'r', ...(marks ? ['r' as const] : [])],
    )}`,
  ];
  const most = Math.max(...c.histogram.map((b) => b.count));
  out.push(
    `## Score distribution\n\n${table(
      ['Percent', 'Candidates', ''],
      c.histogram.map((b) => [
        binLabel(b.from, b.to),
        String(b.count),
        '█'.repeat(most ? Math.round((b.count / most) * 20) || (b.count ? 1 : 0) : 0),
      ]),
      ['l', 'r', 'l'],
    )}`,
  );
  out.push(itemAnalysis(c));
  return out;
}

function itemAnalysis(c: Cohort): string {
  const ia = c.itemAnalysis;
  if (!ia.enoughData) return `## Item analysis\n\n${notEnoughData(ia.candidates, ia.needed)}`;
  const prompts = new Map(c.questions.map((q) => [q.key, q.prompt]));
  const rows = ia.items.map((i) => [
    mdText(i.key),
    mdText(promptLine(prompts.get(i.key) ?? '', 70)),
    String(i.asked),
    coef(i.facility),
    coef(i.discrimination),
    i.flags.map((f) => `⚠ ${FLAG_TEXT[f]}`).join(', '),
  ]);
  const r = ia.reliability;
  const alpha = r.alpha === null ? ALPHA_MISSING[r.reason] : `${coef(r.alpha)} over ${r.items} questions`;
  return [
    '## Item analysis',
    table(['Question', 'Prompt', 'Asked', 'Facility', 'Discrimination', 'Flags'], rows, ['l', 'l', 'r', 'r', 'r', 'l']),
    `**Cronbach’s alpha:** ${alpha}`,
    ITEM_LEGEND.map((l) => `> ${l}`).join('\n>\n'),
  ].join('\n\n');
}

/**
 * Code as a fenced block, kept exactly (indentation matters in Python): the fence is longer than
 * any run of backticks inside, so nothing in the code can close it (CommonMark §4.5).
 */
export function mdFence(code: string, lang = ''): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${safeText(code)}\n${fence}`;
}

/** A prompt as Markdown blocks: prose escaped, code fenced. */
function promptMd(prompt: string): string {
  return promptSegments(prompt)
    .map((s) => (s.kind === 'code' ? mdFence(s.text, s.lang) : mdText(s.text)))
    .join('\n\n');
}

function details(c: Cohort): string {
  const parts = [
    '## Sittings',
    table(
      ['Candidate', 'Session', 'Status', 'Started', 'Time used', ...(hasAbility(c) ? ['Ability'] : [])],
      c.candidates.map((x) => [
        `#${x.rank} ${mdText(x.candidate)}`,
        mdText(x.sessionId),
        `${sittingLabel(x)}${x.imported ? ', imported' : ''}`,
        when(x.startedAt),
        duration(x.timeUsedMs),
        ...(hasAbility(c) ? [x.ability ? `${abilityShort(x.ability)}, percentile ${x.ability.percentile}` : '–'] : []),
      ]),
      ['l', 'l', 'l', 'l', 'r', ...(hasAbility(c) ? ['l' as const] : [])],
    ),
    '## Answers by question',
  ];
  answersByQuestion(c).forEach(({ question: q, answers, right }, n) => {
    parts.push(
      `### ${n + 1}. ${mdText(q.key)} · ${mdText(q.topic)} · ${q.difficulty} · ${num(q.points)} point${q.points === 1 ? '' : 's'}`,
    );
    parts.push(promptMd(q.prompt));
    // An answer over several lines (code a candidate typed) cannot sit in a table cell: it follows the table, fenced.
    const task = q.type === 'sql' || q.type === 'code';
    const below: string[] = [];
    // A task's answer is code even on one line: always fenced.
    const cell = (text: string, who: string): string => {
      if (!text.includes('\n') && !task) return mdText(text);
      below.push(`${who}:\n\n${mdFence(text)}`);
      return '(below)';
    };
    if (right !== null) parts.push(`**Right answer:** ${right.includes('\n') || task ? `\n\n${mdFence(right)}` : mdText(right)}`);
    const only = answers.length === 1 && right !== null ? answers[0]! : undefined;
    if (task) {
      // Per candidate: what the tests made of the answer, then the answer fenced.
      for (const { candidate: x, answer: a } of answers) {
        const mark = `${OUTCOME_TEXT[a.outcome]} · ${num(a.points)}/${num(a.maxPoints)} · ${duration(a.timeMs)}`;
        const tests = a.task ? `\n\n${[taskLine(a.task), ...failedTests(a.task)].map((l) => `- ${mdText(l)}`).join('\n')}` : '';
        parts.push(
          `**#${x.rank} ${mdText(x.candidate)}** (${mark})${tests}\n\nGave:\n\n${mdFence(a.given)}${right === null ? `\n\nRight answer:\n\n${mdFence(a.right)}` : ''}`,
        );
      }
      return;
    }
    if (only) {
      // One answer needs no table: a line says who gave what.
      const { candidate: x, answer: a } = only;
      const who = `**#${x.rank} ${mdText(x.candidate)}**`;
      const mark = `${OUTCOME_TEXT[a.outcome]} · ${num(a.points)}/${num(a.maxPoints)} · ${duration(a.timeMs)}`;
      parts.push(a.given.includes('\n') ? `${who} (${mark}) gave:\n\n${mdFence(a.given)}` : `${who}: ${mdText(a.given)} · ${mark}`);
      return;
    }
    parts.push(
      table(
        ['Candidate', 'Given', ...(right === null ? ['Right answer'] : []), 'Outcome', 'Points', 'Time'],
        answers.map(({ candidate: x, answer: a }) => [
          `#${x.rank} ${mdText(x.candidate)}`,
          cell(a.given, `**#${x.rank} ${mdText(x.candidate)}** gave`),
          ...(right === null ? [cell(a.right, `**Right answer for #${x.rank} ${mdText(x.candidate)}**`)] : []),
          OUTCOME_TEXT[a.outcome],
          `${num(a.points)}/${num(a.maxPoints)}`,
          duration(a.timeMs),
        ]),
        ['l', 'l', ...(right === null ? ['l' as const] : []), 'l', 'r', 'r'],
      ),
      ...below,
    );
  });
  if (parts.length === 3) parts.push('No answers.');
  return parts.join('\n\n');
}

export function renderCohortMarkdown(c: Cohort, opts: MarkdownOptions = {}): string {
  const sections = [header(c)];
  if (!c.candidates.length) sections.push(NO_CANDIDATES);
  else {
    sections.push(ranking(c));
    if (c.candidates.length === 1) sections.push(`_${ONE_CANDIDATE}_`);
    else sections.push(...cohortSections(c));
    if (opts.details ?? true) sections.push(details(c));
  }
  return `${sections.join('\n\n')}\n`;
}
