// CMA-ES: the update equals the `cmaes` package's (the optimizer of Optuna's
// CmaEsSampler) generation by generation; the state stays a valid normal
// distribution whatever the candidates; the sampler converges, beats random
// search on a fixed problem, records its generations, and hands categoricals
// and one-parameter spaces to the independent sampler.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tune, ValueError } from '../../src/index.js';
import { cmaEigen, cmaInit, cmaSample, cmaTell, defaultPopsize, type CmaState } from '../../src/tune/cmaes/cma.js';
import { symmetricEigen } from '../../src/tune/cmaes/eigen.js';

interface Generation { xs: number[][]; values: number[]; mean: number[]; sigma: number; C: number[]; pSigma: number[]; pc: number[] }
interface Case { name: string; mean: number[]; sigma: number; popsize: number; generations: Generation[] }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/cmaes.json', import.meta.url), 'utf8')) as { cmaes: string; cases: Case[] };

function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string, rtol = 1e-9): void {
  expect(actual.length, what).toBe(expected.length);
  const scale = Math.max(1e-300, ...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= rtol * scale)) expect.fail(`${what}[${i}]: ${actual[i]} vs cmaes ${expected[i]}`);
  }
}

describe(`CMA-ES update against the cmaes package ${fixture.cmaes}`, () => {
  expect(fixture.cases.length).toBeGreaterThan(0);
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let s = cmaInit(c.mean, c.sigma, c.popsize);
    expect(s.popsize).toBe(c.popsize);
    c.generations.forEach((g, i) => {
      s = cmaTell(s, g.xs.map((x, k) => ({ x, value: g.values[k]! })));
      expectClose(s.mean, g.mean, `generation ${i + 1} mean`);
      expectClose([s.sigma], [g.sigma], `generation ${i + 1} sigma`);
      expectClose(s.C, g.C, `generation ${i + 1} C`);
      expectClose(s.pSigma, g.pSigma, `generation ${i + 1} p_sigma`);
      expectClose(s.pc, g.pc, `generation ${i + 1} p_c`);
    });
  });
});

describe('CMA-ES core', () => {
  it('keeps a symmetric positive-definite C, a finite positive sigma, and never changes its input state', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.nat(), (n, generations, seed) => {
      let s: CmaState = cmaInit(Array.from({ length: n }, (_, i) => Math.sin(seed + i)), 0.3);
      let u = seed;
      const next = () => ((u = (Math.imul(u, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
      for (let g = 0; g < generations; g++) {
        const eig = cmaEigen(s);
        const xs = Array.from({ length: s.popsize }, () => cmaSample(s, eig, Array.from({ length: n }, () => 2 * next())));
        const before = { mean: Array.from(s.mean), C: Array.from(s.C), sigma: s.sigma };
        const t = cmaTell(s, xs.map((x) => ({ x, value: next() })));
        expect({ mean: Array.from(s.mean), C: Array.from(s.C), sigma: s.sigma }).toEqual(before);
        s = t;
        expect(Number.isFinite(s.sigma) && s.sigma > 0).toBe(true);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(s.C[i * n + j]).toBeCloseTo(s.C[j * n + i]!, 12);
        expect(Math.min(...symmetricEigen(s.C, n).values)).toBeGreaterThan(0);
      }
    }), { numRuns: 60 });
  });

  it('minimises a 5-d sphere to 1e-10 with the default population', () => {
    const n = 5;
    let s = cmaInit(Array(n).fill(3), 1);
    expect(s.popsize).toBe(defaultPopsize(n));
    let u = 1;
    const uniform = () => (u = (Math.imul(u, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const f = (x: ArrayLike<number>) => Array.from(x).reduce((acc, v) => acc + (v - 0.5) ** 2, 0);
    for (let g = 0; g < 300; g++) {
      const eig = cmaEigen(s);
      const xs = Array.from({ length: s.popsize }, () => cmaSample(s, eig, Array.from({ length: n }, normal)));
      s = cmaTell(s, xs.map((x) => ({ x, value: f(x) })));
    }
    expect(f(s.mean)).toBeLessThan(1e-10);
  });

  it('decomposes symmetric matrices: B diag(values) Bᵀ = A with B orthonormal', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 49, maxLength: 49 }), (n, vals) => {
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = vals[i * 7 + j]!;
      const copy = Float64Array.from(a);
      const { values, vectors: b } = symmetricEigen(a, n);
      expect(a).toEqual(copy);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let r = 0, o = 0;
          for (let k = 0; k < n; k++) (r += b[i * n + k]! * values[k]! * b[j * n + k]!), (o += b[k * n + i]! * b[k * n + j]!);
          expect(Math.abs(r - a[i * n + j]!)).toBeLessThan(1e-9);
          expect(Math.abs(o - (i === j ? 1 : 0))).toBeLessThan(1e-9);
        }
      }
    }), { numRuns: 100 });
  });

  it('refuses a wrong-sized generation', () => {
    expect(() => cmaTell(cmaInit([0, 0], 1), [{ x: [0, 0], value: 1 }])).toThrow(/cmaTell: needs 6 solutions, got 1/);
  });
});

