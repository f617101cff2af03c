// Elementwise ops (src/ops/unary.ts, src/ops/binary.ts; kernels in
// src/lax/unary.ts, binary.ts, where.ts and src/backend/cpu/elementwise.ts),
// checked against a plain-JS float64 reference with NumPy broadcasting, one
// table per family so that adding an op adds its checks.
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  ShapeError,
  abs,
  add,
  ceil,
  clip,
  cos,
  div,
  eq,
  exp,
  expm1,
  floor,
  ge,
  gt,
  le,
  log,
  log1p,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  pow,
  reciprocal,
  relu,
  round,
  rsqrt,
  scalar,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  square,
  sub,
  tanh,
  tensor,
  where,
  type AnyTensor,
  type DType,
  type Tensor,
} from '../../src/index.js';
import { expectThrows } from './helpers.js';

// ---------------------------------------------------------------------------
// The reference: plain arrays, float64 arithmetic, NumPy broadcasting.

/** A tensor as plain data: row-major values and a shape. */
interface Ref {
  readonly data: readonly number[];
  readonly shape: readonly number[];
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** The broadcast shape, or null when the shapes do not fit (written independently of src/shape). */
function broadcastRef(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const da = a[a.length - rank + k] ?? 1;
    const db = b[b.length - rank + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** The element of `x` that output position `idx` (in `outShape`) reads under broadcasting. */
function at(x: Ref, idx: readonly number[]): number {
  const lead = idx.length - x.shape.length;
  let flat = 0;
  for (let k = 0; k < x.shape.length; k++) flat = flat * x.shape[k]! + (x.shape[k] === 1 ? 0 : idx[lead + k]!);
  return x.data[flat]!;
}

/** `f` applied elementwise over any number of broadcast operands. */
function refMap(xs: readonly Ref[], f: (...v: number[]) => number): Ref {
  const shape = xs.map((x) => x.shape as number[]).reduce((s, t) => broadcastRef(s, t)!);
  const data: number[] = [];
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = new Array<number>(shape.length);
    for (let k = shape.length - 1, r = i; k >= 0; k--) {
      idx[k] = r % shape[k]!;
      r = Math.floor(r / shape[k]!);
    }
    data.push(f(...xs.map((x) => at(x, idx))));
  }
  return { data, shape };
}

/** A value as the dtype stores it (float32 rounding, int32 wrapping, bool 0/1). */
function stored(dtype: DType, v: number): number {
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  const a = dtype === 'float32' ? new Float32Array(1) : dtype === 'int32' ? new Int32Array(1) : new Float64Array(1);
  a[0] = v;
  return a[0]!;
}

const refOf = (t: AnyTensor): Ref => ({ data: Array.from(t.toTypedArray()), shape: [...(t.shape as readonly number[])] });

/** A tensor of `shape` and `dtype` from a deterministic spread of small values, NaN-free. */
function sample(shape: readonly number[], dtype: DType, seed = 1): AnyTensor {
  const n = sizeOf(shape);
  const data = Array.from({ length: n }, (_, i) => {
    const k = ((i + seed) * 7919) % 23; // 0..22, well mixed
    return dtype === 'bool' ? k % 2 : dtype === 'int32' ? k - 11 : (k - 11) / 4;
  });
  return tensor(data, shape as number[], { dtype }) as AnyTensor;
}

/** Tolerance per result dtype: float32 storage against a float64 reference, float64 tight, ints exact. */
const TOL: Record<DType, { rtol: number; atol: number }> = {
  float32: { rtol: 1.3e-6, atol: 1e-6 },
  float64: { rtol: 1e-12, atol: 1e-300 },
  int32: { rtol: 0, atol: 0 },
  bool: { rtol: 0, atol: 0 },
};

/** Expects `got` to have `want`'s shape, the dtype, and its values (stored in the dtype, within TOL). */
function expectMatches(got: AnyTensor, want: Ref, dtype: DType, what = ''): void {
  expect(got.shape, `${what} shape`).toEqual(want.shape);
  expect(got.dtype, `${what} dtype`).toBe(dtype);
  const values = dtype === 'int32' || dtype === 'bool' ? want.data.map((v) => stored(dtype, v)) : want.data;
  expect(got, what).toBeAllclose(tensor(values, want.shape as number[], { dtype: 'float64' }), TOL[dtype]);
}

/** Runs `f` and checks it wrote none of `inputs`. */
function untouched<R>(inputs: readonly AnyTensor[], f: () => R): R {
  const before = inputs.map((x) => Array.from(x.toTypedArray()));
  const out = f();
  inputs.forEach((x, i) => expect(Array.from(x.toTypedArray()), `input ${i} was mutated`).toEqual(before[i]));
  return out;
}


const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
const promote = (a: DType, b: DType): DType => (RANK[a] >= RANK[b] ? a : b);

// ---------------------------------------------------------------------------
// Unary ops

type UnaryKind = 'same' | 'float';
interface UnaryCase {
  readonly name: string;
  readonly op: (x: AnyTensor) => AnyTensor;
  readonly ref: (x: number) => number;
  /** 'same': numeric dtype kept, bool rejected; 'float': float dtypes kept, int and bool give float32. */
  readonly kind: UnaryKind;
}

/** Round half to even, from floor (independent of the kernel's Math.round). */
function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
}

const UNARY: readonly UnaryCase[] = [
  { name: 'neg', op: neg as unknown as UnaryCase['op'], ref: (x) => -x, kind: 'same' },
  { name: 'abs', op: abs as unknown as UnaryCase['op'], ref: (x) => (x < 0 ? -x : x), kind: 'same' },
  { name: 'sign', op: sign as unknown as UnaryCase['op'], ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x), kind: 'same' },
  { name: 'relu', op: relu as unknown as UnaryCase['op'], ref: (x) => (x > 0 ? x : x <= 0 ? 0 : NaN), kind: 'same' },
  { name: 'floor', op: floor as unknown as UnaryCase['op'], ref: Math.floor, kind: 'same' },
  { name: 'ceil', op: ceil as unknown as UnaryCase['op'], ref: Math.ceil, kind: 'same' },
  { name: 'round', op: round as unknown as UnaryCase['op'], ref: roundHalfEven, kind: 'same' },
  { name: 'square', op: square, ref: (x) => x * x, kind: 'same' },
  { name: 'exp', op: exp, ref: (x) => Math.E ** x, kind: 'float' },
  { name: 'log', op: log, ref: Math.log, kind: 'float' },
  { name: 'log1p', op: log1p, ref: Math.log1p, kind: 'float' },
  { name: 'expm1', op: expm1, ref: Math.expm1, kind: 'float' },
  { name: 'sqrt', op: sqrt, ref: Math.sqrt, kind: 'float' },
  { name: 'sin', op: sin, ref: Math.sin, kind: 'float' },
  { name: 'cos', op: cos, ref: Math.cos, kind: 'float' },
  { name: 'tanh', op: tanh, ref: Math.tanh, kind: 'float' },
  // Naive formulas are accurate in float64 for the test values; the ops must match them in float32 too.
  { name: 'sigmoid', op: sigmoid, ref: (x) => 1 / (1 + Math.exp(-x)), kind: 'float' },
  { name: 'softplus', op: softplus, ref: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), kind: 'float' },
  { name: 'reciprocal', op: reciprocal, ref: (x) => 1 / x, kind: 'float' },
  { name: 'rsqrt', op: rsqrt, ref: (x) => 1 / Math.sqrt(x), kind: 'float' },
];

