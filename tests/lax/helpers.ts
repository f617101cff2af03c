/**
 * Shared pieces of the lax tests: plain-array tensors (`Ref`) and the index
 * arithmetic the naive references are written with, fast-check arbitraries
 * for random shapes and values, a guard that inputs are not mutated, and
 * finite-difference checks of first and second derivatives in float64.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { allocate, type DType } from '../../src/core/dtype.js';
import { type AnyTensor, dimsOf, fromStorage, storageOf } from '../../src/core/tensor.js';
import { grad } from '../../src/autodiff/grad.js';
import { jvp } from '../../src/autodiff/jvp.js';
import { mul, reduceSum, sin } from '../../src/lax/index.js';

/** A tensor as plain data: row-major values and a shape. */
export interface Ref {
  readonly data: readonly number[];
  readonly shape: readonly number[];
}

export type NumericDType = 'float32' | 'float64' | 'int32';
export const NUMERIC: readonly NumericDType[] = ['float32', 'float64', 'int32'];

export const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Multi-index of flat position `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k]!;
    i = Math.floor(i / shape[k]!);
  }
  return idx;
}

/** Flat position of multi-index `idx` in `shape`. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let k = 0; k < shape.length; k++) i = i * shape[k]! + idx[k]!;
  return i;
}

/** A concrete tensor holding `data` (converted to the dtype's storage). */
export function make(data: readonly number[], shape: readonly number[], dtype: DType = 'float64'): AnyTensor {
  const storage = allocate(dtype, data.length);
  for (let i = 0; i < data.length; i++) storage[i] = data[i]!;
  return fromStorage(storage, shape.slice(), dtype) as unknown as AnyTensor;
}

/** An int32 tensor. */
export const ints = (data: readonly number[], shape: readonly number[] = [data.length]): AnyTensor => make(data, shape, 'int32');

/** The values of a tensor, as a plain array. */
export const valuesOf = (t: AnyTensor): number[] => Array.from(storageOf(t.concrete()));

/** Expects `t` to have `ref`'s shape, the dtype, and exactly its values (after storing them in `dtype`). */
export function expectExact(t: AnyTensor, ref: Ref, dtype: DType): void {
  expect(dimsOf(t)).toEqual(ref.shape);
  expect(t.dtype).toBe(dtype);
  expect(valuesOf(t)).toEqual(valuesOf(make(ref.data, ref.shape, dtype)));
}

/** Expects two value lists to agree to `|a - b| <= atol + rtol |b|`, NaN matching NaN. */
export function expectClose(got: readonly number[], want: readonly number[], rtol = 1e-5, atol = 1e-7, what = ''): void {
  expect(got.length, `${what} length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, w = want[i]!;
    const ok = (Number.isNaN(g) && Number.isNaN(w)) || Math.abs(g - w) <= atol + rtol * Math.abs(w);
    if (!ok) expect.fail(`${what} at flat index ${i}: got ${g}, expected ${w} (all: got [${got.join(', ')}], expected [${want.join(', ')}])`);
  }
}

/**
 * Runs `f` on `inputs` and checks that no input's storage changed.
 * (Every kernel allocates its output; none may write an input.)
 */
export function untouched<R>(inputs: readonly AnyTensor[], f: () => R): R {
  const before = inputs.map(valuesOf);
  const out = f();
  inputs.forEach((x, i) => expect(valuesOf(x), `input ${i} was mutated`).toEqual(before[i]));
  return out;
}

// ---------------------------------------------------------------------------
// Arbitraries

/** Shapes of rank `minRank..maxRank` with dims `0..maxDim` (size-0 and size-1 dims included). */
export const arbShape = (minRank = 0, maxRank = 4, maxDim = 3): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: maxDim }), { minLength: minRank, maxLength: maxRank });

/**
 * Values exactly representable in every numeric dtype: integers for int32,
 * quarters for floats, so kernels can be compared exactly.
 */
export function arbValues(size: number, dtype: NumericDType, range = 3): fc.Arbitrary<number[]> {
  const element = dtype === 'int32' ? fc.integer({ min: -range, max: range }) : fc.integer({ min: -4 * range, max: 4 * range }).map((v) => v / 4);
  return fc.array(element, { minLength: size, maxLength: size });
}

/** A random `Ref` of the given shape and dtype. */
export const arbRef = (shape: readonly number[], dtype: NumericDType): fc.Arbitrary<Ref> =>
  arbValues(sizeOf(shape), dtype).map((data) => ({ data, shape }));

export const arbDType = fc.constantFrom(...NUMERIC);

/** A shape, a dtype and values. */
export const arbCase = (minRank = 0, maxRank = 4, maxDim = 3): fc.Arbitrary<{ ref: Ref; dtype: NumericDType }> =>
  fc
    .tuple(arbShape(minRank, maxRank, maxDim), arbDType)
    .chain(([shape, dtype]) => arbRef(shape, dtype).map((ref) => ({ ref, dtype })));

/** Fixed-seed property runs, so a failure is reproducible. */
export const runs = (numRuns = 150): fc.Parameters<unknown> => ({ numRuns, seed: 20261126 });

// ---------------------------------------------------------------------------
// Finite differences (float64)