describe('tune.cmaEs', () => {
  const quadratic = (t: tune.Trial) => {
    const x = t.float('x', -5, 5);
    const y = t.float('y', -5, 5);
    const lr = t.float('lr', 1e-5, 1, { log: true });
    const n = t.int('n', 0, 20);
    return (x - 1) ** 2 + (y + 2) ** 2 + (Math.log10(lr) + 3) ** 2 + ((n - 7) / 5) ** 2;
  };

  it('finds better points than random search on a fixed problem (same seeds, 80 trials)', async () => {
    // A pure function of the seeds: a fixed comparison, not a chance one.
    let cma = 0, rnd = 0;
    for (let seed = 0; seed < 4; seed++) {
      const a = await tune.createStudy({ sampler: tune.cmaEs({ seed }) });
      await a.optimize(quadratic, { trials: 80 });
      const b = await tune.createStudy({ sampler: tune.randomSampler({ seed }) });
      await b.optimize(quadratic, { trials: 80 });
      cma += a.best.value;
      rnd += b.best.value;
    }
    expect(cma).toBeLessThan(0.5 * rnd);
  });

  it('converges near the optimum with enough trials, and maximises when asked', async () => {
    const study = await tune.createStudy({ direction: 'maximize', sampler: tune.cmaEs({ seed: 3 }) });
    await study.optimize((t) => -quadratic(t), { trials: 250 });
    expect(study.best.value).toBeGreaterThan(-0.05);
    expect(study.best.params.x as number).toBeCloseTo(1, 0);
  });

  it('records generations of popsize trials; the first trial and a categorical go to the independent sampler', async () => {
    const study = await tune.createStudy({ sampler: tune.cmaEs({ seed: 1, popsize: 4 }) });
    await study.optimize((t) => quadratic(t) + (t.categorical('c', ['a', 'b']) === 'a' ? 0 : 1), { trials: 13 });
    const gens = study.trials.map((t) => t.systemAttrs['cmaes:generation']);
    expect(gens).toEqual([undefined, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(study.trials[1]!.systemAttrs['cmaes:space']).toBe(JSON.stringify([['lr', 'float [0.00001, 1] log'], ['n', 'int [0, 20]'], ['x', 'float [-5, 5]'], ['y', 'float [-5, 5]']]));
    const one = await tune.createStudy({ sampler: tune.cmaEs({ seed: 1 }) });
    await one.optimize((t) => t.float('x', 0, 1), { trials: 5 });
    expect(one.trials.every((t) => t.systemAttrs['cmaes:generation'] === undefined)).toBe(true);
  });

  it('starts from x0 and draws inside a small sigma0 around it', async () => {
    const study = await tune.createStudy({ sampler: tune.cmaEs({ seed: 2, x0: { x: 4, y: -4 }, sigma0: 0.01, nStartupTrials: 0 }) });
    await study.optimize((t) => t.float('x', -5, 5) + t.float('y', -5, 5), { trials: 1 });
    // The first trial has no history to share a search space with: it is random; the next ones are CMA-ES's.
    await study.optimize((t) => t.float('x', -5, 5) + t.float('y', -5, 5), { trials: 4 });
    for (const t of study.trials.slice(1)) {
      expect(Math.abs((t.params.x as number) - 4)).toBeLessThan(0.5);
      expect(Math.abs((t.params.y as number) + 4)).toBeLessThan(0.5);
    }
  });

  it('names a bad option in a ValueError', () => {
    expect(() => tune.cmaEs({ sigma0: 0 })).toThrow(ValueError);
    expect(() => tune.cmaEs({ sigma0: 0 })).toThrow(/tune\.cmaEs: sigma0 must be positive, got 0/);
    expect(() => tune.cmaEs({ popsize: 1 })).toThrow(/tune\.cmaEs: popsize must be an integer in \[2, 10000\], got 1/);
    expect(() => tune.cmaEs({ independentSampler: {} as tune.Sampler })).toThrow(/tune\.cmaEs: independentSampler must be a sampler/);
  });

  it('refuses an x0 outside its distribution when the search starts', async () => {
    const study = await tune.createStudy({ sampler: tune.cmaEs({ x0: { x: 9 } }) });
    await study.optimize((t) => t.float('x', -5, 5) + t.float('y', -5, 5), { trials: 1 });
    await expect(study.optimize((t) => t.float('x', -5, 5) + t.float('y', -5, 5), { trials: 1 })).rejects.toThrow(/tune\.cmaEs: x0\.x 9 is outside float \[-5, 5\]/);
  });
});
