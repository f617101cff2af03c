/**
 * Every primitive's batching rule, driven by the primitive table: for random
 * operands and params, and every placement of the batch axis on every
 * operand (or none: shared operand), `vmap` of the primitive equals the
 * primitive applied to each batch element, stacked. The case table is typed
 * over the primitive names, so a primitive without a case does not compile.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { primitives, type PrimitiveName } from '../../src/lax/table.js';
import { bind } from '../../src/core/trace.js';
import type { Primitive } from '../../src/core/primitive.js';
import { type AnyTensor, fromStorage, dimsOf, storageOf } from '../../src/core/tensor.js';
import { broadcastShapes } from '../../src/shape/index.js';
import { arbShape, arbBroadcastableShapes } from '../../src/testing/arbitraries.js';
import { convDim } from '../../src/shape/conv.js';
import { convProblem } from './conv-problem.js';
import { vmap } from '../../src/autodiff/vmap.js';
import * as lax from '../../src/lax/index.js';
import { moveBatchAxis } from '../../src/lax/batching.js';

interface Sample {
  readonly args: readonly AnyTensor[];
  readonly params: unknown;
}

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const f64 = (shape: readonly number[], values: readonly number[]): AnyTensor => fromStorage(Float64Array.from(values), shape, 'float64');
const i32 = (shape: readonly number[], values: readonly number[]): AnyTensor => fromStorage(Int32Array.from(values), shape, 'int32');

function uniform(min: number, max: number): fc.Arbitrary<number> {
  return fc.noBias(fc.integer({ min: 0, max: 2 ** 20 })).map((i) => min + ((max - min) * i) / 2 ** 20);
}

function values(shape: readonly number[], min: number, max: number): fc.Arbitrary<AnyTensor> {
  const n = size(shape);
  return fc.array(uniform(min, max), { minLength: n, maxLength: n }).map((xs) => f64(shape, xs));
}

const smallShape = arbShape({ maxRank: 3, maxDim: 3 });
const nonEmpty = arbShape({ minRank: 1, maxRank: 3, minDim: 1, maxDim: 3 });

const unary = (min = 0.5, max = 2): fc.Arbitrary<Sample> => smallShape.chain((s) => values(s, min, max)).map((x) => ({ args: [x], params: undefined }));
const binary = (min = 0.5, max = 2): fc.Arbitrary<Sample> =>
  arbBroadcastableShapes({ maxRank: 3, maxDim: 3 })
    .chain(([sa, sb]) => fc.tuple(values(sa, min, max), values(sb, -2, 2)))
    .map(([x, y]) => ({ args: [x, y], params: undefined }));
const axesOf = (rank: number) =>
  fc.tuple(fc.subarray(Array.from({ length: rank }, (_, i) => i)), fc.boolean()).map(([axes, keepdims]) => ({ axes, keepdims }));
const reduction = (): fc.Arbitrary<Sample> => nonEmpty.chain((s) => fc.tuple(values(s, 0.5, 2), axesOf(s.length))).map(([x, p]) => ({ args: [x], params: p }));
const argReduction = (): fc.Arbitrary<Sample> =>
  nonEmpty.chain((s) => fc.tuple(values(s, -2, 2), fc.integer({ min: 0, max: s.length - 1 }), fc.boolean())).map(([x, axis, keepdims]) => ({ args: [x], params: { axis, keepdims } }));
const indices = (n: number, shape: readonly number[]) =>
  fc.array(fc.integer({ min: -n, max: n - 1 }), { minLength: size(shape), maxLength: size(shape) }).map((v) => i32(shape, v));


const cases: { readonly [P in PrimitiveName]: fc.Arbitrary<Sample> } = {
  neg: unary(), exp: unary(), log: unary(), log1p: unary(), expm1: unary(), sqrt: unary(), sin: unary(), cos: unary(),
  tanh: unary(), sigmoid: unary(), abs: unary(-2, 2), relu: unary(-2, 2), sign: unary(-2, 2), floor: unary(-2, 2), ceil: unary(-2, 2), round: unary(-2, 2),
  add: binary(), sub: binary(), mul: binary(), div: binary(), pow: binary(), maximum: binary(), minimum: binary(),
  eq: binary(), ne: binary(), lt: binary(), le: binary(), gt: binary(), ge: binary(),
  where: arbBroadcastableShapes({ maxRank: 3, maxDim: 3 }).chain(([sa, sb]) => {
    const full = broadcastShapes('test', sa, sb);
    return fc
      .tuple(fc.array(fc.boolean(), { minLength: size(full), maxLength: size(full) }), values(sa, -2, 2), values(sb, -2, 2))
      .map(([c, x, y]) => ({ args: [fromStorage(Uint8Array.from(c, Number), full, 'bool'), x, y], params: undefined }));
  }),
  sum: reduction(), max: reduction(), min: reduction(), prod: reduction(), argmax: argReduction(), argmin: argReduction(),
  reshape: smallShape.chain((s) => values(s, -2, 2)).map((x) => ({ args: [x], params: [x.size] })),
  broadcastTo: arbBroadcastableShapes({ maxRank: 3, maxDim: 3 }).chain(([sa, sb]) =>
    values(sa, -2, 2).map((x) => ({ args: [x], params: broadcastShapes('test', sa, sb) })),
  ),
  astype: unary(-2, 2).map((s) => ({ ...s, params: 'int32' })),
  stopGradient: unary(),
  transpose: smallShape
    .chain((s) => fc.tuple(values(s, -2, 2), fc.shuffledSubarray(Array.from({ length: s.length }, (_, i) => i), { minLength: s.length, maxLength: s.length })))
    .map(([x, perm]) => ({ args: [x], params: perm })),
  slice: nonEmpty
    .chain((s) =>
      fc.tuple(
        values(s, -2, 2),
        fc.tuple(...s.map((d) => fc.tuple(fc.integer({ min: 0, max: d - 1 }), fc.integer({ min: 1, max: 2 })).chain(([start, step]) =>
          fc.integer({ min: 0, max: Math.floor((d - 1 - start) / step) + 1 }).map((count) => [start, count, step] as const),
        ))),
      ),
    )
    .map(([x, spec]) => ({ args: [x], params: { starts: spec.map((t) => t[0]), sizes: spec.map((t) => t[1]), steps: spec.map((t) => t[2]) } })),
  unslice: nonEmpty
    .chain((s) => fc.tuple(fc.tuple(...s.map(() => fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 })))), fc.constant(s)))
    .chain(([spec, s]) => {
      const shape = s.map((d, i) => spec[i]![0] + (d - 1) * spec[i]![1] + 1 + spec[i]![2]);
      return values(s, -2, 2).map((x) => ({ args: [x], params: { starts: spec.map((t) => t[0]), steps: spec.map((t) => t[1]), shape } }));
    }),
  concat: nonEmpty.chain((s) =>
    fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 3 })).chain(([axis, lens]) =>
      fc.tuple(...lens.map((n) => values(s.map((d, i) => (i === axis ? n : d)), -2, 2))).map((xs) => ({ args: xs, params: axis })),
    ),
  ),
  gather: nonEmpty.chain((s) =>
    fc.tuple(values(s, -2, 2), fc.integer({ min: 0, max: s.length - 1 }), arbShape({ maxRank: 2, maxDim: 3 })).chain(([x, axis, is]) =>
      indices(s[axis]!, is).map((idx) => ({ args: [x, idx], params: axis })),
    ),
  ),
  scatterAdd: nonEmpty.chain((s) =>
    fc.tuple(fc.integer({ min: 0, max: s.length - 1 }), arbShape({ maxRank: 2, maxDim: 3 })).chain(([axis, is]) =>
      indices(s[axis]!, is).chain((idx) => values([...s.slice(0, axis), ...is, ...s.slice(axis + 1)], -2, 2).map((u) => ({ args: [u, idx], params: { axis, shape: s } }))),
    ),
  ),
  conv2d: convProblem.chain((p) => fc.tuple(values(p.x, -2, 2), values(p.wt, -2, 2)).map(([x, w]) => ({ args: [x, w], params: p.geometry }))),
  convTranspose2d: convProblem.chain((p) =>
    fc.tuple(values(p.y, -2, 2), values(p.wt, -2, 2)).map(([y, w]) => ({ args: [y, w], params: { ...p.geometry, inSize: [p.h, p.w] } })),
  ),
  conv2dWeightGrad: convProblem.chain((p) =>
    fc.tuple(values(p.x, -2, 2), values(p.y, -2, 2)).map(([x, y]) => ({ args: [x, y], params: { ...p.geometry, kernel: [p.kh, p.kw] } })),
  ),
  maxPoolArgmax2d: convProblem
    .filter((p) => convDim(p.h, p.kh, p.sh, [0, 0], p.dh) > 0 && convDim(p.w, p.kw, p.sw, [0, 0], p.dw) > 0)
    .chain((p) => values(p.x, -2, 2).map((x) => ({ args: [x], params: { kernel: [p.kh, p.kw], stride: p.geometry.stride, padding: [[0, 0], [0, 0]], dilation: p.geometry.dilation } }))),
  matmul: fc
    .tuple(arbBroadcastableShapes({ maxRank: 2, maxDim: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }))
    .chain(([[pa, pb], m, k, n]) => fc.tuple(values([...pa, m, k], -2, 2), values([...pb, k, n], -2, 2)))
    .map(([a, b]) => ({ args: [a, b], params: undefined })),
};

/**
 * Batch element `b` of an operand: a different but equally valid value
 * (floats scaled by a positive factor, so signs, order and ranges hold;
 * index order reversed on odd elements; conditions negated on odd elements).
 */
