// Property tests of the elementwise ops and reductions on random shapes and
// values: run-time shapes follow the shape rules (src/shape), results match a
// float64 reference, inputs are never written, and the algebraic identities
// hold. Seeds are fixed, so a failure replays; fast-check prints the
// counterexample and the seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AxisError,
  ShapeError,
  add,
  argmax,
  div,
  eq,
  exp,
  logsumexp,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  ne,
  prod,
  sigmoid,
  softplus,
  sqrt,
  sub,
  sum,
  tanh,
  tensor,
  variance,
  lt,
  abs,
  type AnyTensor,
  type DType,
} from '../../src/index.js';
import { broadcastShapes, reduceShape } from '../../src/shape/index.js';
import type { Tensor, Shape } from '../../src/index.js';
import { arbBroadcastableShapes, arbShape, arbTensor } from '../../src/testing/arbitraries.js';

const params = (numRuns = 200): fc.Parameters<unknown> => ({ numRuns, seed: 0x7e57ab1e });

// ---------------------------------------------------------------------------
// The reference (plain arrays, float64, NumPy broadcasting)

interface Ref {
  readonly data: readonly number[];
  readonly shape: readonly number[];
}
const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
const refOf = (t: AnyTensor): Ref => ({ data: Array.from(t.toTypedArray()), shape: [...(t.shape as readonly number[])] });

function at(x: Ref, idx: readonly number[]): number {
  const lead = idx.length - x.shape.length;
  let flat = 0;
  for (let k = 0; k < x.shape.length; k++) flat = flat * x.shape[k]! + (x.shape[k] === 1 ? 0 : idx[lead + k]!);
  return x.data[flat]!;
}

/** `f` over broadcast operands; `shape` is the expected output shape. */
function refMap(xs: readonly Ref[], shape: readonly number[], f: (...v: number[]) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = new Array<number>(shape.length);
    for (let k = shape.length - 1, r = i; k >= 0; k--) {
      idx[k] = r % shape[k]!;
      r = Math.floor(r / shape[k]!);
    }
    out.push(f(...xs.map((x) => at(x, idx))));
  }
  return out;
}

/** `|got - want| <= atol + rtol |want|`, NaN matching NaN, equal infinities matching. */
function close(got: readonly number[], want: readonly number[], rtol: number, atol: number): boolean {
  if (got.length !== want.length) return false;
  return want.every((w, i) => {
    const g = got[i]!;
    return (Number.isNaN(g) && Number.isNaN(w)) || g === w || Math.abs(g - w) <= atol + rtol * Math.abs(w);
  });
}

const valuesOf = (t: AnyTensor): number[] => Array.from(t.toTypedArray());

/** Runs `f` and fails if any input's elements changed. */
function untouched<R>(inputs: readonly AnyTensor[], f: () => R): R {
  const before = inputs.map(valuesOf);
  const out = f();
  inputs.forEach((x, i) => expect(valuesOf(x), `input ${i} was mutated`).toEqual(before[i]));
  return out;
}

const F32 = { rtol: 1.3e-6, atol: 1e-6 };

// ---------------------------------------------------------------------------
// Binary ops

type Binary = (a: AnyTensor, b: AnyTensor) => AnyTensor;
const asBinary = (f: unknown) => f as Binary;
const BINARY: readonly { name: string; op: Binary; ref: (a: number, b: number) => number; dtype: DType }[] = [
  { name: 'add', op: asBinary(add), ref: (a, b) => a + b, dtype: 'float32' },
  { name: 'sub', op: asBinary(sub), ref: (a, b) => a - b, dtype: 'float32' },
  { name: 'mul', op: asBinary(mul), ref: (a, b) => a * b, dtype: 'float32' },
  { name: 'div', op: asBinary(div), ref: (a, b) => a / b, dtype: 'float32' },
  { name: 'maximum', op: asBinary(maximum), ref: Math.max, dtype: 'float32' },
  { name: 'minimum', op: asBinary(minimum), ref: Math.min, dtype: 'float32' },
  { name: 'eq', op: asBinary(eq), ref: (a, b) => +(a === b), dtype: 'bool' },
  { name: 'lt', op: asBinary(lt), ref: (a, b) => +(a < b), dtype: 'bool' },
];

