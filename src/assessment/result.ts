// Result files: one JSON file per sitting of an assessment, written on the candidate's machine
// and read by `import` on the interviewer's. The digest detects corruption and casual edits; it
// proves nothing about who wrote the file (the candidate holds it and could recompute it).
import fs from 'node:fs';
import path from 'node:path';
import type { Response } from '../engine/score.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { schemaProblems } from '../schema/check.js';
import type { SessionDetail, SittingInfo } from '../store/sessions.js';
import type { Assessment } from './definition.js';
import { contentDigest } from './digest.js';
import { parseJsonFile } from './pack.js';

export interface ResultQuestion {
  position: number;
  /** `<bank>/<id>`, or the pack's opaque key in a sealed sitting. */
  key: string;
  /** sha256 of the question as asked (the sealed form in a sealed sitting). */
  contentHash: string;
  topic: string;
  difficulty: string;
  type: string;
  /** Choice texts in the order they were shown. */
  choices: string[];
  response: Response | null;
  timeMs: number | null;
  answeredAt: string | null;
}

export interface ResultFile {
  format: 'backend-quiz/result';
  version: 1;
  session: {
    id: string;
    candidate: string;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    seed: number;
    timeLimitMs: number | null;
    /** scripted: answered from a file (an older file without it was sat interactively or did not say). */
    mode?: 'interactive' | 'scripted';
    /** When a start code opened a locked pack; the clock ran from then. */
    openedAt?: string;
  };
  assessment: {
    id: string;
    title: string;
    digest: string;
    form: Assessment['form'];
    sealed: boolean;
    pack: string | null;
    packDigest: string | null;
    definition: Assessment | null;
  };
  questions: ResultQuestion[];
  digest: string;
}

export const MAX_RESULT_BYTES = 20 * 1024 * 1024;

export const KEY_AMONG_RESULTS =
  "it is a key file, and a key found among results could be anyone's: if it is yours, name it with --key <file> (backend-quiz import --key <key.json> <results>)";

export function buildResult(detail: SessionDetail, info: SittingInfo, definition: Assessment | null): ResultFile {
  const s = detail.session;
  const body: Omit<ResultFile, 'digest'> = {
    format: 'backend-quiz/result',
    version: 1,
    session: {
      id: s.id,
      candidate: s.candidate,
      status: s.status,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      seed: s.seed,
      timeLimitMs: info.timeLimitMs,
      mode: s.settings.mode,
      ...(info.openedAt !== undefined ? { openedAt: info.openedAt } : {}),
    },
    assessment: {
      id: info.id,
      title: info.title,
      digest: info.digest,
      form: info.form,
      sealed: info.sealed,
      pack: info.packId ?? null,
      packDigest: info.packDigest ?? null,
      definition: info.sealed ? null : definition,
    },
    questions: detail.items.map((i) => ({
      position: i.position,
      key: i.question.key,
      contentHash: i.hash,
      topic: i.question.topic,
      difficulty: i.question.difficulty,
      type: i.question.type,
      choices: 'choices' in i.question ? i.choiceOrder.map((c) => (i.question as { choices: { text: string }[] }).choices[c]!.text) : [],
      response: i.answer?.response ?? null,
      timeMs: i.answer?.timeMs ?? null,
      answeredAt: i.answer?.answeredAt ?? null,
    })),
  };
  return { ...body, digest: contentDigest(body) };
}

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents off: García → garcia
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 40) || 'candidate';

/** `<assessment>-<candidate>-<session>.result.json`: a folder of them sorts by assessment, then candidate. */
export function resultFileName(r: ResultFile): string {
  return `${r.assessment.id}-${slug(r.session.candidate)}-${r.session.id}.result.json`;
}

export function writeResult(to: { dir: string } | { file: string }, r: ResultFile): string {
  const file = 'file' in to ? to.file : path.join(to.dir, resultFileName(r));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

/** Reads a result file: JSON, format and version, schema, digest. Throws UserError with the reason. */
export function readResult(text: string, file: string): ResultFile {
  const data = parseJsonFile(text, file, 'result', MAX_RESULT_BYTES) as { format?: unknown; version?: unknown };
  if (data !== null && typeof data === 'object' && data.format === 'backend-quiz/key') throw new UserError(KEY_AMONG_RESULTS);
  if (data === null || typeof data !== 'object' || data.format !== 'backend-quiz/result')
    throw new UserError(`not a backend-quiz result file (no "format": "backend-quiz/result")`);
  if (data.version !== 1)
    throw new UserError(
      `result file version ${JSON.stringify(data.version)} is not supported (this version reads version 1); upgrade backend-quiz`,
    );
  const problems = schemaProblems('result', data, file, () => ({ line: 1, col: 1 }));
  if (problems.length) throw new UserError(`not a valid result file: ${problems[0]!.message}`);
  const r = data as ResultFile;
  if (contentDigest(r) !== r.digest)
    throw new UserError(`its digest does not match its content: the file was changed or damaged after it was written`);
  return r;
}