function variant(x: AnyTensor, b: number): AnyTensor {
  const data = storageOf(x.concrete());
  const shape = dimsOf(x);
  if (x.dtype === 'float64') return f64(shape, Array.from(data, (v) => v * (1 + 0.25 * b)));
  if (x.dtype === 'int32') return i32(shape, b % 2 === 1 ? Array.from(data).reverse() : Array.from(data));
  return fromStorage(Uint8Array.from(data, (v) => (b % 2 === 1 ? 1 - v : v)), shape, 'bool');
}

/** The elements stacked along a new axis `axis`. */
function stackAt(parts: readonly AnyTensor[], axis: number): AnyTensor {
  const s = dimsOf(parts[0]!);
  return moveBatchAxis(lax.concat(parts.map((p) => lax.reshape(p, [1, ...s])), 0), 0, axis);
}

/** Per operand: null (shared) or the batch axis; at least one operand batched. */
function placements(args: readonly AnyTensor[]): fc.Arbitrary<(number | null)[]> {
  return fc
    .tuple(...args.map((a) => fc.option(fc.integer({ min: -(a.rank + 1), max: a.rank }), { nil: null, freq: 3 })))
    .filter((axes) => axes.some((a) => a !== null));
}

let checked = 0;

describe.each(Object.keys(cases) as PrimitiveName[])('batch rule of %s', (name) => {
  const prim = primitives[name] as Primitive<unknown>;
  it('vmap of the primitive equals the primitive on every element, stacked, for every batch axis placement', () => {
    fc.assert(
      fc.property(cases[name], fc.integer({ min: 1, max: 3 }), ({ args, params }, batch) =>
        fc.assert(
          fc.property(placements(args), (axes) => {
            checked++;
            const elements = Array.from({ length: batch }, (_, b) => args.map((a, i) => (axes[i] === null ? a : variant(a, b))));
            const want = stackAt(elements.map((xs) => bind(prim, xs, params)), 0);
            const inputs = args.map((a, i) => {
              const ax = axes[i]!;
              return ax === null ? a : stackAt(elements.map((xs) => xs[i]!), ax < 0 ? ax + a.rank + 1 : ax);
            });
            const mapped = (vmap as unknown as (f: unknown, o: unknown) => (...xs: AnyTensor[]) => AnyTensor)(
              (...xs: AnyTensor[]) => bind(prim, xs, params),
              { inAxes: axes },
            );
            const got = mapped(...inputs);
            expect(dimsOf(got)).toEqual(dimsOf(want));
            expect(got.dtype).toBe(want.dtype);
            expect(got).toBeAllclose(want, { rtol: 1e-12, atol: 1e-12 });
          }),
          { numRuns: 4, seed: 7 },
        ),
      ),
      { numRuns: 8, seed: 42 },
    );
  });
});

it('covers every primitive in the table', () => {
  expect(Object.keys(cases).sort()).toEqual(Object.keys(primitives).sort());
  expect(checked).toBeGreaterThan(0);
});
