/**
 * Dense layers: `linear(in, out)` computes `x w + b` with a kernel `w` of
 * shape `[in, out]` (the layout of flax's `Dense`; PyTorch's `nn.Linear`
 * stores the transpose), and `mlp(sizes)` stacks them with an activation in
 * between.
 */
import { describeValue } from '../core/describe.js';
import type { FloatDType } from '../core/dtype.js';
import { DTypeError, ShapeError, TreeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { split } from '../random/key.js';
import type { Key } from '../random/key.js';
import { relu, type Activation } from './activations.js';
import { type Initializer, torchLinearDefault } from './init.js';
import type { Layer } from './layer.js';
import { checkDims, checkInteger, checkOptions } from '../core/validate.js';

/** The parameters of `linear(I, O)`: kernel `w` `[I, O]` and bias `b` `[O]` (no `b` with `bias: false`). */
export type LinearParams<I extends number, O extends number, D extends FloatDType = 'float32', B extends boolean = true> = B extends false
  ? { w: Tensor<[I, O], D> }
  : { w: Tensor<[I, O], D>; b: Tensor<[O], D> };

/** Options of {@link linear}. */
export interface LinearOptions<D extends FloatDType, B extends boolean> {
  /** The parameters' dtype. Default float32. */
  readonly dtype?: D;
  /** Whether to add a bias. Default true. */
  readonly bias?: B;
  /** Default: PyTorch's, U(±1/sqrt(in)). */
  readonly kernelInit?: Initializer;
  /** Default: PyTorch's, U(±1/sqrt(in)). */
  readonly biasInit?: Initializer;
}

function checkWidth(op: string, name: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(n)}`);
  return n;
}

/** @internal `x w (+ b)` for x of shape [...L, I]; checks the trailing dim and the dtypes. */
export function dense(op: string, x: unknown, w: unknown, b: unknown, inFeatures: number): AnyTensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: the input must be a tensor, got ${x === null ? 'null' : typeof x}`);
  if (!(w instanceof Tensor)) throw new TreeError(`${op}: params.w must be a tensor, got ${w === null ? 'null' : typeof w}`);
  const shape = dimsOf(x);
  if (shape.length === 0 || shape[shape.length - 1] !== inFeatures) {
    throw new ShapeError(`${op}: input ${formatShape(shape)} does not end with the layer's ${inFeatures} input features`);
  }
  if (x.dtype !== w.dtype) throw new DTypeError(`${op}: the input is ${x.dtype} but the parameters are ${w.dtype}`);
  const xt = x as AnyTensor;
  const y = shape.length === 1 ? lax.reshape(lax.matmul(lax.reshape(xt, [1, inFeatures]), w as AnyTensor), [dimsOf(w)[1]!]) : lax.matmul(xt, w as AnyTensor);
  if (b === undefined) return y;
  if (!(b instanceof Tensor)) throw new TreeError(`${op}: params.b must be a tensor, got ${b === null ? 'null' : typeof b}`);
  return lax.add(y, b as AnyTensor);
}

/**
 * The parameters of a linear layer, exactly: `w` of shape [in, out] and,
 * with a bias, `b` of shape [out]; a missing, extra or misshaped entry is
 * an error naming the layer, never a silently skipped bias.
 */
function checkLinearParams(op: string, params: unknown, i: number, o: number, useBias: boolean): { w: unknown; b: unknown } {
  if (typeof params !== 'object' || params === null || Array.isArray(params) || params instanceof Tensor) {
    throw new TreeError(`${op}: params must be ${useBias ? '{ w, b }' : '{ w }'}, got ${describeValue(params)}`);
  }
  const p = params as Record<string, unknown>;
  const want = useBias ? ['b', 'w'] : ['w'];
  const keys = Object.keys(p).sort();
  if (keys.join(',') !== want.join(',')) {
    throw new TreeError(`${op}: params must have exactly the fields ${want.map((k) => `'${k}'`).join(' and ')}, got ${keys.length === 0 ? 'none' : keys.map((k) => `'${k}'`).join(', ')}`);
  }
  const checkShape = (name: string, v: unknown, shape: readonly number[]): void => {
    if (!(v instanceof Tensor)) throw new TreeError(`${op}: params.${name} must be a tensor, got ${describeValue(v)}`);
    const got = dimsOf(v);
    if (got.length !== shape.length || got.some((d, k) => d !== shape[k])) {
      throw new ShapeError(`${op}: params.${name} has shape ${formatShape(got)}, expected ${formatShape(shape)}`);
    }
  };
  checkShape('w', p['w'], [i, o]);
  if (useBias) checkShape('b', p['b'], [o]);
  return { w: p['w'], b: useBias ? p['b'] : undefined };
}

/**
 * A dense layer `y = x w + b` from `inFeatures` to `outFeatures`, applied
 * over the last axis (leading dims are kept). Weights and bias start
 * uniform in ±1/sqrt(inFeatures), as PyTorch's `nn.Linear`.
 *
 * @example
 * ```ts
 * import { nn, random, zeros } from 'typegrad';
 * const layer = nn.linear(30, 1);
 * const params = layer.init(random.key(0)); // { w: Tensor<[30, 1]>; b: Tensor<[1]> }
 * layer.apply(params, zeros([455, 30]));    // Tensor<[455, 1]>
 * ```
 */
