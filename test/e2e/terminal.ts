// Drives the built bin in a real pseudo-terminal: type keys when the expected text appears.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import xterm from '@xterm/headless';
import { root } from '../helpers.js';

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[()][A-Z0-9]|\u001b[=>78]/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

export const KEY = { up: '\u001b[A', down: '\u001b[B', enter: '\r', space: ' ', ctrlC: '\u0003' } as const;

export class Terminal {
  private raw = '';
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number>;

  constructor(
    args: string[],
    env: NodeJS.ProcessEnv,
    readonly cols = 80,
    readonly rows = 40,
    cwd = root,
  ) {
    this.child = spawn(
      'python3',
      [
        path.join(root, 'test/e2e/run-in-pty.py'),
        String(cols),
        String(rows),
        process.execPath,
        path.join(root, 'bin/backend-quiz.js'),
        ...args,
      ],
      {
        // A person's terminal: CI is cleared (under CI, take asks nothing), unless a test sets it.
        env: { ...process.env, TERM: 'xterm-256color', CI: '', ...env },
        cwd,
      },
    );
    this.child.stdout.on('data', (d: Buffer) => (this.raw += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.raw += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code ?? -1)));
  }

  /** Everything written so far, escape sequences and all. */
  get output(): string {
    return this.raw;
  }

  /** Everything shown so far, without escape sequences. */
  get text(): string {
    return stripAnsi(this.raw);
  }

  /** Waits until `pattern` appears in output written after `from` (an offset into text). */
  // 30 s: starting node and drawing the first screen takes seconds on a loaded 2-core machine.
  async waitFor(pattern: string | RegExp, from = 0, timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const tail = this.text.slice(from);
      const at = typeof pattern === 'string' ? tail.indexOf(pattern) : tail.search(pattern);
      if (at >= 0) return from + at;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; screen:\n${tail.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * What a terminal emulator of this size makes of the output so far: the scrollback, then the
   * screen (the last `rows` lines), as a person would see them by scrolling up.
   */
  async lines(): Promise<{ scrollback: string[]; screen: string[] }> {
    const term = new xterm.Terminal({ cols: this.cols, rows: this.rows, scrollback: 100_000, allowProposedApi: true });
    await new Promise<void>((resolve) => term.write(this.raw, resolve));
    const buf = term.buffer.active;
    const all: string[] = [];
    for (let i = 0; i < buf.length; i++) all.push(buf.getLine(i)?.translateToString(true) ?? '');
    term.dispose();
    return { scrollback: all.slice(0, buf.baseY), screen: all.slice(buf.baseY, buf.baseY + this.rows) };
  }

  /** Waits until the emulated screen satisfies `ok`, and returns it. */
  async waitForScreen(ok: (screen: string[]) => boolean, timeoutMs = 10_000): Promise<{ scrollback: string[]; screen: string[] }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const shown = await this.lines();
      if (ok(shown.screen)) return shown;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the screen; it shows:\n${shown.screen.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  press(...keys: string[]): void {
    for (const k of keys) this.child.stdin.write(k);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** Closes the terminal as closing its window does (see run-in-pty.py); `exited` then gives the program's own exit code. */
  close(): void {
    this.child.kill('SIGUSR1');
  }
}

/** Answers the fixture-bank question that starts at `from` rightly, reading the choice order off the screen. */
export async function answerRight(t: Terminal, from: number): Promise<void> {
  const start = await t.waitFor(/↑↓ navigate|Leave empty to skip/, from);
  const screen = t.text.slice(from, start);
  if (screen.includes('Which word names the number 2?')) {
    const order = ['One', 'Two', 'Three'].sort(
      (a, b) => screen.search(new RegExp(`^[❯ ] ${a}$`, 'm')) - screen.search(new RegExp(`^[❯ ] ${b}$`, 'm')),
    );
    t.press(...Array(order.indexOf('Two')).fill(KEY.down), KEY.enter);
  } else if (screen.includes('The fixture sky is blue.')) {
    t.press(KEY.enter); // True is listed first
  } else if (screen.includes('Which TCP port')) {
    t.press('443', KEY.enter);
  } else if (screen.includes('Retry-After') || screen.includes('retry')) {
    t.press('Retry-After', KEY.enter);
  } else if (screen.includes('prime')) {
    // Tick the two primes wherever they are listed.
    const rows = ['2', '3', '4'].sort((a, b) => screen.search(new RegExp(`^.◯ ${a}$`, 'm')) - screen.search(new RegExp(`^.◯ ${b}$`, 'm')));
    const keys: string[] = [];
    rows.forEach((r, i) => {
      if (r !== '4') keys.push(KEY.space);
      if (i < rows.length - 1) keys.push(KEY.down);
    });
    t.press(...keys, KEY.enter);
  } else throw new Error(`unexpected question:\n${screen}`);
}

/** SIGKILL to the node process of the program itself (not the pty wrapper), as `kill -9` would. */
export function killNode(marker: string, signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (path.basename(cmd[0] ?? '') === path.basename(process.execPath) && cmd.some((a) => a.includes(marker)))
        process.kill(Number(pid), signal);
    } catch {
      // the process ended meanwhile
    }
  }
}
