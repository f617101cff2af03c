/**
 * The 2-d convolution family, three bilinear primitives that are each
 * other's derivatives. With `x` `[N, C, H, W]`, weights `w` `[O, C/G, kH, kW]`
 * and `y` `[N, O, OH, OW]` (PyTorch's layout):
 *
 * - `conv2d(x, w)`: `y[n,o,i,j] = Σ_{c,a,b} x[n, gC/G + c, i s - p + a d, j s - p + b d] w[o,c,a,b]`;
 * - `convTranspose2d(y, w)`: its transpose in `x` (`x`-shaped; needs `H, W`
 *   as params, since the floor in the output size loses them);
 * - `conv2dWeightGrad(x, y)`: its transpose in `w` (`w`-shaped; needs `kH, kW`).
 *
 * Each is linear in each argument, so `d f(a, b) = f(da, b) + f(a, db)`,
 * and the cotangents close over the three: for `conv2d`, `ct_x =
 * convTranspose2d(ct, w)` and `ct_w = conv2dWeightGrad(x, ct)`, and so on.
 * Every rule uses these public functions, so `grad(grad(f))` works.
 */
import { kernelLowering } from '../core/lowering.js';
import { DTypeError, ShapeError, formatShape } from '../core/errors.js';
import { definePrimitive, type BatchDim, type MaybeTensor, type Primitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, type ArrayTensor, dimsOf } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import { type DType, isFloat } from '../core/dtype.js';
import { convReferenceKernel, type ConvRole } from '../backend/cpu/conv.js';
import { convFastKernel } from '../backend/conv-fast.js';
import { conv2dShape, convDim, type ConvGeometry } from '../shape/conv.js';
import { add } from './binary.js';
import { reshape, transpose } from './index.js';
import { batchAtFront, batchToFront } from './batching.js';

/**
 * `convTranspose2d`'s params: the geometry and the spatial size `[H, W]` of its result.
 *
 * @example
 * ```ts
 * const p: ConvTransposeParams = { ...convGeometry('conv2d', [3, 3]), inSize: [28, 28] };
 * ```
 */
export interface ConvTransposeParams extends ConvGeometry {
  readonly inSize: readonly [number, number];
}

/**
 * `conv2dWeightGrad`'s params: the geometry and the kernel size `[kH, kW]` of its result.
 *
 * @example
 * ```ts
 * const p: ConvWeightGradParams = { ...convGeometry('conv2d', [3, 3]), kernel: [3, 3] };
 * ```
 */
export interface ConvWeightGradParams extends ConvGeometry {
  readonly kernel: readonly [number, number];
}

/** Both operands floating; the result is the promoted float dtype. */
function floatOperands(op: string) {
  return ([a, b]: readonly DType[]): DType => {
    if (!isFloat(a!) || !isFloat(b!)) throw new DTypeError(`${op}: expected floating-point operands, got ${a} and ${b}`);
    return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
  };
}

/** The reference kernel, or the fast float32 one where it applies. */
function kernelOf(role: ConvRole) {
  return ([a, b]: readonly ArrayTensor<Shape, DType>[], g: ConvGeometry, outShape: readonly number[], outDType: DType) =>
    convFastKernel(role, a!, b!, g, outShape, outDType) ?? convReferenceKernel(role, a!, b!, g, outShape, outDType);
}

/** `f(ta, b) + f(a, tb)` with symbolic zeros: the tangent of a bilinear `f`. */
function bilinearJvp(f: (a: AnyTensor, b: AnyTensor) => AnyTensor, [ta, tb]: readonly MaybeTensor[], [a, b]: readonly AnyTensor[]): MaybeTensor {
  const l = ta === null ? null : f(ta, b!);
  const r = tb === null ? null : f(a!, tb);
  return l === null ? r : r === null ? l : add(l, r);
}

function geometryOf(p: ConvGeometry): ConvGeometry {
  return { stride: p.stride, padding: p.padding, dilation: p.dilation, groups: p.groups };
}

const spatial = (s: readonly number[]): [number, number] => [s[2]!, s[3]!];

/**
 * The `conv2d` primitive (inputs: x, w); params: the resolved geometry.
 *
 * @example
 * ```ts
 * import { bind } from '../core/trace.js';
 * import { convGeometry } from '../shape/conv.js';
 * bind(conv2dPrim, [x, w], convGeometry('conv2d', [3, 3]));
 * ```
 */
