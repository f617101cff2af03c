import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { bernoulli, key, normal, randint, split, truncatedNormal, uniform, type Key } from '../../src/random/index.js';
import { ndtr } from '../../src/random/special.js';

const N = 100_000;

function moments(data: ArrayLike<number>): { mean: number; variance: number } {
  let mean = 0;
  for (let i = 0; i < data.length; i++) mean += data[i]!;
  mean /= data.length;
  let variance = 0;
  for (let i = 0; i < data.length; i++) variance += (data[i]! - mean) ** 2;
  return { mean, variance: variance / data.length };
}

const minOf = (data: ArrayLike<number>) => Array.prototype.reduce.call(data, (a, b) => Math.min(a as number, b as number), Infinity) as number;
const maxOf = (data: ArrayLike<number>) => Array.prototype.reduce.call(data, (a, b) => Math.max(a as number, b as number), -Infinity) as number;

/** Kolmogorov–Smirnov distance between the sample and a CDF. */
function ksDistance(data: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(data).sort();
  let d = 0;
  for (let i = 0; i < xs.length; i++) {
    const f = cdf(xs[i]!);
    d = Math.max(d, Math.abs(f - i / xs.length), Math.abs(f - (i + 1) / xs.length));
  }
  return d;
}

// KS critical value at alpha = 0.001 is 1.95 / sqrt(n); the keys are fixed, so this never flakes.
const KS_BOUND = 1.95 / Math.sqrt(N);

describe('uniform', () => {
  it.each(['float32', 'float64'] as const)('has the moments and CDF of U[0, 1) (%s)', (dtype) => {
    const x = uniform(key(1), [N], { dtype });
    expect(x.dtype).toBe(dtype);
    const data = x.toTypedArray();
    const { mean, variance } = moments(data);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(2e-3);
    expect(minOf(data)).toBeGreaterThanOrEqual(0);
    expect(maxOf(data)).toBeLessThan(1);
    expect(ksDistance(data, (v) => Math.min(1, Math.max(0, v)))).toBeLessThan(KS_BOUND);
  });

  it('scales to [min, max)', () => {
    const data = uniform(key(2), [N], { min: -3, max: 5 }).toTypedArray();
    expect(minOf(data)).toBeGreaterThanOrEqual(-3);
    expect(maxOf(data)).toBeLessThan(5);
    expect(moments(data).mean).toBeCloseTo(1, 1);
  });

  it('stays below max even where rounding would reach it', () => {
    // Only 1 is a float32 in [1, 1 + 1e-7); in float64 many values are.
    expect(Array.from(uniform(key(0), [50], { min: 1, max: 1 + 1e-7 }).toTypedArray()).every((v) => v === 1)).toBe(true);
    const wide = uniform(key(0), [1000], { min: 1e16, max: 1e16 + 4, dtype: 'float64' }).toTypedArray();
    expect(wide.every((v) => v >= 1e16 && v < 1e16 + 4)).toBe(true);
  });

  it('uses 52 bits for float64 (values are not all float32)', () => {
    const data = uniform(key(3), [100], { dtype: 'float64' }).toTypedArray();
    expect(data.some((v) => Math.fround(v) !== v)).toBe(true);
  });

  it('checks its arguments', () => {
    const k = key(0);
    expect(() => uniform(k, [2, -1])).toThrow(ShapeError);
    expect(() => uniform(k, [2, -1])).toThrow('uniform: shape [2,-1] has a negative or fractional dim');
    expect(() => uniform(k, [1.5])).toThrow('uniform: shape [1.5] has a negative or fractional dim');
    expect(() => uniform(k, [NaN])).toThrow('uniform: shape [NaN] has a dim that is not a finite number');
    expect(() => uniform(k, 3 as unknown as [3])).toThrow('uniform: shape must be an array of dims, got 3');
    expect(() => uniform(k, [65536, 65536])).toThrow('uniform: shape [65536,65536] has 4294967296 elements, more than 2^31 - 1');
    expect(() => uniform(k, [2], { min: 1, max: 1 })).toThrow('uniform: need min < max with a finite difference, got min=1, max=1');
    expect(() => uniform(k, [2], { min: 2, max: 1 })).toThrow(ValueError);
    expect(() => uniform(k, [2], { max: Infinity })).toThrow('uniform: max must be a finite number, got Infinity');
    expect(() => uniform(k, [2], { min: NaN })).toThrow('uniform: min must be a finite number, got NaN');
    expect(() => uniform(k, [2], { min: -1e308, max: 1e308 })).toThrow(/finite difference/);
    expect(() => uniform(k, [2], { dtype: 'int32' as 'float32' })).toThrow(DTypeError);
    expect(() => uniform(k, [2], { dtype: 'int32' as 'float32' })).toThrow('uniform: dtype "int32" is not supported: expected float32 or float64');
    expect(() => uniform([0, 0] as unknown as Key, [2])).toThrow('uniform: expected a key from random.key, random.split or random.foldIn, got [0,0]');
  });
});

