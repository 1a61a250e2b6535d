// How a sitting was sat travels with its result file: a scripted sitting stays marked scripted on
// import, and one the definition's own rules would have refused is not imported.
import { describe, expect, it } from 'vitest';
import { parseAssessment } from '../../src/assessment/definition.js';
import { contentDigest } from '../../src/assessment/digest.js';
import { drawForm } from '../../src/assessment/form.js';
import type { ResultFile } from '../../src/assessment/result.js';
import { saveAssessment } from '../../src/store/assessments.js';
import { getSession } from '../../src/store/sessions.js';
import { aBank } from '../helpers.js';
import { interviewer, resultOfSitting } from '../sitting-builders.js';
import { definitionSittingInfo } from '../../src/take/assessment.js';

const banks = [aBank('alpha', 4)];

async function sat(extra: string[], mode: 'interactive' | 'scripted'): Promise<ResultFile> {
  const a = parseAssessment(
    ['assessment: t', 'title: T', 'sections:', '  - topic: alpha', '    count: 3', ...extra].join('\n'),
    't.yaml',
  ).assessment!;
  return resultOfSitting(drawForm(a, banks, a.seed), { seed: 1, info: definitionSittingInfo(a), definition: a, mode });
}

function importInto(r: ResultFile): { mode: string } {
  // The interviewer holds the definition (as `assessment check` records it).
  const { db, run } = interviewer(banks)((d) => saveAssessment(d, r.assessment.definition!, '2026-06-01T08:00:00Z'));
  try {
    run(r);
    return getSession(db, r.session.id).session.settings;
  } finally {
    db.close();
  }
}

describe('the mode of an imported sitting', () => {
  it('is written to the result file and kept on import', async () => {
    const r = await sat(['time_limit: 30m', 'scripted: allowed'], 'scripted');
    expect(r.session.mode).toBe('scripted');
    expect(importInto(r).mode).toBe('scripted');
    expect(importInto(await sat(['time_limit: 30m'], 'interactive')).mode).toBe('interactive');
  });

  it('reads as interactive from a file written before it was recorded', async () => {
    const r = await sat([], 'scripted');
    const { mode: _m, ...session } = r.session;
    const { digest: _d, ...body } = { ...r, session };
    expect(importInto({ ...body, digest: contentDigest(body) } as ResultFile).mode).toBe('interactive');
  });

  it('refuses a scripted sitting of a timed definition that does not allow one', async () => {
    const r = await sat(['time_limit: 30m'], 'scripted');
    expect(() => importInto(r)).toThrow("it is a scripted sitting of 't', which is timed and does not allow scripted sittings");
    expect(importInto(await sat([], 'scripted')).mode).toBe('scripted');
  });
});
