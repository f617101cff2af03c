import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DType } from '../../src/core/dtype.js';
import { ShapeError } from '../../src/core/errors.js';
import { type AnyTensor, dimsOf, fromStorage, storageOf } from '../../src/core/tensor.js';
import { grad, vjp, type LossScalar } from '../../src/autodiff/grad.js';
import { jvp } from '../../src/autodiff/jvp.js';
import { matmul, mul, reduceSum } from '../../src/lax/index.js';

// ---------------------------------------------------------------- helpers

const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Deterministic values: floats in [-1, 1), ints in [-range, range), bools 0/1. */
function values(n: number, seed: number, dtype: DType, range = 10): number[] {
  const out = new Array<number>(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 2 ** 32;
    out[i] = dtype === 'bool' ? (u < 0.5 ? 0 : 1) : dtype === 'int32' ? Math.floor((u * 2 - 1) * range) : u * 2 - 1;
  }
  return out;
}

function tensorOf(shape: readonly number[], dtype: DType, data: readonly number[]): AnyTensor {
  const store = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array }[dtype];
  return fromStorage(store.from(data), shape, dtype) as AnyTensor;
}

function random(shape: readonly number[], dtype: DType = 'float64', seed = 1, range?: number): AnyTensor {
  return tensorOf(shape, dtype, values(sizeOf(shape), seed, dtype, range));
}

const data = (x: AnyTensor): number[] => Array.from(storageOf(x.concrete()));

/**
 * The oracle: a batched triple loop in float64 (or BigInt, wrapped to int32,
 * for integer dtypes), with NumPy batch broadcasting written out by index.
 * Also returns `Σ_p |a b|` per output element, the scale of its rounding error.
 */
function reference(a: AnyTensor, b: AnyTensor, int = false): { shape: number[]; value: number[]; scale: number[] } {
  const as = dimsOf(a), bs = dimsOf(b);
  const [m, k] = as.slice(-2) as [number, number];
  const n = bs[bs.length - 1]!;
  const pa = as.slice(0, -2), pb = bs.slice(0, -2);
  const rank = Math.max(pa.length, pb.length);
  const dimAt = (p: readonly number[], i: number) => p[p.length - rank + i] ?? 1;
  const batch = Array.from({ length: rank }, (_, i) => (dimAt(pa, i) === 1 ? dimAt(pb, i) : dimAt(pa, i)));
  const ad = data(a), bd = data(b);
  const value: number[] = [], scale: number[] = [];
  for (let t = 0; t < sizeOf(batch); t++) {
    // Row-major batch index of t, then each operand's offset (index 0 along its broadcast dims).
    let rest = t, ao = 0, bo = 0, aStride = m * k, bStride = k * n;
    for (let i = rank - 1; i >= 0; i--) {
      const idx = rest % batch[i]!;
      rest = Math.floor(rest / batch[i]!);
      if (dimAt(pa, i) !== 1) ao += idx * aStride;
      if (dimAt(pb, i) !== 1) bo += idx * bStride;
      aStride *= dimAt(pa, i);
      bStride *= dimAt(pb, i);
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, abs = 0, big = 0n;
        for (let p = 0; p < k; p++) {
          const x = ad[ao + i * k + p]!, y = bd[bo + p * n + j]!;
          if (int) big += BigInt(x) * BigInt(y);
          else {
            s += x * y;
            abs += Math.abs(x * y);
          }
        }
        value.push(int ? Number(BigInt.asIntN(32, big)) : s);
        scale.push(abs);
      }
    }
  }
  return { shape: [...batch, m, n], value, scale };
}

