/**
 * Elementwise unary ops. Shapes are preserved; transcendental functions of
 * int32 or bool tensors give float32.
 */
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { inOp } from '../core/errors.js';
import { checkTensor } from '../core/validate.js';

/** The dtype of a transcendental function's result. */
export type FloatOf<D extends DType> = D extends 'float64' ? 'float64' : 'float32';

/** Numeric dtypes: the unary ops that keep the dtype reject bool. */
export type NumericDType = Exclude<DType, 'bool'>;

type Same = <S, D extends NumericDType>(x: Tensor<S, D>) => Tensor<S, D>;
type Squared = <S, D extends DType>(x: Tensor<S, D>) => Tensor<S, D extends 'bool' ? 'int32' : D>;
type ToFloat = <S, D extends DType>(x: Tensor<S, D>) => Tensor<S, FloatOf<D>>;

const same = (f: (x: lax.AnyTensorLike) => lax.AnyTensorLike): Same => f as unknown as Same;
const toFloat = (f: (x: lax.AnyTensorLike) => lax.AnyTensorLike): ToFloat => f as unknown as ToFloat;

/** `-x`. @example `neg(tensor([1, -2])) // [-1, 2]` */
export const neg: Same = same(lax.neg);
/** `|x|`; its derivative at 0 is 0. @example `abs(tensor([-1, 2])) // [1, 2]` */
export const abs: Same = same(lax.abs);
/** -1, 0 or 1 (NaN stays NaN); zero derivative. @example `sign(tensor([-3, 0, 2])) // [-1, 0, 1]` */
export const sign: Same = same(lax.sign);
/** `e^x`. @example `exp(scalar(0)) // 1` */
export const exp: ToFloat = toFloat(lax.exp);
/** Natural logarithm. @example `log(scalar(Math.E)) // 1` */
export const log: ToFloat = toFloat(lax.log);
/** `log(1 + x)`, accurate near 0. @example `log1p(scalar(1e-10)) // 1e-10` */
export const log1p: ToFloat = toFloat(lax.log1p);
/** `e^x - 1`, accurate near 0. @example `expm1(scalar(1e-10)) // 1e-10` */
export const expm1: ToFloat = toFloat(lax.expm1);
/** Square root; its derivative at 0 is +Infinity. @example `sqrt(tensor([4, 9])) // [2, 3]` */
export const sqrt: ToFloat = toFloat(lax.sqrt);
/** Sine. @example `sin(scalar(0)) // 0` */
export const sin: ToFloat = toFloat(lax.sin);
/** Cosine. @example `cos(scalar(0)) // 1` */
export const cos: ToFloat = toFloat(lax.cos);
/** Hyperbolic tangent. @example `tanh(scalar(0)) // 0` */
export const tanh: ToFloat = toFloat(lax.tanh);
/** `1 / (1 + e^-x)`, stable for large |x|. @example `sigmoid(scalar(0)) // 0.5` */
export const sigmoid: ToFloat = toFloat(lax.sigmoid);
/** `max(x, 0)`; its derivative at 0 is 0. @example `relu(tensor([-1, 2])) // [0, 2]` */
export const relu: Same = same(lax.relu);
/** Round toward -Infinity; zero derivative. @example `floor(tensor([1.5, -1.5])) // [1, -2]` */
export const floor: Same = same(lax.floor);
/** Round toward +Infinity; zero derivative. @example `ceil(tensor([1.5, -1.5])) // [2, -1]` */
export const ceil: Same = same(lax.ceil);
/** Round half to even (like NumPy); zero derivative. @example `round(tensor([0.5, 1.5, 2.4])) // [0, 2, 2]` */
export const round: Same = same(lax.round);

/** `x * x`. @example `square(tensor([2, -3])) // [4, 9]` */
export const square: Squared = ((x: lax.AnyTensorLike) => {
  try {
    return lax.mul(x, x);
  } catch (e) {
    throw inOp('square', e);
  }
}) as unknown as Squared;
/** `1 / x`. @example `reciprocal(tensor([2, 4])) // [0.5, 0.25]` */
export const reciprocal: ToFloat = toFloat((x) => {
  try {
    checkTensor('reciprocal', 'x', x);
    return lax.div(lax.scalarLike(1, x), x);
  } catch (e) {
    throw inOp('reciprocal', e);
  }
});
/** `1 / sqrt(x)`. @example `rsqrt(tensor([4])) // [0.5]` */
export const rsqrt: ToFloat = toFloat((x) => {
  try {
    const r = lax.sqrt(x);
    return lax.div(lax.scalarLike(1, r), r);
  } catch (e) {
    throw inOp('rsqrt', e);
  }
});
/**
 * `log(1 + e^x)`, computed as `max(x, 0) + log1p(e^-|x|)` so it neither
 * overflows nor loses precision. @example `softplus(scalar(0)) // 0.693...`
 */
export const softplus: ToFloat = toFloat((x) => {
  try {
    checkTensor('softplus', 'x', x);
    const xf = lax.astype(x, x.dtype === 'float64' ? 'float64' : 'float32');
    // maximum (not relu) so the derivative at 0 is 0.5: maximum splits it at the tie, abs'(0) = 0.
    return lax.add(lax.maximum(xf, lax.scalarLike(0, xf)), lax.log1p(lax.exp(lax.neg(lax.abs(xf)))));
  } catch (e) {
    throw inOp('softplus', e);
  }
});
