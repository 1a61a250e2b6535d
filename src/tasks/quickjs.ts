// Code tasks in QuickJS compiled to WebAssembly: loaded inside the Worker only. The sandbox holds
// the ECMAScript built-ins and nothing of the host: no require, import of modules, process, fs,
// network or timers. Each test gets a fresh WebAssembly instance with its own fixed-size memory
// (QuickJS's own setMemoryLimit is unreliable in this release), so a test that exhausts it leaves
// nothing behind for the next.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { canonicalJson } from './compare.js';
import type { CodeJob, EngineError, JobResult } from './protocol.js';

const require = createRequire(import.meta.url);
// Node has WebAssembly; the project's type libraries (ES2023, no DOM) declare only its types.
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WebAssembly.Module>;
  Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}
type Core = typeof import('quickjs-emscripten-core');
let loaded: Promise<{ core: Core; variant: unknown; wasm: WebAssembly.Module }> | undefined;

function load(): Promise<{ core: Core; variant: unknown; wasm: WebAssembly.Module }> {
  return (loaded ??= (async () => {
    const core = require('quickjs-emscripten-core') as Core;
    const variant = (require('@jitl/quickjs-wasmfile-release-sync') as { default: unknown }).default;
    const file = path.join(path.dirname(require.resolve('@jitl/quickjs-wasmfile-release-sync')), 'emscripten-module.wasm');
    // Compiled once per Worker; each test only instantiates it (a few ms).
    const wasm = await WA.compile(fs.readFileSync(file));
    return { core, variant, wasm };
  })());
}

const ANSWER_FILE = 'answer.js';
const OUTPUT_MARK = 'output limit';

// Runs before the candidate's code, in the sandbox. It captures the built-ins it relies on (the
// candidate's code may replace the globals) and returns the harness to the host alone, so the
// candidate's code can reach neither it nor the values it produces.
const PRELUDE = `(function (canonical, limit) {
  'use strict';
  const g = globalThis;
  const define = Object.defineProperty;
  const Err = Error;
  const parse = JSON.parse;
  const resolve = Promise.resolve.bind(Promise);
  const then = Promise.prototype.then;
  const call = Function.prototype.call.bind(Function.prototype.call);
  const text = (v) => canonical(v, 4096);
  const same = (a, b) => canonical(a, Infinity) === canonical(b, Infinity);
  function assert(cond, message) {
    if (!cond) throw new Err(message === undefined ? 'assertion failed' : String(message));
  }
  function assertEqual(actual, expected, message) {
    if (!same(actual, expected))
      throw new Err((message === undefined ? '' : String(message) + ': ') + 'got ' + text(actual) + ', expected ' + text(expected));
  }
  function assertThrows(fn, message) {
    try { fn(); } catch (e) { return e; }
    throw new Err(message === undefined ? 'expected an exception' : String(message));
  }
  const quiet = {};
  for (const k of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table']) quiet[k] = function () {};
  const fixed = { assert, assertEqual, assertThrows };
  for (const k of Object.keys(fixed)) define(g, k, { value: fixed[k], writable: false, enumerable: false, configurable: false });
  define(g, 'console', { value: quiet, writable: true, enumerable: false, configurable: true });
  return {
    call(fn, argsJson) {
      if (typeof fn !== 'function') throw new Err('the answer does not define it as a function');
      const result = fn.apply(undefined, parse(argsJson));
      return call(then, resolve(result), (v) => canonical(v, limit));
    },
    run(snippet) {
      return call(then, resolve(snippet()), () => undefined);
    },
  };
})`;

/** `export` before a declaration is allowed and ignored; blanked so columns stay where they were. */
function stripExports(code: string): string {
  return code
    .replace(
      /^([ \t]*)export[ \t]+(default[ \t]+)?(?=(async[ \t]+)?function\b|class\b|const\b|let\b|var\b)/gm,
      (m, indent: string) => indent + ' '.repeat(m.length - indent.length),
    )
    .replace(/^([ \t]*)export[ \t]*\{[^}\n]*\};?/gm, (m) => ' '.repeat(m.length));
}

function prepare(job: CodeJob): { code: string } | { error: EngineError } {
  let code = job.code;
  if (job.language === 'typescript') {
    const { transform } = require('sucrase') as typeof import('sucrase');
    try {
      // Only types are removed: the output keeps each line where it was, so positions still hold.
      code = transform(code, { transforms: ['typescript'], disableESTransforms: true }).code;
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      const at = /\((\d+):(\d+)\)/.exec(m);
      return {
        error: {
          message: `SyntaxError: ${m.replace(/\s*\(\d+:\d+\)$/, '')}`,
          ...(at ? { line: Number(at[1]), col: Number(at[2]) + 1 } : {}),
        },
      };
    }
  }
  return { code: stripExports(code) };
}