/** Two float32 tensors of broadcastable random shapes (rank 0..4, dims 0..4). */
const arbPair = arbBroadcastableShapes({ maxRank: 4 }).chain(([sa, sb]) =>
  // Values on a grid of quarters so that ties (eq, maximum at equal values) actually occur.
  fc.tuple(arbTensor(sa, { min: -3, max: 3 }).map(quarters), arbTensor(sb, { min: -3, max: 3 }).map(quarters)),
);
function quarters(t: AnyTensor): AnyTensor {
  return tensor(valuesOf(t).map((v) => Math.round(v * 4) / 4), [...(t.shape as number[])]) as AnyTensor;
}

describe('binary ops on random broadcastable shapes', () => {
  for (const { name, op, ref, dtype } of BINARY) {
    it(`${name}: shape is broadcastShapes, values are the float64 reference, inputs untouched`, () => {
      fc.assert(
        fc.property(arbPair, ([a, b]) => {
          const out = untouched([a, b], () => op(a, b));
          const shape = broadcastShapes(name, a.shape as number[], b.shape as number[]);
          expect(out.shape).toEqual(shape);
          expect(out.dtype).toBe(dtype);
          const want = refMap([refOf(a), refOf(b)], shape, ref);
          expect(close(valuesOf(out), want, F32.rtol, F32.atol), `${name} [${a.shape}] [${b.shape}]`).toBe(true);
        }),
        params(),
      );
    });
  }

  it('symmetric ops give the same result with the operands swapped', () => {
    const symmetric = [add, mul, maximum, minimum, eq, ne].map(asBinary);
    fc.assert(
      fc.property(arbPair, fc.integer({ min: 0, max: symmetric.length - 1 }), ([a, b], k) => {
        const f = symmetric[k]!;
        const ab = f(a, b);
        const ba = f(b, a);
        expect(ba.shape).toEqual(ab.shape);
        expect(valuesOf(ba)).toEqual(valuesOf(ab));
      }),
      params(),
    );
  });

  it('shapes that do not broadcast throw the ShapeError that broadcastShapes throws', () => {
    fc.assert(
      fc.property(arbShape({ maxRank: 4 }), arbShape({ maxRank: 4 }), fc.integer({ min: 0, max: BINARY.length - 1 }), (sa, sb, k) => {
        const { name, op } = BINARY[k]!;
        const a = tensor(new Float32Array(sizeOf(sa)), sa) as AnyTensor;
        const b = tensor(new Float32Array(sizeOf(sb)), sb) as AnyTensor;
        let rule: string | number[];
        try {
          rule = broadcastShapes(name, sa, sb);
        } catch (e) {
          rule = (e as Error).message;
        }
        if (typeof rule === 'string') {
          expect(() => op(a, b)).toThrow(ShapeError);
          expect(() => op(a, b)).toThrow(rule);
        } else {
          expect(op(a, b).shape).toEqual(rule);
        }
      }),
      params(300),
    );
  });
});

// ---------------------------------------------------------------------------
// Unary ops

const UNARY: readonly { name: string; op: (x: AnyTensor) => AnyTensor; ref: (x: number) => number }[] = [
  { name: 'exp', op: exp as never, ref: Math.exp },
  { name: 'tanh', op: tanh as never, ref: Math.tanh },
  { name: 'sigmoid', op: sigmoid as never, ref: (x) => 1 / (1 + Math.exp(-x)) },
  { name: 'softplus', op: softplus as never, ref: (x) => Math.log(1 + Math.exp(x)) },
  { name: 'sqrt', op: sqrt as never, ref: Math.sqrt },
  { name: 'abs', op: abs as never, ref: Math.abs },
];

describe('unary ops on random tensors', () => {
  it('match the float64 reference within float32 tolerance, keep the shape, leave the input alone', () => {
    fc.assert(
      fc.property(
        arbShape({ maxRank: 3 }).chain((s) => arbTensor(s, { min: -20, max: 20 })),
        fc.integer({ min: 0, max: UNARY.length - 1 }),
        (x, k) => {
          const { name, op, ref } = UNARY[k]!;
          const out = untouched([x as AnyTensor], () => op(x as AnyTensor));
          expect(out.shape).toEqual(x.shape);
          expect(close(valuesOf(out), valuesOf(x as AnyTensor).map(ref), F32.rtol, F32.atol), name).toBe(true);
        },
      ),
      params(),
    );
  });
});

