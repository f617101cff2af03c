// Building blocks: chain, clipping, masks, gradient accumulation, custom
// transformations.
import { describe, expect, it } from 'vitest';
import { TreeError, grad, mul, optim, sum, square, tensor, tree, type Tensor } from '../../src/index.js';

type P = { w: Tensor<[2], 'float64'>; b: Tensor<[1], 'float64'> };
const f64 = (v: number[]) => tensor(v, { dtype: 'float64' });
const p0 = (): P => ({ w: f64([1, -2]) as Tensor<[2], 'float64'>, b: f64([0.5]) as Tensor<[1], 'float64'> });
const g0 = (): P => ({ w: f64([3, 4]) as Tensor<[2], 'float64'>, b: f64([0]) as Tensor<[1], 'float64'> });

describe('chain', () => {
  it('scaleByAdam then scaleByLearningRate is adam', () => {
    const a = optim.adam(0.01);
    const c = optim.chain(optim.scaleByAdam(), optim.scaleByLearningRate(0.01));
    let [pa, pc] = [p0(), p0()];
    let [sa, sc] = [a.init(pa), c.init(pc)];
    for (let i = 0; i < 3; i++) {
      const g = tree.map(pa, (x) => mul(x, 0.3 * (i + 1)));
      ({ params: pa, state: sa } = a.step(pa, g, sa));
      ({ params: pc, state: sc } = c.step(pc, g, sc));
    }
    expect(pc.w).toBeAllclose(pa.w, { rtol: 1e-15 });
    expect(sc[0].count.item()).toBe(3);
    expect(sc[1].count.item()).toBe(3);
    expect(sc[1].learningRate.item()).toBe(0.01);
  });

  it('runs user-defined transformations', () => {
    const double = optim.transformation<optim.EmptyStateFn>('double', () => ({}), (u, s) => [tree.map(u, (x) => mul(x, 2)), s]);
    const opt = optim.chain(double, optim.sgd(0.5));
    const p = p0();
    const [u] = opt.update(g0(), opt.init(p), p);
    expect(u.w).toBeAllclose([-3, -4]);
  });

  it('step is update then applyUpdates', () => {
    const opt = optim.rmsprop(0.1, { momentum: 0.5 });
    const p = p0();
    const s = opt.init(p);
    const [u, s1] = opt.update(g0(), s, p);
    const { params, state } = opt.step(p, g0(), s);
    expect(params.w).toBeAllclose(optim.applyUpdates(p, u).w, { rtol: 0, atol: 0 });
    expect(state[1].nu.w).toBeAllclose(s1[1].nu.w, { rtol: 0, atol: 0 });
  });

  it('applyUpdates checks the trees', () => {
    expect(() => optim.applyUpdates(p0(), { w: f64([1, 2]) } as never)).toThrow(/applyUpdates: params has keys \[b,w\] but updates has keys \[w\]/);
  });
});

describe('clipping', () => {
  it('clip limits every element', () => {
    const [u] = optim.clip(1).update(g0(), {});
    expect(u.w).toBeAllclose([1, 1]);
    expect(u.b).toBeAllclose([0]);
  });

  it('clipByGlobalNorm scales down only when the norm exceeds the maximum', () => {
    expect(optim.globalNorm(g0())).toBeCloseTo(5, 14);
    const [u] = optim.clipByGlobalNorm(1).update(g0(), {});
    expect(u.w).toBeAllclose([0.6, 0.8], { rtol: 1e-15 });
    expect(optim.globalNorm(u)).toBeCloseTo(1, 14);
    const g = g0();
    const [same] = optim.clipByGlobalNorm(10).update(g, {});
    expect(same).toBe(g);
  });
});

