// Layers: init distributions, apply against hand-written formulas, modes,
// explicit state, derivatives, and run-time errors.
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ShapeError,
  TreeError,
  ValueError,
  add,
  grad,
  matmul,
  mean,
  mse,
  nn,
  random,
  sum,
  tensor,
  valueAndGrad,
  zeros,
  type Tensor,
} from '../../src/index.js';
import { checkGrads } from '../../src/testing/index.js';

const key = random.key(0);

function stats(t: { toTypedArray(): ArrayLike<number> }): { min: number; max: number; mean: number; std: number } {
  const v = Array.from(t.toTypedArray());
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { min: Math.min(...v), max: Math.max(...v), mean: m, std: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) };
}

describe('initialisers', () => {
  it('computes fans for the [in, out] layout', () => {
    expect(nn.init.fans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
    expect(nn.init.fans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(nn.init.fans([10])).toEqual({ fanIn: 10, fanOut: 10 });
  });

  it('draws with the documented scales', () => {
    const g = stats(nn.init.glorotUniform()(key, [300, 200]));
    const a = Math.sqrt(6 / 500);
    expect(g.min).toBeGreaterThanOrEqual(-a);
    expect(g.max).toBeLessThan(a);
    expect(g.std).toBeCloseTo(a / Math.sqrt(3), 3);
    expect(stats(nn.init.glorotNormal()(key, [300, 200])).std).toBeCloseTo(Math.sqrt(2 / 500), 3);
    const h = stats(nn.init.heUniform()(key, [400, 100]));
    expect(h.max).toBeLessThan(Math.sqrt(6 / 400));
    expect(h.std).toBeCloseTo(Math.sqrt(2 / 400), 3);
    expect(stats(nn.init.heNormal()(key, [400, 100])).std).toBeCloseTo(Math.sqrt(2 / 400), 3);
    expect(stats(nn.init.normal(0.02)(key, [200, 200])).std).toBeCloseTo(0.02, 3);
    expect(stats(nn.init.uniform(0.5)(key, [200, 200])).max).toBeLessThan(0.5);
    expect(stats(nn.init.zeros()(key, [3, 3]))).toEqual({ min: 0, max: 0, mean: 0, std: 0 });
    expect(nn.init.constant(2)(key, [2]).toArray()).toEqual([2, 2]);
  });

  it('is pure in the key and honours the dtype', () => {
    const a = nn.init.heNormal()(random.key(3), [4, 5], 'float64');
    expect(a.dtype).toBe('float64');
    expect(a.toArray()).toEqual(nn.init.heNormal()(random.key(3), [4, 5], 'float64').toArray());
    expect(() => nn.init.normal(-1)).toThrow(ValueError);
    expect(nn.init.heNormal()(key, [0, 3]).shape).toEqual([0, 3]);
  });
});

describe('linear', () => {
  it("starts uniform in ±1/sqrt(in) (PyTorch's default)", () => {
    const p = nn.linear(64, 32).init(key);
    const bound = 1 / 8;
    for (const t of [p.w, p.b]) {
      const s = stats(t);
      expect(s.min).toBeGreaterThanOrEqual(-bound);
      expect(s.max).toBeLessThan(bound);
    }
    expect(stats(p.w).std).toBeCloseTo(bound / Math.sqrt(3), 2);
    expect(p.w.shape).toEqual([64, 32]);
    expect(p.b.shape).toEqual([32]);
  });

  it('computes x w + b over the last axis, keeping leading dims', () => {
    const layer = nn.linear(2, 3, { dtype: 'float64' });
    const p = { w: tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }), b: tensor([0.5, 0, -1], { dtype: 'float64' }) };
    expect(layer.apply(p, tensor([[1, 1], [0, 2]], { dtype: 'float64' }))).toBeAllclose([[5.5, 7, 8], [8.5, 10, 11]]);
    expect(layer.apply(p, tensor([1, 1], { dtype: 'float64' }))).toBeAllclose([5.5, 7, 8]);
    const batched = layer.apply(p, zeros([4, 5, 2], { dtype: 'float64' }));
    expect(batched.shape).toEqual([4, 5, 3]);
    expect(batched.toArray()[3]![4]).toEqual([0.5, 0, -1]);
  });

  it('can leave out the bias and take other initialisers', () => {
    const layer = nn.linear(3, 2, { bias: false, kernelInit: nn.init.zeros() });
    const p = layer.init(key);
    expect(Object.keys(p)).toEqual(['w']);
    expect(layer.apply(p, tensor([[1, 2, 3]])).toArray()).toEqual([[0, 0]]);
  });

  it('has the derivative of x w + b', () => {
    const layer = nn.linear(3, 2, { dtype: 'float64' });
    const p = layer.init(key);
    const x = random.normal(random.key(1), [4, 3], { dtype: 'float64' });
    checkGrads((q: typeof p, xx: typeof x) => layer.apply(q, xx), [p, x], { order: 2 });
  });

  it('rejects inputs of the wrong width or dtype', () => {
    const layer = nn.linear(3, 2);
    const p = layer.init(key);
    expect(() => layer.apply(p, zeros([4, 5]) as never)).toThrow(ShapeError);
    expect(() => layer.apply(p, zeros([4, 5]) as never)).toThrow("linear(3, 2): input [4,5] does not end with the layer's 3 input features");
    expect(() => layer.apply(p, zeros([4, 3], { dtype: 'float64' }) as never)).toThrow(DTypeError);
    expect(() => layer.apply({} as never, zeros([4, 3]))).toThrow(TreeError);
    expect(() => nn.linear(0, 3)).toThrow(ValueError);
  });
});

