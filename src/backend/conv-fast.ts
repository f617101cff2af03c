/**
 * Fast float32 convolutions: im2col plus the packed WebAssembly SIMD GEMM
 * (on both cores through the worker pool), for the three products of the
 * convolution family. Per group `g`, with `P = OH·OW` output positions,
 * `K = C/G·kH·kW` taps and the patch matrix `cols[N·P, K]`
 * (`cols[(n, p), (c, a, b)] = x[n, gC/G + c, ih, iw]`, 0 in the padding):
 *
 * - conv:        `Y'[N·P, O/G] = cols · W_gᵀ`, stored back as NCHW;
 * - transpose:   `dcols[N·P, K] = Y' · W_g`, scatter-added into x (col2im);
 * - weight grad: `W_g[O/G, K] = Y'ᵀ · cols`.
 *
 * The patch matrix and the layout changes are written straight into the
 * kernel memory (see `gemmF32Views`), so nothing is copied twice. Sums run
 * in float32 (like sgemm); the reference kernels (`cpu/conv.ts`, float64
 * sums) are what these are tested against.
 */
import type { DType, Storage } from '../core/dtype.js';
import { type ArrayTensor, dimsOf, storageOf } from '../core/tensor.js';
import type { ConvGeometry } from '../shape/conv.js';
import { numElements } from '../shape/index.js';
import { gemmF32Views, useWasm } from './accelerated.js';
import { convDims, type ConvDims, type ConvRole } from './cpu/conv.js';

/**
 * Writes the patch matrix of group `gi` into `mem` at `at`: row `n·P + p`
 * holds the `K` taps of output position `p` of image `n`.
 */
function im2col(x: Float32Array, d: ConvDims, g: ConvGeometry, gi: number, mem: Float32Array, at: number): void {
  const cg = d.c / g.groups, taps = d.kh * d.kw, k = cg * taps;
  const [sh, sw] = g.stride, [dh, dw] = g.dilation;
  const ph = g.padding[0][0], pw = g.padding[1][0];
  const plane = d.h * d.w;
  let o = at;
  for (let n = 0; n < d.n; n++) {
    const xn = (n * d.c + gi * cg) * plane;
    for (let i = 0; i < d.oh; i++) {
      const ih0 = i * sh - ph;
      const rowInside = ih0 >= 0 && ih0 + (d.kh - 1) * dh < d.h;
      for (let j = 0; j < d.ow; j++, o += k) {
        const iw0 = j * sw - pw;
        let q = o;
        if (rowInside && iw0 >= 0 && iw0 + (d.kw - 1) * dw < d.w) {
          // The whole window is inside the image: no bounds checks.
          for (let c = 0; c < cg; c++) {
            let row = xn + c * plane + ih0 * d.w + iw0;
            for (let a = 0; a < d.kh; a++, row += dh * d.w) {
              for (let b = 0, at = row; b < d.kw; b++, at += dw) mem[q++] = x[at]!;
            }
          }
          continue;
        }
        for (let c = 0; c < cg; c++) {
          const xc = xn + c * plane;
          for (let a = 0; a < d.kh; a++) {
            const ih = ih0 + a * dh;
            if (ih < 0 || ih >= d.h) {
              for (let b = 0; b < d.kw; b++) mem[q++] = 0;
              continue;
            }
            const row = xc + ih * d.w;
            for (let b = 0, iw = iw0; b < d.kw; b++, iw += dw) mem[q++] = iw >= 0 && iw < d.w ? x[row + iw]! : 0;
          }
        }
      }
    }
  }
}