describe('addDecayedWeights', () => {
  it('adds wd * params to the updates', () => {
    const [u] = optim.addDecayedWeights(0.1).update(g0(), {}, p0());
    expect(u.w).toBeAllclose([3.1, 3.8]);
    expect(u.b).toBeAllclose([0.05]);
  });

  it('follows a typed mask, a prefix mask, or a mask function', () => {
    const masked = optim.addDecayedWeights<P>(0.1, { mask: { w: false, b: true } });
    const [u] = masked.update(g0(), masked.init(p0()), p0());
    expect(u.w).toBeAllclose([3, 4]);
    expect(u.b).toBeAllclose([0.05]);
    type Nested = { enc: P; dec: P };
    const nested: Nested = { enc: p0(), dec: p0() };
    const prefix = optim.addDecayedWeights<Nested>(1, { mask: { enc: false, dec: true } });
    const [v] = prefix.update({ enc: g0(), dec: g0() }, {}, nested);
    expect(v.enc.w).toBeAllclose([3, 4]);
    expect(v.dec.w).toBeAllclose([4, 2]);
    const byRank = optim.addDecayedWeights(1, { mask: (p: P) => ({ w: p.w.size > 1, b: p.b.size > 1 }) });
    const [w] = byRank.update(g0(), {}, p0());
    expect(w.w).toBeAllclose([4, 2]);
    expect(w.b).toBeAllclose([0]);
  });

  it('rejects a mask that does not fit the params, naming the path', () => {
    const bad = optim.addDecayedWeights(0.1, { mask: { w: true } as never });
    expect(() => bad.update(g0(), {}, p0())).toThrow(TreeError);
    expect(() => bad.update(g0(), {}, p0())).toThrow(/mask has no entry for 'b'/);
    const extra = optim.addDecayedWeights(0.1, { mask: { w: true, b: true, c: false } as never });
    expect(() => extra.update(g0(), {}, p0())).toThrow(/mask has keys \[c\] that the parameters do not have/);
  });

  it('adamw with a mask leaves masked-out leaves undecayed', () => {
    const opt = optim.adamw<P>(0.1, { weightDecay: 0.5, mask: { w: true, b: false } });
    const p = p0();
    const zero = tree.map(p, (x) => mul(x, 0));
    const [u] = opt.update(zero, opt.init(p), p);
    expect(u.w).toBeAllclose([-0.05, 0.1]);
    expect(u.b).toBeAllclose([0]);
  });
});

describe('multiSteps', () => {
  it('applies the inner optimizer to the mean of every k gradients', () => {
    const k = 3;
    const opt = optim.multiSteps(optim.sgd(0.1, { momentum: 0.9 }), { everyK: k });
    const ref = optim.sgd(0.1, { momentum: 0.9 });
    let p = p0();
    let s = opt.init(p);
    let pr = p0();
    let sr = ref.init(pr);
    for (let big = 0; big < 2; big++) {
      const gs = [1, 2, 3].map((j) => tree.map(g0(), (x) => mul(x, j + big)));
      for (let j = 0; j < k; j++) {
        const before = p;
        ({ params: p, state: s } = opt.step(p, gs[j]!, s));
        if (j < k - 1) expect(p.w).toBeAllclose(before.w, { rtol: 0, atol: 0 });
      }
      const mean = tree.map(g0(), (x) => mul(x, (6 + 3 * big) / 3));
      ({ params: pr, state: sr } = ref.step(pr, mean, sr));
      expect(p.w).toBeAllclose(pr.w, { rtol: 1e-14 });
      expect(s.gradientStep).toBe(big + 1);
      expect(s.miniStep).toBe(0);
    }
  });

  it('matches a k-times larger batch', () => {
    // For a loss averaged over the batch, the mean of k mini-batch gradients is the big batch's gradient.
    const xs = [f64([1, 2]), f64([-1, 0.5]), f64([3, -1]), f64([0.2, 0.1])] as Tensor<[2], 'float64'>[];
    const loss = (p: { w: Tensor<[2], 'float64'> }, x: Tensor<[2], 'float64'>) => sum(square(mul(p.w, x)));
    const opt = optim.multiSteps(optim.adam(0.1), { everyK: 4 });
    const ref = optim.adam(0.1);
    const p = { w: f64([0.3, -0.7]) as Tensor<[2], 'float64'> };
    let s = opt.init(p);
    let u = p;
    for (const x of xs) [u, s] = opt.update(grad(loss)(p, x), s, p);
    const total = xs.map((x) => grad(loss)(p, x)).reduce((a, b) => optim.applyUpdates(a, b));
    const [want] = ref.update(tree.map(total, (g) => mul(g, 0.25)), ref.init(p), p);
    expect(u.w).toBeAllclose(want.w, { rtol: 1e-14 });
  });
});
