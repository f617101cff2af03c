/**
 * `vmap` against its plain definition (apply the function to every slice,
 * stack the results), on random programs built from the primitive table,
 * for every placement of the batch axes, with and without `grad` inside;
 * gradients of batched functions against float64 finite differences; the
 * options (inAxes trees, negative and null axes, outAxes, axisSize), the
 * errors, composition with grad / jvp / itself, and batches of keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnyTensor, fromStorage, dimsOf, storageOf } from '../../src/core/tensor.js';
import { vmap } from '../../src/autodiff/vmap.js';
import { grad, valueAndGrad } from '../../src/autodiff/grad.js';
import { jvp } from '../../src/autodiff/jvp.js';
import { checkGrads } from '../../src/testing/index.js';
import * as lax from '../../src/lax/index.js';
import { moveBatchAxis } from '../../src/lax/batching.js';
import { ShapeError, TraceError, ValueError, AxisError, TreeError } from '../../src/core/errors.js';
import { tensor, zeros, sum, square, mul, matmul, random, jit, jitStats, type Tensor, type Scalar } from '../../src/index.js';

type Fn = (...xs: AnyTensor[]) => AnyTensor;
const vm = vmap as unknown as (f: unknown, o?: unknown) => (...xs: unknown[]) => unknown;
const f64 = (shape: readonly number[], v: readonly number[]): AnyTensor => fromStorage(Float64Array.from(v), shape, 'float64');
const i32 = (shape: readonly number[], v: readonly number[]): AnyTensor => fromStorage(Int32Array.from(v), shape, 'int32');
const c = (v: number) => f64([], [v]);

/** Slice `b` of `x` along `axis`. */
function sliceAt(x: AnyTensor, axis: number, b: number): AnyTensor {
  const s = dimsOf(x);
  const moved = moveBatchAxis(x, axis, 0);
  const rest = s.filter((_, k) => k !== axis);
  return lax.reshape(lax.slice(moved, { starts: [b, ...rest.map(() => 0)], sizes: [1, ...rest], steps: [1, ...rest.map(() => 1)] }), rest);
}

function stack(parts: readonly AnyTensor[]): AnyTensor {
  const s = dimsOf(parts[0]!);
  return lax.concat(parts.map((p) => lax.reshape(p, [1, ...s])), 0);
}

// Steps of a random program on x: [2, 3] (y: [2, 3] a second input): each keeps the shape and
// together they use every primitive of the table.
const W = f64([3, 3], [0.5, -0.2, 0.1, 0.3, 0.8, -0.4, -0.6, 0.2, 0.7]);
const perm = i32([3], [2, 0, 1]);
const steps: readonly [string, (x: AnyTensor, y: AnyTensor) => AnyTensor][] = [
  ['sin', (x) => lax.sin(x)],
  ['tanh+exp', (x) => lax.exp(lax.tanh(x))],
  ['sigmoid-neg', (x) => lax.neg(lax.sigmoid(x))],
  ['log1p/expm1', (x) => lax.expm1(lax.log1p(lax.mul(lax.sigmoid(x), c(0.5))))],
  ['log/sqrt', (x) => lax.log(lax.sqrt(lax.add(lax.mul(x, x), c(1))))],
  ['cos*abs', (x) => lax.mul(lax.cos(x), lax.abs(x))],
  ['relu+round', (x) => lax.add(lax.relu(x), lax.mul(lax.add(lax.floor(x), lax.add(lax.ceil(x), lax.round(x))), lax.sign(x)))],
  ['mul y', (x, y) => lax.mul(x, y)],
  ['sub/div y', (x, y) => lax.div(lax.sub(x, y), lax.add(lax.mul(y, y), c(1)))],
  ['pow', (x, y) => lax.pow(lax.add(lax.sigmoid(x), c(0.5)), lax.tanh(y))],
  ['maximum/minimum', (x, y) => lax.add(lax.maximum(x, y), lax.minimum(x, lax.mul(y, c(0.5))))],
  ['where', (x, y) => lax.where(lax.gt(x, y), x, lax.mul(y, c(0.3)))],
  ['comparisons', (x, y) => lax.add(x, lax.astype(lax.where(lax.le(x, y), lax.ge(x, c(0)), lax.lt(y, c(0))), 'float64'))],
  ['eq/ne', (x, y) => lax.add(x, lax.astype(lax.ne(lax.eq(x, y), lax.gt(x, c(0))), 'float64'))],
  ['sum keepdims', (x) => lax.add(x, lax.reduceSum(x, [1], true))],
  ['max/min', (x) => lax.sub(x, lax.add(lax.reduceMax(x, [0], true), lax.reduceMin(x, [1], true)))],
  ['prod', (x) => lax.add(x, lax.reduceProd(lax.tanh(x), [1], true))],
  ['argmax/argmin', (x) => lax.add(x, lax.astype(lax.add(lax.argmax(x, 1, true), lax.argmin(x, 0, true)), 'float64'))],
  ['sum + broadcastTo', (x) => lax.add(x, lax.broadcastTo(lax.reduceSum(x, [0], false), [2, 3]))],
  ['matmul', (x) => lax.matmul(x, W)],
  ['transpose+reshape', (x) => lax.add(x, lax.reshape(lax.transpose(x, [1, 0]), [2, 3]))],
  ['slice+concat', (x) => lax.concat([lax.slice(x, { starts: [0, 1], sizes: [2, 2], steps: [1, 1] }), lax.slice(x, { starts: [0, 0], sizes: [2, 1], steps: [1, 1] })], 1)],
  ['unslice', (x) => lax.add(x, lax.unslice(lax.slice(x, { starts: [0, 0], sizes: [2, 2], steps: [1, 2] }), { starts: [0, 0], steps: [1, 2], shape: [2, 3] }))],
  ['gather', (x) => lax.gather(x, perm, 1)],
  ['scatterAdd', (x) => lax.add(x, lax.scatterAdd(x, perm, { axis: 1, shape: [2, 3] }))],
  ['stopGradient', (x) => lax.mul(x, lax.stopGradient(lax.tanh(x)))],
];

