import { describe, expect, it } from 'vitest';
import { ValueError, accuracy, bce, bceWithLogits, grad, softmaxCrossEntropy, sum, tensor, type Tensor } from '../../src/index.js';

/** Losses and metrics refuse the values they would hide (issue 15, class 5). */
describe('losses and metrics do not hide bad values', () => {
  it('bce refuses NaN and predictions or targets outside [0, 1], also under grad', () => {
    expect(() => bce(tensor([NaN]), tensor([1]))).toThrow(/^bce: prediction must be in \[0, 1\], got NaN at flat index 0$/);
    expect(() => bce(tensor([0.5, 1.5]), tensor([1, 1]))).toThrow(/^bce: prediction must be in \[0, 1\], got 1.5 at flat index 1$/);
    expect(() => bce(tensor([0.5]), tensor([2]))).toThrow(/^bce: target must be in \[0, 1\], got 2/);
    expect(() => bce(tensor([0.5]), tensor([-1]))).toThrow(ValueError);
    expect(() => grad((p: Tensor<[1]>) => bce(p, tensor([1])))(tensor([NaN]))).toThrow(ValueError);
    expect(bce(tensor([0, 1]), tensor([1, 1])).item()).toBeCloseTo(50); // the documented clamp still holds
  });

  it('bceWithLogits is finite at ±Infinity (0 when right, ∞ when wrong) and refuses targets outside [0, 1]', () => {
    expect(bceWithLogits(tensor([Infinity]), tensor([1])).item()).toBe(0);
    expect(bceWithLogits(tensor([-Infinity]), tensor([0])).item()).toBe(0);
    expect(bceWithLogits(tensor([Infinity]), tensor([0])).item()).toBe(Infinity);
    expect(bceWithLogits(tensor([1e4, -1e4]), tensor([1, 1]), { reduction: 'none' }).toArray()).toEqual([0, 1e4]);
    expect(bceWithLogits(tensor([0]), tensor([1])).item()).toBeCloseTo(Math.log(2), 6);
    // d/dx = sigmoid(x) - y, 1/2 - y at the tie x = 0
    const g = grad((x: Tensor<[3]>) => sum(bceWithLogits(x, tensor([1, 0, 0.25]), { reduction: 'none' })))(tensor([0, 2, -1], { dtype: 'float32' }));
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const want = [sig(0) - 1, sig(2) - 0, sig(-1) - 0.25];
    g.toArray().forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    expect(() => bceWithLogits(tensor([0]), tensor([2]))).toThrow(/^bceWithLogits: target must be in \[0, 1\], got 2/);
  });

  it('accuracy refuses NaN predictions and labels out of range instead of counting them correct', () => {
    expect(() => accuracy(tensor([NaN, 0.9]), tensor([0, 1]))).toThrow(/^accuracy: prediction is NaN at flat index 0$/);
    expect(() => accuracy(tensor([0.2]), tensor([2]))).toThrow(/^accuracy: binary target must be 0 or 1 \(or a probability in \[0, 1\]\), got 2/);
    expect(() => accuracy(tensor([0.2]), tensor([5], { dtype: 'int32' }))).toThrow(ValueError);
    expect(() => accuracy(tensor([[0.1, 0.9]]), tensor([7], { dtype: 'int32' }))).toThrow(/^accuracy: label 7 at flat index 0 is out of range for 2 classes/);
    expect(() => accuracy(tensor([[NaN, 0.9]]), tensor([0], { dtype: 'int32' }))).toThrow(/^accuracy: prediction is NaN at row 0, class 0$/);
    expect(accuracy(tensor([0.9, 0.4]), tensor([true, false]))).toBe(1);
  });

  it('softmaxCrossEntropy refuses negative (or NaN, or > 1) soft labels', () => {
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), tensor([[-1, 2]]))).toThrow(/^softmaxCrossEntropy: labels must be in \[0, 1\], got -1 at flat index 0$/);
    expect(() => softmaxCrossEntropy(tensor([[1, 2]]), tensor([[NaN, 1]]))).toThrow(ValueError);
    expect(softmaxCrossEntropy(tensor([[0, 0]]), tensor([[0.5, 0.5]])).item()).toBeCloseTo(Math.log(2), 6);
  });
});
