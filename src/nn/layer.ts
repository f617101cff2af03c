/**
 * What a layer is: a pair of pure functions. `init(key)` returns a typed
 * parameter tree; `apply(params, x, options?)` maps a tensor whose trailing
 * dims are the layer's input features to one whose trailing dims are its
 * output features, keeping any leading (batch) dims. A stateful layer
 * (`batchNorm`) also has `initState()`, takes its state after the params and
 * returns `[y, newState]`.
 *
 * Nothing here needs a class or a registry: a plain function
 * `(p, x) => sigmoid(add(matmul(x, p.w), p.b))` is as good a model.
 */
import type { DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Key } from '../random/key.js';
import type { Dim, Shape } from '../shape/dim.js';
import type { Check, Ok, ShapeMismatch } from '../shape/errors.js';
import { describeValue } from '../core/describe.js';

/** Whether a layer runs for training (dropout active, batch statistics) or evaluation. */
export type Mode = 'train' | 'eval';

/** Options of `apply` for layers that do not depend on the mode. */
export interface ApplyOptions {
  readonly mode?: Mode;
  /** The key for random layers (dropout in `'train'` mode). */
  readonly key?: Key;
}

/** Options of `apply` for layers that depend on the mode: it must be given. */
export interface ModeOptions {
  readonly mode: Mode;
  /** The key for random layers (dropout in `'train'` mode). */
  readonly key?: Key;
}

/** The options argument of `apply`: required when the layer depends on the mode. */
export type ApplyArgs<NeedsMode extends boolean> = NeedsMode extends true ? [options: ModeOptions] : [options?: ApplyOptions];

/** The output dtype: the input's when the layer keeps it (`'same'`), else the layer's. */
export type OutDType<DOut, DX> = DOut extends 'same' ? DX : DOut;

/**
 * A stateless layer. `In` and `Out` are its feature shapes (the trailing
 * dims it consumes and produces), `P` its parameter tree, `DIn` the input
 * dtypes it accepts and `DOut` its output dtype (`'same'`: the input's).
 * `NeedsMode` layers (dropout) require `{ mode }` in `apply`.
 *
 * @example
 * ```ts
 * const layer = nn.linear(30, 1);      // Layer<[30], [1], { w: Tensor<[30, 1]>; b: Tensor<[1]> }>
 * const p = layer.init(random.key(0));
 * const y = layer.apply(p, x);         // x: Tensor<[B, 30]> -> Tensor<[B, 1]>
 * ```
 */
export interface Layer<In extends Shape, Out extends Shape, P, DIn extends DType = 'float32', DOut extends DType | 'same' = DIn, NeedsMode extends boolean = false> {
  readonly kind: 'layer';
  /** The layer's name in messages (`linear(784, 128)`). */
  readonly name: string;
  /** The trailing dims the layer consumes. */
  readonly inFeatures: Readonly<In>;
  /** The trailing dims the layer produces. */
  readonly outFeatures: Readonly<Out>;
  /** Whether `apply` needs `{ mode }`. */
  readonly needsMode: NeedsMode;
  /** Whether `apply` in `'train'` mode needs a key. */
  readonly usesKey: boolean;
  /** A fresh parameter tree from `key`. */
  init(key: Key): P;
  /** The layer applied to `x`, whose trailing dims are `In`; leading dims `L` are kept. */
  apply<L extends Dim[], DX extends DIn>(params: P, x: Tensor<[...L, ...In], DX>, ...options: ApplyArgs<NeedsMode>): Tensor<[...L, ...Out], OutDType<DOut, DX>>;
}

/**
 * A layer with state that is neither a parameter nor differentiated
 * (batch norm's running statistics): it comes in after the params and goes
 * out next to the result, and the mode is always required.
 *
 * @example
 * ```ts
 * const bn = nn.batchNorm(16);
 * let stats = bn.initState();
 * let y;
 * [y, stats] = bn.apply(bn.init(key), stats, x, { mode: 'train' });
 * ```
 */
export interface StatefulLayer<In extends Shape, Out extends Shape, P, St, DIn extends DType = 'float32', DOut extends DType | 'same' = DIn> {
  readonly kind: 'stateful';
  readonly name: string;
  readonly inFeatures: Readonly<In>;
  readonly outFeatures: Readonly<Out>;
  readonly needsMode: true;
  readonly usesKey: boolean;
  init(key: Key): P;
  /** The initial state. */
  initState(): St;
  apply<L extends Dim[], DX extends DIn>(
    params: P,
    state: St,
    x: Tensor<[...L, ...In], DX>,
    options: ModeOptions,
  ): [y: Tensor<[...L, ...Out], OutDType<DOut, DX>>, state: St];
}

/** Any layer, whatever its types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest layer types
export type AnyLayer =
  | Layer<any, any, any, any, any, any>
  | StatefulLayer<any, any, any, any, any, any>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest layer types
  | ShapedLayer<any, any, any, any, any>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest layer types
  | ShapedStatefulLayer<any, any, any, any, any, any>;

/** The parameter tree type of a layer. */
export type ParamsOf<L> = L extends { init(key: Key): infer P } ? P : never;

