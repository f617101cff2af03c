// Losses against hand-computed values (extreme logits, probabilities of
// exactly 0 and 1 included), their reductions, their gradients (checkGrads
// and closed forms), and their shape errors.
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ShapeError,
  ValueError,
  bce,
  bceWithLogits,
  grad,
  huber,
  l1,
  matmul,
  mse,
  nll,
  nn,
  softmaxCrossEntropy,
  tensor,
  type NestedData,
  type Tensor,
} from '../../src/index.js';
import { checkGrads } from '../../src/testing/index.js';

const f64 = <const T extends NestedData>(v: T) => tensor(v, { dtype: 'float64' });
const int = (v: readonly number[]) => tensor(v, { dtype: 'int32' });

describe('regression losses', () => {
  const p = f64([1, 2, 3, -1]);
  const y = f64([1, 2.5, 5, 1]);

  it('mse', () => {
    expect(mse(p, y)).toBeAllclose((0 + 0.25 + 4 + 4) / 4, { rtol: 1e-15 });
    expect(mse(p, y, { reduction: 'sum' })).toBeAllclose(8.25, { rtol: 1e-15 });
    expect(mse(p, y, { reduction: 'none' })).toBeAllclose([0, 0.25, 4, 4]);
  });

  it('l1', () => {
    expect(l1(p, y)).toBeAllclose((0 + 0.5 + 2 + 2) / 4, { rtol: 1e-15 });
    expect(l1(p, y, { reduction: 'none' })).toBeAllclose([0, 0.5, 2, 2]);
  });

  it('huber: quadratic inside delta, linear outside', () => {
    expect(huber(p, y, { reduction: 'none' })).toBeAllclose([0, 0.125, 1.5, 1.5]);
    expect(huber(p, y, { delta: 2, reduction: 'none' })).toBeAllclose([0, 0.125, 2, 2]);
    expect(huber(p, y, { delta: 0.5 })).toBeAllclose((0 + 0.125 + 0.5 * (2 - 0.25) * 2) / 4);
    expect(() => huber(p, y, { delta: 0 })).toThrow(ValueError);
  });

  it('keep float32 and accept targets of any dtype', () => {
    const loss = mse(tensor([1, 2]), int([1, 4]));
    expect(loss.dtype).toBe('float32');
    expect(loss).toBeAllclose(2);
  });

  it('have the derivatives finite differences give', () => {
    const yy = f64([0.3, -1.2, 2.2, 0.7]); // no difference at a kink (0 or delta)
    for (const loss of [mse, l1, huber]) checkGrads((a: typeof p) => loss(a, yy), [f64([1, 2.1, 3, -0.9])], { order: 2 });
    checkGrads((a: typeof p) => huber(a, yy, { delta: 0.5, reduction: 'sum' }), [f64([1, 2.1, 3, -0.9])]);
    expect(grad((a: typeof p) => mse(a, y))(p)).toBeAllclose([0, -0.25, -1, -1]);
  });
});

describe('bce', () => {
  it('equals -(y log p + (1 - y) log(1 - p))', () => {
    const p = f64([0.9, 0.2, 0.5]);
    const y = f64([1, 0, 1]);
    const want = [-Math.log(0.9), -Math.log(0.8), -Math.log(0.5)];
    expect(bce(p, y, { reduction: 'none' })).toBeAllclose(want, { rtol: 1e-15 });
    expect(bce(p, y)).toBeAllclose(want.reduce((a, b) => a + b) / 3, { rtol: 1e-15 });
  });

  it('clamps the log at -100 for probabilities of exactly 0 and 1', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const p = tensor([0, 1, 0, 1, 1e-50, 0.5], { dtype });
      const y = tensor([1, 0, 0, 1, 1, 0.25], { dtype });
      const got = bce(p, y, { reduction: 'none' });
      const tail = dtype === 'float32' ? 100 : Math.min(100, -Math.log(1e-50));
      expect(got).toBeAllclose([100, 100, 0, 0, tail, Math.log(2)], { rtol: 1e-6 });
      const g = grad((q: typeof p) => bce(q, y, { reduction: 'sum' }))(p);
      expect(g.toTypedArray().every(Number.isFinite)).toBe(true);
    }
  });

  it('stays finite where a saturated sigmoid gives exactly 0 or 1 (un-scaled features)', () => {
    const w = { w: tensor([[30], [-30]]) };
    const x = tensor([[40, 1], [1, 40]]);
    const y = tensor([[0], [1]]);
    const loss = (p: typeof w) => bce(nn.sigmoid(matmul(x, p.w)), y);
    expect(loss(w).item()).toBe(100);
    expect(Number.isFinite(grad(loss)(w).w.toArray()[0]![0]!)).toBe(true);
  });

  it('has the derivative (p - y) / (p (1 - p))', () => {
    const p = f64([0.3, 0.8, 0.5]);
    const y = f64([1, 0, 0.4]);
    const want = [0.3, 0.8, 0.5].map((q, i) => (q - [1, 0, 0.4][i]!) / (q * (1 - q)));
    expect(grad((q: typeof p) => bce(q, y, { reduction: 'sum' }))(p)).toBeAllclose(want, { rtol: 1e-12 });
    checkGrads((q: typeof p) => bce(q, y), [p], { order: 2 });
  });
});

