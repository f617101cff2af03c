// Activations: values against closed forms in float32 and float64, and
// derivatives against finite differences (points away from kinks).
import { describe, expect, it } from 'vitest';
import { grad, nn, sum, tensor, type FloatDType, type Tensor } from '../../src/index.js';
import { ndtr } from '../../src/random/special.js';
import { checkGrads } from '../../src/testing/index.js';

const xs = [-30, -3, -1.5, -0.2, 0.3, 1, 2.5, 30];
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const cases: [string, (x: Tensor<[number], FloatDType>) => Tensor<[number], FloatDType>, (x: number) => number][] = [
  ['relu', (x) => nn.relu(x), (x) => Math.max(x, 0)],
  ['sigmoid', (x) => nn.sigmoid(x), sigmoid],
  ['tanh', (x) => nn.tanh(x), Math.tanh],
  ['leakyRelu', (x) => nn.leakyRelu(x), (x) => (x > 0 ? x : 0.01 * x)],
  ['leakyRelu(0.2)', (x) => nn.leakyRelu(x, 0.2), (x) => (x > 0 ? x : 0.2 * x)],
  ['elu', (x) => nn.elu(x), (x) => (x > 0 ? x : Math.expm1(x))],
  ['elu(0.5)', (x) => nn.elu(x, 0.5), (x) => (x > 0 ? x : 0.5 * Math.expm1(x))],
  ['silu', (x) => nn.silu(x), (x) => x * sigmoid(x)],
  ['gelu', (x) => nn.gelu(x), (x) => x * ndtr(x)],
  ['gelu (tanh)', (x) => nn.gelu(x, { approximate: true }), (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))],
];

describe.each(cases)('%s', (_name, f, ref) => {
  it.each(['float32', 'float64'] as const)('matches its closed form (%s)', (dtype) => {
    const y = f(tensor(xs, { dtype }) as Tensor<[number], FloatDType>);
    expect(y.dtype).toBe(dtype);
    expect(y).toBeAllclose(xs.map(ref), { rtol: dtype === 'float32' ? 2e-6 : 2e-7, atol: 1e-7 });
  });

  it('has the derivatives of finite differences (order 2)', () => {
    checkGrads((x: Tensor<[6], 'float64'>) => f(x as Tensor<[number], FloatDType>), [tensor([-2.1, -0.7, -0.15, 0.4, 1.3, 2.2], { dtype: 'float64' })], { order: 2 });
  });
});

describe('gelu', () => {
  it('has derivative 1/2 at 0 (exact and tanh forms)', () => {
    const x = tensor([0], { dtype: 'float64' });
    expect(grad((z: typeof x) => sum(nn.gelu(z)))(x)).toBeAllclose([0.5], { rtol: 1e-7 });
    expect(grad((z: typeof x) => sum(nn.gelu(z, { approximate: true })))(x)).toBeAllclose([0.5], { rtol: 1e-12 });
  });

  it('is x Phi(x) to 1.2e-7 relative over a wide range', () => {
    const grid = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);
    const got = nn.gelu(tensor(grid, { dtype: 'float64' })).toTypedArray();
    grid.forEach((x, i) => {
      const want = x * ndtr(x);
      expect(Math.abs(got[i]! - want)).toBeLessThanOrEqual(1.2e-7 * Math.abs(want) + 1e-300);
    });
  });
});

describe('softmax and logSoftmax', () => {
  const x = [[1, 2, 3], [1000, 1000, -1000], [-Infinity, 0, 0]];
  const ref = (r: number[]) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b);
    return e.map((v) => v / s);
  };

  it.each(['float32', 'float64'] as const)('are stable for large and infinite logits (%s)', (dtype) => {
    const t = tensor(x, { dtype });
    const tol = { rtol: dtype === 'float32' ? 1e-6 : 1e-14, atol: 1e-30 };
    expect(nn.softmax(t)).toBeAllclose(x.map(ref), tol);
    expect(nn.logSoftmax(t)).toBeAllclose(x.map((r) => ref(r).map(Math.log)), tol);
    expect((nn.softmax(t, 0).toArray() as number[][])[0]![0]).toBeCloseTo(0, 30);
  });

  it('have the derivatives of finite differences', () => {
    const t = tensor([[0.5, -1, 2], [0.1, 0.2, -0.3]], { dtype: 'float64' });
    checkGrads((z: typeof t) => nn.softmax(z), [t], { order: 2 });
    checkGrads((z: typeof t) => nn.logSoftmax(z, 0), [t], { order: 2 });
  });
});