/** Checks `matmul(a, b)` against the oracle: exact for ints, within a few roundings for floats. */
function expectMatchesReference(a: AnyTensor, b: AnyTensor): void {
  const out = matmul(a, b);
  const int = out.dtype === 'int32';
  const want = reference(a, b, int);
  expect(dimsOf(out)).toEqual(want.shape);
  const got = data(out);
  if (int) {
    expect(got).toEqual(want.value);
    return;
  }
  const eps = out.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  for (let i = 0; i < got.length; i++) {
    const tol = eps * (4 * want.scale[i]! + Math.abs(want.value[i]!)) + 1e-300;
    if (!(Math.abs(got[i]! - want.value[i]!) <= tol)) {
      expect.fail(`element ${i}: got ${got[i]}, want ${want.value[i]} (tolerance ${tol})`);
    }
  }
}

/** The sum of all elements, typed as a loss for `grad`. */
function total(x: AnyTensor): LossScalar {
  return reduceSum(x, dimsOf(x).map((_, i) => i), false) as LossScalar;
}

/** The scalar `<u, x>`: a cotangent turned into a loss. */
function dot(u: AnyTensor, x: AnyTensor): LossScalar {
  return total(mul(u, x));
}

/** Central finite differences of a scalar function of `x` along every coordinate. */
function numericGrad(f: (x: AnyTensor) => number, x: AnyTensor, eps = 1e-5): number[] {
  const base = data(x);
  return base.map((_, i) => {
    const at = (d: number) => {
      const moved = base.slice();
      moved[i]! += d;
      return f(tensorOf(dimsOf(x), 'float64', moved));
    };
    return (at(eps) - at(-eps)) / (2 * eps);
  });
}

/** Central finite difference of a tensor function of `x` along direction `v`. */
function numericJvp(f: (x: AnyTensor) => AnyTensor, x: AnyTensor, v: AnyTensor, eps = 1e-5): number[] {
  const xd = data(x), vd = data(v);
  const at = (d: number) => data(f(tensorOf(dimsOf(x), 'float64', xd.map((xi, i) => xi + d * vd[i]!))));
  const plus = at(eps), minus = at(-eps);
  return plus.map((p, i) => (p - minus[i]!) / (2 * eps));
}

function expectClose(got: readonly number[], want: readonly number[], rtol = 1e-7, atol = 1e-8): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= atol + rtol * Math.abs(want[i]!))) {
      expect.fail(`index ${i}: got ${got[i]}, want ${want[i]}`);
    }
  }
}

// ---------------------------------------------------------------- values

/**
 * [name, shape of a, shape of b]. Sizes are chosen to reach every kernel
 * path: zero-size and unit dims, N = 1 (dot products), M = 1 and small
 * products (row updates), and the blocked kernel with partial 2x4 tiles,
 * K past one 256-deep panel, N past one 512-wide panel and M past one
 * 64-row block; then broadcast batches, folded into M or not.
 */
const SHAPES: [string, number[], number[]][] = [
  ['2x3 . 3x4', [2, 3], [3, 4]],
  ['1x1 . 1x1', [1, 1], [1, 1]],
  ['M = 0', [0, 3], [3, 4]],
  ['K = 0 (zeros)', [2, 0], [0, 3]],
  ['N = 0', [3, 5], [5, 0]],
  ['M = 1', [1, 7], [7, 9]],
  ['N = 1', [9, 7], [7, 1]],
  ['K = 1 (outer product)', [5, 1], [1, 6]],
  ['odd sizes, blocked', [67, 131], [131, 37]],
  ['K > 256, blocked', [9, 300], [300, 13]],
  ['N > 512, blocked', [4, 40], [40, 530]],
  ['M > 64, blocked', [70, 40], [40, 12]],
  ['the logistic-regression shape', [455, 30], [30, 1]],
  ['the MLP shape', [64, 784], [784, 128]],
  ['batch broadcast both ways', [7, 1, 2, 3], [5, 3, 4]],
  ['batch on a only (folded into M)', [3, 2, 3], [3, 4]],
  ['batch on b only', [2, 3], [4, 3, 5]],
  ['unit batch dims on both', [2, 1, 5, 6], [1, 3, 6, 2]],
  ['batch with a zero dim', [0, 2, 3], [3, 4]],
  ['batched blocked, folded', [3, 33, 40], [40, 17]],
  ['batched blocked, not folded', [2, 33, 40], [2, 40, 17]],
];

