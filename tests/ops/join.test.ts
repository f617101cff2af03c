import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, ShapeError, concat, matmul, mul, sin, split, stack, tensor, zeros, type DType, type Dim, type Tensor } from '../../src/index.js';
import { concatShapes, splitShapes, stackShapes } from '../../src/shape/index.js';
import { checkGrads } from '../../src/testing/index.js';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
const seed = { seed: 6161, numRuns: 200 };
const values = (t: { toTypedArray(): ArrayLike<number> }): number[] => Array.from(t.toTypedArray());
const sizeOf = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);
const iota = (shape: readonly number[], dtype: DType = 'float32', from = 0): Tensor<number[], DType> =>
  tensor(
    Array.from({ length: sizeOf(shape) }, (_, i) => (dtype === 'bool' ? (from + i) % 2 : from + i)),
    shape as number[],
    { dtype },
  );
const f64 = { dtype: 'float64' } as const;

/** Shapes equal except along `axis`, and the axis. */
const arbJoinable = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }))
  .chain(([base, sizes]) =>
    fc.integer({ min: -base.length, max: base.length - 1 }).map((axis) => {
      const k = axis < 0 ? axis + base.length : axis;
      return { axis, sizes, shapes: sizes.map((n) => base.map((d, i) => (i === k ? n : d))) };
    }),
  );

