import { describe, expect, it } from 'vitest';
import { canonicalJson, compareResultSets, normaliseValue } from '../../src/tasks/compare.js';

const bag = { order: false, columns: false, tolerance: 1e-9 };
const rs = (columns: string[], rows: unknown[][]) => ({ columns, rows });

describe('compareResultSets', () => {
  it.each([
    ['the same rows in another order, as a multiset', bag, rs(['a'], [[1], [2]]), rs(['a'], [[2], [1]]), true, undefined],
    ['another order when order matters', { ...bag, order: true }, rs(['a'], [[1], [2]]), rs(['a'], [[2], [1]]), false, 'row 1 differs'],
    ['a duplicate row missing from a multiset', bag, rs(['a'], [[1], [1]]), rs(['a'], [[1]]), false, '2 rows; expected 1'],
    ['a different column count, always', bag, rs(['a', 'b'], [[1, 2]]), rs(['a'], [[1]]), false, '2 columns; expected 1'],
    ['other column names when names do not matter', bag, rs(['x'], [[1]]), rs(['a'], [[1]]), true, undefined],
    [
      'other column names when they do',
      { ...bag, columns: true },
      rs(['x'], [[1]]),
      rs(['a'], [[1]]),
      false,
      'column 1 is named x; expected a',
    ],
    ['1 and 1.0', bag, rs(['a'], [[1]]), rs(['a'], [[1.0]]), true, undefined],
    ['numbers within the tolerance', { ...bag, tolerance: 0.01 }, rs(['a'], [[3.333]]), rs(['a'], [[3.33]]), true, undefined],
    ['numbers past the tolerance', bag, rs(['a'], [[3.333]]), rs(['a'], [[3.33]]), false, 'row 1 is not among the expected rows'],
    ['text exactly', bag, rs(['a'], [['Ada ']]), rs(['a'], [['Ada']]), false, 'row 1 is not among the expected rows'],
    ['NULL against NULL', bag, rs(['a'], [[null]]), rs(['a'], [[null]]), true, undefined],
    ['NULL against 0', bag, rs(['a'], [[null]]), rs(['a'], [[0]]), false, 'row 1 is not among the expected rows'],
    ['text 1 against number 1', bag, rs(['a'], [['1']]), rs(['a'], [[1]]), false, 'row 1 is not among the expected rows'],
  ])('%s', (_name, opts, got, expected, passed, reason) => {
    const c = compareResultSets(got, expected, opts);
    expect(c.passed).toBe(passed);
    expect(c.reason).toBe(reason);
  });

  it('finds rows that match only within the tolerance even when sorting puts them apart', () => {
    const got = rs(
      ['a', 'b'],
      [
        [1.004, 'x'],
        [1.0, 'y'],
      ],
    );
    const expected = rs(
      ['a', 'b'],
      [
        [1.0, 'x'],
        [1.004, 'y'],
      ],
    );
    expect(compareResultSets(got, expected, { ...bag, tolerance: 0.01 }).passed).toBe(true);
  });

  it('marks the first differing row and cell in order, and the first unmatched row as a multiset', () => {
    expect(
      compareResultSets(
        rs(
          ['a', 'b'],
          [
            [1, 1],
            [2, 9],
          ],
        ),
        rs(
          ['a', 'b'],
          [
            [1, 1],
            [2, 2],
          ],
        ),
        { ...bag, order: true },
      ).firstDifference,
    ).toEqual({ row: 1, col: 1 });
    expect(compareResultSets(rs(['a'], [[5], [1], [7]]), rs(['a'], [[1], [5], [6]]), bag).firstDifference).toEqual({ row: 2 });
  });
});

describe('normaliseValue', () => {
  it.each([
    [new Uint8Array([0, 255, 16]), '00ff10'],
    [2n ** 40n, 2 ** 40],
    [2n ** 70n, '1180591620717411303424'],
    [new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), '2026-01-02T03:04:05.000Z'],
    [undefined, null],
    [true, true],
    ['x', 'x'],
  ])('%s', (v, want) => expect(normaliseValue(v)).toEqual(want));
});

describe('canonicalJson', () => {
  it('sorts keys so two deeply equal objects give one text', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: null }] }, Infinity)).toBe(canonicalJson({ a: [1, { c: null, d: 2 }], b: 1 }, Infinity));
  });
  it('writes what JSON cannot say: NaN equals NaN, undefined is not null', () => {
    expect(canonicalJson(NaN, Infinity)).toBe('NaN');
    expect(canonicalJson(undefined, Infinity)).toBe('undefined');
    expect(canonicalJson([undefined], Infinity)).toBe('[null]');
    expect(canonicalJson({ a: undefined }, Infinity)).toBe('{}');
    expect(canonicalJson(-Infinity, Infinity)).toBe('-Infinity');
  });
  it('stops at a circular reference and at the output limit', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    expect(canonicalJson(a, Infinity)).toBe('{"self":"[Circular]","x":1}');
    expect(() => canonicalJson('x'.repeat(100), 50)).toThrow('output limit');
  });
});
