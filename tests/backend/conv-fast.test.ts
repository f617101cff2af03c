/**
 * The im2col + WebAssembly GEMM convolutions against the float64
 * reference kernels, for all three products (forward, input gradient,
 * weight gradient), on random geometries: odd sizes, strides, asymmetric
 * padding, dilation, groups and size-1 dims. Float32 sums differ from the
 * float64 reference by rounding only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convFastKernel } from '../../src/backend/conv-fast.js';
import { convReferenceKernel, type ConvRole } from '../../src/backend/cpu/conv.js';
import { fromStorage } from '../../src/core/tensor.js';
import { convDim, type ConvGeometry } from '../../src/shape/conv.js';
import { wasmEnabled } from '../../src/backend/accelerated.js';
import { startWasmWorkers } from '../../src/backend/wasm/index.js';

const problem = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }), groups: fc.integer({ min: 1, max: 3 }), cg: fc.integer({ min: 1, max: 4 }), og: fc.integer({ min: 1, max: 5 }),
    kh: fc.integer({ min: 1, max: 4 }), kw: fc.integer({ min: 1, max: 3 }), sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 2 }),
    dh: fc.integer({ min: 1, max: 2 }), dw: fc.integer({ min: 1, max: 3 }), ph: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    pw: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 })), h: fc.integer({ min: 1, max: 11 }), w: fc.integer({ min: 1, max: 9 }),
    seed: fc.integer({ min: 1, max: 1e6 }),
  })
  .map((r) => {
    const oh = convDim(r.h, r.kh, r.sh, r.ph, r.dh), ow = convDim(r.w, r.kw, r.sw, r.pw, r.dw);
    return { ...r, oh, ow, geometry: { stride: [r.sh, r.sw], padding: [r.ph, r.pw], dilation: [r.dh, r.dw], groups: r.groups } as ConvGeometry };
  })
  // Big enough for the fast path (the wasm matmul threshold, 1024 multiply-adds).
  .filter((r) => r.oh > 0 && r.ow > 0 && r.n * r.oh * r.ow * r.cg * r.kh * r.kw * r.og >= 1024);

function random(shape: number[], seed: number) {
  let s = seed;
  const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 1073741824 - 1;
  });
  return fromStorage(data, shape, 'float32');
}

/** Each role's operand and output shapes. */
function shapes(role: ConvRole, r: { n: number; groups: number; cg: number; og: number; h: number; w: number; kh: number; kw: number; oh: number; ow: number }) {
  const x = [r.n, r.cg * r.groups, r.h, r.w], w = [r.og * r.groups, r.cg, r.kh, r.kw], y = [r.n, r.og * r.groups, r.oh, r.ow];
  return role === 'conv' ? [x, w, y] : role === 'transpose' ? [y, w, x] : [x, y, w];
}

describe.skipIf(!wasmEnabled())('fast conv kernels equal the reference', () => {
  it.each<ConvRole>(['conv', 'transpose', 'weightGrad'])('%s, batches of 9 to 20 images (several images per block, on the worker threads)', (role) => {
    startWasmWorkers();
    fc.assert(
      fc.property(problem, fc.integer({ min: 9, max: 20 }), (r0, n) => {
        const r = { ...r0, n };
        const [sa, sb, so] = shapes(role, r);
        const a = random(sa!, r.seed), b = random(sb!, r.seed + 1);
        const fast = convFastKernel(role, a, b, r.geometry, so!, 'float32');
        const ref = convReferenceKernel(role, a, b, r.geometry, so!, 'float64' as never);
        for (let i = 0; i < ref.length; i++) if (Math.abs(fast![i]! - ref[i]!) > 1e-4 * (1 + Math.abs(ref[i]!))) expect.fail(`${role} [${i}]: ${fast![i]} vs ${ref[i]}`);
      }),
      { numRuns: 10, seed: 11 },
    );
    // And one problem big enough for every step to split between the threads, with several images per job
    // (the forward product packs its weights once per job).
    const r = { n: 37, groups: 2, cg: 4, og: 8, h: 12, w: 11, kh: 3, kw: 3, oh: 12, ow: 11 };
    const geometry: ConvGeometry = { stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 2 };
    const [sa, sb, so] = shapes(role, r);
    const a = random(sa!, 5), b = random(sb!, 6);
    const fast = convFastKernel(role, a, b, geometry, so!, 'float32');
    const ref = convReferenceKernel(role, a, b, geometry, so!, 'float64' as never);
    for (let i = 0; i < ref.length; i++) if (Math.abs(fast![i]! - ref[i]!) > 1e-4 * (1 + Math.abs(ref[i]!))) expect.fail(`${role} [${i}]: ${fast![i]} vs ${ref[i]}`);
  });

  it.each<ConvRole>(['conv', 'transpose', 'weightGrad'])('%s', (role) => {
    let ran = 0;
    fc.assert(
      fc.property(problem, (r) => {
        const x = [r.n, r.cg * r.groups, r.h, r.w], w = [r.og * r.groups, r.cg, r.kh, r.kw], y = [r.n, r.og * r.groups, r.oh, r.ow];
        const [sa, sb, so] = role === 'conv' ? [x, w, y] : role === 'transpose' ? [y, w, x] : [x, y, w];
        const a = random(sa, r.seed), b = random(sb, r.seed + 1);
        const before = [Array.from(a.toTypedArray()), Array.from(b.toTypedArray())];
        const fast = convFastKernel(role, a, b, r.geometry, so, 'float32');
        expect(fast).not.toBeNull();
        ran++;
        const ref = convReferenceKernel(role, a, b, r.geometry, so, 'float64' as never);
        // float32 sums of at most a few hundred products of values in [-1, 1]
        for (let i = 0; i < ref.length; i++) if (Math.abs(fast![i]! - ref[i]!) > 1e-4) expect.fail(`${role} [${i}]: ${fast![i]} vs ${ref[i]}`);
        expect([Array.from(a.toTypedArray()), Array.from(b.toTypedArray())]).toEqual(before);
      }),
      { numRuns: 40, seed: 7 },
    );
    expect(ran).toBe(40);
  });
});
