import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError, dot, matmul, outer, sin, tensor, zeros, type DType, type Tensor } from '../../src/index.js';
import { broadcastShapes, matmulShape } from '../../src/shape/index.js';
import { checkGrads } from '../../src/testing/index.js';

const seed = { seed: 9191, numRuns: 200 };
const values = (t: { toTypedArray(): ArrayLike<number> }): number[] => Array.from(t.toTypedArray());
const sizeOf = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);
const seq = (shape: readonly number[], dtype: DType, k: number): Tensor<number[], DType> =>
  tensor(
    Array.from({ length: sizeOf(shape) }, (_, i) => (dtype === 'bool' ? (i + k) % 2 : ((i * 7 + k) % 5) - 2)),
    shape as number[],
    { dtype },
  );
const f64 = { dtype: 'float64' } as const;

/** Naive NumPy matmul on plain arrays: promote 1-D, broadcast batch dims, triple loop, drop promoted dims. */
function naiveMatmul(a: number[], sa: readonly number[], b: number[], sb: readonly number[]): { shape: number[]; data: number[] } {
  const A = sa.length === 1 ? [1, sa[0]!] : [...sa];
  const B = sb.length === 1 ? [sb[0]!, 1] : [...sb];
  const [m, k] = A.slice(-2) as [number, number];
  const n = B[B.length - 1]!;
  const pa = A.slice(0, -2), pb = B.slice(0, -2);
  const batch = broadcastShapes('ref', pa, pb);
  const offset = (p: number[], idx: number[]): number => {
    let o = 0;
    const lead = idx.length - p.length;
    p.forEach((d, i) => (o = o * d + (d === 1 ? 0 : idx[lead + i]!)));
    return o;
  };
  const data: number[] = [];
  for (let bi = 0; bi < sizeOf(batch); bi++) {
    const idx: number[] = [];
    let r = bi;
    for (let i = batch.length - 1; i >= 0; i--) {
      idx.unshift(r % batch[i]!);
      r = Math.floor(r / batch[i]!);
    }
    const oa = offset(pa, idx) * m * k, ob = offset(pb, idx) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[oa + i * k + p]! * b[ob + p * n + j]!;
        data.push(s);
      }
  }
  const shape = [...batch];
  if (sa.length > 1) shape.push(m);
  if (sb.length > 1) shape.push(n);
  return { shape, data };
}