describe('matmul values against a naive float64 triple loop', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it.each(SHAPES)(`${dtype}: %s`, (_name, sa, sb) => {
      const a = random(sa, dtype, 3), b = random(sb, dtype, 4);
      expect(matmul(a, b).dtype).toBe(dtype);
      expectMatchesReference(a, b);
    });
  }

  it('gives the documented shape for broadcast batches', () => {
    expect(dimsOf(matmul(random([7, 1, 2, 3]), random([5, 3, 4])))).toEqual([7, 5, 2, 4]);
  });

  it('a product with K = 0 is all zeros', () => {
    expect(data(matmul(random([2, 0], 'float32'), random([0, 3], 'float32')))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('computes a known small product exactly', () => {
    const a = tensorOf([2, 3], 'float32', [1, 2, 3, 4, 5, 6]);
    const b = tensorOf([3, 2], 'float32', [7, 8, 9, 10, 11, 12]);
    expect(matmul(a, b).toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
  });

  it('propagates NaN and Infinity like the sum it computes', () => {
    const a = tensorOf([2, 2], 'float64', [NaN, 0, 1, 0]);
    const b = tensorOf([2, 2], 'float64', [1, 2, Infinity, 3]);
    // row 0: NaN * anything; row 1: 1*[1,2] + 0*[Inf,3] = [1 + NaN, 2]
    expect(data(matmul(a, b))).toEqual([NaN, NaN, NaN, 2]);
  });

  it('rounds a float32 result once, from a float64 sum', () => {
    // 1 + 2^-24 + 2^-24: in float32 steps each addition rounds back to 1.
    const a = tensorOf([1, 3], 'float32', [1, 2 ** -24, 2 ** -24]);
    const b = tensorOf([3, 1], 'float32', [1, 1, 1]);
    expect(data(matmul(a, b))).toEqual([Math.fround(1 + 2 ** -23)]);
  });
});

describe('matmul dtypes', () => {
  it.each([
    ['int32', 'int32', 'int32'],
    ['bool', 'bool', 'int32'],
    ['bool', 'int32', 'int32'],
    ['int32', 'float32', 'float32'],
    ['bool', 'float64', 'float64'],
    ['float32', 'float64', 'float64'],
  ] as const)('%s x %s -> %s', (da, db, want) => {
    const a = random([3, 5, 6], da, 5), b = random([6, 7], db, 6);
    expect(matmul(a, b).dtype).toBe(want);
    expectMatchesReference(a, b);
  });

  it('is exact in int32, wrapping modulo 2^32 like NumPy', () => {
    // 46341^2 > 2^31, and sums of such products overflow many times over.
    const a = random([9, 70], 'int32', 7, 60000), b = random([70, 11], 'int32', 8, 60000);
    expectMatchesReference(a, b);
    const big = tensorOf([1, 2], 'int32', [46341, 2 ** 31 - 1]);
    const col = tensorOf([2, 1], 'int32', [46341, 2]);
    // 46341^2 + 2 (2^31 - 1) = 2147488281 + 4294967294, wrapped to int32
    expect(data(matmul(big, col))).toEqual([Number(BigInt.asIntN(32, 46341n * 46341n + 2n * (2n ** 31n - 1n)))]);
  });

  it('counts with bool operands', () => {
    const a = tensorOf([2, 3], 'bool', [1, 1, 0, 1, 1, 1]);
    const b = tensorOf([3, 1], 'bool', [1, 1, 1]);
    expect(data(matmul(a, b))).toEqual([2, 3]);
  });
});

describe('matmul properties (fast-check)', () => {
  /** Batch shapes that broadcast: each operand takes a suffix of the batch, each dim either its size or 1. */
  const batchPair = fc
    .array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 })
    .chain((batch) =>
      fc.tuple(
        fc.constant(batch),
        fc.integer({ min: 0, max: batch.length }),
        fc.integer({ min: 0, max: batch.length }),
        fc.array(fc.boolean(), { minLength: batch.length, maxLength: batch.length }),
        fc.array(fc.boolean(), { minLength: batch.length, maxLength: batch.length }),
      ),
    )
    .map(([batch, ra, rb, ka, kb]) => [
      batch.slice(batch.length - ra).map((d, i) => (ka[i] ? d : 1)),
      batch.slice(batch.length - rb).map((d, i) => (kb[i] ? d : 1)),
    ]);

  const dims = (max: number) => fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max }));

  it('agrees with the reference on random shapes, batches and dtypes', () => {
    fc.assert(
      fc.property(
        batchPair,
        dims(12),
        dims(12),
        dims(12),
        fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool'),
        fc.constantFrom<DType>('float32', 'float64', 'int32'),
        fc.integer(),
        ([pa, pb], m, k, n, da, db, seed) => {
          expectMatchesReference(random([...pa!, m, k], da, seed), random([...pb!, k, n], db, seed + 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agrees with the reference at sizes that take the blocked kernel', () => {
    fc.assert(
      fc.property(dims(90), dims(300), dims(90), fc.boolean(), fc.integer(), (m, k, n, f32, seed) => {
        const dtype = f32 ? 'float32' : 'float64';
        expectMatchesReference(random([m, k], dtype, seed), random([k, n], dtype, seed + 1));
      }),
      { numRuns: 40 },
    );
  });

  it('is linear in each operand: (a1 + a2) b = a1 b + a2 b (int32, exact)', () => {
    fc.assert(
      fc.property(dims(10), dims(10), dims(10), fc.integer(), (m, k, n, seed) => {
        const a1 = values(m * k, seed, 'int32'), a2 = values(m * k, seed + 1, 'int32');
        const b = random([k, n], 'int32', seed + 2);
        const sum = data(matmul(tensorOf([m, k], 'int32', a1.map((x, i) => x + a2[i]!)), b));
        const parts = [data(matmul(tensorOf([m, k], 'int32', a1), b)), data(matmul(tensorOf([m, k], 'int32', a2), b))];
        expect(sum).toEqual(parts[0]!.map((x, i) => x + parts[1]![i]!));
      }),
      { numRuns: 50 },
    );
  });
});

describe('matmul errors', () => {
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ShapeError);
      return (e as Error).message;
    }
    throw new Error('expected a ShapeError');
  };

  it('names both shapes when the inner dimensions differ', () => {
    expect(message(() => matmul(random([2, 3]), random([4, 5])))).toBe('matmul: inner dimensions differ: [2,3] x [4,5]');
    expect(message(() => matmul(random([7, 2, 3]), random([2, 5])))).toBe('matmul: inner dimensions differ: [7,2,3] x [2,5]');
  });

  it('names the batch dims that do not broadcast', () => {
    expect(message(() => matmul(random([2, 4, 5]), random([3, 5, 6])))).toBe('matmul: cannot broadcast batch dims [2] with [3]');
    expect(message(() => matmul(random([2, 4, 4, 5]), random([3, 5, 6])))).toBe('matmul: cannot broadcast batch dims [2,4] with [3]');
  });

  it('rejects operands of rank < 2 (1-D promotion is done by the public op)', () => {
    expect(message(() => matmul(random([3]), random([3, 4])))).toBe('matmul: operands must have rank >= 2, got [3] x [3,4]');
  });

  it('reports the error inside a transform too', () => {
    expect(message(() => grad((a: AnyTensor) => dot(a, matmul(a, random([4, 5]))))(random([2, 3])))).toBe(
      'matmul: inner dimensions differ: [2,3] x [4,5]',
    );
  });
});

