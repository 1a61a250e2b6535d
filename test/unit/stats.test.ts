// Report statistics on small data sets worked out by hand; each expectation shows its arithmetic.
import { describe, expect, it } from 'vitest';
import { cronbachAlpha, histogram, max, mean, median, min, pearson, percentileRank, sd, variance } from '../../src/report/stats.js';

const xs = [2, 4, 4, 4, 5, 5, 7, 9];

describe('location and spread', () => {
  it('mean', () => {
    expect(mean(xs)).toBe(5); // (2+4+4+4+5+5+7+9) / 8 = 40 / 8
    expect(mean([1, 2])).toBe(1.5); // 3 / 2
    expect(mean([])).toBeNull();
  });

  it('median', () => {
    expect(median(xs)).toBe(4.5); // sorted, the middle pair is 4 and 5: (4 + 5) / 2
    expect(median([3, 1, 2])).toBe(2); // sorted 1 2 3: the middle value
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });

  it('min and max', () => {
    expect(min(xs)).toBe(2);
    expect(max(xs)).toBe(9);
    expect(min([])).toBeNull();
    expect(max([])).toBeNull();
  });

  it('sample variance and standard deviation use n − 1', () => {
    // deviations from 5: -3 -1 -1 -1 0 0 2 4; squares 9 1 1 1 0 0 4 16, sum 32; 32 / (8 − 1) = 4.571428…
    expect(variance(xs)).toBeCloseTo(32 / 7, 12);
    expect(sd(xs)).toBeCloseTo(2.13809, 5); // √4.571428… = 2.138089…
    expect(sd([60, 80])).toBeCloseTo(14.14214, 5); // deviations ±10: (100 + 100) / 1 = 200; √200 = 14.142136
    expect(sd([5])).toBe(0); // n < 2
    expect(sd([])).toBe(0);
    expect(sd([0.1, 0.1, 0.1])).toBe(0); // constant, with no float residue
  });
});

describe('pearson', () => {
  it('on a hand-worked pair of series', () => {
    // x 1..5, mean 3: dx -2 -1 0 1 2; y 2 4 5 4 5, mean 4: dy -2 0 1 0 1
    // Σdxdy = 4 + 0 + 0 + 0 + 2 = 6; Σdx² = 10; Σdy² = 4 + 0 + 1 + 0 + 1 = 6; r = 6 / √60 = 0.774597
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.774597, 6);
  });

  it('is ±1 on a line, whatever the scale', () => {
    expect(pearson([1, 2, 3], [30, 20, 10])).toBe(-1); // y = 40 − 10x
    expect(pearson([0, 0.5, 1], [0.1, 0.2, 0.3])).toBeCloseTo(1, 12); // y = 0.1 + 0.2x
  });

  it('is null when undefined: fewer than two pairs, or no variance on either side', () => {
    expect(pearson([1], [2])).toBeNull();
    expect(pearson([], [])).toBeNull();
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1, 2, 3], [0.3, 0.3, 0.3])).toBeNull();
  });

  it('refuses series of different lengths', () => {
    expect(() => pearson([1, 2], [1])).toThrow(/2 x values but 1 y values/);
  });
});

describe('percentileRank', () => {
  const cohort = [50, 60, 60, 70, 80];
  it('counts half of the equal values, the candidate included', () => {
    expect(percentileRank(60, cohort)).toBe(40); // below 1 (50), equal 2: 100 × (1 + 0.5 × 2) / 5
    expect(percentileRank(80, cohort)).toBe(90); // below 4, equal 1: 100 × 4.5 / 5
    expect(percentileRank(50, cohort)).toBe(10); // below 0, equal 1: 100 × 0.5 / 5
    expect(percentileRank(70, [70])).toBe(50); // a lone candidate: 100 × 0.5 / 1
    expect(percentileRank(40, [40, 40, 40])).toBe(50); // everyone equal: 100 × 1.5 / 3
  });
});

describe('histogram', () => {
  it('puts percents into ten bins, 100 in the last', () => {
    // 0 and 9.9 → [0,10); 10 → [10,20); 55 → [50,60); 99.9, 100, 100 → [90,100]
    expect(histogram([0, 9.9, 10, 55, 99.9, 100, 100])).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 3]);
    expect(histogram([])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('cronbachAlpha', () => {
  it('on a hand-worked 4 × 3 matrix', () => {
    // totals 3 2 1 0: mean 1.5, squared deviations 2.25 .25 .25 2.25 = 5, var 5/3
    // item 1: 1 1 1 0, mean .75, SS .0625 × 3 + .5625 = .75, var .25
    // item 2: 1 1 0 0, mean .5, SS .25 × 4 = 1, var 1/3
    // item 3: 1 0 0 0, var .25 (as item 1, mirrored)
    // Σ var(item) = .25 + 1/3 + .25 = 5/6; α = 3/2 × (1 − (5/6) / (5/3)) = 1.5 × 0.5 = 0.75
    expect(
      cronbachAlpha([
        [1, 1, 1],
        [1, 1, 0],
        [1, 0, 0],
        [0, 0, 0],
      ]),
    ).toBeCloseTo(0.75, 12);
  });

  it('with points rather than 0/1 scores', () => {
    // items worth 2 and 1 point. rows: (2,1) (2,0) (0,1) (0,0)
    // totals 3 2 1 0: var 5/3 (as above)
    // item 1: 2 2 0 0, mean 1, SS 1 × 4 = 4, var 4/3; item 2: 1 0 1 0, mean .5, SS 1, var 1/3
    // α = 2/1 × (1 − (5/3) / (5/3)) = 0
    expect(
      cronbachAlpha([
        [2, 1],
        [2, 0],
        [0, 1],
        [0, 0],
      ]),
    ).toBeCloseTo(0, 12);
  });

  it('is null with one item, one candidate, or totals that do not vary', () => {
    expect(cronbachAlpha([[1], [0], [1]])).toBeNull();
    expect(cronbachAlpha([[1, 0, 1]])).toBeNull();
    expect(cronbachAlpha([])).toBeNull();
    expect(
      cronbachAlpha([
        [1, 0],
        [0, 1],
      ]),
    ).toBeNull(); // totals 1 and 1
  });
});
