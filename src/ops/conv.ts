/**
 * Convolution and pooling in PyTorch's layout (`[N, C, H, W]` images,
 * `[O, C / groups, kH, kW]` weights, so PyTorch weights load as they are).
 * Output sizes are computed in the type for literal dims, and a channel
 * mismatch or a kernel larger than the padded input is a compile error and
 * the same `ShapeError` at run time.
 *
 * Primitives: `conv2d` (with its two transposes) and the window argmax of
 * max pooling. Everything else is derived: `conv1d` is a `conv2d` over a
 * `[1, L]` image, `maxPool2d` takes the argmax elements, `avgPool2d` is a
 * convolution of each channel with a constant kernel, `adaptiveAvgPool2d`
 * two products with averaging matrices.
 *
 * @example
 * ```ts
 * import { conv2d, maxPool2d, zeros } from 'typegrad';
 * const y = conv2d(zeros([64, 1, 28, 28]), zeros([32, 1, 3, 3]), { padding: 1 }); // Tensor<[64, 32, 28, 28]>
 * maxPool2d(y, 2); // Tensor<[64, 32, 14, 14]>
 * ```
 *
 * @module
 */
import type { DType, FloatDType } from '../core/dtype.js';
import { ShapeError, ValueError, formatShape, inOp } from '../core/errors.js';
import { type AnyTensor, type Tensor, dimsOf, fromStorage } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import type { Check, Ok } from '../shape/errors.js';
import {
  checkPoolPadding,
  convDim,
  convGeometry,
  pairOf,
  poolDim,
  type AdaptivePool2d,
  type Conv1d,
  type Conv2d,
  type ConvOptions,
  type ConvTranspose2d,
  type ConvTransposeOptions,
  type Pair,
  type Pool2d,
  type PoolOptions,
} from '../shape/conv.js';
import * as lax from '../lax/index.js';
import { maxPoolArgmax2d, type PoolParams } from '../lax/pool.js';
import { checkOptions } from '../core/validate.js';
import { describeValue } from '../core/describe.js';

const raw = (t: unknown): AnyTensor => t as AnyTensor;

/**
 * The 2-d convolution (cross-correlation, as PyTorch's `conv2d`) of `x`
 * `[N, C, H, W]` with weights `w` `[O, C / groups, kH, kW]`: `[N, O, OH, OW]`,
 * `OH = floor((H + 2p - d (kH - 1) - 1) / s) + 1`. Options: `stride`,
 * `padding` (number, pair, `'same'`, `'valid'`), `dilation`, `groups`.
 * Add a bias with `add(y, reshape(b, [O, 1, 1]))`.
 *
 * @example
 * ```ts
 * import { conv2d, zeros } from 'typegrad';
 * conv2d(zeros([64, 1, 28, 28]), zeros([32, 1, 3, 3]), { padding: 1 }).shape; // [64, 32, 28, 28]
 * conv2d(zeros([8, 4, 9, 9]), zeros([6, 2, 3, 3]), { stride: 2, groups: 2 }).shape; // [8, 6, 4, 4]
 * ```
 */
export function conv2d<X extends Shape, W extends Shape, D extends FloatDType, const O extends ConvOptions = {}>(
  x: Tensor<X, D>,
  w: Tensor<W, D> & Check<Conv2d<X, W, O>>,
  options?: O,
): Tensor<Ok<Conv2d<X, W, O>>, D> {
  try {
    const ws = dimsOf(w);
    const g = convGeometry('conv2d', [ws[2] ?? 1, ws[3] ?? 1], options);
    return lax.conv2d(raw(x), raw(w), g) as never;
  } catch (e) {
    throw inOp('conv2d', e);
  }
}

/**
 * `conv1d`'s options: numbers only (one spatial dim).
 *
 * @example
 * ```ts
 * conv1d(x, w, { stride: 2, padding: 'same' });
 * ```
 */
export interface Conv1dOptions {
  readonly stride?: number;
  readonly padding?: number | 'same' | 'valid';
  readonly dilation?: number;
  readonly groups?: number;
}

/**
 * The 1-d convolution of `x` `[N, C, L]` with `w` `[O, C / groups, k]`:
 * `[N, O, L']`, computed as a `conv2d` over a `[1, L]` image.
 *
 * @example
 * ```ts
 * import { conv1d, zeros } from 'typegrad';
 * conv1d(zeros([8, 4, 100]), zeros([16, 4, 5]), { stride: 2 }).shape; // [8, 16, 48]
 * ```
 */
