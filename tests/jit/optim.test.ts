import { describe, expect, it } from 'vitest';
import { add, jit, jitStats, makeProgram, matmul, mean, optim, square, sub, tensor, valueAndGrad, TraceError, type Tensor } from '../../src/index.js';

type P = { w: Tensor<[3, 2]>; b: Tensor<[2]> };
const params0: P = { w: tensor([[0.1, -0.2], [0.3, 0.05], [-0.4, 0.2]]), b: tensor([0.01, -0.02]) };
const x = tensor([[1, 2, 3], [0.5, -1, 2], [-1, 0, 1], [2, 2, -2], [0, 1, 0]]);
const y = tensor([[1, 0], [0, 1], [1, 1], [-1, 0.5], [0.3, -0.3]]);
const lossFn = (p: P, xb: Tensor<[5, 3]>, yb: Tensor<[5, 2]>) => mean(square(sub(add(matmul(xb, p.w), p.b), yb)));

// Every optimizer, as a training step: under jit the step count and the moments are inputs of one program.
const optimizers: [string, () => optim.GradientTransformation][] = [
  ['sgd', () => optim.sgd(0.1)],
  ['sgd with momentum', () => optim.sgd(0.1, { momentum: 0.9 })],
  ['sgd with nesterov momentum', () => optim.sgd(0.1, { momentum: 0.9, nesterov: true })],
  ['sgd with momentum and dampening', () => optim.sgd(0.1, { momentum: 0.9, dampening: 0.3 })],
  ['adam', () => optim.adam(0.05)],
  ['adam amsgrad', () => optim.adam(0.05, { amsgrad: true })],
  ['adamw', () => optim.adamw(0.05, { weightDecay: 0.1 })],
  ['rmsprop', () => optim.rmsprop(0.01)],
  ['adagrad', () => optim.adagrad(0.1)],
  ['lion', () => optim.lion(0.01)],
  ['clipByGlobalNorm then adam', () => optim.chain(optim.clipByGlobalNorm(0.5), optim.adam(0.05))],
  ['clip then sgd', () => optim.chain(optim.clip(0.1), optim.sgd(0.1))],
];

describe('optimizers under jit', () => {
  for (const [name, make] of optimizers) {
    it(`${name}: the jitted step gives the eager losses and parameters, staged once`, () => {
      const opt = make() as optim.GradientTransformation;
      const step = (p: P, state: unknown, xb: Tensor<[5, 3]>, yb: Tensor<[5, 2]>) => {
        const [loss, grads] = valueAndGrad(lossFn)(p, xb, yb);
        return { ...opt.step(p, grads, state as never), loss };
      };
      const jitted = jit(step);
      let pe = params0, se: unknown = opt.init(params0);
      let pj = params0, sj: unknown = opt.init(params0);
      const eager: number[] = [], staged: number[] = [];
      for (let i = 0; i < 8; i++) {
        const a = step(pe, se, x, y);
        pe = a.params as P;
        se = a.state;
        eager.push(a.loss.item());
        const b = jitted(pj, sj, x, y);
        pj = b.params as P;
        sj = b.state;
        staged.push(b.loss.item());
      }
      expect(staged).toBeAllclose(eager, { rtol: 1e-5, atol: 1e-6 });
      // The eager update is a fused float64 loop rounded once; the staged one is float32 ops.
      expect(pj.w).toBeAllclose(pe.w, { rtol: 1e-5, atol: 1e-5 });
      expect(pj.b).toBeAllclose(pe.b, { rtol: 1e-5, atol: 1e-5 });
      expect(jitStats(jitted)).toMatchObject({ traces: 1, hits: 7 });
    });
  }

  it('stages the whole step (forward, backward, update) as one program whose inputs include the step count', () => {
    const opt = optim.adam(1e-3);
    const state = opt.init(params0);
    const p = makeProgram((pp: P, s: typeof state) => {
      const [loss, grads] = valueAndGrad(lossFn)(pp, x, y);
      return { ...opt.step(pp, grads, s), loss };
    })(params0, state);
    expect(p.inputs.some((v) => v.dtype === 'int32' && v.shape.length === 0)).toBe(true);
    const prims = new Set(p.eqns.map((e) => e.prim));
    for (const prim of ['matmul', 'sqrt', 'pow', 'div']) expect(prims).toContain(prim);
  });

  it('a schedule without a horizon inside jit is a TraceError that says what to do', () => {
    const opt = optim.sgd(optim.exponentialDecay({ init: 0.1, transitionSteps: 10, decayRate: 0.5 }));
    const step = jit((p: P, s: ReturnType<typeof opt.init<P>>) => opt.step(p, p, s));
    expect(() => step(params0, opt.init(params0))).toThrow(TraceError);
    expect(() => step(params0, opt.init(params0))).toThrow(/schedule .* abstract inside jit, and it has no horizon.*use a constant learning rate inside jit/);
    const custom = optim.sgd((t: number) => 0.1 / (1 + t));
    expect(() => jit((p: P, s: ReturnType<typeof custom.init<P>>) => custom.step(p, p, s))(params0, custom.init(params0))).toThrow(/no horizon/);
  });
});

describe('learning-rate schedules under jit: a table indexed by the step count', () => {
  const schedules: [string, optim.Schedule][] = [
    ['cosineDecay', optim.cosineDecay({ init: 0.1, decaySteps: 5 })],
    ['warmupCosineDecay', optim.warmupCosineDecay({ peak: 0.1, warmupSteps: 2, decaySteps: 6, end: 0.01 })],
    ['linear', optim.linear({ init: 0.1, end: 0.02, transitionSteps: 4, transitionBegin: 1 })],
    ['piecewiseConstant', optim.piecewiseConstant(0.1, { 2: 0.5, 5: 0.1 })],
    ['exponentialDecay with an end value', optim.exponentialDecay({ init: 0.1, transitionSteps: 2, decayRate: 0.5, endValue: 0.02 })],
    ['joinSchedules', optim.joinSchedules([optim.constant(0.05), optim.linear({ init: 0.1, end: 0.01, transitionSteps: 3 })], [2])],
  ];
  for (const [name, schedule] of schedules) {
    it(`${name}: the jitted step follows the eager rates past the schedule's horizon, staged once`, () => {
      expect(schedule.horizon).toBeLessThan(12);
      const opt = optim.adam(schedule);
      const step = (p: P, s: ReturnType<typeof opt.init<P>>) => {
        const [loss, grads] = valueAndGrad(lossFn)(p, x, y);
        return { ...opt.step(p, grads, s), loss };
      };
      const jitted = jit(step);
      let pe = params0, se = opt.init(params0), pj = params0, sj = opt.init(params0);
      for (let i = 0; i < 12; i++) {
        ({ params: pe, state: se } = step(pe, se));
        ({ params: pj, state: sj } = jitted(pj, sj));
        expect(optim.currentLearningRate(sj)).toBe(optim.currentLearningRate(se));
        expect(sj[2].count.item()).toBe(i + 1);
      }
      expect(pj.w).toBeAllclose(pe.w, { rtol: 1e-5, atol: 1e-5 });
      expect(jitStats(jitted).traces).toBe(1);
    });
  }

  it('horizons are steps from which the schedule is constant', () => {
    for (const [, schedule] of schedules) {
      const h = schedule.horizon!;
      for (const t of [h, h + 1, h + 7, h + 1000]) expect(schedule(t)).toBe(schedule(h));
    }
  });
});
