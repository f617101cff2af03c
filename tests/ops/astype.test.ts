import { describe, expect, it } from 'vitest';
import { DTypeError, astype, grad, mul, sin, sum, tensor, type DType, type Tensor } from '../../src/index.js';
import { checkGrads } from '../../src/testing/index.js';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

describe('astype', () => {
  it('converts between every pair of dtypes', () => {
    const src = {
      float32: tensor([1.5, -1.5, 0, 2], { dtype: 'float32' }),
      float64: tensor([1.5, -1.5, 0, 2], { dtype: 'float64' }),
      int32: tensor([1, -1, 0, 2], { dtype: 'int32' }),
      bool: tensor([true, true, false, true]),
    };
    const want: Record<DType, Record<DType, unknown[]>> = {
      float32: { float32: [1.5, -1.5, 0, 2], float64: [1.5, -1.5, 0, 2], int32: [1, -1, 0, 2], bool: [true, true, false, true] },
      float64: { float32: [1.5, -1.5, 0, 2], float64: [1.5, -1.5, 0, 2], int32: [1, -1, 0, 2], bool: [true, true, false, true] },
      int32: { float32: [1, -1, 0, 2], float64: [1, -1, 0, 2], int32: [1, -1, 0, 2], bool: [true, true, false, true] },
      bool: { float32: [1, 1, 0, 1], float64: [1, 1, 0, 1], int32: [1, 1, 0, 1], bool: [true, true, false, true] },
    };
    for (const from of DTYPES) {
      for (const to of DTYPES) {
        const y = astype(src[from] as Tensor<[4], DType>, to);
        expect(y.dtype, `${from} -> ${to}`).toBe(to);
        expect(y.shape).toEqual([4]);
        expect(y.toArray(), `${from} -> ${to}`).toEqual(want[from][to]);
      }
    }
  });

  it('truncates toward zero, keeps scalars and empty tensors, returns x for the same dtype', () => {
    expect(astype(tensor([2.9, -2.9]), 'int32').toArray()).toEqual([2, -2]);
    expect(astype(tensor(3.5), 'int32').item()).toBe(3);
    expect(astype(tensor([] as number[], [0]), 'bool').shape).toEqual([0]);
    const x = tensor([1, 2]);
    expect(astype(x, 'float32')).toBe(x);
    expect(x.toArray()).toEqual([1, 2]);
  });

  it('throws DTypeError for an unknown dtype', () => {
    expect(() => astype(tensor([1]), 'float16' as DType)).toThrow(new DTypeError('astype: unknown dtype "float16": expected float32, float64, int32 or bool'));
  });

  it('passes derivatives between float dtypes only', () => {
    checkGrads((x: Tensor<[3], 'float64'>) => sin(mul(astype(x, 'float64'), x)), [tensor([0.1, 0.2, -0.3], { dtype: 'float64' })], { order: 2 });
    const x = tensor([0.5, -1.5], { dtype: 'float32' });
    const g = grad((t: Tensor<[2], 'float32'>) => sum(mul(astype(t, 'float64'), astype(t, 'float64'))))(x);
    expect(g.dtype).toBe('float32');
    expect(g.toArray()).toEqual([1, -3]);
    const dz = grad((t: Tensor<[2], 'float32'>) => sum(astype(astype(t, 'int32'), 'float32')))(x);
    expect(dz.toArray()).toEqual([0, 0]);
  });
});