export function conv1d<X extends Shape, W extends Shape, D extends FloatDType, const O extends Conv1dOptions = {}>(
  x: Tensor<X, D>,
  w: Tensor<W, D> & Check<Conv1d<X, W, O>>,
  options?: O,
): Tensor<Ok<Conv1d<X, W, O>>, D> {
  try {
    const xs = dimsOf(x), ws = dimsOf(w);
    const op = 'conv1d';
    if (xs.length !== 3 || ws.length !== 3) throw new ShapeError(`${op}: needs input [N,C,L] and weights [O,C/groups,k], got ${formatShape(xs)} x ${formatShape(ws)}`);
    const o: Conv1dOptions = checkOptions<Conv1dOptions>(op, options);
    const p = o.padding;
    const g = convGeometry(op, [1, ws[2]!], {
      stride: [1, o.stride ?? 1],
      padding: p === 'same' || p === 'valid' ? p : [0, p ?? 0],
      dilation: [1, o.dilation ?? 1],
      groups: o.groups ?? 1,
    });
    if (ws[1]! * g.groups !== xs[1]) throw new ShapeError(`${op}: channels differ: input ${formatShape(xs)} x weights ${formatShape(ws)} (groups ${g.groups})`);
    if (convDim(xs[2]!, ws[2]!, g.stride[1], g.padding[1], g.dilation[1]) < 0) {
      throw new ShapeError(`${op}: kernel larger than padded input: ${formatShape(xs)} x ${formatShape(ws)}`);
    }
    const y = lax.conv2d(lax.reshape(raw(x), [xs[0]!, xs[1]!, 1, xs[2]!]), lax.reshape(raw(w), [ws[0]!, ws[1]!, 1, ws[2]!]), g);
    const ys = dimsOf(y);
    return lax.reshape(y, [ys[0]!, ys[1]!, ys[3]!]) as never;
  } catch (e) {
    throw inOp('conv1d', e);
  }
}

/**
 * The transposed convolution (PyTorch's `conv_transpose2d`, the gradient
 * of `conv2d` in its input): `x` `[N, Cin, H, W]`, `w` `[Cin, Cout / groups,
 * kH, kW]`, result `[N, Cout, H', W']` with
 * `H' = (H - 1) s - 2p + d (kH - 1) + outputPadding + 1`.
 *
 * @example
 * ```ts
 * import { convTranspose2d, zeros } from 'typegrad';
 * convTranspose2d(zeros([1, 16, 7, 7]), zeros([16, 8, 2, 2]), { stride: 2 }).shape; // [1, 8, 14, 14]
 * ```
 */
export function convTranspose2d<X extends Shape, W extends Shape, D extends FloatDType, const O extends ConvTransposeOptions = {}>(
  x: Tensor<X, D>,
  w: Tensor<W, D> & Check<ConvTranspose2d<X, W, O>>,
  options?: O,
): Tensor<Ok<ConvTranspose2d<X, W, O>>, D> {
  try {
    const op = 'convTranspose2d';
    const xs = dimsOf(x), ws = dimsOf(w);
    const o: ConvTransposeOptions = options ?? {};
    if (xs.length !== 4 || ws.length !== 4) {
      throw new ShapeError(`${op}: needs input [N,C,H,W] and weights [C,Cout/groups,kH,kW], got ${formatShape(xs)} x ${formatShape(ws)}`);
    }
    if (xs[1] !== ws[0]) throw new ShapeError(`${op}: channels differ: input ${formatShape(xs)} x weights ${formatShape(ws)}`);
    const pad = pairOf(op, 'padding', o.padding, 0, 0);
    const g = convGeometry(op, [ws[2]!, ws[3]!], { ...o, padding: pad });
    const outPad = pairOf(op, 'outputPadding', o.outputPadding, 0, 0);
    const size = [0, 1].map((i) => {
      if (outPad[i]! >= Math.max(g.stride[i]!, g.dilation[i]!)) {
        throw new ValueError(`${op}: outputPadding ${formatShape(outPad)} must be smaller than the stride or the dilation`);
      }
      return (xs[2 + i]! - 1) * g.stride[i]! - 2 * pad[i]! + g.dilation[i]! * (ws[2 + i]! - 1) + outPad[i]! + 1;
    }) as [number, number];
    if (size[0] < 0 || size[1] < 0) throw new ShapeError(`${op}: padding larger than the output: ${formatShape(xs)} x ${formatShape(ws)}`);
    return lax.convTranspose2d(raw(x), raw(w), g, size) as never;
  } catch (e) {
    throw inOp('convTranspose2d', e);
  }
}

