import type { TaskLimits } from '../bank/types.js';

/** Limits of one run when a task sets none: generous for a reference solution, tight for a runaway. */
export const DEFAULT_LIMITS: Readonly<TaskLimits> = Object.freeze({
  timeMs: 2000,
  memoryMb: 64,
  outputKb: 256,
  answerKb: 20,
});

/** The YAML names of the limits, as a bank writes them. */
export const LIMIT_FIELDS = {
  time_ms: 'timeMs',
  memory_mb: 'memoryMb',
  output_kb: 'outputKb',
  answer_kb: 'answerKb',
} as const satisfies Record<string, keyof TaskLimits>;
