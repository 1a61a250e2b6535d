import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBankFiles } from '../../src/bank/load.js';
import { UserError } from '../../src/errors.js';
import { Unreadable, readRegular, readTextFile, writeCacheFile, writeFileAtomic } from '../../src/files.js';
import { fixtures, tmpDir } from '../helpers.js';

describe('reading only regular files, within a limit', () => {
  it('a FIFO and a link to /dev/zero in a banks folder are problems, not a hang or 16 GB of reading', () => {
    const dir = tmpDir();
    fs.copyFileSync(path.join(fixtures, 'banks', 'valid', 'fixture.yaml'), path.join(dir, 'fixture.yaml'));
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]).status).toBe(0);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    // Opening the pipe would block for ever, and reading /dev/zero would not end before the test's
    // time limit: returning at all is the check.
    const result = loadBankFiles([dir]);
    expect(result.banks.map((b) => b.id)).toEqual(['fixture']);
    expect(result.problems.map((p) => `${path.basename(p.file)}: ${p.message}`)).toEqual([
      'pipe.yaml: cannot read the file: a named pipe, not a regular file',
      'zero.yaml: cannot read the file: a device, not a regular file',
    ]);
  });

  it('enforces the limit while reading, not only from the size stat reports', () => {
    // /proc files are regular files whose stat size is 0 whatever they hold.
    expect(fs.statSync('/proc/self/status').size).toBe(0);
    expect(() => readRegular('/proc/self/status', 64)).toThrow(Unreadable);
    expect(() => readRegular('/proc/self/status', 64)).toThrow(/too large \(more than 0\.0 MB\)/);
    expect(readRegular('/proc/self/status', 1024 * 1024)).toMatch(/^Name:/);
  });

  it('names the file and what it was meant to be', () => {
    const dir = tmpDir();
    expect(spawnSync('mkfifo', [path.join(dir, 'answers.yaml')]).status).toBe(0);
    const err = (() => {
      try {
        readTextFile('answers.yaml', dir, 'an answers file', 1024);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('answers.yaml: cannot use it as an answers file: a named pipe, not a regular file');
    fs.writeFileSync(path.join(dir, 'big.yaml'), 'x'.repeat(3 * 1024 * 1024));
    expect(() => readTextFile('big.yaml', dir, 'an answers file', 2 * 1024 * 1024)).toThrow(
      'big.yaml: too large for an answers file (3.0 MB; at most 2.0 MB)',
    );
    expect(() => readTextFile(dir, dir, 'a pack file', 1024)).toThrow(/cannot use it as a pack file: a directory, not a regular file/);
  });
});

describe('writing whole files', () => {
  it('a file asked for inside a file (not a folder) is a one-line UserError, not a crash', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'plain.txt'), 'x');
    // Cleaning up the temporary name threw ENOTDIR past the handler: exit 70 with a stack.
    expect(() => writeFileAtomic(path.join(dir, 'plain.txt', 'out.yaml'), 'text')).toThrow(UserError);
    expect(() => writeFileAtomic(path.join(dir, 'plain.txt', 'out.yaml'), 'text')).toThrow(/^cannot write .*out\.yaml: ENOTDIR$/);
  });

  it('a cache file that cannot be written is skipped without an error', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'plain.txt'), 'x');
    expect(() => writeCacheFile(path.join(dir, 'plain.txt', 'sub', 'entry.json'), '{}')).not.toThrow();
    writeCacheFile(path.join(dir, 'cache', 'sub', 'entry.json'), '{"a":1}');
    expect(fs.readFileSync(path.join(dir, 'cache', 'sub', 'entry.json'), 'utf8')).toBe('{"a":1}');
    expect(fs.readdirSync(path.join(dir, 'cache', 'sub'))).toEqual(['entry.json']);
  });
});
