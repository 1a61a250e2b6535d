// A sitting of an assessment, from its YAML file or from a sealed pack.
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { requireBanks } from '../bank/load.js';
import type { Database } from 'better-sqlite3';
import type { Assessment } from '../assessment/definition.js';
import type { Pack } from '../assessment/pack.js';
import type { GateSpec } from '../engine/gates.js';
import { MAX_SEED } from '../engine/rng.js';
import type { QuizItem } from '../engine/select.js';
import { readTextFile } from '../files.js';
import { getAssessment } from '../store/assessments.js';
import type { SittingInfo } from '../store/sessions.js';
import type { Context } from '../commands/context.js';
import { UserError } from '../errors.js';
import { safeLine } from '../text.js';
import { candidateOf, cleanName, defaultCandidate, itemSettings, unattended, type Plan, type TakeOptions } from './plan.js';

/**
 * A timed sitting is sat in a terminal: a form printed or answered from a file could be worked on
 * before the clock starts. An assessment may allow it (`scripted: allowed`) for CI and rehearsals.
 */
export function refuseScripted(opts: TakeOptions, a: { title: string; timeLimitMs: number | null; scripted?: 'allowed' }): void {
  if (a.timeLimitMs === null || a.scripted === 'allowed') return;
  const flag = opts.printForm
    ? '--print-form'
    : opts.answersTemplate !== undefined
      ? '--answers-template'
      : opts.answers !== undefined
        ? '--answers'
        : undefined;
  if (flag)
    throw new UserError(
      `'${safeLine(a.title)}' is timed and does not allow scripted sittings, so ${flag} is refused; sit it in a terminal (an interviewer allows scripted sittings with 'scripted: allowed' in the assessment)`,
    );
}

function assessmentSitting(
  items: QuizItem[],
  seed: number,
  info: SittingInfo,
  feedback: 'none' | 'end',
  instructions: string,
  opts: TakeOptions,
  interactive: boolean,
): Plan {
  return {
    sitting: {
      candidate: candidateOf(opts),
      seed,
      items,
      settings: { ...itemSettings(items, feedback, interactive), assessment: info },
    },
    feedback,
    briefing: {
      title: info.title,
      instructions,
      questions: items.length,
      timeLimitMs: info.timeLimitMs,
      ...(opts.candidate === undefined ? { askName: defaultCandidate() } : {}),
    },
    questions: items.map((i) => i.question),
  };
}

export async function assessmentPlan(file: string, opts: TakeOptions, ctx: Context, interactive: boolean): Promise<Plan> {
  const [{ requireAssessment }, { drawForm }] = await Promise.all([import('../assessment/load.js'), import('../assessment/form.js')]);
  const { assessment: a, banks } = requireAssessment(file, ctx.cwd, ctx.bankDirs, ctx.cacheDir);
  refuseScripted(opts, a);
  const seed = a.form === 'fixed' ? a.seed : (opts.seed ?? randomInt(0, MAX_SEED));
  const info = definitionSittingInfo(a);
  // Like a plain quiz, an answers file may name any question of the banks; those not drawn are ignored.
  const plan = assessmentSitting(drawForm(a, banks, seed), seed, info, a.feedback, a.instructions, opts, interactive);
  return { ...plan, questions: banks.flatMap((b) => b.questions), save: a, gates: passMarkGates(a) };
}

export async function packPlan(file: string, opts: TakeOptions, ctx: Context, interactive: boolean): Promise<Plan> {
  // `take http-apis`: a topic where a pack file belongs.
  if (!fs.existsSync(path.resolve(ctx.cwd, file)) && requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir).some((b) => b.id === file))
    throw new UserError(`'${file}' is a topic, not a pack file; to be asked about it, run: backend-quiz take -t ${file}`);
  const { MAX_PACK_BYTES, openPack, packItems, readPack } = await import('../assessment/pack.js');
  const locked = readPack(readTextFile(file, ctx.cwd, 'a pack file', MAX_PACK_BYTES), file);
  const a = locked.assessment;
  refuseScripted(opts, a);
  let candidate: string | undefined;
  let code = opts.startCode;
  if (locked.locked && code === undefined) {
    if (!interactive || unattended(ctx.env, ctx.stdin))
      throw new UserError(
        `${safeLine(file)} is locked with a start code: give the code your interviewer reads out with --start-code <code>`,
      );
    const { startCodePrompt } = await import('../ui/prompts.js');
    const questions = locked.sections.reduce((n, s) => n + s.count, 0);
    const asked = await startCodePrompt(
      {
        title: a.title,
        instructions: a.instructions,
        questions,
        timeLimitMs: a.timeLimitMs,
        ...(opts.candidate === undefined ? { askName: defaultCandidate() } : {}),
      },
      { input: ctx.stdin, output: opts.json ? ctx.stderr : ctx.stdout, paint: ctx.paint, width: ctx.stdout.columns },
    );
    code = asked.code;
    if (asked.candidate !== undefined) candidate = cleanName(asked.candidate);
  }
  const pack = await openPack(locked, code ?? '', file);
  // The clock of a locked pack runs from the moment its code opened the questions.
  const openedAt = locked.locked ? (opts.now ?? (() => new Date()))().toISOString() : undefined;
  const seed = a.form === 'fixed' ? 0 : (opts.seed ?? randomInt(0, MAX_SEED));
  const plan = assessmentSitting(packItems(pack, seed), seed, packSittingInfo(pack, openedAt), 'none', a.instructions, opts, interactive);
  if (openedAt === undefined || !('items' in plan.sitting)) return plan;
  // The briefing came with the code prompt; the sitting starts when the code opened the pack.
  const { briefing: _shown, ...rest } = plan;
  return { ...rest, sitting: { ...plan.sitting, startedAt: openedAt, ...(candidate !== undefined ? { candidate } : {}) } };
}

export const passMarkGates = (a: Assessment): GateSpec => ({
  ...(a.passMark !== null ? { minScore: a.passMark } : {}),
  minTopic: a.topicPassMarks,
});

/** The pass marks of an assessment this machine has stored, as gates. */
export function definitionGates(db: Database, digest: string): GateSpec {
  const a = getAssessment(db, digest);
  return a ? passMarkGates(a) : {};
}

/** What a sitting of an unsealed assessment records of its definition. */
export function definitionSittingInfo(a: Assessment): SittingInfo {
  return { id: a.id, title: a.title, digest: a.digest, timeLimitMs: a.timeLimitMs, form: a.form, sealed: false };
}

/** What a sitting of a pack records of it: the interviewer's limit and digests travel with the pack. */
export function packSittingInfo(pack: Pack, openedAt?: string): SittingInfo {
  const a = pack.assessment;
  return {
    id: a.id,
    title: a.title,
    digest: a.digest,
    timeLimitMs: a.timeLimitMs,
    form: a.form,
    sealed: true,
    packId: pack.id,
    packDigest: pack.digest,
    ...(openedAt !== undefined ? { openedAt } : {}),
  };
}
