import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError, index, mul, sin, slice, tensor, zeros, type Dim, type Tensor } from '../../src/index.js';
import { resolveSlice, type SliceSpec } from '../../src/shape/index.js';
import { checkGrads } from '../../src/testing/index.js';
import { DTYPES, iota, sizeOf, values } from './helpers.js';

const seed = { seed: 7171, numRuns: 300 };
const f64 = { dtype: 'float64' } as const;

/**
 * The reference: per axis, the list of input positions read (NumPy
 * semantics without clamping), and whether the axis is kept; the values
 * of `iota(shape)` at the cartesian product are the flat positions.
 */
function reference(shape: readonly number[], specs: readonly SliceSpec[]): { shape: number[]; data: number[] } {
  const picks = shape.map((n, k) => {
    const spec = k < specs.length ? specs[k]! : null;
    if (spec === null) return { at: Array.from({ length: n }, (_, i) => i), keep: true };
    if (typeof spec === 'number') return { at: [spec < 0 ? spec + n : spec], keep: false };
    const [s, e, step = 1] = spec;
    const at: number[] = [];
    for (let i = s < 0 ? s + n : s; i < (e < 0 ? e + n : e); i += step) at.push(i);
    return { at, keep: true };
  });
  const strides = shape.map((_, k) => sizeOf(shape.slice(k + 1)));
  let data = [0];
  picks.forEach((p, k) => (data = data.flatMap((base) => p.at.map((i) => base + i * strides[k]!))));
  return { shape: picks.filter((p) => p.keep).map((p) => p.at.length), data };
}

/** A shape and specs that are mostly valid (bounds one past each end are included). */
const arbSliceCase = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }).chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc
      .tuple(...shape.map((n) => {
        const pos = fc.integer({ min: -n - 1, max: n + 1 });
        return fc.oneof(
          fc.constant(null),
          fc.integer({ min: -n - 1, max: n }),
          fc.tuple(pos, pos).map(([a, b]): SliceSpec => [a, b]),
          fc.tuple(pos, pos, fc.integer({ min: 0, max: 3 })).map(([a, b, c]): SliceSpec => [a, b, c]),
        );
      }))
      .chain((specs) => fc.integer({ min: 0, max: specs.length }).map((m) => specs.slice(0, m) as SliceSpec[])),
  ),
);

