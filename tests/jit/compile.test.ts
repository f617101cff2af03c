/**
 * The compiler against the reference interpreter: random programs of
 * elementwise ops, views and reductions over odd, size-0 and size-1 shapes
 * and every dtype give the interpreter's values; outputs are never
 * overwritten by a later call and inputs never written.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as lax from '../../src/lax/index.js';
import { storageOf, type ArrayTensor } from '../../src/core/tensor.js';
import { TraceError } from '../../src/core/errors.js';
import type { DType } from '../../src/core/dtype.js';
import type { Shape } from '../../src/shape/dim.js';
import { interpret } from '../../src/jit/program.js';
import { compile, compileWithInfo } from '../../src/jit/compile.js';
import { record } from './record.js';
import { isWasmAvailable } from '../../src/backend/wasm/index.js';
import { build, programArb, tensorOf } from './random-programs.js';
import { residentMode } from '../../src/jit/compiler/resident.js';
import { periodOf } from '../../src/jit/compiler/codegen-wasm.js';
import { schedule } from '../../src/jit/compiler/schedule.js';

type T = ArrayTensor<Shape, DType>;

/** Equal within float32 rounding of the WebAssembly kernels (exact for int32 and bool; NaN equals NaN). */
function expectClose(got: T, want: T, where: string): void {
  expect(got.dtype, where).toBe(want.dtype);
  expect([...got.shape], where).toEqual([...want.shape]);
  const g = storageOf(got), w = storageOf(want);
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!, b = w[i]!;
    if (Number.isNaN(b)) expect(Number.isNaN(a), `${where} [${i}]: ${a} vs NaN`).toBe(true);
    else if (want.dtype === 'int32' || want.dtype === 'bool' || !Number.isFinite(b)) expect(a, `${where} [${i}]`).toBe(b);
    else expect(Math.abs(a - b) <= 1e-5 * Math.abs(b) + 1e-6, `${where} [${i}]: ${a} vs ${b}`).toBe(true);
  }
}


