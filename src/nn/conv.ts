/**
 * Image layers on `[..., C, H, W]` features: `conv2d`, `maxPool2d`,
 * `avgPool2d`, `batchNorm2d`, and the bridges `flatten` (features to a
 * vector) and `unflatten` (a vector to features). Each carries its shape
 * rule as a type, so inside `nn.sequential` the sizes flow from layer to
 * layer at compile time: the classic "what is the flattened size" mistake
 * is a compile error naming the right number.
 *
 * @example
 * ```ts
 * import { nn } from 'typegrad';
 * const cnn = nn.sequential(
 *   nn.unflatten([1, 28, 28]),
 *   nn.conv2d(1, 32, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
 *   nn.conv2d(32, 64, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
 *   nn.flatten(), nn.linear(3136, 128), nn.relu, nn.linear(128, 10),
 * ); // Layer<[784], [10], ...>; nn.linear(3000, 128) instead: "sequential: layer 8 takes [3000] but layer 7 gives [3136]"
 * ```
 */
import type { FloatDType } from '../core/dtype.js';
import { DTypeError, ShapeError, TreeError, ValueError, formatShape, inOp } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { avgPool2d as avgPoolOp, maxPool2d as maxPoolOp } from '../ops/conv.js';
import { split, type Key } from '../random/key.js';
import type { Product } from '../shape/arith.js';
import { convDim, convGeometry, pairOf, poolDim, type Conv2d, type ConvOptions, type Pair, type Pool2d, type PoolOptions } from '../shape/conv.js';
import type { Shape } from '../shape/dim.js';
import type { ShapeMismatch } from '../shape/errors.js';
import { batchNorm, type BatchNormOptions, type BatchNormState, type NormParams } from './norm.js';
import { uniform } from '../random/distributions.js';
import type { Layer, ModeOptions, ShapedLayer, ShapedStatefulLayer, ShapeFn } from './layer.js';
import { describeValue } from '../core/describe.js';
import { checkDims, checkObject, checkOptions } from '../core/validate.js';

/** A shape rule's result as a feature shape (leading `[1, ...]` dropped), or its message. */
type Features<R> = R extends readonly [1, ...infer F] ? F : R extends ShapeMismatch<infer M> ? M : never;

/** The rule of `conv2d(I, O, K, opts)` on features `[I, H, W]`. */
export interface Conv2dFn<I extends number, O extends number, K extends Pair, Opts> extends ShapeFn {
  readonly out: this['in'] extends readonly [infer C, infer H, infer W]
    ? Features<Conv2d<[1, C & number, H & number, W & number], [O, I, PairOf1<K>[0], PairOf1<K>[1]], Opts>>
    : never;
}
type PairOf1<K> = K extends readonly [infer A extends number, infer B extends number] ? [A, B] : K extends number ? [K, K] : [number, number];

/** The parameters of `conv2d(I, O, K)`: weights `[O, I / groups, kH, kW]` (PyTorch's layout) and bias `[O]`. */
export type Conv2dParams<I extends number, O extends number, K extends Pair, D extends FloatDType = 'float32', G extends number = 1> = {
  w: Tensor<[O, G extends 1 ? I : number, PairOf1<K>[0], PairOf1<K>[1]], D>;
  b: Tensor<[O], D>;
};

/** The dtype option, float32 when not given. */
type DTypeOf<Opts> = Opts extends { readonly dtype: infer D extends FloatDType } ? D : 'float32';

/** Options of {@link conv2d}: the op's, plus the dtype and whether to add a bias. */
export interface Conv2dLayerOptions<D extends FloatDType> extends ConvOptions {
  readonly dtype?: D;
  /** Default true. */
  readonly bias?: boolean;
}

function floatTensor(op: string, x: unknown): AnyTensor {
  if (!(x instanceof Tensor) || (x.dtype !== 'float32' && x.dtype !== 'float64')) {
    throw new DTypeError(`${op}: the input must be a float tensor, got ${x instanceof Tensor ? x.dtype : typeof x}`);
  }
  return x as AnyTensor;
}

