// Reductions (src/ops/reduce.ts; kernels in src/lax/reduce-sum.ts and
// src/backend/cpu/reduce.ts) against a plain-JS float64 reference: every
// axis form, keepdims, size-0 and size-1 dims, dtypes, NumPy's empty-reduction
// rules, numerical stability, and every error with its message.
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  DTypeError,
  ValueError,
  argmax,
  argmin,
  astype,
  jit,
  full,
  logsumexp,
  max,
  mean,
  min,
  prod,
  scalar,
  std,
  sum,
  tensor,
  variance,
  zeros,
  type AnyTensor,
  type DType,
  type Tensor,
} from '../../src/index.js';
import { expectThrows } from './helpers.js';

// ---------------------------------------------------------------------------
// The reference

interface Ref {
  readonly data: readonly number[];
  readonly shape: readonly number[];
}
type Axes = number | number[] | undefined;

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
const refOf = (t: AnyTensor): Ref => ({ data: Array.from(t.toTypedArray()), shape: [...(t.shape as readonly number[])] });

/** Sorted non-negative axes (written independently of src/shape; assumes valid axes). */
function axesOf(rank: number, axis: Axes): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, k) => k);
  return (typeof axis === 'number' ? [axis] : axis).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/** Groups the elements by the output slot their kept coordinates name, then reduces each group with `f`. */
function refReduce(x: Ref, axis: Axes, keepdims: boolean, f: (group: number[]) => number): Ref {
  const axes = axesOf(x.shape.length, axis);
  const shape = x.shape.flatMap((d, k) => (axes.includes(k) ? (keepdims ? [1] : []) : [d]));
  const groups: number[][] = Array.from({ length: sizeOf(shape) }, () => []);
  for (let i = 0; i < x.data.length; i++) {
    let o = 0;
    for (let k = 0, r = i, stride = sizeOf(x.shape); k < x.shape.length; k++) {
      stride /= x.shape[k]!;
      const c = Math.floor(r / stride);
      r -= c * stride;
      if (!axes.includes(k)) o = o * x.shape[k]! + c;
    }
    groups[o]!.push(x.data[i]!);
  }
  return { data: groups.map(f), shape };
}

const total = (g: number[]): number => g.reduce((s, v) => s + v, 0);
const product = (g: number[]): number => g.reduce((s, v) => s * v, 1);
const nanMax = (g: number[]): number => (g.some(Number.isNaN) ? NaN : Math.max(...g));
const nanMin = (g: number[]): number => (g.some(Number.isNaN) ? NaN : Math.min(...g));
const meanOf = (g: number[]): number => total(g) / g.length;
const varOf = (ddof: number) => (g: number[]): number => {
  const m = meanOf(g);
  return g.length - ddof > 0 ? total(g.map((v) => (v - m) ** 2)) / (g.length - ddof) : NaN;
};
const lseOf = (g: number[]): number => {
  const m = Math.max(...g);
  return Number.isFinite(m) ? m + Math.log(total(g.map((v) => Math.exp(v - m)))) : Math.log(total(g.map(Math.exp)));
};

function stored(dtype: DType, v: number): number {
  const a = dtype === 'float32' ? new Float32Array(1) : dtype === 'int32' ? new Int32Array(1) : new Float64Array(1);
  a[0] = v;
  return a[0]!;
}

