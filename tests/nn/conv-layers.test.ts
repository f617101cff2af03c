// Image layers: conv2d, maxPool2d, avgPool2d, flatten, unflatten and
// batchNorm2d alone and inside sequential (sizes flowing across the
// conv -> flatten -> linear boundary, the run-time twin of the compile-time
// check), PyTorch's default initialisation, and training through a CNN.
import { describe, expect, it } from 'vitest';
import { ShapeError, add, conv2d, grad, maxPool2d, mean, mul, nn, random, reshape, softmaxCrossEntropy, sum, zeros, type Tensor } from '../../src/index.js';
import { expectThrows } from '../ops/helpers.js';

const key = random.key(0);
const cnn = () =>
  nn.sequential(
    nn.unflatten([1, 28, 28]),
    nn.conv2d(1, 32, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
    nn.conv2d(32, 64, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
    nn.flatten(), nn.linear(3136, 128), nn.relu, nn.linear(128, 10),
  );

describe('image layers', () => {
  it('conv2d is the conv2d op plus a per-channel bias, in PyTorch layout', () => {
    const layer = nn.conv2d(3, 4, [3, 2], { stride: 2, dtype: 'float64' });
    const p = layer.init(key);
    expect(p.w.shape).toEqual([4, 3, 3, 2]);
    expect(p.b.shape).toEqual([4]);
    const x = random.normal(random.key(1), [2, 3, 7, 6], { dtype: 'float64' });
    const y = layer.apply(p, x);
    expect(y.shape).toEqual([2, 4, 3, 3]);
    expect(y).toBeAllclose(add(conv2d(x, p.w, { stride: 2 }), reshape(p.b, [4, 1, 1])), { rtol: 1e-15 });
    // leading dims beyond N, and none
    expect(layer.apply(p, reshape(x, [1, 2, 3, 7, 6])).shape).toEqual([1, 2, 4, 3, 3]);
    expect(layer.apply(p, zeros([3, 7, 6], { dtype: 'float64' })).shape).toEqual([4, 3, 3]);
  });

  it('initialises like PyTorch: U(±1/sqrt(fanIn)) for weights and bias, fanIn = C/groups kH kW', () => {
    const p = nn.conv2d(32, 64, 3).init(key);
    const bound = 1 / Math.sqrt(32 * 9);
    const w = Array.from(p.w.toTypedArray());
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    // The standard deviation of U(-b, b) is b / sqrt(3): 18432 samples land within 3%.
    const m = w.reduce((a, b) => a + b, 0) / w.length;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / w.length);
    expect(Math.abs(sd / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.03);
    expect(Math.max(...Array.from(p.b.toTypedArray(), Math.abs))).toBeLessThanOrEqual(bound);
    const grouped = nn.conv2d(4, 6, 3, { groups: 2 }).init(key);
    expect(grouped.w.shape).toEqual([6, 2, 3, 3]);
    expect(Math.max(...Array.from(grouped.w.toTypedArray(), Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(18));
  });

  it('computes sizes across conv -> pool -> flatten -> linear, and the CNN maps [B, 784] to [B, 10]', () => {
    const model = cnn();
    expect(model.inFeatures).toEqual([784]);
    expect(model.outFeatures).toEqual([10]);
    const p = model.init(key);
    const y: Tensor<[2, 10]> = model.apply(p, zeros([2, 784]));
    expect(y.shape).toEqual([2, 10]);
    expect(nn.flatten().outFor([64, 7, 7])).toEqual([3136]);
    expect(nn.maxPool2d(2).outFor([32, 28, 28])).toEqual([32, 14, 14]);
    expect(nn.maxPool2d(2, { ceilMode: true }).outFor([32, 7, 7])).toEqual([32, 4, 4]);
    expect(nn.avgPool2d(3, { stride: 2, padding: 1, ceilMode: true }).outFor([2, 8, 7])).toEqual([2, 5, 4]);
    expect(nn.maxPool2d(2, { ceilMode: true }).apply([], zeros([1, 32, 7, 7])).shape).toEqual([1, 32, 4, 4]);
  });

  it('gives the compile-time messages at run time', () => {
    const make = (...ls: unknown[]) => (nn.sequential as (...a: unknown[]) => unknown)(...ls);
    expectThrows(
      () => make(nn.unflatten([1, 28, 28]), nn.conv2d(1, 32, 3, { padding: 1 }), nn.maxPool2d(2), nn.conv2d(32, 64, 3), nn.maxPool2d(2), nn.flatten(), nn.linear(3136, 10)),
      ShapeError,
      'sequential: layer 6 takes [3136] but layer 5 gives [2304]',
    );
    expectThrows(() => make(nn.unflatten([1, 28, 28]), nn.conv2d(3, 32, 3)), ShapeError, 'sequential: layer 1 takes [3,?,?] but layer 0 gives [1,28,28]');
    expectThrows(() => make(nn.unflatten([1, 4, 4]), nn.conv2d(1, 32, 5)), ShapeError, 'sequential: layer 1: conv2d: kernel larger than padded input: [1,1,4,4] x [32,1,5,5]');
    // With no known image size, sizes stay open and the check waits for the data.
    const open = nn.sequential(nn.conv2d(3, 8, 3), nn.relu, nn.flatten(), nn.linear(392, 2));
    expect(open.apply(open.init(key), zeros([1, 3, 9, 9])).shape).toEqual([1, 2]);
    expect(() => open.apply(open.init(key), zeros([1, 3, 8, 8]) as never)).toThrow(ShapeError);
  });

  it('batchNorm2d normalises each channel over batch and space and updates its running statistics', () => {
    const bn = nn.batchNorm2d(3, { dtype: 'float64' });
    const x = add(random.normal(random.key(2), [4, 3, 5, 5], { dtype: 'float64' }), reshape(random.normal(key, [3], { dtype: 'float64' }), [3, 1, 1]));
    const [y, st] = bn.apply(bn.init(key), bn.initState(), x, { mode: 'train' });
    expect(y.shape).toEqual([4, 3, 5, 5]);
    const ys = y.toArray();
    for (let c = 0; c < 3; c++) {
      const v = ys.flatMap((img) => img[c]!.flat());
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length).toBeCloseTo(1, 4);
    }
    expect(st.mean.shape).toEqual([3]);
    const seq = nn.sequential(nn.conv2d(3, 8, 3, { dtype: 'float64' }), nn.batchNorm2d(8, { dtype: 'float64' }), nn.relu, nn.flatten());
    const [out] = seq.apply(seq.init(key), seq.initState(), x, { mode: 'train' });
    expect(out.shape).toEqual([4, 8 * 9]);
  });

  it('trains: a gradient step through the CNN lowers the loss on a fixed batch', () => {
    const model = nn.sequential(nn.conv2d(1, 4, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2), nn.flatten(), nn.linear(4 * 4 * 4, 3));
    const x = random.normal(random.key(5), [6, 1, 8, 8]);
    const labels = random.randint(random.key(6), [6], 0, 3);
    const loss = (p: ReturnType<typeof model.init>) => mean(softmaxCrossEntropy(model.apply(p, x), labels));
    let p = model.init(key);
    const before = loss(p).item();
    for (let i = 0; i < 5; i++) {
      const g = grad(loss)(p) as unknown as { w: Tensor<number[]>; b: Tensor<number[]> }[];
      const q = p as unknown as ({ w: Tensor<number[]>; b: Tensor<number[]> } | [])[];
      p = q.map((l, j) => (Array.isArray(l) ? l : { w: add(l.w, mul(g[j]!.w, -0.1)), b: add(l.b, mul(g[j]!.b, -0.1)) })) as never;
    }
    expect(loss(p).item()).toBeLessThan(before);
    expect(sum(maxPool2d(x, 2)).shape).toEqual([]);
  });
});
