// Builders for report inputs: a candidate is a name and the points earned per question key; the
// totals, topics and pass/fail are derived the way the store derives them, so inputs stay consistent.
import { percentOf, round } from '../src/engine/summary.js';
import type { CandidateResult, ReportAnswer, ReportAssessment, ReportInput, ReportQuestion, TopicResult } from '../src/report/model.js';

const topicOf = (key: string): string => key.split('/')[0]!;

export function aReportQuestion(key: string, over: Partial<ReportQuestion> = {}): ReportQuestion {
  return { key, topic: topicOf(key), difficulty: 'medium', type: 'single', prompt: `What about ${key.split('/')[1]}?`, points: 1, ...over };
}

/** Points earned on a 1-point question, `[points, maxPoints]`, or null when left unanswered. */
export type Mark = number | [number, number] | null;

export function aCandidate(name: string, marks: Record<string, Mark>, over: Partial<CandidateResult> = {}): CandidateResult {
  const answers: ReportAnswer[] = Object.entries(marks).map(([key, m], position) => {
    const [points, maxPoints] = m === null ? [0, 1] : typeof m === 'number' ? [m, 1] : m;
    const outcome = m === null ? 'unanswered' : points === maxPoints ? 'right' : points > 0 ? 'partial' : 'wrong';
    const right = `Right answer to ${key}`;
    const given = outcome === 'unanswered' ? '(no answer)' : outcome === 'right' ? right : 'Another answer';
    return { key, position, given, right, outcome, points, maxPoints, timeMs: m === null ? null : 30_000 + 5_000 * position };
  });
  const topics: Record<string, TopicResult> = {};
  for (const t of [...new Set(answers.map((a) => topicOf(a.key)))].sort()) {
    const mine = answers.filter((a) => topicOf(a.key) === t);
    const score = round(
      mine.reduce((s, a) => s + a.points, 0),
      3,
    );
    const maxScore = round(
      mine.reduce((s, a) => s + a.maxPoints, 0),
      3,
    );
    topics[t] = { score, maxScore, percent: percentOf(score, maxScore), passed: null };
  }
  const score = round(
    answers.reduce((s, a) => s + a.points, 0),
    3,
  );
  const maxScore = round(
    answers.reduce((s, a) => s + a.maxPoints, 0),
    3,
  );
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 12) || 'x';
  return {
    sessionId: `s-${slug}`,
    candidate: name,
    status: 'finished',
    startedAt: '2026-03-02T09:00:00.000Z',
    finishedAt: '2026-03-02T09:20:00.000Z',
    imported: false,
    scripted: false,
    overTime: false,
    score,
    maxScore,
    percent: percentOf(score, maxScore),
    passed: null,
    timeUsedMs: answers.reduce((s, a) => s + (a.timeMs ?? 0), 0),
    timeLimitMs: null,
    topics,
    answers,
    ...over,
  };
}

export function anAssessment(over: Partial<ReportAssessment> = {}): ReportAssessment {
  return {
    id: 'be-2026-03',
    title: 'Backend engineer, March 2026',
    passMark: 70,
    topicPassMarks: {},
    form: 'fixed',
    timeLimitMs: 45 * 60_000,
    ...over,
  };
}

/** Applies the assessment's pass marks to each candidate, as the report command does. */
function judge(c: CandidateResult, a: ReportAssessment | null): CandidateResult {
  const marks = Object.keys(a?.topicPassMarks ?? {});
  if (!a || (a.passMark === null && !marks.length)) {
    const topics = Object.fromEntries(Object.entries(c.topics).map(([t, r]) => [t, { ...r, passed: null }]));
    return { ...c, topics, passed: null, timeLimitMs: a?.timeLimitMs ?? null };
  }
  const topics = Object.fromEntries(
    Object.entries(c.topics).map(([t, r]) => [
      t,
      { ...r, passed: a.topicPassMarks[t] === undefined ? null : r.percent >= a.topicPassMarks[t] },
    ]),
  );
  const passed = (a.passMark === null || c.percent >= a.passMark) && Object.values(topics).every((t) => t.passed !== false);
  return { ...c, topics, passed, timeLimitMs: a.timeLimitMs };
}

export function aReportInput(over: Partial<ReportInput> & { candidates: CandidateResult[] }): ReportInput {
  const assessment = over.assessment === undefined ? anAssessment() : over.assessment;
  const keys = [...new Set(over.candidates.flatMap((c) => c.answers.map((a) => a.key)))];
  return {
    title: assessment?.title ?? 'All sessions',
    generatedAt: '2026-03-09T17:30:00.000Z',
    filters: {},
    questions: keys.map((k) => aReportQuestion(k)),
    ...over,
    assessment,
    candidates: over.candidates.map((c) => judge(c, assessment)),
  };
}
