import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, DTypeError, ShapeError, ValueError, gather, mul, oneHot, sin, take, tensor, type DType, type Tensor } from '../../src/index.js';
import { takeShape } from '../../src/shape/index.js';
import { checkGrads } from '../../src/testing/index.js';
import { DTYPES, iota, sizeOf, values } from './helpers.js';

const seed = { seed: 8181, numRuns: 200 };
const ints = <const S extends readonly number[]>(data: readonly number[], shape: S): Tensor<[...S], 'int32'> =>
  tensor(data, shape, { dtype: 'int32' });

describe('take', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);

  it('picks rows, columns and index arrays of any shape, in every dtype', () => {
    expect(take(x, ints([1, 1, 0], [3])).toArray()).toEqual([[4, 5, 6], [4, 5, 6], [1, 2, 3]]);
    expect(take(x, ints([2, 0], [2]), 1).toArray()).toEqual([[3, 1], [6, 4]]);
    expect(take(x, ints([2, -3], [2, 1]), -1).toArray()).toEqual([[[3], [1]], [[6], [4]]]);
    expect(take(x, ints([-1], [])).toArray()).toEqual([4, 5, 6]);
    expect(take(x, ints([], [0]), 1).shape).toEqual([2, 0]);
    expect(take(tensor([10, 20, 30]), ints([2, 2], [2])).toArray()).toEqual([30, 30]);
    for (const dtype of DTYPES) {
      const y = take(iota([3, 2], dtype), ints([2, 0], [2]));
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual(dtype === 'bool' ? [0, 1, 0, 1] : [4, 5, 0, 1]);
    }
  });

  it('is the same op as gather, whose errors name gather', () => {
    expect(gather(tensor([10, 20, 30]), ints([2, 0], [2])).toArray()).toEqual(take(tensor([10, 20, 30]), ints([2, 0], [2])).toArray());
    expect(gather(tensor([10, 20, 30]), ints([2, 0], [2])).toArray()).toEqual([30, 10]);
    expect(() => gather(tensor([10, 20, 30]), ints([0], [1]), 2 as never)).toThrow(/^gather: take: axis 2 is out of range for rank 1/);
  });

  it('throws DTypeError for non-int32 indices, AxisError for the axis, ValueError out of range', () => {
    const floats: Tensor<[1], 'int32'> = tensor([0]) as unknown as Tensor<[1], 'int32'>;
    expect(() => take(x, floats)).toThrow(new DTypeError('take: indices must be int32, got float32'));
    expect(() => take(x, ints([0], [1]), 2 as number)).toThrow(new AxisError('take: axis 2 is out of range for rank 2'));
    expect(() => take(x, ints([2], [1]))).toThrow(new ValueError('take: index 2 is out of range for axis 0 with size 2'));
    expect(() => take(x, ints([-3], [1]))).toThrow(new ValueError('take: index -3 is out of range for axis 0 with size 2'));
    expect(() => take(iota([]), ints([0], [1]))).toThrow(AxisError);
  });

  it('agrees with the shape rule and a naive reference (property)', () => {
    const arb = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }).chain((s) =>
      fc.integer({ min: 0, max: s.length - 1 }).chain((ax) =>
        fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }).chain((is) =>
          fc
            .array(fc.integer({ min: -s[ax]!, max: s[ax]! - 1 }), { minLength: sizeOf(is), maxLength: sizeOf(is) })
            .map((idx) => ({ s, ax, is, idx })),
        ),
      ),
    );
    fc.assert(
      fc.property(arb, ({ s, ax, is, idx }) => {
        const t = iota(s, 'int32');
        const i = tensor(idx, is, { dtype: 'int32' });
        const before = [values(t), values(i)];
        const y = take(t, i, ax);
        expect(y.shape).toEqual(takeShape(s, is, ax));
        const outer = sizeOf(s.slice(0, ax));
        const inner = sizeOf(s.slice(ax + 1));
        const want: number[] = [];
        for (let o = 0; o < outer; o++)
          for (const j of idx) for (let r = 0; r < inner; r++) want.push((o * s[ax]! + (j < 0 ? j + s[ax]! : j)) * inner + r);
        expect(values(y)).toEqual(want);
        expect([values(t), values(i)]).toEqual(before);
      }),
      seed,
    );
  });

  it('has exact first and second derivatives (repeated indices add up)', () => {
    const idx = ints([0, 2, 0, -1], [2, 2]);
    checkGrads((a: Tensor<[3, 2], 'float64'>) => sin(mul(take(a, idx), take(a, idx, 0))), [tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], { dtype: 'float64' })], {
      order: 2,
    });
    checkGrads((a: Tensor<[2, 3], 'float64'>) => sin(take(a, idx, 1)), [tensor([[0.1, 0.2, 0.3], [-0.4, 0.5, 0.6]], { dtype: 'float64' })], { order: 2 });
  });
});

describe('oneHot', () => {
  it('makes one-hot rows in the requested dtype', () => {
    expect(oneHot(ints([0, 2], [2]), 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(oneHot(ints([1], [1]), 2, { dtype: 'bool' }).toArray()).toEqual([[false, true]]);
    expect(oneHot(ints([1, 0], [2]), 2, { dtype: 'int32' }).dtype).toBe('int32');
    expect(oneHot(ints([1, 0], [2]), 2).dtype).toBe('float32');
    const y = oneHot(ints([3, 0, 1, 2], [2, 2]), 4, { dtype: 'float64' });
    expect(y.dtype).toBe('float64');
    expect(y.toArray()).toEqual([[[0, 0, 0, 1], [1, 0, 0, 0]], [[0, 1, 0, 0], [0, 0, 1, 0]]]);
    expect(oneHot(ints([2], []), 3).toArray()).toEqual([0, 0, 1]);
    expect(oneHot(ints([], [0]), 3).shape).toEqual([0, 3]);
  });

  it('throws for non-int32 indices, indices out of range and a bad depth', () => {
    const floats = tensor([0]) as unknown as Tensor<[1], 'int32'>;
    expect(() => oneHot(floats, 2)).toThrow(new DTypeError('oneHot: indices must be int32, got float32'));
    expect(() => oneHot(ints([0, 3], [2]), 3)).toThrow(new ValueError('oneHot: index 3 is out of range for 3 classes (expected 0..2)'));
    expect(() => oneHot(ints([-1], [1]), 3)).toThrow(new ValueError('oneHot: index -1 is out of range for 3 classes (expected 0..2)'));
    expect(() => oneHot(ints([0], [1]), 0)).toThrow(ShapeError);
    expect(() => oneHot(ints([0], [1]), 2, { dtype: 'float16' as DType })).toThrow(DTypeError);
  });

  it('rows sum to one and pick the index (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 8 }))), ([n, idx]) => {
        const y = oneHot(tensor(idx, [idx.length], { dtype: 'int32' }), n, { dtype: 'int32' });
        expect(y.shape).toEqual([idx.length, n]);
        expect(y.toArray()).toEqual(idx.map((i) => Array.from({ length: n }, (_, k) => (k === i ? 1 : 0))));
      }),
      seed,
    );
  });
});
