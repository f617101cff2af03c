/**
 * Fast float32 convolutions: im2col plus the packed WebAssembly SIMD GEMM,
 * for the three products of the convolution family. Images are split into
 * blocks of consecutive images, and per group `g` and block the patch
 * matrix is laid out tap-major, `cols[K, Nb·P]` with `K = C/G·kH·kW` taps,
 * `P = OH·OW` output positions and
 * `cols[(c, a, b), (n, p)] = x[n, gC/G + c, ih, iw]` (0 in the padding):
 * each row of it is shifted runs of image rows. With `Y_b[O/G, Nb·P]` the
 * block's outputs (its NCHW runs of `P` side by side):
 *
 * - conv:        `Y_b = W_g · cols`, copied out in runs of `P`;
 * - transpose:   `dcols = W_gᵀ · Y_b`, added back into x (col2im);
 * - weight grad: `W_gᵀ = Σ_b cols · Y_bᵀ`.
 *
 * Every block and group is one independent job of `withKernelMemory`,
 * shared by the threads: im2col and col2im (`wasm/kernels/conv.ts`), the
 * packing and the products all run in the kernel memory on both cores, and
 * the outputs come out in NCHW without a transpose. Sums run in float32
 * (like sgemm); the reference kernels (`cpu/conv.ts`, float64 sums) are what
 * these are tested against.
 */
import { allocateOverwritten, type DType, type Storage } from '../core/dtype.js';
import { type ArrayTensor, dimsOf, storageOf } from '../core/tensor.js';
import type { ConvGeometry } from '../shape/conv.js';
import { numElements } from '../shape/index.js';
import { type MultiplyJob, type PackJob, useWasm, withKernelMemory } from './accelerated.js';
import { convDims, type ConvDims, type ConvRole } from './cpu/conv.js';
import { CONV_GEOM_HEAD } from './wasm/kernels/conv.js';

/** Image blocks per group: jobs for the threads to share, and, for the weight gradient, partial sums to add. */
const BLOCKS = 8;

/** `[0, n)` in at most `BLOCKS` runs of consecutive images. */
function imageBlocks(n: number): [number, number][] {
  const size = Math.ceil(n / Math.min(n, BLOCKS));
  const out: [number, number][] = [];
  for (let lo = 0; lo < n; lo += size) out.push([lo, Math.min(n, lo + size)]);
  return out;
}

/** The output columns `[lo, hi)` of tap column `b` whose input column lies inside the image. */
function insideColumns(d: ConvDims, g: ConvGeometry, b: number): [number, number] {
  const off = b * g.dilation[1] - g.padding[1][0], sw = g.stride[1];
  const lo = Math.min(d.ow, Math.max(0, Math.ceil(-off / sw)));
  const hi = Math.max(lo, Math.min(d.ow, Math.floor((d.w - 1 - off) / sw) + 1));
  return [lo, hi];
}

/** The geometry table of the im2col and col2im kernels (`wasm/kernels/conv.ts`) at float offset `at`. */
function writeGeometry(d: ConvDims, g: ConvGeometry, mem: Float32Array, at: number): void {
  const words = new Int32Array(mem.buffer, mem.byteOffset + at * 4, CONV_GEOM_HEAD + 3 * d.kw);
  const taps = (d.c / g.groups) * d.kh * d.kw;
  words.set([d.c, d.h, d.w, d.oh, d.ow, g.stride[0], g.stride[1], d.kh, d.kw, g.dilation[0], g.padding[0][0], d.oh * d.ow, taps]);
  for (let b = 0; b < d.kw; b++) {
    const [lo, hi] = insideColumns(d, g, b);
    words.set([lo, hi, lo * g.stride[1] + b * g.dilation[1] - g.padding[1][0]], CONV_GEOM_HEAD + 3 * b);
  }
}

/** Copies the outputs of images `[n0, n1)`, group `gi`, from NCHW `y` to `[O/G, (n1 - n0)·P]` at `at` (runs of `P`). */
function outputsIn(y: Float32Array, d: ConvDims, og: number, gi: number, n0: number, n1: number, mem: Float32Array, at: number): void {
  const p = d.oh * d.ow, bc = (n1 - n0) * p;
  for (let n = n0; n < n1; n++) {
    for (let o = 0; o < og; o++) {
      const src = (n * d.o + gi * og + o) * p;
      mem.set(y.subarray(src, src + p), at + o * bc + (n - n0) * p);
    }
  }
}

/**
 * The output of `role` by im2col + GEMM, or `null` where it does not apply (not float32, or too small to pay).
 *
 * @example
 * ```ts
 * import { convReferenceKernel } from './cpu/conv.js';
 * convFastKernel('conv', x, w, g, [64, 32, 28, 28], 'float32') ?? convReferenceKernel('conv', x, w, g, [64, 32, 28, 28], 'float32');
 * ```
 */