describe('normal', () => {
  it.each(['float32', 'float64'] as const)('has the moments and CDF of N(0, 1) (%s)', (dtype) => {
    const data = normal(key(4), [N], { dtype }).toTypedArray();
    const { mean, variance } = moments(data);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(ksDistance(data, ndtr)).toBeLessThan(KS_BOUND);
    // About 4.55% of samples fall beyond 2 std.
    const beyond2 = data.filter((v) => Math.abs(v) > 2).length / N;
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(0.004);
  });

  it('shifts and scales by mean and std', () => {
    const data = normal(key(5), [N], { mean: 3, std: 0.5 }).toTypedArray();
    const { mean, variance } = moments(data);
    expect(Math.abs(mean - 3)).toBeLessThan(0.01);
    expect(Math.abs(variance - 0.25)).toBeLessThan(0.005);
    expect(Array.from(normal(key(5), [4], { mean: 2, std: 0 }).toTypedArray())).toEqual([2, 2, 2, 2]);
  });

  it('is symmetric: its sign bit is fair', () => {
    const data = normal(key(6), [N]).toTypedArray();
    expect(Math.abs(data.filter((v) => v < 0).length / N - 0.5)).toBeLessThan(0.005);
  });

  it('checks its arguments', () => {
    expect(() => normal(key(0), [2], { std: -1 })).toThrow('normal: std must be >= 0, got -1');
    expect(() => normal(key(0), [2], { mean: Infinity })).toThrow('normal: mean must be a finite number, got Infinity');
    expect(() => normal(key(0), [-2])).toThrow('normal: shape [-2] has a negative or fractional dim');
  });
});

describe('truncatedNormal', () => {
  it('stays within [-2, 2] and has the truncated moments', () => {
    const data = truncatedNormal(key(7), [N]).toTypedArray();
    expect(minOf(data)).toBeGreaterThanOrEqual(-2);
    expect(maxOf(data)).toBeLessThanOrEqual(2);
    const { mean, variance } = moments(data);
    // Var of N(0,1) truncated to [-a, a]: 1 - 2 a phi(a) / (Phi(a) - Phi(-a)).
    const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
    const want = 1 - (4 * phi2) / (ndtr(2) - ndtr(-2));
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - want)).toBeLessThan(0.01);
    const mass = ndtr(2) - ndtr(-2);
    expect(ksDistance(data, (x) => (ndtr(x) - ndtr(-2)) / mass)).toBeLessThan(KS_BOUND);
  });

  it('samples far-tail intervals accurately', () => {
    const data = truncatedNormal(key(8), [N], { lower: 5, upper: 6, dtype: 'float64' }).toTypedArray();
    expect(data.every((v) => v >= 5 && v <= 6)).toBe(true);
    const mass = ndtr(-5) - ndtr(-6);
    expect(ksDistance(data, (x) => (ndtr(-5) - ndtr(-x)) / mass)).toBeLessThan(KS_BOUND);
    const left = truncatedNormal(key(8), [1000], { lower: -9, upper: -8 }).toTypedArray();
    expect(left.every((v) => v >= -9 && v <= -8)).toBe(true);
  });

  it('accepts infinite bounds (a half-normal, a full normal)', () => {
    const half = truncatedNormal(key(9), [N], { lower: 0, upper: Infinity }).toTypedArray();
    expect(half.every((v) => v >= 0)).toBe(true);
    expect(Math.abs(moments(half).mean - Math.sqrt(2 / Math.PI))).toBeLessThan(0.01);
    const full = truncatedNormal(key(9), [N], { lower: -Infinity, upper: Infinity, dtype: 'float64' }).toTypedArray();
    expect(Math.abs(moments(full).variance - 1)).toBeLessThan(0.02);
  });

  it('keeps float32 results inside bounds that are not float32 values', () => {
    const data = truncatedNormal(key(10), [N], { lower: -0.1, upper: 0.1 }).toTypedArray();
    expect(data.every((v) => v >= -0.1 && v <= 0.1)).toBe(true);
  });

  it('checks its arguments', () => {
    expect(() => truncatedNormal(key(0), [2], { lower: 1, upper: 1 })).toThrow('truncatedNormal: need lower < upper, got lower=1, upper=1');
    expect(() => truncatedNormal(key(0), [2], { lower: NaN })).toThrow(ValueError);
    expect(() => truncatedNormal(key(0), [2], { lower: 40, upper: 41 })).toThrow(
      'truncatedNormal: [40, 41] lies so far in the tail that its probability underflows',
    );
  });
});

