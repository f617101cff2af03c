// Optimizer state: stable shapes and dtypes, no mutation, and clear errors
// (naming the path) for trees that do not fit, with nothing updated.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, Tensor, TreeError, ValueError, optim, tensor, tree, zeros, type FloatDType } from '../../src/index.js';

type Params<D extends FloatDType> = { layers: [{ w: Tensor<[2, 3], D>; b: Tensor<[3], D> }, { w: Tensor<[3, 1], D>; b: Tensor<[1], D> }] };

function params<D extends FloatDType>(dtype: D, v = 0.5): Params<D> {
  const f = <S extends readonly number[]>(shape: S) => tensor(new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(v), [...shape], { dtype }) as never;
  return { layers: [{ w: f([2, 3]), b: f([3]) }, { w: f([3, 1]), b: f([1]) }] };
}

const all: [string, () => optim.GradientTransformation<optim.StateFn>][] = [
  ['sgd', () => optim.sgd(0.1, { momentum: 0.9, nesterov: true, weightDecay: 0.1 })],
  ['adam', () => optim.adam(0.1, { amsgrad: true, weightDecay: 0.1 })],
  ['adamw', () => optim.adamw(0.1)],
  ['rmsprop', () => optim.rmsprop(0.1, { centered: true, momentum: 0.5 })],
  ['adagrad', () => optim.adagrad(0.1, { lrDecay: 0.1 })],
  ['lion', () => optim.lion(0.1, { weightDecay: 0.1 })],
  ['multiSteps(adam)', () => optim.multiSteps(optim.adam(0.1), { everyK: 2 })],
  ['chain(clipByGlobalNorm, clip, sgd)', () => optim.chain(optim.clipByGlobalNorm(1), optim.clip(0.1), optim.sgd(0.1))],
];

