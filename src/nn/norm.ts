/**
 * Normalisation layers. `layerNorm` normalises each example over its
 * trailing feature dims; `batchNorm` normalises each feature (the last axis)
 * over the batch, and keeps running statistics as explicit state.
 */
import { isAbstract } from '../core/trace.js';
import type { FloatDType } from '../core/dtype.js';
import { DTypeError, ResourceError, ShapeError, TreeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { full } from '../ops/create.js';
import type { Key } from '../random/key.js';
import type { Shape } from '../shape/dim.js';
import { type Layer, type ModeOptions, type StatefulLayer, modeOf } from './layer.js';
import { describeValue } from '../core/describe.js';
import { MAX_ELEMENTS, checkInteger, checkOptions } from '../core/validate.js';

const c = (v: number, like: AnyTensor): AnyTensor => lax.scalarLike(v, like);

/** A feature shape given as a number or a tuple. */
export type FeatureShape<S> = S extends number ? [S] : S extends readonly number[] ? [...S] : never;

/** The parameters of a normalisation layer: a scale and a bias per feature. */
export interface NormParams<S, D extends FloatDType = 'float32'> {
  scale: Tensor<S, D>;
  bias: Tensor<S, D>;
}

function floatInput(op: string, x: unknown): AnyTensor {
  if (!(x instanceof Tensor) || (x.dtype !== 'float32' && x.dtype !== 'float64')) {
    throw new DTypeError(`${op}: the input must be a float tensor, got ${x instanceof Tensor ? x.dtype : typeof x}`);
  }
  return x as AnyTensor;
}

function affine(op: string, y: AnyTensor, params: unknown): AnyTensor {
  const p = params as { scale?: unknown; bias?: unknown } | null;
  if (!(p?.scale instanceof Tensor) || !(p.bias instanceof Tensor)) throw new TreeError(`${op}: params must be { scale, bias } tensors`);
  if (p.scale.dtype !== y.dtype) throw new DTypeError(`${op}: the input is ${y.dtype} but the parameters are ${p.scale.dtype}`);
  return lax.add(lax.mul(y, p.scale as AnyTensor), p.bias as AnyTensor);
}

/** Options of {@link layerNorm}. */
export interface LayerNormOptions<D extends FloatDType> {
  /** Added to the variance. Default 1e-5 (PyTorch's). */
  readonly eps?: number;
  readonly dtype?: D;
}

function checkFeatures(op: string, shape: unknown): number[] {
  const dims = typeof shape === 'number' ? [shape] : Array.isArray(shape) ? (shape as unknown[]) : null;
  if (dims === null || dims.length === 0 || dims.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1)) {
    throw new ValueError(`${op}: the feature shape must be a positive integer or a non-empty list of them, got ${describeValue(shape)}`);
  }
  const size = (dims as number[]).reduce((a, b) => a * b, 1);
  if (size > MAX_ELEMENTS) throw new ResourceError(`${op}: the feature shape ${describeValue(shape)} has ${size} elements, more than a tensor may hold (2^31 - 1)`);
  return dims as number[];
}

function checkTrailing(op: string, x: AnyTensor, features: readonly number[], minLeading = 0): void {
  const s = dimsOf(x);
  const k = features.length;
  if (s.length < k + minLeading || features.some((d, i) => s[s.length - k + i] !== d)) {
    throw new ShapeError(`${op}: input ${formatShape(s)} does not end with the layer's features ${formatShape(features)}${minLeading > 0 ? ' after a batch axis' : ''}`);
  }
}

/**
 * Layer normalisation over the trailing `shape` dims (PyTorch's
 * `nn.LayerNorm(normalized_shape)` with its affine scale and bias):
 * `(x - mean) / sqrt(var + eps) * scale + bias`, with the biased variance.
 *
 * @example
 * ```ts
 * const ln = nn.layerNorm(128);
 * ln.apply(ln.init(random.key(0)), h); // h: Tensor<[B, 128]> -> Tensor<[B, 128]>
 * ```
 */
export function layerNorm<const S extends number | readonly number[], D extends FloatDType = 'float32'>(
  shape: S,
  options: LayerNormOptions<D> = {},
): Layer<FeatureShape<S>, FeatureShape<S>, NormParams<FeatureShape<S>, D>, D> {
  checkOptions('nn.layerNorm', options);
  const features = checkFeatures('layerNorm', shape);
  const name = `layerNorm(${formatShape(features)})`;
  const eps = options.eps ?? 1e-5;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new ValueError(`${name}: eps must be a number >= 0, got ${String(eps)}`);
  const dtype = (options.dtype ?? 'float32') as D;
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze(features.slice()) as unknown as FeatureShape<S>,
    outFeatures: Object.freeze(features.slice()) as unknown as FeatureShape<S>,
    needsMode: false,
    usesKey: false,
    init: (_key: Key) => ({ scale: full(features, 1, { dtype }), bias: full(features, 0, { dtype }) }) as unknown as NormParams<FeatureShape<S>, D>,
    apply(params: unknown, x: unknown) {
      const t = floatInput(name, x);
      checkTrailing(name, t, features);
      const r = t.rank;
      const axes = features.map((_, i) => r - features.length + i);
      const n = features.reduce((a, b) => a * b, 1);
      const mean = lax.mul(lax.reduceSum(t, axes, true), c(1 / n, t));
      const d = lax.sub(t, mean);
      const variance = lax.mul(lax.reduceSum(lax.mul(d, d), axes, true), c(1 / n, t));
      const y = lax.div(d, lax.sqrt(lax.add(variance, c(eps, t))));
      return affine(name, y, params) as never;
    },
  }) as unknown as Layer<FeatureShape<S>, FeatureShape<S>, NormParams<FeatureShape<S>, D>, D>;
}

