/**
 * Max pooling's WebAssembly loops against the TypeScript references: the
 * argmax of 2x2 windows (`cpu/conv.ts`) and the values at it, and the gather and scatter-add of
 * `cpu/gather.ts`, on one thread and with every chunk left to the workers,
 * over NaN, signed zeros, ties and infinities; inputs are never written.
 */
import fc from 'fast-check';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  isWasmAvailable, residentF32, setCallerClaimsChunks, setWasmThreads, startWasmWorkers, wasmGatherF32, wasmPoolArgmax2F32, wasmPoolMax2F32, wasmScatterAddBlocksF32, wasmScatterAddF32,
} from '../../src/backend/wasm/index.js';
import { poolArgmaxKernel } from '../../src/backend/cpu/conv.js';
import { fromStorage } from '../../src/core/tensor.js';

const valueArb = fc.oneof(fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1, -1, 2), fc.float({ noNaN: true, min: -4, max: 4 }));

/** Runs `f` on one thread, then (workers started) on two with every chunk left to the workers. */
function oneThenWorkers<T>(f: () => T): [T, T] {
  const before = setWasmThreads(1);
  try {
    const one = f();
    if (availableParallelism() < 2) return [one, one];
    startWasmWorkers();
    setWasmThreads(2);
    const claims = setCallerClaimsChunks(false);
    try {
      return [one, f()];
    } finally {
      setCallerClaimsChunks(claims);
    }
  } finally {
    setWasmThreads(before);
  }
}

/** The argmax of the reference loop for 2x2 windows at strides (sh, 2). */
function argmaxRef(x: Float32Array, planes: number, h: number, w: number, oh: number, ow: number, sh: number): Int32Array {
  const g = { stride: [sh, 2] as [number, number], padding: [[0, 0], [0, 0]] as [[number, number], [number, number]], dilation: [1, 1] as [number, number] };
  return poolArgmaxKernel(fromStorage(x, [1, planes, h, w], 'float32'), [2, 2], g, [1, planes, oh, ow]);
}

