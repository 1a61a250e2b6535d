// A better-sqlite3 that cannot be loaded by this Node: the errors Node and bindings raise, word
// for word (taken from Node 22, 24 and 26 loading a copy built by Node 20, and from a copy
// installed with --ignore-scripts), become one line with the command that fixes it.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { storeError } from '../../src/store/db.js';
import { nativeModuleError } from '../../src/store/native.js';

/** Node's error for an addon of another ABI (node/src/node_binding.cc). */
function abiError(addon: string, built: number, needed: number): Error {
  return Object.assign(
    new Error(
      `The module '${addon}'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION ${built}. This version of Node.js requires\nNODE_MODULE_VERSION ${needed}. Please try re-compiling or re-installing\nthe module (for instance, using \`npm rebuild\` or \`npm install\`).`,
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  );
}

/** bindings' error when no build of the addon exists. */
function notBuiltError(pkg: string, arrow = ' → '): Error {
  const tried = ['build/better_sqlite3.node', 'build/Debug/better_sqlite3.node', 'build/Release/better_sqlite3.node'];
  return new Error(`Could not locate the bindings file. Tried:\n${tried.map((t) => `${arrow}${pkg}/${t}`).join('\n')}`);
}

const release = (project: string): string => `${project}/node_modules/better-sqlite3/build/Release/better_sqlite3.node`;

describe('nativeModuleError', () => {
  it('an addon built for another Node: one line naming both ABIs and the rebuild in its project', () => {
    const e = nativeModuleError(abiError(release('/home/ann/app'), 115, 137), 'v24.22.3');
    expect(e).toBeInstanceOf(UserError);
    expect(e!.exitCode).toBe(2);
    expect(e!.message).not.toContain('\n');
    expect(e!.message).toBe(
      'better-sqlite3, the SQLite driver, was built for another version of Node.js (NODE_MODULE_VERSION 115; Node v24.22.3 needs 137); rebuild it for this Node: cd /home/ann/app && npm rebuild better-sqlite3',
    );
  });

  it('a global install is rebuilt in the package folder that holds it', () => {
    const e = nativeModuleError(abiError(release('/usr/lib/node_modules/backend-quiz'), 127, 147), 'v26.12.1');
    expect(e!.message).toMatch(
      /needs 147\); rebuild it for this Node: cd \/usr\/lib\/node_modules\/backend-quiz && npm rebuild better-sqlite3$/,
    );
  });

  it("npx's copy, shared by every Node version: remove that copy and run npx again", () => {
    const e = nativeModuleError(abiError(release('/home/ann/.npm/_npx/7c8d2e1f0a9b'), 115, 127), 'v22.23.5');
    expect(e!.message).toMatch(
      /; npx keeps one copy for all Node versions: remove it \(rm -rf \/home\/ann\/\.npm\/_npx\/7c8d2e1f0a9b\) and run npx again$/,
    );
  });

  it('a path with spaces or quotes is quoted for the shell, and control characters are shown, not sent', () => {
    const quoted = nativeModuleError(abiError(release("/home/ann/my app's"), 115, 137))!;
    expect(quoted.message).toContain(`cd '/home/ann/my app'\\''s' && npm rebuild better-sqlite3`);
    const escaped = nativeModuleError(abiError(release('/tmp/x\u001b]52;c;bad\u0007'), 115, 137))!;
    expect(escaped.message).not.toMatch(/[\u0000-\u001f]/);
    expect(escaped.message).toContain('\\u001b]52;c;bad\\u0007');
  });

  it('an addon that was never built (install scripts skipped)', () => {
    for (const arrow of [' → ', '  -> ']) {
      const e = nativeModuleError(notBuiltError('/srv/quiz/node_modules/better-sqlite3', arrow))!;
      expect(e.message).toBe(
        'better-sqlite3, the SQLite driver, was installed without being built (its install script did not run); rebuild it for this Node: cd /srv/quiz && npm rebuild better-sqlite3',
      );
    }
  });

  it('leaves every other error alone', () => {
    const elf = Object.assign(new Error(`${release('/a')}: invalid ELF header`), { code: 'ERR_DLOPEN_FAILED' });
    for (const e of [new Error('boom'), elf, notBuiltError('/a/node_modules/other-addon'), 'text', null, undefined]) {
      expect(nativeModuleError(e)).toBeUndefined();
    }
  });

  it('storeError gives the same line when opening the database loads the driver', () => {
    const e = storeError(abiError(release('/home/ann/app'), 115, 137), '/home/ann/r.db');
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/^better-sqlite3, the SQLite driver, was built for another version of Node\.js/);
  });
});