/** The state of `batchNorm(C)`: running mean and (unbiased) variance per feature. */
export interface BatchNormState<C extends number, D extends FloatDType = 'float32'> {
  mean: Tensor<[C], D>;
  var: Tensor<[C], D>;
}

/** Options of {@link batchNorm}. */
export interface BatchNormOptions<D extends FloatDType> {
  /** Weight of the new batch in the running statistics. Default 0.1 (PyTorch's). */
  readonly momentum?: number;
  /** Added to the variance. Default 1e-5. */
  readonly eps?: number;
  readonly dtype?: D;
}

/**
 * Batch normalisation of `features` channels on the last axis, over all
 * leading axes (PyTorch's `BatchNorm1d` with channels last). In `'train'`
 * mode it normalises with the batch's mean and biased variance and returns
 * running statistics updated as `(1 - momentum) old + momentum new` (the
 * variance unbiased, as in PyTorch); in `'eval'` mode it uses the running
 * statistics and returns them unchanged. The statistics are explicit state:
 * in after the params, out next to the result. They never carry derivatives,
 * so the new state can be returned from inside `grad` (as aux).
 *
 * @example
 * ```ts
 * const bn = nn.batchNorm(16);
 * const params = bn.init(random.key(0));
 * let stats = bn.initState();                        // { mean: zeros, var: ones }
 * let y;
 * [y, stats] = bn.apply(params, stats, h, { mode: 'train' });
 * [y] = bn.apply(params, stats, h, { mode: 'eval' });
 * ```
 */
export function batchNorm<const C extends number, D extends FloatDType = 'float32'>(
  features: C,
  options: BatchNormOptions<D> = {},
): StatefulLayer<[C], [C], NormParams<[C], D>, BatchNormState<C, D>, D> {
  checkOptions('nn.batchNorm', options);
  const channels = checkInteger('batchNorm', 'features', features, 1, MAX_ELEMENTS);
  const name = `batchNorm(${channels})`;
  const momentum = options.momentum ?? 0.1;
  const eps = options.eps ?? 1e-5;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new ValueError(`${name}: momentum must be in [0, 1], got ${String(momentum)}`);
  if (typeof eps !== 'number' || !(eps >= 0)) throw new ValueError(`${name}: eps must be a number >= 0, got ${String(eps)}`);
  const dtype = (options.dtype ?? 'float32') as D;
  const shape: Shape = [channels!];
  return Object.freeze({
    kind: 'stateful',
    name,
    inFeatures: Object.freeze([channels]) as unknown as [C],
    outFeatures: Object.freeze([channels]) as unknown as [C],
    needsMode: true,
    usesKey: false,
    init: (_key: Key) => ({ scale: full(shape, 1, { dtype }), bias: full(shape, 0, { dtype }) }) as unknown as NormParams<[C], D>,
    initState: () => ({ mean: full(shape, 0, { dtype }), var: full(shape, 1, { dtype }) }) as unknown as BatchNormState<C, D>,
    apply(params: unknown, state: unknown, x: unknown, options: ModeOptions) {
      const mode = modeOf(name, options, true);
      const t = floatInput(name, x);
      const st = state as { mean?: unknown; var?: unknown } | null;
      if (!(st?.mean instanceof Tensor) || !(st.var instanceof Tensor)) throw new TreeError(`${name}: state must be { mean, var } tensors (from initState)`);
      const runMean = st.mean as AnyTensor, runVar = st.var as AnyTensor;
      if (mode === 'eval') {
        checkTrailing(name, t, [channels!]);
        const y = lax.div(lax.sub(t, runMean), lax.sqrt(lax.add(runVar, c(eps, t))));
        return [affine(name, y, params), state] as never;
      }
      checkTrailing(name, t, [channels!], 1);
      const axes = dimsOf(t).slice(0, -1).map((_, i) => i);
      const n = t.size / channels!;
      if (n < 2) throw new ValueError(`${name}: 'train' mode needs more than one value per channel, got input ${formatShape(dimsOf(t))}`);
      const mean = lax.mul(lax.reduceSum(t, axes, false), c(1 / n, t));
      const d = lax.sub(t, mean);
      const variance = lax.mul(lax.reduceSum(lax.mul(d, d), axes, false), c(1 / n, t));
      const y = lax.div(d, lax.sqrt(lax.add(variance, c(eps, t))));
      // Running statistics from the values (never the tracers): no derivative flows into state.
      // Inside jit the values are abstract: stopGradient cuts the derivative there instead.
      const detach = (x: AnyTensor): AnyTensor => (isAbstract(x) ? lax.stopGradient(x) : (x.concrete() as AnyTensor));
      const m = detach(mean), v = detach(variance);
      const next = {
        mean: lax.add(lax.mul(detach(runMean as AnyTensor), c(1 - momentum, t)), lax.mul(m, c(momentum, t))),
        var: lax.add(lax.mul(detach(runVar as AnyTensor), c(1 - momentum, t)), lax.mul(v, c((momentum * n) / (n - 1), t))),
      };
      return [affine(name, y, params), next] as never;
    },
  }) as unknown as StatefulLayer<[C], [C], NormParams<[C], D>, BatchNormState<C, D>, D>;
}