/** NaN-free special and ordinary values: zeros of both signs, halves, infinities. */
const FLOAT_VALUES = [-Infinity, -1000, -3.5, -2.5, -1, -0.5, -0, 0, 0.25, 0.5, 1, 1.5, 2.5, 3, 10, 1000, Infinity];
const INT_VALUES = [-7, -2, -1, 0, 1, 2, 3, 9];

function unaryDType(kind: UnaryKind, d: DType): DType {
  if (kind === 'same') return d;
  return d === 'float64' ? 'float64' : 'float32';
}

describe('unary ops against the float64 reference', () => {
  for (const { name, op, ref, kind } of UNARY) {
    it(`${name}: every numeric dtype, special values, rank 0 to 3, size 0`, () => {
      const cases: [DType, number[]][] = [
        ['float64', FLOAT_VALUES],
        ['float32', FLOAT_VALUES],
        ['int32', INT_VALUES],
      ];
      for (const [dtype, values] of cases) {
        const x = tensor(values, [values.length], { dtype }) as AnyTensor;
        const want = refMap([refOf(x)], ref);
        expectMatches(untouched([x], () => op(x)), want, unaryDType(kind, dtype), `${name} ${dtype}`);
        // The same values in other shapes: the kernel is shape-blind, but the wrapper must keep the shape.
        for (const shape of [[], [1], [0], [2, 0], [2, 3], [1, 2, 1]]) {
          const y = sample(shape, dtype);
          expectMatches(op(y), refMap([refOf(y)], ref), unaryDType(kind, dtype), `${name} ${dtype} [${shape}]`);
        }
      }
    });
  }

  it('float ops take bool to float32; the sign-keeping ops reject bool with DTypeError', () => {
    const b = tensor([true, false]) as AnyTensor;
    for (const { name, op, ref, kind } of UNARY) {
      if (name === 'square') continue; // square(bool) is below
      if (kind === 'float') expectMatches(op(b), refMap([{ data: [1, 0], shape: [2] }], ref), 'float32', name);
      else expectThrows(() => op(b), DTypeError, `${name}: expected a numeric tensor, got bool`);
    }
  });

  it('propagates NaN through every unary op but relu', () => {
    for (const { name, op } of UNARY) {
      if (name === 'relu') continue; // the bug below
      for (const dtype of ['float32', 'float64'] as const) {
        const out = op(tensor([NaN, 1, NaN], { dtype }) as AnyTensor).toTypedArray();
        expect([Number.isNaN(out[0]), Number.isNaN(out[2])], `${name} ${dtype}`).toEqual([true, true]);
      }
    }
  });

  // BUG (reported): src/lax/unary.ts reluPrim kernel `o[i] = v > 0 ? v : 0`
  // maps NaN to 0. relu is documented as max(x, 0), and this library's own
  // maximum(NaN, 0) is NaN, as are torch.relu(nan) and jax.nn.relu(nan).
  it('relu(NaN) is NaN, like maximum(NaN, 0)', () => {
    const x = tensor([NaN, -1, 2]);
    expect(maximum(x, 0)).toBeAllclose([NaN, 0, 2]);
    expect(relu(x)).toBeAllclose([NaN, 0, 2]);
  });

  // square(x) = mul(x, x), and bool * bool is int32: the type says so too.
  it('square of a bool tensor has the dtype its type claims', () => {
    const b: Tensor<[2], 'bool'> = tensor([true, false]);
    const y: Tensor<[2], 'int32'> = square(b);
    expect(y.dtype).toBe('int32');
    expect(y.toArray()).toEqual([1, 0]);
  });

  it('rounds half to even, both signs, in every float dtype', () => {
    const halves = [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 2 ** 52 - 0.5];
    const want = [-4, -2, -2, -0, 0, 2, 2, 4, 4, 2 ** 52];
    expect(round(tensor(halves, { dtype: 'float64' }))).toBeAllclose(want, { rtol: 0, atol: 0 });
    expect(round(tensor(halves.slice(0, 9)))).toBeAllclose(want.slice(0, 9), { rtol: 0, atol: 0 });
    // Not halves: to the nearest; 0.49999999999999994 is below one half.
    const near = [2.4, 2.6, -2.4, -2.6, 0.49999999999999994, -0.49999999999999994, 1e300, -1e-300];
    expect(round(tensor(near, { dtype: 'float64' }))).toBeAllclose([2, 3, -2, -3, 0, 0, 1e300, 0], { rtol: 0, atol: 0 });
    // The sign of a zero result is kept (NumPy: round(-0.4) is -0.0).
    expect(Object.is(round(scalar(-0.4, { dtype: 'float64' })).item(), -0)).toBe(true);
  });

  it('sign gives -1, 0 or 1, and NaN for NaN', () => {
    expect(sign(tensor([-3, -0, 0, 2, -Infinity, Infinity, NaN, 1e-45]))).toBeAllclose([-1, 0, 0, 1, -1, 1, NaN, 1], { rtol: 0, atol: 0 });
    expect(sign(tensor([-5, 0, 7], { dtype: 'int32' })).toArray()).toEqual([-1, 0, 1]);
  });

  it('sigmoid and softplus stay finite and accurate at ±1000 and in the far tails', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      expect(sigmoid(tensor([-1000, 0, 1000], { dtype }))).toBeAllclose([0, 0.5, 1], { rtol: 0, atol: 0 });
      expect(softplus(tensor([-1000, 1000], { dtype }))).toBeAllclose([0, 1000], { rtol: 0, atol: 0 });
      expect(tanh(tensor([-1000, 1000], { dtype }))).toBeAllclose([-1, 1], { rtol: 0, atol: 0 });
    }
    // Far negative tails: 1 + e^x rounds to 1, so only the stable forms keep these digits.
    // sigmoid(-40) = e^-40 / (1 + e^-40); softplus(-40) = log1p(e^-40).
    const e40 = Math.exp(-40);
    expect(sigmoid(tensor([-40], { dtype: 'float64' }))).toBeAllclose([e40 / (1 + e40)], { rtol: 1e-14 });
    expect(softplus(tensor([-40], { dtype: 'float64' }))).toBeAllclose([Math.log1p(e40)], { rtol: 1e-14 });
    expect(softplus(tensor([-40]))).toBeAllclose([Math.log1p(e40)], { rtol: 1e-6 });
    // Large positive: softplus(x) = x + log1p(e^-x), not log(inf).
    expect(softplus(tensor([50, 88.5, 100], { dtype: 'float64' }))).toBeAllclose([50 + Math.log1p(Math.exp(-50)), 88.5, 100], { rtol: 1e-15 });
    expect(softplus(tensor([Infinity, -Infinity]))).toBeAllclose([Infinity, 0], { rtol: 0, atol: 0 });
    expect(sigmoid(tensor([Infinity, -Infinity]))).toBeAllclose([1, 0], { rtol: 0, atol: 0 });
  });

  it('overflows and domain errors give IEEE values, not throws', () => {
    expect(exp(tensor([100, -200]))).toBeAllclose([Infinity, 0], { rtol: 0, atol: 0 }); // float32 overflow and underflow
    expect(exp(tensor([100], { dtype: 'float64' }))).toBeAllclose([Math.exp(100)], { rtol: 1e-15 });
    expect(log(tensor([0, -1]))).toBeAllclose([-Infinity, NaN], { rtol: 0, atol: 0 });
    expect(sqrt(tensor([-1, -0, 0]))).toBeAllclose([NaN, 0, 0], { rtol: 0, atol: 0 });
    expect(reciprocal(tensor([0, -0], { dtype: 'int32' }))).toBeAllclose([Infinity, Infinity], { rtol: 0, atol: 0 });
    expect(log1p(tensor([-1, -2]))).toBeAllclose([-Infinity, NaN], { rtol: 0, atol: 0 });
    // int32 negation wraps, like two's complement hardware.
    expect(neg(tensor([-(2 ** 31)], { dtype: 'int32' })).toArray()).toEqual([-(2 ** 31)]);
  });
});