describe.runIf(isWasmAvailable())('max pooling kernels', () => {
  it('wasmPoolArgmax2F32 picks the reference index (first maximum, NaN first) in every window, on any thread', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 3 }), fc.array(valueArb, { minLength: 1, maxLength: 40 }),
      (planes, h, w, sh, values) => {
        const oh = Math.floor((h - 2) / sh) + 1, ow = Math.floor((w - 2) / 2) + 1;
        const x = Float32Array.from({ length: planes * h * w }, (_, i) => values[(i * 13 + (i >> 3)) % values.length]!);
        const copy = x.slice();
        const want = argmaxRef(x, planes, h, w, oh, ow, sh);
        const [one, two] = oneThenWorkers(() => {
          const out = new Int32Array(planes * oh * ow + 1).fill(-7);
          wasmPoolArgmax2F32(x, out, planes, h, w, oh, ow, sh);
          return out;
        });
        for (const out of [one, two]) {
          expect(out.subarray(0, want.length)).toEqual(want);
          expect(out[want.length]).toBe(-7); // nothing written past the output
        }
        // The values kernel: the value at the reference's index, bit for bit (the first NaN's, -0 where -0 came first).
        const [vOne, vTwo] = oneThenWorkers(() => {
          const out = new Float32Array(planes * oh * ow);
          wasmPoolMax2F32(x, out, planes, h, w, oh, ow, sh);
          return out;
        });
        const wantValues = Float32Array.from(want, (j) => x[j]!);
        for (const out of [vOne, vTwo]) expect(new Int32Array(out.buffer)).toEqual(new Int32Array(wantValues.buffer));
        expect(x).toEqual(copy);
      },
    ), { numRuns: 120, examples: [[64, 28, 28, 2, [1, 2, 3, 3]], [3, 2, 9, 1, [NaN, -0, 0]]] });
  });

  it('wasmPoolArgmax2F32 gives the reference indices for arrays in kernel memory (resident input and output)', () => {
    const planes = 6, h = 10, w = 12, oh = 5, ow = 6;
    const x = residentF32(planes * h * w);
    x.forEach((_, i) => { x[i] = Math.sin(i * 0.37); });
    const bits = residentF32(planes * oh * ow);
    const out = new Int32Array(bits.buffer, bits.byteOffset, bits.length);
    wasmPoolArgmax2F32(x, out, planes, h, w, oh, ow, 2);
    expect(out).toEqual(argmaxRef(x, planes, h, w, oh, ow, 2));
  });

  it('wasmGatherF32 and wasmScatterAddF32 give the reference values (duplicates added in order), on any thread', () => {
    fc.assert(fc.property(fc.array(valueArb, { minLength: 1, maxLength: 300 }), fc.array(fc.nat(), { minLength: 0, maxLength: 3000 }), (values, raw) => {
      const x = Float32Array.from(values);
      const idx = Int32Array.from(raw, (r) => r % x.length);
      const u = Float32Array.from(raw, (r, i) => ((r + i) % 9) - 4 + 0.125);
      const [xCopy, idxCopy, uCopy] = [x.slice(), idx.slice(), u.slice()];
      const gathered = oneThenWorkers(() => {
        const out = new Float32Array(idx.length);
        wasmGatherF32(x, idx, out);
        return out;
      });
      for (const out of gathered) out.forEach((v, i) => expect(Object.is(v, x[idx[i]!]) || (Number.isNaN(v) && Number.isNaN(x[idx[i]!]!))).toBe(true));
      const want = new Float32Array(x.length);
      idx.forEach((j, i) => { want[j]! += u[i]!; });
      const out = new Float32Array(x.length).fill(99);
      wasmScatterAddF32(u, idx, out);
      expect(out).toEqual(want);
      expect([x, idx, u]).toEqual([xCopy, idxCopy, uCopy]);
    }), { numRuns: 100 });
  });

  it('wasmScatterAddF32 gives the reference sums when the threads split the output (duplicates across the split)', () => {
    const n = 70_001, m = 150_000;
    const idx = Int32Array.from({ length: m }, (_, i) => (i * 7919 + (i >> 3) * 104_729) % n);
    const u = Float32Array.from({ length: m }, (_, i) => Math.sin(i) * 3);
    const want = new Float32Array(n);
    idx.forEach((j, i) => { want[j]! += u[i]!; });
    const [one, two] = oneThenWorkers(() => {
      const out = new Float32Array(n).fill(7);
      wasmScatterAddF32(u, idx, out);
      return out;
    });
    expect(one).toEqual(want);
    expect(two).toEqual(want);
  });

  it('wasmScatterAddBlocksF32 gives the reference sums when each block of updates lands in its own block of the output', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 30 }), fc.nat(), (blocks, nb, mb, seed) => {
      const m = blocks * mb, n = blocks * nb;
      const idx = Int32Array.from({ length: m }, (_, i) => Math.floor(i / mb) * nb + ((i * 31 + seed) % nb));
      const u = Float32Array.from({ length: m }, (_, i) => Math.sin(i + seed) * 2);
      const want = new Float32Array(n);
      idx.forEach((j, i) => { want[j]! += u[i]!; });
      const [one, two] = oneThenWorkers(() => {
        const out = new Float32Array(n).fill(5);
        wasmScatterAddBlocksF32(u, idx, out, blocks);
        return out;
      });
      expect(one).toEqual(want);
      expect(two).toEqual(want);
    }), { numRuns: 60, examples: [[4096, 196, 49, 3]] });
    expect(() => wasmScatterAddBlocksF32(new Float32Array(3), new Int32Array(3), new Float32Array(4), 2)).toThrow(/^wasmScatterAddBlocksF32: 3 updates and 4 outputs do not split into 2 blocks$/);
  });

  it('names the kernel, the index and the range for an index outside the array, and reads nothing', () => {
    const out = new Float32Array(2);
    expect(() => wasmGatherF32(new Float32Array(3), new Int32Array([0, 3]), out)).toThrow(/^wasmGatherF32: index 3 at position 1 is outside \[0, 3\)$/);
    expect(() => wasmGatherF32(new Float32Array(3), new Int32Array([-1, 0]), out)).toThrow(/^wasmGatherF32: index -1 at position 0/);
    expect(() => wasmScatterAddF32(new Float32Array(2), new Int32Array([1, 5]), new Float32Array(4))).toThrow(/^wasmScatterAddF32: index 5 at position 1 is outside \[0, 4\)$/);
    expect(() => wasmPoolArgmax2F32(new Float32Array(16), new Int32Array(9), 1, 4, 4, 3, 2, 1)).not.toThrow();
    expect(() => wasmPoolArgmax2F32(new Float32Array(16), new Int32Array(9), 1, 4, 4, 3, 3, 1)).toThrow(/^wasmPoolArgmax2F32: 3x3 windows at row stride 1 do not fit a 4x4 plane$/);
  });
});