/** Runs `f` on `x` seen as `[N, C, H, W]` (leading dims merged into N, or N = 1 when there are none) and restores the leading dims. */
function asImages(op: string, x: AnyTensor, f: (images: AnyTensor) => AnyTensor): AnyTensor {
  const s = dimsOf(x);
  if (s.length < 3) throw new ShapeError(`${op}: input ${formatShape(s)} needs [..., C, H, W] features`);
  const lead = s.slice(0, -3);
  const images = s.length === 4 ? x : lax.reshape(x, [lead.reduce((a, b) => a * b, 1), ...s.slice(-3)]);
  const y = f(images);
  return s.length === 4 ? y : lax.reshape(y, [...lead, ...dimsOf(y).slice(1)]);
}

/** More axes than any real input has: a rank above this is a mistake (and would allocate a huge dims list). */
const MAX_RANK = 64;

function checkPositive(op: string, name: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ValueError(`${op}: ${name} must be a positive integer, got ${describeValue(n)}`);
  return n;
}

/**
 * A 2-d convolution layer from `inChannels` to `outChannels` with a
 * `kernel` (number or `[kH, kW]`) and the options of the `conv2d` op.
 * Weights `[O, I / groups, kH, kW]` (PyTorch's layout, so its weights load
 * unchanged) and bias `[O]` start as PyTorch's: uniform in
 * `±1/sqrt(fanIn)` with `fanIn = I / groups · kH · kW` (kaiming_uniform
 * with a = sqrt(5), and the same bound for the bias).
 *
 * @example
 * ```ts
 * import { nn, random, zeros } from 'typegrad';
 * const conv = nn.conv2d(1, 32, 3, { padding: 1 });
 * const p = conv.init(random.key(0));          // { w: Tensor<[32, 1, 3, 3]>; b: Tensor<[32]> }
 * conv.apply(p, zeros([64, 1, 28, 28]));       // Tensor<[64, 32, 28, 28]>
 * ```
 */