// ---------------------------------------------------------------------------
// Binary ops

type BinaryKind = 'promote' | 'div' | 'bool';
interface BinaryCase {
  readonly name: string;
  readonly op: (a: AnyTensor | number, b: AnyTensor | number) => AnyTensor;
  readonly ref: (a: number, b: number) => number;
  readonly kind: BinaryKind;
}

const nanMax = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b);
const nanMin = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b);
const asOp = (f: unknown) => f as BinaryCase['op'];

const BINARY: readonly BinaryCase[] = [
  { name: 'add', op: asOp(add), ref: (a, b) => a + b, kind: 'promote' },
  { name: 'sub', op: asOp(sub), ref: (a, b) => a - b, kind: 'promote' },
  { name: 'mul', op: asOp(mul), ref: (a, b) => a * b, kind: 'promote' },
  { name: 'div', op: asOp(div), ref: (a, b) => a / b, kind: 'div' },
  { name: 'pow', op: asOp(pow), ref: (a, b) => a ** b, kind: 'promote' },
  { name: 'maximum', op: asOp(maximum), ref: nanMax, kind: 'promote' },
  { name: 'minimum', op: asOp(minimum), ref: nanMin, kind: 'promote' },
  { name: 'eq', op: asOp(eq), ref: (a, b) => +(a === b), kind: 'bool' },
  { name: 'ne', op: asOp(ne), ref: (a, b) => +(a !== b), kind: 'bool' },
  { name: 'lt', op: asOp(lt), ref: (a, b) => +(a < b), kind: 'bool' },
  { name: 'le', op: asOp(le), ref: (a, b) => +(a <= b), kind: 'bool' },
  { name: 'gt', op: asOp(gt), ref: (a, b) => +(a > b), kind: 'bool' },
  { name: 'ge', op: asOp(ge), ref: (a, b) => +(a >= b), kind: 'bool' },
];

