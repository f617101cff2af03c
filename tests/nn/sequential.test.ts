// sequential: composition, parameter and state tuples, mode and key
// propagation, the run-time width check, and training through it.
import { describe, expect, it } from 'vitest';
import { ShapeError, TreeError, ValueError, add, grad, matmul, mse, nn, optim, random, relu, softmaxCrossEntropy, tensor, valueAndGrad, zeros } from '../../src/index.js';

const key = random.key(0);

describe('sequential', () => {
  it('applies its members in order and holds their parameters in a tuple', () => {
    const model = nn.sequential(nn.linear(3, 4, { dtype: 'float64' }), relu, nn.linear(4, 2, { dtype: 'float64' }));
    const p = model.init(key);
    expect(p.length).toBe(3);
    expect(p[1]).toEqual([]);
    expect(p[0].w.shape).toEqual([3, 4]);
    const x = random.normal(random.key(1), [5, 3], { dtype: 'float64' });
    const byHand = add(matmul(relu(add(matmul(x, p[0].w), p[0].b)), p[2].w), p[2].b);
    expect(model.apply(p, x)).toBeAllclose(byHand, { rtol: 1e-15 });
    expect(model.inFeatures).toEqual([3]);
    expect(model.outFeatures).toEqual([2]);
    expect(model.name).toBe('sequential(linear(3, 4), relu, linear(4, 2))');
  });

  it('initialises each member from its own key, deterministically', () => {
    const model = nn.sequential(nn.linear(3, 3), nn.linear(3, 3));
    const a = model.init(key), b = model.init(key);
    expect(a[0].w.toArray()).toEqual(b[0].w.toArray());
    expect(a[0].w.toArray()).not.toEqual(a[1].w.toArray());
  });

  it('passes the mode on and gives each dropout its own key', () => {
    const model = nn.sequential(nn.dropout(0.5), nn.dropout(0.5));
    const x = tensor(Array.from({ length: 64 }, () => 1));
    const train = model.apply([[], []], x, { mode: 'train', key: random.key(3) }).toTypedArray();
    // Two independent masks: about a quarter survive, each scaled by 4.
    expect(new Set(train)).toEqual(new Set([0, 4]));
    expect(model.apply([[], []], x, { mode: 'eval' })).toBe(x);
    expect(() => model.apply([[], []], x, { mode: 'train' })).toThrow(/needs a key/);
    expect(() => (model.apply as (p: unknown, x: unknown) => unknown)([[], []], x)).toThrow(/apply needs \{ mode/);
    const single = nn.sequential(nn.dropout(0.5));
    const one = single.apply([[]], x, { mode: 'train', key: random.key(3) }).toTypedArray();
    expect(new Set(one)).toEqual(new Set([0, 2]));
  });

  it('threads explicit state through stateful members', () => {
    const model = nn.sequential(nn.linear(2, 3, { dtype: 'float64' }), nn.batchNorm(3, { dtype: 'float64' }), nn.relu, nn.linear(3, 1, { dtype: 'float64' }));
    const p = model.init(key);
    const s0 = model.initState();
    expect(s0[0]).toEqual([]);
    expect(s0[1].mean.toArray()).toEqual([0, 0, 0]);
    const x = random.normal(random.key(2), [8, 2], { dtype: 'float64' });
    const [y, s1] = model.apply(p, s0, x, { mode: 'train' });
    expect(y.shape).toEqual([8, 1]);
    expect(s1[1].mean.toArray()).not.toEqual([0, 0, 0]);
    const [yEval, s2] = model.apply(p, s1, x, { mode: 'eval' });
    expect(s2[1]).toBe(s1[1]);
    expect(yEval.shape).toEqual([8, 1]);
    expect(() => model.apply(p, [s0[0]] as never, x, { mode: 'train' })).toThrow(/state must be an array of 4 entries/);
  });

  it('checks widths at run time with the compile-time message', () => {
    const make = nn.sequential as (...xs: unknown[]) => unknown;
    expect(() => make(nn.linear(784, 128), relu, nn.linear(100, 10))).toThrow(ShapeError);
    expect(() => make(nn.linear(784, 128), relu, nn.linear(100, 10))).toThrow('sequential: layer 2 takes [100] but layer 0 gives [128]');
    expect(() => make({})).toThrow(TreeError);
    expect(() => make()).toThrow(ValueError);
  });

  it('rejects params of the wrong arity', () => {
    const model = nn.sequential(nn.linear(2, 2), relu);
    expect(() => model.apply([model.init(key)[0]] as never, zeros([1, 2]))).toThrow(/params must be an array of 2 entries/);
  });

  it('composes with embeddings and layer norms over leading dims', () => {
    const model = nn.sequential(nn.embedding(10, 4), nn.layerNorm(4), nn.linear(4, 3), nn.gelu);
    const y = model.apply(model.init(key), tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' }));
    expect(y.shape).toEqual([2, 3, 3]);
  });

  it('trains: the loss of a small classifier goes down', () => {
    const model = nn.sequential(nn.linear(2, 16), nn.tanh, nn.linear(16, 2));
    let params = model.init(key);
    const x = random.normal(random.key(4), [64, 2]);
    const labels = tensor(Array.from(x.toArray(), ([a, b]) => (a! * b! > 0 ? 1 : 0)), { dtype: 'int32' });
    const loss = (p: typeof params) => softmaxCrossEntropy(model.apply(p, x), labels);
    const opt = optim.adam(0.05);
    let state = opt.init(params);
    const first = loss(params).item();
    for (let i = 0; i < 100; i++) ({ params, state } = opt.step(params, grad(loss)(params), state));
    expect(loss(params).item()).toBeLessThan(first / 2);
    const [v] = valueAndGrad(loss)(params);
    expect(v.item()).toBeLessThan(0.4);
    expect(mse(model.apply(params, x), model.apply(params, x)).item()).toBe(0);
  });
});
