// Schedules: optax's formulas, checked at hand-computed steps.
import { describe, expect, it } from 'vitest';
import { ValueError, optim } from '../../src/index.js';

describe('schedules', () => {
  it('constant', () => {
    expect([0, 10, 1e6].map(optim.constant(0.1))).toEqual([0.1, 0.1, 0.1]);
  });

  it('exponentialDecay: continuous, staircase, delayed, bounded', () => {
    const s = optim.exponentialDecay({ init: 0.1, transitionSteps: 100, decayRate: 0.5 });
    expect([0, 50, 100, 200].map(s)).toBeAllclose([0.1, 0.1 * Math.SQRT1_2, 0.05, 0.025], { rtol: 1e-15 });
    const st = optim.exponentialDecay({ init: 1, transitionSteps: 10, decayRate: 0.1, staircase: true });
    expect([0, 9, 10, 25].map(st)).toBeAllclose([1, 1, 0.1, 0.01], { rtol: 1e-15 });
    const late = optim.exponentialDecay({ init: 1, transitionSteps: 10, decayRate: 0.5, transitionBegin: 5, endValue: 0.3 });
    expect([0, 5, 15, 25, 100].map(late)).toBeAllclose([1, 1, 0.5, 0.3, 0.3], { rtol: 1e-15 });
  });

  it('cosineDecay', () => {
    const s = optim.cosineDecay({ init: 2, decaySteps: 100, alpha: 0.1 });
    expect([0, 50, 100, 200].map(s)).toBeAllclose([2, 2 * (0.9 * 0.5 + 0.1), 0.2, 0.2], { rtol: 1e-15, atol: 1e-15 });
    const e = optim.cosineDecay({ init: 1, decaySteps: 4, exponent: 2 });
    expect(e(1)).toBeCloseTo((0.5 * (1 + Math.cos(Math.PI / 4))) ** 2, 15);
  });

  it('warmupCosineDecay', () => {
    const s = optim.warmupCosineDecay({ init: 0, peak: 1e-3, warmupSteps: 100, decaySteps: 1100, end: 1e-5 });
    expect([0, 50, 100, 600, 1100, 5000].map(s)).toBeAllclose([0, 5e-4, 1e-3, 1e-5 + (1e-3 - 1e-5) / 2, 1e-5, 1e-5], { rtol: 1e-12 });
  });

  it('piecewiseConstant multiplies at each boundary reached', () => {
    const s = optim.piecewiseConstant(0.1, { 200: 0.1, 100: 0.5 });
    expect([0, 99, 100, 199, 200, 1000].map(s)).toBeAllclose([0.1, 0.1, 0.05, 0.05, 0.005, 0.005], { rtol: 1e-15 });
  });

  it('linear', () => {
    const s = optim.linear({ init: 1, end: 0, transitionSteps: 10, transitionBegin: 5 });
    expect([0, 5, 10, 15, 100].map(s)).toBeAllclose([1, 1, 0.5, 0, 0]);
  });

  it('joinSchedules restarts the step at each boundary', () => {
    const s = optim.joinSchedules([optim.linear({ init: 0, end: 1, transitionSteps: 10 }), optim.cosineDecay({ init: 1, decaySteps: 10 })], [10]);
    expect([0, 5, 10, 15, 20].map(s)).toBeAllclose([0, 0.5, 1, 0.5, 0], { atol: 1e-15 });
  });

  it.each([
    ['a non-integer transition', () => optim.exponentialDecay({ init: 1, transitionSteps: 1.5, decayRate: 0.5 })],
    ['a zero decay rate', () => optim.exponentialDecay({ init: 1, transitionSteps: 1, decayRate: 0 })],
    ['NaN init', () => optim.cosineDecay({ init: NaN, decaySteps: 10 })],
    ['warmup as long as the decay', () => optim.warmupCosineDecay({ peak: 1, warmupSteps: 10, decaySteps: 10 })],
    ['a negative boundary', () => optim.piecewiseConstant(1, { [-1]: 0.5 })],
    ['mismatched boundaries', () => optim.joinSchedules([optim.constant(1)], [5])],
    ['zero transition steps', () => optim.linear({ init: 1, end: 0, transitionSteps: 0 })],
  ])('rejects %s', (_name, make) => {
    expect(make).toThrow(ValueError);
  });
});