export function linear<const I extends number, const O extends number, D extends FloatDType = 'float32', const B extends boolean = true>(
  inFeatures: I,
  outFeatures: O,
  options: LinearOptions<D, B> = {},
): Layer<[I], [O], LinearParams<I, O, D, B>, D> {
  checkOptions('nn.linear', options);
  const name = `linear(${inFeatures}, ${outFeatures})`;
  checkWidth(name, 'inFeatures', inFeatures);
  checkWidth(name, 'outFeatures', outFeatures);
  checkDims(name, [inFeatures, outFeatures], 'weight shape'); // refused now, not at init
  const dtype = (options.dtype ?? 'float32') as D;
  const useBias = options.bias !== false;
  const kernelInit = options.kernelInit ?? torchLinearDefault(inFeatures);
  const biasInit = options.biasInit ?? torchLinearDefault(inFeatures);
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze([inFeatures]) as unknown as [I],
    outFeatures: Object.freeze([outFeatures]) as unknown as [O],
    needsMode: false,
    usesKey: false,
    init(key: Key) {
      const [kw, kb] = split(key);
      const w = kernelInit(kw, [inFeatures, outFeatures], dtype);
      return (useBias ? { w, b: biasInit(kb, [outFeatures], dtype) } : { w }) as LinearParams<I, O, D, B>;
    },
    apply(params: unknown, x: unknown) {
      const p = checkLinearParams(name, params, inFeatures, outFeatures, useBias);
      return dense(name, x, p.w, p.b, inFeatures) as never;
    },
  }) as Layer<[I], [O], LinearParams<I, O, D, B>, D>;
}

/** The last element of a tuple of widths. */
export type LastOf<S extends readonly unknown[]> = S extends readonly [...unknown[], infer L] ? L : never;

/** The parameters of `mlp(sizes)`: one {@link LinearParams} per consecutive pair of widths. */
export type MlpParams<S extends readonly number[], D extends FloatDType = 'float32'> = S extends readonly [
  infer A extends number,
  infer B extends number,
  ...infer R extends number[],
]
  ? [LinearParams<A, B, D>, ...MlpParams<[B, ...R], D>]
  : [];

/** Options of {@link mlp}. */
export interface MlpOptions<D extends FloatDType> {
  /** Between layers. Default `relu`. */
  readonly activation?: Activation;
  /** After the last layer. Default none (logits). */
  readonly finalActivation?: Activation;
  readonly dtype?: D;
  readonly kernelInit?: Initializer;
  readonly biasInit?: Initializer;
}

/**
 * A multilayer perceptron: `linear` layers of the given widths with
 * `activation` (default `relu`) in between and none after the last (add
 * `finalActivation` for one). The parameters are a tuple of `{ w, b }`.
 *
 * @example
 * ```ts
 * const net = nn.mlp([2, 16, 16, 1]);
 * const params = net.init(random.key(0)); // [{ w: Tensor<[2, 16]>; b: ... }, { w: Tensor<[16, 16]>; ... }, { w: Tensor<[16, 1]>; ... }]
 * net.apply(params, x);                   // x: Tensor<[B, 2]> -> Tensor<[B, 1]>
 * ```
 */
export function mlp<const S extends readonly [number, number, ...number[]], D extends FloatDType = 'float32'>(
  sizes: S,
  options: MlpOptions<D> = {},
): Layer<[S[0]], [LastOf<S> & number], MlpParams<S, D>, D> {
  checkOptions('nn.mlp', options);
  if (!Array.isArray(sizes) || sizes.length < 2) throw new ValueError(`nn.mlp: sizes must list at least two widths (input and output), got ${describeValue(sizes)}`);
  sizes.forEach((n, i) => checkInteger('nn.mlp', `sizes[${i}]`, n, 1));
  const name = `mlp([${sizes.join(', ')}])`;
  sizes.slice(1).forEach((out, i) => checkDims(name, [sizes[i]!, out], `weight shape of layer ${i}`));
  const layers = sizes.slice(1).map((out, i) =>
    linear(sizes[i]!, out, {
      ...(options.dtype === undefined ? {} : { dtype: options.dtype }),
      ...(options.kernelInit === undefined ? {} : { kernelInit: options.kernelInit }),
      ...(options.biasInit === undefined ? {} : { biasInit: options.biasInit }),
    }),
  );
  const activation = options.activation ?? relu;
  const last = options.finalActivation;
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze([sizes[0]]) as unknown as [S[0]],
    outFeatures: Object.freeze([sizes[sizes.length - 1]]) as unknown as [LastOf<S> & number],
    needsMode: false,
    usesKey: false,
    init(key: Key) {
      const keys = split(key, layers.length) as Key[];
      return layers.map((l, i) => l.init(keys[i]!)) as MlpParams<S, D>;
    },
    apply(params: unknown, x: unknown) {
      if (!Array.isArray(params) || params.length !== layers.length) {
        throw new TreeError(`${name}: params must be an array of ${layers.length} layer parameters, got ${Array.isArray(params) ? `an array of ${params.length}` : typeof params}`);
      }
      let h = x as Tensor<number[], FloatDType>;
      layers.forEach((l, i) => {
        h = l.apply(params[i] as never, h as never) as Tensor<number[], FloatDType>;
        if (i < layers.length - 1) h = activation(h);
        else if (last !== undefined) h = last(h);
      });
      return h as never;
    },
  }) as Layer<[S[0]], [LastOf<S> & number], MlpParams<S, D>, D>;
}
