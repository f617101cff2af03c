/**
 * Convolution and pooling shapes, PyTorch's layout: input `[N, C, H, W]`,
 * weights `[O, C / groups, kH, kW]`, output `[N, O, OH, OW]` with, per
 * spatial dim,
 *
 *     OH = floor((H + padLo + padHi - d (k - 1) - 1) / s) + 1
 *
 * computed at compile time for literal dims (`number` and `Sym` dims give
 * `number`, checked at run time). Since `floor(a / s) + 1 = ceil((a + 1) / s)`
 * for `a >= 0`, the type computes `DivCeil<a + 1, s>`; a negative `a` (the
 * dilated kernel is larger than the padded input) is the error
 * `conv2d: kernel larger than padded input: [1,1,2,2] x [1,1,3,3]`.
 *
 * @module
 */
import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import type { Add, Compare, DivCeil, Mul, Sub } from './arith.js';
import type { Shape } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { FormatShape } from './format.js';
import type { UnifyEqual } from './unify.js';
import { describeValue } from '../core/describe.js';
import { checkOptions } from '../core/validate.js';

/**
 * A size per spatial dim: one number for both, or a pair `[h, w]`.
 *
 * @example
 * ```ts
 * const stride: Pair = [2, 1];
 * ```
 */
export type Pair = number | readonly [number, number];

/**
 * Padding: a number or pair (both sides), `'valid'` (none) or `'same'` (output size = input size; stride 1).
 *
 * @example
 * ```ts
 * const padding: Padding = 'same';
 * ```
 */
export type Padding = Pair | 'same' | 'valid';

/**
 * The options of `conv2d` (and, with numbers instead of pairs, `conv1d`).
 *
 * @example
 * ```ts
 * conv2d(x, w, { stride: 2, padding: [1, 0], dilation: 1, groups: 1 });
 * ```
 */
export interface ConvOptions {
  /** Step between windows. Default 1. */
  readonly stride?: Pair;
  /** Zeros added on both sides of each spatial dim. Default 0. */
  readonly padding?: Padding;
  /** Spacing between kernel taps. Default 1. */
  readonly dilation?: Pair;
  /** Channel groups: input and output channels split into `groups` independent convolutions. Default 1. */
  readonly groups?: number;
}

/**
 * The geometry of a 2-d convolution with every option resolved: stride,
 * padding as `[lo, hi]` per spatial dim, dilation and groups.
 *
 * @example
 * ```ts
 * convGeometry('conv2d', [3, 3], { padding: 1 }); // { stride: [1, 1], padding: [[1, 1], [1, 1]], dilation: [1, 1], groups: 1 }
 * ```
 */
