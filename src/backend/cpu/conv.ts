/**
 * Reference kernels of the 2-d convolution family, direct loops in float64.
 * With `G = groups`, `Cg = C / G`, `Og = O / G` and output channel `o` in
 * group `g = floor(o / Og)`, every kernel walks the same taps
 *
 *     (n, o, oh, ow, c, kh, kw),  ih = oh s_h - padLo_h + kh d_h,  iw likewise,
 *
 * skipping taps that fall into the padding, and accumulates:
 * - conv:        y[n, o, oh, ow]          += x[n, gCg + c, ih, iw] w[o, c, kh, kw]
 * - transpose:   x[n, gCg + c, ih, iw]    += y[n, o, oh, ow]       w[o, c, kh, kw]
 * - weight grad: w[o, c, kh, kw]          += y[n, o, oh, ow]       x[n, gCg + c, ih, iw]
 * The last two are the transposes of the first in its two arguments.
 * The fast float32 paths (`conv-fast.ts`) are tested against these.
 */
import { allocate, type DType, type Storage } from '../../core/dtype.js';
import { ValueError, formatShape } from '../../core/errors.js';
import { type ArrayTensor, dimsOf, storageOf } from '../../core/tensor.js';
import type { ConvGeometry } from '../../shape/conv.js';
import { numElements } from '../../shape/index.js';

/**
 * The dims of one convolution: x `[n, c, h, w]`, weights `[o, cg, kh, kw]`, y `[n, o, oh, ow]`.
 *
 * @example
 * ```ts
 * convDims('conv', [64, 1, 28, 28], [32, 1, 3, 3], [64, 32, 28, 28], 1); // { n: 64, c: 1, h: 28, w: 28, o: 32, kh: 3, kw: 3, oh: 28, ow: 28 }
 * ```
 */
export interface ConvDims {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly o: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
}

/**
 * Which of the three products a loop computes: the roles of its two inputs and its output.
 *
 * @example
 * ```ts
 * const role: ConvRole = 'weightGrad';
 * ```
 */
export type ConvRole = 'conv' | 'transpose' | 'weightGrad';

/**
 * Runs one role over every tap. `a` and `b` are the role's inputs
 * (conv: x, w; transpose: y, w; weightGrad: x, y), `out` is zeroed float64.
 */
function taps(role: ConvRole, d: ConvDims, g: ConvGeometry, a: Storage, b: Storage, out: Float64Array): void {
  const groups = g.groups, cg = d.c / groups, og = d.o / groups;
  const [sh, sw] = g.stride, [dh, dw] = g.dilation;
  const ph = g.padding[0][0], pw = g.padding[1][0];
  const xPlane = d.h * d.w, yPlane = d.oh * d.ow, wSize = cg * d.kh * d.kw;
  for (let n = 0; n < d.n; n++) {
    for (let o = 0; o < d.o; o++) {
      const c0 = Math.floor(o / og) * cg;
      const yBase = (n * d.o + o) * yPlane;
      for (let oh = 0; oh < d.oh; oh++) {
        for (let ow = 0; ow < d.ow; ow++) {
          const yi = yBase + oh * d.ow + ow;
          let acc = 0;
          for (let c = 0; c < cg; c++) {
            const xBase = (n * d.c + c0 + c) * xPlane;
            for (let kh = 0; kh < d.kh; kh++) {
              const ih = oh * sh - ph + kh * dh;
              if (ih < 0 || ih >= d.h) continue;
              for (let kw = 0; kw < d.kw; kw++) {
                const iw = ow * sw - pw + kw * dw;
                if (iw < 0 || iw >= d.w) continue;
                const xi = xBase + ih * d.w + iw;
                const wi = o * wSize + (c * d.kh + kh) * d.kw + kw;
                if (role === 'conv') acc += a[xi]! * b[wi]!;
                else if (role === 'transpose') out[xi] += a[yi]! * b[wi]!;
                else out[wi] += a[xi]! * b[yi]!;
              }
            }
          }
          if (role === 'conv') out[yi] = acc;
        }
      }
    }
  }
}

/**
 * The dims of a role's problem from its input and output shapes.
 *
 * @example
 * ```ts
 * convDims('transpose', y, w, x, 1); // the dims of the conv whose transpose this is
 * ```
 */
