// The assessment file: what a candidate must take. Structure is checked by its JSON Schema
// (schema/assessment.schema.json); this module keeps only the rules a schema cannot say, and the
// ones that need the banks (does the topic exist, are there enough questions).
import type { Difficulty, Problem } from '../bank/types.js';
import { checkYaml, validatorFor } from '../schema/check.js';
import { digestOf, sha256 } from './digest.js';

export interface SectionSpec {
  title?: string;
  topic?: string;
  count?: number;
  difficulty?: Difficulty[];
  questions?: string[];
  /** A topic section that draws hands-on tasks (sql, code) instead of questions. */
  tasks?: boolean;
}

/** The file as written (keys as in YAML). */
export interface AssessmentFile {
  assessment: string;
  title: string;
  instructions?: string;
  sections: SectionSpec[];
  time_limit?: string;
  pass_mark?: number;
  topic_pass_marks?: Record<string, number>;
  feedback?: 'none' | 'end';
  form?: 'fixed' | 'per-candidate';
  seed?: number;
  banks?: string[];
  scripted?: 'allowed';
}

/** What the program works with: defaults applied, durations in milliseconds. */
export interface Assessment {
  id: string;
  title: string;
  instructions: string;
  sections: SectionSpec[];
  timeLimitMs: number | null;
  passMark: number | null;
  topicPassMarks: Record<string, number>;
  feedback: 'none' | 'end';
  form: 'fixed' | 'per-candidate';
  /** Seed of a fixed form: the file's, else derived from the assessment id. */
  seed: number;
  /** Extra bank directories as written (relative to the file). */
  banks: string[];
  /** sha256 over the canonical definition: a different file is a different assessment version. */
  digest: string;
  /**
   * Present when a timed assessment may still be sat from an answers file (CI, rehearsals).
   * Optional so that definitions stored before it existed read unchanged.
   */
  scripted?: 'allowed';
}

export const MAX_ASSESSMENT_BYTES = 256 * 1024;
const MAX_TIME_LIMIT_MS = 24 * 3600_000;

/** `45m`, `90s`, `1h30m` → milliseconds; undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*$/.exec(text);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

export function toAssessment(file: AssessmentFile): Assessment {
  const definition = { ...file };
  return {
    id: file.assessment,
    title: file.title.trim(),
    instructions: (file.instructions ?? '').trim(),
    sections: file.sections,
    timeLimitMs: file.time_limit === undefined ? null : (parseDuration(file.time_limit) ?? null),
    passMark: file.pass_mark ?? null,
    topicPassMarks: file.topic_pass_marks ?? {},
    feedback: file.feedback ?? 'none',
    form: file.form ?? 'fixed',
    seed: file.seed ?? Number.parseInt(sha256(`backend-quiz/form/${file.assessment}`).slice(0, 8), 16),
    banks: file.banks ?? [],
    digest: digestOf(definition),
    ...(file.scripted ? { scripted: file.scripted } : {}),
  };
}

export interface ParsedAssessment {
  assessment?: Assessment;
  /**
   * What can be read of a file with problems (every value its schema refuses left out), so the
   * checks against the banks still run and one `check` names every mistake at once.
   */
  partial?: Assessment;
  problems: Problem[];
  /** Position of the value at a JSON pointer, for the checks against banks. */
  at(pointer: string): { line: number; col: number };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `value` without the parts the schema refused (`bad` holds their pointers). A refused scalar is
 * left out; a refused mapping or list keeps its sound parts; list entries keep their index (a
 * refused one becomes undefined), so positions of later problems stay right.
 */
function salvage(value: unknown, pointer: string, bad: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v, i) => salvage(v, `${pointer}/${i}`, bad));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const kept = salvage(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, bad);
      if (kept !== undefined) out[k] = kept;
    }
    return out;
  }
  return bad.has(pointer) ? undefined : value;
}

/** The sound parts of a file its schema refused, shaped so the checks below can run on them. */
function readable(raw: Record<string, unknown>, bad: ReadonlySet<string>): AssessmentFile {
  const kept = salvage(raw, '', bad) as Record<string, unknown>;
  const sections = (Array.isArray(kept.sections) ? kept.sections : []).map((x): SectionSpec => (isRecord(x) ? x : {}));
  return {
    ...kept,
    assessment: typeof kept.assessment === 'string' ? kept.assessment : '',
    title: typeof kept.title === 'string' ? kept.title : '',
    sections: sections.map((x) => ({
      ...x,
      ...(Array.isArray(x.difficulty) && { difficulty: x.difficulty.filter((d) => d !== undefined) }),
    })),
  } as AssessmentFile;
}

/** Parses and checks an assessment file on its own (without the banks). Pure: text in. */
export function parseAssessment(text: string, file: string): ParsedAssessment {
  const checked = checkYaml<AssessmentFile>(text, file, 'assessment', { maxBytes: MAX_ASSESSMENT_BYTES, what: 'an assessment' });
  const problems = [...checked.problems];
  const at = checked.at;
  const raw: unknown = checked.data ?? checked.doc?.toJS();
  if (!isRecord(raw)) return { problems, at };
  const bad = new Set<string>();
  if (!checked.data) {
    const validate = validatorFor('assessment');
    validate(raw);
    for (const e of validate.errors ?? []) bad.add(e.instancePath);
  }
  const data = checked.data ?? readable(raw, bad);
  // A rule below is not applied where the schema already refused what it reads: one mistake, one message.
  const refused = (pointer: string): boolean => [...bad].some((p) => p === pointer || p.startsWith(`${pointer}/`));
  const report = (pointer: string, message: string): void => void problems.push({ file, ...at(pointer), message });

  data.sections.forEach((s, i) => {
    const where = `/sections/${i}`;
    const name = `section ${i + 1}`;
    if (refused(where)) return;
    if (s.questions && (s.topic !== undefined || s.count !== undefined || s.difficulty)) {
      report(
        where,
        `${name} has both 'questions' and 'topic'/'count'/'difficulty'; a section is either a topic with a count or a list of question keys`,
      );
    } else if (!s.questions && (s.topic === undefined || s.count === undefined)) {
      report(where, `${name} needs 'topic' and 'count' (draw questions from a topic) or 'questions' (a list of question keys)`);
    }
  });
  if (data.time_limit !== undefined && !refused('/time_limit')) {
    const ms = parseDuration(data.time_limit);
    if (ms === undefined) report('/time_limit', `'time_limit' is a duration such as 45m, 90s or 1h30m; got '${data.time_limit}'`);
    else if (ms === 0) report('/time_limit', `'time_limit' must be longer than 0s; leave it out for no time limit`);
    else if (ms > MAX_TIME_LIMIT_MS) report('/time_limit', `'time_limit' may be at most 24h`);
  }
  if (!refused('/sections')) {
    const sectionTopics = new Set(data.sections.map((s) => s.topic ?? s.questions?.map((k) => String(k).split('/')[0]!)).flat());
    for (const topic of Object.keys(data.topic_pass_marks ?? {})) {
      if (!sectionTopics.has(topic))
        report(`/topic_pass_marks/${topic}`, `'topic_pass_marks' names '${topic}', which no section asks about`);
    }
  }
  const assessment = toAssessment(data);
  return problems.length ? { partial: assessment, problems, at } : { assessment, partial: assessment, problems, at };
}
