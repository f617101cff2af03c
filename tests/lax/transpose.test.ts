import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError } from '../../src/core/errors.js';
import { transpose } from '../../src/lax/index.js';
import { type Ref, arbCase, checkDerivatives, expectExact, make, pseudoRandom, ravel, runs, sizeOf, unravel, untouched } from './helpers.js';

/** Naive transpose: out[i] = x[j] with j[perm[k]] = i[k]. */
function refTranspose(x: Ref, perm: readonly number[]): Ref {
  const shape = perm.map((p) => x.shape[p]!);
  const data = Array.from({ length: sizeOf(shape) }, (_, o) => {
    const i = unravel(o, shape);
    const j = new Array<number>(perm.length);
    perm.forEach((p, k) => (j[p] = i[k]!));
    return x.data[ravel(j, x.shape)]!;
  });
  return { data, shape };
}

const arbPerm = (rank: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(Array.from({ length: rank }, (_, k) => k), { minLength: rank, maxLength: rank });

describe('transpose', () => {
  it('matches the naive reference on random shapes, permutations and dtypes', () => {
    fc.assert(
      fc.property(
        arbCase().chain((c) => arbPerm(c.ref.shape.length).map((perm) => ({ ...c, perm }))),
        ({ ref, dtype, perm }) => {
          const x = make(ref.data, ref.shape, dtype);
          expectExact(untouched([x], () => transpose(x, perm)), refTranspose(ref, perm), dtype);
        },
      ),
      runs(),
    );
  });

  it('matches the reference on large tiled, batched and strided layouts', () => {
    const cases: [number[], number[]][] = [
      [[37, 45], [1, 0]],
      [[3, 40, 33], [0, 2, 1]],
      [[40, 3, 33], [2, 1, 0]],
      [[9, 70], [1, 0]],
      [[2, 1, 65, 8], [3, 1, 2, 0]],
      [[5, 130], [0, 1]],
      [[4, 3, 70], [1, 0, 2]],
    ];
    for (const [shape, perm] of cases) {
      const ref = { data: pseudoRandom(sizeOf(shape), 3).map((v) => Math.round(v * 1000)), shape };
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        const x = make(ref.data, shape, dtype);
        expectExact(untouched([x], () => transpose(x, perm)), refTranspose(ref, perm), dtype);
      }
    }
  });

  it('returns the input itself for the identity permutation', () => {
    const x = make([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(transpose(x, [0, 1])).toBe(x);
  });

  it('rejects a non-permutation with an AxisError', () => {
    const x = make([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => transpose(x, [0, 0])).toThrow(new AxisError('transpose: [0,0] is not a permutation of the axes of [2,3]'));
    expect(() => transpose(x, [1, 0, 2])).toThrow(new AxisError('transpose: [1,0,2] is not a permutation of the axes of [2,3]'));
    expect(() => transpose(x, [0, 2])).toThrowError(AxisError);
  });

  it('has derivatives matching finite differences (first and second order)', () => {
    const shape = [2, 3, 2];
    const x = make(pseudoRandom(12, 11), shape);
    for (const perm of [[2, 0, 1], [1, 2, 0], [0, 2, 1]]) checkDerivatives((t) => transpose(t, perm), x);
    checkDerivatives((t) => transpose(t, [1, 0]), make(pseudoRandom(6, 12), [3, 2]));
  });
});
