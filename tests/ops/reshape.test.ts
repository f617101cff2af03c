import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  ShapeError,
  broadcastTo,
  expandDims,
  flatten,
  mul,
  reshape,
  sin,
  squeeze,
  tensor,
  zeros,
  type Dim,
  type Tensor,
} from '../../src/index.js';
import { broadcastToShape, expandDimsShape, flattenShape, reshapeShape, squeezeShape } from '../../src/shape/index.js';
import { checkGrads } from '../../src/testing/index.js';
import { DTYPES, iota, values } from './helpers.js';

const seed = { seed: 4242, numRuns: 200 };

/** Runs `op` and checks that no input's elements changed. */
function untouched<R>(inputs: readonly { toTypedArray(): ArrayLike<number> }[], op: () => R): R {
  const before = inputs.map(values);
  const out = op();
  inputs.forEach((x, i) => expect(values(x), `input ${i} was mutated`).toEqual(before[i]));
  return out;
}

/** The op's result shape equals the rule's, or both throw the same error. */
function sameAsRule(op: () => { shape: readonly number[] }, rule: () => number[]): void {
  let want: number[] | Error;
  try {
    want = rule();
  } catch (e) {
    want = e as Error;
  }
  if (want instanceof Error) expect(op).toThrow(want);
  else expect(op().shape).toEqual(want);
}

describe('reshape', () => {
  it('keeps the row-major order, in every dtype', () => {
    for (const dtype of DTYPES) {
      const x = iota([2, 3], dtype);
      const y = reshape(x, [3, 2]);
      expect(y.shape).toEqual([3, 2]);
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual(values(x));
    }
    expect(reshape(tensor([[1, 2, 3], [4, 5, 6]]), [3, 2]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('fills in -1', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(reshape(x, [-1]).toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reshape(x, [3, -1]).shape).toEqual([3, 2]);
    expect(reshape(zeros([2, 3, 4]), [-1, 2, 3]).shape).toEqual([4, 2, 3]);
  });

  it('handles scalars, size-1 and size-0 dims', () => {
    expect(reshape(tensor(7), [1, 1]).toArray()).toEqual([[7]]);
    expect(reshape(tensor([[7]]), []).item()).toBe(7);
    expect(reshape(tensor([7]), [-1]).shape).toEqual([1]);
    expect(reshape(zeros([0, 3]), [3, 0]).shape).toEqual([3, 0]);
    expect(reshape(zeros([0, 3]), [-1, 3]).shape).toEqual([0, 3]);
    expect(reshape(zeros([0, 3]), [-1]).shape).toEqual([0]);
  });

  it('throws ShapeError with the compile-time message', () => {
    expect(() => reshape(iota([2, 3]), [4, 2])).toThrow(new ShapeError('reshape: 6 elements cannot become [4,2]'));
    expect(() => reshape(iota([2, 3]), [4, -1])).toThrow(new ShapeError('reshape: 6 elements cannot become [4,-1]'));
    expect(() => reshape(iota([2, 3]), [-1, -1] as number[])).toThrow(new ShapeError('reshape: only one -1 allowed in [-1,-1]'));
    expect(() => reshape(iota([2, 3]), [-2, -3] as number[])).toThrow(new ShapeError('reshape: invalid dim -2 in [-2,-3]'));
    expect(() => reshape(iota([0, 3]), [-1, 0])).toThrow(ShapeError);
  });

  it('checks at run time the counts that generic code leaves unknown at compile time', () => {
    // A `number` dim in the target, or a type-parameter dim in the middle: these compile
    // (issue 15), and the number of elements is checked when called.
    const rows = (n: number) => iota([n, 16]) as Tensor<[number, 16]>;
    const pairs = <L extends Dim>(h: Tensor<[L, 16]>) => reshape(h, [Math.floor(h.shape[0] / 2), 32]);
    const merge = <B extends Dim, L extends Dim>(h: Tensor<[B, L, 32]>) => reshape(h, [h.shape[0] * h.shape[1], 32]);
    const images = <B extends Dim>(x: Tensor<[B, 784]>) => reshape(x, [-1, 28, 28]);
    expect(pairs(rows(4)).shape).toEqual([2, 32]);
    expect(merge(iota([2, 3, 32]) as Tensor<[number, number, 32]>).shape).toEqual([6, 32]);
    expect(values(merge(iota([2, 3, 32]) as Tensor<[number, number, 32]>))).toEqual(values(iota([2, 3, 32])));
    expect(images(zeros([5, 784])).shape).toEqual([5, 28, 28]);
    expect(() => pairs(rows(3))).toThrow(new ShapeError('reshape: 48 elements cannot become [1,32]'));
    expect(() => images(zeros([5, 783]) as unknown as Tensor<[5, 784]>)).toThrow(
      new ShapeError('reshape: 3915 elements cannot become [-1,28,28]'),
    );
  });

  it('agrees with the shape rule, round-trips, and does not mutate its input (property)', () => {
    // Two groupings of the same dims give two shapes with the same number of elements.
    const arbPair = fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 5 })
      .chain((dims) =>
        fc.tuple(fc.constant(dims), fc.shuffledSubarray(dims, { minLength: dims.length, maxLength: dims.length }), fc.integer({ min: 0, max: 5 })),
      );
    fc.assert(
      fc.property(arbPair, ([a, b, neg]) => {
        const x = iota(a, 'float64');
        const y = untouched([x], () => reshape(x, b));
        expect(y.shape).toEqual(reshapeShape(a, b));
        expect(values(y)).toEqual(values(x));
        expect(values(reshape(y, a))).toEqual(values(x));
        expect(reshape(y, a).shape).toEqual(a);
        // With one dim replaced by -1: the same result as the rule, or the same error.
        if (neg < b.length) {
          const withHole = b.map((d, i) => (i === neg ? -1 : d));
          sameAsRule(() => reshape(x, withHole), () => reshapeShape(a, withHole));
        }
      }),
      seed,
    );
  });

  it('has exact first and second derivatives', () => {
    checkGrads((x: Tensor<[2, 3], 'float64'>) => sin(reshape(x, [3, -1])), [tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' })], { order: 2 });
  });
});

describe('flatten', () => {
  it('merges the dims from startAxis on', () => {
    const x = iota([2, 3, 4]);
    expect(flatten(x).shape).toEqual([24]);
    expect(flatten(x, 1).shape).toEqual([2, 12]);
    expect(flatten(x, -1).shape).toEqual([2, 3, 4]);
    expect(flatten(x, -2).shape).toEqual([2, 12]);
    expect(values(flatten(x, 1))).toEqual(values(x));
    expect(flatten(tensor(5)).toArray()).toEqual([5]);
    expect(flatten(zeros([2, 0, 3]), 1).shape).toEqual([2, 0]);
    for (const dtype of DTYPES) expect(flatten(iota([2, 2], dtype)).dtype).toBe(dtype);
  });

  it('throws AxisError for an axis out of range', () => {
    expect(() => flatten(iota([2, 3, 4]), 3)).toThrow(new AxisError('flatten: axis 3 is out of range for rank 3'));
    expect(() => flatten(iota([2, 3, 4]), -4)).toThrow(new AxisError('flatten: axis -4 is out of range for rank 3'));
  });

  it('agrees with the shape rule (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }), fc.integer({ min: -5, max: 5 }), (s, ax) => {
        const x = iota(s);
        sameAsRule(() => untouched([x], () => flatten(x, ax)), () => flattenShape(s, ax));
      }),
      seed,
    );
  });

  it('has exact first and second derivatives', () => {
    checkGrads((x: Tensor<[2, 2, 2], 'float64'>) => sin(flatten(x, 1)), [iota([2, 2, 2], 'float64') as Tensor<[2, 2, 2], 'float64'>], { order: 2 });
  });
});

