/**
 * Library code that reads values eagerly (label range checks, batch-norm
 * running statistics) takes its staged path under jit.
 */
import { describe, expect, it } from 'vitest';
import { grad, jit, mul, nn, oneHot, random, softmaxCrossEntropy, sum, tensor, type Tensor } from '../../src/index.js';

describe('layers and losses under jit', () => {
  it('batchNorm in train mode: outputs, running statistics and gradients equal eager', () => {
    const bn = nn.batchNorm(3);
    const p = bn.init(random.key(0));
    const s = bn.initState();
    const x = tensor([[1, 2, 3], [4, 5, 7], [0, 1, -1], [2, -2, 0.5]]);
    const f = (pp: typeof p, ss: typeof s, xx: Tensor<[4, 3]>) => {
      const [y, next] = bn.apply(pp, ss, xx, { mode: 'train' });
      const g = grad((q: typeof p) => sum(mul(bn.apply(q, ss, xx, { mode: 'train' })[0], xx)))(pp);
      return { y, next, g };
    };
    const a = f(p, s, x), b = jit(f)(p, s, x);
    expect(b.y).toBeAllclose(a.y);
    expect(b.next.mean).toBeAllclose(a.next.mean);
    expect(b.next.var).toBeAllclose(a.next.var);
    expect(b.g.scale).toBeAllclose(a.g.scale);
    expect(b.g.bias).toBeAllclose(a.g.bias);
  });

  it('softmaxCrossEntropy with int32 labels and oneHot stage (labels are abstract inputs)', () => {
    const logits = tensor([[1, 2, 0.5], [0.1, -1, 2]]);
    const y = tensor([2, 0], { dtype: 'int32' });
    const f = (l: Tensor<[2, 3]>, yy: Tensor<[2], 'int32'>) => [softmaxCrossEntropy(l, yy), oneHot(yy, 3)] as const;
    const [l0, h0] = f(logits, y);
    const [l1, h1] = jit(f)(logits, y);
    expect(l1).toBeAllclose(l0);
    expect(h1.toArray()).toEqual(h0.toArray());
    // Eagerly the label range is still checked.
    expect(() => f(logits, tensor([3, 0], { dtype: 'int32' }))).toThrow(/out of range/);
  });
});
