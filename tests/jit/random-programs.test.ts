/**
 * Random programs drawn from the primitive table: fast-check draws input
 * shapes (ranks 0 to 3, dims among 0, 1, 2, 3, 5) and a list of steps; each
 * step applies an op to earlier values, choosing operands and parameters so
 * that shapes fit (odd sizes, size-0 and size-1 dims included). The same
 * program runs eagerly and under `jit`, and its gradient runs eagerly, as
 * `jit(grad(f))` and as `grad(jit(f))`: values and gradients must agree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, jit, jitStats, makeProgram, type AnyTensor } from '../../src/index.js';
import { allocate } from '../../src/core/dtype.js';
import { dimsOf, fromStorage } from '../../src/core/tensor.js';
import * as lax from '../../src/lax/index.js';

type Op = (x: AnyTensor, y: AnyTensor, k: number) => AnyTensor;

const shapeOf = (t: AnyTensor) => dimsOf(t);
const c = (v: number, like: AnyTensor) => lax.scalarLike(v, like);

/** NumPy broadcasting of two shapes, or null. */
function broadcastable(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 1; i <= Math.max(a.length, b.length); i++) {
    const x = a[a.length - i] ?? 1, y = b[b.length - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

const other = (x: AnyTensor, y: AnyTensor) => (broadcastable(shapeOf(x), shapeOf(y)) ? y : x);
const axisOf = (x: AnyTensor, k: number) => k % x.rank;
const swapLast = (x: AnyTensor) => {
  const perm = shapeOf(x).map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1]!, perm[x.rank - 2]!];
  return lax.transpose(x, perm);
};

/** Ops over any shapes; each picks parameters that fit its operands. */
const OPS: readonly [string, Op][] = [
  ['sin', (x) => lax.sin(x)],
  ['tanh', (x) => lax.tanh(x)],
  ['sigmoid', (x) => lax.sigmoid(x)],
  ['cos', (x) => lax.cos(x)],
  ['neg', (x) => lax.neg(x)],
  ['relu', (x) => lax.relu(x)],
  ['square', (x) => lax.mul(x, x)],
  ['exp of a bounded value', (x) => lax.exp(lax.tanh(x))],
  ['log of a positive value', (x) => lax.log(lax.add(lax.mul(x, x), c(1, x)))],
  ['add', (x, y) => lax.add(x, other(x, y))],
  ['sub', (x, y) => lax.sub(other(x, y), x)],
  ['mul', (x, y) => lax.mul(x, other(x, y))],
  ['div', (x, y) => { const z = other(x, y); return lax.div(x, lax.add(lax.mul(z, z), c(1, z))); }],
  ['maximum', (x, y) => lax.maximum(x, other(x, y))],
  ['where', (x, y) => { const z = other(x, y); return lax.where(lax.gt(x, z), x, lax.mul(z, c(0.5, z))); }],
  ['sum', (x, _y, k) => (x.rank === 0 ? lax.reduceSum(x, [], false) : lax.reduceSum(x, [axisOf(x, k)], (k & 1) === 1))],
  ['max', (x, _y, k) => (x.rank === 0 || shapeOf(x)[axisOf(x, k)] === 0 ? lax.neg(x) : lax.reduceMax(x, [axisOf(x, k)], (k & 1) === 1))],
  ['reshape', (x, _y, k) => lax.reshape(x, (k & 1) === 0 ? [x.size] : [1, ...shapeOf(x)])],
  ['transpose', (x) => lax.transpose(x, shapeOf(x).map((_, i) => x.rank - 1 - i))],
  ['broadcastTo', (x) => lax.broadcastTo(x, [2, ...shapeOf(x)])],
  ['slice', (x) => {
    const s = shapeOf(x);
    if (x.rank === 0 || s[0]! < 2) return lax.neg(x);
    return lax.slice(x, { starts: s.map(() => 0).map((v, i) => (i === 0 ? 1 : v)), sizes: s.map((d, i) => (i === 0 ? d - 1 : d)), steps: s.map(() => 1) });
  }],
  ['concat', (x, _y, k) => (x.rank === 0 ? lax.reshape(x, [1]) : lax.concat([x, lax.sin(x)], axisOf(x, k)))],
  ['matmul', (x) => {
    const m = x.rank >= 2 ? x : lax.reshape(x, [1, x.size]);
    return lax.matmul(m, swapLast(m));
  }],
  ['gather', (x) => {
    const s = shapeOf(x);
    if (x.rank === 0 || s[0] === 0) return lax.sin(x);
    const idx = fromStorage<number[], 'int32'>(Int32Array.from([s[0]! - 1, 0, s[0]! - 1]), [3], 'int32') as unknown as AnyTensor;
    return lax.gather(x, idx, 0);
  }],
];