describe('bceWithLogits', () => {
  const ref = (x: number, y: number) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));

  it('equals softplus(x) - x y, for |x| up to 1e4', () => {
    const xs = [0, 1, -1, 20, -20, 1e4, -1e4, 1e-8];
    const ys = [1, 0, 1, 0, 1, 1, 1, 0.5];
    for (const dtype of ['float32', 'float64'] as const) {
      const got = bceWithLogits(tensor(xs, { dtype }), tensor(ys, { dtype }), { reduction: 'none' });
      expect(got).toBeAllclose(xs.map((x, i) => ref(x, ys[i]!)), { rtol: dtype === 'float32' ? 1e-6 : 1e-15, atol: 1e-7 });
      expect(got.toTypedArray().every(Number.isFinite)).toBe(true);
    }
    expect(bceWithLogits(f64([0]), f64([1]))).toBeAllclose(Math.LN2, { rtol: 1e-15 });
    expect(bceWithLogits(f64([1e4, -1e4]), f64([1, 1]), { reduction: 'none' })).toBeAllclose([0, 1e4]);
  });

  it('has the derivative sigmoid(x) - y, finite at |x| = 1e4 and 1/2 - y at 0', () => {
    const xs = [0, 0, 2, -3, 1e4, -1e4];
    const ys = [1, 0, 0.3, 1, 0, 1];
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor(xs, { dtype });
      const g = grad((z: typeof x) => bceWithLogits(z, tensor(ys, { dtype }), { reduction: 'sum' }))(x);
      expect(g).toBeAllclose(xs.map((v, i) => 1 / (1 + Math.exp(-v)) - ys[i]!), { rtol: dtype === 'float32' ? 1e-6 : 1e-14, atol: 1e-7 });
    }
    checkGrads((z: Tensor<[3], 'float64'>) => bceWithLogits(z, f64([0, 1, 0.5])), [f64([0.5, -2, 3])], { order: 2 });
  });
});

