/**
 * Initialisers: pure functions from a key, a shape and a dtype to a tensor.
 * Fans follow the `[in, out]` kernel layout of `linear`: `fanIn` is the
 * second-to-last dim and `fanOut` the last, each times the product of the
 * other dims (a receptive field); a vector has `fanIn = fanOut = length`.
 *
 * @example
 * ```ts
 * import { nn, random } from 'typegrad';
 * const w = nn.init.heNormal()(random.key(0), [784, 128]); // Tensor<[784, 128]>, std sqrt(2 / 784)
 * nn.linear(784, 128, { kernelInit: nn.init.glorotUniform() });
 * ```
 */
import type { FloatDType } from '../core/dtype.js';
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkDims, checkOptions } from '../core/validate.js';
import type { Tensor } from '../core/tensor.js';
import { full as fullOf } from '../ops/create.js';
import { normal as normalSample, uniform as uniformSample } from '../random/distributions.js';
import type { Key } from '../random/key.js';
import type { Shape } from '../shape/dim.js';

/** An initialiser: a tensor of `shape` and `dtype` from `key`. */
export type Initializer = <const S extends Shape, D extends FloatDType = 'float32'>(key: Key, shape: S, dtype?: D) => Tensor<[...S], D>;

/**
 * `fanIn` and `fanOut` of a kernel shape (see the module comment).
 * @example
 * ```ts
 * nn.init.fans([784, 128]);       // { fanIn: 784, fanOut: 128 }
 * nn.init.fans([3, 3, 16, 32]);   // { fanIn: 144, fanOut: 288 }
 * ```
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  checkDims('nn.init.fans', shape);
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  let field = 1;
  for (let i = 0; i < shape.length - 2; i++) field *= shape[i]!;
  return { fanIn: shape[shape.length - 2]! * field, fanOut: shape[shape.length - 1]! * field };
}

function positive(op: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a positive finite number, got ${describeValue(v)}`);
  return v;
}

function uniformIn(op: string, bound: (shape: readonly number[]) => number): Initializer {
  return ((key: Key, shape: Shape, dtype?: FloatDType) => {
    checkDims(op, shape);
    if (isEmpty(shape)) return fullOf(shape, 0, { dtype: dtype ?? 'float32' });
    const b = bound(shape);
    return uniformSample(key, shape, { min: -b, max: b, dtype: dtype ?? 'float32' });
  }) as Initializer;
}

function normalWith(op: string, std: (shape: readonly number[]) => number): Initializer {
  return ((key: Key, shape: Shape, dtype?: FloatDType) => {
    checkDims(op, shape);
    return isEmpty(shape) ? fullOf(shape, 0, { dtype: dtype ?? 'float32' }) : normalSample(key, shape, { std: std(shape), dtype: dtype ?? 'float32' });
  }) as Initializer;
}

/** A shape with no elements needs no scale. */
function isEmpty(shape: readonly number[]): boolean {
  return shape.some((d) => d === 0);
}

function fanCheck(op: string, n: number): number {
  if (!(n > 0)) throw new ValueError(`${op}: the shape has no fan; cannot scale the initialisation`);
  return n;
}

/** Options of the Glorot and He initialisers. */
export interface GainOptions {
  /** Multiplies the scale (PyTorch's `gain`). Default 1 (Glorot) or sqrt(2) (He, for ReLU). */
  readonly gain?: number;
}

/**
 * Glorot (Xavier) uniform: U(-a, a) with `a = gain sqrt(6 / (fanIn + fanOut))`.
 * @example
 * ```ts
 * nn.init.glorotUniform()(random.key(0), [256, 128]);
 * ```
 */
export function glorotUniform(options: GainOptions = {}): Initializer {
  const gain = positive('nn.init.glorotUniform', 'gain', checkOptions<GainOptions>('nn.init.glorotUniform', options).gain ?? 1);
  return uniformIn('nn.init.glorotUniform', (s) => {
    const { fanIn, fanOut } = fans(s);
    return gain * Math.sqrt(6 / fanCheck('nn.init.glorotUniform', fanIn + fanOut));
  });
}

/**
 * Glorot (Xavier) normal: N(0, std^2) with `std = gain sqrt(2 / (fanIn + fanOut))`
 * (PyTorch's `xavier_normal_`; not truncated).
 * @example
 * ```ts
 * nn.init.glorotNormal()(random.key(0), [256, 128]);
 * ```
 */
