import { describe, expect, it } from 'vitest';
import { ndtr, ndtri, ndtriLower } from '../../src/random/special.js';

// Reference values from Python: 0.5 * math.erfc(-x / sqrt(2)) and statistics.NormalDist().inv_cdf(p).
const cdfTable: [number, number][] = [
  [-8, 6.220960574271819e-16],
  [-5, 2.866515718791946e-7],
  [-3, 0.0013498980316300957],
  [-2, 0.02275013194817922],
  [-1, 0.15865525393145707],
  [-0.5, 0.3085375387259869],
  [0, 0.5],
  [0.5, 0.6914624612740131],
  [1, 0.8413447460685429],
  [2, 0.9772498680518208],
  [3, 0.9986501019683699],
];
const quantileTable: [number, number][] = [
  [1e-12, -7.034483825301132],
  [1e-6, -4.753424308822899],
  [0.001, -3.090232306167813],
  [0.025, -1.9599639845400538],
  [0.2, -0.8416212335729142],
  [0.5, 0],
  [0.8, 0.8416212335729144],
  [0.975, 1.9599639845400536],
  [0.999, 3.090232306167813],
];

const relErr = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe('ndtr', () => {
  it.each(cdfTable)('Phi(%d)', (x, want) => {
    expect(relErr(ndtr(x), want)).toBeLessThan(1e-13);
  });
  it('handles infinities and NaN', () => {
    expect(ndtr(-Infinity)).toBe(0);
    expect(ndtr(Infinity)).toBe(1);
    expect(ndtr(NaN)).toBeNaN();
  });
  it('is continuous where the series hands over to the continued fraction', () => {
    expect(relErr(ndtr(-3 + 1e-12), ndtr(-3))).toBeLessThan(1e-10);
    expect(relErr(ndtr(3 - 1e-12), ndtr(3))).toBeLessThan(1e-12);
  });
});

describe('ndtri', () => {
  it.each(quantileTable)('Phi^-1(%d)', (p, want) => {
    expect(Math.abs(ndtri(p) - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
  });
  it('handles the ends and bad input', () => {
    expect(ndtri(0)).toBe(-Infinity);
    expect(ndtri(1)).toBe(Infinity);
    expect(ndtri(-0.1)).toBeNaN();
    expect(ndtri(1.1)).toBeNaN();
    expect(ndtri(NaN)).toBeNaN();
  });
  it('inverts ndtr across the lower tail, down to 2^-54', () => {
    for (let k = 0; k <= 200; k++) {
      const q = 0.5 * 2 ** (-53 * (k / 200));
      expect(relErr(ndtr(ndtri(q)), q)).toBeLessThan(1e-12);
    }
  });
  it('one Halley step is accurate far beyond float32', () => {
    for (let k = 1; k <= 400; k++) {
      const q = 0.5 * 2 ** (-54 * (k / 400));
      expect(relErr(ndtriLower(q, 1), ndtri(q))).toBeLessThan(1e-9);
    }
  });
});
