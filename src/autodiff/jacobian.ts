/**
 * Jacobians and the Hessian of functions of one tensor. The result shape is
 * `[...Out, ...In]` in the type and at run time. Columns (forward mode) or
 * rows (reverse mode) are assembled with differentiable ops, so these nest:
 * `hessian(f) = jacfwd(grad(f))`.
 */
import type { DType, FloatDType } from '../core/dtype.js';
import { TraceError } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf, fromStorage } from '../core/tensor.js';
import { allocate } from '../core/dtype.js';
import type { Shape } from '../shape/dim.js';
import { concat, reshape, transpose } from '../lax/index.js';
import { jvp } from './jvp.js';
import { grad, vjp } from './grad.js';
import { numElements } from '../shape/index.js';

/** A one-hot constant: 1 at flat index `i`, 0 elsewhere. */
function basis(shape: readonly number[], dtype: DType, i: number): AnyTensor {
  const size = numElements(shape);
  const data = allocate(dtype, size);
  data[i] = 1;
  return fromStorage(data, shape, dtype);
}

function checkTensorOut(op: string, y: unknown): AnyTensor {
  if (!(y instanceof Tensor)) throw new TraceError(`${op}: the function must return a tensor`);
  return y as AnyTensor;
}

/** Stacks equal-shape tensors along a new leading axis. */
function stackLeading(parts: readonly AnyTensor[], shape: readonly number[]): AnyTensor {
  return concat(parts.map((p) => reshape(p, [1, ...shape])), 0);
}

/**
 * The Jacobian by reverse mode: one pullback per output element (good when
 * the output is smaller than the input).
 * @example
 * ```ts
 * jacrev((x: Tensor<[3]>) => mul(x, x))(tensor([1, 2, 3])); // Tensor<[3, 3]>: diag(2, 4, 6)
 * ```
 */
export function jacrev<S extends Shape, O extends Shape, D extends FloatDType>(
  f: (x: Tensor<S, D>) => Tensor<O, D>,
): (x: Tensor<S, D>) => Tensor<[...O, ...S], D> {
  return (x) => {
    const [y, pullback] = vjp((v: AnyTensor) => checkTensorOut('jacrev', f(v as never)), x as unknown as AnyTensor);
    const outShape = dimsOf(y), inShape = dimsOf(x);
    if (y.size === 0 || x.size === 0) return fromStorage(allocate(x.dtype, 0), [...outShape, ...inShape], x.dtype) as never;
    const rows: AnyTensor[] = [];
    for (let i = 0; i < y.size; i++) rows.push(pullback(basis(outShape, y.dtype, i))[0]);
    return reshape(stackLeading(rows, inShape), [...outShape, ...inShape]) as never;
  };
}

/**
 * The Jacobian by forward mode: one JVP per input element (good when the
 * input is smaller than the output).
 * @example
 * ```ts
 * jacfwd((x: Tensor<[2]>) => mul(x, 3))(tensor([1, 2])); // Tensor<[2, 2]>: 3 * I
 * ```
 */
export function jacfwd<S extends Shape, O extends Shape, D extends FloatDType>(
  f: (x: Tensor<S, D>) => Tensor<O, D>,
): (x: Tensor<S, D>) => Tensor<[...O, ...S], D> {
  return (x) => {
    const inShape = dimsOf(x);
    const g = (v: AnyTensor) => checkTensorOut('jacfwd', f(v as never));
    if (x.size === 0) {
      const outShape = dimsOf(g(x as unknown as AnyTensor));
      return fromStorage(allocate(x.dtype, 0), [...outShape, ...inShape], x.dtype) as never;
    }
    const cols: AnyTensor[] = [];
    let outShape: readonly number[] = [];
    for (let j = 0; j < x.size; j++) {
      const [y, t] = jvp(g, [x as unknown as AnyTensor], [basis(inShape, x.dtype, j)]);
      outShape = dimsOf(y);
      cols.push(t);
    }
    // cols stacked: [n, ...Out]; move the input axis last, then unflatten it.
    const stacked = stackLeading(cols, outShape);
    const rank = outShape.length;
    const perm = [...Array.from({ length: rank }, (_, i) => i + 1), 0];
    return reshape(transpose(stacked, perm), [...outShape, ...inShape]) as never;
  };
}

/**
 * The Hessian of a scalar function: forward mode over reverse mode.
 * @example
 * ```ts
 * hessian((x: Tensor<[2]>) => sum(mul(x, x)))(tensor([1, 2])); // Tensor<[2, 2]>: 2 * I
 * ```
 */
export function hessian<S extends Shape, D extends FloatDType>(f: (x: Tensor<S, D>) => Tensor<[], D>): (x: Tensor<S, D>) => Tensor<[...S, ...S], D> {
  return jacfwd(grad(f as never) as unknown as (x: Tensor<S, D>) => Tensor<S, D>) as never;
}