describe('matmul never mutates its inputs', () => {
  it.each(SHAPES.filter(([name]) => name.includes('batch') || name.includes('blocked')))('%s', (_name, sa, sb) => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const a = random(sa, dtype, 11), b = random(sb, dtype, 12);
      const before = [data(a), data(b)];
      matmul(a, b);
      if (dtype !== 'int32') {
        const [, pullback] = vjp(matmul, a, b);
        pullback(random(dimsOf(matmul(a, b)), dtype, 13));
        jvp(matmul, [a, b], [random(sa, dtype, 14), random(sb, dtype, 15)]);
      }
      expect([data(a), data(b)]).toEqual(before);
    }
  });
});

// ---------------------------------------------------------------- derivatives

/** Shapes for the derivative checks: plain, both batches broadcast, and each operand broadcast against the other. */
const GRAD_SHAPES: [string, number[], number[]][] = [
  ['2x3 . 3x4', [2, 3], [3, 4]],
  ['[7,1,2,3] x [5,3,4]', [7, 1, 2, 3], [5, 3, 4]],
  ['[3,2,3] x [3,4] (b broadcast)', [3, 2, 3], [3, 4]],
  ['[1,3] x [2,3,1] (a broadcast, N = 1)', [1, 3], [2, 3, 1]],
  ['[2,1,1,3] x [1,4,3,2] (M = 1)', [2, 1, 1, 3], [1, 4, 3, 2]],
];

