/**
 * Run-time side of conv/pool: the same messages as the compile-time
 * errors (for `number` and `Sym` dims the type cannot check), option
 * validation, NaN propagation and tie routing of max pooling, and inputs
 * left unchanged.
 */
import { describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose2d,
  grad,
  maxPool2d,
  sum,
  tensor,
  zeros,
  DTypeError,
  ShapeError,
  ValueError,
  type Tensor,
} from '../../src/index.js';
import { expectThrows, values } from './helpers.js';

const z = (shape: number[]): Tensor<number[]> => zeros(shape) as Tensor<number[]>;

describe('conv2d shape errors at run time', () => {
  it('names the op and both shapes, as the type does', () => {
    expectThrows(() => conv2d(z([64, 3, 28, 28]), z([32, 1, 3, 3]) as never), ShapeError, 'conv2d: channels differ: input [64,3,28,28] x weights [32,1,3,3] (groups 1)');
    expectThrows(() => conv2d(z([1, 1, 2, 2]), z([1, 1, 3, 3]) as never), ShapeError, 'conv2d: kernel larger than padded input: [1,1,2,2] x [1,1,3,3]');
    expectThrows(
      () => conv2d(z([1, 28, 28]), z([32, 1, 3, 3]) as never),
      ShapeError,
      'conv2d: needs input [N,C,H,W] and weights [O,C/groups,kH,kW], got [1,28,28] x [32,1,3,3]',
    );
    expectThrows(() => conv2d(z([1, 4, 8, 8]), z([3, 2, 3, 3]) as never, { groups: 2 }), ShapeError, 'conv2d: groups 2 do not divide the 3 output channels of weights [3,2,3,3]');
    expectThrows(() => conv1d(z([8, 4, 100]), z([16, 2, 5]) as never), ShapeError, 'conv1d: channels differ: input [8,4,100] x weights [16,2,5] (groups 1)');
    expectThrows(() => conv1d(z([8, 4, 3]), z([16, 4, 5]) as never), ShapeError, 'conv1d: kernel larger than padded input: [8,4,3] x [16,4,5]');
    expectThrows(() => maxPool2d(z([1, 1, 2, 2]) as never, 3), ShapeError, 'maxPool2d: window larger than padded input: [1,1,2,2] with kernel [3,3]');
    expectThrows(() => avgPool2d(z([1, 1, 2, 2]) as never, 3), ShapeError, 'avgPool2d: window larger than padded input: [1,1,2,2] with kernel [3,3]');
    expectThrows(() => convTranspose2d(z([1, 3, 4, 4]), z([2, 1, 3, 3]) as never), ShapeError, 'convTranspose2d: channels differ: input [1,3,4,4] x weights [2,1,3,3]');
  });

  it('checks options', () => {
    expectThrows(() => conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]) as never, { stride: 0 }), ValueError, 'conv2d: stride must be a positive integer, got 0');
    expectThrows(() => conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]) as never, { padding: 'same', stride: 2 }), ValueError, "conv2d: padding 'same' needs stride 1, got 2");
    expectThrows(() => conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]) as never, { padding: -1 }), ValueError, 'conv2d: padding must be a non-negative integer, got -1');
    expectThrows(() => maxPool2d(z([1, 1, 5, 5]) as never, 2, { padding: 2 }), ValueError, 'maxPool2d: padding [2,2] must be at most half the kernel [2,2]');
    expectThrows(
      () => convTranspose2d(z([1, 1, 3, 3]), z([1, 1, 3, 3]) as never, { outputPadding: 1 }),
      ValueError,
      'convTranspose2d: outputPadding [1,1] must be smaller than the stride or the dilation',
    );
    expect(() => conv2d(zeros([1, 1, 3, 3], { dtype: 'int32' }) as never, zeros([1, 1, 1, 1], { dtype: 'int32' }) as never)).toThrow(DTypeError);
  });
});

describe('conv2d values', () => {
  it('is a cross-correlation with padding zeros', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = tensor([[[[1, 0], [0, -1]]]]);
    expect(conv2d(x, w).toArray()).toEqual([[[[-4, -4], [-4, -4]]]]);
    expect(conv2d(x, w, { padding: 1, stride: 2 }).toArray()).toEqual([[[[-1, -3], [-7, -4]]]]);
  });

  it('does not change its inputs', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = tensor([[[[1, 2], [3, 4]]]]);
    const before = [values(x), values(w)];
    grad((a: typeof x, b: typeof w) => sum(conv2d(a, b, { padding: 1 })), { argnums: [0, 1] })(x, w);
    expect([values(x), values(w)]).toEqual(before);
  });
});

describe('maxPool2d', () => {
  it('propagates NaN and sends the gradient to the first of tied maxima (as PyTorch)', () => {
    const x = tensor([[[[1, Number.NaN], [0, 2]], [[5, 5], [5, 1]]]]);
    expect(values(maxPool2d(x, 2))).toEqual([Number.NaN, 5]);
    const g = grad((v: typeof x) => sum(maxPool2d(v, 2)))(x);
    expect(values(g)).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
  });

  it('treats padding as -Infinity', () => {
    const x = tensor([[[[-1, -2], [-3, -4]]]]);
    expect(maxPool2d(x, 2, { stride: 1, padding: 1 }).toArray()).toEqual([[[[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]]]]);
  });
});

describe('avgPool2d and adaptiveAvgPool2d', () => {
  it('average windows; countIncludePad: false ignores padding zeros', () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    expect(avgPool2d(x, 2, { stride: 1, padding: 1 }).toArray()[0]![0]![0]).toEqual([0.25, 0.75, 0.5]);
    expect(avgPool2d(x, 2, { stride: 1, padding: 1, countIncludePad: false }).toArray()[0]![0]![0]).toEqual([1, 1.5, 2]);
    expect(adaptiveAvgPool2d(x, 1).toArray()).toEqual([[[[2.5]]]]);
  });
});
