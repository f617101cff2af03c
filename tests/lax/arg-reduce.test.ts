import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/autodiff/grad.js';
import { jvp } from '../../src/autodiff/jvp.js';
import { AxisError, ValueError } from '../../src/core/errors.js';
import type { AnyTensor } from '../../src/core/tensor.js';
import { argmax, argmin, astype, mul, reduceSum } from '../../src/lax/index.js';
import { type Ref, arbCase, expectExact, make, pseudoRandom, ravel, reducedShapeOf, runs, sizeOf, unravel, untouched, valuesOf } from './helpers.js';

/** Naive arg-reduce: the first index along `axis` where `better(v, best)` last held; NaN beats everything, first NaN wins. */
function refArg(x: Ref, axis: number, keepdims: boolean, better: (a: number, b: number) => boolean): Ref {
  const shape = reducedShapeOf(x.shape, [axis], keepdims);
  const kept = reducedShapeOf(x.shape, [axis], true);
  const data = Array.from({ length: sizeOf(shape) }, (_, o) => {
    const idx = unravel(o, kept);
    let at = 0;
    for (let j = 1; j < x.shape[axis]!; j++) {
      const best = x.data[ravel(idx.map((c, k) => (k === axis ? at : c)), x.shape)]!;
      const v = x.data[ravel(idx.map((c, k) => (k === axis ? j : c)), x.shape)]!;
      if (Number.isNaN(best)) break;
      if (Number.isNaN(v) || better(v, best)) at = j;
    }
    return at;
  });
  return { data, shape };
}

const ops = [
  { name: 'argmax', f: argmax, better: (a: number, b: number) => a > b, extreme: 'maximum' },
  { name: 'argmin', f: argmin, better: (a: number, b: number) => a < b, extreme: 'minimum' },
] as const;

for (const { name, f, better, extreme } of ops) {
  describe(name, () => {
    it('matches the naive reference (first occurrence at ties), or throws for an empty axis', () => {
      fc.assert(
        fc.property(
          arbCase(1).chain((c) => fc.tuple(fc.integer({ min: 0, max: c.ref.shape.length - 1 }), fc.boolean()).map(([axis, keepdims]) => ({ ...c, axis, keepdims }))),
          ({ ref, dtype, axis, keepdims }) => {
            const x = make(ref.data, ref.shape, dtype);
            const want = refArg(ref, axis, keepdims, better);
            if (ref.shape[axis] === 0 && want.data.length > 0) {
              expect(() => f(x, axis, keepdims)).toThrow(
                new ValueError(`${name}: axis ${axis} of [${ref.shape.join(',')}] is empty and has no ${extreme}`),
              );
            } else {
              expectExact(untouched([x], () => f(x, axis, keepdims)), want, 'int32');
            }
          },
        ),
        runs(),
      );
    });

    it('picks the first NaN, in contiguous and strided layouts', () => {
      const x = make([1, NaN, 5, NaN, 2, 7, 0, 3, 9, 9, 1, NaN], [3, 4]);
      const ref = { data: valuesOf(x), shape: [3, 4] };
      expectExact(f(x, 1, false), refArg(ref, 1, false, better), 'int32');
      expectExact(f(x, 0, true), refArg(ref, 0, true, better), 'int32');
      expect(valuesOf(f(x, 1, false))).toEqual(name === 'argmax' ? [1, 1, 3] : [1, 2, 3]);
    });

    it('handles long rows and bool input', () => {
      const ref = { data: pseudoRandom(5 * 300, 13), shape: [5, 300] };
      for (const axis of [0, 1]) expectExact(f(make(ref.data, ref.shape), axis, false), refArg(ref, axis, false, better), 'int32');
      expectExact(f(make([0, 1, 1, 0], [4], 'bool'), 0, false), { data: [name === 'argmax' ? 1 : 0], shape: [] }, 'int32');
    });

    it('rejects an axis out of range', () => {
      expect(() => f(make([1, 2], [2]), 1, false)).toThrow(new AxisError(`${name}: axis 1 is out of range for rank 1`));
    });

    it('has a zero derivative', () => {
      const x = make([3, 1, 2, 5], [2, 2]);
      // Using the index as a weight: the loss's gradient comes from x alone.
      const g = grad(((t: AnyTensor) => reduceSum(mul(t, astype(f(t, 1, true), 'float64')), [0, 1], false)) as never)(x as never) as AnyTensor;
      expect(valuesOf(g)).toEqual(valuesOf(astype(f(x, 1, true), 'float64')).flatMap((i) => [i, i]));
      const [out, t] = jvp((y: AnyTensor) => f(y, 0, false), [x], [make([1, 1, 1, 1], [2, 2])]);
      expect(out.dtype).toBe('int32');
      expect(valuesOf(t)).toEqual([0, 0]);
    });
  });
}