/** The position of an exception in the candidate's code: its first frame in the answer file. */
function describe(dumped: unknown): EngineError {
  if (typeof dumped !== 'object' || dumped === null)
    return { message: `uncaught ${typeof dumped === 'string' ? JSON.stringify(dumped) : String(dumped)}` };
  const e = dumped as { name?: unknown; message?: unknown; stack?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = `${name}: ${typeof e.message === 'string' ? e.message : String(e.message)}`;
  const at = new RegExp(`${ANSWER_FILE.replace('.', '\\.')}:(\\d+)(?::(\\d+))?`).exec(typeof e.stack === 'string' ? e.stack : '');
  return at ? { message, line: Number(at[1]), ...(at[2] ? { col: Number(at[2]) } : {}) } : { message };
}

function classify(ctx: QuickJSContext, handle: QuickJSHandle): JobResult {
  let dumped: unknown;
  try {
    dumped = ctx.dump(handle);
  } catch {
    dumped = { name: 'Error', message: 'the thrown value could not be read' };
  }
  const d = dumped as { name?: unknown; message?: unknown } | null;
  if (d && typeof d === 'object') {
    if (d.name === 'InternalError' && d.message === 'interrupted') return { ok: false, limit: 'time' };
    if (d.name === 'InternalError' && d.message === 'out of memory') return { ok: false, limit: 'memory' };
    if (d.message === OUTPUT_MARK) return { ok: false, limit: 'output' };
  }
  return { ok: false, error: describe(dumped) };
}

export async function runCode(job: CodeJob, started: () => void): Promise<JobResult> {
  if (job.assert === undefined && !/^[A-Za-z_$][\w$]*$/.test(job.fn))
    return { ok: false, error: { message: `the task names no valid function (${job.fn})` } };
  const prepared = prepare(job);
  if ('error' in prepared) return { ok: false, error: prepared.error };
  const { core, variant, wasm } = await load();
  const pages = Math.max(16, Math.floor((job.limits.memoryMb * 1024 * 1024) / 65536));
  const memory = new WA.Memory({ initial: Math.min(256, pages), maximum: pages });
  const mod = await core.newQuickJSWASMModuleFromVariant(core.newVariant(variant as never, { wasmModule: wasm, wasmMemory: memory }));
  try {
    const rt = mod.newRuntime();
    const ctx = rt.newContext();
    started();
    rt.setInterruptHandler(core.shouldInterruptAfterDeadline(Date.now() + job.limits.timeMs));
    const pre = ctx.evalCode(`${PRELUDE}(${canonicalJson.toString()}, ${job.limits.outputKb * 1024})`, 'harness.js');
    if (pre.error) return classify(ctx, pre.error);
    const harness = pre.value;
    const answer = ctx.evalCode(prepared.code, ANSWER_FILE);
    if (answer.error) return classify(ctx, answer.error);
    answer.value.dispose();

    let pending: QuickJSHandle;
    if (job.assert !== undefined) {
      const snippet = ctx.evalCode(`(async () => {\n${job.assert}\n})`, 'test.js');
      if (snippet.error) return classify(ctx, snippet.error);
      const run = ctx.getProp(harness, 'run');
      const r = ctx.callFunction(run, ctx.undefined, snippet.value);
      if (r.error) return classify(ctx, r.error);
      pending = r.value;
    } else {
      // The name is looked up by the host's own script: a lexical declaration (class, const) is not
      // a property of the global object, but a later script of the same realm sees it.
      const fn = ctx.evalCode(`typeof ${job.fn} === 'undefined' ? undefined : ${job.fn}`, 'harness.js');
      if (fn.error) return classify(ctx, fn.error);
      const call = ctx.getProp(harness, 'call');
      const args = ctx.newString(JSON.stringify(job.args ?? []));
      const r = ctx.callFunction(call, ctx.undefined, fn.value, args);
      if (r.error) return classify(ctx, r.error);
      pending = r.value;
    }
    const jobs = rt.executePendingJobs();
    if (jobs.error) return classify(ctx, jobs.error);
    const state = ctx.getPromiseState(pending);
    if (state.type === 'pending') return { ok: false, error: { message: 'the returned promise never settled' } };
    if (state.type === 'rejected') return classify(ctx, state.error);
    if (job.assert !== undefined) return { ok: true };
    if (ctx.typeof(state.value) !== 'string') return { ok: false, error: { message: 'the returned value could not be read' } };
    return { ok: true, value: ctx.getString(state.value) };
  } catch (e) {
    // A trap inside the WebAssembly instance (its memory exhausted mid-allocation) ends this test's
    // instance only; it is dropped with its memory.
    const m = e instanceof Error ? e.message : String(e);
    if (/out of memory|memory access out of bounds|OOM|Cannot enlarge/i.test(m) || memory.buffer.byteLength >= pages * 65536 - 65536)
      return { ok: false, limit: 'memory' };
    return { ok: false, error: { message: m } };
  }
}