export function glorotNormal(options: GainOptions = {}): Initializer {
  const gain = positive('nn.init.glorotNormal', 'gain', checkOptions<GainOptions>('nn.init.glorotNormal', options).gain ?? 1);
  return normalWith('nn.init.glorotNormal', (s) => {
    const { fanIn, fanOut } = fans(s);
    return gain * Math.sqrt(2 / fanCheck('nn.init.glorotNormal', fanIn + fanOut));
  });
}

/**
 * He (Kaiming) uniform, fan-in mode: U(-a, a) with `a = gain sqrt(3 / fanIn)`,
 * gain sqrt(2) by default (PyTorch's `kaiming_uniform_` for ReLU).
 * @example
 * ```ts
 * nn.init.heUniform()(random.key(0), [784, 128]); // bound sqrt(6 / 784)
 * ```
 */
export function heUniform(options: GainOptions = {}): Initializer {
  const gain = positive('nn.init.heUniform', 'gain', checkOptions<GainOptions>('nn.init.heUniform', options).gain ?? Math.SQRT2);
  return uniformIn('nn.init.heUniform', (s) => gain * Math.sqrt(3 / fanCheck('nn.init.heUniform', fans(s).fanIn)));
}

/**
 * He (Kaiming) normal, fan-in mode: N(0, std^2) with `std = gain / sqrt(fanIn)`,
 * gain sqrt(2) by default (PyTorch's `kaiming_normal_` for ReLU).
 * @example
 * ```ts
 * nn.init.heNormal()(random.key(0), [784, 128]); // std sqrt(2 / 784)
 * ```
 */
export function heNormal(options: GainOptions = {}): Initializer {
  const gain = positive('nn.init.heNormal', 'gain', checkOptions<GainOptions>('nn.init.heNormal', options).gain ?? Math.SQRT2);
  return normalWith('nn.init.heNormal', (s) => gain / Math.sqrt(fanCheck('nn.init.heNormal', fans(s).fanIn)));
}

/**
 * Uniform in ±1/sqrt(fanIn): PyTorch's default for `nn.Linear` weights and
 * biases (`kaiming_uniform_` with a = sqrt(5)). For a bias, whose shape has
 * no fan-in, pass the layer's: `torchLinearDefault(fanIn)`.
 * @example
 * ```ts
 * nn.init.torchLinearDefault()(random.key(0), [30, 1]); // U(-1/sqrt(30), 1/sqrt(30))
 * ```
 */
export function torchLinearDefault(fanIn?: number): Initializer {
  if (fanIn !== undefined) positive('nn.init.torchLinearDefault', 'fanIn', fanIn);
  return uniformIn('nn.init.torchLinearDefault', (s) => 1 / Math.sqrt(fanCheck('nn.init.torchLinearDefault', fanIn ?? fans(s).fanIn)));
}

/**
 * Zeros (the key is ignored).
 * @example
 * ```ts
 * nn.init.zeros()(random.key(0), [10]); // Tensor<[10]> of zeros
 * ```
 */
export function zeros(): Initializer {
  return ((_key: Key, shape: Shape, dtype?: FloatDType) => fullOf(checkDims('nn.init.zeros', shape), 0, { dtype: dtype ?? 'float32' })) as Initializer;
}

/**
 * A constant (the key is ignored).
 * @example
 * ```ts
 * nn.init.constant(1)(random.key(0), [10]); // ones
 * ```
 */
export function constant(value: number): Initializer {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValueError(`nn.init.constant: value must be a finite number, got ${describeValue(value)}`);
  return ((_key: Key, shape: Shape, dtype?: FloatDType) => fullOf(checkDims('nn.init.constant', shape), value, { dtype: dtype ?? 'float32' })) as Initializer;
}

/**
 * N(0, std^2).
 * @example
 * ```ts
 * nn.init.normal(0.02)(random.key(0), [50000, 768]);
 * ```
 */
export function normal(std: number): Initializer {
  positive('nn.init.normal', 'std', std);
  return normalWith('nn.init.normal', () => std);
}

/**
 * U(-scale, scale).
 * @example
 * ```ts
 * nn.init.uniform(0.05)(random.key(0), [10, 10]);
 * ```
 */
export function uniform(scale: number): Initializer {
  positive('nn.init.uniform', 'scale', scale);
  return uniformIn('nn.init.uniform', () => scale);
}