/** @internal Checks the options of a mode-dependent layer at run time. */
export function modeOf(op: string, options: unknown, required: boolean): Mode | undefined {
  const mode = (options as ApplyOptions | undefined)?.mode;
  if (mode === undefined) {
    if (required) throw new ValueError(`${op}: apply needs { mode: 'train' | 'eval' }`);
    return undefined;
  }
  if (mode !== 'train' && mode !== 'eval') throw new ValueError(`${op}: mode must be 'train' or 'eval', got ${describeValue(mode)}`);
  return mode;
}

declare const shapeFnTag: unique symbol;

/**
 * A type-level function from feature shapes to feature shapes (a
 * higher-kinded type: `out` reads `this['in']`). Layers whose output size
 * depends on their input size (convolutions, pooling, flatten) carry one,
 * so `sequential` can compute sizes across them.
 *
 * @example
 * ```ts
 * interface Double extends ShapeFn { out: this['in'] extends [infer N extends number] ? [Mul<N, 2>] : never }
 * type T = ApplyShapeFn<Double, [3]>; // [6]
 * ```
 */
export interface ShapeFn {
  /** `unknown` here, so that `this['in']` is exactly the shape applied (not an intersection with `Shape`). */
  readonly in: unknown;
  readonly out: unknown;
}

/** `F` applied to the feature shape `S`: a shape, or a message string when `S` does not fit. */
export type ApplyShapeFn<F extends ShapeFn, S extends Shape> = (F & { readonly in: S })['out'];

/** The last `N` dims of `S` and the dims before them, or `false` when `S` is shorter. */
export type SplitLast<S extends readonly unknown[], N extends number, Acc extends unknown[] = []> = Acc['length'] extends N
  ? [S, Acc]
  : S extends readonly [...infer R, infer L]
    ? SplitLast<R, N, [L, ...Acc]>
    : false;

/**
 * The result shape of a shaped layer with feature pattern `In` and function
 * `F` on an input of shape `X`: leading dims kept, the last `In['length']`
 * mapped by `F`; a message when `X` is too short or `F` rejects it.
 */
export type ShapedOut<F extends ShapeFn, In extends Shape, X extends Shape> =
  SplitLast<X, In['length']> extends [infer L extends Shape, infer S extends Shape]
    ? ApplyShapeFn<F, S> extends infer O
      ? O extends Shape
        ? [...L, ...O]
        : O extends string
          ? ShapeMismatchOf<O>
          : never
      : never
    : ShapeMismatchOf<`layer: input needs at least ${In['length']} dims`>;
type ShapeMismatchOf<M extends string> = ShapeMismatch<M>;

/**
 * A stateless layer whose output features are computed from its input
 * features (`nn.conv2d`, `nn.maxPool2d`, `nn.flatten`): `In` is the pattern
 * of feature dims it consumes (`number` where any size goes), `F` the
 * type-level rule. At run time `outFor` is the same rule (-1 for a size not
 * known yet).
 *
 * @example
 * ```ts
 * const conv = nn.conv2d(1, 32, 3, { padding: 1 });
 * conv.apply(conv.init(random.key(0)), zeros([64, 1, 28, 28])); // Tensor<[64, 32, 28, 28]>
 * ```
 */
export interface ShapedLayer<In extends Shape, F extends ShapeFn, P, DIn extends DType = 'float32', DOut extends DType | 'same' = DIn> {
  readonly kind: 'layer';
  readonly name: string;
  /** The feature dims it consumes; -1 where any size goes. */
  readonly inFeatures: Readonly<In>;
  /** The feature dims it produces for `inFeatures` (-1 where unknown). */
  readonly outFeatures: readonly number[];
  readonly needsMode: false;
  readonly usesKey: false;
  /** Phantom: the type-level shape rule. Absent at run time. */
  readonly [shapeFnTag]: F;
  /** The output features for input features `features` (-1 dims stay unknown); throws `ShapeError` naming the layer. */
  outFor(features: readonly number[]): number[];
  init(key: Key): P;
  apply<X extends Shape, DX extends DIn>(params: P, x: Tensor<X, DX> & Check<ShapedOut<F, In, X>>, options?: ApplyOptions): Tensor<Ok<ShapedOut<F, In, X>>, OutDType<DOut, DX>>;
}

/** A stateful {@link ShapedLayer} (`nn.batchNorm2d`): state in after the params, out next to the result. */
export interface ShapedStatefulLayer<In extends Shape, F extends ShapeFn, P, St, DIn extends DType = 'float32', DOut extends DType | 'same' = DIn> {
  readonly kind: 'stateful';
  readonly name: string;
  readonly inFeatures: Readonly<In>;
  readonly outFeatures: readonly number[];
  readonly needsMode: true;
  readonly usesKey: false;
  readonly [shapeFnTag]: F;
  outFor(features: readonly number[]): number[];
  init(key: Key): P;
  initState(): St;
  apply<X extends Shape, DX extends DIn>(
    params: P,
    state: St,
    x: Tensor<X, DX> & Check<ShapedOut<F, In, X>>,
    options: ModeOptions,
  ): [y: Tensor<Ok<ShapedOut<F, In, X>>, OutDType<DOut, DX>>, state: St];
}

/** The type-level shape rule of a shaped layer, or `null` for a plain one. */
export type ShapeFnOf<T> = T extends { readonly [shapeFnTag]: infer F extends ShapeFn } ? F : null;