describe('matmul', () => {
  const a = tensor([[1, 2], [3, 4]]);

  it('multiplies matrices, with 1-D operands promoted and dropped', () => {
    expect(matmul(a, tensor([[5, 6], [7, 8]])).toArray()).toEqual([[19, 22], [43, 50]]);
    expect(matmul(a, tensor([[1], [1]])).toArray()).toEqual([[3], [7]]);
    expect(matmul(tensor([1, 1]), a).toArray()).toEqual([4, 6]);
    expect(matmul(a, tensor([1, -1])).toArray()).toEqual([-1, -1]);
    expect(matmul(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
    expect(matmul(tensor([1, 2]), tensor([[[1], [0]], [[0], [1]]])).toArray()).toEqual([[1], [2]]);
  });

  it('broadcasts batch dims', () => {
    const x = tensor([[[1, 0], [0, 1]], [[2, 0], [0, 2]]]); // [2, 2, 2]
    expect(matmul(x, a).toArray()).toEqual([[[1, 2], [3, 4]], [[2, 4], [6, 8]]]);
    expect(matmul(zeros([7, 1, 2, 3]), zeros([5, 3, 4])).shape).toEqual([7, 5, 2, 4]);
  });

  it('handles size-0 and size-1 dims', () => {
    expect(matmul(zeros([2, 0]), zeros([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(matmul(zeros([0, 2]), zeros([2, 3])).shape).toEqual([0, 3]);
    expect(matmul(zeros([0]), zeros([0])).item()).toBe(0);
    expect(matmul(tensor([[2]]), tensor([[3]])).toArray()).toEqual([[6]]);
  });

  it('promotes dtypes like the binary ops', () => {
    const i = tensor([[1, 2], [3, 4]], { dtype: 'int32' });
    expect(matmul(i, i).dtype).toBe('int32');
    expect(matmul(i, i).toArray()).toEqual([[7, 10], [15, 22]]);
    expect(matmul(a, tensor([[1, 0], [0, 1]], f64)).dtype).toBe('float64');
    expect(matmul(i, a).dtype).toBe('float32');
    const b = tensor([[true, true], [false, true]]);
    expect(matmul(b, b).dtype).toBe('int32');
    expect(matmul(b, b).toArray()).toEqual([[1, 2], [0, 1]]);
    expect(matmul(tensor([1, 2], f64), tensor([3, 4], f64)).dtype).toBe('float64');
  });

  it('throws ShapeError with the compile-time messages', () => {
    const m = (s: number[]) => zeros(s);
    expect(() => matmul(m([2, 3]), m([4, 5]))).toThrow(new ShapeError('matmul: inner dimensions differ: [2,3] x [4,5]'));
    expect(() => matmul(m([7, 2, 3]), m([5, 3, 4]))).toThrow(new ShapeError('matmul: batch dimensions differ: [7,2,3] x [5,3,4]'));
    expect(() => matmul(m([]), m([3]))).toThrow(new ShapeError('matmul: needs rank >= 1, got [] x [3]'));
    expect(() => matmul(m([3]), m([4]))).toThrow(new ShapeError('matmul: inner dimensions differ: [3] x [4]'));
  });

  it('agrees with the shape rule and a naive product, without mutating (property)', () => {
    const dim = fc.integer({ min: 0, max: 3 });
    const arb = fc
      .tuple(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }), dim, dim, dim)
      .chain(([pa, pb, m, k, n]) =>
        fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom<DType>('float64', 'int32', 'bool')).map(([vecA, vecB, wrongK, dtype]) => ({
          sa: vecA ? [k] : [...pa, m, k],
          sb: vecB ? [wrongK ? k + 1 : k] : [...pb, wrongK ? k + 1 : k, n],
          dtype,
        })),
      );
    fc.assert(
      fc.property(arb, ({ sa, sb, dtype }) => {
        const x = seq(sa, dtype, 1);
        const y = seq(sb, dtype, 2);
        const before = [values(x), values(y)];
        let rule: number[] | Error;
        try {
          rule = matmulShape(sa, sb);
        } catch (e) {
          rule = e as Error;
        }
        if (rule instanceof Error) {
          expect(() => matmul(x, y)).toThrow(rule);
          return;
        }
        const z = matmul(x, y);
        const want = naiveMatmul(before[0]!, sa, before[1]!, sb);
        expect(z.shape).toEqual(rule);
        expect(z.shape).toEqual(want.shape);
        expect(z.dtype).toBe(dtype === 'bool' ? 'int32' : dtype);
        expect(values(z)).toEqual(want.data);
        expect([values(x), values(y)]).toEqual(before);
      }),
      seed,
    );
  });

  it('has exact first and second derivatives, for 2-D, 1-D and batched operands', () => {
    const A = tensor([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]], f64);
    const B = tensor([[0.7, 0.8], [0.9, -1.0], [1.1, 1.2]], f64);
    const v = tensor([0.3, -0.2, 0.5], f64);
    checkGrads((a: Tensor<[2, 3], 'float64'>, b: Tensor<[3, 2], 'float64'>) => sin(matmul(a, b)), [A, B], { order: 2 });
    checkGrads((a: Tensor<[3], 'float64'>, b: Tensor<[3, 2], 'float64'>) => sin(matmul(a, b)), [v, B], { order: 2 });
    checkGrads((a: Tensor<[2, 3], 'float64'>, b: Tensor<[3], 'float64'>) => sin(matmul(a, b)), [A, v], { order: 2 });
    const batched = tensor([[[0.1, 0.2, 0.3]], [[-0.4, 0.5, 0.6]]], f64); // [2, 1, 3]
    checkGrads((a: Tensor<[2, 1, 3], 'float64'>, b: Tensor<[3, 2], 'float64'>) => sin(matmul(a, b)), [batched, B], { order: 2 });
    checkGrads((a: Tensor<[2, 3], 'float64'>, b: Tensor<[2, 3, 2], 'float64'>) => sin(matmul(a, b)), [A, tensor([[[1, 2], [3, 4], [5, 6]], [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]], f64)], {
      order: 2,
    });
  });
});

describe('dot', () => {
  it('is the inner product of vectors and matmul otherwise', () => {
    expect(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    expect(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).shape).toEqual([]);
    expect(dot(tensor([[1, 0], [0, 2]]), tensor([3, 4])).toArray()).toEqual([3, 8]);
    expect(dot(tensor([[1, 2]]), tensor([[3], [4]])).toArray()).toEqual([[11]]);
    expect(dot(zeros([0]), zeros([0])).item()).toBe(0);
    expect(dot(tensor([1, 2], { dtype: 'int32' }), tensor([3, 4], { dtype: 'int32' })).dtype).toBe('int32');
    expect(() => dot(zeros([3] as number[]), zeros([4] as number[]))).toThrow(new ShapeError('dot: matmul: inner dimensions differ: [3] x [4]'));
  });

  it('has exact first and second derivatives', () => {
    checkGrads((a: Tensor<[3], 'float64'>, b: Tensor<[3], 'float64'>) => sin(dot(a, b)), [tensor([0.1, 0.2, 0.3], f64), tensor([-0.4, 0.5, 0.6], f64)], { order: 2 });
  });
});

describe('outer', () => {
  it('multiplies every pair', () => {
    expect(outer(tensor([1, 2]), tensor([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(outer(tensor([2]), tensor([3])).toArray()).toEqual([[6]]);
    expect(outer(zeros([0]), tensor([1, 2])).shape).toEqual([0, 2]);
    expect(outer(tensor([1, 2], { dtype: 'int32' }), tensor([3], f64)).dtype).toBe('float64');
    expect(outer(tensor([true]), tensor([true, false])).dtype).toBe('int32');
    expect(outer(tensor([true]), tensor([true, false])).toArray()).toEqual([[1, 0]]);
  });

  it('throws ShapeError for operands that are not 1-D', () => {
    const loose = (s: number[]) => zeros(s) as unknown as Tensor<[number]>;
    expect(() => outer(loose([2, 3]), loose([4]))).toThrow(new ShapeError('outer: needs two 1-D tensors, got [2,3] and [4]'));
    expect(() => outer(loose([2]), loose([]))).toThrow(new ShapeError('outer: needs two 1-D tensors, got [2] and []'));
  });

  it('has exact first and second derivatives', () => {
    checkGrads((a: Tensor<[2], 'float64'>, b: Tensor<[3], 'float64'>) => sin(outer(a, b)), [tensor([0.1, -0.2], f64), tensor([0.4, 0.5, 0.6], f64)], { order: 2 });
  });
});
