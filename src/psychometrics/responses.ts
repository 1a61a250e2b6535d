// Scored responses as the calibration reads them: persons × items, 1 right, 0 not, and most cells
// missing (random forms leave out most questions by design). Stored by person, compressed: only
// the cells that hold a response. Pure.
import { createHash } from 'node:crypto';
import type { Problem } from '../bank/types.js';
import { safeLine } from '../text.js';

export interface ResponseMatrix {
  /** Item keys; an item's index is its position here. */
  items: string[];
  /** Person p's responses are entries personStart[p] .. personStart[p + 1] - 1. */
  personStart: Int32Array;
  /** Item index of each entry. */
  item: Int32Array;
  /** 1 right, 0 not, for each entry. */
  x: Uint8Array;
}

export const persons = (m: ResponseMatrix): number => m.personStart.length - 1;

/**
 * From each person's (item key, 0/1) pairs. Items come in the order of `items` when given (so a
 * column nobody answered still has its place), then in order of first appearance.
 */
export function matrixFromPersons(rows: Iterable<Iterable<readonly [string, 0 | 1]>>, items: readonly string[] = []): ResponseMatrix {
  const index = new Map<string, number>(items.map((k, i) => [k, i]));
  const starts = [0];
  const item: number[] = [];
  const x: number[] = [];
  for (const row of rows) {
    const seen = new Set<number>();
    for (const [key, value] of row) {
      let i = index.get(key);
      if (i === undefined) index.set(key, (i = index.size));
      // One answer per person and item: a repeat would count the person twice for that item.
      if (seen.has(i)) continue;
      seen.add(i);
      item.push(i);
      x.push(value);
    }
    starts.push(item.length);
  }
  return { items: [...index.keys()], personStart: Int32Array.from(starts), item: Int32Array.from(item), x: Uint8Array.from(x) };
}

/**
 * A fingerprint of the data a calibration saw: SHA-256 over each person's responses sorted by
 * item key, persons sorted too, so the same answers give the same hash whatever order they were
 * read in.
 */
export function matrixHash(m: ResponseMatrix): string {
  const lines: string[] = [];
  for (let p = 0; p + 1 < m.personStart.length; p++) {
    const cells: string[] = [];
    for (let e = m.personStart[p]!; e < m.personStart[p + 1]!; e++) cells.push(`${m.items[m.item[e]!]}=${m.x[e]}`);
    lines.push(cells.sort().join('\u0001'));
  }
  return `sha256:${createHash('sha256').update(lines.sort().join('\n')).digest('hex')}`;
}

/** Splits one CSV record (RFC 4180 quoting, no embedded newlines: a response matrix has none). */
function splitCsv(line: string): { cells: string[]; cols: number[] } | { error: string; col: number } {
  const cells: string[] = [];
  const cols: number[] = [];
  let i = 0;
  for (;;) {
    cols.push(i + 1);
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return { error: 'a quoted field is not closed', col: cols.at(-1)! };
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      cells.push(value);
      if (i < line.length && line[i] !== ',')
        return { error: 'a quoted field must be followed by a comma or the end of the line', col: i + 1 };
    } else {
      const end = line.indexOf(',', i);
      cells.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) return { cells, cols };
    i++; // the comma
  }
}

export type ParsedResponses = { matrix: ResponseMatrix; problems: [] } | { matrix: null; problems: Problem[] };

/**
 * A response matrix from CSV: a header row of item keys, then one row per person with 1, 0 or
 * an empty cell (missing) per item. Every problem comes with its line and column.
 */
/**
 * Items one calibration takes: 200 times the built-in library. Memory grows with items (130,000
 * took 300 MB), and a wider file is a transposed matrix or not a response file at all.
 */
export const MAX_ITEMS = 200_000;

export function parseResponseCsv(text: string, file: string): ParsedResponses {
  const problems: Problem[] = [];
  const problem = (line: number, col: number, message: string): void => {
    if (problems.length < 50) problems.push({ file, line, col, message });
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length && lines.at(-1)!.trim() === '') lines.pop();
  if (lines.length === 0)
    return {
      matrix: null,
      problems: [{ file, line: 1, col: 1, message: 'the file is empty; it needs a header row of item keys and one row per person' }],
    };
  const head = splitCsv(lines[0]!);
  if ('error' in head) return { matrix: null, problems: [{ file, line: 1, col: head.col, message: head.error }] };
  const keys = head.cells.map((k) => k.trim());
  if (keys.length > MAX_ITEMS)
    return {
      matrix: null,
      problems: [
        {
          file,
          line: 1,
          col: 1,
          message: `the header has ${keys.length.toLocaleString('en')} item keys; a calibration takes at most ${MAX_ITEMS.toLocaleString('en')} (split the file by topic)`,
        },
      ],
    };
  const seen = new Map<string, number>();
  keys.forEach((k, i) => {
    if (k === '') problem(1, head.cols[i]!, `column ${i + 1} has no item key`);
    else if (seen.has(k)) problem(1, head.cols[i]!, `item key '${safeLine(k)}' repeats column ${seen.get(k)! + 1}`);
    else seen.set(k, i);
  });
  const rows: (readonly [string, 0 | 1])[][] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const row = splitCsv(line);
    if ('error' in row) {
      problem(n + 1, row.col, row.error);
      continue;
    }
    if (row.cells.length !== keys.length) {
      problem(n + 1, 1, `this row has ${row.cells.length} cells; the header has ${keys.length}`);
      continue;
    }
    const cells: (readonly [string, 0 | 1])[] = [];
    row.cells.forEach((c, i) => {
      const v = c.trim();
      if (v === '' || v === 'NA') return;
      if (v === '1' || v === '0') cells.push([keys[i]!, v === '1' ? 1 : 0] as const);
      else
        problem(
          n + 1,
          row.cols[i]!,
          `cell for '${safeLine(keys[i]!)}' is '${safeLine(v.slice(0, 20))}'; use 1 (right), 0 (not right) or leave it empty (not asked)`,
        );
    });
    rows.push(cells);
  }
  if (problems.length) return { matrix: null, problems };
  if (rows.length === 0) return { matrix: null, problems: [{ file, line: 2, col: 1, message: 'no rows of responses under the header' }] };
  return { matrix: matrixFromPersons(rows, keys), problems: [] };
}