function program(ids: readonly number[]): (x: AnyTensor, y: AnyTensor) => AnyTensor {
  return (x, y) => {
    let v = x;
    for (const i of ids) v = lax.tanh(steps[i]![1](v, y));
    return v;
  };
}

const arbProgram = fc.array(fc.integer({ min: 0, max: steps.length - 1 }), { minLength: 1, maxLength: 4 });
const arbValues = (n: number) => fc.array(fc.integer({ min: -1000, max: 1000 }).map((i) => i / 617), { minLength: n, maxLength: n });
const arbAxis = fc.option(fc.integer({ min: -3, max: 2 }), { nil: null, freq: 3 });

/** A batched input of B elements at `axis` (normalised for rank 3). */
function batchedInput(values: readonly number[], batch: number, axis: number | null): AnyTensor {
  const x = f64([batch, 2, 3], values.slice(0, batch * 6));
  return axis === null ? sliceAt(x, 0, 0) : moveBatchAxis(x, 0, axis < 0 ? axis + 3 : axis);
}

function element(x: AnyTensor, axis: number | null, b: number): AnyTensor {
  return axis === null ? x : sliceAt(x, axis < 0 ? axis + 3 : axis, b);
}

describe('vmap equals the loop over slices, on random programs from the primitive table', () => {
  for (const withGrad of [false, true]) {
    it(withGrad ? 'with grad inside (per-example gradients)' : 'forward', () => {
      fc.assert(
        fc.property(arbProgram, fc.integer({ min: 1, max: 3 }), arbValues(18), arbValues(18), arbAxis, arbAxis, fc.integer({ min: -3, max: 2 }), (ids, batch, xv, yv, ax, ay, out) => {
          if (ax === null && ay === null) return;
          const prog = program(ids);
          const f: Fn = withGrad ? (grad((x: AnyTensor, y: AnyTensor) => lax.reduceSum(prog(x, y), [0, 1], false) as Scalar) as unknown as Fn) : (prog as Fn);
          const x = batchedInput(xv, batch, ax), y = batchedInput(yv, batch, ay);
          const got = vm(f, { inAxes: [ax, ay], outAxes: out })(x, y) as AnyTensor;
          const want = moveBatchAxis(stack(Array.from({ length: batch }, (_, b) => f(element(x, ax, b), element(y, ay, b)))), 0, out < 0 ? out + 3 : out);
          expect(dimsOf(got)).toEqual(dimsOf(want));
          expect(got).toBeAllclose(want, { rtol: 1e-10, atol: 1e-12 });
        }),
        { numRuns: 60, seed: 1 },
      );
    });
  }

  it('grad of a reduced vmap equals the sum of per-element gradients', () => {
    fc.assert(
      fc.property(arbProgram, arbValues(18), arbValues(6), (ids, xv, yv) => {
        const prog = program(ids);
        const x = f64([3, 2, 3], xv), y = f64([2, 3], yv);
        const batchedLoss = (xs: AnyTensor) => lax.reduceSum(vm(prog, { inAxes: [0, null] })(xs, y) as AnyTensor, [0, 1, 2], false) as Scalar;
        const got = grad(batchedLoss)(x);
        const per = (xe: AnyTensor) => grad((v: AnyTensor) => lax.reduceSum(prog(v, y), [0, 1], false) as Scalar)(xe);
        const want = stack([0, 1, 2].map((b) => per(sliceAt(x, 0, b))));
        expect(got).toBeAllclose(want, { rtol: 1e-10, atol: 1e-12 });
      }),
      { numRuns: 25, seed: 2 },
    );
  });

  it('gradients of batched functions match float64 finite differences (first and second order)', () => {
    fc.assert(
      fc.property(arbProgram, arbValues(12), arbValues(6), (ids, xv, yv) => {
        const prog = program(ids.filter((i) => !['relu+round', 'comparisons', 'eq/ne', 'argmax/argmin', 'where', 'maximum/minimum', 'max/min'].includes(steps[i]![0])));
        const batched = (xs: AnyTensor, y: AnyTensor) => vm(prog, { inAxes: [1, null] })(xs, y) as AnyTensor;
        checkGrads(batched, [f64([2, 2, 3], xv), f64([2, 3], yv)], { order: 2, rtol: 1e-4, atol: 1e-6 });
      }),
      { numRuns: 10, seed: 3 },
    );
  });
});