export function conv2d<const I extends number, const O extends number, const K extends Pair, const Opts extends Conv2dLayerOptions<FloatDType> = {}>(
  inChannels: I,
  outChannels: O,
  kernel: K,
  options?: Opts,
): ShapedLayer<[I, number, number], Conv2dFn<I, O, K, Opts>, Conv2dParams<I, O, K, DTypeOf<Opts>, Opts['groups'] extends number ? Opts['groups'] : 1>, DTypeOf<Opts>> {
  if (options !== undefined) checkObject('nn.conv2d', 'options', options);
  type D = DTypeOf<Opts>;
  const o: Conv2dLayerOptions<FloatDType> = options ?? {};
  const [kh, kw] = pairOf('nn.conv2d', 'kernel', kernel, 1, 1);
  const name = `conv2d(${inChannels}, ${outChannels}, ${kh === kw ? kh : formatShape([kh, kw])})`;
  checkPositive(name, 'inChannels', inChannels);
  checkPositive(name, 'outChannels', outChannels);
  const g = convGeometry(name, [kh, kw], o);
  if (inChannels % g.groups !== 0 || outChannels % g.groups !== 0) {
    throw new ValueError(`${name}: groups ${g.groups} must divide both channel counts`);
  }
  const dtype = (o.dtype ?? 'float32') as D;
  const useBias = o.bias !== false;
  const wShape = [outChannels, inChannels / g.groups, kh, kw];
  checkDims(name, wShape, 'weight shape'); // refused now, not at init
  // PyTorch: kaiming_uniform(a = sqrt(5)) is U(±sqrt(6 / ((1 + 5) fanIn))) = U(±1/sqrt(fanIn)); the bias uses the same bound.
  const bound = 1 / Math.sqrt((inChannels / g.groups) * kh * kw);
  const outFor = (f: readonly number[]): number[] => {
    if (f.length !== 3 || (f[0] !== inChannels && f[0] !== -1)) throw new ShapeError(`${name}: takes features [${inChannels},?,?], got ${formatShape(f)}`);
    const dims = [0, 1].map((i) => (f[i + 1] === -1 ? -1 : convDim(f[i + 1]!, [kh, kw][i]!, g.stride[i]!, g.padding[i]!, g.dilation[i]!)));
    if (dims.some((d, i) => d === -1 && f[i + 1] !== -1)) throw new ShapeError(`conv2d: kernel larger than padded input: ${formatShape([1, ...f])} x ${formatShape(wShape)}`);
    return [outChannels, dims[0]!, dims[1]!];
  };
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze([inChannels, -1, -1]),
    outFeatures: Object.freeze([outChannels, -1, -1]),
    needsMode: false,
    usesKey: false,
    outFor,
    init(key: Key) {
      const [kw_, kb] = split(key);
      const w = uniform(kw_, wShape, { min: -bound, max: bound, dtype });
      return useBias ? { w, b: uniform(kb, [outChannels], { min: -bound, max: bound, dtype }) } : { w };
    },
    apply(params: unknown, x: unknown) {
      const p = params as { w?: unknown; b?: unknown } | null;
      if (!(p?.w instanceof Tensor)) throw new TreeError(`${name}: params.w must be a tensor`);
      const t = floatTensor(name, x);
      if (t.dtype !== p.w.dtype) throw new DTypeError(`${name}: the input is ${t.dtype} but the parameters are ${p.w.dtype}`);
      return asImages(name, t, (images) => {
        const y = lax.conv2d(images, p.w as AnyTensor, g);
        if (!useBias) return y;
        if (!(p.b instanceof Tensor)) throw new TreeError(`${name}: params.b must be a tensor`);
        return lax.add(y, lax.reshape(p.b as AnyTensor, [outChannels, 1, 1]));
      });
    },
  }) as never;
}

/** The rule of `maxPool2d(K, opts)` / `avgPool2d` on features `[C, H, W]`. */
export interface Pool2dFn<K extends Pair, Opts, Op extends string> extends ShapeFn {
  readonly out: this['in'] extends readonly [infer C, infer H, infer W] ? Features<Pool2d<[1, C & number, H & number, W & number], K, Opts, Op>> : never;
}

function poolLayer<K extends Pair, Opts, Op extends string>(
  op: Op,
  kernel: K,
  options: PoolOptions | undefined,
  run: (x: AnyTensor) => AnyTensor,
): ShapedLayer<[number, number, number], Pool2dFn<K, Opts, Op>, [], FloatDType, 'same'> {
  const k = pairOf(`nn.${op}`, 'kernel', kernel, 1, 1);
  const o = options ?? {};
  const stride = pairOf(`nn.${op}`, 'stride', o.stride ?? k, 1, 1);
  const pad = pairOf(`nn.${op}`, 'padding', o.padding, 0, 0);
  const dil = pairOf(`nn.${op}`, 'dilation', o.dilation, 1, 1);
  const name = `${op}(${k[0] === k[1] ? k[0] : formatShape(k)})`;
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze([-1, -1, -1]),
    outFeatures: Object.freeze([-1, -1, -1]),
    needsMode: false,
    usesKey: false,
    outFor(f: readonly number[]) {
      if (f.length !== 3) throw new ShapeError(`${name}: takes features [C,H,W], got ${formatShape(f)}`);
      const dims = [0, 1].map((i) => (f[i + 1] === -1 ? -1 : poolDim(f[i + 1]!, k[i]!, stride[i]!, pad[i]!, dil[i]!, o.ceilMode === true)[0]));
      if (dims.some((d, i) => d === -1 && f[i + 1] !== -1)) throw new ShapeError(`${op}: window larger than padded input: ${formatShape([1, ...f])} with kernel ${formatShape(k)}`);
      return [f[0]!, dims[0]!, dims[1]!];
    },
    init: () => [],
    apply: (_p: unknown, x: unknown) => asImages(name, floatTensor(name, x), run),
  }) as never;
}

