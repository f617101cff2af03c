import { describe, expect, it } from 'vitest';
import {
  grad,
  valueAndGrad,
  vjp,
  jvp,
  stopGradient,
  tensor,
  scalar,
  mul,
  add,
  sub,
  square,
  sum,
  sin,
  exp,
  log,
  debugNans,
  zeros,
  type Scalar,
  type Tensor,
  ShapeError,
  DTypeError,
  TraceError,
  TreeError,
  ValueError,
} from '../../src/index.js';

describe('grad: the tutorial backprop case', () => {
  const loss = (w: Scalar, x: Scalar, y: Scalar) => square(sub(mul(w, x), y));

  it('gives loss 1 and dLoss/dw = -2 at w = 1, x = 1, y = 2', () => {
    const [value, g] = valueAndGrad(loss)(scalar(1), scalar(1), scalar(2));
    expect(value.item()).toBe(1);
    expect(g.item()).toBe(-2);
    expect(grad(loss)(scalar(1), scalar(1), scalar(2)).item()).toBe(-2);
  });

  it('converges with plain gradient descent', () => {
    let w = scalar(1);
    const dLoss = grad(loss);
    for (let i = 0; i < 50; i++) w = sub(w, mul(dLoss(w, scalar(1), scalar(2)), 0.1));
    expect(w.item()).toBeCloseTo(2, 4);
  });
});

describe('grad over parameter trees', () => {
  interface Params {
    readonly w: Tensor<[2]>;
    readonly layers: readonly [{ readonly b: Tensor<[]> }, { readonly b: Tensor<[]> }];
  }
  const params: Params = { w: tensor([1, 2]), layers: [{ b: scalar(3) }, { b: scalar(4) }] };
  const f = (p: Params, x: Tensor<[2]>) => add(sum(mul(p.w, x)), mul(p.layers[0].b, p.layers[1].b));

  it('returns a tree of the same structure with exact gradients', () => {
    const g = grad(f)(params, tensor([5, 6]));
    expect(g.w.toArray()).toEqual([5, 6]);
    expect(g.layers[0].b.item()).toBe(4);
    expect(g.layers[1].b.item()).toBe(3);
  });

  it('gives zero gradients for leaves the loss does not use', () => {
    const g = grad((p: { a: Scalar; unused: Tensor<[3]> }) => square(p.a))({ a: scalar(3), unused: zeros([3]) });
    expect(g.unused.toArray()).toEqual([0, 0, 0]);
    expect(g.a.item()).toBe(6);
  });

  it('argnums picks other arguments', () => {
    const h = (a: Scalar, b: Scalar) => mul(a, square(b));
    const [ga, gb] = grad(h, { argnums: [0, 1] })(scalar(2), scalar(3));
    expect(ga.item()).toBe(9);
    expect(gb.item()).toBe(12);
    expect(grad(h, { argnums: 1 })(scalar(2), scalar(3)).item()).toBe(12);
  });

  it('hasAux passes auxiliary data through, without tracers', () => {
    const h = (a: Scalar) => [square(a), { doubled: mul(a, 2) }] as const;
    const [g, aux] = grad(h, { hasAux: true })(scalar(3));
    expect(g.item()).toBe(6);
    expect(aux.doubled.item()).toBe(6);
    const [value, aux2, g2] = valueAndGrad(h, { hasAux: true })(scalar(3));
    expect(value.item()).toBe(9);
    expect(aux2.doubled.item()).toBe(6);
    expect(g2.item()).toBe(6);
  });

  it('hasAux and argnums together: the gradients picked by argnums, and aux', () => {
    const h = (k: number, a: Scalar, b: Scalar) => [mul(mul(a, square(b)), k), { k }] as const;
    const [[ga, gb], aux] = grad(h, { hasAux: true, argnums: [1, 2] })(2, scalar(2), scalar(3));
    expect(ga.item()).toBe(18);
    expect(gb.item()).toBe(24);
    expect(aux.k).toBe(2);
    const [value, aux2, gb2] = valueAndGrad(h, { hasAux: true, argnums: 2 })(2, scalar(2), scalar(3));
    expect(value.item()).toBe(36);
    expect(aux2.k).toBe(2);
    expect(gb2.item()).toBe(24);
  });
});

describe('higher order', () => {
  it('grad of grad of sin is -sin', () => {
    const d2 = grad(grad((x: Scalar<'float64'>) => sin(x)));
    expect(d2(scalar(0.5, { dtype: 'float64' })).item()).toBeCloseTo(-Math.sin(0.5), 12);
  });

  it('third derivative of x^4 at 2 is 48', () => {
    const f = (x: Scalar) => square(square(x));
    expect(grad(grad(grad(f)))(scalar(2)).item()).toBe(48);
  });

  it('does not confuse perturbations: d/dx (x * d/dy (x + y)) = 1', () => {
    const inner = (x: Scalar) => grad((y: Scalar) => add(x, y))(scalar(1));
    const outer = grad((x: Scalar) => mul(x, inner(x)));
    expect(outer(scalar(1)).item()).toBe(1);
  });

  it('forward over reverse and reverse over forward agree', () => {
    type F64 = Scalar<'float64'>;
    const f = (x: F64) => mul(exp(x), sin(x));
    const x0 = scalar(0.3, { dtype: 'float64' });
    const fwdOverRev = jvp((x: F64) => grad(f)(x), [x0], [scalar(1, { dtype: 'float64' })])[1].item();
    const revOverFwd = grad((x: F64) => jvp(f, [x], [scalar(1, { dtype: 'float64' })])[1])(x0).item();
    const exact = 2 * Math.exp(0.3) * Math.cos(0.3);
    expect(fwdOverRev).toBeCloseTo(exact, 12);
    expect(revOverFwd).toBeCloseTo(exact, 12);
  });
});