const TOL: Record<DType, { rtol: number; atol: number }> = {
  float32: { rtol: 2e-6, atol: 1e-5 },
  float64: { rtol: 1e-12, atol: 1e-12 },
  int32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

function expectMatches(got: AnyTensor, want: Ref, dtype: DType, what = ''): void {
  expect(got.shape, `${what} shape`).toEqual(want.shape);
  expect(got.dtype, `${what} dtype`).toBe(dtype);
  const values = dtype === 'int32' ? want.data.map((v) => stored(dtype, v)) : want.data;
  expect(got, what).toBeAllclose(tensor(values, want.shape as number[], { dtype: 'float64' }), TOL[dtype]);
}

function untouched<R>(x: AnyTensor, f: () => R): R {
  const before = Array.from(x.toTypedArray());
  const out = f();
  expect(Array.from(x.toTypedArray()), 'input was mutated').toEqual(before);
  return out;
}

/** A tensor of small mixed-sign values (distinct within a row, so max/min/argmax are unambiguous). */
function sample(shape: readonly number[], dtype: DType, seed = 1): AnyTensor {
  const data = Array.from({ length: sizeOf(shape) }, (_, i) => {
    const k = ((i + seed) * 7919) % 23;
    return dtype === 'bool' ? k % 2 : dtype === 'int32' ? k - 11 : (k - 11) / 4;
  });
  return tensor(data, shape as number[], { dtype }) as AnyTensor;
}

// Shapes with axis forms: none, one (both signs), several (any order), empty list; size-0 and size-1 dims.
const AXIS_CASES: readonly [number[], Axes][] = [
  [[], undefined],
  [[], []],
  [[3], undefined],
  [[3], 0],
  [[3], -1],
  [[2, 3], 0],
  [[2, 3], 1],
  [[2, 3], -1],
  [[2, 3], -2],
  [[2, 3], [0, 1]],
  [[2, 3], [1, 0]],
  [[2, 3], []],
  [[2, 3, 4], 1],
  [[2, 3, 4], [0, 2]],
  [[2, 3, 4], [-1, -3]],
  [[2, 1, 4], 1],
  [[1, 1], undefined],
  [[0], undefined],
  [[0, 3], 0],
  [[0, 3], 1],
  [[2, 0], 0],
  [[2, 0], -1],
  [[2, 0, 3], [0, 2]],
];

type Reducer = (x: AnyTensor, axis?: Axes, keepdims?: boolean) => AnyTensor;
interface ReduceCase {
  readonly name: string;
  readonly op: Reducer;
  readonly ref: (g: number[]) => number;
  /** Result dtype for an input dtype, or 'throws' (a DTypeError). */
  readonly dtype: (d: DType) => DType | 'throws';
  /** An empty group has no value: ValueError (max, min). */
  readonly needsElements: boolean;
}

const asReducer = (f: unknown) => f as Reducer;
const floatOf = (d: DType): DType => (d === 'float64' ? 'float64' : 'float32');

const REDUCTIONS: readonly ReduceCase[] = [
  { name: 'sum', op: asReducer(sum), ref: total, dtype: (d) => (d === 'bool' ? 'int32' : d), needsElements: false },
  { name: 'prod', op: asReducer(prod), ref: product, dtype: (d) => (d === 'bool' ? 'int32' : d), needsElements: false },
  { name: 'mean', op: asReducer(mean), ref: meanOf, dtype: floatOf, needsElements: false },
  { name: 'max', op: asReducer(max), ref: nanMax, dtype: (d) => (d === 'bool' ? 'throws' : d), needsElements: true },
  { name: 'min', op: asReducer(min), ref: nanMin, dtype: (d) => (d === 'bool' ? 'throws' : d), needsElements: true },
  { name: 'logsumexp', op: asReducer(logsumexp), ref: lseOf, dtype: floatOf, needsElements: true },
];

describe('reductions against the float64 reference', () => {
  for (const { name, op, ref, dtype: outOf, needsElements } of REDUCTIONS) {
    it(`${name}: every axis form, keepdims, size-0 and size-1 dims, every dtype`, () => {
      for (const dtype of ['float32', 'float64', 'int32', 'bool'] as const) {
        const out = outOf(dtype);
        for (const [shape, axis] of AXIS_CASES) {
          for (const keepdims of [false, true]) {
            const x = sample(shape, dtype);
            const what = `${name} ${dtype} [${shape}] axis ${JSON.stringify(axis)} keepdims ${keepdims}`;
            // Reducing a bool tensor over no axes returns the input unchanged (the bug below).
            if (dtype === 'bool' && axesOf(shape.length, axis).length === 0 && name !== 'mean' && name !== 'logsumexp') continue;
            const want = refReduce(refOf(x), axis, keepdims, ref);
            const axes = axesOf(shape.length, axis);
            const emptyAxis = axes.find((a) => shape[a] === 0);
            const noIdentity = needsElements && emptyAxis !== undefined && want.data.length > 0;
            // The shape rule runs before the dtype rule: an empty bool max is a ValueError.
            if (out === 'throws' && !noIdentity) {
              expectThrows(() => op(x, axis, keepdims), DTypeError, `${name}: expected a numeric tensor, got bool`);
              continue;
            }
            if (noIdentity && name !== 'logsumexp') {
              expectThrows(() => op(x, axis, keepdims), ValueError, `${name}: zero-size reduction over axis ${emptyAxis} of [${shape}] has no identity`);
              continue;
            }
            if (noIdentity) continue; // logsumexp: the bug below
            expectMatches(untouched(x, () => op(x, axis, keepdims)), want, out as DType, what);
          }
        }
      }
    });
  }

  it('without keepdims, the default is false; without an axis, all axes', () => {
    const x = sample([2, 3], 'float32');
    expect(sum(x).shape).toEqual([]);
    expect(sum(x, 1).shape).toEqual([2]);
    expect(sum(x, undefined, true).shape).toEqual([1, 1]);
    expect(argmax(x).shape).toEqual([]);
  });

  it('sums float32 in float64 and rounds once (a million 0.1s)', () => {
    // Summing in float32 drifts by about 1%; float64 accumulation is exact to float32 precision.
    const x = full([1000, 1000], 0.1);
    expect(sum(x)).toBeAllclose(Math.fround(0.1) * 1e6, { rtol: 1e-7 });
    expect(sum(x, 0)).toBeAllclose(full([1000], Math.fround(0.1) * 1000), { rtol: 1e-7 });
    expect(mean(x)).toBeAllclose(Math.fround(0.1), { rtol: 1e-7 });
  });

  it('propagates NaN and handles infinities', () => {
    const x = tensor([[1, NaN, 3], [4, 5, 6], [Infinity, -Infinity, 0]], { dtype: 'float64' });
    expect(sum(x, 1)).toBeAllclose([NaN, 15, NaN]);
    expect(prod(x, 1)).toBeAllclose([NaN, 120, NaN]);
    expect(mean(x, 1)).toBeAllclose([NaN, 5, NaN]);
    expect(max(x, 1)).toBeAllclose([NaN, 6, Infinity]);
    expect(min(x, 1)).toBeAllclose([NaN, 4, -Infinity]);
    expect(max(x)).toBeAllclose(NaN);
  });

  // NumPy and PyTorch widen int32 sums and products to int64 (np.sum gives
  // 2147483648 here); with no int64, the true value cannot be an int32, and
  // wrapping it would be a silent wrong result: it is a ValueError instead.
  it('int32 sums and products that int32 cannot hold throw, naming the value and the way out', () => {
    expect(() => sum(tensor([2 ** 31 - 1, 1], { dtype: 'int32' }))).toThrow(
      new ValueError("sum: the int32 result 2147483648 does not fit int32 ([-2^31, 2^31 - 1]); convert first: sum(astype(x, 'float64'))"),
    );
    expect(() => sum(tensor([[-(2 ** 31), 0], [-1, 0]], { dtype: 'int32' }), 0)).toThrow(/^sum: the int32 result -2147483649 does not fit int32/);
    expect(() => prod(tensor([65536, 65536], { dtype: 'int32' }))).toThrow(/^prod: the int32 result 4294967296 does not fit int32/);
    expect(sum(astype(tensor([2 ** 31 - 1, 1], { dtype: 'int32' }), 'float64')).item()).toBe(2 ** 31);
    // At the edges of the range the result is exact.
    expect(sum(tensor([2 ** 31 - 2, 1], { dtype: 'int32' })).item()).toBe(2 ** 31 - 1);
    expect(sum(tensor([-(2 ** 31) + 1, -1], { dtype: 'int32' })).item()).toBe(-(2 ** 31));
    expect(prod(tensor([-65536, 32768], { dtype: 'int32' })).item()).toBe(-(2 ** 31));
    // The same under jit (its generated loop accumulates in float64 too).
    const jitSum = jit((x: Tensor<[2], 'int32'>) => sum(x));
    expect(() => jitSum(tensor([2 ** 31 - 1, 1], { dtype: 'int32' }))).toThrow(/^sum: the int32 result 2147483648 does not fit int32/);
    expect(jitSum(tensor([2 ** 31 - 2, 1], { dtype: 'int32' })).item()).toBe(2 ** 31 - 1);
    expect(sum(tensor([true, true, false])).item()).toBe(2);
    expect(mean(tensor([true, false, false, false]))).toBeAllclose(0.25);
  });

  // BUG (reported): reducing over no axes returns the input itself, skipping
  // the dtype rule: src/ops/reduce.ts `sum` (`axes.length === 0 && !k ? x`),
  // src/lax/reduce-sum.ts reduceSum and src/lax/reduce-prod.ts reduceProd
  // (`axes.length === 0 ? x`). So sum of a rank-0 bool tensor, or sum(x, []),
  // is bool, where the type (SumOf<'bool'>) and every other sum say int32,
  // and max/min of bool over no axes skip their DTypeError.
  it('sum and prod of bool over no axes give int32 like every other bool sum', () => {
    expect(sum(scalar(true)).dtype).toBe('int32');
    expect(sum(tensor([true, false]), []).dtype).toBe('int32');
    expect(prod(scalar(true)).dtype).toBe('int32');
    expect(prod(tensor([true, false]), [], true).dtype).toBe('int32');
  });

  // BUG (reported): src/ops/reduce.ts declares prod as reduction<'prod', 'same'>,
  // so prod of a bool tensor is typed bool; at run time it is int32 (as for sum).
  // Want the 'sum' output rule (SumOf<D>).
  it('prod of a bool tensor has the dtype its type claims (int32, like sum)', () => {
    const b: Tensor<[3], 'bool'> = tensor([true, true, false]);
    const p: Tensor<[], 'int32'> = prod(b);
    expect(p.dtype).toBe('int32');
    expect(p.item()).toBe(0);
  });
});

describe('empty reductions follow NumPy', () => {
  it('sum of nothing is 0, prod 1, mean NaN; max and min throw ValueError', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const e = zeros([0], { dtype });
      expect(sum(e).item(), dtype).toBe(0);
      expect(prod(e).item(), dtype).toBe(1);
      expect(mean(e).item(), dtype).toBeNaN();
      expect(variance(e).item(), dtype).toBeNaN();
      expectThrows(() => max(e), ValueError, 'max: zero-size reduction over axis 0 of [0] has no identity');
      expectThrows(() => min(e), ValueError, 'min: zero-size reduction over axis 0 of [0] has no identity');
    }
    expect(sum(zeros([2, 0]), 1).toArray()).toEqual([0, 0]);
    expect(prod(zeros([0, 2]), 0, true).toArray()).toEqual([[1, 1]]);
    expect(mean(zeros([0, 2]), 0)).toBeAllclose([NaN, NaN]);
    expectThrows(() => max(zeros([0, 3]), 0), ValueError, 'max: zero-size reduction over axis 0 of [0,3] has no identity');
    expectThrows(() => min(zeros([2, 0]), -1, true), ValueError, 'min: zero-size reduction over axis 1 of [2,0] has no identity');
    expectThrows(() => max(zeros([2, 0, 3]), [0, 1]), ValueError, 'max: zero-size reduction over axis 1 of [2,0,3] has no identity');
    // An empty result needs no identity.
    expect(max(zeros([0, 3]), 1).shape).toEqual([0]);
    expect(min(zeros([2, 0]), 0, true).shape).toEqual([1, 0]);
  });

  // BUG (reported): src/ops/reduce.ts logsumexp takes reduceMax first, so an
  // empty axis throws "max: zero-size reduction ..." (naming max, not
  // logsumexp). log(sum(exp([]))) = log(0) = -Infinity, which is what
  // torch.logsumexp and jax.nn.logsumexp return.
  it('logsumexp over an empty axis is -Infinity', () => {
    expect(logsumexp(zeros([0])).item()).toBe(-Infinity);
    expect(logsumexp(zeros([2, 0]), 1)).toBeAllclose([-Infinity, -Infinity]);
  });
});

