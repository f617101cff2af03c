import { describe, expect, it } from 'vitest';
import { jacfwd, jacrev, hessian, tensor, mul, sum, sin, exp, type Tensor } from '../../src/index.js';

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