describe('mlp', () => {
  it('stacks linear layers with the activation in between', () => {
    const net = nn.mlp([3, 5, 4, 2], { dtype: 'float64', activation: nn.tanh });
    const p = net.init(key);
    expect(p.map((l) => l.w.shape)).toEqual([[3, 5], [5, 4], [4, 2]]);
    const x = random.normal(random.key(2), [6, 3], { dtype: 'float64' });
    const byHand = add(matmul(nn.tanh(add(matmul(nn.tanh(add(matmul(x, p[0].w), p[0].b)), p[1].w), p[1].b)), p[2].w), p[2].b);
    expect(net.apply(p, x)).toBeAllclose(byHand, { rtol: 1e-14 });
    const probs = nn.mlp([3, 2], { finalActivation: nn.sigmoid, dtype: 'float64' });
    const q = probs.init(key);
    expect(probs.apply(q, x)).toBeAllclose(nn.sigmoid(add(matmul(x, q[0].w), q[0].b)), { rtol: 1e-14 });
  });

  it('rejects a params tuple of the wrong length', () => {
    const net = nn.mlp([3, 5, 2]);
    expect(() => net.apply([net.init(key)[0]] as never, zeros([1, 3]))).toThrow(/must be an array of 2 layer parameters/);
  });
});

describe('dropout', () => {
  const x = tensor(Array.from({ length: 10000 }, (_, i) => 1 + (i % 7)), { dtype: 'float64' });

  it('is the identity in eval mode', () => {
    expect(nn.dropout(0.5).apply([], x, { mode: 'eval' })).toBe(x);
  });

  it('zeroes a fraction `rate` in train mode and scales the rest by 1 / (1 - rate)', () => {
    const y = nn.dropout(0.3).apply([], x, { mode: 'train', key: random.key(7) }).toTypedArray();
    const xv = x.toTypedArray();
    let zeros_ = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] === 0) zeros_++;
      else expect(y[i]).toBeCloseTo(xv[i]! / 0.7, 12);
    }
    expect(zeros_ / y.length).toBeGreaterThan(0.28);
    expect(zeros_ / y.length).toBeLessThan(0.32);
    // The same key gives the same mask; another key another.
    expect(nn.dropout(0.3).apply([], x, { mode: 'train', key: random.key(7) }).toTypedArray()).toEqual(y);
    expect(nn.dropout(0.3).apply([], x, { mode: 'train', key: random.key(8) }).toTypedArray()).not.toEqual(y);
  });

  it('passes gradients only through kept elements', () => {
    const k = random.key(4);
    const small = tensor([1, 2, 3, 4, 5, 6, 7, 8], { dtype: 'float64' });
    const y = nn.dropout(0.5).apply([], small, { mode: 'train', key: k }).toTypedArray();
    const g = grad((z: typeof small) => sum(nn.dropout(0.5).apply([], z, { mode: 'train', key: k })))(small);
    expect(g).toBeAllclose(Array.from(y, (v) => (v === 0 ? 0 : 2)));
  });

  it('needs a mode, and a key in train mode', () => {
    expect(() => (nn.dropout(0.5).apply as (p: [], x: unknown) => unknown)([], x)).toThrow(/apply needs \{ mode: 'train' \| 'eval' \}/);
    expect(() => nn.dropout(0.5).apply([], x, { mode: 'train' })).toThrow(/mode 'train' needs a key/);
    expect(() => nn.dropout(1.5)).toThrow(ValueError);
    expect(nn.dropout(1).apply([], x, { mode: 'train', key }).toTypedArray().every((v) => v === 0)).toBe(true);
    expect(nn.dropout(0).apply([], x, { mode: 'train' })).toBe(x);
  });
});

