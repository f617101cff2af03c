/**
 * jit composes with every transform: jit(grad(f)) stages forward and
 * backward pass as one program; grad, jvp, vjp, hessian of a jitted function,
 * and jit inside jit, run f under the enclosing transform. Gradients are
 * equal with and without jit (property tests over random inputs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  cos,
  exp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jitStats,
  jvp,
  makeProgram,
  matmul,
  mul,
  scalar,
  sin,
  sum,
  tanh,
  tensor,
  valueAndGrad,
  vjp,
  type Scalar,
  type Tensor,
} from '../../src/index.js';
import { arbTensor } from '../../src/testing/arbitraries.js';

const f = (x: Tensor<[3], 'float64'>) => sum(mul(sin(mul(x, x)), tanh(x)));
const arbX = arbTensor([3], { dtype: 'float64', min: -2, max: 2 }) as fc.Arbitrary<Tensor<[3], 'float64'>>;
const TOL = { rtol: 1e-12, atol: 1e-14 };

describe('jit composes with the derivative transforms', () => {
  it('jit(grad(f)), grad(jit(f)) and grad(f) agree', () => {
    fc.assert(
      fc.property(arbX, (x) => {
        const want = grad(f)(x);
        expect(jit(grad(f))(x)).toBeAllclose(want, TOL);
        expect(grad(jit(f))(x)).toBeAllclose(want, TOL);
        expect(jit(grad(jit(f)))(x)).toBeAllclose(want, TOL);
      }),
      { numRuns: 30 },
    );
  });

  it('jvp, vjp, hessian, jacfwd and jacrev of a jitted function equal those of f', () => {
    fc.assert(
      fc.property(arbX, arbX, (x, t) => {
        const jf = jit(f);
        const [y1, dy1] = jvp(jf, [x], [t]);
        const [y0, dy0] = jvp(f, [x], [t]);
        expect(y1).toBeAllclose(y0, TOL);
        expect(dy1).toBeAllclose(dy0, TOL);
        const [o1, pb1] = vjp(jf, x);
        const [, pb0] = vjp(f, x);
        expect(o1).toBeAllclose(y0, TOL);
        expect(pb1(scalar(1.5, { dtype: 'float64' }) as never)[0]).toBeAllclose(pb0(scalar(1.5, { dtype: 'float64' }) as never)[0], TOL);
        expect(hessian(jf)(x)).toBeAllclose(hessian(f)(x), TOL);
        expect(jit(hessian(f))(x)).toBeAllclose(hessian(f)(x), TOL);
        const g = (v: Tensor<[3], 'float64'>) => mul(sin(v), cos(v));
        expect(jacfwd(jit(g))(x)).toBeAllclose(jacfwd(g)(x), TOL);
        expect(jacrev(jit(g))(x)).toBeAllclose(jacrev(g)(x), TOL);
        expect(jit(jacrev(g))(x)).toBeAllclose(jacrev(g)(x), TOL);
      }),
      { numRuns: 15 },
    );
  });

  it('grad of a jitted function runs f under grad (unstaged), so the cache is untouched', () => {
    const jf = jit(f);
    grad(jf)(tensor([1, 2, 3], { dtype: 'float64' }));
    expect(jitStats(jf)).toMatchObject({ traces: 0, unstaged: 1 });
  });

  it('jit(valueAndGrad(f)) stages forward and backward pass as one program', () => {
    const loss = (w: Tensor<[2, 2]>, x: Tensor<[3, 2]>) => sum(exp(tanh(matmul(x, w))));
    const w = tensor([[0.1, 0.2], [0.3, -0.4]]), x = tensor([[1, 2], [3, 4], [5, 6]]);
    const [v0, g0] = valueAndGrad(loss)(w, x);
    const step = jit(valueAndGrad(loss));
    const [v1, g1] = step(w, x);
    expect(v1).toBeAllclose(v0);
    expect(g1).toBeAllclose(g0);
    const p = makeProgram(valueAndGrad(loss))(w, x);
    expect(p.outputs).toHaveLength(2);
    expect(p.eqns.filter((e) => e.prim === 'matmul').length).toBeGreaterThanOrEqual(2);
  });
});

describe('jit inside jit, and closures over transform values', () => {
  it('inlines an inner jitted function into the outer program', () => {
    const inner = jit((x: Tensor<[2]>) => sin(x));
    const outer = (x: Tensor<[2]>) => add(inner(x), inner(mul(x, 2)));
    const p = makeProgram(outer)(tensor([1, 2]));
    expect(p.eqns.map((e) => e.prim)).toEqual(['sin', 'mul', 'sin', 'add']);
    const staged = jit(outer)(tensor([1, 2]));
    expect(jitStats(inner)).toMatchObject({ traces: 0, unstaged: 4 });
    expect(staged).toBeAllclose(outer(tensor([1, 2])));
  });

  it('a jitted function closing over a grad tracer runs unstaged and differentiates correctly', () => {
    const c = tensor([0.5, -1]);
    // d/dx sum(sin(x * c)) = c cos(x c); the closure makes x a value of the outer grad.
    const h = (x: Tensor<[2]>) => jit((y: Tensor<[2]>) => sum(sin(mul(x, y))))(c);
    const x = tensor([1, 2]);
    expect(grad(h)(x)).toBeAllclose(mul(c, cos(mul(x, c))));
  });

  it('an inner jit closing over an outer jit value inlines into the outer program', () => {
    const outer = (x: Scalar) => {
      const inner = jit((y: Scalar) => mul(x, y));
      return inner(scalar(3));
    };
    expect(jit(outer)(scalar(2)).item()).toBe(6);
    expect(makeProgram(outer)(scalar(2)).eqns.map((e) => e.prim)).toEqual(['mul']);
  });
});
