// The results database under the conditions a hostile trial found: many processes on a new file,
// writers and readers together, kill -9, files that are not files, damaged and unwritable files.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixtures, root, tmpDir } from '../helpers.js';
import { migrations } from '../../src/store/migrations/index.js';
import { Terminal, answerRight, killNode } from './terminal.js';

const bin = path.join(root, 'bin', 'backend-quiz.js');
const banks = path.join(fixtures, 'banks', 'valid');
const env = { ...process.env, NO_COLOR: '1' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { cwd?: string; uid?: number } = {}): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? root,
    env,
    encoding: 'utf8',
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cliAsync(args: string[], cwd = root, extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...env, ...extraEnv } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

function answersFile(dir: string): string {
  const file = path.join(dir, 'answers.yaml');
  fs.writeFileSync(
    file,
    [
      'fixture/pick-two: Two',
      'fixture/sky-blue: true',
      'fixture/https-port: 443',
      'fixture/retry-header: Retry-After',
      'fixture/small-primes: ["2", "3"]',
    ].join('\n'),
  );
  return file;
}

const take = (db: string, answers: string): string[] => [
  '--banks',
  banks,
  'take',
  '-t',
  'fixture',
  '-n',
  '5',
  '--answers',
  answers,
  '--json',
  '--db',
  db,
];

