// The built program grades a sealed pack's tasks on import: the task engines start from the bundle
// (their Worker is a file of its own there), a hostile answer stays text in the HTML report.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentDigest } from '../../src/assessment/digest.js';
import { buildPack, packExpectations, packItems, readPack, type OpenPack } from '../../src/assessment/pack.js';
import { writeResult } from '../../src/assessment/result.js';
import type { Bank, Task } from '../../src/bank/types.js';
import { packSittingInfo } from '../../src/take/assessment.js';
import { aBank, root, tmpDir } from '../helpers.js';
import { htmlProblems } from '../html-check.js';
import { resultOfSitting } from '../sitting-builders.js';
import { aCodeTask, aSqlTask, aTaskAssessment } from '../task-builders.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const dir = tmpDir('bq-tasks-e2e-');
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', BACKEND_QUIZ_DB: path.join(dir, 'interviewer.db') },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const sql = aSqlTask({ id: 'order-counts' });
const code = aCodeTask({ id: 'add' });
const banks: Bank[] = [aBank('databases', [sql]), aBank('http-apis', [code])];
const HOSTILE = 'function add(a, b) { return a + b } // </code></pre><script>window.__pwned=1</script>';

beforeAll(async () => {
  const a = aTaskAssessment('e2e-tasks');
  const sealed = buildPack(a, banks, undefined, undefined, await packExpectations(a, banks));
  fs.writeFileSync(path.join(dir, 'tasks.key.json'), JSON.stringify(sealed.key));
  const pack = readPack(JSON.stringify(sealed.pack), 'tasks.pack.json') as OpenPack;
  const answers: Record<string, (q: Task) => string> = {
    ada: (q) => (q.type === 'sql' ? sql.solution : HOSTILE),
    loop: (q) =>
      q.type === 'sql'
        ? 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*), 0 FROM r'
        : 'function add() { for (;;) {} }',
  };
  for (const [i, [name, taskAnswer]] of Object.entries(answers).entries()) {
    const r = await resultOfSitting(packItems(pack, 0), { seed: 0, info: packSittingInfo(pack), definition: null, taskAnswer });
    const { digest: _d, ...body } = { ...r, session: { ...r.session, candidate: name, id: `e2e${i}sess` } };
    writeResult({ file: path.join(dir, 'results', `${name}.result.json`) }, { ...body, digest: contentDigest(body) });
  }
});

describe('import --key and report on the built program', () => {
  it('grades every answer from the key, a runaway one failing its tests with the reason', () => {
    const imported = cli(['import', '--key', 'tasks.key.json', 'results']);
    expect(imported.stdout).toContain('Imported 2 results, 1 key file, 0 already present, 0 refused.');
    expect(imported.code).toBe(0);
    const json = JSON.parse(cli(['report', '--assessment', 'e2e-tasks', '--format', 'json']).stdout);
    const byName = (n: string) => json.candidates.find((c: { candidate: string }) => c.candidate === n);
    expect(byName('ada').score).toBe(6);
    expect(byName('loop').score).toBe(0);
    const reasons = byName('loop').answers.flatMap((x: { task: { tests: { reason: string }[] } }) => x.task.tests.map((t) => t.reason));
    expect(new Set(reasons)).toEqual(new Set(['time limit 2 s exceeded']));
  });

  it('writes an HTML report that passes the validator, the hostile answer escaped', async () => {
    const r = cli(['report', '--assessment', 'e2e-tasks', '--format', 'html', '-o', 'cohort.html']);
    expect(r.code).toBe(0);
    const html = fs.readFileSync(path.join(dir, 'cohort.html'), 'utf8');
    expect(await htmlProblems(html)).toEqual([]);
    expect(html).toContain('// &lt;/code&gt;&lt;/pre&gt;&lt;script&gt;');
    expect(html).toContain('tests 2/2 visible, 1/1 hidden · 1 run');
  });
});