// ---------------------------------------------------------------------------
// Reductions

/** A shape, a float64 tensor of it, axes (some negative) as none / one / a list, and keepdims. */
const arbReduceCase = arbShape({ maxRank: 4 }).chain((shape) =>
  fc.record({
    x: arbTensor(shape, { dtype: 'float64' }),
    axis: fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -shape.length - 1, max: shape.length }),
      // Lists may repeat an axis (once with its negative alias) or go out of range.
      fc.array(fc.integer({ min: -shape.length - 1, max: shape.length }), { maxLength: shape.length + 1 }),
    ),
    keepdims: fc.boolean(),
  }),
);

type Reducer = (x: AnyTensor, axis?: number | number[], keepdims?: boolean) => AnyTensor;
const asReducer = (f: unknown) => f as Reducer;
const REDUCERS: readonly [string, Reducer][] = [
  ['sum', asReducer(sum)],
  ['mean', asReducer(mean)],
  ['prod', asReducer(prod)],
  ['max', asReducer(max)],
  ['min', asReducer(min)],
  ['logsumexp', asReducer(logsumexp)],
];

describe('reductions on random shapes and axes', () => {
  it('the result shape is reduceShape, and bad axes throw the AxisError that reduceShape throws', () => {
    fc.assert(
      fc.property(arbReduceCase, fc.integer({ min: 0, max: REDUCERS.length - 1 }), ({ x, axis, keepdims }, k) => {
        const [name, op] = REDUCERS[k]!;
        const shape = x.shape as number[];
        let rule: string | number[];
        try {
          rule = reduceShape(name, shape, axis, keepdims);
        } catch (e) {
          expect(e).toBeInstanceOf(AxisError);
          rule = (e as Error).message;
        }
        if (typeof rule === 'string') {
          expect(() => op(x as AnyTensor, axis, keepdims)).toThrow(AxisError);
          expect(() => op(x as AnyTensor, axis, keepdims)).toThrow(rule);
          return;
        }
        // max, min and logsumexp of an empty group have no value (checked in reduce.test.ts).
        const reducesEmpty = shape.includes(0) && !rule.includes(0);
        if (reducesEmpty && (name === 'max' || name === 'min' || name === 'logsumexp')) return;
        const out = untouched([x as AnyTensor], () => op(x as AnyTensor, axis, keepdims));
        expect(out.shape).toEqual(rule);
      }),
      params(400),
    );
  });

  it('sum over all axes equals summing one axis at a time, in any order', () => {
    fc.assert(
      fc.property(
        arbShape({ maxRank: 4 }).chain((s) => fc.tuple(arbTensor(s, { dtype: 'float64' }), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length }))),
        ([x, order]) => {
          // Reduce the axes in a random order; later axes shift down when an earlier one goes.
          let y = x as AnyTensor;
          const remaining = [...order];
          while (remaining.length > 0) {
            const a = remaining.shift()!;
            y = sum(y as never, a - order.filter((b) => b < a && !remaining.includes(b)).length) as AnyTensor;
          }
          const whole = sum(x as AnyTensor);
          const scale = valuesOf(x as AnyTensor).reduce((s, v) => s + Math.abs(v), 0);
          expect(y.shape).toEqual([]);
          expect(Math.abs(y.item() as number - (whole.item() as number))).toBeLessThanOrEqual(1e-12 * scale + 1e-12);
        },
      ),
      params(),
    );
  });

  it('mean times the count is the sum, along any one axis', () => {
    fc.assert(
      fc.property(
        arbShape({ minRank: 1, maxRank: 3, minDim: 1 }).chain((s) => fc.tuple(arbTensor(s, { dtype: 'float64' }), fc.integer({ min: -s.length, max: s.length - 1 }))),
        ([x, axis]) => {
          const t = x as AnyTensor;
          const n = (t.shape as number[]).at(axis)!;
          const m = valuesOf(mean(t as never, axis) as AnyTensor).map((v) => v * n);
          const s = valuesOf(sum(t as never, axis) as AnyTensor);
          expect(close(m, s, 1e-12, 1e-10)).toBe(true);
        },
      ),
      params(),
    );
  });

  it('max is at least every element and is one of them; argmax points at it', () => {
    fc.assert(
      fc.property(
        arbShape({ minRank: 1, maxRank: 3, minDim: 1 }).chain((s) => fc.tuple(arbTensor(s, { min: -5, max: 5 }).map(quarters), fc.integer({ min: -s.length, max: s.length - 1 }))),
        ([x, axis]) => {
          const shape = x.shape as number[];
          const k = axis < 0 ? axis + shape.length : axis;
          const m = max(x as never, axis, true) as AnyTensor;
          const i = argmax(x as never, axis, true) as AnyTensor;
          const xs = refOf(x);
          const ms = refOf(m);
          const is = refOf(i);
          // Each element against the max of its group (broadcast back over the reduced axis).
          const below = refMap([xs, ms], shape, (v, mv) => +(v <= mv));
          expect(below.every((b) => b === 1)).toBe(true);
          // The element at argmax is the max, and no earlier element along the axis equals it.
          for (let o = 0; o < sizeOf(ms.shape); o++) {
            const idx = new Array<number>(shape.length);
            for (let d = shape.length - 1, r = o; d >= 0; d--) {
              idx[d] = r % ms.shape[d]!;
              r = Math.floor(r / ms.shape[d]!);
            }
            const first = is.data[o]!;
            const along = Array.from({ length: shape[k]! }, (_, j) => at(xs, idx.map((c, d) => (d === k ? j : c))));
            expect(along[first]).toBe(ms.data[o]);
            expect(along.indexOf(ms.data[o]!)).toBe(first);
          }
        },
      ),
      params(),
    );
  });

  it('min <= mean <= max, 0 <= variance, and max <= logsumexp <= max + log(n)', () => {
    fc.assert(
      fc.property(arbShape({ minRank: 1, maxRank: 3, minDim: 1 }).chain((s) => arbTensor(s, { dtype: 'float64', min: -50, max: 50 })), (x) => {
        const t = x as AnyTensor;
        const [lo, mu, hi, v, lse] = [min(t as Tensor<Shape, 'float64'>), mean(t), max(t as Tensor<Shape, 'float64'>), variance(t), logsumexp(t)].map((r) => (r as AnyTensor).item() as number);
        const eps = 1e-9 * (Math.abs(hi) + Math.abs(lo) + 1);
        expect(lo).toBeLessThanOrEqual(mu! + eps);
        expect(mu).toBeLessThanOrEqual(hi! + eps);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(lse).toBeGreaterThanOrEqual(hi! - eps);
        expect(lse).toBeLessThanOrEqual(hi! + Math.log(t.size) + eps);
      }),
      params(),
    );
  });

  it('sum and mean of float32 match the float64 reference within float32 tolerance', () => {
    fc.assert(
      fc.property(
        arbShape({ minRank: 1, maxRank: 3 }).chain((s) => fc.tuple(arbTensor(s), fc.integer({ min: 0, max: s.length - 1 }))),
        ([x, axis]) => {
          const xs = refOf(x);
          const shape = reduceShape('sum', xs.shape, axis, false);
          const n = xs.shape[axis]!;
          // Fold every element into its slot of the result: [outer, n, inner] -> [outer, inner].
          const inner = sizeOf(xs.shape.slice(axis + 1));
          const acc = new Array<number>(sizeOf(shape)).fill(0);
          const scale = new Array<number>(sizeOf(shape)).fill(0);
          xs.data.forEach((v, i) => {
            const o = Math.floor(i / (inner * n)) * inner + (i % inner);
            acc[o]! += v;
            scale[o]! += Math.abs(v);
          });
          const got = valuesOf(sum(x as never, axis) as AnyTensor);
          got.forEach((g, o) => expect(Math.abs(g - acc[o]!)).toBeLessThanOrEqual(1.3e-6 * scale[o]! + 1e-6));
          const gotMean = valuesOf(mean(x as never, axis) as AnyTensor);
          gotMean.forEach((g, o) => expect(n === 0 ? Number.isNaN(g) : Math.abs(g - acc[o]! / n) <= (1.3e-6 * scale[o]!) / n + 1e-6).toBe(true));
        },
      ),
      params(),
    );
  });
});