/** The result dtype: promotion (bool arithmetic is int32), true division to float, comparisons to bool. */
function binaryDType(kind: BinaryKind, a: DType, b: DType): DType {
  const p = promote(a, b);
  if (kind === 'bool') return 'bool';
  if (kind === 'div') return p === 'float64' ? 'float64' : 'float32';
  return p === 'bool' ? 'int32' : p;
}

/** Shape pairs: equal, scalar either side, size-1 stretching both ways, rank growth, size 0. */
const BROADCAST_PAIRS: readonly [number[], number[]][] = [
  [[], []],
  [[], [3]],
  [[3], []],
  [[2, 3], [2, 3]],
  [[2, 3], [3]],
  [[3], [2, 3]],
  [[2, 1], [1, 3]],
  [[2, 3, 4], [2, 1, 4]],
  [[4, 1, 3], [2, 1]],
  [[1], [5]],
  [[1, 1], [2, 2, 3]],
  [[0], [1]],
  [[0, 3], [3]],
  [[2, 0], [1, 1]],
  [[1, 3, 1], [2, 1, 4]],
];

describe('binary ops against the float64 reference', () => {
  for (const { name, op, ref, kind } of BINARY) {
    it(`${name}: broadcasting over scalar, size-1, size-0 and rank-growing shapes`, () => {
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        for (const [sa, sb] of BROADCAST_PAIRS) {
          const a = sample(sa, dtype, 1);
          // Positive exponents keep int32 pow away from fractions; the other ops see signs.
          const b = name === 'pow' ? (tensor(Array.from(sample(sb, 'int32', 5).toTypedArray(), (v) => Math.abs(v) % 4), sb, { dtype }) as AnyTensor) : sample(sb, dtype, 5);
          const want = refMap([refOf(a), refOf(b)], ref);
          expectMatches(untouched([a, b], () => op(a, b)), want, binaryDType(kind, dtype, dtype), `${name} ${dtype} [${sa}] [${sb}]`);
        }
      }
    });
  }

  it('promote dtypes bool < int32 < float32 < float64, with values computed in the result dtype', () => {
    for (const { name, op, ref, kind } of BINARY) {
      for (const da of DTYPES) {
        for (const db of DTYPES) {
          const a = tensor([1, 0, 1, 1], [2, 2], { dtype: da }) as AnyTensor;
          const b = tensor(db === 'bool' ? [1, 0] : [2, -1], [2], { dtype: db }) as AnyTensor;
          const out = binaryDType(kind, da, db);
          expectMatches(op(a, b), refMap([refOf(a), refOf(b)], ref), out, `${name}(${da}, ${db})`);
        }
      }
    }
  });

  it('mixes dtypes exactly where the smaller one is widened first', () => {
    // int32 + float32: 2^24 + 1 is not a float32, so the sum rounds in float32.
    expect(add(tensor([2 ** 24], { dtype: 'int32' }), tensor([1])).toTypedArray()).toEqual(new Float32Array([2 ** 24]));
    // int32 + float64 keeps every digit.
    expect(add(tensor([2 ** 24], { dtype: 'int32' }), tensor([1], { dtype: 'float64' })).toArray()).toEqual([2 ** 24 + 1]);
    // float32 * float64 is float64 of the float32 value.
    expect(mul(tensor([0.1]), tensor([1], { dtype: 'float64' })).toArray()).toEqual([Math.fround(0.1)]);
    // bool arithmetic counts in int32.
    expect(add(tensor([true, true]), tensor([true, false])).toArray()).toEqual([2, 1]);
    expect(sub(tensor([false]), tensor([true])).toArray()).toEqual([-1]);
    // int32 arithmetic wraps at 32 bits.
    expect(add(tensor([2 ** 31 - 1], { dtype: 'int32' }), tensor([1], { dtype: 'int32' })).toArray()).toEqual([-(2 ** 31)]);
  });

  it('true division of integers and bools gives float32, division by zero gives IEEE values', () => {
    expectMatches(div(tensor([1, 3, -1, 0], { dtype: 'int32' }), tensor([2], { dtype: 'int32' })), { data: [0.5, 1.5, -0.5, 0], shape: [4] }, 'float32');
    expectMatches(div(tensor([1, -1, 0], { dtype: 'int32' }), 0), { data: [Infinity, -Infinity, NaN], shape: [3] }, 'float32');
    expectMatches(div(tensor([true]), tensor([true])), { data: [1], shape: [1] }, 'float32');
    expectMatches(div(tensor([1], { dtype: 'float64' }), tensor([3], { dtype: 'int32' })), { data: [1 / 3], shape: [1] }, 'float64');
    expect(div(tensor([1, -1]), tensor([-0, -0])).toArray()).toEqual([-Infinity, Infinity]);
  });

  it('maximum and minimum propagate NaN from either side (NumPy), and order infinities', () => {
    const a = tensor([NaN, 1, NaN, -Infinity, 2], { dtype: 'float64' });
    const b = tensor([1, NaN, NaN, 3, Infinity], { dtype: 'float64' });
    expect(maximum(a, b)).toBeAllclose([NaN, NaN, NaN, 3, Infinity], { rtol: 0, atol: 0 });
    expect(minimum(a, b)).toBeAllclose([NaN, NaN, NaN, -Infinity, 2], { rtol: 0, atol: 0 });
    expect(maximum(tensor([NaN]), 0)).toBeAllclose([NaN]);
    expect(minimum(0, tensor([NaN]))).toBeAllclose([NaN]);
  });

  it('comparisons follow IEEE: NaN equals nothing, -0 equals 0', () => {
    const a = tensor([NaN, NaN, -0, 1, -Infinity]);
    const b = tensor([NaN, 1, 0, 1, -Infinity]);
    expect(eq(a, b).toArray()).toEqual([false, false, true, true, true]);
    expect(ne(a, b).toArray()).toEqual([true, true, false, false, false]);
    expect(lt(a, b).toArray()).toEqual([false, false, false, false, false]);
    expect(le(a, b).toArray()).toEqual([false, false, true, true, true]);
    expect(gt(a, b).toArray()).toEqual([false, false, false, false, false]);
    expect(ge(a, b).toArray()).toEqual([false, false, true, true, true]);
    expect(gt(tensor([true, false]), tensor([false, false])).toArray()).toEqual([true, false]);
  });

  it('pow at the special points: 0^0 = 1, negative base with fractional exponent is NaN', () => {
    expect(pow(tensor([0, -8, 4, 2, -2], { dtype: 'float64' }), tensor([0, 1 / 3, 0.5, -1, 3], { dtype: 'float64' }))).toBeAllclose([1, NaN, 2, 0.5, -8], { rtol: 0, atol: 0 });
    // int32 pow with a negative exponent truncates toward zero.
    expect(pow(tensor([2, 1, -1], { dtype: 'int32' }), tensor([-1], { dtype: 'int32' })).toArray()).toEqual([0, 1, -1]);
  });

  it('rejects shapes that do not broadcast with ShapeError naming the op, both shapes and the dims', () => {
    for (const { name, op } of BINARY) {
      expectThrows(() => op(sample([2, 3], 'float32'), sample([4], 'float32')), ShapeError, `${name}: cannot broadcast [2,3] with [4]: dim 3 vs 4`);
      expectThrows(() => op(sample([4, 1, 3], 'float32'), sample([2, 2], 'float32')), ShapeError, `${name}: cannot broadcast [4,1,3] with [2,2]: dim 3 vs 2`);
      expectThrows(() => op(sample([0], 'float32'), sample([3], 'float32')), ShapeError, `${name}: cannot broadcast [0] with [3]: dim 0 vs 3`);
      expectThrows(() => op(sample([2, 3], 'float32'), sample([3, 3], 'float32')), ShapeError, `${name}: cannot broadcast [2,3] with [3,3]: dim 2 vs 3`);
    }
  });

  it('rejects operands that are not tensors or numbers with DTypeError', () => {
    for (const { name, op } of BINARY) {
      const x = sample([2], 'float32');
      expectThrows(() => op(x, '1' as never), DTypeError, `${name}: expected tensors or numbers, got a tensor and string`);
      expectThrows(() => op(null as never, x), DTypeError, `${name}: expected tensors or numbers, got null and a tensor`);
      expectThrows(() => op(1, 2), DTypeError, `${name}: expected tensors or numbers, got number and number`);
      expectThrows(() => op(x, [1, 2] as never), DTypeError, `${name}: expected tensors or numbers, got a tensor and object`);
    }
  });
});