describe('concat', () => {
  it('joins along an existing axis, in every dtype', () => {
    expect(concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(concat([tensor([[1], [2]]), tensor([[3], [4]])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(concat([tensor([[1], [2]]), tensor([[3], [4]])], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(concat([tensor([1, 2]), zeros([0]), tensor([3])]).toArray()).toEqual([1, 2, 3]);
    expect(concat([zeros([0, 2]), zeros([0, 3])], 1).shape).toEqual([0, 5]);
    for (const dtype of DTYPES) {
      const y = concat([iota([2], dtype), iota([1], dtype, 1)]);
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual([0, 1, 1]);
    }
    const one = tensor([1, 2]);
    expect(concat([one]).toArray()).toEqual([1, 2]);
  });

  it('promotes dtypes', () => {
    const y = concat([tensor([1], { dtype: 'int32' }), tensor([2.5], f64)]);
    expect(y.dtype).toBe('float64');
    expect(y.toArray()).toEqual([1, 2.5]);
    expect(concat([tensor([true]), tensor([3], { dtype: 'int32' })]).dtype).toBe('int32');
  });

  it('throws ShapeError for mismatched shapes, AxisError for a bad axis', () => {
    const a = iota([2, 3]);
    expect(() => concat([a, iota([2, 4])], 0)).toThrow(new ShapeError('concat: [2,3] and [2,4] differ at axis 1 (3 vs 4)'));
    expect(() => concat([a, iota([2])])).toThrow(new ShapeError('concat: [2,3] and [2] differ in rank'));
    expect(() => concat([] as Tensor<number[]>[])).toThrow(new ShapeError('concat: needs at least one tensor'));
    expect(() => concat([a, a], 2)).toThrow(new AxisError('concat: axis 2 is out of range for rank 2'));
    expect(() => concat([iota([]), iota([])])).toThrow(new AxisError('concat: axis 0 is out of range for rank 0'));
  });

  it('agrees with the shape rule, and split undoes it (property)', () => {
    fc.assert(
      fc.property(arbJoinable, ({ axis, sizes, shapes }) => {
        let next = 0;
        const xs = shapes.map((s) => {
          const t = iota(s, 'float64', next);
          next += sizeOf(s);
          return t;
        });
        const before = xs.map(values);
        const y = concat(xs, axis);
        expect(y.shape).toEqual(concatShapes(shapes, axis));
        const parts = split(y, sizes, axis);
        expect(parts.map((p) => p.shape)).toEqual(shapes);
        parts.forEach((p, i) => expect(values(p)).toEqual(before[i]));
        xs.forEach((x, i) => expect(values(x)).toEqual(before[i]));
      }),
      seed,
    );
  });

  it('has exact first and second derivatives in each input', () => {
    checkGrads(
      (a: Tensor<[2, 1], 'float64'>, b: Tensor<[2, 2], 'float64'>) => sin(mul(concat([a, b, a], 1), concat([b, a, a], -1))),
      [tensor([[0.1], [0.2]], f64), tensor([[0.3, -0.4], [0.5, 0.6]], f64)],
      { order: 2 },
    );
  });
});

describe('stack', () => {
  it('joins along a new axis, in every dtype', () => {
    expect(stack([tensor([1, 2]), tensor([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor(1), tensor(2), tensor(3)]).toArray()).toEqual([1, 2, 3]);
    expect(stack([zeros([0]), zeros([0])], 1).shape).toEqual([0, 2]);
    expect(stack([tensor([5])]).toArray()).toEqual([[5]]);
    for (const dtype of DTYPES) {
      const y = stack([iota([2], dtype), iota([2], dtype, 2)], 1);
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual(dtype === 'bool' ? [0, 0, 1, 1] : [0, 2, 1, 3]);
    }
  });

  it('throws ShapeError for different shapes, AxisError for a bad axis', () => {
    expect(() => stack([iota([2, 3]), iota([2, 4])])).toThrow(new ShapeError('stack: [2,3] and [2,4] differ'));
    expect(() => stack([] as Tensor<number[]>[])).toThrow(new ShapeError('stack: needs at least one tensor'));
    expect(() => stack([iota([2, 3]), iota([2, 3])], 3)).toThrow(new AxisError('stack: axis 3 is out of range for rank 2 (a new axis goes at -3..2)'));
  });

  it('agrees with the shape rule (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: -5, max: 5 }), (s, n, ax) => {
        const xs = Array.from({ length: n }, (_, i) => iota(s, 'int32', i * 100));
        let want: number[] | Error;
        try {
          want = stackShapes(xs.map(() => s), ax);
        } catch (e) {
          want = e as Error;
        }
        if (want instanceof Error) {
          expect(() => stack(xs, ax)).toThrow(want);
          return;
        }
        const y = stack(xs, ax);
        expect(y.shape).toEqual(want);
        // each input is the slab at its position along the new axis
        const k = ax < 0 ? ax + s.length + 1 : ax;
        const parts = split(y, n, k);
        parts.forEach((p, i) => expect(values(p)).toEqual(values(xs[i]!)));
      }),
      seed,
    );
  });

  it('has exact first and second derivatives', () => {
    checkGrads(
      (a: Tensor<[2], 'float64'>, b: Tensor<[2], 'float64'>) => sin(mul(stack([a, b], -1), stack([b, a], 1))),
      [tensor([0.1, 0.2], f64), tensor([0.3, -0.4], f64)],
      { order: 2 },
    );
  });
});

describe('generic code (issue 15)', () => {
  // Sizes that are type parameters compile without a check; the ops check them when called.
  const rows = (n: number, m = 16) => iota([n, m]) as Tensor<[number, number]>;

  it('split: an axis whose size is a type parameter is checked at run time', () => {
    const halves = <B extends Dim>(h: Tensor<[B, 16]>) => split(h, 2);
    const [a, b] = halves(rows(4) as Tensor<[number, 16]>);
    expect(a.shape).toEqual([2, 16]);
    expect(values(b)).toEqual(values(iota([4, 16])).slice(32));
    expect(() => halves(rows(3) as Tensor<[number, 16]>)).toThrow(new ShapeError('split: axis of size 3 cannot be split into 2 equal parts'));
  });

  it('concat and matmul: a type-parameter dim against number is checked at run time', () => {
    const join = <B extends Dim>(a: Tensor<[B, 16]>, b: Tensor<[number, 16]>) => concat([a, b], 1);
    const project = <B extends Dim, K extends Dim>(x: Tensor<[B, K]>, w: Tensor<[number, 8]>) => matmul(x, w);
    expect(join(rows(2) as Tensor<[number, 16]>, rows(2) as Tensor<[number, 16]>).shape).toEqual([2, 32]);
    expect(() => join(rows(2) as Tensor<[number, 16]>, rows(3) as Tensor<[number, 16]>)).toThrow(
      new ShapeError('concat: [2,16] and [3,16] differ at axis 0 (2 vs 3)'),
    );
    expect(project(rows(2, 4), rows(4, 8) as Tensor<[number, 8]>).shape).toEqual([2, 8]);
    expect(() => project(rows(2, 4), rows(5, 8) as Tensor<[number, 8]>)).toThrow(
      new ShapeError('matmul: inner dimensions differ: [2,4] x [5,8]'),
    );
  });
});

describe('split', () => {
  it('cuts into equal parts or given sizes, along any axis, in every dtype', () => {
    const [a, b] = split(tensor([1, 2, 3, 4, 5]), [2, 3]);
    expect(a.toArray()).toEqual([1, 2]);
    expect(b.toArray()).toEqual([3, 4, 5]);
    expect(split(tensor([[1, 2], [3, 4]]), 2, 1).map((t) => t.toArray())).toEqual([[[1], [3]], [[2], [4]]]);
    expect(split(tensor([[1, 2], [3, 4]]), 2, -1).map((t) => t.toArray())).toEqual([[[1], [3]], [[2], [4]]]);
    expect(split(tensor([1, 2, 3]), [0, 3, 0]).map((t) => t.shape)).toEqual([[0], [3], [0]]);
    expect(split(tensor([1, 2, 3]), 1)[0].toArray()).toEqual([1, 2, 3]);
    expect(split(zeros([0, 2]), 2, 1).map((t) => t.shape)).toEqual([[0, 1], [0, 1]]);
    for (const dtype of DTYPES) {
      const parts = split(iota([4], dtype), 2);
      expect(parts.map((p) => p.dtype)).toEqual([dtype, dtype]);
      expect(parts.map(values)).toEqual(dtype === 'bool' ? [[0, 1], [0, 1]] : [[0, 1], [2, 3]]);
    }
  });

  it('throws ShapeError when the parts do not fit, AxisError for a bad axis', () => {
    const x = iota([5, 3]);
    expect(() => split(x, 2)).toThrow(new ShapeError('split: axis of size 5 cannot be split into 2 equal parts'));
    expect(() => split(x, [2, 2])).toThrow(new ShapeError('split: sizes [2,2] do not add up to 5 (axis 0 of [5,3])'));
    expect(() => split(x, 0)).toThrow(new ShapeError('split: cannot split into 0 parts'));
    expect(() => split(x, [6, -1])).toThrow(new ShapeError('split: invalid size -1 in [6,-1] (axis 0 of [5,3])'));
    expect(() => split(x, 1, 2)).toThrow(new AxisError('split: axis 2 is out of range for rank 2'));
  });

  it('agrees with the shape rule, and concat undoes it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.oneof(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })),
        (s, axRaw, spec) => {
          const ax = axRaw % s.length;
          const x = iota(s, 'float32');
          const before = values(x);
          let want: number[][] | Error;
          try {
            want = splitShapes(s, spec, ax);
          } catch (e) {
            want = e as Error;
          }
          if (want instanceof Error) {
            expect(() => split(x, spec, ax)).toThrow(want);
            return;
          }
          const parts = split(x, spec, ax);
          expect(parts.map((p) => p.shape)).toEqual(want);
          expect(values(concat(parts, ax))).toEqual(before);
          expect(values(x)).toEqual(before);
        },
      ),
      seed,
    );
  });

  it('has exact first and second derivatives (a tuple of outputs)', () => {
    checkGrads(
      (x: Tensor<[5], 'float64'>) => {
        const [a, b] = split(x, [2, 3]);
        return [sin(a), mul(b, b)] as const;
      },
      [tensor([0.1, 0.2, 0.3, -0.4, 0.5], f64)],
      { order: 2 },
    );
  });
});
