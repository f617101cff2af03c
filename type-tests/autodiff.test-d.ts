import { expectType, expectError } from 'tsd';
import {
  grad,
  valueAndGrad,
  jvp,
  vjp,
  jacrev,
  jacfwd,
  hessian,
  tensor,
  scalar,
  zeros,
  mul,
  sub,
  add,
  sum,
  square,
  type Tensor,
  type Scalar,
  type Dim,
} from '../src/index.js';

interface Params {
  readonly w: Tensor<[30, 1]>;
  readonly b: Tensor<[1]>;
}
type ParamsAlias = { readonly w: Tensor<[2]>; readonly layers: readonly [{ readonly b: Tensor<[]> }] };

declare const p: Params;
declare const pa: ParamsAlias;
declare const x: Tensor<[455, 30]>;

const loss = (params: Params, xs: Tensor<[455, 30]>): Scalar => sum(mul(params.b, 1));
expectType<Params>(grad(loss)(p, x));

const lossAlias = (params: ParamsAlias): Scalar => sum(params.w);
expectType<ParamsAlias>(grad(lossAlias)(pa));

// The tutorial's scalar case.
const tutorial = (w: Scalar, xs: Scalar, y: Scalar) => square(sub(mul(w, xs), y));
expectType<Tensor<[]>>(grad(tutorial)(scalar(1), scalar(1), scalar(2)));

// valueAndGrad returns [value, grads].
expectType<[value: Scalar, grads: Params]>(valueAndGrad(loss)(p, x));

// hasAux changes the return type.
const withAux = (params: Params) => [sum(params.b), { n: 3 }] as const;
expectType<[grads: Params, aux: { readonly n: 3 }]>(grad(withAux, { hasAux: true })(p));
expectType<[value: Scalar, aux: { readonly n: 3 }, grads: Params]>(valueAndGrad(withAux, { hasAux: true })(p));

// argnums picks the argument type(s).
const two = (a: Tensor<[2]>, b: Tensor<[3]>): Scalar => add(sum(a), sum(b));
expectType<Tensor<[3]>>(grad(two, { argnums: 1 })(zeros([2]), zeros([3])));
expectType<[Tensor<[2]>, Tensor<[3]>]>(grad(two, { argnums: [0, 1] })(zeros([2]), zeros([3])));
// argnums naming an int32 tensor or a number does not compile (both throw at run time).
const withLabels = (w: Tensor<[3]>, labels: Tensor<[3], 'int32'>, k: number) => sum(mul(w, k));
expectError(grad(withLabels, { argnums: 1 }));
expectError(grad(withLabels, { argnums: 2 }));
expectError(valueAndGrad(withLabels, { argnums: [0, 1] }));
expectType<Tensor<[3]>>(grad(withLabels, { argnums: 0 })(zeros([3]), tensor([1, 2, 3], { dtype: 'int32' }), 2));
// One signature for every option: hasAux with argnums, and a first argument
// that is not a tree when argnums leaves it out (argnums naming it is an error).
const scaled = (k: number, a: Tensor<[2]>, b: Tensor<[3]>) => [add(sum(a), sum(b)), { k }] as const;
expectType<[grads: [Tensor<[2]>, Tensor<[3]>], aux: { readonly k: number }]>(grad(scaled, { hasAux: true, argnums: [1, 2] })(2, zeros([2]), zeros([3])));
expectType<[value: Scalar, aux: { readonly k: number }, grads: Tensor<[3]>]>(valueAndGrad(scaled, { hasAux: true, argnums: 2 })(2, zeros([2]), zeros([3])));
expectError(grad(scaled, { hasAux: true, argnums: 0 }));
// hasAux needs f to return [loss, aux], and a plain loss needs hasAux off.
expectError(grad(loss, { hasAux: true }));
expectError(grad(withAux));

// A non-scalar loss does not compile.
expectError(grad((params: Params) => mul(params.b, 2)));
// An int32 loss does not compile either.
expectError(grad((a: Tensor<[2]>) => sum(tensor([1, 2], { dtype: 'int32' }))));

// Functions generic in the batch dim keep their type through grad.
function mlpLoss<B extends Dim>(params: Params, xs: Tensor<[B, 30]>, y: Tensor<[NoInfer<B>, 1]>): Scalar {
  return sum(mul(params.b, 1));
}
declare const x64: Tensor<[64, 30]>;
declare const y64: Tensor<[64, 1]>;
declare const y32: Tensor<[32, 1]>;
expectType<Params>(grad(mlpLoss)(p, x64, y64));
expectError(grad(mlpLoss)(p, x64, y32));

// vjp / jvp keep shapes.
const [out, pullback] = vjp((a: Tensor<[3]>) => mul(a, a), zeros([3]));
expectType<Tensor<[3]>>(out);
expectType<[Tensor<[3]>]>(pullback(zeros([3])));
expectType<[out: Tensor<[]>, tangentOut: Tensor<[]>]>(jvp((a: Scalar) => mul(a, a), [scalar(1)], [scalar(1)]));

// Jacobians: [...Out, ...In].
expectType<Tensor<[2, 3]>>(jacrev((a: Tensor<[3]>) => mul(tensor([1, 2]), sum(a)))(zeros([3])));
expectType<Tensor<[4, 4]>>(jacfwd((a: Tensor<[4]>) => mul(a, 2))(zeros([4])));
expectType<Tensor<[2, 5, 2, 5]>>(hessian((a: Tensor<[2, 5]>) => sum(a))(zeros([2, 5])));