describe('weak JS numbers', () => {
  it('take the dtype of the tensor operand, on either side', () => {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      const x = tensor([1, 2, 3], { dtype });
      expectMatches(mul(x, 2), { data: [2, 4, 6], shape: [3] }, dtype, `mul ${dtype}`);
      expectMatches(sub(10, x), { data: [9, 8, 7], shape: [3] }, dtype, `sub ${dtype}`);
      expectMatches(pow(2, x), { data: [2, 4, 8], shape: [3] }, dtype, `pow ${dtype}`);
      expectMatches(maximum(x, 2), { data: [2, 2, 3], shape: [3] }, dtype, `maximum ${dtype}`);
      expectMatches(gt(x, 2), { data: [0, 0, 1], shape: [3] }, 'bool', `gt ${dtype}`);
      expectMatches(add(scalar(1, { dtype }), 2), { data: [3], shape: [] }, dtype, `scalar ${dtype}`);
    }
    // float64 keeps all digits of the number; float32 rounds it first.
    expect(mul(tensor([0.1], { dtype: 'float64' }), 3).toArray()).toEqual([0.1 * 3]);
    expect(add(tensor([0]), 0.1).toArray()).toEqual([Math.fround(0.1)]);
    // bool with a number computes in int32; int32 divided by a number is float32.
    expectMatches(add(tensor([true, false]), 2), { data: [3, 2], shape: [2] }, 'int32');
    expectMatches(div(tensor([1, 3], { dtype: 'int32' }), 2), { data: [0.5, 1.5], shape: [2] }, 'float32');
  });

  it('next to an int32 tensor: integers stay int32, fractions are an error in arithmetic, clip keeps the integers inside the bounds', () => {
    expectMatches(mul(tensor([3], { dtype: 'int32' }), 2), { data: [6], shape: [1] }, 'int32');
    // A compile error too (tests/type-errors/ops-dtype.ts); cast to reach the run-time check.
    expect(() => mul(tensor([3], { dtype: 'int32' }) as never, 2.5)).toThrow(DTypeError);
    expect(() => mul(tensor([3], { dtype: 'int32' }) as never, 2.5)).toThrow(
      "mul: 2.5 cannot be combined with an int32 tensor without changing its dtype; cast first, e.g. astype(x, 'float32')",
    );
    expectMatches(div(tensor([3], { dtype: 'int32' }), 2), { data: [1.5], shape: [1] }, 'float32');
    expectMatches(clip(tensor([-2, 5, 2], { dtype: 'int32' }), 0.5, 3.5), { data: [1, 3, 2], shape: [3] }, 'int32');
  });

  // BUG (reported): src/ops/binary.ts `operands` turns the number into a scalar
  // of the tensor's dtype (lax.scalarLike, src/lax/create.ts) before comparing,
  // so an int32 tensor is compared with a truncated or wrapped number:
  // lt(int32 [1], 1.5) is false, eq(int32 [1], 1.5) is true, and
  // eq(int32 [1410065408], 1e10) is true (1e10 wraps to 1410065408).
  // A comparison returns bool, so nothing requires narrowing the number.
  it('compare an int32 tensor with a fractional or large number by value', () => {
    const x = tensor([1, 2], { dtype: 'int32' });
    expect(lt(x, 1.5).toArray()).toEqual([true, false]);
    expect(eq(x, 1.5).toArray()).toEqual([false, false]);
    expect(ge(x, 1.5).toArray()).toEqual([false, true]);
    expect(eq(tensor([1410065408], { dtype: 'int32' }), 1e10).toArray()).toEqual([false]);
  });

  // BUG (reported): the same conversion writes the number into bool storage (a
  // Uint8Array), which wraps mod 256: add(bool [true], -1) is 256 and
  // add(bool [true], 256) is 1. The result dtype is int32, so 1 + (-1) = 0 and
  // 1 + 256 = 257 are representable.
  it('add a number to a bool tensor without wrapping it to 8 bits', () => {
    expect(add(tensor([true]), -1).toArray()).toEqual([0]);
    expect(add(tensor([true]), 256).toArray()).toEqual([257]);
  });
});