describe('expandDims', () => {
  it('inserts an axis of size 1 anywhere from -(rank+1) to rank', () => {
    const x = iota([2, 3]);
    expect(expandDims(x, 0).shape).toEqual([1, 2, 3]);
    expect(expandDims(x, 1).shape).toEqual([2, 1, 3]);
    expect(expandDims(x, 2).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, -1).shape).toEqual([2, 3, 1]);
    expect(expandDims(x, -3).shape).toEqual([1, 2, 3]);
    expect(expandDims(tensor(4), 0).toArray()).toEqual([4]);
    expect(expandDims(zeros([0]), 0).shape).toEqual([1, 0]);
    expect(values(expandDims(x, 1))).toEqual(values(x));
    for (const dtype of DTYPES) expect(expandDims(iota([2], dtype), 0).dtype).toBe(dtype);
  });

  it('throws AxisError for an axis out of range', () => {
    expect(() => expandDims(iota([2, 3]), 3)).toThrow(new AxisError('expandDims: axis 3 is out of range for rank 2 (a new axis goes at -3..2)'));
    expect(() => expandDims(iota([2, 3]), -4)).toThrow(AxisError);
  });

  it('agrees with the shape rule (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }), fc.integer({ min: -6, max: 6 }), (s, ax) => {
        sameAsRule(() => expandDims(iota(s), ax), () => expandDimsShape(s, ax));
      }),
      seed,
    );
  });

  it('has exact first and second derivatives', () => {
    checkGrads((x: Tensor<[3], 'float64'>) => sin(expandDims(x, -1)), [tensor([0.1, 0.2, 0.3], { dtype: 'float64' })], { order: 2 });
  });
});