describe('embedding', () => {
  it('looks rows up and adds gradients of repeated indices', () => {
    const emb = nn.embedding(4, 2, { dtype: 'float64' });
    const p = { table: tensor([[0, 1], [2, 3], [4, 5], [6, 7]], { dtype: 'float64' }) };
    const idx = tensor([[3, 0], [3, -1]], { dtype: 'int32' });
    expect(emb.apply(p, idx).toArray()).toEqual([[[6, 7], [0, 1]], [[6, 7], [6, 7]]]);
    const g = grad((q: typeof p) => sum(emb.apply(q, idx)))(p);
    expect(g.table).toBeAllclose([[1, 1], [0, 0], [0, 0], [3, 3]]);
    expect(stats(nn.embedding(100, 50).init(key).table).std).toBeCloseTo(1, 1);
  });

  it('rejects out-of-range and non-integer indices', () => {
    const emb = nn.embedding(4, 2);
    const p = emb.init(key);
    expect(() => emb.apply(p, tensor([4], { dtype: 'int32' }))).toThrow(ValueError);
    expect(() => emb.apply(p, tensor([1]) as never)).toThrow(DTypeError);
  });
});

describe('layerNorm', () => {
  it('normalises over the trailing features, then scales and shifts', () => {
    const ln = nn.layerNorm(4, { dtype: 'float64', eps: 0 });
    const x = tensor([[1, 2, 3, 4], [10, 10, 10, 14]], { dtype: 'float64' });
    const y = ln.apply(ln.init(key), x);
    const s = Math.sqrt(1.25);
    expect(y).toBeAllclose([[-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], [-1 / Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3), Math.sqrt(3)]], { rtol: 1e-14 });
    const p = { scale: tensor([1, 2, 3, 4], { dtype: 'float64' }), bias: tensor([0, 0, 0, 1], { dtype: 'float64' }) };
    expect(ln.apply(p, x).toArray()[0]![3]).toBeCloseTo(4 * (1.5 / s) + 1, 13);
  });

  it('takes a multi-dim feature shape and has finite-difference derivatives', () => {
    const ln = nn.layerNorm([2, 3], { dtype: 'float64' });
    const x = random.normal(random.key(5), [4, 2, 3], { dtype: 'float64' });
    const y = ln.apply(ln.init(key), x);
    expect(mean(y, [1, 2])).toBeAllclose([0, 0, 0, 0], { atol: 1e-14 });
    const p = { scale: random.normal(random.key(6), [2, 3], { dtype: 'float64' }), bias: random.normal(random.key(7), [2, 3], { dtype: 'float64' }) };
    checkGrads((q: typeof p, xx: typeof x) => ln.apply(q, xx), [p, x], { order: 2 });
    expect(() => ln.apply(ln.init(key), zeros([4, 3, 2], { dtype: 'float64' }) as never)).toThrow(/does not end with the layer's features \[2,3\]/);
  });
});