/** The checked window of a pool over input dims `xs`; in ceil mode the high padding also covers the last, partial window. */
function poolParams(op: string, xs: readonly number[], kernel: Pair, options: PoolOptions = {}): PoolParams {
  const o = checkOptions<PoolOptions>(op, options);
  const k = pairOf(op, 'kernel', kernel, 1, 1);
  const stride = pairOf(op, 'stride', o.stride ?? k, 1, 1);
  const p = pairOf(op, 'padding', o.padding, 0, 0);
  const dilation = pairOf(op, 'dilation', o.dilation, 1, 1);
  if (o.ceilMode !== undefined && typeof o.ceilMode !== 'boolean') throw new ValueError(`${op}: ceilMode must be a boolean, got ${describeValue(o.ceilMode)}`);
  checkPoolPadding(op, k, p);
  if (xs.length !== 4) throw new ShapeError(`${op}: needs input [N,C,H,W], got ${formatShape(xs)}`);
  const ceil = o.ceilMode === true;
  const pads = [0, 1].map((i) => poolDim(xs[2 + i]!, k[i]!, stride[i]!, p[i]!, dilation[i]!, ceil)[1]) as [[number, number], [number, number]];
  return { kernel: k, stride, padding: pads, dilation };
}

/**
 * Max pooling over `kernel` windows of `x` `[N, C, H, W]` (stride defaults
 * to the kernel; padding counts as -Infinity and is at most half the
 * kernel). The derivative goes to the first maximum of each window, as in
 * PyTorch; a NaN in a window gives NaN.
 *
 * @example
 * ```ts
 * import { maxPool2d, tensor } from 'typegrad';
 * maxPool2d(tensor([[[[1, 2], [4, 3]]]]), 2).toArray(); // [[[[4]]]]: Tensor<[1, 1, 1, 1]>
 * ```
 */
export function maxPool2d<X extends Shape, D extends DType, const K extends Pair, const O extends PoolOptions = {}>(
  x: Tensor<X, D> & Check<Pool2d<X, K, O>>,
  kernel: K,
  options?: O,
): Tensor<Ok<Pool2d<X, K, O>>, D> {
  try {
    const p = poolParams('maxPool2d', dimsOf(raw(x)), kernel, options);
    const idx = maxPoolArgmax2d(raw(x), p);
    return lax.gather(lax.reshape(raw(x), [raw(x).size]), idx, 0) as never;
  } catch (e) {
    throw inOp('maxPool2d', e);
  }
}

/**
 * The options of `avgPool2d`.
 *
 * @example
 * ```ts
 * avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false });
 * ```
 */
export interface AvgPoolOptions extends Omit<PoolOptions, 'dilation'> {
  /** Whether padding zeros count in the average (PyTorch's default, true). */
  readonly countIncludePad?: boolean;
}

/** A constant float tensor of `shape` from `values`. */
function constant(values: ArrayLike<number>, shape: readonly number[], dtype: DType): AnyTensor {
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return fromStorage(data, shape, dtype);
}

/**
 * Average pooling over `kernel` windows (stride defaults to the kernel):
 * each channel convolved with a constant `1 / (kH kW)` kernel. With
 * `countIncludePad: false`, windows that overlap the padding average only
 * their real elements.
 *
 * @example
 * ```ts
 * import { avgPool2d, tensor } from 'typegrad';
 * avgPool2d(tensor([[[[1, 2], [4, 3]]]]), 2).toArray(); // [[[[2.5]]]]
 * ```
 */
