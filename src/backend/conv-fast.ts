/**
 * Fast float32 convolutions: im2col plus the packed WebAssembly SIMD GEMM,
 * for the three products of the convolution family, image by image. For
 * image `n` and group `g` the patch matrix is laid out tap-major,
 * `cols[K, P]` with `K = C/G·kH·kW` taps, `P = OH·OW` output positions and
 * `cols[(c, a, b), p] = x[n, gC/G + c, ih, iw]` (0 in the padding): each
 * row of it is shifted runs of image rows. With `Y_n[O/G, P]` the image's
 * outputs of the group (a run of its NCHW planes):
 *
 * - conv:        `Y_n = W_g · cols`, copied into the output's planes;
 * - transpose:   `dcols = W_gᵀ · Y_n`, added back into x (col2im);
 * - weight grad: `W_gᵀ = Σ_n cols · Y_nᵀ`.
 *
 * One wasm call (`conv_fwd`, `conv_bwd_input`, `conv_bwd_weight` in
 * `wasm/kernels/conv.ts`) does an image's whole chain, patches to output,
 * in its thread's scratch, so the patches and their packed copy stay in
 * that core's cache; the threads share the images. `Y_n` is read where it
 * lies (NCHW), and outputs are written in NCHW where they lie when they are
 * kernel memory (a compiled program's buffers). The weight gradient sums
 * over fixed blocks of images, then adds the blocks in order, so the
 * threads never change its bits. Sums run in float32 (like sgemm); the
 * reference kernels (`cpu/conv.ts`, float64 sums) are what these are
 * tested against.
 */
import { allocateOverwritten, type DType, type Storage } from '../core/dtype.js';
import { type ArrayTensor, dimsOf, storageOf } from '../core/tensor.js';
import type { ConvGeometry } from '../shape/conv.js';
import { numElements } from '../shape/index.js';
import { useWasm, withKernelMemory } from './accelerated.js';
import { convDims, type ConvDims, type ConvRole } from './cpu/conv.js';
import { CONV_GEOM_HEAD, CONV_SCRATCH_WORDS } from './wasm/kernels/conv.js';

/** Image blocks per group of the weight gradient: each one sums into its own block of kernel memory, added in order at the end. */
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

const pad16 = (floats: number): number => Math.ceil(floats / 16) * 16;

/**
 * The geometry table of the conv kernels (`wasm/kernels/conv.ts`) at float
 * offset `at`, with where the parts of a thread's scratch start; returns
 * the scratch's size in floats.
 */
function writeGeometry(d: ConvDims, g: ConvGeometry, mem: Float32Array, at: number, parts: { cols: number; bp: number; c: number; ap: number }): number {
  const words = new Int32Array(mem.buffer, mem.byteOffset + at * 4, CONV_GEOM_HEAD + 3 * d.kw);
  const taps = (d.c / g.groups) * d.kh * d.kw;
  const bp = pad16(parts.cols), c = bp + pad16(parts.bp), ap = c + pad16(parts.c);
  words.set([d.c, d.h, d.w, d.oh, d.ow, g.stride[0], g.stride[1], d.kh, d.kw, g.dilation[0], g.padding[0][0], d.oh * d.ow, taps]);
  words[CONV_SCRATCH_WORDS.bp] = bp * 4;
  words[CONV_SCRATCH_WORDS.c] = c * 4;
  words[CONV_SCRATCH_WORDS.ap] = ap * 4;
  for (let b = 0; b < d.kw; b++) {
    const [lo, hi] = insideColumns(d, g, b);
    words.set([lo, hi, lo * g.stride[1] + b * g.dilation[1] - g.padding[1][0]], CONV_GEOM_HEAD + 3 * b);
  }
  return ap + parts.ap;
}

/** Whether the fast kernel takes a float32 convolution product with these dims (any role: large enough to pay). */
export function convFastApplies(d: ConvDims, groups: number): boolean {
  const k = (d.c / groups) * d.kh * d.kw, p = d.oh * d.ow, og = d.o / groups;
  return d.n * p > 0 && k > 0 && og > 0 && useWasm('matmul', d.n * p * k * og);
}

/**
 * Writes the result of `role` into `out` (every element: the weight
 * gradient too), after {@link convFastApplies}: `a`, `b` and `out` as in
 * {@link convFastKernel}, float32 storages of exactly their sizes.
 *
 * @example
 * ```ts
 * import { convDims } from './cpu/conv.js';
 * const d = convDims('conv', [64, 1, 28, 28], [32, 1, 3, 3], [64, 32, 28, 28], 1);
 * if (convFastApplies(d, 1)) convFastInto('conv', x, w, d, g, out);
 * ```
 */
export function convFastInto(role: ConvRole, as: Float32Array, bs: Float32Array, d: ConvDims, g: ConvGeometry, out: Float32Array): void {
  const groups = g.groups, cg = d.c / groups, og = d.o / groups;
  const k = cg * d.kh * d.kw, p = d.oh * d.ow;
  withKernelMemory((km) => {
    const geom = km.alloc(CONV_GEOM_HEAD + 3 * d.kw);
    const pp = km.cStride(p);
    const scratch = writeGeometry(d, g, km.f32(), geom, {
      cols: role === 'transpose' ? 0 : k * p,
      bp: role === 'conv' ? km.packedSize(k, p) : role === 'transpose' ? km.packedSize(og, p) : km.packedSize(p, og),
      c: role === 'conv' ? km.cRows(og) * pp : role === 'transpose' ? km.cRows(k) * pp : 0,
      ap: km.aBlock,
    });
    const flops = 2 * d.n * p * k * d.o;
    // The image (or its gradient) and the weights (or the output gradient), where they lie when resident.
    const pa = km.put(as), pb = km.put(bs);
    if (role === 'weightGrad') {
      // Per group and block of images: a sum [K rounded up to MR, og rounded up to NR] of its own.
      const ldc = km.cStride(og);
      const jobs: { gi: number; acc: number }[] = [];
      const chunks: number[][] = [];
      for (let gi = 0; gi < groups; gi++) {
        for (const [n0, n1] of imageBlocks(d.n)) {
          const acc = km.alloc(km.cRows(k) * ldc);
          jobs.push({ gi, acc });
          chunks.push([geom * 4, pa * 4, pb * 4, acc * 4, 0, gi * cg, n0, n1, og, d.o, gi * og]);
        }
      }
      km.images('conv_bwd_weight', chunks, flops, scratch);
      const res = km.f32();
      out.fill(0);
      for (const { gi, acc } of jobs) {
        for (let o = 0; o < og; o++) {
          const dst = (gi * og + o) * k;
          for (let t = 0, src = acc + o; t < k; t++, src += ldc) out[dst + t] += res[src]!;
        }
      }
      return;
    }
    const po = km.output(out);
    const chunks: number[][] = [];
    // A few images per job: the forward product packs its weights once per job.
    const per = role === 'conv' ? Math.max(1, Math.floor(d.n / 16)) : 1;
    for (let gi = 0; gi < groups; gi++) for (let n = 0; n < d.n; n += per) chunks.push([geom * 4, pa * 4, pb * 4, po * 4, 0, gi * cg, n, Math.min(d.n, n + per), og, d.o, gi * og]);
    km.images(role === 'conv' ? 'conv_fwd' : 'conv_bwd_input', chunks, flops, scratch);
    km.finish(out, po);
  });
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
  if (!convFastApplies(d, g.groups)) return null;
  const out = allocateOverwritten(numElements(outShape));
  convFastInto(role, storageOf(a) as Float32Array, storageOf(b) as Float32Array, d, g, out);
  return out;
}