/** Adds the patch-shaped `cols` (row stride `ldc`) of group `gi` back into the image `out` (the transpose of im2col). */
function col2im(mem: Float32Array, at: number, ldc: number, d: ConvDims, g: ConvGeometry, gi: number, out: Float32Array): void {
  const cg = d.c / g.groups;
  const [sh, sw] = g.stride, [dh, dw] = g.dilation;
  const ph = g.padding[0][0], pw = g.padding[1][0];
  const plane = d.h * d.w;
  let r = at;
  for (let n = 0; n < d.n; n++) {
    const xn = (n * d.c + gi * cg) * plane;
    for (let i = 0; i < d.oh; i++) {
      const ih0 = i * sh - ph;
      for (let j = 0; j < d.ow; j++, r += ldc) {
        const iw0 = j * sw - pw;
        let q = r;
        for (let c = 0; c < cg; c++) {
          const xc = xn + c * plane;
          for (let a = 0; a < d.kh; a++) {
            const ih = ih0 + a * dh;
            if (ih < 0 || ih >= d.h) {
              q += d.kw;
              continue;
            }
            const row = xc + ih * d.w;
            for (let b = 0, iw = iw0; b < d.kw; b++, iw += dw, q++) if (iw >= 0 && iw < d.w) out[row + iw] += mem[q]!;
          }
        }
      }
    }
  }
}

/** `Y'` of group `gi`: `mem[(n·P + p)·Og + o] = y[n, gi·Og + o, p]` (NCHW to position-major). */
function positionMajor(y: Float32Array, d: ConvDims, og: number, gi: number, mem: Float32Array, at: number): void {
  const p = d.oh * d.ow;
  for (let n = 0; n < d.n; n++) {
    for (let o = 0; o < og; o++) {
      const src = (n * d.o + gi * og + o) * p;
      let dst = at + n * p * og + o;
      for (let q = 0; q < p; q++, dst += og) mem[dst] = y[src + q]!;
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
  const k = cg * d.kh * d.kw, rows = d.n * d.oh * d.ow;
  if (rows === 0 || k === 0 || og === 0 || !useWasm('matmul', rows * k * og)) return null;
  const out = new Float32Array(numElements(outShape));
  const as = storageOf(a) as Float32Array, bs = storageOf(b) as Float32Array;
  const p = d.oh * d.ow;
  for (let gi = 0; gi < groups; gi++) {
    if (role === 'conv') {
      // Y'[N·P, Og] = cols[N·P, K] · W_gᵀ[K, Og]
      gemmF32Views(
        rows, k, og,
        (mem, at) => im2col(as, d, g, gi, mem, at),
        (mem, at) => {
          for (let o = 0; o < og; o++) for (let q = 0, src = (gi * og + o) * k; q < k; q++) mem[at + q * og + o] = bs[src + q]!;
        },
        (mem, at, ldc) => {
          for (let n = 0; n < d.n; n++) {
            for (let o = 0; o < og; o++) {
              let dst = (n * d.o + gi * og + o) * p;
              for (let q = 0, src = at + n * p * ldc + o; q < p; q++, src += ldc) out[dst++] = mem[src]!;
            }
          }
        },
      );
    } else if (role === 'transpose') {
      // dcols[N·P, K] = Y'[N·P, Og] · W_g[Og, K], then col2im
      gemmF32Views(
        rows, og, k,
        (mem, at) => positionMajor(as, d, og, gi, mem, at),
        (mem, at) => mem.set(bs.subarray(gi * og * k, (gi + 1) * og * k), at),
        (mem, at, ldc) => col2im(mem, at, ldc, d, g, gi, out),
      );
    } else {
      // W_g[Og, K] = Y'ᵀ[Og, N·P] · cols[N·P, K]
      gemmF32Views(
        og, rows, k,
        (mem, at) => {
          for (let o = 0; o < og; o++) {
            for (let n = 0; n < d.n; n++) {
              const src = (n * d.o + gi * og + o) * p;
              mem.set(bs.subarray(src, src + p), at + o * rows + n * p);
            }
          }
        },
        (mem, at) => im2col(as, d, g, gi, mem, at),
        (mem, at, ldc) => {
          for (let o = 0; o < og; o++) out.set(mem.subarray(at + o * ldc, at + o * ldc + k), (gi * og + o) * k);
        },
      );
    }
  }
  return out;
}