export const conv2dPrim: Primitive<ConvGeometry> = definePrimitive<ConvGeometry>({
  name: 'conv2d',
  shape: ([x, w], g) => conv2dShape('conv2d', x!, w!, g),
  dtype: floatOperands('conv2d'),
  lower: kernelLowering,
  kernel: kernelOf('conv'),
  // conv2d is bilinear: d conv(x, w) = conv(dx, w) + conv(x, dw)
  jvp: (t, p, _out, g) => bilinearJvp((a, b) => conv2d(a, b, g), t, p),
  // ct_x = convᵀ_x(ct, w), ct_w = convᵀ_w(x, ct)
  vjp: (ct, [x, w], _out, g, wanted) => [
    wanted[0] ? convTranspose2d(ct, w!, g, spatial(dimsOf(x!))) : null,
    wanted[1] ? conv2dWeightGrad(x!, ct, g, spatial(dimsOf(w!))) : null,
  ],
  // A batch of inputs against shared weights is a bigger batch N; batched weights become groups.
  batch: ([x, w], [dx, dw], g, size) =>
    dw === null
      ? [unfoldN(conv2d(foldN(x!, dx!), w!, g), size), 0]
      : [unfoldChannels(conv2d(intoChannels(x!, dx!, size), foldN(w!, dw), batchGroups(g, size)), size), 1],
});

/**
 * The `convTranspose2d` primitive (inputs: y, w); params: {@link ConvTransposeParams}.
 *
 * @example
 * ```ts
 * import { bind } from '../core/trace.js';
 * import { convGeometry } from '../shape/conv.js';
 * bind(convTranspose2dPrim, [y, w], { ...convGeometry('conv2d', [3, 3]), inSize: [28, 28] });
 * ```
 */
export const convTranspose2dPrim: Primitive<ConvTransposeParams> = definePrimitive<ConvTransposeParams>({
  name: 'convTranspose2d',
  shape: ([y, w], p) => {
    const op = 'convTranspose2d';
    if (y!.length !== 4 || w!.length !== 4) throw new ShapeError(`${op}: needs input [N,O,OH,OW] and weights [O,C/groups,kH,kW], got ${formatShape(y!)} x ${formatShape(w!)}`);
    if (y![1] !== w![0]) throw new ShapeError(`${op}: channels differ: input ${formatShape(y!)} x weights ${formatShape(w!)}`);
    if (w![0]! % p.groups !== 0) throw new ShapeError(`${op}: groups ${p.groups} do not divide the ${w![0]} channels of weights ${formatShape(w!)}`);
    const x = [y![0]!, w![1]! * p.groups, p.inSize[0], p.inSize[1]];
    const oh = convDim(x[2]!, w![2]!, p.stride[0], p.padding[0], p.dilation[0]);
    const ow = convDim(x[3]!, w![3]!, p.stride[1], p.padding[1], p.dilation[1]);
    if (oh !== y![2] || ow !== y![3]) {
      throw new ShapeError(`${op}: input ${formatShape(y!)} is not the conv2d output of ${formatShape(x)} with weights ${formatShape(w!)}`);
    }
    return x;
  },
  dtype: floatOperands('convTranspose2d'),
  lower: kernelLowering,
  kernel: kernelOf('transpose'),
  jvp: (t, p, _out, q) => bilinearJvp((a, b) => convTranspose2d(a, b, geometryOf(q), q.inSize), t, p),
  // <ct, convᵀ(y, w)> = <conv(ct, w), y>, and in w it is the weight gradient of ct against y.
  vjp: (ct, [y, w], _out, q, wanted) => [
    wanted[0] ? conv2d(ct, w!, geometryOf(q)) : null,
    wanted[1] ? conv2dWeightGrad(ct, y!, geometryOf(q), spatial(dimsOf(w!))) : null,
  ],
  batch: ([y, w], [dy, dw], q, size) =>
    dw === null
      ? [unfoldN(convTranspose2d(foldN(y!, dy!), w!, q, q.inSize), size), 0]
      : [unfoldChannels(convTranspose2d(intoChannels(y!, dy!, size), foldN(w!, dw), batchGroups(q, size), q.inSize), size), 1],
});

/**
 * The `conv2dWeightGrad` primitive (inputs: x, y); params: {@link ConvWeightGradParams}.
 *
 * @example
 * ```ts
 * import { bind } from '../core/trace.js';
 * import { convGeometry } from '../shape/conv.js';
 * bind(conv2dWeightGradPrim, [x, y], { ...convGeometry('conv2d', [3, 3]), kernel: [3, 3] });
 * ```
 */
