import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, assertShape, dim, hasShape, matmul, tensor, zeros, type Tensor } from '../../src/index.js';

const loose = (shape: number[]): Tensor<number[]> => zeros(shape);

describe('assertShape', () => {
  it('returns the same tensor when the pattern matches', () => {
    const t = loose([455, 30]);
    const x = assertShape(t, ['rows', 30]);
    expect(x).toBe(t);
    expect(assertShape(t, [null, null]).shape).toEqual([455, 30]);
    expect(assertShape(loose([]), []).shape).toEqual([]);
    expect(assertShape(loose([3, 0, 3]), ['n', 0, 'n']).shape).toEqual([3, 0, 3]);
    // the narrowed tensor works with the typed ops
    expect(matmul(x, zeros([30, 5])).shape).toEqual([455, 5]);
  });

  it('keeps the dtype', () => {
    const i = tensor([1, 2], { dtype: 'int32' }) as Tensor<number[], 'int32'>;
    expect(assertShape(i, [2]).dtype).toBe('int32');
  });

  it('throws ShapeError naming the pattern and the shape', () => {
    const t = loose([455, 31]);
    expect(() => assertShape(t, ['rows', 30])).toThrow(new ShapeError('assertShape: expected [rows,30], got [455,31]'));
    expect(() => assertShape(t, [null])).toThrow(new ShapeError('assertShape: expected [?], got [455,31]'));
    expect(() => assertShape(loose([2, 3]), ['n', 'n'])).toThrow(new ShapeError('assertShape: dim n is 2 at axis 0 but 3 at axis 1'));
  });
});

describe('hasShape', () => {
  it('tells whether the pattern matches', () => {
    const t = loose([2, 3]);
    expect(hasShape(t, [null, 3])).toBe(true);
    expect(hasShape(t, ['a', 'b'])).toBe(true);
    expect(hasShape(t, [2, 3])).toBe(true);
    expect(hasShape(t, [3, null])).toBe(false);
    expect(hasShape(t, ['n', 'n'])).toBe(false);
    expect(hasShape(t, [null])).toBe(false);
    expect(hasShape(loose([3, 3]), ['n', 'n'])).toBe(true);
  });
});

describe('dim', () => {
  it('returns the size, typed by name', () => {
    const b = dim('batch', 64);
    expect(b).toBe(64);
    expect(zeros([b, 10]).shape).toEqual([64, 10]);
    expect(dim('empty', 0)).toBe(0);
  });

  it('throws ValueError for a size that is not a non-negative integer', () => {
    expect(() => dim('b', -1)).toThrow(new ValueError('dim: size of b must be a non-negative integer, got -1'));
    expect(() => dim('b', 1.5)).toThrow(ValueError);
  });
});