export interface ConvGeometry {
  readonly stride: readonly [number, number];
  readonly padding: readonly [readonly [number, number], readonly [number, number]];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

// ---------------------------------------------------------------------------
// Types

/**
 * `[a, a]` for a number, the pair itself, `[Dflt, Dflt]` when not given.
 *
 * @example
 * ```ts
 * type P = PairOf<2, 1>; // [2, 2]
 * ```
 */
export type PairOf<V, Dflt extends number> = V extends readonly [infer A, infer B] ? [A, B] : V extends number ? [V, V] : [Dflt, Dflt];

/**
 * One output dim, `floor((H + pads - d (k - 1) - 1) / s) + 1`, or `false`
 * when the dilated kernel does not fit the padded input.
 *
 * @example
 * ```ts
 * type A = ConvDim<28, 3, 1, 2, 1>; // 28
 * type B = ConvDim<28, 2, 2, 0, 1>; // 14
 * ```
 */
export type ConvDim<H, K, S, PadTotal, D> =
  Sub<Add<H, PadTotal>, Add<Mul<D, Sub<K, 1>>, 1>> extends infer A
    ? [A] extends [never]
      ? false
      : DivCeil<Add<A, 1>, S>
    : never;

/** Padding totals per dim: 'valid' is 0; 'same' keeps the size (handled apart); `p` on both sides is `2p`. */
type PadTotals<P> = P extends 'valid' ? [0, 0] : PairOf<P, 0> extends [infer A, infer B] ? [Add<A, A>, Add<B, B>] : [number, number];

/**
 * The spatial output dims `[OH, OW]` for input dims and kernel dims, or `false` when the kernel does not fit.
 *
 * @example
 * ```ts
 * type S = ConvSpatial<28, 28, 3, 3, { padding: 1 }>; // [28, 28]
 * ```
 */
export type ConvSpatial<H, W, KH, KW, O> = O extends { readonly padding: 'same' }
  ? [H, W]
  : [ConvDim<H, KH, PairOf<Opt<O, 'stride'>, 1>[0], PadTotals<Opt<O, 'padding'>>[0], PairOf<Opt<O, 'dilation'>, 1>[0]>,
      ConvDim<W, KW, PairOf<Opt<O, 'stride'>, 1>[1], PadTotals<Opt<O, 'padding'>>[1], PairOf<Opt<O, 'dilation'>, 1>[1]>] extends [infer A, infer B]
    ? A extends false
      ? false
      : B extends false
        ? false
        : [A, B]
    : never;

/** An option's type, `undefined` when not given. */
type Opt<O, K extends string> = K extends keyof O ? O[K] : undefined;
type GroupsOf<O> = Opt<O, 'groups'> extends infer G extends number ? G : 1;

/**
 * The shape of `conv2d(x, w, options)`, or a `ShapeMismatch`:
 * `conv2d: channels differ: input [64,3,28,28] x weights [32,1,3,3] (groups 1)`,
 * `conv2d: kernel larger than padded input: [1,1,2,2] x [1,1,3,3]`,
 * `conv2d: needs input [N,C,H,W] and weights [O,C/groups,kH,kW], got [3,28,28] x [32,1,3,3]`.
 *
 * @example
 * ```ts
 * type A = Conv2d<[64, 1, 28, 28], [32, 1, 3, 3], { padding: 1 }>; // [64, 32, 28, 28]
 * type B = Conv2d<[64, 32, 14, 14], [64, 32, 3, 3], {}>;           // [64, 64, 12, 12]
 * ```
 */
export type Conv2d<X extends Shape, W extends Shape, O, Op extends string = 'conv2d'> = [X] extends [never]
  ? never
  : [W] extends [never]
    ? never
    : X extends readonly [infer N, infer C, infer H, infer Wd]
      ? W extends readonly [infer Oc, infer Cg, infer KH, infer KW]
        ? UnifyEqual<Mul<Cg, GroupsOf<O>>, C> extends false
          ? ShapeMismatch<`${Op}: channels differ: input ${FormatShape<X>} x weights ${FormatShape<W>} (groups ${GroupsOf<O>})`>
          : ConvSpatial<H, Wd, KH, KW, O> extends [infer OH, infer OW]
            ? [N, Oc, OH, OW]
            : ShapeMismatch<`${Op}: kernel larger than padded input: ${FormatShape<X>} x ${FormatShape<W>}`>
        : ShapeMismatch<`${Op}: needs input [N,C,H,W] and weights [O,C/groups,kH,kW], got ${FormatShape<X>} x ${FormatShape<W>}`>
      : ShapeMismatch<`${Op}: needs input [N,C,H,W] and weights [O,C/groups,kH,kW], got ${FormatShape<X>} x ${FormatShape<W>}`>;

/** `conv1d` options as `conv2d` options over a `[1, L]` image. */
type Conv1dAs2d<O> = {
  stride: [1, Opt<O, 'stride'> extends infer S extends number ? S : 1];
  padding: Opt<O, 'padding'> extends infer P ? (P extends 'same' | 'valid' ? P : [0, P extends number ? P : 0]) : never;
  dilation: [1, Opt<O, 'dilation'> extends infer D extends number ? D : 1];
  groups: GroupsOf<O>;
};

/**
 * The shape of `conv1d(x, w, options)`: input `[N, C, L]`, weights
 * `[O, C / groups, k]`, output `[N, O, L']`; the messages of {@link Conv2d}
 * with `conv1d`.
 *
 * @example
 * ```ts
 * type A = Conv1d<[8, 4, 100], [16, 4, 5], { stride: 2 }>; // [8, 16, 48]
 * ```
 */
export type Conv1d<X extends Shape, W extends Shape, O> = [X] extends [never]
  ? never
  : [W] extends [never]
    ? never
    : X extends readonly [infer N extends number, infer C extends number, infer L extends number]
      ? W extends readonly [infer Oc extends number, infer Cg extends number, infer K extends number]
        ? Conv2d<[N, C, 1, L], [Oc, Cg, 1, K], Conv1dAs2d<O>, 'conv1d'> extends infer R
          ? R extends readonly [infer A, infer B, unknown, infer D]
            ? [A, B, D]
            : R extends ShapeMismatch<string>
              ? ShapeMismatch<
                  R extends ShapeMismatch<`conv1d: channels differ${string}`>
                    ? `conv1d: channels differ: input ${FormatShape<X>} x weights ${FormatShape<W>} (groups ${GroupsOf<O>})`
                    : `conv1d: kernel larger than padded input: ${FormatShape<X>} x ${FormatShape<W>}`
                >
              : never
          : never
        : ShapeMismatch<`conv1d: needs input [N,C,L] and weights [O,C/groups,k], got ${FormatShape<X>} x ${FormatShape<W>}`>
      : ShapeMismatch<`conv1d: needs input [N,C,L] and weights [O,C/groups,k], got ${FormatShape<X>} x ${FormatShape<W>}`>;

/**
 * The options of `maxPool2d` and `avgPool2d`.
 *
 * @example
 * ```ts
 * maxPool2d(x, 3, { stride: 2, padding: 1 });
 * ```
 */
export interface PoolOptions {
  /** Step between windows. Default: the kernel size. */
  readonly stride?: Pair;
  /** Padding on both sides (at most half the kernel). Default 0. */
  readonly padding?: Pair;
  /** Spacing between window taps (max pooling only). Default 1. */
  readonly dilation?: Pair;
  /**
   * Count a last, partial window on the high side (PyTorch's `ceil_mode`):
   * `ceil` instead of `floor` in the output size, less that window when it
   * would start past the input and its left padding. Default false.
   */
  readonly ceilMode?: boolean;
}

/**
 * One pooled dim in ceil mode (PyTorch's `ceil_mode`): with
 * `A = H + 2p - d (k - 1) - 1`, `Q = ceil(A / s)` windows after the first,
 * less the last when it would start at or past `H + p`; `false` when the
 * window does not fit.
 *
 * @example
 * ```ts
 * type A = CeilPoolDim<7, 2, 2, 0, 1>; // 4 (floor mode: 3)
 * type B = CeilPoolDim<6, 2, 2, 0, 1>; // 3
 * ```
 */
export type CeilPoolDim<H, K, S, P, D> =
  Sub<Add<H, Add<P, P>>, Add<Mul<D, Sub<K, 1>>, 1>> extends infer A
    ? [A] extends [never]
      ? false
      : DivCeil<A, S> extends infer Q
        ? Compare<Mul<Q, S>, Add<H, P>> extends 'lt'
          ? Add<Q, 1>
          : Q
        : never
    : never;

/** The pooled `[OH, OW]` (`false` when the window does not fit): floor mode is the convolution's rule; `ceilMode: boolean` gives `number` dims. */
type PoolSpatial<H, W, KH, KW, O, Ceil> = [Ceil] extends [false | undefined]
  ? ConvSpatial<H, W, KH, KW, O>
  : [CeilPoolDim<H, KH, PairOf<Opt<O, 'stride'>, 1>[0], PairOf<Opt<O, 'padding'>, 0>[0], PairOf<Opt<O, 'dilation'>, 1>[0]>,
      CeilPoolDim<W, KW, PairOf<Opt<O, 'stride'>, 1>[1], PairOf<Opt<O, 'padding'>, 0>[1], PairOf<Opt<O, 'dilation'>, 1>[1]>] extends [infer A, infer B]
    ? A extends false
      ? false
      : B extends false
        ? false
        : [Ceil] extends [true]
          ? [A, B]
          : [number, number]
    : never;

/**
 * The shape of `maxPool2d(x, kernel, options)` / `avgPool2d`: `[N, C, OH, OW]`
 * with the stride defaulting to the kernel, or
 * `maxPool2d: window larger than padded input: [1,1,2,2] with kernel [3,3]`.
 *
 * @example
 * ```ts
 * type A = Pool2d<[64, 32, 28, 28], 2, {}>; // [64, 32, 14, 14]
 * ```
 */
export type Pool2d<X extends Shape, K, O, Op extends string = 'maxPool2d'> = [X] extends [never]
  ? never
  : X extends readonly [infer N, infer C, infer H, infer W]
    ? PairOf<K, 1> extends [infer KH, infer KW]
      ? PoolSpatial<H, W, KH, KW, { stride: Opt<O, 'stride'> extends undefined ? PairOf<K, 1> : Opt<O, 'stride'>; padding: Opt<O, 'padding'>; dilation: Opt<O, 'dilation'> }, Opt<O, 'ceilMode'>> extends [
          infer OH,
          infer OW,
        ]
        ? [N, C, OH, OW]
        : ShapeMismatch<`${Op}: window larger than padded input: ${FormatShape<X>} with kernel ${FormatShape<PairOf<K, 1>>}`>
      : never
    : ShapeMismatch<`${Op}: needs input [N,C,H,W], got ${FormatShape<X>}`>;

// ---------------------------------------------------------------------------
// Run time

function positive(op: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ValueError(`${op}: ${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer, got ${describeValue(v)}`);
  return v;
}

/**
 * A `number | [h, w]` option as a checked pair of integers >= `min`.
 *
 * @example
 * ```ts
 * pairOf('conv2d', 'stride', 2, 1, 1);      // [2, 2]
 * pairOf('conv2d', 'stride', [2, 1], 1, 1); // [2, 1]
 * ```
 */
export function pairOf(op: string, name: string, v: Pair | undefined, dflt: number, min: number): [number, number] {
  if (v === undefined) return [dflt, dflt];
  if (typeof v === 'number') return [positive(op, name, v, min), positive(op, name, v, min)];
  if (!Array.isArray(v) || v.length !== 2) throw new ValueError(`${op}: ${name} must be a number or a pair [h, w], got ${describeValue(v)}`);
  return [positive(op, name, v[0], min), positive(op, name, v[1], min)];
}

/**
 * Resolves conv options against the kernel's spatial size: `'same'` pads
 * `d (k - 1)` in total, the odd one on the high side (as PyTorch), and
 * needs stride 1.
 *
 * @example
 * ```ts
 * convGeometry('conv2d', [3, 3], { padding: 'same' }); // padding [[1, 1], [1, 1]]
 * ```
 */
export function convGeometry(op: string, kernel: readonly [number, number], options: ConvOptions = {}): ConvGeometry {
  const o = checkOptions<ConvOptions>(op, options);
  const stride = pairOf(op, 'stride', o.stride, 1, 1);
  const dilation = pairOf(op, 'dilation', o.dilation, 1, 1);
  const groups = o.groups === undefined ? 1 : positive(op, 'groups', o.groups, 1);
  const p = o.padding;
  let padding: [[number, number], [number, number]];
  if (p === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new ValueError(`${op}: padding 'same' needs stride 1, got ${describeValue(o.stride)}`);
    const t = [0, 1].map((i) => dilation[i]! * (kernel[i]! - 1));
    padding = [[Math.floor(t[0]! / 2), t[0]! - Math.floor(t[0]! / 2)], [Math.floor(t[1]! / 2), t[1]! - Math.floor(t[1]! / 2)]];
  } else if (p === 'valid') {
    padding = [[0, 0], [0, 0]];
  } else {
    const [ph, pw] = pairOf(op, 'padding', p, 0, 0);
    padding = [[ph, ph], [pw, pw]];
  }
  return { stride, padding, dilation, groups };
}

/**
 * One output dim, or -1 when the dilated kernel is larger than the padded input.
 *
 * @example
 * ```ts
 * convDim(28, 3, 1, [1, 1], 1); // 28
 * convDim(2, 3, 1, [0, 0], 1);  // -1: the kernel does not fit
 * ```
 */
export function convDim(size: number, k: number, s: number, pad: readonly [number, number], d: number): number {
  const a = size + pad[0] + pad[1] - d * (k - 1) - 1;
  return a < 0 ? -1 : Math.floor(a / s) + 1;
}

/**
 * One pooled dim and the padding that gives it: `[out, [lo, hi]]` with
 * `out = -1` when the window does not fit. In ceil mode (PyTorch's
 * `ceil_mode`) a last, partial window is kept unless it would start at or
 * past `size + p`, and `hi` grows by what that window hangs over.
 *
 * @example
 * ```ts
 * poolDim(7, 2, 2, 0, 1, false); // [3, [0, 0]]
 * poolDim(7, 2, 2, 0, 1, true);  // [4, [0, 1]]
 * ```
 */
export function poolDim(size: number, k: number, s: number, p: number, d: number, ceil: boolean): [number, [number, number]] {
  const a = size + 2 * p - d * (k - 1) - 1;
  if (a < 0) return [-1, [p, p]];
  if (!ceil) return [Math.floor(a / s) + 1, [p, p]];
  let q = Math.ceil(a / s);
  if (q * s >= size + p) q -= 1;
  const out = q + 1;
  return [out, [p, p + Math.max(0, (out - 1) * s + d * (k - 1) + 1 - (size + 2 * p))]];
}

/**
 * The output shape of a 2-d convolution (see {@link Conv2d}); throws
 * `ShapeError` with the messages of the type.
 *
 * @example
 * ```ts
 * conv2dShape('conv2d', [64, 1, 28, 28], [32, 1, 3, 3], convGeometry('conv2d', [3, 3], { padding: 1 })); // [64, 32, 28, 28]
 * ```
 */
export function conv2dShape(op: string, x: readonly number[], w: readonly number[], g: ConvGeometry): number[] {
  if (x.length !== 4 || w.length !== 4) {
    throw new ShapeError(`${op}: needs input [N,C,H,W] and weights [O,C/groups,kH,kW], got ${formatShape(x)} x ${formatShape(w)}`);
  }
  if (w[1]! * g.groups !== x[1]) throw new ShapeError(`${op}: channels differ: input ${formatShape(x)} x weights ${formatShape(w)} (groups ${g.groups})`);
  if (w[0]! % g.groups !== 0) throw new ShapeError(`${op}: groups ${g.groups} do not divide the ${w[0]} output channels of weights ${formatShape(w)}`);
  const oh = convDim(x[2]!, w[2]!, g.stride[0], g.padding[0], g.dilation[0]);
  const ow = convDim(x[3]!, w[3]!, g.stride[1], g.padding[1], g.dilation[1]);
  if (oh < 0 || ow < 0) throw new ShapeError(`${op}: kernel larger than padded input: ${formatShape(x)} x ${formatShape(w)}`);
  return [x[0]!, w[0]!, oh, ow];
}

/**
 * PyTorch's rule for pooling: padding at most half the kernel, so no window is all padding.
 *
 * @example
 * ```ts
 * checkPoolPadding('maxPool2d', [2, 2], [1, 1]); // fine
 * checkPoolPadding('maxPool2d', [2, 2], [2, 2]); // ValueError
 * ```
 */
export function checkPoolPadding(op: string, kernel: readonly [number, number], padding: readonly [number, number]): void {
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
    throw new ValueError(`${op}: padding ${formatShape(padding)} must be at most half the kernel ${formatShape(kernel)}`);
  }
}

