import type { DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import type { AnyTensor, Tensor } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import { describeValue } from '../core/describe.js';

declare const specTag: unique symbol;

/**
 * A leaf of a load template that stands for a tensor of shape `S` and dtype
 * `D` without holding one: `io.load(path, { w: io.spec([784, 128]) })`
 * returns `{ w: Tensor<[784, 128]> }`.
 *
 *
 * @example
 * ```ts
 * const s: io.TensorSpec<[2, 3], 'float64'> = io.spec([2, 3], 'float64');
 * ```
 */
export interface TensorSpec<S extends Shape = Shape, D extends DType = DType> {
  readonly [specTag]?: S;
  readonly kind: 'tensor-spec';
  readonly shape: Readonly<S>;
  readonly dtype: D;
}

/**
 * A tensor spec for load templates (default dtype float32).
 *
 * @example
 * ```ts
 * import { io } from 'typegrad/node';
 * const like = { w: io.spec([784, 128]), b: io.spec([128]), steps: io.spec([], 'int32') };
 * const params = io.load('model.safetensors', like); // { w: Tensor<[784, 128]>; b: Tensor<[128]>; steps: Tensor<[], 'int32'> }
 * ```
 */
export function spec<const S extends Shape, D extends DType = 'float32'>(shape: S, dtype?: D): TensorSpec<[...S], D> {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new ValueError(`io.spec: shape must be an array of non-negative integers, got ${describeValue(shape)}`);
  }
  const d = (dtype ?? 'float32') as D;
  if (!['float32', 'float64', 'int32', 'bool'].includes(d)) throw new ValueError(`io.spec: unknown dtype ${describeValue(dtype)}`);
  return Object.freeze({ kind: 'tensor-spec', shape: Object.freeze([...shape]) as unknown as Readonly<[...S]>, dtype: d });
}

/**
 * True for a value made by {@link spec}.
 *
 * @example
 * ```ts
 * io.isSpec(io.spec([2])); // true
 * io.isSpec(zeros([2]));   // false
 * ```
 */
export function isSpec(x: unknown): x is TensorSpec {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'tensor-spec' && Array.isArray((x as { shape?: unknown }).shape);
}

/**
 * The tree a load template describes: each `TensorSpec<S, D>` becomes a
 * `Tensor<S, D>`, and tensors, arrays and objects keep their types.
 *
 *
 * @example
 * ```ts
 * type P = io.Loaded<{ w: io.TensorSpec<[2, 3]> }>; // { w: Tensor<[2, 3]> }
 * ```
 */
export type Loaded<T> = T extends TensorSpec<infer S, infer D>
  ? Tensor<S, D>
  : T extends AnyTensor
    ? T
    : T extends readonly unknown[]
      ? { [K in keyof T]: Loaded<T[K]> }
      : T extends object
        ? { [K in keyof T]: Loaded<T[K]> }
        : T;
