/**
 * The matrix-product kernel: `C = A · B` for row-major `[..., M, K]` and
 * `[..., K, N]` operands, looping over broadcast batch offsets.
 *
 * Floats accumulate in float64: every path adds into a Float64Array (the
 * output itself for float64, a scratch array rounded once into the output for
 * float32). Products of float32 values are exact in float64, so a float32
 * result is the float64 sum rounded once. Accumulating in float32 instead
 * (`Math.fround` after every add) measured 2.8 against 4.7 GFLOP/s at
 * n = 480..960 in the blocked kernel below, and is less accurate.
 * int32 (and bool, promoted to int32) is computed exactly modulo 2^32, as
 * NumPy's int32 matmul is: `Math.imul` products, sums wrapped by Int32Array.
 *
 * Float paths, chosen from M, K, N:
 * - N = 1: one dot product per row of A (`matvec`), stored straight into the output.
 * - M = 1, or little work, or too narrow for a tile: `rowAxpy`, C row +=
 *   A[i,p] · B row p, four values of p at a time, stride-1 inner loop, no
 *   packing.
 * - otherwise `blocked`: GotoBLAS-style. B is packed per KC x NC panel into
 *   NR-column slivers, A per MC x KC block into MR-row slivers (both as
 *   float64, zero-padded to whole slivers), and a 2x4 micro-kernel keeps its
 *   8 sums in locals over the panel's K. 2x4 beat 4x4, 4x2, 3x4, 4x8 and
 *   2x8 here: more accumulators than x64's 16 float registers spill.
 */
import { matmulF32, outerF32, useWasm } from '../accelerated.js';
import { allocate, allocateOverwritten, type DType, type Storage } from '../../core/dtype.js';
import { type ArrayTensor, dimsOf, storageOf } from '../../core/tensor.js';
import { broadcastStrides } from './elementwise.js';
import { numElements } from '../../shape/index.js';

/** Rows of A and columns of B per micro-kernel tile. */
const MR = 2;
const NR = 4;
/** Block sizes of the packed panels: a KC x NC panel of B (1 MiB of float64), an MC x KC block of A (128 KiB). */
const MC = 64;
const KC = 256;
const NC = 512;
/** Below this many multiply-adds, packing costs more than it saves (the crossover measured near 12^3). */
const SMALL = 16 * 16 * 16;


/** Packing buffers of the blocked kernel, sized once per call. */
interface Panels {
  readonly a: Float64Array;
  readonly b: Float64Array;
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

function panelsFor(m: number, k: number, n: number): Panels {
  const kc = Math.min(KC, k);
  return { a: new Float64Array(roundUp(Math.min(MC, m), MR) * kc), b: new Float64Array(kc * roundUp(Math.min(NC, n), NR)) };
}

function useBlocked(m: number, k: number, n: number): boolean {
  return m >= 2 * MR && n >= 2 * NR && m * k * n >= SMALL;
}

/**
 * `C[M,N] += A[M,K] · B[K,N]` in float64; `a`, `b` and `c` are row-major
 * from offsets `ao`, `bo`, `co`. `panels` is needed when `useBlocked(m, k, n)`.
 */
export function gemm(m: number, k: number, n: number, a: Storage, ao: number, b: Storage, bo: number, c: Float64Array, co: number, panels: Panels | null): void {
  if (m === 0 || n === 0 || k === 0) return;
  if (panels !== null && useBlocked(m, k, n)) blocked(m, k, n, a, ao, b, bo, c, co, panels);
  else rowAxpy(m, k, n, a, ao, b, bo, c, co);
}

/**
 * `c[i] = Σ_p A[i,p] b[p]` (N = 1), four partial sums per row. Each output
 * is stored once, so a float32 `c` is rounded once, from the float64 sum.
 */
export function matvec(m: number, k: number, a: Storage, ao: number, b: Storage, bo: number, c: Float32Array | Float64Array, co: number): void {
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++) {
    const ai = ao + i * k;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let p = 0;
    for (; p < k4; p += 4) {
      s0 += a[ai + p]! * b[bo + p]!;
      s1 += a[ai + p + 1]! * b[bo + p + 1]!;
      s2 += a[ai + p + 2]! * b[bo + p + 2]!;
      s3 += a[ai + p + 3]! * b[bo + p + 3]!;
    }
    for (; p < k; p++) s0 += a[ai + p]! * b[bo + p]!;
    c[co + i] = s0 + s1 + s2 + s3;
  }
}

/** `C row i += Σ_p A[i,p] · B row p`, in i-p-j order, four rows of B per pass over the C row. */
function rowAxpy(m: number, k: number, n: number, a: Storage, ao: number, b: Storage, bo: number, c: Float64Array, co: number): void {
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++) {
    const ai = ao + i * k;
    const ci = co + i * n;
    let p = 0;
    for (; p < k4; p += 4) {
      const a0 = a[ai + p]!, a1 = a[ai + p + 1]!, a2 = a[ai + p + 2]!, a3 = a[ai + p + 3]!;
      const b0 = bo + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!;
    }
    for (; p < k; p++) {
      const a0 = a[ai + p]!;
      const b0 = bo + p * n;
      for (let j = 0; j < n; j++) c[ci + j] += a0 * b[b0 + j]!;
    }
  }
}