interface Spec {
  readonly shapes: number[][];
  readonly steps: { op: number; a: number; b: number; k: number }[];
}

const arbSpec: fc.Arbitrary<Spec> = fc.record({
  shapes: fc.array(fc.array(fc.constantFrom(0, 1, 2, 3, 5), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  steps: fc.array(fc.record({ op: fc.nat(OPS.length - 1), a: fc.nat(), b: fc.nat(), k: fc.nat(7) }), { minLength: 1, maxLength: 7 }),
});

/** Deterministic inputs of the spec's shapes (values in [-1.5, 1.5], away from kinks at 0). */
function inputsOf(spec: Spec): AnyTensor[] {
  return spec.shapes.map((shape, i) => {
    const size = shape.reduce((p, d) => p * d, 1);
    const data = allocate('float64', size);
    for (let j = 0; j < size; j++) data[j] = 1.5 * Math.sin(1.3 * j + 2.1 * i + 0.4) + (j % 2 === 0 ? 0.05 : -0.05);
    return fromStorage(data, shape, 'float64');
  });
}

/** The program: every step's value is an output. */
function program(spec: Spec): (xs: readonly AnyTensor[]) => AnyTensor[] {
  return (xs) => {
    const vals = [...xs];
    for (const st of spec.steps) vals.push(OPS[st.op]![1](vals[st.a % vals.length]!, vals[st.b % vals.length]!, st.k));
    return vals.slice(xs.length);
  };
}

/** A scalar loss of the program's outputs, touching every output. */
function lossOf(spec: Spec): (xs: AnyTensor[]) => never {
  const f = program(spec);
  return (xs) => {
    let total: AnyTensor = lax.fill([], 0, 'float64');
    for (const out of f(xs)) total = lax.add(total, lax.reduceSum(lax.sin(out), shapeOf(out).map((_, i) => i), false));
    return total as never;
  };
}

const TOL = { rtol: 1e-9, atol: 1e-12 };

describe('random programs from the primitive table', () => {
  it('give the same values with and without jit, and are staged once per signature', () => {
    fc.assert(
      fc.property(arbSpec, (spec) => {
        const f = program(spec);
        const xs = inputsOf(spec);
        const want = f(xs);
        const jf = jit(f);
        for (let rep = 0; rep < 2; rep++) {
          const got = jf(xs);
          expect(got.length).toBe(want.length);
          got.forEach((g, i) => expect(g).toBeAllclose(want[i]!, TOL));
        }
        expect(jitStats(jf)).toMatchObject({ traces: 1, hits: 1 });
        // The staged program has one equation per primitive applied to staged values.
        const p = makeProgram(f)(xs);
        expect(p.outputs.length).toBe(want.length);
        p.outputs.forEach((v, i) => expect(v.shape).toEqual(shapeOf(want[i]!)));
      }),
      { numRuns: 60 },
    );
  });

  it('give the same gradients eagerly, as jit(grad(f)) and as grad(jit(f))', () => {
    fc.assert(
      fc.property(arbSpec, (spec) => {
        const loss = lossOf(spec);
        const xs = inputsOf(spec);
        const want = grad(loss)(xs);
        const staged = jit(grad(loss))(xs);
        const outer = grad(jit(loss))(xs);
        want.forEach((w, i) => {
          expect(staged[i]).toBeAllclose(w, TOL);
          expect(outer[i]).toBeAllclose(w, TOL);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('inputs are never mutated by a jitted call', () => {
    fc.assert(
      fc.property(arbSpec, (spec) => {
        const xs = inputsOf(spec);
        const before = xs.map((x) => Array.from(x.toTypedArray()));
        jit(grad(lossOf(spec)))(xs);
        jit(program(spec))(xs);
        xs.forEach((x, i) => expect(Array.from(x.toTypedArray())).toEqual(before[i]));
      }),
      { numRuns: 20 },
    );
  });
});