export const conv2dWeightGradPrim: Primitive<ConvWeightGradParams> = definePrimitive<ConvWeightGradParams>({
  name: 'conv2dWeightGrad',
  shape: ([x, y], p) => {
    const op = 'conv2dWeightGrad';
    if (x!.length !== 4 || y!.length !== 4) throw new ShapeError(`${op}: needs input [N,C,H,W] and output [N,O,OH,OW], got ${formatShape(x!)} x ${formatShape(y!)}`);
    const w = [y![1]!, x![1]! / p.groups, p.kernel[0], p.kernel[1]];
    if (x![0] !== y![0] || x![1]! % p.groups !== 0 || y![1]! % p.groups !== 0) {
      throw new ShapeError(`${op}: input ${formatShape(x!)} and output ${formatShape(y!)} do not fit groups ${p.groups}`);
    }
    const oh = convDim(x![2]!, w[2]!, p.stride[0], p.padding[0], p.dilation[0]);
    const ow = convDim(x![3]!, w[3]!, p.stride[1], p.padding[1], p.dilation[1]);
    if (oh !== y![2] || ow !== y![3]) throw new ShapeError(`${op}: output ${formatShape(y!)} is not the conv2d output of ${formatShape(x!)} with kernel ${formatShape(p.kernel)}`);
    return w;
  },
  dtype: floatOperands('conv2dWeightGrad'),
  lower: kernelLowering,
  kernel: kernelOf('weightGrad'),
  jvp: (t, p, _out, q) => bilinearJvp((a, b) => conv2dWeightGrad(a, b, geometryOf(q), q.kernel), t, p),
  // <ct, W(x, y)> = <convᵀ(y, ct), x> = <conv(x, ct), y>
  vjp: (ct, [x, y], _out, q, wanted) => [
    wanted[0] ? convTranspose2d(y!, ct, geometryOf(q), spatial(dimsOf(x!))) : null,
    wanted[1] ? conv2d(x!, ct, geometryOf(q)) : null,
  ],
  // Element b's weight gradient is group b of the gradient with the batch in the channels.
  batch: ([x, y], [dx, dy], q, size) => {
    const w = conv2dWeightGrad(intoChannels(x!, dx, size), intoChannels(y!, dy, size), batchGroups(q, size), q.kernel);
    const s = dimsOf(w);
    return [reshape(w, [size, s[0]! / size, ...s.slice(1)]), 0];
  },
});

/** `[B, N, ...]` (batch axis `d` moved in front) as `[B N, ...]`. */
function foldN(x: AnyTensor, d: number): AnyTensor {
  const front = batchToFront(x, d);
  const s = dimsOf(front);
  return reshape(front, [s[0]! * s[1]!, ...s.slice(2)]);
}

/** `[B N, ...]` back to `[B, N, ...]`. */
function unfoldN(y: AnyTensor, size: number): AnyTensor {
  const s = dimsOf(y);
  return reshape(y, [size, s[0]! / size, ...s.slice(1)]);
}

/** `[N, C, H, W]` per element as `[N, B C, H, W]`: the batch joins the channels (copied along it when unbatched). */
function intoChannels(x: AnyTensor, d: BatchDim, size: number): AnyTensor {
  const front = batchAtFront(x, d, size);
  const s = dimsOf(front).slice(1);
  return reshape(transpose(front, [1, 0, 2, 3, 4]), [s[0]!, size * s[1]!, s[2]!, s[3]!]);
}

/** `[N, B C, H, W]` back to `[N, B, C, H, W]`. */
function unfoldChannels(y: AnyTensor, size: number): AnyTensor {
  const s = dimsOf(y);
  return reshape(y, [s[0]!, size, s[1]! / size, s[2]!, s[3]!]);
}

/** The geometry with every group repeated per batch element. */
function batchGroups<G extends ConvGeometry>(g: G, size: number): G {
  return { ...g, groups: g.groups * size };
}

/**
 * `y = conv2d(x, w)` for x `[N, C, H, W]`, w `[O, C/G, kH, kW]` and a resolved geometry.
 *
 * @example
 * ```ts
 * import { convGeometry } from '../shape/conv.js';
 * conv2d(x, w, convGeometry('conv2d', [3, 3], { padding: 1 })); // x [N, C, H, W], w [O, C, 3, 3]
 * ```
 */
export const conv2d = (x: AnyTensor, w: AnyTensor, g: ConvGeometry): AnyTensor => bind(conv2dPrim, [x, w], g);

/**
 * The transpose of `conv2d` in `x`: `[N, O, OH, OW]` back to `[N, C, H, W]` with `[H, W] = inSize`.
 *
 * @example
 * ```ts
 * convTranspose2d(ct, w, g, [28, 28]); // the cotangent of x in y = conv2d(x, w, g)
 * ```
 */
export const convTranspose2d = (y: AnyTensor, w: AnyTensor, g: ConvGeometry, inSize: readonly [number, number]): AnyTensor =>
  bind(convTranspose2dPrim, [y, w], { ...geometryOf(g), inSize });

/**
 * The transpose of `conv2d` in `w`: `Σ_{n,i,j} y[n,o,i,j] x[n, c, window]`, shape `[O, C/G, kH, kW]`.
 *
 * @example
 * ```ts
 * conv2dWeightGrad(x, ct, g, [3, 3]); // the cotangent of w in y = conv2d(x, w, g)
 * ```
 */
export const conv2dWeightGrad = (x: AnyTensor, y: AnyTensor, g: ConvGeometry, kernel: readonly [number, number]): AnyTensor =>
  bind(conv2dWeightGradPrim, [x, y], { ...geometryOf(g), kernel });
