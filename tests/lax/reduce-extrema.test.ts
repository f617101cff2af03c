import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTypeError, ValueError } from '../../src/core/errors.js';
import { grad } from '../../src/autodiff/grad.js';
import { jvp } from '../../src/autodiff/jvp.js';
import type { AnyTensor } from '../../src/core/tensor.js';
import { mul, reduceMax, reduceMin, reduceSum, sin } from '../../src/lax/index.js';
import { arbReduceCase, checkDerivatives, expectClose, expectExact, make, pseudoRandom, refReduce, runs, untouched, valuesOf } from './helpers.js';

/** NaN-propagating max and min, like NumPy's. */
const nanMax = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
const nanMin = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));

const ops = [
  { name: 'max', f: reduceMax, fold: nanMax, init: -Infinity },
  { name: 'min', f: reduceMin, fold: nanMin, init: Infinity },
] as const;

const sumAll = (t: AnyTensor): AnyTensor => reduceSum(t, t.shape.map((_, k) => k), false);

for (const { name, f, fold, init } of ops) {
  describe(`reduce ${name}`, () => {
    it('matches the naive reference over random axes, or throws for an empty reduction', () => {
      fc.assert(
        fc.property(arbReduceCase(), ({ ref, dtype, axes, keepdims }) => {
          const x = make(ref.data, ref.shape, dtype);
          const want = refReduce(ref, axes, keepdims, init, fold);
          const emptyAxis = axes.find((a) => ref.shape[a] === 0);
          if (emptyAxis !== undefined && want.data.length > 0 && axes.length > 0) {
            expect(() => f(x, axes, keepdims)).toThrow(
              new ValueError(`${name}: zero-size reduction over axis ${emptyAxis} of [${ref.shape.join(',')}] has no identity`),
            );
          } else {
            expectExact(untouched([x], () => f(x, axes, keepdims)), want, dtype);
          }
        }),
        runs(),
      );
    });

    it('propagates NaN from anywhere in the reduced set', () => {
      fc.assert(
        fc.property(
          arbReduceCase(1).filter(({ ref, dtype }) => dtype !== 'int32' && ref.data.length > 0 && !ref.shape.includes(0)),
          fc.nat(),
          ({ ref, dtype, axes, keepdims }, at) => {
            const data = ref.data.slice();
            data[at % data.length] = NaN;
            const nan = { data, shape: ref.shape };
            expectExact(f(make(data, ref.shape, dtype), axes, keepdims), refReduce(nan, axes, keepdims, init, fold), dtype);
          },
        ),
        runs(100),
      );
    });

    it('reduces long contiguous and strided rows', () => {
      const ref = { data: pseudoRandom(6 * 200, 4), shape: [6, 200] };
      for (const axes of [[0], [1], [0, 1]]) expectExact(f(make(ref.data, ref.shape), axes, false), refReduce(ref, axes, false, init, fold), 'float64');
    });

    it('rejects bool input and empty reductions with exact messages', () => {
      expect(() => f(make([1, 0], [2], 'bool'), [0], false)).toThrow(new DTypeError(`${name}: expected a numeric tensor, got bool`));
      expect(() => f(make([], [0, 3]), [0], false)).toThrow(new ValueError(`${name}: zero-size reduction over axis 0 of [0,3] has no identity`));
      // An empty result needs no identity.
      expect(f(make([], [0, 3]), [1], false).shape).toEqual([0]);
    });

    it('has derivatives matching finite differences away from ties', () => {
      const x = make(pseudoRandom(24, 71), [2, 3, 4]);
      checkDerivatives((t) => f(t, [1], false), x);
      checkDerivatives((t) => f(t, [0, 2], true), x);
      checkDerivatives((t) => f(t, [0, 1, 2], false), x);
    });
  });
}

describe('reduce max/min at ties', () => {
  // Row 0 ties twice at its max 3 and once at its min 1; row 1 ties three times.
  const x = make([3, 1, 3, 2, 2, 2], [2, 3]);
  const v = make([0.5, -1, 2, 3, 1, -4], [2, 3]);

  it('split the gradient evenly among tied maxima (as JAX does)', () => {
    const g = grad(((t: AnyTensor) => sumAll(reduceMax(t, [1], false))) as never)(x as never) as AnyTensor;
    expectClose(valuesOf(g), [0.5, 0, 0.5, 1 / 3, 1 / 3, 1 / 3]);
    const gMin = grad(((t: AnyTensor) => sumAll(reduceMin(t, [0, 1], false))) as never)(x as never) as AnyTensor;
    expectClose(valuesOf(gMin), [0, 1, 0, 0, 0, 0]);
  });

  it('give the mean of the tied tangents in forward mode', () => {
    const [, t] = jvp((y: AnyTensor) => reduceMax(y, [1], true), [x], [v]);
    expect(t.shape).toEqual([2, 1]);
    expectClose(valuesOf(t), [(0.5 + 2) / 2, (3 + 1 - 4) / 3]);
  });

  it('have the analytic second derivative: H v = -sin(m) w (w . v) per row', () => {
    // L = sum_rows sin(max_row(x)); grad L = cos(m) w, with w the tie weights.
    const loss = (t: AnyTensor): AnyTensor => sumAll(sin(reduceMax(t, [1], false)));
    const G = (t: AnyTensor): AnyTensor => grad(loss as never)(t as never) as AnyTensor;
    const w = [0.5, 0, 0.5, 1 / 3, 1 / 3, 1 / 3];
    const wv = [0.5 * 0.5 + 0.5 * 2, (3 + 1 - 4) / 3];
    const want = w.map((wi, i) => -Math.sin(i < 3 ? 3 : 2) * wi * wv[i < 3 ? 0 : 1]!);
    expectClose(valuesOf(G(x)), w.map((wi, i) => Math.cos(i < 3 ? 3 : 2) * wi));
    expectClose(valuesOf(grad(((t: AnyTensor) => sumAll(mul(G(t), v))) as never)(x as never) as AnyTensor), want);
    expectClose(valuesOf(jvp(G, [x], [v])[1]), want);
  });
});