describe('bernoulli', () => {
  it('is true at rate p', () => {
    for (const p of [0.1, 0.5, 0.9]) {
      const x = bernoulli(key(11), p, [N]);
      expect(x.dtype).toBe('bool');
      const rate = x.toTypedArray().reduce((s, v) => s + v, 0) / N;
      expect(Math.abs(rate - p)).toBeLessThan(0.005);
    }
  });

  it('is never true at p = 0 and always true at p = 1', () => {
    expect(bernoulli(key(12), 0, [1000]).toTypedArray().every((v) => v === 0)).toBe(true);
    expect(bernoulli(key(12), 1, [1000]).toTypedArray().every((v) => v === 1)).toBe(true);
    expect(typeof bernoulli(key(12), 0.5).item()).toBe('boolean');
  });

  it('checks p', () => {
    expect(() => bernoulli(key(0), 1.5, [2])).toThrow('bernoulli: p must be a probability in [0, 1], got 1.5');
    expect(() => bernoulli(key(0), -0.1, [2])).toThrow(ValueError);
    expect(() => bernoulli(key(0), NaN, [2])).toThrow('bernoulli: p must be a probability in [0, 1], got NaN');
  });
});

describe('randint', () => {
  it('covers [minval, maxval) evenly (chi-square)', () => {
    const bins = 10;
    const data = randint(key(13), [N], -3, -3 + bins).toTypedArray();
    const counts = new Array<number>(bins).fill(0);
    expect(minOf(data)).toBe(-3);
    expect(maxOf(data)).toBe(-3 + bins - 1);
    for (const v of data) counts[v + 3]!++;
    const expected = N / bins;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // df = 9: P(chi2 > 33.7) = 1e-4; a loose bound for a fixed key.
    expect(chi2).toBeLessThan(33.7);
  });

  it('reaches the int32 extremes', () => {
    const data = randint(key(14), [N], -(2 ** 31), 2 ** 31).toTypedArray();
    expect(data.some((v) => v < -(2 ** 30))).toBe(true);
    expect(data.some((v) => v > 2 ** 30)).toBe(true);
    expect(Array.from(randint(key(14), [5], 7, 8).toTypedArray())).toEqual([7, 7, 7, 7, 7]);
  });

  it('checks its bounds', () => {
    expect(() => randint(key(0), [2], 3, 3)).toThrow('randint: need minval < maxval, got minval=3, maxval=3');
    expect(() => randint(key(0), [2], 0.5, 3)).toThrow('randint: minval and maxval must be integers, got minval=0.5, maxval=3');
    expect(() => randint(key(0), [2], 0, 2 ** 31 + 1)).toThrow(
      'randint: [minval, maxval) must lie within the int32 range [-2^31, 2^31), got [0, 2147483649)',
    );
  });
});

describe('every sampler', () => {
  const samplers: [string, (k: Key) => { toTypedArray(): ArrayLike<number> }][] = [
    ['uniform', (k) => uniform(k, [64])],
    ['normal', (k) => normal(k, [64], { dtype: 'float64' })],
    ['truncatedNormal', (k) => truncatedNormal(k, [64])],
    ['bernoulli', (k) => bernoulli(k, 0.5, [64])],
    ['randint', (k) => randint(k, [64], 0, 1000)],
  ];
  it.each(samplers)('%s: same key, same data; other key, other data; key untouched', (_, sample) => {
    const k = key(99);
    const [other] = split(k);
    expect(Array.from(sample(k).toTypedArray())).toEqual(Array.from(sample(key(99)).toTypedArray()));
    expect(Array.from(sample(k).toTypedArray())).not.toEqual(Array.from(sample(other).toTypedArray()));
    expect(k.words).toEqual([0, 99]);
  });

  it('returns tensors of the requested shape, frozen', () => {
    const x = uniform(key(0), [2, 3, 4]);
    expect(x.shape).toEqual([2, 3, 4]);
    expect(Object.isFrozen(x.shape)).toBe(true);
    expect(x.toArray()).toHaveLength(2);
  });
});
