// The published package, installed into an empty folder, as `npx backend-quiz` users get it.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, tmpDir } from '../helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let app: string;
let files: string[];

beforeAll(() => {
  const out = tmpDir('bq-pack-');
  // --ignore-scripts: `npm test` has built dist already; rebuilding here would race other test files.
  const [packed] = JSON.parse(
    execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8' }),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = packed!.files.map((f) => f.path);
  app = path.join(out, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  // better-sqlite3's install script compiles SQLite from source: a minute on a quiet machine, many
  // on a busy one. The same pinned version is built in this checkout already, for this Node, so the
  // install skips scripts and takes that binary; `npm ci` on a clean clone still runs the compile.
  execFileSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', path.join(out, packed!.filename)], {
    cwd: app,
    stdio: 'pipe',
    env: { ...process.env, ...ownHeaders() },
  });
  const sqlite = (dir: string): { version: string; binary: string } => ({
    version: (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version,
    binary: path.join(dir, 'build', 'Release', 'better_sqlite3.node'),
  });
  const built = sqlite(path.join(root, 'node_modules', 'better-sqlite3'));
  const installed = sqlite(path.join(app, 'node_modules', 'better-sqlite3'));
  if (installed.version === built.version && fs.existsSync(built.binary)) {
    fs.mkdirSync(path.dirname(installed.binary), { recursive: true });
    fs.copyFileSync(built.binary, installed.binary);
  } else {
    execFileSync(npm, ['rebuild', 'better-sqlite3', '--loglevel=error'], { cwd: app, stdio: 'pipe' });
  }
}, 600_000);

/**
 * better-sqlite3 compiles during the install, against the headers npm's nodedir names; a machine
 * may point that at one Node's headers (nodedir=/usr) while the suite runs on another Node. The
 * running Node's own headers sit beside its binary (bin/node, include/node) in the official
 * builds and in Linux packages; where they do not, node-gyp fetches those of process.version.
 */
function ownHeaders(): NodeJS.ProcessEnv {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_version.h')) ? { npm_config_nodedir: prefix } : {};
}

function npx(args: string[]) {
  const r = spawnSync(npm, ['exec', '--offline', '--', 'backend-quiz', ...args], {
    cwd: app,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('packed tarball', () => {
  it('holds only what runs', () => {
    const tops = new Set(files.map((f) => f.split('/')[0]));
    expect([...tops].sort()).toEqual(['README.md', 'bin', 'cli', 'dist', 'package.json', 'questions', 'schema']);
    // The bin runs the bundle in cli/; of dist/ only the data it reads at run time ships.
    expect(files.filter((f) => f.startsWith('dist/')).sort()).toEqual([
      'dist/banks-index.json',
      'dist/banks.json',
      'dist/help.json',
      // The Postgres data directory prepared at build time, with the PGlite version that made it.
      'dist/pglite-datadir.tar.gz',
      'dist/pglite-datadir.tar.gz.json',
      'dist/topics.json',
      'dist/validators.cjs',
    ]);
    expect(files).toContain('cli/main.cjs');
    expect(files).toContain('cli/task-worker.cjs');
    expect(files).toContain('bin/package.json');
    expect(files).toContain('schema/bank.schema.json');
  });

  it('runs --help', () => {
    const r = npx(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: backend-quiz');
  });

  it('runs a scripted quiz on the built-in banks', () => {
    expect(npx(['take', '--count', '3', '--seed', '1', '--answers-template', 'answers.yaml']).code).toBe(0);
    const r = npx(['take', '--count', '3', '--seed', '1', '--answers', 'answers.yaml', '--json', '--db', path.join(app, 'r.db')]);
    expect(r.stderr).not.toMatch(/backend-quiz:|Error/); // npm itself may warn on stderr
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.questions).toHaveLength(3);
    expect(out.status).toBe('finished');
  });
});

describe('packed tarball, better-sqlite3 never built', () => {
  // As after `npm install --ignore-scripts`: the driver has no compiled part. The bin must say so
  // in one line with the fix, not report a bug in itself.
  it('take says how to rebuild it, exit 2, and --help still runs', () => {
    const build = path.join(app, 'node_modules', 'better-sqlite3', 'build');
    fs.renameSync(build, `${build}.aside`);
    try {
      expect(npx(['--help']).code).toBe(0);
      // A form's template needs no database, so it is written without the driver.
      expect(npx(['take', '--count', '3', '--seed', '1', '--answers-template', 'form.yaml']).code).toBe(0);
      const r = npx(['take', '--count', '3', '--seed', '1', '--answers', 'form.yaml', '--json', '--db', path.join(app, 'r2.db')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `backend-quiz: better-sqlite3, the SQLite driver, was installed without being built (its install script did not run); rebuild it for this Node: cd ${fs.realpathSync(app)} && npm rebuild better-sqlite3\n`,
      );
      expect(r.stderr).not.toMatch(/This is a bug|^\s+at /m);
    } finally {
      fs.renameSync(`${build}.aside`, build);
    }
  });
});
