/**
 * Activations: shape-preserving functions of float tensors, usable directly
 * (`relu(x)`) and as members of `sequential(...)`. Each is derived from the
 * primitive ops, so its derivative comes for free.
 */
import { type FloatDType, isFloat } from '../core/dtype.js';
import type { AnyTensor, Tensor } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { normalizeAxis } from '../shape/index.js';
import { dimsOf } from '../core/tensor.js';
import { inOp } from '../core/errors.js';
import { checkOptions, checkTensor } from '../core/validate.js';

/** A shape-preserving function of float tensors: what `sequential` accepts between layers. */
export type Activation = <S, D extends FloatDType>(x: Tensor<S, D>) => Tensor<S, D>;

const raw = (x: unknown): AnyTensor => x as AnyTensor;
const c = (v: number, like: AnyTensor): AnyTensor => lax.scalarLike(v, like);
const typed = <S, D extends FloatDType>(x: AnyTensor): Tensor<S, D> => x as unknown as Tensor<S, D>;

/**
 * `max(x, 0)`; its derivative at 0 is 0.
 * @example
 * ```ts
 * nn.relu(tensor([-1, 2])); // [0, 2]
 * ```
 */
export const relu: Activation = (x) => typed(lax.relu(raw(x)));

/**
 * `1 / (1 + e^-x)`, stable for large |x|.
 * @example
 * ```ts
 * nn.sigmoid(tensor([0])); // [0.5]
 * ```
 */
export const sigmoid: Activation = (x) => typed(lax.sigmoid(raw(x)));

/**
 * Hyperbolic tangent.
 * @example
 * ```ts
 * nn.tanh(tensor([0])); // [0]
 * ```
 */
export const tanh: Activation = (x) => typed(lax.tanh(raw(x)));

/**
 * `x` for x > 0, `slope x` otherwise (PyTorch's default slope 0.01).
 * @example
 * ```ts
 * nn.leakyRelu(tensor([-2, 3]));      // [-0.02, 3]
 * nn.leakyRelu(tensor([-2, 3]), 0.2); // [-0.4, 3]
 * ```
 */
export function leakyRelu<S, D extends FloatDType>(x: Tensor<S, D>, slope = 0.01): Tensor<S, D> {
  try {
    const t = raw(x);
    // x > 0 ? x : slope x, as max(x, 0) + slope min(x, 0)
    return typed(lax.add(lax.relu(t), lax.mul(lax.minimum(t, c(0, t)), c(slope, t))));
  } catch (e) {
    throw inOp('nn.leakyRelu', e);
  }
}

/**
 * `x` for x > 0, `alpha (e^x - 1)` otherwise (PyTorch's default alpha 1).
 * @example
 * ```ts
 * nn.elu(tensor([-1, 2])); // [-0.632..., 2]
 * ```
 */
export function elu<S, D extends FloatDType>(x: Tensor<S, D>, alpha = 1): Tensor<S, D> {
  const t = raw(x);
  // expm1 of min(x, 0) never overflows, and its branch is exactly 0 for x > 0
  return typed(lax.add(lax.relu(t), lax.mul(lax.expm1(lax.minimum(t, c(0, t))), c(alpha, t))));
}

/**
 * `x sigmoid(x)` (also called swish).
 * @example
 * ```ts
 * nn.silu(tensor([0, 1])); // [0, 0.731...]
 * ```
 */
export const silu: Activation = (x) => {
  try {
    const t = raw(x);
    return typed(lax.mul(t, lax.sigmoid(t)));
  } catch (e) {
    throw inOp('nn.silu', e);
  }
};

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** Use the tanh approximation (JAX's default, PyTorch's `approximate='tanh'`). Default false: `x Phi(x)`. */
  readonly approximate?: boolean;
}

// Numerical Recipes' erfc: erfc(z) = t exp(-z^2 + P(t)) with t = 1 / (1 + z/2), z >= 0,
// fractional error below 1.2e-7 everywhere (tails included).
const ERFC = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];