/** Cache- and register-blocked product (see the module comment). */
function blocked(m: number, k: number, n: number, a: Storage, ao: number, b: Storage, bo: number, c: Float64Array, co: number, panels: Panels): void {
  const ap = panels.a, bp = panels.b;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      packB(b, bo + p0 * n + j0, n, kc, nc, bp);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = Math.min(MC, m - i0);
        packA(a, ao + i0 * k + p0, k, mc, kc, ap);
        for (let js = 0; js < nc; js += NR) {
          const w = Math.min(NR, nc - js);
          for (let is = 0; is < mc; is += MR) {
            micro2x4(kc, ap, is * kc, bp, js * kc, c, co + (i0 + is) * n + j0 + js, n, Math.min(MR, mc - is), w);
          }
        }
      }
    }
  }
}

/** Packs B[0..kc, 0..nc] (row stride `ldb`) into NR-wide slivers: `bp[js*kc + p*NR + q] = B[p, js+q]`, 0 past `nc`. */
function packB(b: Storage, bo: number, ldb: number, kc: number, nc: number, bp: Float64Array): void {
  for (let js = 0; js < nc; js += NR) {
    const w = nc - js;
    let d = js * kc;
    let s = bo + js;
    if (w >= NR) {
      for (let p = 0; p < kc; p++, d += NR, s += ldb) {
        bp[d] = b[s]!;
        bp[d + 1] = b[s + 1]!;
        bp[d + 2] = b[s + 2]!;
        bp[d + 3] = b[s + 3]!;
      }
    } else {
      for (let p = 0; p < kc; p++, d += NR, s += ldb) {
        for (let q = 0; q < NR; q++) bp[d + q] = q < w ? b[s + q]! : 0;
      }
    }
  }
}

/** Packs A[0..mc, 0..kc] (row stride `lda`) into MR-tall slivers: `ap[is*kc + p*MR + r] = A[is+r, p]`, 0 past `mc`. */
function packA(a: Storage, ao: number, lda: number, mc: number, kc: number, ap: Float64Array): void {
  for (let is = 0; is < mc; is += MR) {
    const base = is * kc;
    const r0 = ao + is * lda;
    if (is + 1 < mc) {
      const r1 = r0 + lda;
      for (let p = 0, d = base; p < kc; p++, d += MR) {
        ap[d] = a[r0 + p]!;
        ap[d + 1] = a[r1 + p]!;
      }
    } else {
      for (let p = 0, d = base; p < kc; p++, d += MR) {
        ap[d] = a[r0 + p]!;
        ap[d + 1] = 0;
      }
    }
  }
}

/**
 * The 2x4 tile `C[0..h, 0..w] += Apack · Bpack` over `kc` steps, sums in
 * locals; `h <= 2`, `w <= 4` (the padded rest is computed, not stored).
 */
function micro2x4(kc: number, ap: Float64Array, ai: number, bp: Float64Array, bi: number, c: Float64Array, co: number, ldc: number, h: number, w: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  // One induction variable, not a separate counter: measured 10% faster.
  for (const end = ai + MR * kc; ai < end; ai += MR, bi += NR) {
    const a0 = ap[ai]!, a1 = ap[ai + 1]!;
    const b0 = bp[bi]!, b1 = bp[bi + 1]!, b2 = bp[bi + 2]!, b3 = bp[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
  }
  if (h === MR && w === NR) {
    c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03;
    co += ldc;
    c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13;
    return;
  }
  c[co] += c00;
  if (w > 1) c[co + 1] += c01;
  if (w > 2) c[co + 2] += c02;
  if (w > 3) c[co + 3] += c03;
  if (h < 2) return;
  co += ldc;
  c[co] += c10;
  if (w > 1) c[co + 1] += c11;
  if (w > 2) c[co + 2] += c12;
  if (w > 3) c[co + 3] += c13;
}

/** `C[M,N] += A[M,K] · B[K,N]` exactly modulo 2^32 (int32 or bool inputs). */
export function gemmInt32(m: number, k: number, n: number, a: Storage, ao: number, b: Storage, bo: number, c: Int32Array, co: number): void {
  for (let i = 0; i < m; i++) {
    const ai = ao + i * k;
    const ci = co + i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[ai + p]!;
      const bp = bo + p * n;
      // The sum of two int32 values is exact in a double; the store wraps it.
      for (let j = 0; j < n; j++) c[ci + j] += Math.imul(aip, b[bp + j]!);
    }
  }
}

