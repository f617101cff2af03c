// Each optimizer's first three updates against PyTorch's formulas, written
// out in float64 (torch-reference.ts): to 1e-12 in float64 and 1e-6 in float32.
import { describe, expect, it } from 'vitest';
import { optim, tensor, type FloatDType, type Tensor } from '../../src/index.js';
import { adagradRef, adamRef, adamwRef, lionRef, rmspropRef, sgdRef, type Hyper, type Reference } from './torch-reference.js';

type P<D extends FloatDType> = { w: Tensor<[2, 2], D>; b: Tensor<[2], D> };

const p0 = [0.5, -1.25, 2, 0.75, -0.3, 1.1];
const grads = [
  [0.1, -0.2, 0.3, -0.4, 0.5, 0.05],
  [-0.3, 0.25, 0.2, -0.1, 0.4, -0.6],
  [0.7, -0.05, -0.2, 0.35, -0.15, 0.2],
];

function tree<D extends FloatDType>(v: readonly number[], dtype: D): P<D> {
  return { w: tensor([[v[0]!, v[1]!], [v[2]!, v[3]!]], { dtype }) as Tensor<[2, 2], D>, b: tensor([v[4]!, v[5]!], { dtype }) as Tensor<[2], D> };
}

function flat(p: P<FloatDType>): number[] {
  return [...p.w.toTypedArray(), ...p.b.toTypedArray()];
}

interface Case {
  name: string;
  make: () => optim.GradientTransformation<optim.StateFn>;
  ref: Reference;
  hyper: Hyper;
}

const cases: Case[] = [
  { name: 'sgd', make: () => optim.sgd(0.1), ref: sgdRef, hyper: { lr: 0.1 } },
  { name: 'sgd momentum', make: () => optim.sgd(0.1, { momentum: 0.9 }), ref: sgdRef, hyper: { lr: 0.1, momentum: 0.9 } },
  {
    name: 'sgd momentum dampening weightDecay',
    make: () => optim.sgd(0.05, { momentum: 0.8, dampening: 0.3, weightDecay: 0.01 }),
    ref: sgdRef,
    hyper: { lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.01 },
  },
  { name: 'sgd nesterov', make: () => optim.sgd(0.1, { momentum: 0.9, nesterov: true }), ref: sgdRef, hyper: { lr: 0.1, momentum: 0.9, nesterov: true } },
  { name: 'adam', make: () => optim.adam(1e-3), ref: adamRef, hyper: { lr: 1e-3 } },
  {
    name: 'adam b1 b2 eps weightDecay',
    make: () => optim.adam(0.01, { b1: 0.8, b2: 0.99, eps: 1e-6, weightDecay: 0.1 }),
    ref: adamRef,
    hyper: { lr: 0.01, b1: 0.8, b2: 0.99, eps: 1e-6, weightDecay: 0.1 },
  },
  { name: 'adam amsgrad', make: () => optim.adam(0.01, { amsgrad: true, b2: 0.5 }), ref: adamRef, hyper: { lr: 0.01, amsgrad: true, b2: 0.5 } },
  { name: 'adamw (default weightDecay 1e-2)', make: () => optim.adamw(0.01), ref: adamwRef, hyper: { lr: 0.01 } },
  { name: 'adamw weightDecay 0.1', make: () => optim.adamw(0.05, { weightDecay: 0.1, b2: 0.95 }), ref: adamwRef, hyper: { lr: 0.05, weightDecay: 0.1, b2: 0.95 } },
  { name: 'rmsprop', make: () => optim.rmsprop(0.01), ref: rmspropRef, hyper: { lr: 0.01 } },
  {
    name: 'rmsprop centered momentum weightDecay',
    make: () => optim.rmsprop(0.01, { alpha: 0.9, centered: true, momentum: 0.5, weightDecay: 0.02 }),
    ref: rmspropRef,
    hyper: { lr: 0.01, alpha: 0.9, centered: true, momentum: 0.5, weightDecay: 0.02 },
  },
  { name: 'adagrad', make: () => optim.adagrad(0.1), ref: adagradRef, hyper: { lr: 0.1 } },
  {
    name: 'adagrad lrDecay initialAccumulatorValue weightDecay',
    make: () => optim.adagrad(0.1, { lrDecay: 0.5, initialAccumulatorValue: 0.1, weightDecay: 0.05 }),
    ref: adagradRef,
    hyper: { lr: 0.1, lrDecay: 0.5, initialAccumulatorValue: 0.1, weightDecay: 0.05 },
  },
  { name: 'lion', make: () => optim.lion(1e-3), ref: lionRef, hyper: { lr: 1e-3 } },
  { name: 'lion weightDecay', make: () => optim.lion(0.01, { weightDecay: 0.5, b1: 0.8, b2: 0.9 }), ref: lionRef, hyper: { lr: 0.01, weightDecay: 0.5, b1: 0.8, b2: 0.9 } },
];