describe('compile', () => {
  it('gives what the interpreter gives on random programs (every dtype, size-0 and size-1 dims)', () => {
    fc.assert(
      fc.property(programArb, (spec) => {
        const built = build(spec);
        fc.pre(built !== null);
        const { program, inputs } = built!;
        const want = interpret(program, inputs);
        const run = compile(program);
        const got = run(inputs);
        got.forEach((g, i) => expectClose(g, want[i]!, `output ${i}`));
        // A second call gives the same, and leaves the first call's outputs alone.
        const snapshot = got.map((g) => storageOf(g).slice());
        const again = run(inputs);
        again.forEach((g, i) => expectClose(g, want[i]!, `second call, output ${i}`));
        got.forEach((g, i) => expect(storageOf(g)).toEqual(snapshot[i]));
      }),
      { numRuns: 300 },
    );
  });

  it('runs a bias broadcast over rows and a where on a comparison as WebAssembly loops, with the eager values', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (rows, q) => {
      const cols = 4 * q;
      const x = tensorOf(Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.3)), [rows, cols], 'float32');
      const b = tensorOf(Array.from({ length: cols }, (_, i) => Math.cos(i)), [cols], 'float32');
      const g = tensorOf(Array.from({ length: rows * cols }, (_, i) => (i % 7) - 3), [rows, cols], 'float32');
      // relu(x + b) and the relu gradient where(x + b > 0, g, 0), as the MLP's forward and backward passes stage them.
      const program = record((x0, b0, g0) => {
        const h = lax.add(x0, lax.broadcastTo(b0, [rows, cols]));
        return [lax.relu(h), lax.where(lax.gt(h, lax.scalarLike(0, h)), g0, lax.scalarLike(0, g0))];
      }, [x, b, g]);
      const { run, info } = compileWithInfo(program);
      const got = run([x, b, g]);
      interpret(program, [x, b, g]).forEach((w, i) => expect(storageOf(got[i]!)).toEqual(storageOf(w)));
      if (isWasmAvailable() && residentMode() && rows * cols >= 128) expect(info.wasmLoops).toBe(1);
    }), { numRuns: 30, examples: [[1, 1], [64, 32], [3, 5]] });
  });

  it('runs a per-channel bias over NCHW images (and its relu gradient) as one WebAssembly loop, with the eager values', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }), (n, c, h, w4) => {
      const w = 4 * w4, shape = [n, c, h, w], size = n * c * h * w;
      const x = tensorOf(Array.from({ length: size }, (_, i) => Math.sin(i * 1.3)), shape, 'float32');
      const b = tensorOf(Array.from({ length: c }, (_, i) => Math.cos(i) * 0.5), [c], 'float32');
      const g = tensorOf(Array.from({ length: size }, (_, i) => (i % 7) - 3), shape, 'float32');
      // conv2d's bias, relu(x + b[None, :, None, None]), and the relu gradient, as the CNN's passes stage them.
      const program = record((x0, b0, g0) => {
        const h0 = lax.add(x0, lax.broadcastTo(lax.reshape(b0, [1, c, 1, 1]), shape));
        return [lax.relu(h0), lax.where(lax.gt(h0, lax.scalarLike(0, h0)), g0, lax.scalarLike(0, g0))];
      }, [x, b, g]);
      const { run, info } = compileWithInfo(program);
      const got = run([x, b, g]);
      interpret(program, [x, b, g]).forEach((want, i) => expect(storageOf(got[i]!)).toEqual(storageOf(want)));
      if (isWasmAvailable() && residentMode() && size >= 128) expect(info.wasmLoops).toBe(1);
    }), { numRuns: 30, examples: [[64, 32, 7, 7], [2, 3, 1, 1], [1, 1, 2, 1]] });
  });

  it("runs max pooling (argmax, gather and the gradient's scatter-add) on its kernels in planned memory, with the eager values", () => {
    const valueArb = fc.oneof(fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1, -1), fc.float({ noNaN: true, min: -4, max: 4 }));
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 2, max: 30 }), fc.array(valueArb, { minLength: 1, maxLength: 50 }), (n, c, h, w, values) => {
      const shape = [n, c, h, w], size = n * c * h * w;
      const x = tensorOf(Array.from({ length: size }, (_, i) => values[(i * 7) % values.length]!), shape, 'float32');
      const p = { kernel: [2, 2] as const, stride: [2, 2] as const, padding: [[0, 0], [0, 0]] as const, dilation: [1, 1] as const };
      const out = [n, c, Math.floor(h / 2), Math.floor(w / 2)];
      const g = tensorOf(Array.from({ length: out.reduce((a, d) => a * d, 1) }, (_, i) => (i % 5) - 2), out, 'float32');
      const program = record((x0, g0) => {
        const idx = lax.maxPoolArgmax2d(x0, p);
        const flat = lax.reshape(x0, [size]);
        return [lax.gather(flat, idx, 0), lax.scatterAdd(g0, idx, { axis: 0, shape: [size] })];
      }, [x, g]);
      const got = compile(program)([x, g]);
      interpret(program, [x, g]).forEach((want, i) => expect(storageOf(got[i]!)).toEqual(storageOf(want)));
    }), { numRuns: 40, examples: [[4, 16, 28, 28, [1, 2, 3]], [2, 3, 5, 9, [NaN, 1, -0, 0]]] });
  });

  it('runs the three convolution products in planned memory and as fresh outputs, with the eager values', () => {
    const g = { stride: [1, 1] as const, padding: [[1, 1], [1, 1]] as const, dilation: [1, 1] as const, groups: 2 };
    const x = tensorOf(Array.from({ length: 97 }, (_, i) => Math.sin(i)), [6, 4, 9, 10], 'float32');
    const w = tensorOf(Array.from({ length: 89 }, (_, i) => Math.cos(i)), [8, 2, 3, 3], 'float32');
    const program = record((x0, w0) => {
      const y = lax.conv2d(x0, w0, g);           // an output and read again: fresh
      const h = lax.relu(lax.conv2d(x0, w0, g)); // an intermediate: planned
      return [y, lax.convTranspose2d(h, w0, g, [9, 10]), lax.conv2dWeightGrad(x0, h, g, [3, 3])];
    }, [x, w]);
    const run = compile(program);
    const want = interpret(program, [x, w]);
    for (let call = 0; call < 2; call++) run([x, w]).forEach((got, i) => expect(storageOf(got)).toEqual(storageOf(want[i]!)));
  });

  it('sums over leading or trailing dims (size-1 dims anywhere) with the eager values', () => {
    const dimArb = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 });
    fc.assert(fc.property(dimArb, fc.nat(), fc.boolean(), (shape, cut, leading) => {
      const rank = shape.length, c = cut % (rank + 1);
      const axes = leading ? Array.from({ length: c }, (_, i) => i) : Array.from({ length: rank - c }, (_, i) => c + i);
      if (axes.length === 0) return;
      const n = shape.reduce((a, b) => a * b, 1);
      const x = tensorOf(Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 100), shape, 'float32');
      const program = record((a) => lax.reduceSum(lax.exp(lax.neg(lax.abs(a))), axes, false), [x]);
      const program2 = record((a) => lax.reduceSum(a, axes, true), [x]);
      for (const p of [program, program2]) expectClose(compile(p)([x])[0]!, interpret(p, [x])[0]!, `sum over ${axes} of [${shape}]`);
    }), { numRuns: 60, examples: [[[455, 1], 1, true], [[64, 128], 1, true], [[1, 64, 1, 10], 2, true], [[5, 1, 3], 1, false]] });
  });

  it('recomputes a comparison in each loop that reads it (no boolean buffer), with the eager values', () => {
    const x = tensorOf(Array.from({ length: 455 }, (_, i) => Math.sin(i * 0.77)), [455], 'float32');
    const y = tensorOf(Array.from({ length: 455 }, (_, i) => Math.cos(i * 0.31)), [455], 'float32');
    // BCE's clamp: the same mask guards the forward value and the gradient, which land in different loops.
    const program = record((a, b) => {
      const mask = lax.gt(a, lax.scalarLike(0, a));
      const fwd = lax.where(mask, lax.log(lax.add(a, lax.scalarLike(1, a))), lax.scalarLike(0, a));
      const grad = lax.where(mask, lax.div(b, lax.add(a, lax.scalarLike(1, a))), lax.scalarLike(0, b));
      return [lax.reduceSum(fwd, [0], false), grad, lax.mul(grad, b)];
    }, [x, y]);
    const { run, info, optimized } = compileWithInfo(program);
    const places = schedule(optimized).places;
    for (const e of optimized.eqns) if (e.prim === 'gt') expect(places.get(e.out.id)!.kind).toBe('expr');
    const got = run([x, y]);
    interpret(program, [x, y]).forEach((w, i) => expectClose(got[i]!, w, `output ${i}`));
    // Every loop, the sum's operand included, is a float32 WebAssembly loop.
    if (isWasmAvailable() && residentMode()) expect(info.loops.length).toBe(0);
  });

  it('finds the period of a row broadcast over leading dims, and nothing else', () => {
    expect(periodOf({ offset: 0, strides: [0, 1] }, [64, 128], 128)).toBe(128);
    expect(periodOf({ offset: 0, strides: [0, 0, 3, 1] }, [2, 5, 4, 3], 12)).toBe(12);
    expect(periodOf({ offset: 0, strides: [0, 1] }, [64, 6], 6)).toBe(0); // not a multiple of 4
    expect(periodOf({ offset: 0, strides: [1, 0] }, [64, 8], 64)).toBe(0); // a column broadcast
    expect(periodOf({ offset: 4, strides: [0, 1] }, [64, 8], 8)).toBe(0); // not from the start
    expect(periodOf({ offset: 0, strides: [1, 8] }, [8, 8], 64)).toBe(0); // a transpose
  });

  it('never writes its inputs, and later calls never change earlier outputs', () => {
    const x = tensorOf([1, -2, 3, 0.5, 7, -1], [2, 3], 'float32');
    const y = tensorOf([2, 4, 6, 8, 10, 12], [2, 3], 'float32');
    const program = record((a, b) => {
      const h = lax.relu(lax.add(a, b));
      return [lax.mul(h, h), lax.reduceSum(lax.exp(h), [1], false), lax.transpose(h, [1, 0])];
    }, [x, y]);
    const run = compile(program);
    const before = [storageOf(x).slice(), storageOf(y).slice()];
    const first = run([x, y]);
    const firstValues = first.map((t) => storageOf(t).slice());
    run([y, x]);
    run([x, x]);
    expect(storageOf(x)).toEqual(before[0]);
    expect(storageOf(y)).toEqual(before[1]);
    first.forEach((t, i) => expect(storageOf(t)).toEqual(firstValues[i]));
    interpret(program, [x, y]).forEach((w, i) => expectClose(first[i]!, w, `output ${i}`));
  });

  it('fuses an elementwise chain into one loop, bit-identical to the eager JavaScript kernels', () => {
    const x = tensorOf([-3, -1, 0, 0.25, 1, 2.5, 4], [7], 'float32');
    const program = record((a) => lax.mul(lax.tanh(lax.add(lax.mul(a, lax.scalarLike(1.5, a)), lax.scalarLike(0.5, a))), lax.sigmoid(a)), [x]);
    const { run, info } = compileWithInfo(program);
    expect(info.loops.length).toBe(1);
    expect(storageOf(run([x])[0]!)).toEqual(storageOf(interpret(program, [x])[0]!));
  });

  it('runs a large float32 chain as one WebAssembly kernel, within float32 ulps of the interpreter', () => {
    const x = tensorOf(Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 4), [7, 11, 13], 'float32');
    const program = record((a) => lax.mul(lax.tanh(lax.add(lax.mul(a, lax.scalarLike(1.5, a)), lax.scalarLike(0.5, a))), lax.sigmoid(a)), [x]);
    const { run, info } = compileWithInfo(program);
    const got = run([x]);
    if (isWasmAvailable()) expect(info.wasmLoops).toBe(1);
    expectClose(got[0]!, interpret(program, [x])[0]!, 'w4');
  });

  it('runs a large float32 optimizer-like update as one multi-output WebAssembly kernel', () => {
    const n = 5003;
    const p = tensorOf(Array.from({ length: 97 }, (_, i) => Math.sin(i)), [n], 'float32');
    const g = tensorOf(Array.from({ length: 89 }, (_, i) => Math.cos(i)), [n], 'float32');
    const m = tensorOf(Array.from({ length: 83 }, (_, i) => Math.sin(i) * 0.1), [n], 'float32');
    const v = tensorOf(Array.from({ length: 79 }, (_, i) => Math.abs(Math.sin(i)) * 0.1), [n], 'float32');
    const t = tensorOf([3], [], 'float32');
    const program = record((p0, g0, m0, v0, t0) => {
      const c = (x: number) => lax.scalarLike(x, p0);
      const m1 = lax.add(lax.mul(m0, c(0.9)), lax.mul(g0, c(0.1)));
      const v1 = lax.add(lax.mul(v0, c(0.999)), lax.mul(lax.mul(g0, g0), c(0.001)));
      const bias = lax.sub(c(1), lax.pow(c(0.9), t0));
      const p1 = lax.sub(p0, lax.div(lax.mul(lax.div(m1, bias), c(0.01)), lax.add(lax.sqrt(v1), c(1e-8))));
      return [p1, m1, v1];
    }, [p, g, m, v, t]);
    const { run, info } = compileWithInfo(program);
    const got = run([p, g, m, v, t]);
    if (isWasmAvailable()) expect(info.wasmLoops).toBe(1);
    interpret(program, [p, g, m, v, t]).forEach((w, i) => expectClose(got[i]!, w, `output ${i}`));
  });

  it('stores subnormal results of a WebAssembly loop as zeros of their sign, the rest as the interpreter does', () => {
    // An Adam moment of a unit whose gradient stays zero: m · 0.9 decays through the subnormal range.
    const n = 5003;
    const m = tensorOf(Array.from({ length: 101 }, (_, i) => (i % 3 === 0 ? 1.5e-38 : i % 3 === 1 ? -1.2e-38 : Math.sin(i))), [n], 'float32');
    const g = tensorOf([0, 0, 0, 0.5, 0], [n], 'float32');
    const program = record((m0, g0) => [lax.add(lax.mul(m0, lax.scalarLike(0.5, m0)), lax.mul(g0, lax.scalarLike(0.1, g0)))], [m, g]);
    const { run, info } = compileWithInfo(program);
    const got = storageOf(run([m, g])[0]!), want = storageOf(interpret(program, [m, g])[0]!);
    if (!isWasmAvailable()) return;
    expect(info.wasmLoops).toBe(1);
    let flushed = 0;
    for (let i = 0; i < n; i++) {
      const w = want[i] as number;
      if (w !== 0 && Math.abs(w) < 2 ** -126) {
        expect(Object.is(got[i], w < 0 ? -0 : 0), `element ${i}: ${got[i]} for ${w}`).toBe(true);
        flushed++;
      } else expect(got[i], `element ${i}`).toBe(w);
    }
    expect(flushed).toBeGreaterThan(n / 2);
  });

  it('gives the bits of the interpreter for float32 row maxima and column sums (NaN, signed zeros, ties, infinities)', () => {
    const valueArb = fc.oneof(fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1, -1), fc.float({ noNaN: true, min: -1e6, max: 1e6 }));
    const sameBits = (got: T, want: T, where: string) => {
      const g = storageOf(got), w = storageOf(want);
      expect(g.length, where).toBe(w.length);
      for (let i = 0; i < w.length; i++) expect(Object.is(g[i], w[i]) || (Number.isNaN(g[i]) && Number.isNaN(w[i])), `${where} [${i}]: ${g[i]} vs ${w[i]}`).toBe(true);
    };
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 3 }), fc.array(valueArb, { minLength: 1, maxLength: 60 }),
      (a, b, c, values) => {
        const x = tensorOf(values, [a, b, c], 'float32');
        const program = record((x0) => [lax.reduceMax(x0, [1, 2], false), lax.reduceMax(x0, [2], true), lax.reduceSum(x0, [0], false), lax.reduceSum(x0, [0, 1], false)], [x]);
        const got = compile(program)([x]), want = interpret(program, [x]);
        want.forEach((w, i) => sameBits(got[i]!, w, `output ${i} of [${a},${b},${c}]`));
      },
    ), { numRuns: 150 });
  });

  it('merges loops of one shape into one loop with several outputs', () => {
    const p = tensorOf([1, 2, 3], [3], 'float32'), g = tensorOf([0.5, -1, 2], [3], 'float32'), m = tensorOf([0, 0.1, 0.2], [3], 'float32');
    const program = record((p0, g0, m0) => {
      const m1 = lax.add(lax.mul(m0, lax.scalarLike(0.9, m0)), lax.mul(g0, lax.scalarLike(0.1, g0)));
      return [lax.sub(p0, lax.mul(m1, lax.scalarLike(0.01, m1))), m1];
    }, [p, g, m]);
    const { run, info } = compileWithInfo(program);
    expect(info.loops.length).toBe(1);
    expect(info.loops[0]!.outs.length).toBe(2);
    run([p, g, m]).forEach((t, i) => expectClose(t, interpret(program, [p, g, m])[i]!, `output ${i}`));
  });

  it('keeps a value read twice by one loop in a local, never in memory', () => {
    const x = tensorOf([0.5, -1, 2], [3], 'float32');
    const program = record((a) => {
      const h = lax.exp(a);
      return lax.add(lax.mul(h, h), h);
    }, [x]);
    const { run, info } = compileWithInfo(program);
    expect(info.loops.length).toBe(1);
    expect(info.loops[0]!.outs.length).toBe(1);
    expect(info.planned).toBe(0);
    expect(storageOf(run([x])[0]!)).toEqual(storageOf(interpret(program, [x])[0]!));
  });

  it('folds an elementwise operand into the sum, max or min that reads it (one loop, no stored operand)', () => {
    const x = tensorOf(Array.from({ length: 35 }, (_, i) => Math.sin(i) * 3), [5, 7], 'float32');
    const program = record((a) => [
      lax.reduceSum(lax.mul(lax.exp(a), a), [1], false),
      lax.reduceMax(lax.tanh(a), [0], true),
      lax.reduceMin(lax.transpose(lax.neg(a), [1, 0]), [0, 1], false),
    ], [x]);
    const { run, info } = compileWithInfo(program);
    expect(info.loops.length).toBe(3);
    expect(info.planned).toBe(0);
    const got = run([x]);
    interpret(program, [x]).forEach((w, i) => expect(storageOf(got[i]!)).toEqual(storageOf(w)));
  });

  it('reuses planned blocks for intermediates whose lifetimes do not overlap', () => {
    const x = tensorOf([1, 2, 3, 4, 5, 6], [2, 3], 'float32');
    const program = record((a) => {
      let h = a;
      // Each h is read twice (so stored) and dead after the next step.
      for (let i = 0; i < 6; i++) h = lax.reduceSum(lax.mul(lax.tanh(h), lax.exp(h)), [1], true);
      return lax.reduceSum(h, [0, 1], false);
    }, [x]);
    const { run, info } = compileWithInfo(program);
    run([x]).forEach((t, i) => expectClose(t, interpret(program, [x])[i]!, `output ${i}`));
    expect(info.blocks.length).toBeLessThanOrEqual(2);
  });

  it('runs matmul, gather, concat and other kernel roots with their epilogues', () => {
    const a = tensorOf([1, 2, 3, 4, 5, 6], [2, 3], 'float32');
    const b = tensorOf([0.5, -1, 2, 1, 0, 3], [3, 2], 'float32');
    const idx = tensorOf([1, 0, 1], [3], 'int32');
    const program = record((x, y, i) => {
      const z = lax.relu(lax.add(lax.matmul(x, y), lax.scalarLike(0.5, x)));
      const g = lax.gather(y, i, 0);
      const c = lax.concat([z, lax.transpose(z, [1, 0])], 0);
      return [z, g, c, lax.argmax(c, 0, false)];
    }, [a, b, idx]);
    const got = compile(program)([a, b, idx]);
    interpret(program, [a, b, idx]).forEach((w, i) => expectClose(got[i]!, w, `output ${i}`));
  });
  it('folds a transposed operand into matmul (no copy loop), equal to the interpreter on any shape', () => {
    const dimArb = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 4, max: 40 }), fc.constantFrom(63, 64, 65));
    fc.assert(fc.property(dimArb, dimArb, dimArb, fc.boolean(), fc.boolean(), fc.boolean(), (m, k, n, ta, tb, sliced) => {
      // A is given as Aᵀ [k, m] when ta (optionally a row slice of a taller buffer), B as Bᵀ [n, k] when tb.
      const aShape = ta ? [k, m] : [m, k], bShape = tb ? [n, k] : [k, n];
      const extra = sliced ? 2 : 0;
      const a = tensorOf(Array.from({ length: (aShape[0]! + extra) * aShape[1]! }, (_, i) => Math.sin(i + 1)), [aShape[0]! + extra, aShape[1]!], 'float32');
      const b = tensorOf(Array.from({ length: bShape[0]! * bShape[1]! }, (_, i) => Math.cos(i * 0.7)), bShape, 'float32');
      const program = record((x, y) => {
        const xa = sliced ? lax.slice(x, { starts: [1, 0], sizes: aShape, steps: [1, 1] }) : x;
        const ma = ta ? lax.transpose(xa, [1, 0]) : xa;
        const mb = tb ? lax.transpose(y, [1, 0]) : y;
        return lax.matmul(ma, mb);
      }, [a, b]);
      const { run, info } = compileWithInfo(program);
      const got = run([a, b])[0]!;
      expectClose(got, interpret(program, [a, b])[0]!, `[${m},${k}]x[${k},${n}] ta=${ta} tb=${tb} sliced=${sliced}`);
      // On the wasm path (large enough), the transposes are read in place: no loop at all.
      if (isWasmAvailable() && m * n > 0 && k > 0 && m * k * n >= 1024) expect(info.loops.length).toBe(0);
    }), { numRuns: 60, examples: [[1, 1, 1, true, true, false], [0, 5, 7, true, true, false], [5, 0, 7, true, true, true], [64, 65, 63, true, false, true], [33, 40, 1, false, true, false], [1, 64, 40, true, true, true]] });
  });

  it('still copies a transposed operand that is not a transposed block (a column slice), and stays correct', () => {
    const x = tensorOf(Array.from({ length: 40 * 50 }, (_, i) => Math.sin(i)), [40, 50], 'float32');
    const y = tensorOf(Array.from({ length: 40 * 30 }, (_, i) => Math.cos(i)), [40, 30], 'float32');
    const program = record((a, b) => lax.matmul(lax.transpose(lax.slice(a, { starts: [0, 3], sizes: [40, 45], steps: [1, 1] }), [1, 0]), b), [x, y]);
    const { run, info } = compileWithInfo(program);
    expectClose(run([x, y])[0]!, interpret(program, [x, y])[0]!, 'column slice');
    expect(info.loops.length).toBe(1);
  });

  it('writes an output into a donated input when that is safe, and never otherwise', () => {
    const p = tensorOf([1, 2, 3, 4], [4], 'float32'), g = tensorOf([0.5, 0.5, 1, 1], [4], 'float32');
    const program = record((p0, g0) => [lax.sub(p0, lax.mul(g0, lax.scalarLike(0.1, g0))), lax.reduceSum(g0, [0], false)], [p, g]);
    const want = interpret(program, [p, g]);
    const { run, info } = compileWithInfo(program, { donate: [true, false] });
    expect(info.donated).toBe(1);
    // Not donated: a fresh buffer.
    const plain = compile(program)([p, g]);
    expect(storageOf(plain[0]!)).not.toBe(storageOf(p));
    // The same tensor passed twice: its storage is read as the other input too, so it is not reused.
    const twice = run([g, g]);
    expect(storageOf(twice[0]!)).not.toBe(storageOf(g));
    expectClose(twice[0]!, interpret(program, [g, g])[0]!, 'same tensor twice');
    // Donated and exclusive: the output takes over the input's storage. In resident mode only a
    // storage the compiler handed out is taken over (a user's own array is never written).
    const p2 = tensorOf([1, 2, 3, 4], [4], 'float32');
    const p2Storage = storageOf(p2);
    const got = run([p2, g]);
    got.forEach((t, i) => expectClose(t, want[i]!, `output ${i}`));
    if (residentMode()) {
      expect(storageOf(p2)).toEqual(new Float32Array([1, 2, 3, 4]));
      const handed = storageOf(got[0]!);
      const again = run([got[0]!, g]);
      expect(storageOf(again[0]!)).toBe(handed);
      expectClose(again[0]!, interpret(program, [tensorOf([0.95, 1.95, 2.9, 3.9], [4], 'float32'), g])[0]!, 'in place');
      // The donated tensor is gone for its holder: reading it is an error, never the new values.
      expect(() => storageOf(got[0]!)).toThrow(TraceError);
      expect(() => got[0]!.toTypedArray()).toThrow(/jit: this tensor was donated/);
    } else {
      expect(storageOf(got[0]!)).toBe(p2Storage);
      expect(() => storageOf(p2)).toThrow(TraceError);
    }
    expect(storageOf(g)).toEqual(new Float32Array([0.5, 0.5, 1, 1]));
  });
});