/**
 * The matmul kernel: `out[..., M, N] = a[..., M, K] · b[..., K, N]`, batch
 * dims broadcast to `outShape`'s. When only `a` has batch dims they fold into
 * M: one `[batch*M, K] x [K, N]` product.
 */
/** `C[i, j] = A[i, 0] B[0, j]`: each product rounded once to the output's dtype. */
function outer(m: number, n: number, a: Storage, ao: number, b: Storage, bo: number, out: Float32Array | Float64Array, oo: number): void {
  for (let i = 0; i < m; i++) {
    const ai = a[ao + i]!;
    const row = oo + i * n;
    for (let j = 0; j < n; j++) out[row + j] = ai * b[bo + j]! + 0; // + 0: a sum from +0, as the other paths give (no -0)
  }
}

export function matmulKernel(a: ArrayTensor<unknown, DType>, b: ArrayTensor<unknown, DType>, outShape: readonly number[], outDType: DType): Storage {
  const size = numElements(outShape);
  if (size === 0) return allocate(outDType, 0);
  const as = dimsOf(a), bs = dimsOf(b);
  const m = as[as.length - 2]!, k = as[as.length - 1]!, n = bs[bs.length - 1]!;
  const ad = storageOf(a), bd = storageOf(b);
  const batch = outShape.slice(0, -2);
  const nb = numElements(batch);
  const aBatch = as.slice(0, -2), bBatch = bs.slice(0, -2);
  const fold = numElements(bBatch) === 1 && numElements(aBatch) === nb;
  const rows = fold ? nb * m : m;
  const count = fold ? 1 : nb;

  const int = outDType === 'int32';
  // K = 1 is an outer product (per-example gradients of a linear layer): one product per output, no sums.
  const outerProduct = !int && k === 1;
  // Large float32 outer products: the WebAssembly kernel (bit-identical to `outer`, written at memory speed).
  // Equal batch dims (nothing broadcast): one call for the whole batch, so small products pay one call between them.
  const together = count > 1 && numElements(aBatch) === nb && numElements(bBatch) === nb;
  const wasmOuter = outerProduct && outDType === 'float32' && a.dtype === 'float32' && b.dtype === 'float32' && useWasm('outer', (together ? count : 1) * rows * n, 4 * (count * (rows + n)) + 2 ** 20);
  const wasm = !outerProduct && outDType === 'float32' && a.dtype === 'float32' && b.dtype === 'float32' && useWasm('matmul', rows * k * n, 4 * (rows * k + 2 * k * n + 3 * rows * n) + 2 ** 26);
  // Outer products and the wasm kernel store every output element: no need to zero it first.
  const out = outDType === 'float32' && (wasm || outerProduct) ? allocateOverwritten(size) : allocate(outDType, size);
  // Float32 results are summed in a float64 scratch, then rounded once; N = 1 and K = 1 need none.
  const acc = wasm || int || outerProduct || outDType === 'float64' || n === 1 ? out : new Float64Array(out.length);
  const panels = !wasm && !int && useBlocked(rows, k, n) ? panelsFor(rows, k, n) : null;
  if (wasmOuter && together) {
    outerF32(ad.subarray(0, count * m) as Float32Array, bd.subarray(0, count * n) as Float32Array, out as Float32Array, count);
    return out;
  }
  const aStr = broadcastStrides(aBatch, batch), bStr = broadcastStrides(bBatch, batch);
  for (let t = 0; t < count; t++) {
    // Offsets of batch entry t: its index, digit by digit, times each operand's strides.
    let ao = 0, bo = 0;
    for (let d = batch.length - 1, rest = t; d >= 0; d--) {
      const i = rest % batch[d]!;
      rest = (rest - i) / batch[d]!;
      ao += i * aStr[d]!;
      bo += i * bStr[d]!;
    }
    ao *= m * k;
    bo *= k * n;
    if (wasm) {
      // Large float32 products: the WebAssembly SIMD kernel (float32 sums, like sgemm).
      const o = t * m * n;
      matmulF32(ad.subarray(ao, ao + rows * k) as Float32Array, bd.subarray(bo, bo + k * n) as Float32Array, rows, k, n, (out as Float32Array).subarray(o, o + rows * n));
    } else if (int) gemmInt32(rows, k, n, ad, ao, bd, bo, acc as Int32Array, t * m * n);
    else if (wasmOuter) outerF32(ad.subarray(ao, ao + rows) as Float32Array, bd.subarray(bo, bo + n) as Float32Array, (out as Float32Array).subarray(t * m * n, t * m * n + rows * n));
    else if (outerProduct) outer(rows, n, ad, ao, bd, bo, acc as Float32Array | Float64Array, t * m * n);
    else if (n === 1) matvec(rows, k, ad, ao, bd, bo, acc as Float32Array | Float64Array, t * m);
    else gemm(rows, k, n, ad, ao, bd, bo, acc as Float64Array, t * m * n, panels);
  }
  if (acc !== out) out.set(acc);
  return out;
}