/**
 * The options of `convTranspose2d` (PyTorch's `conv_transpose2d`).
 *
 * @example
 * ```ts
 * convTranspose2d(x, w, { stride: 2, padding: 1, outputPadding: 1 });
 * ```
 */
export interface ConvTransposeOptions {
  readonly stride?: Pair;
  /** Removed from both sides of each spatial dim of the result. Default 0. */
  readonly padding?: Pair;
  /** Added to the high side of the result (less than the stride or the dilation). Default 0. */
  readonly outputPadding?: Pair;
  readonly dilation?: Pair;
  readonly groups?: number;
}

/** `(H - 1) s - 2p + d (k - 1) + op + 1`, or `false` when negative. */
type TransposeDim<H, K, S, P, D, OP> = Sub<Add<Add<Add<Mul<Sub<H, 1>, S>, Mul<D, Sub<K, 1>>>, OP>, 1>, Add<P, P>> extends infer R
  ? [R] extends [never]
    ? false
    : R
  : never;

/**
 * The shape of `convTranspose2d(x, w, options)`: input `[N, Cin, H, W]`,
 * weights `[Cin, Cout / groups, kH, kW]`, output `[N, Cout, H', W']` with
 * `H' = (H - 1) s - 2p + d (k - 1) + outputPadding + 1`; or
 * `convTranspose2d: channels differ: input [1,3,4,4] x weights [2,1,3,3]`.
 *
 * @example
 * ```ts
 * type A = ConvTranspose2d<[1, 16, 7, 7], [16, 8, 2, 2], { stride: 2 }>; // [1, 8, 14, 14]
 * ```
 */
