// Grading compares outcomes: pure functions over what the engines returned, no engine loaded here.
import type { ResultSet } from '../bank/types.js';

export interface Comparison {
  passed: boolean;
  reason?: string;
  /** The first differing row of the answer's rows (0-based), and its column when one cell differs. */
  firstDifference?: { row: number; col?: number };
}

/**
 * One cell as JSON: numbers, text, null and booleans pass; a bigint becomes a number when exact and
 * text otherwise; bytes become hex text; a date becomes ISO text. Engines call it on every value.
 */
export function normaliseValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
      return v;
    case 'bigint':
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  // Postgres arrays, json and the like arrive as structures: compared as their JSON text.
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** NULL equals only NULL, text compares exactly, numbers within the tolerance (1 equals 1.0). */
export function cellsEqual(a: unknown, b: unknown, tolerance: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return a === b || Math.abs(a - b) <= tolerance;
  }
  return a === b;
}

function rowsEqual(a: readonly unknown[], b: readonly unknown[], tolerance: number): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!cellsEqual(a[i], b[i], tolerance)) return i;
  return -1;
}

// A total order over cells so two multisets can be sorted and walked side by side: NULL first,
// then booleans, numbers, text.
const RANK: Record<string, number> = { object: 0, boolean: 1, number: 2, bigint: 2, string: 3 };
function compareCells(a: unknown, b: unknown): number {
  const ra = RANK[typeof a] ?? 4;
  const rb = RANK[typeof b] ?? 4;
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
function compareRows(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareCells(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The answer's rows against the expected ones. The column count must always match; names only when
 * the task asks; rows in order only when it asks, otherwise as a multiset.
 */
export function compareResultSets(
  got: ResultSet,
  expected: ResultSet,
  opts: { order: boolean; columns: boolean; tolerance: number },
): Comparison {
  if (got.columns.length !== expected.columns.length)
    return { passed: false, reason: `${plural(got.columns.length, 'column')}; expected ${expected.columns.length}` };
  if (opts.columns) {
    const i = got.columns.findIndex((c, k) => c !== expected.columns[k]);
    if (i >= 0) return { passed: false, reason: `column ${i + 1} is named ${got.columns[i]}; expected ${expected.columns[i]}` };
  }
  const tol = opts.tolerance;
  if (opts.order) {
    const n = Math.min(got.rows.length, expected.rows.length);
    for (let r = 0; r < n; r++) {
      const col = rowsEqual(got.rows[r]!, expected.rows[r]!, tol);
      if (col >= 0) return { passed: false, reason: `row ${r + 1} differs`, firstDifference: { row: r, col } };
    }
    if (got.rows.length !== expected.rows.length)
      return { passed: false, reason: `${plural(got.rows.length, 'row')}; expected ${expected.rows.length}`, firstDifference: { row: n } };
    return { passed: true };
  }
  const unmatched = unmatchedRows(got.rows, expected.rows, tol);
  if (unmatched.got === undefined && unmatched.expected === undefined) return { passed: true };
  if (got.rows.length !== expected.rows.length)
    return {
      passed: false,
      reason: `${plural(got.rows.length, 'row')}; expected ${expected.rows.length}`,
      ...(unmatched.got !== undefined ? { firstDifference: { row: unmatched.got } } : {}),
    };
  return { passed: false, reason: `row ${unmatched.got! + 1} is not among the expected rows`, firstDifference: { row: unmatched.got! } };
}

/** The first row of each side with no partner on the other (multiset comparison), by original index. */
function unmatchedRows(got: readonly unknown[][], expected: readonly unknown[][], tol: number): { got?: number; expected?: number } {
  const g = got.map((row, i) => ({ row, i })).sort((a, b) => compareRows(a.row, b.row));
  const e = expected.map((row, i) => ({ row, i })).sort((a, b) => compareRows(a.row, b.row));
  if (g.length === e.length && g.every((x, k) => rowsEqual(x.row, e[k]!.row, tol) < 0)) return {};
  // Sorting and walking misses pairs that sort apart only because of the tolerance: match greedily,
  // bounded so a huge result cannot turn quadratic.
  const usedE = new Uint8Array(e.length);
  let firstGot: number | undefined;
  const budget = 4_000_000;
  let steps = 0;
  for (const x of g) {
    let found = -1;
    for (let k = 0; k < e.length && steps < budget; k++, steps++) {
      if (!usedE[k] && rowsEqual(x.row, e[k]!.row, tol) < 0) {
        found = k;
        break;
      }
    }
    if (found >= 0) usedE[found] = 1;
    else if (firstGot === undefined || x.i < firstGot) firstGot = x.i;
  }
  let firstExpected: number | undefined;
  e.forEach((x, k) => {
    if (!usedE[k] && (firstExpected === undefined || x.i < firstExpected)) firstExpected = x.i;
  });
  return { ...(firstGot !== undefined ? { got: firstGot } : {}), ...(firstExpected !== undefined ? { expected: firstExpected } : {}) };
}

/**
 * A value as canonical text: JSON with object keys sorted, undefined properties left out, and the
 * values JSON cannot say written as JavaScript does (NaN, Infinity, undefined, 12n). Two values are
 * deeply equal exactly when their texts are. The same function serialises inside the sandbox (its
 * source is injected there), so it must stay self-contained: no imports, no closures, plain ES2020.
 * It throws 'output limit' when the text grows past `limit` characters.
 */
export function canonicalJson(value: unknown, limit: number): string {
  const isArray = Array.isArray;
  const keysOf = Object.keys;
  const quote = JSON.stringify;
  const out: string[] = [];
  let size = 0;
  const seen: unknown[] = [];
  const push = (s: string): void => {
    size += s.length;
    if (size > limit) throw new Error('output limit');
    out.push(s);
  };
  const walk = (v: unknown, inArray: boolean): void => {
    switch (typeof v) {
      case 'undefined':
      case 'function':
      case 'symbol':
        push(inArray ? 'null' : 'undefined');
        return;
      case 'number':
        push(v !== v ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v));
        return;
      case 'bigint':
        push(String(v) + 'n');
        return;
      case 'boolean':
        push(v ? 'true' : 'false');
        return;
      case 'string':
        push(quote(v));
        return;
    }
    if (v === null) {
      push('null');
      return;
    }
    if (seen.indexOf(v) >= 0) {
      push('"[Circular]"');
      return;
    }
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      walk((toJSON as () => unknown).call(v), inArray);
      return;
    }
    seen.push(v);
    if (isArray(v)) {
      push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) push(',');
        walk(v[i], true);
      }
      push(']');
    } else {
      const o = v as Record<string, unknown>;
      const keys = keysOf(o).sort();
      push('{');
      let first = true;
      for (const k of keys) {
        const x = o[k];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        if (!first) push(',');
        first = false;
        push(quote(k) + ':');
        walk(x, false);
      }
      push('}');
    }
    seen.pop();
  };
  walk(value, false);
  return out.join('');
}

/** The JSON size of rows, as the output limit counts it. */
export function jsonSize(v: unknown): number {
  return JSON.stringify(v)?.length ?? 0;
}

/** "2 s", "500 ms", "64 MB", as a reason states a limit. */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