describe('vmap options', () => {
  const f = (x: Tensor<[3]>) => sum(square(x));
  const xs = tensor([[1, 2, 3], [4, 5, 6]]);

  it('maps over axis 0 by default, another axis, or a negative axis', () => {
    expect(vmap(f)(xs).toArray()).toEqual([14, 77]);
    const t = tensor([[1, 4], [2, 5], [3, 6]]);
    expect(vmap(f, { inAxes: 1 })(t).toArray()).toEqual([14, 77]);
    expect(vmap(f, { inAxes: -1 })(t).toArray()).toEqual([14, 77]);
  });

  it('shares null arguments between elements, per argument and per leaf of a tree', () => {
    const g = (p: { w: Tensor<[3]>; b: Scalar }, x: Tensor<[3]>) => sum(mul(p.w, x));
    const p = { w: tensor([1, 0, -1]), b: tensor(0) };
    expect(vmap(g, { inAxes: [null, 0] })(p, xs).toArray()).toEqual([-2, -2]);
    const ws = { w: tensor([[1, 0, -1], [0, 1, 0]]), b: tensor(0) };
    expect(vmap(g, { inAxes: [{ w: 0, b: null }, null] })(ws, tensor([1, 2, 3])).toArray()).toEqual([-2, 2]);
  });

  it('places the batch axis of outputs by outAxes, per leaf, and copies unbatched outputs along it', () => {
    const g = (x: Tensor<[3]>) => ({ y: mul(x, 2), c: tensor([1, 2]) });
    const out = vmap(g, { outAxes: { y: 1, c: 0 } })(xs);
    expect(out.y.toArray()).toEqual([[2, 8], [4, 10], [6, 12]]);
    expect(out.c.toArray()).toEqual([[1, 2], [1, 2]]);
    expect(vmap(g, { outAxes: -1 })(xs).y.shape).toEqual([3, 2]);
  });

  it('takes the batch size from axisSize when no argument is batched', () => {
    const out = vmap((x: Tensor<[2]>) => mul(x, 3), { inAxes: null, axisSize: 4 })(tensor([1, 2]));
    expect(out.toArray()).toEqual([[3, 6], [3, 6], [3, 6], [3, 6]]);
  });

  it('shows the function one element: shapes inside are unbatched', () => {
    let seen: readonly number[] = [];
    vmap((x: Tensor<[3]>) => {
      seen = x.shape;
      return x;
    })(xs);
    expect(seen).toEqual([3]);
  });

  it('does not mutate its inputs', () => {
    const before = xs.toArray();
    vmap(grad(f))(xs);
    expect(xs.toArray()).toEqual(before);
  });
});