const tolerances = { float64: { rtol: 1e-12, atol: 1e-12 }, float32: { rtol: 1e-6, atol: 1e-7 } } as const;

describe.each(['float64', 'float32'] as const)('first three updates equal PyTorch formulas (%s)', (dtype) => {
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  it.each(cases)('$name', ({ make, ref, hyper }) => {
    const opt = make();
    let params = tree(p0, dtype);
    let state = opt.init(params);
    const want = ref(p0.map(round), grads.map((g) => g.map(round)), hyper);
    for (let k = 0; k < 3; k++) {
      const g = tree(grads[k]!, dtype);
      const [updates, next] = opt.update(g, state, params);
      const before = flat(params);
      params = optim.applyUpdates(params, updates);
      state = next;
      expect(params.w.dtype).toBe(dtype);
      expect(flat(params)).toBeAllclose(want[k]!, tolerances[dtype]);
      // The update itself (p_k - p_{k-1}) to the same relative accuracy.
      const prev = k === 0 ? p0.map(round) : want[k - 1]!;
      const wantUpdate = want[k]!.map((v, i) => v - prev[i]!);
      expect(flat(updates as P<FloatDType>)).toBeAllclose(wantUpdate, { rtol: dtype === 'float32' ? 2e-5 : 1e-9, atol: dtype === 'float32' ? 2e-7 : 1e-15 });
      expect(flat(params).map((v, i) => v - before[i]!)).toBeAllclose(wantUpdate, { rtol: 1e-3, atol: dtype === 'float32' ? 3e-7 : 1e-15 });
    }
  });
});

describe('hand-computed steps', () => {
  it('sgd with momentum 0.9, lr 0.1 from p = 1', () => {
    // b1 = 0.5, p = 0.95; b2 = 0.45 + 0.25 = 0.7, p = 0.88; b3 = 0.63 - 1 = -0.37, p = 0.917
    const opt = optim.sgd(0.1, { momentum: 0.9 });
    let params = { p: tensor([1], { dtype: 'float64' }) };
    let state = opt.init(params);
    const got: number[] = [];
    for (const g of [0.5, 0.25, -1]) {
      ({ params, state } = opt.step(params, { p: tensor([g], { dtype: 'float64' }) }, state));
      got.push(params.p.item());
    }
    expect(got).toBeAllclose([0.95, 0.88, 0.917], { rtol: 1e-12 });
    expect(state[1].count.item()).toBe(3);
  });

  it('adam: the first step is lr * g / (|g| + eps) for every element', () => {
    // mu_hat = g, nu_hat = g^2 at t = 1, so the update is -lr g / (|g| + eps).
    const opt = optim.adam(0.1);
    const params = { p: tensor([1, 1, 1], { dtype: 'float64' }) };
    const [u] = opt.update({ p: tensor([3, -0.5, 1e-3], { dtype: 'float64' }) }, opt.init(params), params);
    expect(u.p).toBeAllclose([-0.1 * (3 / (3 + 1e-8)), 0.1 * (0.5 / (0.5 + 1e-8)), -0.1 * (1e-3 / (1e-3 + 1e-8))], { rtol: 1e-12 });
  });

  it('adagrad: the first step is lr * g / (|g| + eps)', () => {
    const opt = optim.adagrad(0.5);
    const params = { p: tensor([0], { dtype: 'float64' }) };
    const [u] = opt.update({ p: tensor([-2], { dtype: 'float64' }) }, opt.init(params), params);
    expect(u.p).toBeAllclose([0.5 * (2 / (2 + 1e-10))], { rtol: 1e-12 });
  });

  it('lion: every update element is +-lr (plus decay)', () => {
    const opt = optim.lion(0.01, { weightDecay: 0.1 });
    const params = { p: tensor([2, -2], { dtype: 'float64' }) };
    const [u] = opt.update({ p: tensor([1e-6, -5], { dtype: 'float64' }) }, opt.init(params), params);
    expect(u.p).toBeAllclose([-0.01 - 0.01 * 0.1 * 2, 0.01 + 0.01 * 0.1 * 2], { rtol: 1e-12 });
  });
});