describe('slice', () => {
  const x = tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);

  it('keeps ranges, picks indices and steps, in every dtype', () => {
    expect(slice(x, [null, [1, 3]]).toArray()).toEqual([[2, 3], [6, 7]]);
    expect(slice(x, [1, [0, 4, 2]]).toArray()).toEqual([5, 7]);
    expect(slice(x, [[-1, 2]]).toArray()).toEqual([[5, 6, 7, 8]]);
    expect(slice(x, [0, -1]).item()).toBe(4);
    expect(slice(x, [null, [-3, -1]]).toArray()).toEqual([[2, 3], [6, 7]]);
    expect(slice(x, [null, [0, 4, 3]]).toArray()).toEqual([[1, 4], [5, 8]]);
    expect(slice(x, []).toArray()).toEqual(x.toArray());
    expect(slice(x, [[1, 1]]).shape).toEqual([0, 4]);
    expect(slice(tensor(3), []).item()).toBe(3);
    expect(slice(zeros([0, 3]), [null, [1, 3]]).shape).toEqual([0, 2]);
    for (const dtype of DTYPES) {
      const y = slice(iota([2, 3], dtype), [[0, 2], [1, 3]]);
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual(dtype === 'bool' ? [1, 0, 0, 1] : [1, 2, 4, 5]);
    }
  });

  it('throws ShapeError with the compile-time messages', () => {
    const big = iota([10, 20]);
    expect(() => slice(big, [[0, 11]])).toThrow(new ShapeError('slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])'));
    expect(() => slice(big, [null, 20])).toThrow(new ShapeError('slice: index 20 is out of bounds for axis 1 with size 20 (shape [10,20])'));
    expect(() => slice(big, [null, -21])).toThrow(new ShapeError('slice: index -21 is out of bounds for axis 1 with size 20 (shape [10,20])'));
    expect(() => slice(big, [[0, 5, 0]])).toThrow(new ShapeError('slice: step 0 must be >= 1 (axis 0)'));
    expect(() => slice(big, [[5, 2]])).toThrow(new ShapeError('slice [5, 2) ends before it starts on axis 0 with size 10 (shape [10,20])'));
    expect(() => slice(big, [null, null, 0])).toThrow(new ShapeError('slice: 3 specs for [10,20] of rank 2'));
    expect(() => slice(big, [0.5])).toThrow(new ShapeError('slice: index 0.5 is not an integer'));
  });

  it('checks at run time the bounds that generic code leaves unknown at compile time', () => {
    // The axis size is a type parameter: these compile (issue 15), and the sizes are checked when called.
    const rows = (n: number) => iota([n, 16]) as Tensor<[number, 16]>;
    const inner = <L extends Dim>(q: Tensor<[L, 16]>) => slice(q, [[1, -1]]);
    const head = <L extends Dim>(q: Tensor<[L, 16]>) => slice(q, [[0, 4]]);
    expect(inner(rows(5)).shape).toEqual([3, 16]);
    expect(head(rows(5)).shape).toEqual([4, 16]);
    expect(values(head(rows(5)))).toEqual(values(iota([4, 16])));
    expect(() => inner(rows(1))).toThrow(new ShapeError('slice [1, -1) ends before it starts on axis 0 with size 1 (shape [1,16])'));
    expect(() => inner(rows(0))).toThrow(new ShapeError('slice [1, -1) is out of bounds for axis 0 with size 0 (shape [0,16])'));
    expect(() => head(rows(3))).toThrow(new ShapeError('slice [0, 4) is out of bounds for axis 0 with size 3 (shape [3,16])'));
  });

  it('agrees with the shape rule and a naive reference, without mutating (property)', () => {
    fc.assert(
      fc.property(arbSliceCase, ([shape, specs]) => {
        const t = iota(shape, 'float64');
        const before = values(t);
        let plan: number[] | Error;
        try {
          plan = resolveSlice(shape, specs).shape;
        } catch (e) {
          plan = e as Error;
        }
        if (plan instanceof Error) {
          expect(() => slice(t, specs)).toThrow(plan);
          return;
        }
        const y = slice(t, specs);
        const want = reference(shape, specs);
        expect(y.shape).toEqual(plan);
        expect(y.shape).toEqual(want.shape);
        expect(values(y)).toEqual(want.data);
        expect(values(t)).toEqual(before);
      }),
      seed,
    );
  });

  it('has exact first and second derivatives', () => {
    const t = tensor([[0.1, 0.2, 0.3, 0.4], [0.5, -0.6, 0.7, 0.8]], f64);
    checkGrads((a: Tensor<[2, 4], 'float64'>) => sin(mul(slice(a, [null, [0, 4, 2]]), slice(a, [[0, 2], [1, 3]]))), [t], { order: 2 });
    checkGrads((a: Tensor<[2, 4], 'float64'>) => mul(slice(a, [1, -1]), slice(a, [0, [1, 2]])), [t], { order: 2 });
  });
});

describe('index', () => {
  it('picks along the first axis and drops it, in every dtype', () => {
    expect(index(tensor([[1, 2], [3, 4]]), 1).toArray()).toEqual([3, 4]);
    expect(index(tensor([[1, 2], [3, 4]]), -2).toArray()).toEqual([1, 2]);
    expect(index(tensor([1, 2, 3]), -1).item()).toBe(3);
    expect(index(zeros([2, 0]), 1).shape).toEqual([0]);
    for (const dtype of DTYPES) {
      const y = index(iota([3, 2], dtype), 1);
      expect(y.dtype).toBe(dtype);
      expect(values(y)).toEqual(dtype === 'bool' ? [0, 1] : [2, 3]);
    }
  });

  it('throws ShapeError out of bounds and on a scalar', () => {
    expect(() => index(iota([10, 20]), 10)).toThrow(new ShapeError('index: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])'));
    expect(() => index(iota([10, 20]), -11)).toThrow(new ShapeError('index: index -11 is out of bounds for axis 0 with size 10 (shape [10,20])'));
    expect(() => index(iota([0]), 0)).toThrow(ShapeError);
    expect(() => index(iota([]), 0)).toThrow(new ShapeError('index: 1 specs for [] of rank 0'));
  });

  it('checks at run time an index on an axis whose size is a type parameter', () => {
    const last = <L extends Dim>(q: Tensor<[L, 16]>) => index(q, -1);
    const rows = (n: number) => iota([n, 16]) as Tensor<[number, 16]>;
    expect(values(last(rows(2)))).toEqual(values(iota([2, 16])).slice(16));
    expect(() => last(rows(0))).toThrow(new ShapeError('index: index -1 is out of bounds for axis 0 with size 0 (shape [0,16])'));
  });

  it('has exact first and second derivatives', () => {
    checkGrads((a: Tensor<[2, 2], 'float64'>) => sin(mul(index(a, 0), index(a, -1))), [tensor([[0.1, 0.2], [0.3, 0.4]], f64)], { order: 2 });
  });
});