describe('vmap errors', () => {
  const g = (x: Tensor<[3]>, y: Tensor<[3]>) => sum(mul(x, y));

  it('a batch size mismatch is a ShapeError naming both arguments and sizes', () => {
    expect(() => (vmap(g) as unknown as Fn)(zeros([8, 3]), zeros([4, 3]))).toThrow(ShapeError);
    expect(() => (vmap(g) as unknown as Fn)(zeros([8, 3]), zeros([4, 3]))).toThrow(
      'vmap: batch sizes differ: args[0] has 8 but args[1] has 4',
    );
    expect(() => vm(g, { axisSize: 5 })(zeros([8, 3]), zeros([8, 3]))).toThrow('vmap: batch sizes differ: axisSize has 5 but args[0] has 8');
  });

  it('names bad axes, trees and missing sizes', () => {
    expect(() => vm(g, { inAxes: 2 })(zeros([8, 3]), zeros([8, 3]))).toThrow(AxisError);
    expect(() => vm(g, { inAxes: 2 })(zeros([8, 3]), zeros([8, 3]))).toThrow('vmap: inAxes 2 is out of range for args[0] of shape [8,3]');
    expect(() => vm(g, { inAxes: [0] })(zeros([8, 3]), zeros([8, 3]))).toThrow(TreeError);
    expect(() => vm(g, { inAxes: null })(zeros([3]), zeros([3]))).toThrow(ValueError);
    expect(() => vm((x: AnyTensor) => x, { outAxes: null })(zeros([2, 3]))).toThrow('vmap: output differs between batch elements but its outAxes is null');
  });

  it('reports shape errors inside the function in the shapes of one element', () => {
    expect(() => vm((x: AnyTensor) => lax.add(x, zeros([4]) as AnyTensor))(zeros([8, 3]))).toThrow('add: cannot broadcast [3] with [4]');
  });

  it('refuses to read batched values inside the function, and escaped tracers', () => {
    expect(() => vm((x: AnyTensor) => x.toArray())(zeros([2, 3]))).toThrow(TraceError);
    let leaked: AnyTensor | undefined;
    vm((x: AnyTensor) => (leaked = x))(zeros([2, 3]));
    expect(() => lax.neg(leaked!)).toThrow(TraceError);
  });
});

