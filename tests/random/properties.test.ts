import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bernoulli, key, normal, permutation, randint, shuffle, split, truncatedNormal, uniform, type Key } from '../../src/random/index.js';

const seed = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
// Shapes of rank 0..4, zero-size dims included, at most a few thousand elements.
const shape = fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 4 });

const samplers: [string, (k: Key, s: number[]) => { shape: unknown; size: number; toTypedArray(): ArrayLike<number> }][] = [
  ['uniform', (k, s) => uniform(k, s)],
  ['uniform float64', (k, s) => uniform(k, s, { dtype: 'float64', min: -2, max: 3 })],
  ['normal', (k, s) => normal(k, s)],
  ['normal float64', (k, s) => normal(k, s, { dtype: 'float64' })],
  ['truncatedNormal', (k, s) => truncatedNormal(k, s)],
  ['bernoulli', (k, s) => bernoulli(k, 0.3, s)],
  ['randint', (k, s) => randint(k, s, -5, 5)],
];

describe.each(samplers)('%s', (_, sample) => {
  it('returns the requested shape', () => {
    fc.assert(
      fc.property(seed, shape, (s, dims) => {
        const x = sample(key(s), dims);
        expect(x.shape).toEqual(dims);
        expect(x.size).toBe(dims.reduce((a, b) => a * b, 1));
      }),
      { numRuns: 50 },
    );
  });

  it('gives identical data for the same key', () => {
    fc.assert(
      fc.property(seed, shape, (s, dims) => {
        const k = key(s);
        expect(Array.from(sample(k, dims).toTypedArray())).toEqual(Array.from(sample(key(s), dims).toTypedArray()));
      }),
      { numRuns: 50 },
    );
  });
});

describe('keys', () => {
  it('split children and the parent are pairwise distinct', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 20 }), (s, n) => {
        const k = key(s);
        const ids = new Set([k, ...split(k, n)].map((x) => x.words.join(':')));
        expect(ids.size).toBe(n + 1);
      }),
      { numRuns: 100 },
    );
  });
});

describe('shuffle and permutation', () => {
  it('shuffle never mutates its input and returns a permutation of it', () => {
    fc.assert(
      fc.property(seed, fc.array(fc.anything(), { maxLength: 40 }), (s, xs) => {
        const before = xs.slice();
        const out = shuffle(key(s), xs);
        expect(xs).toEqual(before);
        expect(out).not.toBe(xs);
        const perm = permutation(key(s), xs.length).toTypedArray();
        expect(out.length).toBe(xs.length);
        out.forEach((v, i) => expect(v).toBe(xs[perm[i]!]));
        expect(Array.from(perm).sort((a, b) => a - b)).toEqual(xs.map((_, i) => i));
      }),
      { numRuns: 100 },
    );
  });
});