/** @internal The standard normal CDF Phi(x) from the ops (relative error < 1.2e-7), differentiable everywhere. */
export function normalCdf(x: AnyTensor): AnyTensor {
  const negative = lax.lt(x, c(0, x));
  // |x| written with where, not abs: its derivative at 0 must be 1 (abs'(0) is 0).
  const z = lax.mul(lax.where(negative, lax.neg(x), x), c(Math.SQRT1_2, x));
  const t = lax.div(c(1, z), lax.add(c(1, z), lax.mul(z, c(0.5, z))));
  let poly = c(ERFC[ERFC.length - 1]!, z);
  for (let k = ERFC.length - 2; k >= 0; k--) poly = lax.add(lax.mul(poly, t), c(ERFC[k]!, z));
  // half = erfc(z) / 2 = P(Z > |x|)
  const half = lax.mul(lax.mul(t, lax.exp(lax.sub(poly, lax.mul(z, z)))), c(0.5, z));
  return lax.where(negative, half, lax.sub(c(1, half), half));
}

/**
 * The Gaussian error linear unit `x Phi(x)` (PyTorch's default), or with
 * `approximate: true` its tanh form `x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`.
 * The exact form evaluates Phi to a relative error below 1.2e-7 (float32
 * precision; float64 results carry the same error).
 * @example
 * ```ts
 * nn.gelu(tensor([1]));                        // [0.8413...]
 * nn.gelu(tensor([1]), { approximate: true }); // [0.8411...]
 * ```
 */
export function gelu<S, D extends FloatDType>(x: Tensor<S, D>, options: GeluOptions = {}): Tensor<S, D> {
  try {
    const given = checkTensor('nn.gelu', 'x', x) as AnyTensor;
    // Phi's constants are float: an int32 or bool input is promoted, as exp and sigmoid promote it.
    const t = isFloat(given.dtype) ? given : lax.astype(given, 'float32');
    options = checkOptions<GeluOptions>('nn.gelu', options);
    if (options.approximate) {
      const inner = lax.mul(lax.add(t, lax.mul(lax.mul(lax.mul(t, t), t), c(0.044715, t))), c(Math.sqrt(2 / Math.PI), t));
      return typed(lax.mul(lax.mul(t, c(0.5, t)), lax.add(c(1, t), lax.tanh(inner))));
    }
    return typed(lax.mul(t, normalCdf(t)));
  } catch (e) {
    throw inOp('nn.gelu', e);
  }
}

/** The max of x along an axis (kept), as a constant shift; infinite maxima become 0. */
function shift(x: AnyTensor, axis: number): AnyTensor {
  const m = lax.stopGradient(lax.reduceMax(x, [axis], true));
  return lax.where(lax.eq(lax.abs(m), c(Infinity, m)), c(0, m), m);
}

/**
 * `x - log(sum(exp(x)))` along `axis` (default the last), computed stably.
 * @example
 * ```ts
 * nn.logSoftmax(tensor([[1000, 1000]])); // [[-0.693..., -0.693...]]
 * ```
 */
export function logSoftmax<S, D extends FloatDType>(x: Tensor<S, D>, axis = -1): Tensor<S, D> {
  try {
    const t = raw(x);
    const a = normalizeAxis('logSoftmax', axis, dimsOf(t).length);
    // log softmax(x) = (x - m) - log sum exp(x - m) for any constant m
    const shifted = lax.sub(t, shift(t, a));
    return typed(lax.sub(shifted, lax.log(lax.reduceSum(lax.exp(shifted), [a], true))));
  } catch (e) {
    throw inOp('nn.logSoftmax', e);
  }
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default the last), computed stably.
 * @example
 * ```ts
 * nn.softmax(tensor([[0, Math.log(3)]])); // [[0.25, 0.75]]
 * ```
 */
export function softmax<S, D extends FloatDType>(x: Tensor<S, D>, axis = -1): Tensor<S, D> {
  try {
    const t = raw(x);
    const a = normalizeAxis('softmax', axis, dimsOf(t).length);
    const e = lax.exp(lax.sub(t, shift(t, a)));
    return typed(lax.div(e, lax.reduceSum(e, [a], true)));
  } catch (e) {
    throw inOp('nn.softmax', e);
  }
}