describe('vmap composes', () => {
  const loss = (w: Tensor<[3]>, x: Tensor<[3]>, y: Scalar) => square(lax.sub(sum(mul(w, x)) as AnyTensor, y as AnyTensor) as Scalar);
  const w = tensor([0.5, -1, 2]);
  const X = tensor([[1, 2, 3], [0, 1, 0], [2, 2, 2]]);
  const Y = tensor([1, 0, -1]);

  it('vmap(grad(f)) gives per-example gradients', () => {
    const per = vmap(grad(loss), { inAxes: [null, 0, 0] })(w, X, Y);
    expect(per.shape).toEqual([3, 3]);
    for (let b = 0; b < 3; b++) {
      const want = grad(loss)(w, sliceAt(X as AnyTensor, 0, b) as never, sliceAt(Y as AnyTensor, 0, b) as never);
      expect(sliceAt(per as AnyTensor, 0, b)).toBeAllclose(want, { rtol: 1e-6 });
    }
  });

  it('valueAndGrad inside vmap, and nested vmap', () => {
    const [v, g] = vmap(valueAndGrad(loss), { inAxes: [null, 0, 0] })(w, X, Y);
    expect(v.shape).toEqual([3]);
    expect(g.shape).toEqual([3, 3]);
    const outer = vmap(vmap((a: Scalar, b: Scalar) => mul(a, b), { inAxes: [0, null] }), { inAxes: [null, 0] });
    expect(outer(tensor([1, 2, 3]), tensor([10, 100])).toArray()).toEqual([[10, 20, 30], [100, 200, 300]]);
  });

  it('vmap of jvp, and jvp of vmap', () => {
    const f = (x: Tensor<[3]>) => sum(square(x));
    const dirs = tensor([[1, 0, 0], [0, 1, 0]]);
    const ts = vmap((t: Tensor<[3]>) => jvp(f, [tensor([1, 2, 3])], [t])[1], { inAxes: 0 })(dirs);
    expect(ts.toArray()).toEqual([2, 4]);
    const [y, dy] = jvp((xs: Tensor<[2, 3]>) => vmap(f)(xs), [tensor([[1, 2, 3], [1, 1, 1]])], [tensor([[1, 0, 0], [0, 0, 1]])]);
    expect(y.toArray()).toEqual([14, 3]);
    expect(dy.toArray()).toEqual([2, 2]);
  });

  it('a batch of keys gives a batch of independent streams', () => {
    const init = (k: random.Key) => {
      const [k1, k2] = random.split(k);
      return { w: random.normal(k1, [2, 3]), b: random.uniform(random.foldIn(k2, 7), [3]), p: random.permutation(k2, 4) };
    };
    const keys = random.split(random.key(0), 5);
    const models = vmap(init)(keys);
    expect(models.w.shape).toEqual([5, 2, 3]);
    expect(models.p.shape).toEqual([5, 4]);
    keys.forEach((k, b) => {
      const one = init(k);
      expect(sliceAt(models.w as AnyTensor, 0, b).toArray()).toEqual(one.w.toArray());
      expect(sliceAt(models.b as AnyTensor, 0, b).toArray()).toEqual(one.b.toArray());
      expect(sliceAt(models.p as AnyTensor, 0, b).toArray()).toEqual(one.p.toArray());
    });
    expect(sliceAt(models.w as AnyTensor, 0, 0).toArray()).not.toEqual(sliceAt(models.w as AnyTensor, 0, 1).toArray());
    expect(() => vm((k: random.Key) => random.shuffle(k, [1, 2]))(keys)).toThrow(ValueError);
    expect(() => vm((k: random.Key) => k.words)(keys)).toThrow(TraceError);
    expect(() => vm((k: random.Key) => random.normal(k, [2]))(random.key(0))).toThrow('vmap: args[0] is a single key');
  });

  it('matmul folds a batch against a shared matrix and batches both sides', () => {
    const A = tensor([[1, 2], [3, 4]]);
    const xs = tensor([[1, 0], [0, 1], [1, 1]]);
    expect(vmap((x: Tensor<[2]>) => matmul(x, A))(xs).toArray()).toEqual([[1, 2], [3, 4], [4, 6]]);
    expect(vmap((x: Tensor<[2]>) => matmul(A, x))(xs).toArray()).toEqual([[1, 3], [2, 4], [3, 7]]);
    expect(vmap((x: Tensor<[2]>, y: Tensor<[2]>) => matmul(x, y))(xs, xs).toArray()).toEqual([1, 1, 2]);
    expect(storageOf((vmap((x: Tensor<[2]>) => matmul(x, A))(xs) as AnyTensor).concrete()).length).toBe(6);
  });
});

describe('vmap and jit compose', () => {
  const f = (w: Tensor<[3]>, x: Tensor<[3]>) => sum(square(mul(w, x)));
  const w = tensor([1, -2, 0.5]);
  const X = tensor([[1, 2, 3], [0.5, 0, -1], [2, 2, 2], [1, 1, 0]]);
  const want = vmap(grad(f), { inAxes: [null, 0] })(w, X);

  it('jit(vmap(f)) stages the batched program and matches the eager result', () => {
    const jitted = jit(vmap(grad(f), { inAxes: [null, 0] }) as unknown as (w: Tensor<[3]>, x: Tensor<[4, 3]>) => Tensor<[4, 3]>);
    expect(jitted(w, X)).toBeAllclose(want, { rtol: 1e-6 });
    expect(jitted(w, X)).toBeAllclose(want, { rtol: 1e-6 });
    expect(jitStats(jitted).compiles).toBe(1);
    expect(jitStats(jitted).hits).toBeGreaterThanOrEqual(1);
  });

  it('vmap(jit(f)) maps the jitted function and matches the eager result', () => {
    const jf = jit(grad(f));
    expect(vmap(jf, { inAxes: [null, 0] })(w, X)).toBeAllclose(want, { rtol: 1e-6 });
  });
});