export function convDims(role: ConvRole, sa: readonly number[], sb: readonly number[], outShape: readonly number[], groups: number): ConvDims {
  const [x, y, w] = role === 'conv' ? [sa, outShape, sb] : role === 'transpose' ? [outShape, sa, sb] : [sa, sb, outShape];
  return { n: x[0]!, c: w[1]! * groups, h: x[2]!, w: x[3]!, o: y[1]!, kh: w[2]!, kw: w[3]!, oh: y[2]!, ow: y[3]! };
}

/**
 * The reference kernel of `role` (see the module comment): float64
 * accumulation, one rounding into a float32 output.
 *
 * @example
 * ```ts
 * convReferenceKernel('conv', x, w, g, [64, 32, 28, 28], 'float32');
 * ```
 */
export function convReferenceKernel(
  role: ConvRole,
  a: ArrayTensor<unknown, DType>,
  b: ArrayTensor<unknown, DType>,
  g: ConvGeometry,
  outShape: readonly number[],
  outDType: DType,
): Storage {
  const out = allocate(outDType, numElements(outShape));
  if (out.length === 0) return out;
  const acc = out instanceof Float64Array ? out : new Float64Array(out.length);
  taps(role, convDims(role, dimsOf(a), dimsOf(b), outShape, g.groups), g, storageOf(a), storageOf(b), acc);
  if (acc !== out) out.set(acc);
  return out;
}

/**
 * Window argmax for max pooling: for each `[n, c, oh, ow]`, the flat index
 * into `x` (all of it, as `reshape(x, [-1])`) of the first largest element
 * of the window (the first NaN if there is one, so NaN propagates, as in
 * PyTorch). Padding taps are skipped (they act as -Infinity).
 *
 * @example
 * ```ts
 * poolArgmaxKernel(x, [2, 2], { stride: [2, 2], padding: [[0, 0], [0, 0]], dilation: [1, 1] }, [1, 1, 1, 1]); // Int32Array [index of the max]
 * ```
 */
export function poolArgmaxKernel(
  x: ArrayTensor<unknown, DType>,
  kernel: readonly [number, number],
  g: Omit<ConvGeometry, 'groups'>,
  outShape: readonly number[],
): Int32Array {
  const out = new Int32Array(numElements(outShape));
  const [n, c, h, w] = dimsOf(x) as [number, number, number, number];
  const [, , oh, ow] = outShape as [number, number, number, number];
  const xd = storageOf(x);
  const [sh, sw] = g.stride, [dh, dw] = g.dilation;
  const ph = g.padding[0][0], pw = g.padding[1][0];
  let o = 0;
  if (ph === 0 && pw === 0 && g.padding[0][1] === 0 && g.padding[1][1] === 0 && dh === 1 && dw === 1 && kernel[0] === 2 && kernel[1] === 2) {
    // The common 2x2 window with no padding (nor ceil mode's overhang): four loads, first maximum wins, NaN wins.
    for (let plane = 0; plane < n * c; plane++) {
      const base = plane * h * w;
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++, o++) {
          const at = base + i * sh * w + j * sw;
          let best = at, bestV = xd[at]!, v = xd[at + 1]!;
          if (v > bestV || (v !== v && bestV === bestV)) (best = at + 1), (bestV = v);
          v = xd[at + w]!;
          if (v > bestV || (v !== v && bestV === bestV)) (best = at + w), (bestV = v);
          v = xd[at + w + 1]!;
          if (v > bestV || (v !== v && bestV === bestV)) best = at + w + 1;
          out[o] = best;
        }
      }
    }
    return out;
  }
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, o++) {
        let best = -1, bestV = -Infinity;
        for (let a = 0; a < kernel[0]; a++) {
          const ih = i * sh - ph + a * dh;
          if (ih < 0 || ih >= h) continue;
          for (let b = 0; b < kernel[1]; b++) {
            const iw = j * sw - pw + b * dw;
            if (iw < 0 || iw >= w) continue;
            const at = base + ih * w + iw;
            const v = xd[at]!;
            // NaN wins and stays; otherwise strictly greater, so ties keep the first.
            if (best < 0 || v > bestV || (v !== v && bestV === bestV)) {
              best = at;
              bestV = v;
            }
          }
        }
        if (best < 0) throw new ValueError(`maxPool2d: a window of input ${formatShape(dimsOf(x))} holds only padding`);
        out[o] = best;
      }
    }
  }
  return out;
}