describe('logsumexp is stable', () => {
  it('at ±1000, per row and over everything, in float32 and float64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([[1000, 1000], [-1000, -1000], [1000, -1000], [0, 0]], { dtype });
      const ln2 = Math.log(2);
      expect(logsumexp(x, 1), dtype).toBeAllclose([1000 + ln2, -1000 + ln2, 1000, ln2], { rtol: 1e-6 });
      expect(logsumexp(x, -1, true).shape).toEqual([4, 1]);
      // Columns [1000, -1000, 1000, 0] and [1000, -1000, -1000, 0].
      expect(logsumexp(x, 0)).toBeAllclose([1000 + ln2, 1000], { rtol: 1e-6 });
      expect(logsumexp(tensor([1000, 1000, 1000, 1000], { dtype }))).toBeAllclose(1000 + Math.log(4), { rtol: 1e-6 });
    }
  });

  it('handles rows of -Infinity, +Infinity and NaN', () => {
    const x = tensor([[-Infinity, -Infinity], [Infinity, 1], [NaN, 1], [-Infinity, 0]], { dtype: 'float64' });
    expect(logsumexp(x, 1)).toBeAllclose([-Infinity, Infinity, NaN, 0], { rtol: 0, atol: 0 });
  });

  it('gives float32 for int and bool input', () => {
    expect(logsumexp(tensor([0, 0], { dtype: 'int32' })).dtype).toBe('float32');
    expect(logsumexp(tensor([true, false]))).toBeAllclose(Math.log(Math.E + 1), { rtol: 1e-6 });
  });
});