describe('vjp and jvp', () => {
  it('vjp returns the output and a pullback', () => {
    const [y, pullback] = vjp((x: Tensor<[3]>) => mul(x, x), tensor([1, 2, 3]));
    expect(y.toArray()).toEqual([1, 4, 9]);
    const [ct] = pullback(tensor([1, 1, 1]));
    expect(ct.toArray()).toEqual([2, 4, 6]);
  });

  it('jvp gives the directional derivative', () => {
    const [y, dy] = jvp((x: Scalar) => sin(x), [scalar(0)], [scalar(1)]);
    expect(y.item()).toBe(0);
    expect(dy.item()).toBe(1);
  });

  it('stopGradient blocks the derivative', () => {
    expect(grad((x: Scalar) => mul(x, stopGradient(x)))(scalar(3)).item()).toBe(3);
  });
});

describe('errors', () => {
  it('a non-scalar loss is a ShapeError at run time', () => {
    const bad = grad(((x: Tensor<[2]>) => mul(x, x)) as unknown as (x: Tensor<[2]>) => Scalar);
    expect(() => bad(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => bad(tensor([1, 2]))).toThrow('grad: the function must return a scalar (shape []), got shape [2]');
  });

  it('differentiating with respect to an int32 input is a DTypeError naming the path', () => {
    const f = (p: { w: Tensor<[2], 'int32'> }) => sum(mul(p.w, scalar(1)));
    expect(() => grad(f as never)({ w: tensor([1, 2], { dtype: 'int32' }) })).toThrow(DTypeError);
    expect(() => grad(f as never)({ w: tensor([1, 2], { dtype: 'int32' }) })).toThrow('params.w of dtype int32');
  });

  it('a non-tensor leaf is a TreeError naming the path', () => {
    const f = (p: { w: Scalar; lr: number }) => square(p.w);
    expect(() => grad(f as never)({ w: scalar(1), lr: 0.1 })).toThrow(TreeError);
    expect(() => grad(f as never)({ w: scalar(1), lr: 0.1 })).toThrow('params.lr');
  });

  it('a tracer that escapes its transform is a TraceError', () => {
    let leaked: Scalar | null = null;
    grad((x: Scalar) => {
      leaked = x;
      return square(x);
    })(scalar(1));
    expect(() => add(leaked!, scalar(1))).toThrow(TraceError);
  });

  it('an exception inside f leaves no tracing state behind', () => {
    expect(() =>
      grad((x: Scalar): Scalar => {
        throw new Error('boom');
      })(scalar(1)),
    ).toThrow('boom');
    expect(grad((x: Scalar) => square(x))(scalar(3)).item()).toBe(6);
  });

  it('debugNans names the primitive and the transform level', () => {
    const f = (x: Tensor<[2]>) => sum(log(x));
    expect(() => debugNans(() => grad(f)(tensor([0, 1])))).toThrow(/debugNans: log produced -Infinity .*transform level 1: grad/);
    // Outside the scope nothing is checked.
    expect(grad(f)(tensor([0, 1])).toArray()[0]).toBe(Infinity);
  });
});

describe('grad argnums and arguments', () => {
  const f = (x: Tensor<[1]>, y: Tensor<[1]>) => sum(mul(x, y));
  it('a repeated argnum gets the same (correct) gradient in each place', () => {
    const x = tensor([1]), y = tensor([2]);
    const [g0, g0b, g1] = grad(f, { argnums: [0, 0, 1] })(x, y);
    expect(g0.toArray()).toEqual([2]);
    expect(g0b.toArray()).toEqual([2]);
    expect(g1.toArray()).toEqual([1]);
    const [v, [a, b]] = valueAndGrad(f, { argnums: [1, 1] })(x, y);
    expect(v.item()).toBe(2);
    expect([a.toArray(), b.toArray()]).toEqual([[1], [1]]);
  });
  it('refuses a non-function, bad options and bad argnums with a named error', () => {
    expect(() => grad(5 as never)).toThrow(/grad: expected a function to differentiate, got 5/);
    expect(() => valueAndGrad('f' as never)).toThrow(ValueError);
    expect(() => grad(f, { argnums: [] as never })(tensor([1]), tensor([2]))).toThrow(/grad: argnums must be/);
    expect(() => grad(f, { argnums: '0' as never })(tensor([1]), tensor([2]))).toThrow(/grad: argnums must be/);
    expect(() => grad(f, { argnums: [0.5] as never })(tensor([1]), tensor([2]))).toThrow(/grad: argnums \[0.5\] is out of range/);
  });
});
