/**
 * Printing: `toString()` and Node's `util.inspect` show values as NumPy's
 * `repr` does (columns aligned, floats in one notation, big tensors
 * summarised with `...`), followed by the shape and dtype. The expected
 * strings for the float cases are NumPy 1.x's own output (`repr(np.array(...))`
 * with `array(` renamed, precision 4 and `, shape=[...]` added).
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, astype, div, jit, reshape, scalar, tensor, zeros, type Scalar } from '../../src/index.js';
import { formatTensor } from '../../src/core/format.js';
import { arbShape } from '../../src/testing/arbitraries.js';

describe('toString', () => {
  it('prints a matrix with its shape and dtype, rows aligned under each other', () => {
    expect(String(tensor([[1, 2, 3], [4, 5, 6]]))).toBe('Tensor([[1., 2., 3.],\n        [4., 5., 6.]], shape=[2, 3], dtype=float32)');
  });

  it('pads decimals to the widest element, as NumPy does', () => {
    // numpy: array([[1.5 , 2.  , 3.  ],\n       [4.  , 5.  , 6.25]], dtype=float32)
    expect(tensor([[1.5, 2, 3], [4, 5, 6.25]]).toString()).toBe('Tensor([[1.5 , 2.  , 3.  ],\n        [4.  , 5.  , 6.25]], shape=[2, 3], dtype=float32)');
    expect(String(div(tensor([1, 2, 3]), 3))).toBe('Tensor([0.3333, 0.6667, 1.    ], shape=[3], dtype=float32)');
  });

  it('separates the blocks of a rank-3 tensor with a blank line', () => {
    expect(String(reshape(arange(24), [2, 3, 4]))).toBe(
      [
        'Tensor([[[ 0.,  1.,  2.,  3.],',
        '         [ 4.,  5.,  6.,  7.],',
        '         [ 8.,  9., 10., 11.]],',
        '',
        '        [[12., 13., 14., 15.],',
        '         [16., 17., 18., 19.],',
        '         [20., 21., 22., 23.]]], shape=[2, 3, 4], dtype=float32)',
      ].join('\n'),
    );
  });

  it('uses exponent notation for big or tiny values, and nan / inf', () => {
    // numpy: array([1.e+09, 1.e+00, 2.e+00], dtype=float32); array([  nan,   inf, -1.25], dtype=float32)
    expect(String(tensor([1e9, 1, 2]))).toBe('Tensor([1.e+09, 1.e+00, 2.e+00], shape=[3], dtype=float32)');
    expect(String(tensor([NaN, Infinity, -1.25]))).toBe('Tensor([  nan,   inf, -1.25], shape=[3], dtype=float32)');
  });

  it('prints int32, bool, scalars and empty tensors', () => {
    expect(String(astype(tensor([1, 20, 3]), 'int32'))).toBe('Tensor([ 1, 20,  3], shape=[3], dtype=int32)');
    expect(String(astype(tensor([0, 1]), 'bool'))).toBe('Tensor([false,  true], shape=[2], dtype=bool)');
    expect(String(scalar(3.5))).toBe('Tensor(3.5, shape=[], dtype=float32)');
    expect(String(zeros([0, 3]))).toBe('Tensor([], shape=[0, 3], dtype=float32)');
  });

  it('summarises more than 1000 elements: three entries at each end of every axis', () => {
    expect(String(arange(2000))).toBe('Tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=[2000], dtype=float32)');
    const lines = String(reshape(arange(10000), [100, 100])).split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('Tensor([[   0.,    1.,    2., ...,   97.,   98.,   99.],');
    expect(lines[3]).toBe('        ...,');
    expect(lines[6]).toBe('        [9900., 9901., 9902., ..., 9997., 9998., 9999.]], shape=[100, 100], dtype=float32)');
  });

  it('for any shape: names shape and dtype, shows every element up to 1000, summarises past it', () => {
    fc.assert(
      fc.property(arbShape({ maxRank: 4, maxDim: 12 }), (shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const text = formatTensor(new Float32Array(size).map((_, i) => i), shape, 'float32');
        expect(text.endsWith(`, shape=[${shape.join(', ')}], dtype=float32)`)).toBe(true);
        expect(text.includes('...')).toBe(size > 1000);
        if (size <= 1000 && size > 0) expect(text.match(/\d+\./g)?.length).toBe(size);
      }),
    );
  });

  it('inside jit, where values are abstract, prints the type', () => {
    let text = '';
    jit((x: Scalar) => {
      text = String(x);
      return x;
    })(scalar(1));
    expect(text).toBe('Tensor<[], float32>');
  });
});

describe("Node's util.inspect and console.log", () => {
  it('show the values, also inside objects', () => {
    expect(inspect(tensor([1, 2]))).toBe('Tensor([1., 2.], shape=[2], dtype=float32)');
    expect(inspect({ w: tensor([1, 2]) })).toBe('{ w: Tensor([1., 2.], shape=[2], dtype=float32) }');
  });
});