export function avgPool2d<X extends Shape, D extends FloatDType, const K extends Pair, const O extends AvgPoolOptions = {}>(
  x: Tensor<X, D> & Check<Pool2d<X, K, O, 'avgPool2d'>>,
  kernel: K,
  options?: O,
): Tensor<Ok<Pool2d<X, K, O, 'avgPool2d'>>, D> {
  try {
    const op = 'avgPool2d';
    const xt = raw(x);
    const xs = dimsOf(xt);
    const { countIncludePad = true, ...rest } = (options ?? {}) as AvgPoolOptions;
    const p = poolParams(op, xs, kernel, rest);
    const g = { stride: p.stride, padding: p.padding, dilation: p.dilation, groups: 1 };
    if (convDim(xs[2]!, p.kernel[0], p.stride[0], p.padding[0], 1) < 0 || convDim(xs[3]!, p.kernel[1], p.stride[1], p.padding[1], 1) < 0) {
      throw new ShapeError(`${op}: window larger than padded input: ${formatShape(xs)} with kernel ${formatShape(p.kernel)}`);
    }
    const [n, c, h, w] = xs as [number, number, number, number];
    const taps = p.kernel[0] * p.kernel[1];
    const ones = lax.fill([1, 1, ...p.kernel], 1, xt.dtype);
    // Every channel is its own image: [N C, 1, H, W] against one [1, 1, kH, kW] kernel of ones.
    const sums = lax.conv2d(lax.reshape(xt, [n * c, 1, h, w]), ones, g);
    const ys = dimsOf(sums);
    const out = [n, c, ys[2]!, ys[3]!];
    const [[ph, phHi], [pw, pwHi]] = p.padding;
    const overhang = phHi > ph || pwHi > pw; // ceil mode's last, partial windows
    if (!overhang && (countIncludePad || (ph === 0 && pw === 0))) return lax.reshape(lax.div(sums, lax.scalarLike(taps, xt)), out) as never;
    // The divisor of each window, as PyTorch: the elements it covers of the
    // input, with the padding too when countIncludePad, never the overhang.
    const [ch, cw] = countIncludePad ? [h + 2 * ph, w + 2 * pw] : [h, w];
    const cg = countIncludePad ? { ...g, padding: [[0, phHi - ph], [0, pwHi - pw]] as const } : g;
    const counts = lax.conv2d(lax.fill([1, 1, ch, cw], 1, xt.dtype), ones, cg);
    return lax.reshape(lax.div(sums, counts), out) as never;
  } catch (e) {
    throw inOp('avgPool2d', e);
  }
}

/** `[out, size]` averaging matrix of adaptive pooling: row i averages `[floor(i size / out), ceil((i + 1) size / out))`. */
function averagingMatrix(out: number, size: number, dtype: DType, transposed: boolean): AnyTensor {
  const m = new Float64Array(out * size);
  for (let i = 0; i < out; i++) {
    const lo = Math.floor((i * size) / out), hi = Math.ceil(((i + 1) * size) / out);
    for (let j = lo; j < hi; j++) m[transposed ? j * out + i : i * size + j] = 1 / (hi - lo);
  }
  return constant(m, transposed ? [size, out] : [out, size], dtype);
}

/**
 * Adaptive average pooling to a fixed output size (PyTorch's bins:
 * output row i averages input rows `floor(i H / OH)` to `ceil((i + 1) H / OH) - 1`),
 * computed as `A_h x A_wᵀ` with averaging matrices. `adaptiveAvgPool2d(x, 1)`
 * is global average pooling.
 *
 * @example
 * ```ts
 * import { adaptiveAvgPool2d, zeros } from 'typegrad';
 * adaptiveAvgPool2d(zeros([8, 64, 7, 7]), 1).shape;      // [8, 64, 1, 1]
 * adaptiveAvgPool2d(zeros([8, 64, 7, 7]), [3, 2]).shape; // [8, 64, 3, 2]
 * ```
 */
export function adaptiveAvgPool2d<X extends Shape, D extends FloatDType, const Size extends Pair>(
  x: Tensor<X, D> & Check<AdaptivePool2d<X, Size>>,
  outputSize: Size,
): Tensor<Ok<AdaptivePool2d<X, Size>>, D> {
  try {
    const op = 'adaptiveAvgPool2d';
    const xt = raw(x);
    const xs = dimsOf(xt);
    if (xs.length !== 4) throw new ShapeError(`${op}: needs input [N,C,H,W], got ${formatShape(xs)}`);
    const [oh, ow] = pairOf(op, 'outputSize', outputSize, 1, 1);
    const rows = lax.matmul(averagingMatrix(oh, xs[2]!, xt.dtype, false), xt);
    return lax.matmul(rows, averagingMatrix(ow, xs[3]!, xt.dtype, true)) as never;
  } catch (e) {
    throw inOp('adaptiveAvgPool2d', e);
  }
}