describe('squeeze', () => {
  it('removes every dim of size 1, or the one named', () => {
    const x = iota([2, 1, 3, 1]);
    expect(squeeze(x).shape).toEqual([2, 3]);
    expect(squeeze(x, 1).shape).toEqual([2, 3, 1]);
    expect(squeeze(x, -1).shape).toEqual([2, 1, 3]);
    expect(values(squeeze(x))).toEqual(values(x));
    expect(squeeze(tensor([[5]])).item()).toBe(5);
    expect(squeeze(zeros([1, 0])).shape).toEqual([0]);
    expect(squeeze(tensor(3)).shape).toEqual([]);
    for (const dtype of DTYPES) expect(squeeze(iota([1, 2], dtype)).dtype).toBe(dtype);
  });

  it('throws ShapeError for a dim that is not 1, AxisError for an axis out of range', () => {
    expect(() => squeeze(iota([2, 3]), 1)).toThrow(new ShapeError('squeeze: cannot squeeze axis 1 of size 3 in [2,3]'));
    expect(() => squeeze(iota([2, 1]), 2)).toThrow(new AxisError('squeeze: axis 2 is out of range for rank 2'));
  });

  it('agrees with the shape rule (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 4 }), fc.option(fc.integer({ min: -5, max: 5 }), { nil: undefined }), (s, ax) => {
        const x = iota(s);
        sameAsRule(() => untouched([x], () => (ax === undefined ? squeeze(x) : squeeze(x, ax))), () => squeezeShape(s, ax));
      }),
      seed,
    );
  });

  it('has exact first and second derivatives', () => {
    checkGrads((x: Tensor<[1, 3], 'float64'>) => sin(squeeze(x, 0)), [tensor([[0.1, 0.2, 0.3]], { dtype: 'float64' })], { order: 2 });
  });
});

describe('broadcastTo', () => {
  it('checks at run time a type-parameter dim met by a number', () => {
    const expand = <B extends Dim>(col: Tensor<[B, 1]>, like: Tensor<[number, 5]>) => broadcastTo(col, like.shape);
    const col = (n: number) => iota([n, 1]) as Tensor<[number, 1]>;
    expect(expand(col(2), zeros([2, 5])).shape).toEqual([2, 5]);
    expect(() => expand(col(2), zeros([3, 5]))).toThrow(new ShapeError('broadcastTo: cannot broadcast [2,1] to [3,5]'));
  });

  it('repeats along size-1 and new leading dims, in every dtype', () => {
    expect(broadcastTo(tensor([1, 2, 3]), [2, 3]).toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(broadcastTo(tensor([[1], [2]]), [2, 2]).toArray()).toEqual([[1, 1], [2, 2]]);
    expect(broadcastTo(tensor(4), [2]).toArray()).toEqual([4, 4]);
    expect(broadcastTo(tensor([4]), [0]).shape).toEqual([0]);
    expect(broadcastTo(zeros([3]), [2, 0, 3]).shape).toEqual([2, 0, 3]);
    for (const dtype of DTYPES) {
      const y = broadcastTo(iota([2, 1], dtype), [2, 2]);
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual([0, 0, 1, 1]);
    }
  });

  it('throws ShapeError when a dim is neither 1 nor the target', () => {
    expect(() => broadcastTo(iota([2, 3]), [4, 3])).toThrow(new ShapeError('broadcastTo: cannot broadcast [2,3] to [4,3]'));
    expect(() => broadcastTo(iota([2, 3]), [3])).toThrow(new ShapeError('broadcastTo: cannot broadcast [2,3] to [3]'));
    expect(() => broadcastTo(iota([3]), [-1, 3])).toThrow(ShapeError);
  });

  it('agrees with the shape rule (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        (to, extra, ones) => {
          // a source that fits: some dims set to 1, some leading dims dropped
          const from = to.map((d, i) => (ones[i] ? 1 : d)).slice(Math.min(extra.length, to.length));
          const x = iota(from);
          sameAsRule(() => untouched([x], () => broadcastTo(x, to)), () => broadcastToShape(from, to));
          // and one that may not
          sameAsRule(() => broadcastTo(iota(extra), to), () => broadcastToShape(extra, to));
        },
      ),
      seed,
    );
  });

  it('has exact first and second derivatives (the copies sum back)', () => {
    checkGrads((x: Tensor<[2, 1], 'float64'>) => sin(mul(broadcastTo(x, [3, 2, 2]), broadcastTo(x, [3, 2, 2]))), [tensor([[0.3], [-0.7]], { dtype: 'float64' })], {
      order: 2,
    });
  });
});