describe('where', () => {
  it('picks a where the condition holds, else b, broadcasting all three', () => {
    const shapes: [number[], number[], number[]][] = [
      [[3], [3], [3]],
      [[2, 1], [3], []],
      [[], [2, 3], [3]],
      [[2, 3], [1], [2, 1]],
      [[1, 3, 1], [2, 1, 4], [4]],
      [[0, 3], [3], [1]],
    ];
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      for (const [sc, sa, sb] of shapes) {
        const c = sample(sc, 'bool', 3);
        const a = sample(sa, dtype, 1);
        const b = sample(sb, dtype, 2);
        const want = refMap([refOf(c), refOf(a), refOf(b)], (cv, av, bv) => (cv ? av : bv));
        expectMatches(untouched([c, a, b], () => where(c as Tensor<number[], 'bool'>, a, b)), want, dtype, `where ${dtype} [${sc}] [${sa}] [${sb}]`);
      }
    }
  });

  it('promotes the two branches, and takes numbers at the other branch dtype', () => {
    const c = tensor([true, false]);
    expectMatches(where(c, tensor([1, 2], { dtype: 'int32' }), tensor([0.5, 0.5], { dtype: 'float64' })), { data: [1, 0.5], shape: [2] }, 'float64');
    expectMatches(where(c, tensor([1, 2], { dtype: 'int32' }), 7), { data: [1, 7], shape: [2] }, 'int32');
    expectMatches(where(c, 7, tensor([1, 2], { dtype: 'float64' })), { data: [7, 2], shape: [2] }, 'float64');
    expectMatches(where(c, 1, 0), { data: [1, 0], shape: [2] }, 'float32');
    expectMatches(where(c, tensor([true, true]), tensor([false, false])), { data: [1, 0], shape: [2] }, 'bool');
    // NaN in the branch not taken does not leak.
    expect(where(c, tensor([1, NaN]), tensor([NaN, 2])).toArray()).toEqual([1, 2]);
  });

  it('rejects a condition that is not a bool tensor with DTypeError, and bad shapes with ShapeError', () => {
    expectThrows(() => where(tensor([1, 0]) as never, tensor([1, 2]), 0), DTypeError, 'where: condition must be bool, got float32');
    expectThrows(() => where(tensor([1, 0], { dtype: 'int32' }) as never, tensor([1, 2]), 0), DTypeError, 'where: condition must be bool, got int32');
    expectThrows(() => where([true, false] as never, tensor([1, 2]), 0), DTypeError, 'where: condition must be a bool tensor, got object');
    // (The types reject these shapes too; `as never` reaches the run-time check.)
    expectThrows(() => where(tensor([true, false, true]), tensor([1, 2]) as never, 0), ShapeError, 'where: cannot broadcast [3] with [2]: dim 3 vs 2');
    expectThrows(() => where(tensor([true, false]), tensor([1, 2]), tensor([1, 2, 3]) as never), ShapeError, 'where: cannot broadcast [2] with [3]: dim 2 vs 3');
  });
});

