import fc from 'fast-check';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  binaryOps, compareOps, fusedUnaryOps, wasmFusedPreparedF32, fx, isWasmAvailable, setCallerClaimsChunks, setWasmThreads, startWasmWorkers, unaryOps, wasmBinaryF32, wasmFusedF32, wasmInfo, wasmUnaryF32,
  type FusedExpr, type UnaryOp,
} from '../../src/backend/wasm/index.js';

const { input, constant, add, mul, tanh, sigmoid } = fx;

/** Runs `expr` unfused: one wasm (or plain TypeScript, for neg/abs/relu/sqrt) kernel call per node. */
function unfused(expr: FusedExpr, inputs: readonly Float32Array[], n: number): Float32Array {
  const full = (x: Float32Array) => (x.length === n ? x : new Float32Array(n).fill(x[0]!));
  switch (expr.kind) {
    case 'input': return full(inputs[expr.index]!);
    case 'const': return new Float32Array(n).fill(expr.value);
    case 'unary': {
      const x = unfused(expr.x, inputs, n), out = new Float32Array(n);
      if ((unaryOps as readonly string[]).includes(expr.op)) wasmUnaryF32(expr.op as UnaryOp, x, out);
      else {
        const f = { neg: (v: number) => -v, abs: Math.abs, sqrt: Math.sqrt, relu: (v: number) => (v > 0 || v !== v ? v : 0) }[expr.op as 'neg'];
        for (let i = 0; i < n; i++) out[i] = f(x[i]!);
      }
      return out;
    }
    case 'binary': {
      const out = new Float32Array(n);
      wasmBinaryF32(expr.op, unfused(expr.a, inputs, n), unfused(expr.b, inputs, n), out);
      return out;
    }
    case 'select': {
      const [x, y, a, b] = [expr.x, expr.y, expr.a, expr.b].map((e) => unfused(e, inputs, n)) as [Float32Array, Float32Array, Float32Array, Float32Array];
      const test = { eq: (u: number, v: number) => u === v, ne: (u: number, v: number) => u !== v, lt: (u: number, v: number) => u < v, le: (u: number, v: number) => u <= v, gt: (u: number, v: number) => u > v, ge: (u: number, v: number) => u >= v }[expr.cmp];
      return new Float32Array(n).map((_, i) => (test(x[i]!, y[i]!) ? a[i]! : b[i]!));
    }
  }
}

/** Random expressions over two inputs, depth at most 4. */
const exprArb: fc.Arbitrary<FusedExpr> = fc.letrec<{ e: FusedExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(input(0), input(1)),
    fc.float({ noNaN: true, min: -3, max: 3 }).map((v) => constant(Math.fround(v))),
    fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom(...fusedUnaryOps), x: tie('e') }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...binaryOps), a: tie('e'), b: tie('e') }),
    fc.record({ kind: fc.constant('select' as const), cmp: fc.constantFrom(...compareOps), x: tie('e'), y: tie('e'), a: tie('e'), b: tie('e') }),
  ),
})).e;

const sameBits = (got: Float32Array, want: Float32Array) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!(Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])))) {
      throw new Error(`element ${i}: fused ${got[i]}, unfused ${want[i]}`);
    }
  }
};

