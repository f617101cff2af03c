import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, DTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { concat, mul, sin, type AnyTensorLike } from '../../src/lax/index.js';
import { type Ref, arbDType, arbValues, checkDerivatives, expectExact, make, pseudoRandom, ravel, runs, sizeOf, unravel, untouched } from './helpers.js';

/** Naive concat: output index i along `axis` belongs to the first input whose running total passes i. */
function refConcat(xs: readonly Ref[], axis: number): Ref {
  const shape = xs[0]!.shape.slice();
  shape[axis] = xs.reduce((p, x) => p + x.shape[axis]!, 0);
  const data = Array.from({ length: sizeOf(shape) }, (_, o) => {
    const i = unravel(o, shape);
    let at = i[axis]!;
    for (const x of xs) {
      if (at < x.shape[axis]!) {
        const j = i.slice();
        j[axis] = at;
        return x.data[ravel(j, x.shape)]!;
      }
      at -= x.shape[axis]!;
    }
    throw new Error('unreachable');
  });
  return { data, shape };
}

/** 1 to 4 inputs of one rank (1..4) and dtype, equal except along a random axis. */
const arbInputs = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), arbDType, fc.integer({ min: 1, max: 4 }))
  .chain(([base, dtype, count]) =>
    fc.integer({ min: 0, max: base.length - 1 }).chain((axis) =>
      fc
        .array(
          fc.integer({ min: 0, max: 3 }).chain((d) => {
            const shape = base.slice();
            shape[axis] = d;
            return arbValues(sizeOf(shape), dtype).map((data): Ref => ({ data, shape }));
          }),
          { minLength: count, maxLength: count },
        )
        .map((refs) => ({ refs, dtype, axis })),
    ),
  );

describe('concat', () => {
  it('matches the naive reference on random inputs, axes and dtypes', () => {
    fc.assert(
      fc.property(arbInputs, ({ refs, dtype, axis }) => {
        const xs = refs.map((r) => make(r.data, r.shape, dtype));
        expectExact(untouched(xs, () => concat(xs, axis)), refConcat(refs, axis), dtype);
      }),
      runs(),
    );
  });

  it('copies long runs', () => {
    const a = { data: pseudoRandom(2 * 100, 1), shape: [2, 100] };
    const b = { data: pseudoRandom(2 * 70, 2), shape: [2, 70] };
    const c = { data: pseudoRandom(3 * 100, 3), shape: [3, 100] };
    expectExact(concat([make(a.data, a.shape), make(b.data, b.shape)], 1), refConcat([a, b], 1), 'float64');
    expectExact(concat([make(a.data, a.shape), make(c.data, c.shape)], 0), refConcat([a, c], 0), 'float64');
  });

  it('returns a single input itself', () => {
    const x = make([1, 2], [2]);
    expect(concat([x], 0)).toBe(x);
  });

  it('rejects mismatched ranks, dims, dtypes and axes', () => {
    const a = make([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => concat([a, make([1, 2, 3], [3])], 0)).toThrow(new ShapeError('concat: ranks differ: [2,3] and [3]'));
    expect(() => concat([a, make([1, 2, 3, 4, 5, 6], [3, 2])], 0)).toThrow(new ShapeError('concat: [2,3] and [3,2] differ outside axis 0'));
    expect(() => concat([a, make([1, 2, 3], [1, 3], 'int32')], 0)).toThrow(new DTypeError('concat: dtypes differ: float64 and int32'));
    expect(() => concat([a, a], 2)).toThrow(new AxisError('concat: axis 2 is out of range for rank 2'));
    expect(() => concat([make([1], []), make([2], [])], 0)).toThrow(new AxisError('concat: axis 0 is out of range for rank 0'));
    expect(() => concat([], 0)).toThrow(new ValueError('concat: needs at least one tensor'));
  });

  it('has derivatives matching finite differences, with constant and repeated inputs', () => {
    const c = make(pseudoRandom(4, 41), [2, 2]);
    const x = make(pseudoRandom(6, 42), [2, 3]);
    // A constant block gets a zero tangent and no cotangent; x appears twice.
    checkDerivatives((t: AnyTensorLike) => concat([t, c, sin(t)], 1), x);
    checkDerivatives((t: AnyTensorLike) => concat([mul(t, t), t], 0), x);
    checkDerivatives((t: AnyTensorLike) => concat([c, t], 1), x);
  });
});