describe('clip', () => {
  it('limits to [min, max], either bound optional, NaN kept', () => {
    const x = tensor([-2, 0.5, 3, NaN, -Infinity, Infinity]);
    expect(clip(x, 0, 1)).toBeAllclose([0, 0.5, 1, NaN, 0, 1], { rtol: 0, atol: 0 });
    expect(clip(x, 0)).toBeAllclose([0, 0.5, 3, NaN, 0, Infinity], { rtol: 0, atol: 0 });
    expect(clip(x, undefined, 1)).toBeAllclose([-2, 0.5, 1, NaN, -Infinity, 1], { rtol: 0, atol: 0 });
    expect(clip(x, undefined)).toBeAllclose([-2, 0.5, 3, NaN, -Infinity, Infinity], { rtol: 0, atol: 0 });
    expectMatches(clip(tensor([-5, 5, 0], { dtype: 'int32' }), -1, 1), { data: [-1, 1, 0], shape: [3] }, 'int32');
    expectMatches(clip(tensor([[0.1, 10]], { dtype: 'float64' }), 0.2, 5), { data: [0.2, 5], shape: [1, 2] }, 'float64');
    expect(clip(tensor([]), 0, 1).shape).toEqual([0]);
  });
});

describe('Array API special cases (issue 15, class 10)', () => {
  it('pow(±1, ±Infinity) = 1 and pow(1, NaN) = 1; sign(-0) = +0', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const r = pow(tensor([1, 1, -1, -1, 1, 2], { dtype }), tensor([Infinity, -Infinity, Infinity, -Infinity, NaN, Infinity], { dtype })).toArray();
      expect(r).toEqual([1, 1, 1, 1, 1, Infinity]);
      const s = sign(tensor([-0, 0, -2, NaN], { dtype })).toArray();
      expect(Object.is(s[0], 0)).toBe(true);
      expect(s.slice(1)).toEqual([0, -1, NaN]);
    }
  });
});
