import { describe, expect, it } from 'vitest';
import { jacfwd, jacrev, hessian, jvp, vjp, tensor, mul, sum, sin, exp, tanh, matmul, stack, reshape, type Tensor } from '../../src/index.js';
import { checkGrads } from '../../src/testing/index.js';

type V3 = Tensor<[3], 'float64'>;
const x = tensor([0.1, -0.7, 1.3], { dtype: 'float64' });

describe('jacobians', () => {
  it('jacrev and jacfwd agree with the analytic Jacobian of an elementwise map', () => {
    const f = (v: V3) => mul(sin(v), 2);
    const want = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 2 * Math.cos(x.toArray()[i]!) : 0)));
    expect(jacrev(f)(x)).toBeAllclose(want, { rtol: 1e-12 });
    expect(jacfwd(f)(x)).toBeAllclose(want, { rtol: 1e-12 });
  });

  it('gives shape [...Out, ...In] for a matrix-valued function', () => {
    const f = (v: V3) => mul(tensor([[1], [2]], { dtype: 'float64' }), v); // [2, 3]
    const j = jacrev(f)(x);
    expect(j.shape).toEqual([2, 3, 3]);
    expect(jacfwd(f)(x)).toBeAllclose(j);
    expect(j.toArray()[1]![2]).toEqual([0, 0, 2]);
  });

  it('hessian of sum(exp(x) * x) is diagonal (2 + x) exp(x)', () => {
    const f = (v: V3) => sum(mul(exp(v), v));
    const h = hessian(f)(x);
    expect(h.shape).toEqual([3, 3]);
    const xs = x.toArray();
    expect(h).toBeAllclose([0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? (2 + xs[i]!) * Math.exp(xs[i]!) : 0))), { rtol: 1e-12 });
  });

  it('hessian of a quadratic form x^T A x is A + A^T', () => {
    const a = tensor([[1, 2, 0], [0, 3, 1], [4, 0, 5]], { dtype: 'float64' });
    // sum_ij A_ij v_i v_j, written with broadcasting: A * v (rows) * v (columns).
    const g = (v: V3) => sum(mul(mul(a, v), tensorCol(v)));
    expect(hessian(g)(x)).toBeAllclose([[2, 2, 4], [2, 6, 1], [4, 1, 10]], { rtol: 1e-12 });
  });
});

function tensorCol(v: V3): Tensor<[3, 1], 'float64'> {
  // A column view of v, differentiable: reshape via mul with ones of [3, 1] then sum over the last axis.
  return sum(mul(tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]], { dtype: 'float64' }), v), 1, true);
}

describe('jacobians built on vmap', () => {
  const W = tensor([[0.3, -1.2, 0.5, 2], [1, 0.25, -0.5, 0.1], [-0.7, 0.4, 0.9, -1.1]], { dtype: 'float64' });
  // R^4 -> R^[3, 2]: a mix of matmul, elementwise and movement ops.
  const f = (v: Tensor<[4], 'float64'>) => {
    const h = tanh(matmul(W, v)); // [3]
    return stack([mul(h, h), sin(mul(h, 3))], 1); // [3, 2]
  };
  const x4 = tensor([0.2, -0.4, 1.1, 0.6], { dtype: 'float64' });

  /** The loop definition: row i is the pullback of e_i; column j the JVP along e_j. */
  function loopJacobian(): number[][][] {
    const [y, pullback] = vjp(f, x4);
    const rows: number[][] = [];
    for (let i = 0; i < y.size; i++) {
      const e = new Float64Array(y.size);
      e[i] = 1;
      rows.push(Array.from(pullback(reshape(tensor(Array.from(e), { dtype: 'float64' }), [3, 2]))[0].toTypedArray()));
    }
    return [0, 1, 2].map((a) => [0, 1].map((b) => rows[a * 2 + b]!));
  }

  it('jacrev and jacfwd equal the loop over basis vectors, for a non-square function of shape [3, 2]', () => {
    const want = loopJacobian();
    const jr = jacrev(f)(x4), jf = jacfwd(f)(x4);
    expect(jr.shape).toEqual([3, 2, 4]);
    expect(jr).toBeAllclose(want, { rtol: 1e-12, atol: 1e-14 });
    expect(jf).toBeAllclose(want, { rtol: 1e-12, atol: 1e-14 });
    const col = jvp(f, [x4], [tensor([0, 0, 1, 0], { dtype: 'float64' })])[1];
    expect(col).toBeAllclose(want.map((r) => r.map((c) => c[2]!)), { rtol: 1e-12 });
  });

  it('one Jacobian function called again with other shapes and dtypes gives each call its own Jacobian (the kept identity is never stale)', () => {
    // The elementwise square: J = diag(2 v), whatever the shape and dtype of v.
    const sq = (v: Tensor<number[], 'float32' | 'float64'>) => mul(v, v);
    const jr = jacrev(sq as never) as (v: unknown) => Tensor<number[]>, jf = jacfwd(sq as never) as (v: unknown) => Tensor<number[]>;
    const calls = [
      tensor([1, 2, 3], { dtype: 'float64' }), tensor([1, 2, 3]), tensor([0.5, -1, 2, 4]), tensor([[1, 2], [3, 4]]),
      tensor([1, 2, 3], { dtype: 'float64' }), tensor([3, -2, 1], { dtype: 'float64' }),
    ];
    for (const v of calls) {
      const before = Array.from(v.toTypedArray());
      const vs = before.flat();
      const want = vs.map((a, i) => vs.map((_, j) => (i === j ? 2 * a : 0)));
      for (const j of [jr(v), jf(v)]) {
        expect(j.dtype).toBe(v.dtype);
        expect(j.shape).toEqual([...v.shape, ...v.shape]);
        expect(Array.from(j.toTypedArray(), (e) => e + 0)).toEqual(want.flat()); // + 0: -0 and 0 are the same entry
      }
      expect(Array.from(v.toTypedArray())).toEqual(before);
    }
  });

  it('nest: the Hessian inside grad matches finite differences', () => {
    const g = (v: Tensor<[4], 'float64'>) => sum(mul(f(v), f(v)));
    checkGrads((v: Tensor<[4], 'float64'>) => sum(hessian(g)(v)), [x4], { rtol: 1e-4, atol: 1e-6 });
    expect(jacrev(jacrev(g))(x4)).toBeAllclose(hessian(g)(x4), { rtol: 1e-9, atol: 1e-12 });
  });
});