/**
 * A max-pooling layer (`maxPool2d` op): no parameters.
 *
 * @example
 * ```ts
 * const pool = nn.maxPool2d(2);
 * pool.apply([], zeros([64, 32, 28, 28])); // Tensor<[64, 32, 14, 14]>
 * ```
 */
export function maxPool2d<const K extends Pair, const Opts extends PoolOptions = {}>(
  kernel: K,
  options?: Opts,
): ShapedLayer<[number, number, number], Pool2dFn<K, Opts, 'maxPool2d'>, [], FloatDType, 'same'> {
  if (options !== undefined) checkObject('nn.maxPool2d', 'options', options);
  return poolLayer('maxPool2d', kernel, options, (x) => maxPoolOp(x as never, kernel, options) as AnyTensor);
}

/**
 * An average-pooling layer (`avgPool2d` op): no parameters.
 *
 * @example
 * ```ts
 * nn.avgPool2d(2).apply([], zeros([8, 16, 10, 10])); // Tensor<[8, 16, 5, 5]>
 * ```
 */
export function avgPool2d<const K extends Pair, const Opts extends Omit<PoolOptions, 'dilation'> & { readonly countIncludePad?: boolean } = {}>(
  kernel: K,
  options?: Opts,
): ShapedLayer<[number, number, number], Pool2dFn<K, Opts, 'avgPool2d'>, [], FloatDType, 'same'> {
  if (options !== undefined) checkObject('nn.avgPool2d', 'options', options);
  return poolLayer('avgPool2d', kernel, options, (x) => avgPoolOp(x as never, kernel, options) as AnyTensor);
}

/** The rule of `flatten(R)`: the last R feature dims merged. */
export interface FlattenFn extends ShapeFn {
  readonly out: this['in'] extends readonly unknown[] ? [Product<this['in']>] : never;
}

type Repeat<N extends number, Acc extends number[] = []> = Acc['length'] extends N ? Acc : Acc['length'] extends 8 ? number[] : Repeat<N, [...Acc, number]>;

/**
 * Flattens the last `rank` feature dims (default 3: `[C, H, W]`) into one,
 * keeping the batch dims: PyTorch's `nn.Flatten()` on image batches.
 *
 * @example
 * ```ts
 * nn.flatten().apply([], zeros([64, 64, 7, 7])); // Tensor<[64, 3136]>
 * ```
 */
export function flatten<const R extends number = 3>(rank?: R): ShapedLayer<Repeat<R> & Shape, FlattenFn, [], FloatDType, 'same'> {
  const r = checkPositive('nn.flatten', 'rank', rank === undefined ? 3 : rank);
  if (r > MAX_RANK) throw new ValueError(`nn.flatten: rank must be at most ${MAX_RANK}, got ${r}`);
  const name = `flatten(${r})`;
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze(new Array<number>(r).fill(-1)),
    outFeatures: Object.freeze([-1]),
    needsMode: false,
    usesKey: false,
    outFor(f: readonly number[]) {
      return [f.includes(-1) ? -1 : f.reduce((a, b) => a * b, 1)];
    },
    init: () => [],
    apply(_p: unknown, x: unknown) {
      if (!(x instanceof Tensor)) throw new DTypeError(`${name}: the input must be a tensor, got ${typeof x}`);
      const s = dimsOf(x);
      if (s.length < r) throw new ShapeError(`${name}: input ${formatShape(s)} has fewer than ${r} dims`);
      return lax.reshape(x as AnyTensor, [...s.slice(0, s.length - r), s.slice(s.length - r).reduce((a, b) => a * b, 1)]);
    },
  }) as never;
}

/**
 * Reshapes a trailing vector of `Product<S>` features into the feature
 * shape `S` (batch dims kept): the first member of an image model fed flat
 * pixels, and what tells `sequential` the image size.
 *
 * @example
 * ```ts
 * nn.unflatten([1, 28, 28]).apply([], zeros([64, 784])); // Tensor<[64, 1, 28, 28]>
 * ```
 */