/** A deterministic pseudo-random vector in [-1, 1] (a linear congruential generator). */
export function pseudoRandom(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

type Op = (x: AnyTensor) => AnyTensor;

/** `x + h v` as a float64 tensor of x's shape. */
function moved(x: AnyTensor, v: readonly number[], h: number): AnyTensor {
  const xs = valuesOf(x);
  return make(xs.map((xi, i) => xi + h * v[i]!), dimsOf(x));
}

/** Central difference of the values of `f` at `x` along `v`. */
function directional(f: (x: AnyTensor) => number[], x: AnyTensor, v: readonly number[], h: number): number[] {
  const plus = f(moved(x, v, h));
  const minus = f(moved(x, v, -h));
  return plus.map((p, i) => (p - minus[i]!) / (2 * h));
}

/** The gradient of a scalar function by central differences, one coordinate at a time. */
function numericGradient(f: (x: AnyTensor) => number, x: AnyTensor, h: number): number[] {
  return valuesOf(x).map((_, i) => {
    const e = valuesOf(x).map((_, j) => (j === i ? 1 : 0));
    return directional((y) => [f(y)], x, e, h)[0]!;
  });
}

const sumAll = (t: AnyTensor): AnyTensor => reduceSum(t, dimsOf(t).map((_, k) => k), false);
/** `<w, t>` as a scalar tensor. */
const dot = (w: AnyTensor, t: AnyTensor): AnyTensor => sumAll(mul(w, t));

export interface DerivativeCheckOptions {
  readonly h?: number;
  readonly rtol?: number;
  readonly atol?: number;
  /** Seed of the random cotangent and tangent directions. */
  readonly seed?: number;
}

/**
 * Checks the derivatives of `op` at the float64 tensor `x` against central
 * finite differences, with a random output weight `w` and input direction `v`:
 *
 * - first order, reverse: `grad(<w, op(x)>)` against the numeric gradient;
 * - first order, forward: `jvp(op)(x; v)` against the difference of `op` along `v`;
 * - second order: with `L(x) = <w, sin(op(x))>` and `G = grad(L)` (checked
 *   numerically first), `grad(<G(x), v>)` (reverse over reverse) and
 *   `jvp(G)(x; v)` (forward over reverse) against the difference of `G`
 *   along `v`, and `grad(<w, jvp(sin . op)(x; v)>)` (reverse over forward)
 *   against its numeric gradient.
 */
export function checkDerivatives(op: Op, x: AnyTensor, opts: DerivativeCheckOptions = {}): void {
  const { h = 1e-5, rtol = 1e-5, atol = 1e-7, seed = 7 } = opts;
  const y = op(x);
  const w = make(pseudoRandom(y.size, seed), dimsOf(y));
  const v = pseudoRandom(x.size, seed + 1);
  const vt = make(v, dimsOf(x));
  const check = (got: AnyTensor | number[], want: number[], what: string): void =>
    expectClose(Array.isArray(got) ? got : valuesOf(got), want, rtol, atol, what);
  const scalar = (f: (x: AnyTensor) => AnyTensor) => (z: AnyTensor): number => valuesOf(f(z))[0]!;

  // First order.
  const linear = (z: AnyTensor): AnyTensor => dot(w, op(z));
  check(grad(linear as never)(x as never) as AnyTensor, numericGradient(scalar(linear), x, h), 'reverse mode');
  check(jvp(op, [x], [vt])[1], directional((z) => valuesOf(op(z)), x, v, h), 'forward mode');

  // Second order.
  const loss = (z: AnyTensor): AnyTensor => dot(w, sin(op(z)));
  const G = (z: AnyTensor): AnyTensor => grad(loss as never)(z as never) as AnyTensor;
  check(G(x), numericGradient(scalar(loss), x, h), 'gradient of the nonlinear loss');
  const hvp = directional((z) => valuesOf(G(z)), x, v, h);
  check(grad(((z: AnyTensor) => dot(G(z), vt)) as never)(x as never) as AnyTensor, hvp, 'reverse over reverse');
  check(jvp(G, [x], [vt])[1], hvp, 'forward over reverse');
  const pushed = (z: AnyTensor): AnyTensor => dot(w, jvp((u: AnyTensor) => sin(op(u)), [z], [vt])[1]);
  check(grad(pushed as never)(x as never) as AnyTensor, numericGradient(scalar(pushed), x, h), 'reverse over forward');
}

// ---------------------------------------------------------------------------
// Reductions

/** The output shape of reducing `axes` (sorted) of `shape`. */
export function reducedShapeOf(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  return shape.flatMap((d, k) => (axes.includes(k) ? (keepdims ? [1] : []) : [d]));
}

/** Naive reduction: folds every input element into the output slot its kept coordinates name. */
export function refReduce(x: Ref, axes: readonly number[], keepdims: boolean, init: number, fold: (acc: number, v: number) => number): Ref {
  const shape = reducedShapeOf(x.shape, axes, keepdims);
  const kept = reducedShapeOf(x.shape, axes, true);
  const data = new Array<number>(sizeOf(shape)).fill(init);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).map((c, k) => (axes.includes(k) ? 0 : c));
    const o = ravel(idx, kept);
    data[o] = fold(data[o]!, x.data[i]!);
  }
  return { data, shape };
}

/** A case plus a random sorted subset of its axes and a keepdims flag. */
export const arbReduceCase = (minRank = 0) =>
  arbCase(minRank).chain((c) =>
    fc
      .tuple(fc.subarray(c.ref.shape.map((_, k) => k)), fc.boolean())
      .map(([axes, keepdims]) => ({ ...c, axes, keepdims })),
  );