describe('variance and std', () => {
  const data = [[1, 2, 3, 4], [2, 4, 4, 10]];

  it('are the population moments by default and divide by n - ddof', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const x = tensor(data, { dtype }) as AnyTensor;
      const out = floatOf(dtype);
      for (const [axis, keepdims] of [[undefined, false], [1, false], [-1, true], [0, false], [[0, 1], true]] as [Axes, boolean][]) {
        for (const ddof of [0, 1, 2]) {
          const opts = { keepdims, ddof };
          const wantVar = refReduce(refOf(x), axis, keepdims, varOf(ddof));
          const what = `${dtype} axis ${JSON.stringify(axis)} ddof ${ddof}`;
          expectMatches(untouched(x, () => (variance as (...a: unknown[]) => AnyTensor)(x, axis, opts)), wantVar, out, `variance ${what}`);
          expectMatches((std as (...a: unknown[]) => AnyTensor)(x, axis, opts), { data: wantVar.data.map(Math.sqrt), shape: wantVar.shape }, out, `std ${what}`);
        }
      }
    }
    expect(variance(tensor([1, 2, 3, 4]))).toBeAllclose(1.25);
    expect(variance(tensor([1, 2, 3, 4]), undefined, { ddof: 1 })).toBeAllclose(5 / 3);
    expect(std(tensor([1, 2, 3, 4], { dtype: 'float64' }), 0, { ddof: 1 })).toBeAllclose(Math.sqrt(5 / 3), { rtol: 1e-15 });
  });

  it('subtract the mean first, so a large offset does not cancel the digits', () => {
    expect(variance(tensor([1e4 + 1, 1e4 + 2, 1e4 + 3, 1e4 + 4]))).toBeAllclose(1.25, { rtol: 1e-6 });
    expect(variance(tensor([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4], { dtype: 'float64' }))).toBeAllclose(1.25, { rtol: 1e-9 });
  });

  it('edge counts: one element is 0 (NaN with ddof 1), ddof >= n is NaN (the Array API standard)', () => {
    expect(variance(tensor([5])).item()).toBe(0);
    expect(variance(tensor([5]), undefined, { ddof: 1 }).item()).toBeNaN();
    expect(variance(tensor([1, 2]), undefined, { ddof: 2 }).item()).toBeNaN();
    expect(std(tensor([1, 2, 3]), undefined, { ddof: 5 }).item()).toBeNaN();
    expect(() => variance(tensor([1, 2]), undefined, { ddof: -1 })).toThrow(/^variance: ddof must be a finite number >= 0, got -1$/);
    expect(std(zeros([0])).item()).toBeNaN();
  });

  // Once a bug: ddof > n gave a negative variance (variance([1, 2], ddof 3) was -0.5).
  it('ddof greater than n does not give a negative variance', () => {
    expect(variance(tensor([1, 2]), undefined, { ddof: 3 }).item()).toBeNaN();
  });
});