export function unflatten<const S extends readonly number[]>(shape: S): Layer<[Product<S>], [...S], [], FloatDType, 'same'> {
  if (!Array.isArray(shape) || shape.length === 0) throw new ValueError(`nn.unflatten: shape must be a non-empty list of sizes, got ${describeValue(shape)}`);
  shape.forEach((d) => checkPositive('nn.unflatten', 'each size', d));
  const size = shape.reduce((a, b) => a * b, 1);
  const name = `unflatten(${formatShape(shape)})`;
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze([size]),
    outFeatures: Object.freeze(shape.slice()),
    needsMode: false,
    usesKey: false,
    init: () => [],
    apply(_p: unknown, x: unknown) {
      if (!(x instanceof Tensor)) throw new DTypeError(`${name}: the input must be a tensor, got ${typeof x}`);
      const s = dimsOf(x);
      if (s.length === 0 || s[s.length - 1] !== size) throw new ShapeError(`${name}: input ${formatShape(s)} does not end with ${size} features`);
      return lax.reshape(x as AnyTensor, [...s.slice(0, -1), ...shape]);
    },
  }) as never;
}

/** The rule of `batchNorm2d(C)`: features unchanged. */
export interface SameFn extends ShapeFn {
  readonly out: this['in'];
}

/**
 * Batch normalisation of image features `[C, H, W]` per channel, over the
 * batch and both spatial dims (PyTorch's `BatchNorm2d`): `nn.batchNorm`'s
 * rules with the channel axis third from the end.
 *
 * @example
 * ```ts
 * const bn = nn.batchNorm2d(32);
 * const [y, stats] = bn.apply(bn.init(random.key(0)), bn.initState(), zeros([8, 32, 14, 14]), { mode: 'train' }); // Tensor<[8, 32, 14, 14]>
 * ```
 */
export function batchNorm2d<const C extends number, D extends FloatDType = 'float32'>(
  channels: C,
  options: BatchNormOptions<D> = {},
): ShapedStatefulLayer<[C, number, number], SameFn, NormParams<[C], D>, BatchNormState<C, D>, D> {
  checkOptions('nn.batchNorm2d', options);
  try {
    const inner = batchNorm(channels, options);
    const name = `batchNorm2d(${channels})`;
    return Object.freeze({
      kind: 'stateful',
      name,
      inFeatures: Object.freeze([channels, -1, -1]),
      outFeatures: Object.freeze([channels, -1, -1]),
      needsMode: true,
      usesKey: false,
      outFor(f: readonly number[]) {
        if (f.length !== 3 || (f[0] !== channels && f[0] !== -1)) throw new ShapeError(`${name}: takes features [${channels},?,?], got ${formatShape(f)}`);
        return f.slice();
      },
      init: (key: Key) => inner.init(key),
      initState: () => inner.initState(),
      apply(params: unknown, state: unknown, x: unknown, options: ModeOptions) {
        const t = floatTensor(name, x);
        const s = dimsOf(t);
        if (s.length < 3 || s[s.length - 3] !== channels) throw new ShapeError(`${name}: input ${formatShape(s)} does not have ${channels} channels third from the end`);
        // Channels last, normalise, channels back: [..., C, H, W] -> [..., H, W, C] -> back.
        const r = s.length;
        const perm = [...s.slice(0, r - 3).map((_, i) => i), r - 2, r - 1, r - 3];
        const back = [...s.slice(0, r - 3).map((_, i) => i), r - 1, r - 3, r - 2];
        const [y, next] = inner.apply(params as never, state as never, lax.transpose(t, perm) as never, options);
        return [lax.transpose(y as unknown as AnyTensor, back), next] as never;
      },
    }) as never;
  } catch (e) {
    throw inOp('nn.batchNorm2d', e);
  }
}