describe('batchNorm', () => {
  const x = tensor([[1, 10], [2, 20], [3, 30], [6, 40]], { dtype: 'float64' });
  const bn = nn.batchNorm(2, { dtype: 'float64', eps: 0 });

  it('normalises with batch statistics in train mode and updates running ones as PyTorch does', () => {
    const p = bn.init(key);
    const s0 = bn.initState();
    expect(s0.mean.toArray()).toEqual([0, 0]);
    expect(s0.var.toArray()).toEqual([1, 1]);
    const [y, s1] = bn.apply(p, s0, x, { mode: 'train' });
    // column 0: mean 3, biased var 3.5, unbiased 14/3; column 1: mean 25, var 125, unbiased 500/3
    expect(y.toArray().map((r) => r[0])).toBeAllclose([-2, -1, 0, 3].map((d) => d / Math.sqrt(3.5)), { rtol: 1e-14 });
    expect(s1.mean).toBeAllclose([0.3, 2.5], { rtol: 1e-14 });
    expect(s1.var).toBeAllclose([0.9 + 0.1 * (14 / 3), 0.9 + 0.1 * (500 / 3)], { rtol: 1e-14 });
    expect(s0.mean.toArray()).toEqual([0, 0]);
  });

  it('uses the running statistics in eval mode and returns them unchanged', () => {
    const p = bn.init(key);
    const state = { mean: tensor([1, 10], { dtype: 'float64' }), var: tensor([4, 100], { dtype: 'float64' }) };
    const [y, same] = bn.apply(p, state, x, { mode: 'eval' });
    expect(same).toBe(state);
    expect(y.toArray()[3]).toEqual([2.5, 3]);
  });

  it('returns concrete state from inside grad (as aux) and differentiates through batch statistics', () => {
    const p = bn.init(key);
    const loss = (q: typeof p) => {
      const [y, s] = bn.apply(q, bn.initState(), x, { mode: 'train' });
      return [sum(nn.tanh(y)), s] as const;
    };
    const [, s, g] = valueAndGrad(loss, { hasAux: true })(p);
    expect(s.mean).toBeAllclose([0.3, 2.5]);
    expect(g.scale.shape).toEqual([2]);
    const xs = random.normal(random.key(9), [5, 3], { dtype: 'float64' });
    const bn3 = nn.batchNorm(3, { dtype: 'float64' });
    const p3 = { scale: tensor([1, 2, 0.5], { dtype: 'float64' }), bias: tensor([0, 1, -1], { dtype: 'float64' }) };
    checkGrads((q: typeof p3, xx: typeof xs) => nn.tanh(bn3.apply(q, bn3.initState(), xx, { mode: 'train' })[0]), [p3, xs]);
  });

  it('needs a mode and more than one value per channel when training', () => {
    const p = bn.init(key);
    expect(() => bn.apply(p, bn.initState(), x, {} as never)).toThrow(ValueError);
    expect(() => bn.apply(p, bn.initState(), tensor([[1, 2]], { dtype: 'float64' }), { mode: 'train' })).toThrow(/more than one value per channel/);
    expect(() => bn.apply(p, {} as never, x, { mode: 'train' })).toThrow(TreeError);
  });
});

describe('a hand-written model is first-class', () => {
  it('is a plain function of a parameter tree', () => {
    type P = { w: Tensor<[2, 1]>; b: Tensor<[1]> };
    const model = (p: P, x: Tensor<[4, 2]>) => nn.sigmoid(add(matmul(x, p.w), p.b));
    const p: P = { w: tensor([[0.5], [-0.5]]), b: tensor([0]) };
    const x = tensor([[1, 0], [0, 1], [1, 1], [2, 0]]);
    const y = tensor([[1], [0], [1], [1]]);
    const g = grad((q: P) => mse(model(q, x), y))(p);
    expect(g.w.shape).toEqual([2, 1]);
    expect(g.b.shape).toEqual([1]);
  });
});

describe('linear.apply checks its parameters', () => {
  it('refuses a missing, extra or misshaped bias or weight, naming the layer', () => {
    const layer = nn.linear(3, 2);
    const x = zeros([4, 3]);
    const w = zeros([3, 2]);
    expect(() => layer.apply({ w } as never, x)).toThrow(/^linear\(3, 2\): params must have exactly the fields 'b' and 'w', got 'w'$/);
    expect(() => layer.apply({ w, b: zeros([3]) } as never, x)).toThrow(/^linear\(3, 2\): params\.b has shape \[3\], expected \[2\]$/);
    expect(() => layer.apply({ w: zeros([2, 3]), b: zeros([2]) } as never, x)).toThrow(/params\.w has shape \[2,3\], expected \[3,2\]/);
    expect(() => nn.linear(3, 2, { bias: false }).apply({ w, b: zeros([2]) } as never, x)).toThrow(/exactly the fields 'w', got 'b', 'w'/);
    expect(() => layer.apply(null as never, x)).toThrow(/params must be \{ w, b \}, got null/);
    expect(layer.apply({ w, b: zeros([2]) }, x).shape).toEqual([4, 2]);
  });
});
