// Optimizers run each formula as one fused loop on concrete tensors and as
// ops under a transform or debugNans. Both paths must agree; the op path
// also makes optimizer updates differentiable.
import { describe, expect, it } from 'vitest';
import { Tensor, TraceError, debugNans, grad, optim, sum, tensor, tree, vjp, type FloatDType } from '../../src/index.js';

type P<D extends FloatDType> = { w: Tensor<[2, 3], D>; b: Tensor<[3], D> };

function tree3<D extends FloatDType>(dtype: D, seed: number): P<D> {
  const v = (i: number) => Math.sin(seed * 7.1 + i * 1.3) * (1 + (i % 3));
  return {
    w: tensor([[v(0), v(1), v(2)], [v(3), v(4), v(5)]], { dtype }) as Tensor<[2, 3], D>,
    b: tensor([v(6), v(7), 0], { dtype }) as Tensor<[3], D>,
  };
}

const configs: [string, () => optim.GradientTransformation<optim.StateFn>][] = [
  ['sgd nesterov wd', () => optim.sgd(0.1, { momentum: 0.9, nesterov: true, weightDecay: 0.1 })],
  ['sgd dampening', () => optim.sgd(0.1, { momentum: 0.5, dampening: 0.3 })],
  ['adam amsgrad wd', () => optim.adam(0.01, { amsgrad: true, b2: 0.5, weightDecay: 0.05 })],
  ['adamw', () => optim.adamw(0.01)],
  ['rmsprop centered momentum', () => optim.rmsprop(0.01, { centered: true, momentum: 0.5 })],
  ['adagrad', () => optim.adagrad(0.1, { lrDecay: 0.1, initialAccumulatorValue: 0.1 })],
  ['lion', () => optim.lion(0.01, { weightDecay: 0.1 })],
  ['clip chain', () => optim.chain(optim.clipByGlobalNorm(0.5), optim.clip(0.3), optim.scale(2), optim.sgd(0.1))],
  ['multiSteps', () => optim.multiSteps(optim.adam(0.1), { everyK: 2 })],
];

/** The leaves of any tree (numbers included) in a stable order. */
function leafValues(x: unknown): number[] {
  if (x instanceof Tensor) return Array.from(x.toTypedArray() as ArrayLike<number>);
  if (typeof x === 'number') return [x];
  if (Array.isArray(x)) return x.flatMap(leafValues);
  if (typeof x === 'object' && x !== null) return Object.keys(x).sort().flatMap((k) => leafValues((x as Record<string, unknown>)[k]));
  return [];
}

describe.each(configs)('%s', (_name, make) => {
  it.each(['float32', 'float64'] as const)('gives the same updates and state fused and as ops (%s)', (dtype) => {
    const opt = make();
    const p = tree3(dtype, 1);
    let sFused = opt.init(p);
    let sOps = opt.init(p);
    const tol = dtype === 'float32' ? { rtol: 2e-6, atol: 1e-7 } : { rtol: 1e-13, atol: 1e-15 };
    for (let k = 0; k < 4; k++) {
      const g = tree3(dtype, k + 2);
      const [uFused, nextFused] = opt.update(g, sFused, p);
      // Under vjp the gradients are tracers, so every stage takes its op path.
      const [[uOps, nextOps]] = vjp((gg: P<typeof dtype>) => opt.update(gg, sOps, p), g);
      expect(leafValues(uOps)).toBeAllclose(leafValues(uFused), tol);
      expect(leafValues(nextOps)).toBeAllclose(leafValues(nextFused), tol);
      const [uDebug] = debugNans(() => opt.update(g, sFused, p));
      expect(leafValues(uDebug)).toBeAllclose(leafValues(uFused), tol);
      sFused = nextFused;
      sOps = nextOps;
    }
  });
});

describe('differentiating through an update', () => {
  it('gives the derivative of one SGD step with respect to the learning signal', () => {
    // p1 = p - lr g, so d sum(p1) / d g = -lr everywhere.
    const opt = optim.sgd(0.25);
    const p = tree3('float64', 0);
    const s = opt.init(p);
    const dg = grad((g: P<'float64'>) => {
      const [u] = opt.update(g, s, p);
      const p1 = optim.applyUpdates(p, u);
      return sum(p1.w);
    })(tree3('float64', 1));
    expect(dg.w).toBeAllclose([[-0.25, -0.25, -0.25], [-0.25, -0.25, -0.25]]);
    expect(dg.b).toBeAllclose([0, 0, 0]);
  });

  it('reports NaN from the op that made it under debugNans', () => {
    const opt = optim.rmsprop(0.1, { centered: true, eps: 0 });
    const p = { a: tensor([1]) };
    const s = opt.init(p);
    // A zero gradient: sqrt(0) + 0 = 0 in the denominator, 0 / 0 = NaN.
    expect(() => debugNans(() => opt.update({ a: tensor([0]) }, s, p))).toThrow(TraceError);
    expect(Number.isNaN(opt.update({ a: tensor([0]) }, s, p)[0].a.item())).toBe(true);
    void tree;
  });
});