/** The oracle as a tensor function, so finite differences never use the kernel under test. */
function refMatmul(a: AnyTensor, b: AnyTensor): AnyTensor {
  const r = reference(a, b);
  return tensorOf(r.shape, 'float64', r.value);
}

describe('matmul first derivatives against finite differences (float64)', () => {
  it.each(GRAD_SHAPES)('grad and vjp: %s', (_name, sa, sb) => {
    const a = random(sa, 'float64', 21), b = random(sb, 'float64', 22);
    const u = random(reference(a, b).shape, 'float64', 23);
    const loss = (x: AnyTensor, y: AnyTensor) => dot(u, matmul(x, y));
    const [ga, gb] = grad(loss, { argnums: [0, 1] })(a, b) as [AnyTensor, AnyTensor];
    expect(dimsOf(ga)).toEqual(sa);
    expect(dimsOf(gb)).toEqual(sb);
    const ud = data(u);
    const refLoss = (x: AnyTensor, y: AnyTensor) => data(refMatmul(x, y)).reduce((s, v, i) => s + v * ud[i]!, 0);
    expectClose(data(ga), numericGrad((x) => refLoss(x, b), a));
    expectClose(data(gb), numericGrad((y) => refLoss(a, y), b));
    // vjp with the cotangent u gives the same two gradients.
    const [out, pullback] = vjp(matmul, a, b);
    expectClose(data(out), reference(a, b).value);
    const [ca, cb] = pullback(u);
    expectClose(data(ca), data(ga));
    expectClose(data(cb), data(gb));
  });

  it.each(GRAD_SHAPES)('jvp: %s', (_name, sa, sb) => {
    const a = random(sa, 'float64', 31), b = random(sb, 'float64', 32);
    const da = random(sa, 'float64', 33), db = random(sb, 'float64', 34);
    const [out, tangent] = jvp(matmul, [a, b], [da, db]);
    expectClose(data(out), reference(a, b).value);
    // Move a and b together: (a + e da)(b + e db), packed into one vector for the difference quotient.
    const na = sizeOf(sa);
    const both = tensorOf([na + sizeOf(sb)], 'float64', [...data(a), ...data(b)]);
    const dir = tensorOf([na + sizeOf(sb)], 'float64', [...data(da), ...data(db)]);
    const split = (x: AnyTensor) => refMatmul(tensorOf(sa, 'float64', data(x).slice(0, na)), tensorOf(sb, 'float64', data(x).slice(na)));
    expectClose(data(tangent), numericJvp(split, both, dir));
    // A tangent on one operand only: d(A B) = dA B.
    expectClose(data(jvp((x: AnyTensor) => matmul(x, b), [a], [da])[1]), data(refMatmul(da, b)));
  });

  it('gives each input a cotangent of its own dtype', () => {
    const a = random([2, 3], 'float32', 41), b = random([3, 4], 'float64', 42);
    const [ga, gb] = grad((x: AnyTensor, y: AnyTensor) => dot(random([2, 4], 'float64', 43), matmul(x, y)), { argnums: [0, 1] })(a, b) as [
      AnyTensor,
      AnyTensor,
    ];
    expect([ga.dtype, gb.dtype]).toEqual(['float32', 'float64']);
  });

  it('differentiates through an int32 operand held constant', () => {
    const a = random([2, 3], 'float64', 44), b = random([3, 4], 'int32', 45);
    const u = random([2, 4], 'float64', 46);
    const ga = grad((x: AnyTensor) => dot(u, matmul(x, b)))(a);
    // dA = U Bᵀ
    const bt = tensorOf([4, 3], 'float64', [0, 1, 2, 3].flatMap((j) => [0, 1, 2].map((p) => data(b)[p * 4 + j]!)));
    expectClose(data(ga), reference(u, bt).value);
  });
});