describe('first use under concurrency', () => {
  // A broad check: the race it once lost (two processes making a new file WAL at once) is
  // reproduced exactly, every time, in test/unit/store-lock.test.ts.
  it('8 processes at once on a new file, 10 rounds: every one succeeds and every session is stored', async () => {
    const dir = tmpDir();
    const answers = answersFile(dir);
    for (let round = 0; round < 10; round++) {
      const db = path.join(dir, `r${round}.db`);
      // Two write a session, six only read: both kinds create the file and migrate it.
      const runs = await Promise.all(
        Array.from({ length: 8 }, (_, i) => cliAsync(i % 4 === 1 ? take(db, answers) : ['history', '--json', '--db', db], dir)),
      );
      for (const r of runs) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const sql = new Sqlite(db, { readonly: true });
      expect(sql.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(2);
      expect(sql.prepare('SELECT count(*) FROM answers').pluck().get()).toBe(10);
      expect(sql.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
      sql.close();
    }
  }, 180_000);
});

describe('another process holds the write lock', () => {
  it('a take waits for it, and succeeds once it is let go', async () => {
    const dir = tmpDir();
    const answers = answersFile(dir);
    const db = path.join(dir, 'held.db');
    expect(cli(take(db, answers), { cwd: dir }).code).toBe(0);
    const holder = new Sqlite(db);
    holder.exec('BEGIN IMMEDIATE');
    const run = cliAsync(take(db, answers), dir);
    // Held for longer than the 5 seconds a take used to wait before it gave up.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    holder.exec('COMMIT');
    holder.close();
    const r = await run;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const sql = new Sqlite(db, { readonly: true });
    expect(sql.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(2);
    sql.close();
  });

  it('gives up after BACKEND_QUIZ_LOCK_TIMEOUT with one line that names the file, and stores nothing', async () => {
    const dir = tmpDir();
    const answers = answersFile(dir);
    const db = path.join(dir, 'held.db');
    expect(cli(take(db, answers), { cwd: dir }).code).toBe(0);
    const holder = new Sqlite(db);
    holder.exec('BEGIN IMMEDIATE');
    let r: Run;
    try {
      r = await cliAsync(take(db, answers), dir, { BACKEND_QUIZ_LOCK_TIMEOUT: '1' });
    } finally {
      holder.exec('COMMIT');
      holder.close();
    }
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `backend-quiz: ${db} stayed locked by another process for longer than 1 second; try again when it has finished, or wait longer with BACKEND_QUIZ_LOCK_TIMEOUT=<seconds>\n`,
    );
    const sql = new Sqlite(db, { readonly: true });
    expect(sql.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    sql.close();
  });
});

describe('what already held, kept with tests', () => {
  it.each([8, 32])(
    '%i writers and half as many readers on one existing database: no busy errors, nothing lost',
    async (writers) => {
      const dir = tmpDir();
      const answers = answersFile(dir);
      const db = path.join(dir, 'shared.db');
      expect(cli(take(db, answers), { cwd: dir }).code).toBe(0);
      const runs = await Promise.all([
        ...Array.from({ length: writers }, () => cliAsync(take(db, answers), dir)),
        ...Array.from({ length: writers / 2 }, () => cliAsync(['history', '--json', '--db', db], dir)),
      ]);
      for (const r of runs) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      const ids = runs.slice(0, writers).map((r) => JSON.parse(r.stdout).sessionId as string);
      const sql = new Sqlite(db, { readonly: true });
      const stored = sql
        .prepare(`SELECT s.id, count(a.position) AS n, s.score FROM sessions s JOIN answers a ON a.session_id = s.id GROUP BY s.id`)
        .all() as { id: string; n: number; score: number }[];
      expect(stored).toHaveLength(writers + 1);
      for (const id of ids) expect(stored.find((s) => s.id === id)).toMatchObject({ n: 5, score: 6 });
      expect(sql.pragma('integrity_check', { simple: true })).toBe('ok');
      sql.close();
    },
    120_000,
  );

  it.each([1, 2, 4])('kill -9 after %i answers keeps exactly that many, and the file passes integrity_check', async (k) => {
    const dir = tmpDir();
    const db = path.join(dir, `kill-${k}.db`);
    const t = new Terminal(['--banks', banks, 'take', '-t', 'fixture', '-n', '5', '--db', db], {}, 80, 40, dir);
    try {
      for (let i = 1; i <= k; i++) await answerRight(t, await t.waitFor(`Question ${i}/5`));
      // The next question is on screen only after the answer before it was committed.
      await t.waitFor(`Question ${k + 1}/5`);
      killNode(`kill-${k}.db`);
      expect(await t.exited).not.toBe(0);
    } finally {
      t.kill();
    }
    const sql = new Sqlite(db, { readonly: true });
    expect(sql.prepare('SELECT position, outcome FROM answers ORDER BY position').all()).toEqual(
      Array.from({ length: k }, (_, position) => ({ position, outcome: 'right' })),
    );
    expect(sql.pragma('integrity_check', { simple: true })).toBe('ok');
    sql.close();
  });
});

describe('--db paths that are not plain files: a clear message, exit 2, nothing created', () => {
  it.each([
    ['a directory', (dir: string) => dir, /is a directory; --db takes the path of a database file/],
    [
      'a named pipe',
      (dir: string) => (spawnSync('mkfifo', [path.join(dir, 'fifo')]), path.join(dir, 'fifo')),
      /is a named pipe; --db takes the path/,
    ],
    ['a character device', () => '/dev/null', /\/dev\/null is a device; --db takes the path/],
  ])(
    '%s',
    (_kind, make, message) => {
      const dir = tmpDir();
      const db = make(dir);
      for (const args of [
        ['history', '--db', db],
        ['--banks', banks, 'take', '-t', 'fixture', '-n', '1', '--answers', answersFile(dir), '--db', db],
      ]) {
        const r = cli(args, { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        noStack(r.stderr);
      }
      expect(fs.existsSync('/dev/null-journal')).toBe(false);
      expect(fs.readdirSync(dir).filter((n) => /journal|-wal|-shm/.test(n))).toEqual([]);
    },
    30_000,
  );
});

describe('damaged and odd databases', () => {
  function filled(dir: string): string {
    const db = path.join(dir, 'r.db');
    const answers = answersFile(dir);
    for (let i = 0; i < 6; i++) expect(cli([...take(db, answers)], { cwd: dir }).code).toBe(0);
    return db;
  }

  it('a file with overwritten pages: history, take and report refuse it as damaged, nothing is written, doctor says what is wrong', () => {
    const dir = tmpDir();
    const db = filled(dir);
    const sql = new Sqlite(db);
    const pages = sql.pragma('page_count', { simple: true }) as number;
    const size = sql.pragma('page_size', { simple: true }) as number;
    sql.close();
    // Overwrite the middle of every page after the schema: whatever table it holds is broken.
    const fd = fs.openSync(db, 'r+');
    for (let p = 2; p < pages; p++) fs.writeSync(fd, Buffer.alloc(64, 0x41), 0, 64, p * size + 8);
    fs.closeSync(fd);
    const before = fs.readFileSync(db);
    for (const args of [['history', '--db', db], take(db, answersFile(dir)), ['report', 'abcdefghjk', '--db', db]]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^backend-quiz: ${db} is damaged \\(.+\\)\\. backend-quiz will not write to it: restore it from a backup, or move it aside \\(mv ${db} ${db}\\.damaged\\)`,
        ),
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    const doctor = cli(['doctor', '--db', db, '--json']);
    expect(doctor.code).toBe(1);
    const d = JSON.parse(doctor.stdout);
    expect(d.ok).toBe(false);
    expect(d.problems.length).toBeGreaterThan(0);
    expect(d.problems.length).toBeLessThanOrEqual(20);
    const text = cli(['doctor', '--db', db]);
    expect(text.stdout).toMatch(/^✘ /m);
    expect(text.stdout).toContain(`move it aside (mv ${db} ${db}.damaged)`);
  }, 60_000);

  it('a stored row that is not JSON any more is reported as damage, not a crash', () => {
    const dir = tmpDir();
    const db = filled(dir);
    const id = JSON.parse(cli(['history', '--json', '--db', db]).stdout).sessions[0].sessionId as string;
    const sql = new Sqlite(db);
    sql.prepare(`UPDATE sessions SET settings = '{"topics": [fixt' WHERE id = ?`).run(id);
    sql.close();
    for (const args of [
      ['show', id, '--db', db],
      ['history', '--db', db],
    ]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is damaged \(a stored row is not valid JSON/);
      noStack(r.stderr);
    }
  }, 30_000);

  it('doctor passes a sound database', () => {
    const dir = tmpDir();
    const db = filled(dir);
    const r = cli(['doctor', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`✔ integrity check passed: schema version ${migrations.at(-1)!.version}, 6 sessions, 30 answers`);
    expect(cli(['doctor', '--db', path.join(dir, 'none.db')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no such database'),
    });
  }, 30_000);

  it('a negative user_version is refused as damaged, exit 2', () => {
    const dir = tmpDir();
    const db = filled(dir);
    const sql = new Sqlite(db);
    sql.pragma('user_version = -1');
    sql.close();
    const r = cli(['history', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is damaged \(its schema version is -1, which backend-quiz never writes\)/);
  }, 30_000);

  // Root may write anything: these run the program as the unprivileged user `nobody`.
  const nobody = 65534;
  it('as a user who may not write it: a read-only database is refused by take with "permission denied" and no -wal or -shm; a read-only folder too', () => {
    const dir = tmpDir();
    fs.chmodSync(dir, 0o777);
    const answers = answersFile(dir);
    const db = filled(dir);
    fs.chmodSync(db, 0o444);
    fs.chownSync(db, nobody, nobody);
    const r = cli(take(db, answers), { cwd: dir, uid: nobody });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^backend-quiz: permission denied: .+r\.db is read-only/);
    expect(fs.readdirSync(dir).filter((n) => /-wal|-shm/.test(n))).toEqual([]);

    const locked = path.join(tmpDir(), 'locked');
    fs.mkdirSync(locked, { mode: 0o555 });
    fs.chmodSync(path.dirname(locked), 0o755);
    const fresh = cli(['history', '--db', path.join(locked, 'new.db')], { uid: nobody });
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toMatch(/permission denied: cannot create .+new\.db: the folder .+locked is not writable/);
    expect(fresh.stderr).not.toMatch(/not a backend-quiz results database/);
  }, 60_000);

  it('a schema format number SQLite refuses (5 at header offset 44): history and take exit 2 naming the file, doctor reports the damage', () => {
    const dir = tmpDir();
    const db = filled(dir);
    const fd = fs.openSync(db, 'r+');
    fs.writeSync(fd, Buffer.from([0, 0, 0, 5]), 0, 4, 44);
    fs.closeSync(fd);
    const before = fs.readFileSync(db);
    for (const args of [['history', '--db', db], take(db, answersFile(dir))]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^backend-quiz: ${db} is damaged \\(byte 44 of its header, the schema format number, is 5; .+mv ${db} ${db}\\.damaged`),
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const doctor = cli(['doctor', '--db', db]);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^✘ byte 44 of its header, the schema format number, is 5/m);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  }, 60_000);

  /** Sessions stored, and how many are still in progress. */
  const counted = (db: string): [number, number] => {
    const sql = new Sqlite(db, { readonly: true });
    try {
      return sql.prepare(`SELECT count(*), count(*) FILTER (WHERE status = 'in_progress') FROM sessions`).raw().get() as [number, number];
    } finally {
      sql.close();
    }
  };

  it('damage a quick check misses is found before take writes: an index out of step with its table, a stored row that is not JSON, bytes changed in place with their time kept', () => {
    const cases: [string, (db: string, dir: string) => void, RegExp][] = [
      [
        'index',
        (db) => {
          const sql = new Sqlite(db);
          sql.unsafeMode(true);
          sql.pragma('writable_schema = ON');
          sql
            .prepare(`UPDATE sqlite_schema SET sql = 'CREATE INDEX questions_key ON questions (topic)' WHERE name = 'questions_key'`)
            .run();
          sql.close();
        },
        /is damaged \(integrity check: .*index questions_key/,
      ],
      [
        'json',
        (db) => {
          const sql = new Sqlite(db);
          sql.prepare(`UPDATE questions SET snapshot = '{"prompt": "cut' WHERE rowid = 1`).run();
          sql.close();
        },
        /is damaged \(integrity check: 1 row of questions holds a snapshot that is not valid JSON\)/,
      ],
      [
        'in place',
        (db, dir) => {
          const times = path.join(dir, 'times');
          fs.writeFileSync(times, '');
          expect(spawnSync('touch', ['-r', db, times]).status).toBe(0);
          const sql = new Sqlite(db, { readonly: true });
          const pages = sql.pragma('page_count', { simple: true }) as number;
          sql.close();
          const fd = fs.openSync(db, 'r+');
          for (let p = 2; p < pages; p++) fs.writeSync(fd, Buffer.alloc(64, 0x41), 0, 64, p * 4096 + 8);
          fs.closeSync(fd);
          expect(spawnSync('touch', ['-r', times, db]).status).toBe(0);
        },
        /is damaged/,
      ],
    ];
    for (const [name, harm, message] of cases) {
      const dir = tmpDir();
      const db = filled(dir);
      // history has recorded the file sound just before it is harmed.
      expect(cli(['history', '--db', db]).code).toBe(0);
      harm(db, dir);
      const before = name === 'in place' ? undefined : counted(db);
      const r = cli(take(db, answersFile(dir)), { cwd: dir });
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toMatch(message);
      if (before) expect(counted(db), name).toEqual(before);
    }
  }, 120_000);

  it("history on another program's SQLite file leaves it byte for byte, nothing beside it, and says why it is not ours", () => {
    const dir = tmpDir();
    const app = path.join(dir, 'app.db');
    const sql = new Sqlite(app);
    sql.exec('CREATE TABLE contacts (name TEXT)');
    sql.close();
    const seven = path.join(dir, 'seven.db');
    const sql7 = new Sqlite(seven);
    sql7.pragma('user_version = 7');
    sql7.close();
    for (const [file, why] of [
      [app, 'it holds other tables: contacts'],
      [seven, 'its user_version is 7, which is not a backend-quiz schema version'],
    ] as const) {
      const before = fs.readFileSync(file);
      for (const args of [['history', '--db', file], ['doctor', '--db', file], take(file, answersFile(dir))]) {
        const r = cli(args, { cwd: dir });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`${file} is not a backend-quiz results database (${why}); it was left untouched.`);
      }
      expect(fs.readFileSync(file).equals(before), file).toBe(true);
    }
    expect(fs.readdirSync(dir).filter((n) => /-wal|-shm|-journal/.test(n))).toEqual([]);
  }, 60_000);

  // Root may write anything: as root these run as `nobody`; as anyone else, as that user, who may
  // not write a 0444 file or a 0555 folder either.
  const reader = process.getuid?.() === 0 ? nobody : undefined;
  const owned = (p: string): void => {
    if (reader !== undefined) fs.chownSync(p, reader, reader);
  };

  it('as a user who may not write the database: history reads it and leaves no -wal or -shm beside it', () => {
    const dir = tmpDir();
    const db = filled(dir);
    fs.chmodSync(dir, 0o777);
    owned(db);
    fs.chmodSync(db, 0o444);
    const r = cli(['history', '--db', db], { cwd: dir, ...(reader !== undefined ? { uid: reader } : {}) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/finished/);
    expect(fs.readdirSync(dir).filter((n) => /-wal|-shm|-journal/.test(n))).toEqual([]);
  }, 60_000);

  it('a read-only database in a read-only folder: history, show, report, stats and doctor read it', () => {
    const dir = tmpDir();
    const db = filled(dir);
    const id = JSON.parse(cli(['history', '--json', '--db', db]).stdout).sessions[0].sessionId as string;
    fs.chmodSync(dir, 0o755);
    owned(db);
    owned(dir);
    fs.chmodSync(db, 0o444);
    fs.chmodSync(dir, 0o555);
    const before = fs.readFileSync(db);
    try {
      for (const args of [['history'], ['show', id], ['report', id], ['--banks', banks, 'stats'], ['doctor']]) {
        const r = cli([...args, '--db', db], reader !== undefined ? { uid: reader } : {});
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
        expect(r.stderr, args[0]).toBe('');
      }
    } finally {
      fs.chmodSync(dir, 0o755);
    }
    expect(fs.readdirSync(dir)).toEqual(['answers.yaml', 'r.db']);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  }, 60_000);
});