export function convFastKernel(
  role: ConvRole,
  a: ArrayTensor<unknown, DType>,
  b: ArrayTensor<unknown, DType>,
  g: ConvGeometry,
  outShape: readonly number[],
  outDType: DType,
): Storage | null {
  if (outDType !== 'float32' || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const d = convDims(role, dimsOf(a), dimsOf(b), outShape, g.groups);
  const groups = g.groups, cg = d.c / groups, og = d.o / groups;
  const k = cg * d.kh * d.kw, p = d.oh * d.ow;
  if (d.n * p === 0 || k === 0 || og === 0 || !useWasm('matmul', d.n * p * k * og)) return null;
  // Every element of a conv or transpose output is written below; the weight gradient accumulates into zeros.
  const out = role === 'weightGrad' ? new Float32Array(numElements(outShape)) : allocateOverwritten(numElements(outShape));
  const as = storageOf(a) as Float32Array, bs = storageOf(b) as Float32Array;
  const blocks = imageBlocks(d.n);
  withKernelMemory((km) => {
    const packs: PackJob[] = [], jobs: MultiplyJob[] = [];
    // Per job: its group, images, and where its patch matrix (or image gradient) and output lie.
    const parts: { gi: number; n0: number; n1: number; cols: number; y: number; c: number; ldc: number }[] = [];
    const w = role === 'weightGrad' ? -1 : km.alloc(d.o * k);
    const geom = km.alloc(CONV_GEOM_HEAD + 3 * d.kw), x = km.alloc(d.n * d.c * d.h * d.w);
    for (let gi = 0; gi < groups; gi++) {
      for (const [n0, n1] of blocks) {
        const bc = (n1 - n0) * p;
        if (role === 'conv') {
          // Y_b[Og, bc] = W_g[Og, K] · cols[K, bc]
          const cols = km.alloc(k * bc), bp = km.alloc(km.packedSize(k, bc)), c = km.alloc(km.cRows(og) * km.cStride(bc));
          packs.push({ src: cols, dst: bp, k, n: bc });
          jobs.push({ a: w + gi * og * k, lda: k, csa: 1, bp, c, m: og, k, n: bc });
          parts.push({ gi, n0, n1, cols, y: -1, c, ldc: km.cStride(bc) });
        } else if (role === 'transpose') {
          // dcols[K, bc] = W_gᵀ[K, Og] · Y_b[Og, bc]
          const yb = km.alloc(og * bc), bp = km.alloc(km.packedSize(og, bc)), c = km.alloc(km.cRows(k) * km.cStride(bc));
          packs.push({ src: yb, dst: bp, k: og, n: bc });
          jobs.push({ a: w + gi * og * k, lda: 1, csa: k, bp, c, m: k, k: og, n: bc });
          parts.push({ gi, n0, n1, cols: -1, y: yb, c, ldc: km.cStride(bc) });
        } else {
          // W_gᵀ[K, Og] += cols[K, bc] · Y_bᵀ[bc, Og] (packing Y_b, the smaller operand)
          const cols = km.alloc(k * bc), yb = km.alloc(og * bc), bp = km.alloc(km.packedSize(bc, og)), c = km.alloc(km.cRows(k) * km.cStride(og));
          packs.push({ src: yb, dst: bp, k: bc, n: og, trans: true });
          jobs.push({ a: cols, lda: bc, csa: 1, bp, c, m: k, k: bc, n: og });
          parts.push({ gi, n0, n1, cols, y: yb, c, ldc: km.cStride(og) });
        }
      }
    }
    const mem = km.f32();
    if (w >= 0) mem.set(bs, w);
    writeGeometry(d, g, mem, geom);
    // The image: the input to cut patches from, or the gradient that col2im adds into.
    if (role === 'transpose') mem.fill(0, x, x + d.n * d.c * d.h * d.w);
    else mem.set(as, x);
    const patchArgs = (at: number, ld: number, part: (typeof parts)[number]) => [geom * 4, x * 4, at * 4, part.gi * cg, part.n0, part.n1, ld];
    if (role !== 'transpose') km.patches('conv_im2col', parts.map((q) => patchArgs(q.cols, (q.n1 - q.n0) * p, q)), d.n * p * k * groups);
    for (const q of parts) if (q.y >= 0) outputsIn(role === 'transpose' ? as : bs, d, og, q.gi, q.n0, q.n1, mem, q.y);
    km.pack(packs);
    km.multiply(jobs);
    if (role === 'transpose') km.patches('conv_col2im', parts.map((q) => patchArgs(q.c, q.ldc, q)), d.n * p * k * groups);
    const res = km.f32();
    if (role === 'transpose') out.set(res.subarray(x, x + out.length));
    for (const { gi, n0, n1, c, ldc } of parts) {
      if (role === 'conv') {
        for (let n = n0; n < n1; n++) {
          for (let o = 0; o < og; o++) {
            const src = c + o * ldc + (n - n0) * p;
            out.set(res.subarray(src, src + p), (n * d.o + gi * og + o) * p);
          }
        }
      } else if (role === 'weightGrad') {
        for (let o = 0; o < og; o++) {
          const dst = (gi * og + o) * k;
          for (let t = 0, src = c + o; t < k; t++, src += ldc) out[dst + t] += res[src]!;
        }
      }
    }
  });
  return out;
}