describe('matmul second derivatives against finite differences (float64)', () => {
  // h(A, B) = Σ (A B)², quartic overall, so every second derivative is non-zero.
  const h = (x: AnyTensor, y: AnyTensor) => {
    const c = matmul(x, y);
    return total(mul(c, c));
  };
  const gradA = (x: AnyTensor, y: AnyTensor) => grad(h)(x, y);

  it.each(GRAD_SHAPES)('reverse over reverse: %s', (_name, sa, sb) => {
    const a = random(sa, 'float64', 51), b = random(sb, 'float64', 52), v = random(sa, 'float64', 53);
    // g(A, B) = <V, ∂h/∂A>; its gradient is a Hessian-vector product.
    const g = (x: AnyTensor, y: AnyTensor) => dot(v, gradA(x, y));
    const [gga, ggb] = grad(g, { argnums: [0, 1] })(a, b) as [AnyTensor, AnyTensor];
    const gValue = (x: AnyTensor, y: AnyTensor) => g(x, y).item() as number;
    expectClose(data(gga), numericGrad((x) => gValue(x, b), a), 1e-6, 1e-7);
    expectClose(data(ggb), numericGrad((y) => gValue(a, y), b), 1e-6, 1e-7);
  });

  it.each(GRAD_SHAPES)('forward over reverse: %s', (_name, sa, sb) => {
    const a = random(sa, 'float64', 61), b = random(sb, 'float64', 62);
    const da = random(sa, 'float64', 63), db = random(sb, 'float64', 64);
    const [, tangentA] = jvp((x: AnyTensor) => gradA(x, b), [a], [da]);
    expectClose(data(tangentA), numericJvp((x) => gradA(x, b), a, da), 1e-6, 1e-7);
    const [, tangentB] = jvp((y: AnyTensor) => gradA(a, y), [b], [db]);
    expectClose(data(tangentB), numericJvp((y) => gradA(a, y), b, db), 1e-6, 1e-7);
  });

  it.each(GRAD_SHAPES)('forward over forward: %s', (_name, sa, sb) => {
    const a = random(sa, 'float64', 71), b = random(sb, 'float64', 72);
    const da = random(sa, 'float64', 73), ea = random(sa, 'float64', 74);
    // A -> d/de h(A + e dA, B): its derivative along eA is a second directional derivative.
    const dh = (x: AnyTensor) => jvp((z: AnyTensor) => h(z, b), [x], [da])[1];
    const [, second] = jvp(dh, [a], [ea]);
    expectClose(data(second), numericJvp(dh, a, ea), 1e-6, 1e-7);
  });

  it('reverse over forward with broadcast batches', () => {
    const a = random([7, 1, 2, 3], 'float64', 81), b = random([5, 3, 4], 'float64', 82), db = random([5, 3, 4], 'float64', 83);
    const dh = (x: AnyTensor): LossScalar => jvp((y: AnyTensor) => h(x, y), [b], [db])[1];
    expectClose(data(grad(dh)(a)), numericGrad((x) => dh(x).item() as number, a), 1e-6, 1e-7);
  });
});
