/**
 * Every primitive in the table passes first- and second-order gradient
 * checks (reverse and forward mode against float64 finite differences) on
 * random shapes including scalars, size-1 dims and broadcasting. The case
 * table is typed over the primitive names: adding a primitive without a case
 * here does not compile. Finite-difference points stay away from kinks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { primitives, type PrimitiveName } from '../../src/lax/table.js';
import { bind } from '../../src/core/trace.js';
import type { Primitive } from '../../src/core/primitive.js';
import { type AnyTensor, fromStorage, dimsOf } from '../../src/core/tensor.js';
import { broadcastShapes } from '../../src/shape/index.js';
import { checkGrads } from '../../src/testing/index.js';
import { arbShape, arbBroadcastableShapes } from '../../src/testing/arbitraries.js';
import { grad } from '../../src/autodiff/grad.js';
import * as lax from '../../src/lax/index.js';
import { convDim } from '../../src/shape/conv.js';
import { convProblem } from './conv-problem.js';

interface Sample {
  readonly args: readonly AnyTensor[];
  readonly params: unknown;
}

type Case =
  /** Differentiable: checked against finite differences, orders 1 and 2. */
  | { readonly kind: 'smooth'; readonly sample: fc.Arbitrary<Sample>; readonly runs?: number }
  /** Integer/bool output or stopGradient: the derivative must be exactly zero. */
  | { readonly kind: 'zero'; readonly reason: string; readonly sample: fc.Arbitrary<Sample> };

const f64 = (shape: readonly number[], values: readonly number[]): AnyTensor => fromStorage(Float64Array.from(values), shape, 'float64');
const i32 = (shape: readonly number[], values: readonly number[]): AnyTensor => fromStorage(Int32Array.from(values), shape, 'int32');
const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

/**
 * Float64 values in [min, max], optionally with a random sign (so |x| >= min:
 * away from 0). Unbiased: fast-check's default bias towards 0 and the bounds
 * would hide wrong derivatives that vanish there (sin' at 0).
 */
function values(shape: readonly number[], min: number, max: number, signed = false): fc.Arbitrary<AnyTensor> {
  const n = size(shape);
  return fc
    .array(fc.tuple(uniformDouble(min, max), fc.boolean()), { minLength: n, maxLength: n })
    .map((xs) => f64(shape, xs.map(([v, s]) => (signed && s ? -v : v))));
}

/** Distinct values (no ties for max/min). */
function distinct(shape: readonly number[]): fc.Arbitrary<AnyTensor> {
  const n = size(shape);
  return fc.shuffledSubarray(Array.from({ length: n }, (_, i) => (i - n / 2) * 0.37), { minLength: n, maxLength: n }).map((v) => f64(shape, v));
}

/** Uniform in [min, max] (fc.double is uniform over bit patterns, i.e. mostly tiny numbers). */
function uniformDouble(min: number, max: number): fc.Arbitrary<number> {
  return fc.noBias(fc.integer({ min: 0, max: 2 ** 30 })).map((i) => min + ((max - min) * i) / 2 ** 30);
}

const smallShape = arbShape({ maxRank: 3, maxDim: 3 });
const nonEmpty = arbShape({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 3 });

function unary(min: number, max: number, signed = false): fc.Arbitrary<Sample> {
  return smallShape.chain((s) => values(s, min, max, signed)).map((x) => ({ args: [x], params: undefined }));
}

function binary(
  a: [number, number, boolean?],
  b: [number, number, boolean?],
): fc.Arbitrary<Sample> {
  return arbBroadcastableShapes({ maxRank: 3, maxDim: 3 })
    .chain(([sa, sb]) => fc.tuple(values(sa, a[0], a[1], a[2]), values(sb, b[0], b[1], b[2])))
    .map(([x, y]) => ({ args: [x, y], params: undefined }));
}