describe('softmaxCrossEntropy and nll', () => {
  const logits = f64([[2, 0, 0], [0, 0, 5], [1, 2, 3]]);
  const labels = int([0, 2, 1]);
  const oneHot = f64([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  const lse = (r: number[]) => Math.log(r.reduce((a, v) => a + Math.exp(v), 0));
  const want = [lse([2, 0, 0]) - 2, lse([0, 0, 5]) - 5, lse([1, 2, 3]) - 2];

  it('equals logsumexp(x) - x[label], with integer or one-hot labels', () => {
    expect(softmaxCrossEntropy(logits, labels, { reduction: 'none' })).toBeAllclose(want, { rtol: 1e-14 });
    expect(softmaxCrossEntropy(logits, oneHot, { reduction: 'none' })).toBeAllclose(want, { rtol: 1e-14 });
    expect(softmaxCrossEntropy(logits, labels)).toBeAllclose((want[0]! + want[1]! + want[2]!) / 3, { rtol: 1e-14 });
    expect(nll(nn.logSoftmax(logits), labels, { reduction: 'sum' })).toBeAllclose(want[0]! + want[1]! + want[2]!, { rtol: 1e-14 });
  });

  it('is stable for logits of 1e4 and masked (-Infinity) classes', () => {
    const big = tensor([[1e4, -1e4, 0], [0, 1e4, 1e4], [-Infinity, 0, 0]]);
    const got = softmaxCrossEntropy(big, int([1, 2, 1]), { reduction: 'none' });
    expect(got).toBeAllclose([2e4, Math.LN2, Math.LN2], { rtol: 1e-6 });
    const g = grad((z: typeof big) => softmaxCrossEntropy(z, int([1, 2, 1])))(big);
    expect(g.toTypedArray().every(Number.isFinite)).toBe(true);
    expect(softmaxCrossEntropy(big, tensor([[0, 1, 0], [0, 0.5, 0.5], [0, 1, 0]]), { reduction: 'none' })).toBeAllclose([2e4, Math.LN2, Math.LN2], { rtol: 1e-6 });
  });

  it('applies label smoothing as PyTorch does', () => {
    const s = 0.1;
    const logp = [[2, 0, 0], [0, 0, 5], [1, 2, 3]].map((r) => r.map((v) => v - lse(r)));
    const smoothed = logp.map((r, i) => -r.reduce((a, v, k) => a + ((k === [0, 2, 1][i] ? 1 - s : 0) + s / 3) * v, 0));
    expect(softmaxCrossEntropy(logits, labels, { labelSmoothing: s, reduction: 'none' })).toBeAllclose(smoothed, { rtol: 1e-14 });
  });

  it('has the derivative softmax(x) - y', () => {
    const g = grad((z: typeof logits) => softmaxCrossEntropy(z, labels, { reduction: 'sum' }))(logits);
    const sm = nn.softmax(logits).toArray();
    expect(g).toBeAllclose(sm.map((r, i) => r.map((v, k) => v - (k === [0, 2, 1][i] ? 1 : 0))), { rtol: 1e-14 });
    checkGrads((z: typeof logits) => softmaxCrossEntropy(z, labels), [logits], { order: 2 });
    checkGrads((z: typeof logits) => softmaxCrossEntropy(z, oneHot, { labelSmoothing: 0.2 }), [logits]);
    checkGrads((z: typeof logits) => nll(nn.logSoftmax(z), labels), [logits]);
  });

  it('works over leading batch dims', () => {
    const x = f64([[[1, 2], [3, 0]], [[0, 0], [5, 1]]]);
    const got = softmaxCrossEntropy(x, tensor([[1, 0], [0, 1]], { dtype: 'int32' }), { reduction: 'none' });
    expect(got.shape).toEqual([2, 2]);
    expect(got).toBeAllclose([[lse([1, 2]) - 2, lse([3, 0]) - 3], [Math.LN2, lse([5, 1]) - 1]], { rtol: 1e-14 });
  });

  it('rejects labels out of range, of the wrong shape or dtype', () => {
    expect(() => softmaxCrossEntropy(logits, int([0, 3, 1]))).toThrow(ValueError);
    expect(() => softmaxCrossEntropy(logits, int([0, 3, 1]))).toThrow(/label 3 at flat index 1 is out of range for 3 classes/);
    expect(() => softmaxCrossEntropy(logits, int([0, 1]) as never)).toThrow(/integer labels \[2\] must have the shape of the logits \[3,3\] without the class axis, \[3\]/);
    expect(() => softmaxCrossEntropy(logits, f64([1, 0, 0]) as never)).toThrow(/one-hot labels \[3\] must have the shape of the logits \[3,3\]/);
    expect(() => nll(logits, oneHot as never)).toThrow(DTypeError);
    expect(() => softmaxCrossEntropy(logits, labels, { labelSmoothing: 2 })).toThrow(ValueError);
  });
});

describe('shape and option errors', () => {
  const p = tensor([[0.5], [0.2], [0.9]]);
  const y = tensor([1, 0, 1]);

  it.each([
    ['mse', mse],
    ['l1', l1],
    ['huber', huber],
    ['bce', bce],
    ['bceWithLogits', bceWithLogits],
  ] as const)('%s rejects [N, 1] against [N] at run time too', (name, loss) => {
    const f = loss as typeof mse;
    expect(() => f(p, y as never)).toThrow(ShapeError);
    expect(() => f(p, y as never)).toThrow(`${name}: prediction [3,1] and target [3] must have the same shape`);
  });

  it('rejects an unknown reduction and non-float predictions', () => {
    expect(() => mse(p, p, { reduction: 'avg' as never })).toThrow(ValueError);
    expect(() => mse(int([1]) as never, int([1]))).toThrow(DTypeError);
  });
});
