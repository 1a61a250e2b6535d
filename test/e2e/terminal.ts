// Drives the built bin in a real pseudo-terminal: type keys when the expected text appears.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { root } from '../helpers.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[()][A-Z0-9]|\u001b[=>78]/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

export const KEY = { up: '\u001b[A', down: '\u001b[B', enter: '\r', space: ' ', ctrlC: '\u0003' } as const;

export class Terminal {
  private raw = '';
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number>;

  constructor(args: string[], env: NodeJS.ProcessEnv, cols = 80, rows = 40) {
    this.child = spawn('python3', [path.join(root, 'test/e2e/run-in-pty.py'), String(cols), String(rows), process.execPath, path.join(root, 'bin/backend-quiz.js'), ...args], {
      env: { ...process.env, TERM: 'xterm-256color', ...env },
    });
    this.child.stdout.on('data', (d: Buffer) => (this.raw += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.raw += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code ?? -1)));
  }

  /** Everything shown so far, without escape sequences. */
  get text(): string {
    return stripAnsi(this.raw);
  }

  /** Waits until `pattern` appears in output written after `from` (an offset into text). */
  async waitFor(pattern: string | RegExp, from = 0, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const tail = this.text.slice(from);
      const at = typeof pattern === 'string' ? tail.indexOf(pattern) : tail.search(pattern);
      if (at >= 0) return from + at;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; screen:\n${tail.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  press(...keys: string[]): void {
    for (const k of keys) this.child.stdin.write(k);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
