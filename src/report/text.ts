// Plain-text renderers for the terminal: strings in, strings out. Colour comes in as a Paint so
// the same code renders with or without it (pipes, NO_COLOR, --no-color).
import { isTask, type Question, type Task } from '../bank/types.js';
import { isTaskResponse, rightAnswer, shownChoices, type Outcome, type Response } from '../engine/score.js';
import { percentOf, type Summary } from '../engine/summary.js';
import type { StopReason } from '../psychometrics/adaptive.js';
import type { AdaptiveSettings, Session, SessionDetail, StoredItem } from '../store/sessions.js';
import { PLAIN, abilityShort, calibrationText, truncate } from './format.js';
import type { AbilityEstimate } from './model.js';
import { safeLine, safeText } from '../text.js';
import { columns, splitFences, wrap, wrapCode } from './wrap.js';

type Colour = (s: string) => string;
export interface Paint {
  bold: Colour;
  dim: Colour;
  red: Colour;
  green: Colour;
  yellow: Colour;
  cyan: Colour;
}

export const WIDTH = 80;

/**
 * Prose wrapped; fenced code set apart: indented by four and dimmed, never wrapped. The text is
 * made safe first, so what is wrapped and measured is what the terminal shows.
 */
export function renderBody(text: string, paint: Paint, width = WIDTH, indent = ''): string {
  return splitFences(safeText(text))
    .map((s) =>
      s.kind === 'prose'
        ? wrap(s.text, width, indent)
        : s.text
            .split('\n')
            .map((l) => paint.cyan(`${indent}    ${l}`))
            .join('\n'),
    )
    .join('\n\n');
}

export function formatResponse(q: Question, r: Response | undefined): string {
  if (r === undefined) return '(no answer)';
  if (isTaskResponse(r)) return r.answer.trim() === '' ? '(empty answer)' : r.answer;
  if (Array.isArray(r)) return r.length ? r.map((t) => `\n- ${t}`).join('') : '(nothing selected)';
  if (typeof r === 'boolean') return r ? 'True' : 'False';
  if (q.type === 'number' && typeof r === 'number' && q.tolerance > 0 && r === q.answer) return `${r} (± ${q.tolerance})`;
  return String(r);
}

/** `Question 3/12 · topic · difficulty`; an adaptive sitting does not know its total in advance. */
/** One line of text for an answer, for tables, CSV cells and CI reports: choices joined by `; `. */
export function responseLine(q: Question, r: Response | undefined): string {
  if (Array.isArray(r)) return r.length ? r.join('; ') : '(nothing selected)';
  return formatResponse(q, r);
}

export function header(q: Question, index: number, total: number, adaptive = false): string {
  return `Question ${index + 1}${adaptive ? ' · adaptive' : `/${total}`} · ${safeLine(q.topic)} · ${safeLine(q.difficulty)}`;
}