describe.runIf(isWasmAvailable())('wasmFusedF32', () => {
  it('computes the chain tanh(x * 1.5 + 0.5) * sigmoid(x) exactly as the unfused kernels do', () => {
    const n = 1001;
    const x = new Float32Array(n).map((_, i) => (i - 500) / 60);
    const chain = mul(tanh(add(mul(input(0), constant(1.5)), constant(0.5))), sigmoid(input(0)));
    const out = new Float32Array(n);
    wasmFusedF32(chain, [x], out);
    sameBits(out, unfused(chain, [x], n));
  });

  it('matches the unfused kernels bit for bit on random expressions, lengths and broadcasts', () => {
    fc.assert(fc.property(exprArb, fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.nat(), (expr, n, scalarB, seed) => {
      const a = new Float32Array(n).map((_, i) => Math.sin(seed + i) * 3);
      const b = scalarB ? new Float32Array([Math.cos(seed) * 2]) : new Float32Array(n).map((_, i) => Math.cos(seed * 7 + i) * 2);
      const out = new Float32Array(n);
      wasmFusedF32(expr, [a, b], out);
      sameBits(out, unfused(expr, [a, b], n));
    }), { numRuns: 150 });
  });

  it('broadcasts one-element inputs, and uses out.length when no input is read', () => {
    const out = new Float32Array(5);
    wasmFusedF32(add(input(0), input(1)), [new Float32Array([1, 2, 3, 4, 5]), new Float32Array([10])], out);
    expect(Array.from(out)).toEqual([11, 12, 13, 14, 15]);
    wasmFusedF32(mul(constant(2), constant(3)), [], out);
    expect(Array.from(out)).toEqual([6, 6, 6, 6, 6]);
  });

  it('tells apart constants that JSON would not: NaN, ±Infinity, ±0', () => {
    const out = new Float32Array(4);
    const { div, constant: c } = fx;
    const vals = [NaN, Infinity, -Infinity, 0];
    for (const v of vals) {
      wasmFusedF32(add(input(0), c(v)), [new Float32Array(4)], out);
      expect(Object.is(out[0], v) || (Number.isNaN(out[0]) && Number.isNaN(v))).toBe(true);
    }
    wasmFusedF32(add(div(c(1), c(0)), div(c(1), c(-0))), [], out); // Infinity + -Infinity
    expect(out[0]).toBeNaN();
    wasmFusedF32(div(c(1), c(-0)), [], out);
    expect(out[0]).toBe(-Infinity);
  });

  it('names the problem with a malformed expression or mismatched inputs', () => {
    const out = new Float32Array(2);
    expect(() => wasmFusedF32({ kind: 'unary', op: 'cos' } as unknown as FusedExpr, [], out)).toThrow(/unknown unary op "cos"/);
    expect(() => wasmFusedF32(input(1), [new Float32Array(2)], out)).toThrow(/reads 2 inputs, got 1/);
    expect(() => wasmFusedF32(add(input(0), input(1)), [new Float32Array(2), new Float32Array(3)], out)).toThrow(/neither match/);
  });

  it.runIf(availableParallelism() > 1)('gives the same bits on worker threads', () => {
    expect(startWasmWorkers()).toBeGreaterThan(0);
    const before = wasmInfo().workerChunks;
    const x = new Float32Array(200_003).map((_, i) => Math.sin(i));
    const expr = mul(tanh(add(input(0), constant(0.25))), sigmoid(input(0)));
    const run = (threads: number) => {
      const prev = setWasmThreads(threads);
      try {
        const out = new Float32Array(x.length);
        wasmFusedF32(expr, [x], out);
        return out;
      } finally {
        setWasmThreads(prev);
      }
    };
    const one = run(1);
    // Every chunk left to the workers: they run some whatever the load (no race on who claims first).
    const claims = setCallerClaimsChunks(false);
    try {
      sameBits(run(2), one);
    } finally {
      setCallerClaimsChunks(claims);
    }
    expect(wasmInfo().workerChunks).toBeGreaterThan(before);
  });
});

describe.runIf(isWasmAvailable())('wasmFusedPreparedF32', () => {
  it('reads a periodic input again for every block of outputs, as the unfused kernels on the repeated row', () => {
    fc.assert(fc.property(exprArb, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 }), (expr, q, reps) => {
      const period = 4 * q, n = period * reps;
      const x = new Float32Array(n).map((_, i) => Math.sin(i * 0.7) * 2);
      const row = new Float32Array(period).map((_, i) => Math.cos(i) * 2);
      const repeated = new Float32Array(n).map((_, i) => row[i % period]!);
      const out = new Float32Array(n);
      wasmFusedPreparedF32([expr], [0, period], n)([x, row], [out]);
      sameBits(out, unfused(expr, [x, repeated], n));
    }), { numRuns: 60 });
  });
});