/** Each leaf of a state as `path: shape dtype` (tensors) or `path: number`. */
function signature(state: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown, path: string): void => {
    if (x instanceof Tensor) out.push(`${path}: [${(x.shape as readonly number[]).join(',')}] ${x.dtype}`);
    else if (typeof x === 'number') out.push(`${path}: number`);
    else if (Array.isArray(x)) x.forEach((c, i) => walk(c, `${path}[${i}]`));
    else if (typeof x === 'object' && x !== null) for (const k of Object.keys(x).sort()) walk((x as Record<string, unknown>)[k], `${path}.${k}`);
    else out.push(`${path}: ${typeof x}`);
  };
  walk(state, 'state');
  return out;
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !(x instanceof Tensor)) {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

describe.each(all)('%s', (_name, make) => {
  it.each(['float32', 'float64'] as const)('keeps the shapes and dtypes of its state over steps (%s)', (dtype) => {
    const opt = make();
    let p = params(dtype);
    let state = opt.init(p);
    const before = signature(state);
    expect(before.some((s) => s.includes(dtype) || s.endsWith('number') || s.includes('int32'))).toBe(true);
    for (let i = 0; i < 3; i++) {
      const g = tree.map(p, (x) => x.concrete()) as Params<typeof dtype>;
      ({ params: p, state } = opt.step(p, g, state));
      expect(signature(state)).toEqual(before);
      expect(p.layers[0].w.dtype).toBe(dtype);
    }
  });

  it('mutates neither params, grads nor state', () => {
    const opt = make();
    const p = deepFreeze(params('float32'));
    const g = deepFreeze(params('float32', 0.25));
    const s0 = deepFreeze(opt.init(p));
    const snapshot = JSON.stringify([tree.leaves(p).map((t) => (t as Tensor).toArray()), signature(s0)]);
    const { state: s1 } = opt.step(p, g, s0);
    opt.step(p, g, deepFreeze(s1));
    expect(JSON.stringify([tree.leaves(p).map((t) => (t as Tensor).toArray()), signature(s0)])).toBe(snapshot);
  });

  it('rejects grads whose structure differs from the params, naming the path', () => {
    const opt = make();
    const p = params('float32');
    const state = opt.init(p);
    const missing = { layers: [{ w: p.layers[0].w }, p.layers[1]] } as unknown as typeof p;
    expect(() => opt.update(missing, state, p)).toThrow(TreeError);
    expect(() => opt.update(missing, state, p)).toThrow(/grads\.layers\[0\] has keys \[w\] but params\.layers\[0\] has keys \[b,w\]/);
    const wrongShape = { layers: [p.layers[0], { w: p.layers[1].w, b: zeros([2]) }] } as unknown as typeof p;
    expect(() => opt.step(p, wrongShape, state)).toThrow(ShapeError);
    expect(() => opt.step(p, wrongShape, state)).toThrow(/grads\.layers\[1\]\.b has shape \[2\] but params\.layers\[1\]\.b has shape \[1\]/);
    const wrongDType = tree.map(p, (x) => x.concrete()) as typeof p;
    (wrongDType.layers[1] as { b: unknown }).b = tensor([1], { dtype: 'float64' });
    expect(() => opt.step(p, wrongDType, state)).toThrow(DTypeError);
  });
});

describe('state from another tree', () => {
  it('is rejected with the path of the state buffer', () => {
    const opt = optim.adam(0.1);
    const state = opt.init({ a: zeros([2]) });
    const p = { a: zeros([3]) };
    expect(() => opt.update(p, state as never, p)).toThrow(ShapeError);
    expect(() => opt.update(p, state as never, p)).toThrow(/adam\.update: grads\.a has shape \[3\] but state\[1\]\.mu\.a has shape \[2\]/);
    const q = { b: zeros([2]) };
    expect(() => opt.update(q, state as never, q)).toThrow(/grads has keys \[b\] but state\[1\]\.mu has keys \[a\]/);
  });

  it('is rejected when it belongs to another optimizer', () => {
    const p = { a: zeros([2]) };
    const adamState = optim.adam(0.1).init(p);
    const sgd = optim.sgd(0.1, { momentum: 0.9 });
    expect(() => sgd.update(p, adamState as never, p)).toThrow(TreeError);
    expect(() => sgd.update(p, adamState as never, p)).toThrow(/^sgd\.update: state is not a state of sgd: expected the layout \[\{\},\{count,momentum\},\{.*\}\], got \[\{\},\{count,mu,nu\},/);
    expect(() => optim.adam(0.1).update(p, [adamState[0], adamState[1]] as never, p)).toThrow(/^adam\.update: state is not a state of adam/);
    // Once accepted silently: plain sgd (its trace stage off) took Adam's state, lion took AdamW's.
    expect(() => optim.sgd(0.1).step(p, p, adamState as never)).toThrow(/^sgd\.step: state is not a state of sgd/);
    const adamwState = optim.adamw(0.1).init(p);
    expect(() => optim.lion(0.1).step(p, p, adamwState as never)).toThrow(/^lion\.step: state is not a state of lion/);
  });

  it('int32 parameters are refused, not silently left as they are', () => {
    const p = { w: tensor([1, 2], { dtype: 'int32' }) };
    expect(() => optim.sgd(0.1).init(p as never)).toThrow(/^sgd\.init: params has a leaf of dtype int32 \[2\]; optimizers update float32 or float64 parameters$/);
    const f = { w: tensor([1, 2]) };
    expect(() => optim.sgd(0.1).step(p as never, p as never, optim.sgd(0.1).init(f) as never)).toThrow(DTypeError);
  });

  it('inside multiSteps names the inner path', () => {
    const opt = optim.multiSteps(optim.adam(0.1), { everyK: 1 });
    const state = opt.init({ a: zeros([2]) });
    const bad = { ...state, inner: optim.adam(0.1).init({ a: zeros([5]) }) } as never;
    expect(() => opt.update({ a: zeros([2]) }, bad, { a: zeros([2]) })).toThrow(/state\.inner\[1\]\.mu\.a has shape \[5\]/);
  });
});

describe('learning rates', () => {
  it.each([0, -1, NaN, Infinity, '0.1', null])('rejects %s', (lr) => {
    for (const make of [optim.sgd, optim.adam, optim.adamw, optim.rmsprop, optim.adagrad, optim.lion]) {
      expect(() => make(lr as never)).toThrow(ValueError);
      expect(() => make(lr as never)).toThrow(/learning rate must be a positive finite number/);
    }
    expect(() => optim.scaleByLearningRate(lr as never)).toThrow(ValueError);
  });

  it('rejects a schedule value that is negative or not finite, and updates nothing', () => {
    const opt = optim.sgd((step) => (step < 2 ? 0.1 : NaN));
    let p = { a: tensor([1, 2]) };
    let state = opt.init(p);
    ({ params: p, state } = opt.step(p, { a: tensor([1, 1]) }, state));
    const before = p.a.toArray();
    expect(() => opt.step(p, { a: tensor([1, 1]) }, state)).toThrow(/schedule gave NaN at step 2/);
    expect(p.a.toArray()).toEqual(before);
    expect(state[2].count.item()).toBe(1);
    expect(state[2].learningRate.item()).toBe(0.1);
  });

  it('is readable from the state: the rate of the next update', () => {
    const sched = optim.linear({ init: 1, end: 0.5, transitionSteps: 2 });
    const opt = optim.adam(sched);
    let p = { a: tensor([1]) };
    let state = opt.init(p);
    expect(state[2].learningRate.item()).toBe(1);
    expect(optim.currentLearningRate(state)).toBe(1);
    ({ params: p, state } = opt.step(p, { a: tensor([1]) }, state));
    expect(state[2].count.item()).toBe(1);
    expect(state[2].learningRate.item()).toBe(0.75);
    ({ params: p, state } = opt.step(p, { a: tensor([1]) }, state));
    expect(optim.currentLearningRate(state)).toBe(0.5);
    expect(optim.currentLearningRate(optim.multiSteps(opt, { everyK: 2 }).init(p))).toBe(1);
    expect(() => optim.currentLearningRate(optim.clip(1).init(p))).toThrow(ValueError);
  });
});

describe('hyperparameters', () => {
  it.each([
    ['b1 = 1', () => optim.adam(0.1, { b1: 1 })],
    ['b2 < 0', () => optim.adam(0.1, { b2: -0.1 })],
    ['eps NaN', () => optim.adam(0.1, { eps: NaN })],
    ['negative weight decay', () => optim.sgd(0.1, { weightDecay: -1 })],
    ['nesterov without momentum', () => optim.sgd(0.1, { nesterov: true })],
    ['nesterov with dampening', () => optim.sgd(0.1, { momentum: 0.9, nesterov: true, dampening: 0.1 })],
    ['alpha > 1', () => optim.rmsprop(0.1, { alpha: 1.5 })],
    ['negative lrDecay', () => optim.adagrad(0.1, { lrDecay: -1 })],
    ['clip < 0', () => optim.clip(-1)],
    ['maxNorm 0', () => optim.clipByGlobalNorm(0)],
    ['everyK 0', () => optim.multiSteps(optim.sgd(0.1), { everyK: 0 })],
  ])('rejects %s', (_name, make) => {
    expect(make).toThrow(ValueError);
  });

  it('needs params for weight decay', () => {
    const opt = optim.adamw(0.1);
    const p = { a: zeros([2]) };
    expect(() => opt.update(p, opt.init(p))).toThrow(/adamw\.update: weight decay reads the parameters/);
    const plain = optim.adam(0.1);
    expect(() => plain.update(p, plain.init(p))).not.toThrow();
  });
});