/** A random subset of axes (sorted) and keepdims. */
function axesOf(rank: number): fc.Arbitrary<{ axes: number[]; keepdims: boolean }> {
  return fc
    .tuple(fc.subarray(Array.from({ length: rank }, (_, i) => i)), fc.boolean())
    .map(([axes, keepdims]) => ({ axes, keepdims }));
}

function reduction(data: (s: readonly number[]) => fc.Arbitrary<AnyTensor>): fc.Arbitrary<Sample> {
  return nonEmpty.chain((s) => fc.tuple(data(s), axesOf(s.length))).map(([x, p]) => ({ args: [x], params: p }));
}

function argReduction(): fc.Arbitrary<Sample> {
  return nonEmpty.chain((s) => fc.tuple(distinct(s), fc.integer({ min: 0, max: s.length - 1 }), fc.boolean())).map(([x, axis, keepdims]) => ({ args: [x], params: { axis, keepdims } }));
}


const comparison = (): fc.Arbitrary<Sample> => binary([-2, 2], [-2, 2]);

const cases: { readonly [P in PrimitiveName]: Case } = {
  neg: { kind: 'smooth', sample: unary(-3, 3) },
  exp: { kind: 'smooth', sample: unary(-2, 2) },
  log: { kind: 'smooth', sample: unary(0.5, 3) },
  log1p: { kind: 'smooth', sample: unary(-0.5, 2) },
  expm1: { kind: 'smooth', sample: unary(-2, 2) },
  sqrt: { kind: 'smooth', sample: unary(0.5, 3) },
  sin: { kind: 'smooth', sample: unary(-3, 3) },
  cos: { kind: 'smooth', sample: unary(-3, 3) },
  tanh: { kind: 'smooth', sample: unary(-2, 2) },
  sigmoid: { kind: 'smooth', sample: unary(-4, 4) },
  abs: { kind: 'smooth', sample: unary(0.1, 3, true) },
  relu: { kind: 'smooth', sample: unary(0.1, 3, true) },
  sign: { kind: 'smooth', sample: unary(0.1, 3, true) },
  floor: { kind: 'smooth', sample: unary(0.1, 0.4) },
  ceil: { kind: 'smooth', sample: unary(0.1, 0.4) },
  round: { kind: 'smooth', sample: unary(0.1, 0.4) },
  add: { kind: 'smooth', sample: binary([-3, 3], [-3, 3]) },
  sub: { kind: 'smooth', sample: binary([-3, 3], [-3, 3]) },
  mul: { kind: 'smooth', sample: binary([-3, 3], [-3, 3]) },
  div: { kind: 'smooth', sample: binary([-3, 3], [0.5, 2, true]) },
  pow: { kind: 'smooth', sample: binary([0.5, 2], [-2, 2]) },
  // a is at least 1 away from b in [-0.5, 0.5], on either side: no ties.
  maximum: { kind: 'smooth', sample: binary([1, 2, true], [-0.5, 0.5]) },
  minimum: { kind: 'smooth', sample: binary([1, 2, true], [-0.5, 0.5]) },
  eq: { kind: 'zero', reason: 'bool output', sample: comparison() },
  ne: { kind: 'zero', reason: 'bool output', sample: comparison() },
  lt: { kind: 'zero', reason: 'bool output', sample: comparison() },
  le: { kind: 'zero', reason: 'bool output', sample: comparison() },
  gt: { kind: 'zero', reason: 'bool output', sample: comparison() },
  ge: { kind: 'zero', reason: 'bool output', sample: comparison() },
  where: {
    kind: 'smooth',
    sample: arbBroadcastableShapes({ maxRank: 3, maxDim: 3 })
      .chain(([sa, sb]) => {
        const full = broadcastShapes('test', sa, sb);
        return fc.tuple(fc.array(fc.boolean(), { minLength: size(full), maxLength: size(full) }), values(sa, -3, 3), values(sb, -3, 3)).map(
          ([c, x, y]) => ({ args: [fromStorage(Uint8Array.from(c, Number), full, 'bool'), x, y], params: undefined }),
        );
      }),
  },
  sum: { kind: 'smooth', sample: reduction((s) => values(s, -3, 3)) },
  max: { kind: 'smooth', sample: reduction(distinct) },
  min: { kind: 'smooth', sample: reduction(distinct) },
  prod: { kind: 'smooth', sample: reduction((s) => values(s, 0.5, 1.5, true)) },
  argmax: { kind: 'zero', reason: 'int32 output', sample: argReduction() },
  argmin: { kind: 'zero', reason: 'int32 output', sample: argReduction() },
  reshape: { kind: 'smooth', sample: smallShape.chain((s) => values(s, -3, 3)).map((x) => ({ args: [x], params: [x.size] })) },
  broadcastTo: {
    kind: 'smooth',
    sample: arbBroadcastableShapes({ maxRank: 3, maxDim: 3 }).chain(([sa, sb]) =>
      values(sa, -3, 3).map((x) => ({ args: [x], params: broadcastShapes('test', sa, sb) })),
    ),
  },
  astype: { kind: 'smooth', sample: unary(-3, 3).map((s) => ({ ...s, params: 'float64' })) },
  stopGradient: { kind: 'zero', reason: 'zero by definition', sample: unary(-3, 3) },
  transpose: {
    kind: 'smooth',
    sample: smallShape.chain((s) =>
      fc.tuple(values(s, -3, 3), fc.shuffledSubarray(Array.from({ length: s.length }, (_, i) => i), { minLength: s.length, maxLength: s.length })),
    ).map(([x, perm]) => ({ args: [x], params: perm })),
  },
  slice: {
    kind: 'smooth',
    sample: nonEmpty.chain((s) =>
      fc.tuple(
        values(s, -3, 3),
        fc.tuple(...s.map((d) => fc.tuple(fc.integer({ min: 0, max: d - 1 }), fc.integer({ min: 1, max: 2 })).chain(([start, step]) =>
          fc.integer({ min: 0, max: Math.floor((d - 1 - start) / step) + 1 }).map((count) => [start, count, step] as const),
        ))),
      ),
    ).map(([x, spec]) => ({ args: [x], params: { starts: spec.map((t) => t[0]), sizes: spec.map((t) => t[1]), steps: spec.map((t) => t[2]) } })),
  },
  unslice: {
    kind: 'smooth',
    sample: nonEmpty.chain((s) =>
      fc.tuple(fc.tuple(...s.map(() => fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 })))), fc.constant(s)),
    ).chain(([spec, s]) => {
      const shape = s.map((d, i) => spec[i]![0] + (d - 1) * spec[i]![1] + 1 + spec[i]![2]);
      return values(s, -3, 3).map((x) => ({ args: [x], params: { starts: spec.map((t) => t[0]), steps: spec.map((t) => t[1]), shape } }));
    }),
  },
  concat: {
    kind: 'smooth',
    sample: nonEmpty.chain((s) =>
      fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 })).chain(([axis, lens]) =>
        fc.tuple(...lens.map((n) => values(s.map((d, i) => (i === axis ? n : d)), -3, 3))).map((xs) => ({ args: xs, params: axis })),
      ),
    ),
  },
  gather: {
    kind: 'smooth',
    sample: nonEmpty.chain((s) =>
      fc.tuple(values(s, -3, 3), fc.integer({ min: 0, max: s.length - 1 }), arbShape({ maxRank: 2, maxDim: 3 })).chain(([x, axis, is]) =>
        fc.array(fc.integer({ min: 0, max: s[axis]! - 1 }), { minLength: size(is), maxLength: size(is) }).map((idx) => ({ args: [x, i32(is, idx)], params: axis })),
      ),
    ),
  },
  scatterAdd: {
    kind: 'smooth',
    sample: nonEmpty.chain((s) =>
      fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), arbShape({ maxRank: 2, maxDim: 3 })).chain(([axis, is]) =>
        fc.array(fc.integer({ min: 0, max: s[axis]! - 1 }), { minLength: size(is), maxLength: size(is) }).chain((idx) => {
          const updShape = [...s.slice(0, axis), ...is, ...s.slice(axis + 1)];
          return values(updShape, -3, 3).map((u) => ({ args: [u, i32(is, idx)], params: { axis, shape: s } }));
        }),
      ),
    ),
  },
  conv2d: {
    kind: 'smooth',
    sample: convProblem.chain((p) => fc.tuple(values(p.x, -2, 2), values(p.wt, -2, 2)).map(([x, w]) => ({ args: [x, w], params: p.geometry }))),
  },
  convTranspose2d: {
    kind: 'smooth',
    sample: convProblem.chain((p) =>
      fc.tuple(values(p.y, -2, 2), values(p.wt, -2, 2)).map(([y, w]) => ({ args: [y, w], params: { ...p.geometry, inSize: [p.h, p.w] } })),
    ),
  },
  conv2dWeightGrad: {
    kind: 'smooth',
    sample: convProblem.chain((p) =>
      fc.tuple(values(p.x, -2, 2), values(p.y, -2, 2)).map(([x, y]) => ({ args: [x, y], params: { ...p.geometry, kernel: [p.kh, p.kw] } })),
    ),
  },
  maxPoolArgmax2d: {
    kind: 'zero',
    reason: 'int32 output',
    sample: convProblem
      .filter((p) => convDim(p.h, p.kh, p.sh, [0, 0], p.dh) > 0 && convDim(p.w, p.kw, p.sw, [0, 0], p.dw) > 0)
      .chain((p) =>
        distinct(p.x).map((x) => ({ args: [x], params: { kernel: [p.kh, p.kw], stride: p.geometry.stride, padding: [[0, 0], [0, 0]], dilation: p.geometry.dilation } })),
      ),
  },
  matmul: {
    kind: 'smooth',
    sample: fc
      .tuple(arbBroadcastableShapes({ maxRank: 2, maxDim: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }))
      .chain(([[pa, pb], m, k, n]) => fc.tuple(values([...pa, m, k], -2, 2), values([...pb, k, n], -2, 2)))
      .map(([a, b]) => ({ args: [a, b], params: undefined })),
  },
};

