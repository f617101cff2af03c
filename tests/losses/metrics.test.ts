// accuracy and confusionMatrix against hand counts.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError, accuracy, confusionMatrix, tensor } from '../../src/index.js';

const int = (v: readonly number[]) => tensor(v, { dtype: 'int32' });

describe('accuracy', () => {
  it('binary from probabilities, logits or a threshold', () => {
    expect(accuracy(tensor([0.9, 0.4, 0.6, 0.5]), tensor([1, 0, 0, 0]))).toBe(0.75);
    expect(accuracy(tensor([[2.1], [-0.3]]), tensor([[1], [1]]), { logits: true })).toBe(0.5);
    expect(accuracy(tensor([0.65, 0.75]), tensor([1, 1]), { threshold: 0.7 })).toBe(0.5);
    expect(accuracy(tensor([0.9, 0.1]), tensor([true, false]))).toBe(1);
    expect(accuracy(tensor([0.9, 0.1]), int([1, 0]))).toBe(1);
  });

  it('multiclass by argmax (first at ties) against int32 labels', () => {
    const scores = tensor([[0.1, 0.9, 0], [0.8, 0.2, 0], [0.5, 0.5, 0], [0, 0, 1]]);
    expect(accuracy(scores, int([1, 1, 0, 2]))).toBe(0.75);
    expect(accuracy(tensor([[[1, 0], [0, 1]]]), tensor([[0, 0]], { dtype: 'int32' }))).toBe(0.5);
  });

  it('rejects shapes that would broadcast, and single-class argmax', () => {
    expect(() => accuracy(tensor([[0.5], [0.2]]), tensor([1, 0]) as never)).toThrow(ShapeError);
    expect(() => accuracy(tensor([[0.5], [0.2]]), tensor([1, 0]) as never)).toThrow('accuracy: prediction [2,1] and target [2] must have the same shape');
    expect(() => accuracy(tensor([[0.5], [0.2]]), int([1, 0]) as never)).toThrow(/has one class/);
    expect(() => accuracy(int([1, 0]) as never, int([1, 0]))).toThrow(DTypeError);
    expect(Number.isNaN(accuracy(tensor([]), tensor([])))).toBe(true);
  });
});

describe('confusionMatrix', () => {
  it('counts target (rows) against prediction (columns)', () => {
    const cm = confusionMatrix(int([0, 1, 1, 2, 2]), int([0, 1, 2, 2, 2]), 3);
    expect(cm.dtype).toBe('int32');
    expect(cm.toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 1, 2]]);
    expect(confusionMatrix(tensor([true, false, true]), tensor([true, true, false]), 2).toArray()).toEqual([[0, 1], [1, 1]]);
  });

  it('rejects classes out of range and float inputs', () => {
    expect(() => confusionMatrix(int([0, 3]), int([0, 1]), 3)).toThrow(ValueError);
    expect(() => confusionMatrix(tensor([0.5]) as never, int([0]), 2)).toThrow(DTypeError);
    expect(() => confusionMatrix(int([0, 1]), int([0]) as never, 2)).toThrow(ShapeError);
  });
});