export type ConvTranspose2d<X extends Shape, W extends Shape, O> = [X] extends [never]
  ? never
  : [W] extends [never]
    ? never
    : X extends readonly [infer N, infer C, infer H, infer Wd]
      ? W extends readonly [infer Ci, infer Cg, infer KH, infer KW]
        ? UnifyEqual<Ci, C> extends false
          ? ShapeMismatch<`convTranspose2d: channels differ: input ${FormatShape<X>} x weights ${FormatShape<W>}`>
          : [
                TransposeDim<H, KH, PairOf<Opt<O, 'stride'>, 1>[0], PairOf<Opt<O, 'padding'>, 0>[0], PairOf<Opt<O, 'dilation'>, 1>[0], PairOf<Opt<O, 'outputPadding'>, 0>[0]>,
                TransposeDim<Wd, KW, PairOf<Opt<O, 'stride'>, 1>[1], PairOf<Opt<O, 'padding'>, 0>[1], PairOf<Opt<O, 'dilation'>, 1>[1], PairOf<Opt<O, 'outputPadding'>, 0>[1]>,
              ] extends [infer A, infer B]
            ? A extends false
              ? ShapeMismatch<`convTranspose2d: padding larger than the output: ${FormatShape<X>} x ${FormatShape<W>}`>
              : B extends false
                ? ShapeMismatch<`convTranspose2d: padding larger than the output: ${FormatShape<X>} x ${FormatShape<W>}`>
                : [N, Mul<Cg, GroupsOf<O>>, A, B]
            : never
        : ShapeMismatch<`convTranspose2d: needs input [N,C,H,W] and weights [C,Cout/groups,kH,kW], got ${FormatShape<X>} x ${FormatShape<W>}`>
      : ShapeMismatch<`convTranspose2d: needs input [N,C,H,W] and weights [C,Cout/groups,kH,kW], got ${FormatShape<X>} x ${FormatShape<W>}`>;

/**
 * The shape of `adaptiveAvgPool2d(x, size)`: `[N, C, ...PairOf<size>]`.
 *
 * @example
 * ```ts
 * type A = AdaptivePool2d<[8, 64, 7, 7], 1>; // [8, 64, 1, 1]
 * ```
 */
export type AdaptivePool2d<X extends Shape, Size> = [X] extends [never]
  ? never
  : X extends readonly [infer N, infer C, unknown, unknown]
    ? [N, C, ...PairOf<Size, 1>]
    : ShapeMismatch<`adaptiveAvgPool2d: needs input [N,C,H,W], got ${FormatShape<X>}`>;