let samples = 0;

describe.each(Object.keys(cases) as PrimitiveName[])('primitive %s', (name) => {
  const prim = primitives[name] as Primitive<unknown>;
  const c = cases[name];
  const apply = (params: unknown) => (...xs: AnyTensor[]) => bind(prim, xs, params);
  if (c.kind === 'smooth') {
    it('passes first- and second-order checkGrads (rev and fwd) against float64 finite differences', () => {
      fc.assert(
        fc.property(c.sample, ({ args, params }) => {
          samples++;
          checkGrads(apply(params), [...args], { order: 2, rtol: 1e-4, atol: 1e-6 });
        }),
        { numRuns: c.runs ?? 6, seed: 42 },
      );
    });
  } else {
    it(`has an exactly zero derivative (${c.reason})`, () => {
      fc.assert(
        fc.property(c.sample, ({ args, params }) => {
          samples++;
          const floatArgs = args.map((a, i) => [a, i] as const).filter(([a]) => a.dtype === 'float64');
          for (const [x, i] of floatArgs) {
            const g = grad((v: AnyTensor) => {
              const xs = args.slice();
              xs[i] = v;
              return lax.reduceSum(lax.astype(bind(prim, xs, params), 'float64'), dimsOf(apply(params)(...args)).map((_, k) => k), false) as never;
            })(x);
            expect(Array.from(g.toTypedArray())).toEqual(new Array(x.size).fill(0));
          }
        }),
        { numRuns: 6, seed: 42 },
      );
    });
  }
});

it('covers every primitive in the table', () => {
  expect(Object.keys(cases).sort()).toEqual(Object.keys(primitives).sort());
  expect(samples).toBeGreaterThan(0);
});
