// The statistics behind calibration, ability and adaptive sittings, on values worked out by hand,
// on simulated data with known parameters, and against ltm's published results on the LSAT data.
import { describe, expect, it } from 'vitest';
import { mulberry32, normal, shuffle } from '../../src/engine/rng.js';
import { Posterior, abilityOf, estimateAbility, percentileOf, scoreOf } from '../../src/psychometrics/ability.js';
import { calibrate, fitStatistics, information, probability } from '../../src/psychometrics/rasch.js';
import { gaussHermite, normalCdf, normalGrid } from '../../src/psychometrics/quadrature.js';
import { matrixFromPersons, matrixHash, parseResponseCsv, type ResponseMatrix } from '../../src/psychometrics/responses.js';
import { lsat6Csv } from '../fixtures/calibration/lsat6.js';

const expectation = (q: { nodes: Float64Array; weights: Float64Array }, f: (t: number) => number): number =>
  q.nodes.reduce((s, t, i) => s + q.weights[i]! * f(t), 0);

describe('quadrature', () => {
  it('has the 3-point Gauss–Hermite rule for N(0, 1) worked out by hand: nodes 0, ±√3, weights 2/3, 1/6', () => {
    const q = gaussHermite(3);
    expect([...q.nodes].map((x) => +x.toFixed(12))).toEqual([-Math.sqrt(3), 0, Math.sqrt(3)].map((x) => +x.toFixed(12)));
    expect([...q.weights].map((w) => +w.toFixed(12))).toEqual([1 / 6, 2 / 3, 1 / 6].map((w) => +w.toFixed(12)));
  });

  it.each([21, 41, 101])('integrates the normal moments exactly with %i points (1, 0, 1, 0, 3, 15, 105)', (n) => {
    const q = gaussHermite(n);
    const moments = [0, 1, 2, 3, 4, 6, 8].map((k) => expectation(q, (t) => t ** k));
    [1, 0, 1, 0, 3, 15, 105].forEach((m, k) => expect(moments[k]).toBeCloseTo(m, 9));
  });

  it('an even grid with normal weights gives the same moments (cut at ±6: the tails hold 2e-9)', () => {
    const g = normalGrid();
    expect(expectation(g, () => 1)).toBeCloseTo(1, 12);
    expect(expectation(g, (t) => t * t)).toBeCloseTo(1, 6);
    expect(expectation(g, (t) => t ** 4)).toBeCloseTo(3, 5);
  });

  it('Φ at the points every table has', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
    expect(percentileOf(1)).toBe(84.1);
    expect(percentileOf(-2)).toBe(2.3);
  });
});

describe('Rasch model', () => {
  it('P and information at hand-computed points', () => {
    expect(probability(0, 0)).toBe(0.5);
    expect(probability(Math.log(3), 0)).toBeCloseTo(0.75, 12); // e^ln3 / (1 + e^ln3) = 3/4
    expect(probability(0, Math.log(3))).toBeCloseTo(0.25, 12);
    expect(information(0, 0)).toBe(0.25);
    expect(information(Math.log(3), 0)).toBeCloseTo(0.1875, 12); // 3/4 × 1/4
  });

  it('infit and outfit mean-squares on hand-computed residuals', () => {
    // Two persons at P = 0.5, one right and one wrong: z² = 0.25 / 0.25 = 1 each.
    expect(
      fitStatistics([
        [1, 0.5],
        [0, 0.5],
      ]),
    ).toEqual({ infit: 1, outfit: 1 });
    // A miss at P = 0.75: z² = 0.75² / (0.75 × 0.25) = 0.5625 / 0.1875 = 3; with a hit at 0.5 (z² = 1):
    // outfit = (3 + 1) / 2 = 2; infit = (0.5625 + 0.25) / (0.1875 + 0.25) = 0.8125 / 0.4375 = 13/7.
    const f = fitStatistics([
      [0, 0.75],
      [1, 0.5],
    ]);
    expect(f.outfit).toBeCloseTo(2, 12);
    expect(f.infit).toBeCloseTo(13 / 7, 12);
  });
});

