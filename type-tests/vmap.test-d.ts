import { expectType, expectError, expectAssignable } from 'tsd';
import { vmap, grad, random, zeros, sum, square, mul, matmul, type Tensor, type Scalar, type Dim, type Sym } from '../src/index.js';

const f = (x: Tensor<[3]>) => sum(square(x));

// The batched signature: generic in the batch size.
expectAssignable<<B extends Dim>(x: Tensor<[B, 3]>) => Tensor<[B]>>(vmap(f));

// Literal, number and Sym batch sizes.
expectType<Tensor<[8]>>(vmap(f)(zeros([8, 3])));
declare const xn: Tensor<[number, 3]>;
expectType<Tensor<[number]>>(vmap(f)(xn));
declare const xs: Tensor<[Sym<'batch'>, 3]>;
expectType<Tensor<[Sym<'batch'>]>>(vmap(f)(xs));

// inAxes other than 0, negative axes.
expectType<Tensor<[5]>>(vmap(f, { inAxes: 1 })(zeros([3, 5])));
expectType<Tensor<[5]>>(vmap(f, { inAxes: -1 })(zeros([3, 5])));
const g = (x: Tensor<[2, 3]>) => mul(x, 2);
expectType<Tensor<[2, 7, 3]>>(vmap(g, { inAxes: 1, outAxes: 1 })(zeros([2, 7, 3])));
expectType<Tensor<[2, 3, 7]>>(vmap(g, { outAxes: -1 })(zeros([7, 2, 3])));

// null axes: shared arguments keep their type.
const loss = (w: Tensor<[3, 1]>, x: Tensor<[3]>, y: Scalar) => sum(square(mul(sum(matmul(x, w)), y)));
expectType<Tensor<[16, 3, 1]>>(vmap(grad(loss), { inAxes: [null, 0, 0] })(zeros([3, 1]), zeros([16, 3]), zeros([16])));

// Trees: every leaf gets the batch axis, per argument or per leaf.
interface Params {
  readonly w: Tensor<[30, 1]>;
  readonly b: Tensor<[1]>;
}
const predict = (p: Params, x: Tensor<[30]>) => sum(mul(p.b, sum(x)));
declare const p: Params;
expectType<Tensor<[64]>>(vmap(predict, { inAxes: [null, 0] })(p, zeros([64, 30])));
const perExample = vmap(grad((q: Params, x: Tensor<[30]>) => predict(q, x)), { inAxes: [null, 0] })(p, zeros([64, 30]));
expectType<Tensor<[64, 30, 1]>>(perExample.w);
expectType<Tensor<[64, 1]>>(perExample.b);
const ens = vmap(predict, { inAxes: [{ w: 0, b: null }, null] });
expectType<Tensor<[8]>>(ens({ w: zeros([8, 30, 1]), b: zeros([1]) }, zeros([30])));

// A batch of keys gives a batch of models.
const init = (k: random.Key) => ({ w: random.normal(k, [30, 1]), b: random.normal(k, [1]) });
const models = vmap(init)(random.split(random.key(0), 8));
expectType<Tensor<[8, 30, 1], 'float32'>>(models.w);
expectType<Tensor<[number, 30, 1], 'float32'>>(vmap(init)(random.split(random.key(0), 8 as number)).w);

// Nested vmap.
const outer = vmap(vmap((a: Scalar, b: Scalar) => mul(a, b), { inAxes: [0, null] }), { inAxes: [null, 0] });
expectType<Tensor<[2, number]>>(outer(zeros([3]), zeros([2])));

// A tensor of unknown rank: the batch size is left to run time.
declare const unknownRank: Tensor<number[]>;
expectType<Tensor<[number]>>(vmap(f)(unknownRank));

// Mistakes do not compile.
expectError(vmap(predict, { inAxes: [null, 0] })({ w: zeros([30, 1]) }, zeros([64, 30])));
expectError(vmap(f)(zeros([8, 4])));
expectError(vmap(f)(zeros([3])));
const two = (x: Tensor<[3]>, y: Tensor<[3]>) => sum(mul(x, y));
expectError(vmap(two)(zeros([8, 3]), zeros([4, 3])));
expectError(vmap(f, { inAxes: [0, 0] }));