describe.runIf(isWasmAvailable())('wasmFusedPreparedF32 with a channel input', () => {
  it('broadcasts each value over `repeat` outputs, cycling, as the unfused kernels on the expanded input, on any thread', () => {
    fc.assert(fc.property(exprArb, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (expr, count, q, reps, threaded) => {
      const repeat = 4 * q, n = count * repeat * reps;
      const x = new Float32Array(n).map((_, i) => Math.sin(i * 0.7) * 2);
      const bias = new Float32Array(count).map((_, i) => Math.cos(i) * 2);
      const expanded = new Float32Array(n).map((_, i) => bias[Math.floor(i / repeat) % count]!);
      const out = new Float32Array(n);
      const kernel = wasmFusedPreparedF32([expr], [0, { count, repeat }], n);
      const prev = setWasmThreads(threaded && availableParallelism() > 1 ? 2 : 1);
      const claims = threaded && availableParallelism() > 1 ? (startWasmWorkers(), setCallerClaimsChunks(false)) : null;
      try {
        kernel([x, bias], [out]);
      } finally {
        if (claims !== null) setCallerClaimsChunks(claims);
        setWasmThreads(prev);
      }
      sameBits(out, unfused(expr, [x, expanded], n));
    }), { numRuns: 80, examples: [[add(input(0), input(1)), 32, 196, 64, true]] });
  });

  it('names a channel layout that does not tile the outputs', () => {
    const e = add(input(0), input(1));
    expect(() => wasmFusedPreparedF32([e], [0, { count: 3, repeat: 6 }], 36)).toThrow(/^wasmFusedPreparedF32: a channel input's repeat must be a multiple of 4, and count·repeat must divide 36, got 0, \{count: 3, repeat: 6\}$/);
    expect(() => wasmFusedPreparedF32([e], [0, { count: 3, repeat: 4 }], 16)).toThrow(/count·repeat must divide 16/);
  });
});

describe.runIf(isWasmAvailable())('wasmFusedPreparedF32 with flushSubnormals', () => {
  /** `x` with its subnormal values replaced by zeros of their sign. */
  const flushed = (x: Float32Array): Float32Array => x.map((v) => (v !== 0 && Math.abs(v) < 2 ** -126 ? (v < 0 ? -0 : 0) : v));
  /** Float32 values from every range: subnormals, the smallest normals, zeros, infinities, NaN, ordinary numbers. */
  const valueArb = fc.oneof(
    fc.float({ min: -(2 ** -126), max: 2 ** -126 }),
    fc.float({ min: Math.fround(2 ** -126), max: Math.fround(2 ** -120) }).chain((v) => fc.constantFrom(v, -v)),
    fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 2 ** -149, -(2 ** -149), Math.fround(2 ** -126 - 2 ** -149)),
    fc.float({ noNaN: true, min: -3, max: 3 }),
  );

  it('stores what the kernel without it stores, subnormals flushed to zeros of their sign', () => {
    fc.assert(fc.property(exprArb, fc.array(valueArb, { minLength: 1, maxLength: 40 }), fc.array(valueArb, { minLength: 1, maxLength: 40 }), (expr, as, bs) => {
      const n = Math.min(as.length, bs.length);
      const a = new Float32Array(as.slice(0, n)), b = new Float32Array(bs.slice(0, n));
      const [a0, b0] = [a.slice(), b.slice()];
      const plain = new Float32Array(n), ftz = new Float32Array(n);
      wasmFusedPreparedF32([expr], [0, 0], n)([a, b], [plain]);
      wasmFusedPreparedF32([expr], [0, 0], n, true)([a, b], [ftz]);
      sameBits(ftz, flushed(plain));
      sameBits(a, a0);
      sameBits(b, b0);
    }), { numRuns: 150 });
  });

  it('flushes a decaying value once it leaves the normal range, and keeps it zero', () => {
    const decay = wasmFusedPreparedF32([mul(input(0), constant(0.5))], [0], 4, true);
    let x = new Float32Array([2 ** -120, -(2 ** -120), 1, 2 ** -126]);
    for (let step = 0; step < 10; step++) {
      const out = new Float32Array(4);
      decay([x], [out]);
      x = out;
    }
    sameBits(x, new Float32Array([0, -0, 2 ** -10, 0]));
  });
});