describe('argmax and argmin', () => {
  it('give the first index at ties, along an axis or over all elements (flat index)', () => {
    const x = tensor([[1, 5, 5], [3, 3, 2], [7, 0, 7]]);
    expect(argmax(x, 1).toArray()).toEqual([1, 0, 0]);
    expect(argmin(x, 1).toArray()).toEqual([0, 2, 1]);
    expect(argmax(x, 0).toArray()).toEqual([2, 0, 2]);
    expect(argmin(x, -2).toArray()).toEqual([0, 2, 1]);
    expect(argmax(x, -1, true).toArray()).toEqual([[1], [0], [0]]);
    expect(argmax(x, 0, true).shape).toEqual([1, 3]);
    // Over everything: the index into the flattened tensor, first of the tied 7s.
    expect(argmax(x).item()).toBe(6);
    expect(argmin(x).item()).toBe(7);
    expect(argmax(x, undefined, true).shape).toEqual([1, 1]);
    expect(argmax(x).dtype).toBe('int32');
    expect(argmax(tensor([2, 2, 2, 2])).item()).toBe(0);
  });

  it('pick out the max and min along the axis, for every dtype, rank 0 to 3', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      for (const [shape, axis] of [[[5], 0], [[3, 4], 0], [[3, 4], 1], [[2, 3, 4], 1], [[2, 3, 4], -1], [[2, 3, 4], 0]] as [number[], number][]) {
        const x = sample(shape, dtype, 3);
        const wantMax = refReduce(refOf(x), axis, false, (g) => g.indexOf(Math.max(...g)));
        const wantMin = refReduce(refOf(x), axis, false, (g) => g.indexOf(Math.min(...g)));
        expectMatches(untouched(x, () => argmax(x as Tensor<number[]>, axis)), wantMax, 'int32', `argmax ${dtype} [${shape}] ${axis}`);
        expectMatches(argmin(x as Tensor<number[]>, axis), wantMin, 'int32', `argmin ${dtype} [${shape}] ${axis}`);
      }
    }
    expect(argmax(scalar(3)).item()).toBe(0);
    expect(argmax(tensor([false, true, true])).item()).toBe(1);
  });

  it('treat the first NaN as the extreme, as NumPy does', () => {
    expect(argmax(tensor([1, NaN, 3, NaN])).item()).toBe(1);
    expect(argmin(tensor([1, NaN, 0])).item()).toBe(1);
    expect(argmin(tensor([[1, 2], [NaN, 0], [NaN, 5]]), 0).toArray()).toEqual([1, 1]);
  });

  it('reject an empty axis with ValueError and a bad axis with AxisError', () => {
    expectThrows(() => argmax(zeros([0])), ValueError, 'argmax: axis 0 of [0] is empty and has no maximum');
    expectThrows(() => argmin(zeros([0, 3]), 0), ValueError, 'argmin: axis 0 of [0,3] is empty and has no minimum');
    expect(argmax(zeros([0, 3]), 1).shape).toEqual([0]);
    expectThrows(() => argmax(zeros([2, 3]), 2 as never), AxisError, 'argmax: axis 2 is out of range for rank 2');
    expectThrows(() => argmin(zeros([2, 3]), -3 as never), AxisError, 'argmin: axis -3 is out of range for rank 2');
    expectThrows(() => argmax(scalar(1), 0 as never), AxisError, 'argmax: axis 0 is out of range for rank 0');
    expectThrows(() => argmax(zeros([2, 3]), 0.5 as never), AxisError, 'argmax: axis 0.5 is not an integer');
  });
});