/** Persons × items from a table of patterns and how many persons gave each. */
function fromPatterns(keys: string[], patterns: [number[], number][]): ResponseMatrix {
  const rows: (readonly [string, 0 | 1])[][] = [];
  for (const [pattern, count] of patterns)
    for (let n = 0; n < count; n++) rows.push(pattern.map((x, i) => [keys[i]!, x as 0 | 1] as const));
  return matrixFromPersons(rows, keys);
}

describe('calibration', () => {
  it('puts an item half the population gets right at b = 0, by symmetry', () => {
    // Each pattern and its mirror image equally often: the likelihood is symmetric in b → −b.
    const c = calibrate(
      fromPatterns(
        ['a', 'b'],
        [
          [[1, 1], 40],
          [[0, 0], 40],
          [[1, 0], 20],
          [[0, 1], 20],
        ],
      ),
    );
    expect(c.converged).toBe(true);
    expect(c.items[0]!.b).toBeCloseTo(0, 6);
    expect(c.items[1]!.b).toBeCloseTo(0, 6);
  });

  it('mirrors difficulties when every answer is flipped', () => {
    const patterns: [number[], number][] = [
      [[1, 1, 0], 30],
      [[1, 0, 0], 25],
      [[0, 1, 1], 10],
      [[1, 1, 1], 20],
      [[0, 0, 0], 15],
      [[1, 0, 1], 12],
    ];
    const c = calibrate(fromPatterns(['a', 'b', 'c'], patterns));
    const flipped = calibrate(
      fromPatterns(
        ['a', 'b', 'c'],
        patterns.map(([p, n]) => [p.map((x) => 1 - x), n]),
      ),
    );
    c.items.forEach((item, i) => expect(flipped.items[i]!.b).toBeCloseTo(-item.b!, 6));
    expect(flipped.logLik).toBeCloseTo(c.logLik, 6);
  });

  it('with one item, solves E[P(θ − b)] = facility over the N(0, 1) population', () => {
    // 150 of 200 right. The marginal likelihood of one item depends on b only through
    // p(b) = E[logistic(θ − b)], so its maximum is where p(b) = 0.75; find that b by bisection.
    const c = calibrate(
      fromPatterns(
        ['a'],
        [
          [[1], 150],
          [[0], 50],
        ],
      ),
    );
    const q = gaussHermite(41);
    const p = (b: number): number => expectation(q, (t) => probability(t, b));
    let lo = -5;
    let hi = 5;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (p(mid) > 0.75) lo = mid;
      else hi = mid;
    }
    expect(c.items[0]!.b).toBeCloseTo(lo, 6);
    // Var(b̂) = 1 / information, and the information of n Bernoulli trials through p(b) is
    // n p'(b)² / (p(1 − p)), with p'(b) = −E[P(1 − P)].
    const slope = expectation(q, (t) => information(t, lo));
    expect(c.items[0]!.se).toBeCloseTo(Math.sqrt((0.75 * 0.25) / (200 * slope * slope)), 6);
  });

  it('lists items answered by too few, or all right, or all wrong, as not estimable and gives them no value', () => {
    const rows: (readonly [string, 0 | 1])[][] = [];
    for (let p = 0; p < 60; p++) {
      const row: (readonly [string, 0 | 1])[] = [
        ['ok', (p % 3 ? 1 : 0) as 0 | 1],
        ['ok2', (p % 2) as 0 | 1],
        ['easy', 1],
        ['hard', 0],
      ];
      if (p < 10) row.push(['rare', 1]);
      rows.push(row);
    }
    const c = calibrate(matrixFromPersons(rows), { minResponses: 30 });
    const by = Object.fromEntries(c.items.map((i) => [i.key, i]));
    expect(by.rare).toMatchObject({ status: 'too-few-responses', n: 10, b: null, se: null, infit: null, outfit: null });
    expect(by.easy).toMatchObject({ status: 'all-right', n: 60, facility: 1, b: null });
    expect(by.hard).toMatchObject({ status: 'all-wrong', n: 60, facility: 0, b: null });
    expect(by.ok!.status).toBe('estimated');
    expect(c.responses).toBe(120); // only ok and ok2 count
  });

  // Known parameters: 40 items with b ~ N(0, 1), 5,000 persons θ ~ N(0, 1), each on a random half.
  const truth = (() => {
    const rng = mulberry32(20260601);
    const b = Array.from({ length: 40 }, () => normal(rng));
    const keys = b.map((_, i) => `item-${i + 1}`);
    const rows = Array.from({ length: 5000 }, () => {
      const theta = normal(rng);
      return shuffle(
        keys.map((_, i) => i),
        rng,
      )
        .slice(0, 20)
        .map((i) => [keys[i]!, (rng() < probability(theta, b[i]!) ? 1 : 0) as 0 | 1] as const);
    });
    return { b, matrix: matrixFromPersons(rows, keys) };
  })();
  const recovered = calibrate(truth.matrix);

  it('recovers known difficulties from simulated random half-forms (40 items, 5,000 persons)', () => {
    const est = recovered.items.map((i) => i.b!);
    const z = recovered.items.map((item, i) => Math.abs(item.b! - truth.b[i]!) / item.se!);
    expect(recovered.converged).toBe(true);
    expect(recovered.responses).toBe(100_000);
    expect(z.filter((v) => v <= 2).length / z.length).toBeGreaterThanOrEqual(0.9);
    expect(Math.max(...z)).toBeLessThanOrEqual(4);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const [mt, me] = [mean(truth.b), mean(est)];
    const r =
      truth.b.reduce((s, t, i) => s + (t - mt) * (est[i]! - me), 0) /
      Math.sqrt(truth.b.reduce((s, t) => s + (t - mt) ** 2, 0) * est.reduce((s, e) => s + (e - me) ** 2, 0));
    expect(r).toBeGreaterThan(0.98);
    // Data generated by the model fit it: mean-squares near 1 (EAP abilities shrink a little, so just under).
    expect(mean(recovered.items.map((i) => i.infit!))).toBeGreaterThan(0.85);
    expect(mean(recovered.items.map((i) => i.infit!))).toBeLessThan(1.1);
  });

  it('uses enough quadrature points: 41 and 81 agree on every b to the third decimal', () => {
    const more = calibrate(truth.matrix, { quadPoints: 81 });
    const diff = Math.max(...more.items.map((item, i) => Math.abs(item.b! - recovered.items[i]!.b!)));
    expect(diff).toBeLessThan(5e-4);
  });

  // The LSAT section 6 data of Bock & Lieberman (1970): 1,000 examinees × 5 items (ltm's `LSAT`).
  // Published: Rizopoulos (2006), "ltm: An R package for latent variable modelling and item response
  // theory analyses", Journal of Statistical Software 17(5), p. 7, the output of
  // summary(rasch(LSAT, constraint = cbind(length(LSAT) + 1, 1))).
  const LTM = { b: [-2.872, -1.063, -0.2576, -1.3881, -2.2188], se: [0.1287, 0.0821, 0.0766, 0.0865, 0.1048], logLik: -2473.054 };

  it('matches ltm on the LSAT data to within 0.01 (difficulties, standard errors, log-likelihood)', () => {
    const parsed = parseResponseCsv(lsat6Csv(), 'lsat6.csv');
    expect(parsed.problems).toEqual([]);
    // ltm integrates over 21 Gauss–Hermite points; the default 41 gives the same to 4 decimals.
    for (const quadPoints of [21, 41]) {
      const c = calibrate(parsed.matrix!, { quadPoints });
      expect(c.persons).toBe(1000);
      c.items.forEach((item, i) => {
        expect(Math.abs(item.b! - LTM.b[i]!)).toBeLessThan(0.01);
        expect(Math.abs(item.se! - LTM.se[i]!)).toBeLessThan(0.01);
      });
      expect(Math.abs(c.logLik - LTM.logLik)).toBeLessThan(0.01);
      // In fact they agree to the four decimals ltm prints.
      expect(c.items.map((i) => +i.b!.toFixed(4))).toEqual(LTM.b);
    }
  });
});

