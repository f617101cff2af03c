import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, DTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { gather, scatterAdd } from '../../src/lax/index.js';
import { type Ref, arbCase, arbValues, checkDerivatives, expectExact, ints, make, pseudoRandom, ravel, runs, sizeOf, unravel, untouched } from './helpers.js';

/** The gathered shape: x's dims with `axis` replaced by the index dims. */
const takeShape = (shape: readonly number[], ishape: readonly number[], axis: number): number[] => [
  ...shape.slice(0, axis),
  ...ishape,
  ...shape.slice(axis + 1),
];

/** Naive take: out[a, j, b] = x[a, idx[j] (mod n), b]. */
function refTake(x: Ref, idx: Ref, axis: number): Ref {
  const shape = takeShape(x.shape, idx.shape, axis);
  const n = x.shape[axis]!;
  const r = idx.shape.length;
  const data = Array.from({ length: sizeOf(shape) }, (_, o) => {
    const i = unravel(o, shape);
    const j = i.slice(axis, axis + r);
    const k = idx.data[ravel(j, idx.shape)]!;
    return x.data[ravel([...i.slice(0, axis), k < 0 ? k + n : k, ...i.slice(axis + r)], x.shape)]!;
  });
  return { data, shape };
}

/** Naive scatter-add: zeros of `shape`, then out[a, idx[j], b] += u[a, j, b]. */
function refScatterAdd(u: Ref, idx: Ref, axis: number, shape: readonly number[]): Ref {
  const n = shape[axis]!;
  const r = idx.shape.length;
  const data = new Array<number>(sizeOf(shape)).fill(0);
  for (let o = 0; o < u.data.length; o++) {
    const i = unravel(o, u.shape);
    const k = idx.data[ravel(i.slice(axis, axis + r), idx.shape)]!;
    data[ravel([...i.slice(0, axis), k < 0 ? k + n : k, ...i.slice(axis + r)], shape)]! += u.data[o]!;
  }
  return { data, shape };
}

/** x of rank 1..4, an axis, and indices of rank 0..2 in [-n, n) (empty when n = 0). */
const arbTake = arbCase(1, 4).chain(({ ref, dtype }) =>
  fc.integer({ min: 0, max: ref.shape.length - 1 }).chain((axis) => {
    const n = ref.shape[axis]!;
    return fc
      // With n = 0 no index is valid: the index shape has a 0 dim.
      .array(fc.integer({ min: n === 0 ? 0 : 1, max: n === 0 ? 0 : 3 }), { minLength: n === 0 ? 1 : 0, maxLength: 2 })
      .chain((ishape) =>
        fc
          .array(fc.integer({ min: -n, max: Math.max(n - 1, -n) }), { minLength: sizeOf(ishape), maxLength: sizeOf(ishape) })
          .map((data) => ({ ref, dtype, axis, idx: { data, shape: ishape } as Ref })),
      );
  }),
);

describe('gather (take)', () => {
  it('matches the naive reference, with negative and repeated indices', () => {
    fc.assert(
      fc.property(arbTake, ({ ref, dtype, axis, idx }) => {
        const x = make(ref.data, ref.shape, dtype);
        const i = ints(idx.data, idx.shape);
        expectExact(untouched([x, i], () => gather(x, i, axis)), refTake(ref, idx, axis), dtype);
      }),
      runs(),
    );
  });

  it('copies long inner runs', () => {
    const ref = { data: pseudoRandom(4 * 3 * 80, 9), shape: [4, 3, 80] };
    const idx = { data: [2, -1, 0, 3, 3], shape: [5] };
    expectExact(gather(make(ref.data, ref.shape), ints(idx.data), 0), refTake(ref, idx, 0), 'float64');
    expectExact(gather(make(ref.data, ref.shape, 'float32'), ints([1, 0], [2]), 1), refTake(ref, { data: [1, 0], shape: [2] }, 1), 'float32');
  });

  it('rejects out-of-range indices, non-int32 indices and bad axes', () => {
    const x = make([1, 2, 3, 4, 5], [5]);
    expect(() => gather(x, ints([0, 7]), 0)).toThrow(new ValueError('take: index 7 is out of range for axis 0 with size 5'));
    expect(() => gather(x, ints([-6]), 0)).toThrow(new ValueError('take: index -6 is out of range for axis 0 with size 5'));
    expect(() => gather(make([], [0, 2]), ints([0]), 0)).toThrow(new ValueError('take: index 0 is out of range for axis 0 with size 0'));
    expect(() => gather(x, make([0, 1], [2], 'float32'), 0)).toThrow(new DTypeError('take: indices must be int32, got float32'));
    expect(() => gather(x, ints([0]), 1)).toThrow(new AxisError('take: axis 1 is out of range for rank 1'));
  });

  it('has derivatives matching finite differences (duplicates accumulate)', () => {
    const x = make(pseudoRandom(12, 51), [3, 4]);
    checkDerivatives((t) => gather(t, ints([1, -1, 1, 0], [2, 2]), 1), x);
    checkDerivatives((t) => gather(t, ints([2, 2, 0]), 0), x);
    checkDerivatives((t) => gather(t, ints([1], []), 0), x);
  });
});

describe('scatterAdd', () => {
  it('matches the naive reference, accumulating duplicates', () => {
    fc.assert(
      fc.property(
        arbTake.chain(({ ref, dtype, axis, idx }) => {
          const ushape = takeShape(ref.shape, idx.shape, axis);
          return arbValues(sizeOf(ushape), dtype).map((data) => ({ shape: ref.shape, dtype, axis, idx, u: { data, shape: ushape } as Ref }));
        }),
        ({ shape, dtype, axis, idx, u }) => {
          const ut = make(u.data, u.shape, dtype);
          const i = ints(idx.data, idx.shape);
          expectExact(untouched([ut, i], () => scatterAdd(ut, i, { axis, shape })), refScatterAdd(u, idx, axis, shape), dtype);
        },
      ),
      runs(),
    );
  });

  it('rejects updates of the wrong shape and bad indices', () => {
    const u = make([1, 2, 3], [3]);
    expect(() => scatterAdd(u, ints([0, 1]), { axis: 0, shape: [4] })).toThrow(
      new ShapeError('scatterAdd: updates of shape [3] do not fit indices [2] into [4] along axis 0: expected [2]'),
    );
    expect(() => scatterAdd(u, ints([0, 1, 4]), { axis: 0, shape: [4] })).toThrow(
      new ValueError('scatterAdd: index 4 is out of range for axis 0 with size 4'),
    );
    expect(() => scatterAdd(u, make([0, 1, 2], [3]), { axis: 0, shape: [4] })).toThrow(
      new DTypeError('scatterAdd: indices must be int32, got float64'),
    );
  });

  it('has derivatives matching finite differences', () => {
    const u = make(pseudoRandom(6, 61), [2, 3]);
    checkDerivatives((t) => scatterAdd(t, ints([0, 2, 0]), { axis: 1, shape: [2, 4] }), u);
  });
});
