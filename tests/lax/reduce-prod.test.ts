import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad } from '../../src/autodiff/grad.js';
import { jvp } from '../../src/autodiff/jvp.js';
import type { AnyTensor } from '../../src/core/tensor.js';
import { mul, reduceProd, reduceSum } from '../../src/lax/index.js';
import { arbReduceCase, checkDerivatives, expectClose, expectExact, make, pseudoRandom, refReduce, runs, untouched, valuesOf } from './helpers.js';

const sumAll = (t: AnyTensor): AnyTensor => reduceSum(t, t.shape.map((_, k) => k), false);

/** Powers of two (and zero): every product is exact in float64 and float32 (and in int32 where it fits). */
const POW2 = [-2, -1, -0.5, 0, 0.5, 1, 2];
const INT = [-2, -1, 0, 1, 2];

describe('reduceProd', () => {
  it('matches the naive reference over random axes (an int32 product that does not fit is refused)', () => {
    fc.assert(
      fc.property(
        arbReduceCase().chain((c) =>
          fc
            .array(fc.constantFrom(...(c.dtype === 'int32' ? INT : POW2)), { minLength: c.ref.data.length, maxLength: c.ref.data.length })
            .map((data) => ({ ...c, ref: { data, shape: c.ref.shape } })),
        ),
        ({ ref, dtype, axes, keepdims }) => {
          const x = make(ref.data, ref.shape, dtype);
          const expected = refReduce(ref, axes, keepdims, 1, (a: number, b: number) => a * b);
          // An int32 product that int32 cannot hold is refused, not wrapped (NumPy would widen it to int64).
          if (dtype === 'int32' && expected.data.some((v) => v > 2 ** 31 - 1 || v < -(2 ** 31))) {
            expect(() => reduceProd(x, axes, keepdims)).toThrow(/^prod: the int32 result -?\d+ does not fit int32/);
            return;
          }
          expectExact(untouched([x], () => reduceProd(x, axes, keepdims)), expected, dtype);
        },
      ),
      runs(),
    );
  });

  it('gives 1 over an empty set and int32 for bool input', () => {
    expectExact(reduceProd(make([], [2, 0]), [1], false), { data: [1, 1], shape: [2] }, 'float64');
    expectExact(reduceProd(make([1, 0, 1, 1, 1, 1], [2, 3], 'bool'), [1], false), { data: [0, 1], shape: [2] }, 'int32');
    expect(() => reduceProd(make([65536, 65536, 3], [3], 'int32'), [0], false)).toThrow(/^prod: the int32 result 12884901888 does not fit int32/);
  });

  it('has derivatives matching finite differences, with and without zeros', () => {
    const base = pseudoRandom(24, 81).map((v) => v + Math.sign(v) * 0.5);
    const oneZero = base.slice();
    oneZero[5] = 0;
    const zeros = oneZero.slice();
    zeros[6] = 0; // two zeros in one row of axis 2 and in one column of axis 1
    zeros[17] = 0;
    for (const data of [base, oneZero, zeros]) {
      const x = make(data, [2, 3, 4]);
      checkDerivatives((t) => reduceProd(t, [2], false), x);
      checkDerivatives((t) => reduceProd(t, [0, 1], true), x);
      checkDerivatives((t) => reduceProd(t, [1], false), x);
    }
    checkDerivatives((t) => reduceProd(t, [0], false), make([0.5, 0, -1.5], [3]));
    checkDerivatives((t) => reduceProd(t, [0], false), make([0, 0, 1.5], [3]));
  });

  it('has the analytic gradient and Hessian at inputs with zeros', () => {
    const v = make([1, 2, 3, 4], [4]);
    const loss = (t: AnyTensor): AnyTensor => reduceProd(t, [0], false);
    const G = (t: AnyTensor): AnyTensor => grad(loss as never)(t as never) as AnyTensor;
    const hvp = (t: AnyTensor): number[] => valuesOf(grad(((u: AnyTensor) => sumAll(mul(G(u), v))) as never)(t as never) as AnyTensor);
    // x = [2, 0, 3, 4]: only d/dx1 survives; H_ij = prod of the others but i, j, non-zero only when x1 is one of them.
    const x1 = make([2, 0, 3, 4], [4]);
    expectClose(valuesOf(G(x1)), [0, 24, 0, 0]);
    // H = [[0,12,0,0],[12,0,8,6],[0,8,0,0],[0,6,0,0]], so H v = [24, 12 + 24 + 24, 16, 12].
    expectClose(hvp(x1), [24, 60, 16, 12]);
    expectClose(valuesOf(jvp(G, [x1], [v])[1]), [24, 60, 16, 12]);
    // x = [0, 0, 3]: the gradient vanishes, but H_01 = 3.
    const x2 = make([0, 0, 3], [3]);
    const v2 = make([1, 2, 3], [3]);
    expectClose(valuesOf(G(x2)), [0, 0, 0]);
    expectClose(valuesOf(jvp(G, [x2], [v2])[1]), [6, 3, 0]);
    // Forward mode: d prod = sum_i prod_{j != i} x_j dx_i.
    expectClose(valuesOf(jvp(loss, [x1], [v])[1]), [24 * 2]);
  });

  it('has the product-of-others gradient along long axes (the scan crosses several powers of two)', () => {
    for (const n of [1, 2, 3, 37, 64]) {
      const data = pseudoRandom(2 * n, n).map((u) => 1 + u / 4);
      const g = valuesOf(grad(((t: AnyTensor) => sumAll(reduceProd(t, [1], false))) as never)(make(data, [2, n]) as never) as AnyTensor);
      const want = data.map((_, i) => {
        const row = Math.floor(i / n);
        let p = 1;
        for (let j = 0; j < n; j++) if (row * n + j !== i) p *= data[row * n + j]!;
        return p;
      });
      expectClose(g, want, 1e-12, 0);
      expect(g.length).toBe(2 * n);
    }
  });
});