describe('ability', () => {
  it('with no answers is the prior: θ 0 ± 1 at the 50th percentile', () => {
    const a = estimateAbility([]);
    expect(a.theta).toBeCloseTo(0, 10);
    expect(a.se).toBeCloseTo(1, 6);
    expect(a.percentile).toBe(50);
    expect(a.items).toBe(0);
  });

  it("after one right answer at b = 0 is 2·E[P(1 − P)], by Stein's lemma, and a wrong one mirrors it", () => {
    // Posterior ∝ φ(θ) P(θ). EAP = E[θ P(θ)] / E[P(θ)] = E[P'(θ)] / (1/2) = 2 E[P(1 − P)] (Stein:
    // E[θ g(θ)] = E[g'(θ)] for θ ~ N(0, 1)); the expectation here comes from a 101-point
    // Gauss–Hermite rule, independent of the even grid the estimate uses.
    const stein = 2 * expectation(gaussHermite(101), (t) => information(t, 0));
    expect(estimateAbility([{ b: 0, x: 1 }]).theta).toBeCloseTo(stein, 7);
    expect(estimateAbility([{ b: 0, x: 0 }]).theta).toBeCloseTo(-stein, 7);
  });

  it('narrows as answers accumulate, and updating one answer at a time gives the batch answer', () => {
    const items = [-1, -0.5, 0, 0.5, 1, 1.5].map((b, i) => ({ b, x: (i % 2) as 0 | 1 }));
    const post = new Posterior();
    let previous = 1;
    for (const i of items) {
      post.add(i.b, i.x);
      const { sd } = post.summary();
      expect(sd).toBeLessThan(previous);
      previous = sd;
    }
    expect(post.summary().theta).toBeCloseTo(estimateAbility(items).theta, 12);
  });

  it('counts right as 1, partial, wrong and unanswered as 0, ungraded not at all; unknown questions are left out', () => {
    expect(['right', 'partial', 'wrong', 'unanswered', 'ungraded', null].map((o) => scoreOf(o as never))).toEqual([1, 0, 0, 0, null, 0]);
    const b = new Map([
      ['a', 0],
      ['b', 1],
    ]);
    const a = abilityOf(
      [
        { key: 'a', outcome: 'right' },
        { key: 'b', outcome: 'partial' },
        { key: 'c', outcome: 'right' },
        { key: 'a2', outcome: 'ungraded' },
      ],
      (k) => b.get(k),
    );
    expect(a!.items).toBe(2);
    expect(a!.theta).toBeCloseTo(
      estimateAbility([
        { b: 0, x: 1 },
        { b: 1, x: 0 },
      ]).theta,
      12,
    );
    expect(abilityOf([{ key: 'z', outcome: 'right' }], (k) => b.get(k))).toBeNull();
  });
});

