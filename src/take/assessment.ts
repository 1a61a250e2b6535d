// A sitting of an assessment, from its YAML file or from a sealed pack.
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { requireBanks } from '../bank/load.js';
import { UserError } from '../errors.js';
import type { Database } from 'better-sqlite3';
import type { Assessment } from '../assessment/definition.js';
import { DIFFICULTIES } from '../bank/types.js';
import type { GateSpec } from '../engine/gates.js';
import { MAX_SEED } from '../engine/rng.js';
import type { QuizItem } from '../engine/select.js';
import { readTextFile } from '../files.js';
import { getAssessment } from '../store/assessments.js';
import type { SittingInfo } from '../store/sessions.js';
import type { Context } from '../commands/context.js';
import { candidateOf, defaultCandidate, topicsOf, type Plan, type TakeOptions } from './plan.js';

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
      settings: {
        topics: topicsOf(items),
        count: items.length,
        difficulties: [...DIFFICULTIES],
        feedback,
        mode: interactive ? 'interactive' : 'scripted',
        assessment: info,
      },
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
  const seed = a.form === 'fixed' ? a.seed : (opts.seed ?? randomInt(0, MAX_SEED));
  const info: SittingInfo = { id: a.id, title: a.title, digest: a.digest, timeLimitMs: a.timeLimitMs, form: a.form, sealed: false };
  // Like a plain quiz, an answers file may name any question of the banks; those not drawn are ignored.
  const plan = assessmentSitting(drawForm(a, banks, seed), seed, info, a.feedback, a.instructions, opts, interactive);
  return { ...plan, questions: banks.flatMap((b) => b.questions), save: a, gates: passMarkGates(a) };
}

export async function packPlan(file: string, opts: TakeOptions, ctx: Context, interactive: boolean): Promise<Plan> {
  // `take http-apis`: a topic where a pack file belongs.
  if (!fs.existsSync(path.resolve(ctx.cwd, file)) && requireBanks(ctx.bankDirs, ctx.cwd, ctx.cacheDir).some((b) => b.id === file))
    throw new UserError(`'${file}' is a topic, not a pack file; to be asked about it, run: backend-quiz take -t ${file}`);
  const { MAX_PACK_BYTES, packItems, readPack } = await import('../assessment/pack.js');
  const pack = readPack(readTextFile(file, ctx.cwd, 'a pack file', MAX_PACK_BYTES), file);
  const a = pack.assessment;
  const seed = a.form === 'fixed' ? 0 : (opts.seed ?? randomInt(0, MAX_SEED));
  const info: SittingInfo = {
    id: a.id,
    title: a.title,
    digest: a.digest,
    timeLimitMs: a.timeLimitMs,
    form: a.form,
    sealed: true,
    packId: pack.id,
    packDigest: pack.digest,
  };
  return assessmentSitting(packItems(pack, seed), seed, info, 'none', a.instructions, opts, interactive);
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