describe('axis errors name the op, the axis and the rank', () => {
  const OPS: [string, Reducer][] = [
    ['sum', asReducer(sum)],
    ['mean', asReducer(mean)],
    ['prod', asReducer(prod)],
    ['max', asReducer(max)],
    ['min', asReducer(min)],
    ['logsumexp', asReducer(logsumexp)],
    ['variance', asReducer(variance)],
    ['std', asReducer(std)],
  ];
  for (const [name, op] of OPS) {
    it(`${name}: out of range (both signs), repeated, not an integer, not an axis`, () => {
      const x = sample([2, 3], 'float32');
      expectThrows(() => op(x, 2), AxisError, `${name}: axis 2 is out of range for rank 2`);
      expectThrows(() => op(x, -3), AxisError, `${name}: axis -3 is out of range for rank 2`);
      expectThrows(() => op(x, [0, 5]), AxisError, `${name}: axis 5 is out of range for rank 2`);
      expectThrows(() => op(scalar(1), 0), AxisError, `${name}: axis 0 is out of range for rank 0`);
      expectThrows(() => op(x, [0, -2]), AxisError, `${name}: axis 0 repeated`);
      expectThrows(() => op(x, [1, 1]), AxisError, `${name}: axis 1 repeated`);
      expectThrows(() => op(x, 0.5), AxisError, `${name}: axis 0.5 is not an integer`);
      expectThrows(() => op(x, NaN), AxisError, `${name}: axis NaN is not an integer`);
      expectThrows(() => op(x, '0' as never), AxisError, `${name}: axis must be a number, an array of numbers or undefined, got string`);
    });
  }
});