describe('response matrix', () => {
  it('hashes the same answers the same, whatever order they were read in', () => {
    const a = matrixFromPersons([
      [
        ['x', 1],
        ['y', 0],
      ],
      [['y', 1]],
    ]);
    const b = matrixFromPersons([
      [['y', 1]],
      [
        ['y', 0],
        ['x', 1],
      ],
    ]);
    const c = matrixFromPersons([
      [['y', 1]],
      [
        ['y', 1],
        ['x', 1],
      ],
    ]);
    expect(matrixHash(a)).toBe(matrixHash(b));
    expect(matrixHash(a)).not.toBe(matrixHash(c));
  });

  it('reads CSV: header of keys, 1/0/empty cells, quoted keys, CRLF; empty cells are missing', () => {
    const r = parseResponseCsv('\uFEFF"http/a,b",sql/c,x\r\n1,0,\r\n,1,1\r\n\r\n', 'r.csv');
    expect(r.problems).toEqual([]);
    expect(r.matrix!.items).toEqual(['http/a,b', 'sql/c', 'x']);
    expect([...r.matrix!.personStart]).toEqual([0, 2, 4]);
    expect([...r.matrix!.x]).toEqual([1, 0, 1, 1]);
  });

  it('reports each bad cell and row with its line and column', () => {
    const r = parseResponseCsv('a,b,a\n1,2,0\n1,0\n1,,yes\n', 'bad.csv');
    expect(r.matrix).toBeNull();
    expect(r.problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([
      "1:5: item key 'a' repeats column 1",
      "2:3: cell for 'b' is '2'; use 1 (right), 0 (not right) or leave it empty (not asked)",
      '3:1: this row has 2 cells; the header has 3',
      "4:4: cell for 'a' is 'yes'; use 1 (right), 0 (not right) or leave it empty (not asked)",
    ]);
    expect(parseResponseCsv('', 'e.csv').problems[0]!.message).toMatch(/empty/);
    expect(parseResponseCsv('a,b\n', 'h.csv').problems[0]).toMatchObject({ line: 2, message: 'no rows of responses under the header' });
  });
});
