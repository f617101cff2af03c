/**
 * Jacobians and the Hessian of functions of one tensor. The result shape is
 * `[...Out, ...In]` in the type and at run time. Each is one batched pass:
 * `vmap` of a pullback over the rows of the identity (reverse mode) or of a
 * JVP over its columns (forward mode), not a loop over basis vectors. The
 * passes are built from differentiable ops, so these nest:
 * `hessian(f) = jacfwd(grad(f))`.
 */
import type { DType, FloatDType } from '../core/dtype.js';
import { TraceError, inOp } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf, fromStorage } from '../core/tensor.js';
import { allocate } from '../core/dtype.js';
import { checkFunction, checkTensor } from '../core/validate.js';
import type { Shape } from '../shape/dim.js';
import { reshape } from '../lax/index.js';
import { sameShape } from '../shape/index.js';
import { jvp } from './jvp.js';
import { grad, vjp } from './grad.js';
import { vmap } from './vmap.js';

type Batch = (f: (v: AnyTensor) => AnyTensor, opts?: { readonly outAxes?: number }) => (vs: AnyTensor) => AnyTensor;
const batch = vmap as unknown as Batch;

/** The identity matrix `[n, ...shape]`: row `i` is the one-hot basis vector `e_i` of `shape`. */
function identityRows(shape: readonly number[], dtype: DType, n: number): AnyTensor {
  const data = allocate(dtype, n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return fromStorage(data, [n, ...shape], dtype);
}

/** Identities up to this many elements are kept by the function `jacrev`/`jacfwd` returns, for its next call (1 MiB of float32). */
const KEEP_IDENTITY = 1 << 18;

/**
 * `identityRows`, remembered between the calls of one Jacobian function:
 * tensors are immutable, so one identity serves every call with the same
 * shape and dtype (building it is a fresh allocation and a fill, a tenth of
 * a small Jacobian's time). Large ones are rebuilt, not kept.
 */
function identityCache(): (shape: readonly number[], dtype: DType, n: number) => AnyTensor {
  let kept: AnyTensor | null = null;
  return (shape, dtype, n) => {
    if (kept !== null && kept.dtype === dtype && sameShape(dimsOf(kept), [n, ...shape])) return kept;
    const eye = identityRows(shape, dtype, n);
    kept = n * n <= KEEP_IDENTITY ? eye : null;
    return eye;
  };
}

function checkTensorOut(op: string, y: unknown): AnyTensor {
  if (!(y instanceof Tensor)) throw new TraceError(`${op}: the function must return a tensor`);
  return y as AnyTensor;
}

/**
 * The Jacobian by reverse mode: one forward pass, then the pullback of every
 * output basis vector at once, batched by `vmap` (good when the output is
 * smaller than the input).
 * @example
 * ```ts
 * jacrev((x: Tensor<[3]>) => mul(x, x))(tensor([1, 2, 3])); // Tensor<[3, 3]>: diag(2, 4, 6)
 * ```
 */
export function jacrev<S extends Shape, O extends Shape, D extends FloatDType>(
  f: (x: Tensor<S, D>) => Tensor<O, D>,
): (x: Tensor<S, D>) => Tensor<[...O, ...S], D> {
  const identity = identityCache();
  checkFunction('jacrev', 'f (the function to differentiate)', f);
  return (x) => {
    try {
      checkTensor('jacrev', 'x', x);
      const [y, pullback] = vjp((v: AnyTensor) => checkTensorOut('jacrev', f(v as never)), x as unknown as AnyTensor);
      const outShape = dimsOf(y), inShape = dimsOf(x);
      if (y.size === 0 || x.size === 0) return fromStorage(allocate(x.dtype, 0), [...outShape, ...inShape], x.dtype) as never;
      // Row i of the Jacobian is the pullback of e_i: J^T e_i.
      const rows = batch((ct) => pullback(ct)[0])(identity(outShape, y.dtype, y.size));
      return reshape(rows, [...outShape, ...inShape]) as never;
    } catch (e) {
      throw inOp('jacrev', e);
    }
  };
}

/**
 * The Jacobian by forward mode: the JVP along every input basis vector at
 * once, batched by `vmap` (good when the input is smaller than the output).
 * @example
 * ```ts
 * jacfwd((x: Tensor<[2]>) => mul(x, 3))(tensor([1, 2])); // Tensor<[2, 2]>: 3 * I
 * ```
 */
export function jacfwd<S extends Shape, O extends Shape, D extends FloatDType>(
  f: (x: Tensor<S, D>) => Tensor<O, D>,
): (x: Tensor<S, D>) => Tensor<[...O, ...S], D> {
  checkFunction('jacfwd', 'f (the function to differentiate)', f);
  const identity = identityCache();
  return (x) => {
    try {
      checkTensor('jacfwd', 'x', x);
      const inShape = dimsOf(x);
      const g = (v: AnyTensor) => checkTensorOut('jacfwd', f(v as never));
      const primal = x as unknown as AnyTensor;
      if (x.size === 0) {
        const outShape = dimsOf(g(primal));
        return fromStorage(allocate(x.dtype, 0), [...outShape, ...inShape], x.dtype) as never;
      }
      // Column j of the Jacobian is the JVP along e_j: J e_j; the batch axis goes last.
      const cols = batch((t) => jvp(g, [primal], [t])[1], { outAxes: -1 })(identity(inShape, x.dtype, x.size));
      const s = dimsOf(cols);
      return reshape(cols, [...s.slice(0, -1), ...inShape]) as never;
    } catch (e) {
      throw inOp('jacfwd', e);
    }
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
  checkFunction('hessian', 'f (the function to differentiate)', f);
  const h = jacfwd(grad(f as never) as unknown as (x: Tensor<S, D>) => Tensor<S, D>);
  return ((x: Tensor<S, D>) => {
    try {
      return h(x);
    } catch (e) {
      throw inOp('hessian', e);
    }
  }) as never;
}
