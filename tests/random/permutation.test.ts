import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/core/errors.js';
import { key, permutation, shuffle, type Key } from '../../src/random/index.js';

const isPermutation = (xs: ArrayLike<number>, n: number) =>
  xs.length === n && Array.from(xs).sort((a, b) => a - b).every((v, i) => v === i);

describe('permutation', () => {
  it('is a permutation of 0..n-1', () => {
    for (const n of [0, 1, 2, 5, 1000]) {
      const p = permutation(key(n), n);
      expect(p.dtype).toBe('int32');
      expect(p.shape).toEqual([n]);
      expect(isPermutation(p.toTypedArray(), n)).toBe(true);
    }
  });

  it('actually moves things, and differs across keys', () => {
    const a = Array.from(permutation(key(0), 100).toTypedArray());
    const b = Array.from(permutation(key(1), 100).toTypedArray());
    expect(a).not.toEqual(b);
    expect(a.filter((v, i) => v === i).length).toBeLessThan(10);
  });

  it('puts each element in each position about equally often', () => {
    const n = 4;
    const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const trials = 20_000;
    for (let t = 0; t < trials; t++) {
      const p = permutation(key(t), n).toTypedArray();
      for (let i = 0; i < n; i++) counts[i]![p[i]!]!++;
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c / trials - 1 / n)).toBeLessThan(0.02);
  });

  it('checks n', () => {
    expect(() => permutation(key(0), -1)).toThrow('permutation: n must be an integer in [0, 2^31 - 1], got -1');
    expect(() => permutation(key(0), 2.5)).toThrow(ValueError);
    expect(() => permutation({} as Key, 2)).toThrow('permutation: expected a key from random.key, random.split or random.foldIn, got {}');
  });
});

describe('shuffle', () => {
  it('reorders a copy by permutation(key, n)', () => {
    const xs = ['a', 'b', 'c', 'd', 'e', 'f'];
    const k = key(3);
    const p = permutation(k, xs.length).toTypedArray();
    expect(shuffle(k, xs)).toEqual(Array.from(p, (i) => xs[i]));
    expect(xs).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('handles empty and frozen arrays', () => {
    expect(shuffle(key(0), [])).toEqual([]);
    const frozen = Object.freeze([1, 2, 3]);
    const out = shuffle(key(0), frozen);
    expect(out).not.toBe(frozen);
    expect(out.slice().sort()).toEqual([1, 2, 3]);
  });

  it('checks its input', () => {
    expect(() => shuffle(key(0), 'abc' as unknown as string[])).toThrow('shuffle: expected an array, got "abc"');
  });
});
