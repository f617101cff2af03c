import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, ShapeError, mul, permute, sin, tensor, transpose, zeros, type DType, type Tensor } from '../../src/index.js';
import { invertPermutation, permuteShape, transposeShape } from '../../src/shape/index.js';
import { checkGrads } from '../../src/testing/index.js';
import { DTYPES, iota, sizeOf, values } from './helpers.js';

const seed = { seed: 5151, numRuns: 200 };

/** A random shape and a random permutation of its axes. */
const arbPermutation = fc
  .array(fc.integer({ min: 0, max: 3 }), { maxLength: 5 })
  .chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length })));

describe('transpose', () => {
  it('swaps the last two axes, in every dtype', () => {
    expect(transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(transpose(tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])).toArray()).toEqual([[[1, 3], [2, 4]], [[5, 7], [6, 8]]]);
    expect(transpose(tensor([[1, 2]])).toArray()).toEqual([[1], [2]]);
    expect(transpose(zeros([2, 0, 3])).shape).toEqual([2, 3, 0]);
    for (const dtype of DTYPES) {
      const y = transpose(iota([2, 2], dtype) as Tensor<[2, 2], DType>);
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual(dtype === 'bool' ? [0, 0, 1, 1] : [0, 2, 1, 3]);
    }
  });

  it('throws ShapeError below rank 2', () => {
    expect(() => transpose(iota([3]))).toThrow(new ShapeError('transpose: needs rank >= 2, got [3]'));
    expect(() => transpose(iota([]))).toThrow(new ShapeError('transpose: needs rank >= 2, got []'));
  });

  it('is its own inverse and agrees with the shape rule (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 5 }), (s) => {
        const x = iota(s, 'float64');
        const before = values(x);
        const y = transpose(x);
        expect(y.shape).toEqual(transposeShape(s));
        const back = transpose(y);
        expect(back.shape).toEqual(s);
        expect(values(back)).toEqual(before);
        expect(values(x)).toEqual(before);
      }),
      seed,
    );
  });

  it('has exact first and second derivatives', () => {
    checkGrads((x: Tensor<[2, 3], 'float64'>) => mul(transpose(x), transpose(x)), [tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' })], { order: 2 });
  });
});

describe('permute', () => {
  it('reorders axes, with negative axes, in every dtype', () => {
    const x = tensor([[[0, 1], [2, 3], [4, 5]]]); // [1, 3, 2]
    expect(permute(x, [2, 0, 1]).toArray()).toEqual([[[0, 2, 4]], [[1, 3, 5]]]);
    expect(permute(x, [-1, 0, -2]).toArray()).toEqual([[[0, 2, 4]], [[1, 3, 5]]]);
    expect(permute(x, [0, 1, 2]).toArray()).toEqual(x.toArray());
    expect(permute(tensor(3), []).item()).toBe(3);
    expect(permute(zeros([0, 2]), [1, 0]).shape).toEqual([2, 0]);
    for (const dtype of DTYPES) {
      const y = permute(iota([2, 2], dtype), [1, 0]);
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual(dtype === 'bool' ? [0, 0, 1, 1] : [0, 2, 1, 3]);
    }
  });

  it('throws ShapeError for a wrong number of axes, AxisError for a bad axis', () => {
    const x = iota([2, 3, 4]);
    expect(() => permute(x, [0, 1])).toThrow(new ShapeError('permute: [0,1] has 2 axes for [2,3,4] of rank 3'));
    expect(() => permute(x, [0, 0, 1])).toThrow(new AxisError('permute: axis 0 repeated in permutation of [2,3,4]'));
    expect(() => permute(x, [0, 1, 3])).toThrow(new AxisError('permute: axis 3 is out of range for rank 3'));
    expect(() => permute(x, [0, 1, -1, 2].slice(1))).toThrow(new AxisError('permute: axis 2 repeated in permutation of [2,3,4]'));
  });

  it('then the inverse permutation is the identity, and agrees with the shape rule (property)', () => {
    fc.assert(
      fc.property(arbPermutation, ([s, perm]) => {
        const x = iota(s, 'int32');
        const before = values(x);
        const y = permute(x, perm);
        expect(y.shape).toEqual(permuteShape(s, perm));
        const back = permute(y, invertPermutation(perm));
        expect(back.shape).toEqual(s);
        expect(values(back)).toEqual(before);
        expect(values(x)).toEqual(before);
      }),
      seed,
    );
  });

  it('matches a naive index reference (property)', () => {
    fc.assert(
      fc.property(arbPermutation, ([s, perm]) => {
        const y = permute(iota(s, 'float64'), perm);
        const out = permuteShape(s, perm);
        const got = values(y);
        const strides = s.map((_, k) => sizeOf(s.slice(k + 1)));
        for (let o = 0; o < got.length; o++) {
          // output multi-index -> input flat index
          let rem = o;
          let src = 0;
          for (let k = out.length - 1; k >= 0; k--) {
            const i = rem % out[k]!;
            rem = Math.floor(rem / out[k]!);
            src += i * strides[perm[k]!]!;
          }
          expect(got[o]).toBe(src);
        }
      }),
      seed,
    );
  });

  it('has exact first and second derivatives', () => {
    const x = tensor([[[1, 2], [3, 4], [5, 6]]], { dtype: 'float64' });
    checkGrads((t: Tensor<[1, 3, 2], 'float64'>) => sin(permute(t, [2, 0, 1])), [x], { order: 2 });
  });
});