export function bar(percent: number, width = 20): string {
  const full = Math.round((percent / 100) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

export function percentColour(p: number, paint: Paint): Colour {
  return p >= 80 ? paint.green : p >= 50 ? paint.yellow : paint.red;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, ''));

/** The estimate and its percentile in the calibration population, then what it rests on. */
export function renderAbility(a: AbilityEstimate | null, paint: Paint): string {
  if (a === null) return paint.dim('Ability: none of these questions is in the calibration yet.');
  const basis = `On ${calibrationText(a.calibration)}, from ${a.items} question${a.items === 1 ? '' : 's'}.`;
  return `Ability ${paint.bold(abilityShort(a))} · percentile ${a.percentile}\n${paint.dim(basis)}`;
}

const STOP_TEXT: Record<StopReason, (s: AdaptiveSettings) => string> = {
  precision: (s) => `stopped when the standard error reached ${s.targetSe} or less`,
  'max-items': (s) => `stopped at the most questions it may ask, ${s.maxItems}`,
  'pool-exhausted': () => 'stopped: no questions were left to ask',
};

/** The end of an adaptive sitting: the estimate and why it stopped there. */
export function renderAdaptiveResult(count: number, settings: AdaptiveSettings, ability: AbilityEstimate, paint: Paint): string {
  const why = settings.stop ? `; ${STOP_TEXT[settings.stop](settings)}` : '';
  return [
    renderAbility(ability, paint),
    paint.dim(wrap(`Adaptive sitting: ${count} question${count === 1 ? '' : 's'}${why}.`, WIDTH)),
  ].join('\n');
}

/**
 * A sealed sitting on the candidate's machine has no key there, so it has no score; once imported,
 * the interviewer's machine has graded every answer and the score is real.
 */
export const awaitsGrading = (s: Session): boolean => Boolean(s.settings.assessment?.sealed) && s.importedFrom === null;

export function renderSummary(session: Session, summary: Summary, paint: Paint, ability?: AbilityEstimate | null): string {
  const lines: string[] = [];
  const status =
    (session.status === 'abandoned'
      ? paint.yellow(' (abandoned)')
      : session.status === 'in_progress'
        ? paint.yellow(' (in progress)')
        : '') +
    (session.settings.assessment?.overTime ? paint.yellow(' (over time: answers after the limit were counted unanswered)') : '');
  lines.push(paint.bold(`Result for ${safeLine(session.candidate)}${status}`));
  if (awaitsGrading(session)) {
    lines.push(
      `${summary.questions} questions, sealed: the interviewer grades the answers`,
      paint.dim(`Session ${session.id} · ${session.startedAt.slice(0, 16).replace('T', ' ')} UTC`),
    );
    return lines.join('\n');
  }
  lines.push(scoreLine(summary, paint));
  if (ability !== undefined) lines.push(renderAbility(ability, paint));
  lines.push(paint.dim(`Session ${session.id} · seed ${session.seed} · ${session.startedAt.slice(0, 16).replace('T', ' ')} UTC`));
  lines.push('');
  const names = Object.keys(summary.topics);
  const w = Math.min(28, Math.max(...names.map((n) => safeLine(n).length), 5));
  lines.push(paint.bold('By topic'));
  for (const name of names) {
    const t = summary.topics[name]!;
    const label = truncate(safeLine(name), w).padEnd(w);
    lines.push(
      `  ${label} ${percentColour(t.percent, paint)(bar(t.percent))} ${`${t.percent}%`.padStart(5)}  ${fmt(t.score)}/${fmt(t.maxScore)}`,
    );
  }
  return lines.join('\n');
}

const OUTCOME_MARK: Record<Outcome, (p: Paint) => string> = {
  right: (p) => p.green('✔ right'),
  partial: (p) => p.yellow('◐ partly right'),
  wrong: (p) => p.red('✘ wrong'),
  unanswered: (p) => p.red('✘ not answered'),
  ungraded: (p) => p.dim('… to be graded'),
};

/**
 * What follows an answer: the verdict, the right answer, why a picked choice was wrong, the
 * explanation. `choiceOrder` is the order the choices were shown in.
 */
export function renderFeedback(
  q: Question,
  outcome: Outcome,
  response: Response | undefined,
  paint: Paint,
  choiceOrder?: readonly number[],
  width = WIDTH,
): string {
  if (q.sealed) return paint.dim('  The interviewer grades this answer.');
  const lines: string[] = [];
  if (isTask(q)) lines.push(...taskFeedback(q, response, paint, width));
  if (outcome !== 'right' && !isTask(q))
    lines.push(paint.green(wrap(`Right answer: ${safeText(formatResponse(q, rightAnswer(q, choiceOrder)))}`, width, '  ')));
  if ('choices' in q) {
    const picked = new Set<unknown>(([] as unknown[]).concat(response ?? []));
    for (const c of shownChoices(q, choiceOrder)) {
      if (picked.has(c.text) && !c.correct && c.why) lines.push(paint.dim(wrap(safeText(`"${c.text}": ${c.why}`), width, '  ')));
    }
  }
  // Imported banks may have neither: then nothing follows the answer.
  if (q.explanation || q.references.length) lines.push('');
  if (q.explanation) lines.push(renderBody(q.explanation, paint, width, '  '));
  for (const ref of q.references) lines.push(paint.dim(`  → ${safeLine(ref)}`));
  return lines.join('\n');
}

/** Code as the review shows it: indented, long lines broken at a space with a hanging indent. */
function codeLines(code: string, width: number): string {
  const text = code.replace(/\s+$/, '');
  if (text.trim() === '') return '      (empty)';
  return wrapCode(safeText(text), width, '      ');
}

/**
 * A task's verdict: the tests passed, visible and hidden apart; why each failed one failed; the
 * reference solution. A hidden test's name is shown (it says what case was missed), never its data.
 */
function taskFeedback(q: Task, response: Response | undefined, paint: Paint, width: number): string[] {
  const lines: string[] = [];
  const tests = isTaskResponse(response) ? (response.grade?.tests ?? []) : [];
  if (tests.length) {
    const count = (hidden: boolean): string => {
      const ts = tests.filter((t) => t.hidden === hidden);
      return `${ts.filter((t) => t.passed).length}/${ts.length} ${hidden ? 'hidden' : 'visible'}`;
    };
    const runs = isTaskResponse(response) && response.runs ? ` · ${response.runs} run${response.runs === 1 ? '' : 's'}` : '';
    lines.push(wrap(`Tests passed: ${count(false)}, ${count(true)}${runs}`, width, '  '));
    for (const t of tests.filter((x) => !x.passed))
      lines.push(paint.red(wrap(safeText(`✘ ${t.hidden ? '(hidden) ' : ''}${t.name}${t.reason ? `: ${t.reason}` : ''}`), width, '    ')));
  }
  if (q.solution.trim()) lines.push(paint.green('  Reference solution:'), paint.green(codeLines(q.solution, width)));
  return lines;
}

export function outcomeMark(outcome: Outcome, paint: Paint): string {
  return OUTCOME_MARK[outcome](paint);
}

/** One question with the candidate's answer, the right answer, the explanation and references. */
export function renderReviewItem(item: StoredItem, total: number, paint: Paint, width = WIDTH): string {
  const q = item.question;
  const outcome = item.answer?.outcome ?? 'unanswered';
  const points = item.answer && outcome !== 'ungraded' ? `  ${fmt(item.answer.points)}/${fmt(item.answer.maxPoints)}` : '';
  const head = header(q, item.position, total);
  const verdict = `${outcomeMark(outcome, PLAIN)}${points}`;
  // The verdict goes under the header when both would not fit on one line.
  const gap = columns(head) + 2 + columns(verdict) > width ? '\n  ' : '  ';
  return [
    `${paint.bold(head)}${gap}${outcomeMark(outcome, paint)}${paint.dim(points)}`,
    renderBody(q.prompt, paint, width, '  '),
    '',
    isTask(q) && isTaskResponse(item.answer?.response)
      ? ['  Your answer:', codeLines(item.answer.response.answer, width)].join('\n')
      : wrap(`Your answer: ${safeText(formatResponse(q, item.answer?.response))}`, width, '  '),
    renderFeedback(q, outcome, item.answer?.response, paint, item.choiceOrder, width),
  ].join('\n');
}

/** `width`: the terminal's columns, at most 80 (longer lines are harder to read). */
export function renderReview(detail: SessionDetail, paint: Paint, opts: { all?: boolean; width?: number } = {}): string {
  const total = detail.items.length;
  const width = Math.min(opts.width ?? WIDTH, WIDTH);
  const items = detail.items.filter((i) => opts.all || i.answer?.outcome !== 'right');
  if (items.length === 0) return paint.green('Every answer was right.');
  return [
    paint.bold(opts.all ? 'Review' : 'Review of the questions not fully right'),
    ...items.map((i) => renderReviewItem(i, total, paint, width)),
  ].join('\n\n');
}

/** The score line of a summary, to repeat under a long review so the result stays in sight. */
export function scoreLine(summary: Summary, paint: Paint): string {
  return `Score ${paint.bold(`${fmt(summary.score)}/${fmt(summary.maxScore)}`)} · ${percentColour(summary.percent, paint)(`${summary.percent}%`)} · ${summary.right} of ${summary.questions} fully right`;
}

export function renderHistory(sessions: readonly Session[], paint: Paint, candidate?: string, width = Infinity): string {
  if (sessions.length === 0) {
    return candidate === undefined
      ? 'No sessions yet. Start one with: backend-quiz take'
      : `No sessions for candidate '${safeLine(candidate)}'.`;
  }
  // Narrower terminals first lose the question count, then the start's time of day, then the
  // "timed out" that "over time" already implies.
  const layouts = [
    { count: true, time: true, short: false },
    { count: false, time: true, short: false },
    { count: false, time: false, short: false },
    { count: false, time: false, short: true },
  ];
  const render = (l: (typeof layouts)[number], p: Paint): string => {
    const rows = sessions.map((s) => {
      const score = awaitsGrading(s)
        ? 'sealed'
        : s.status === 'in_progress' || s.maxScore === null
          ? '–'
          : `${percentOf(s.score ?? 0, s.maxScore)}%`;
      const status = s.settings.assessment?.overTime
        ? l.short
          ? 'over time'
          : `${s.status.replace('_', ' ')}, over time`
        : s.status.replace('_', ' ');
      return [
        s.id,
        l.time ? s.startedAt.slice(0, 16).replace('T', ' ') : s.startedAt.slice(0, 10),
        truncate(safeLine(s.candidate), 16),
        score,
        status,
        ...(l.count ? [String(s.settings.count)] : []),
      ];
    });
    return table(
      ['SESSION', l.time ? 'STARTED (UTC)' : 'STARTED', 'CANDIDATE', 'SCORE', 'STATUS', ...(l.count ? ['QUESTIONS'] : [])],
      rows,
      p,
    );
  };
  // Measured without colour: escape sequences take no columns.
  const fits = (l: (typeof layouts)[number]): boolean =>
    render(l, PLAIN)
      .split('\n')
      .every((line) => columns(line) <= width);
  return render(layouts.find(fits) ?? layouts.at(-1)!, paint);
}

/** Left-aligned columns two spaces apart, the header in bold. */
export function table(head: string[], rows: string[][], paint: Paint): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [paint.bold(line(head)), ...rows.map(line)].join('\n');
}

/** What a sitting is, in a word or a title: an assessment's title, or a practice round, a retry or a quiz. */
export function sittingLabel(session: Session): string {
  const kind = session.settings.kind;
  return session.settings.assessment?.title ?? (kind === 'practice' ? 'practice round' : kind === 'retry' ? 'retry' : 'quiz');
}

/** The sittings `take --resume` can continue. */
export function renderResumable(sessions: readonly (Session & { answered: number; total: number })[], paint: Paint): string {
  if (sessions.length === 0) return 'No sitting to resume: every session was finished or closed.';
  const rows = sessions.map((s) => [
    s.id,
    s.startedAt.slice(0, 16).replace('T', ' '),
    truncate(safeLine(s.candidate), 16),
    `${s.answered}/${s.total}`,
    truncate(safeLine(sittingLabel(s)), 24),
  ]);
  const list = table(['SESSION', 'STARTED (UTC)', 'CANDIDATE', 'ANSWERED', 'SITTING'], rows, paint);
  return `${list}\n\n${paint.dim(`Resume one with: backend-quiz take --resume ${sessions[0]!.id}`)}`;
}
