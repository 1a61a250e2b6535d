// Which ways of starting a sitting exclude each other. One table serves commander's
// `.conflicts()` for the command line and the same check for callers that pass options directly.
// Imports nothing, so the command line can read it without loading the sitting code.

/** Option (camelCase, as commander stores it) → the options it cannot be combined with. */
export const EXCLUSIVE = {
  resume: ['assessment', 'adaptive', 'retry'],
  retry: ['assessment'],
  adaptive: ['assessment'],
} as const;

/** How each option is spelled on the command line. */
export const FLAG: Record<string, string> = {
  resume: '--resume',
  retry: '--retry',
  adaptive: '--adaptive',
  assessment: '--assessment',
  pack: 'a pack file',
};

/** Why each mode takes nothing else: said when a caller combines it with another. */
export const WHY: Record<string, string> = {
  resume: '--resume continues a stored sitting as it was started',
  retry: '--retry asks stored questions again',
  adaptive: '--adaptive chooses questions from the banks as it goes, while an assessment or a pack has its questions set',
  assessment: 'a pack and an assessment each set the questions',
};

/** The first pair of exclusive modes set together, or undefined. A pack file excludes all of them. */
export function conflict(set: Readonly<Record<string, unknown>>): [string, string] | undefined {
  const on = (k: string): boolean => set[k] !== undefined && set[k] !== false;
  if (on('pack')) for (const k of ['resume', 'retry', 'adaptive', 'assessment']) if (on(k)) return [k, 'pack'];
  for (const [k, others] of Object.entries(EXCLUSIVE)) for (const o of others) if (on(k) && on(o)) return [k, o];
  return undefined;
}
