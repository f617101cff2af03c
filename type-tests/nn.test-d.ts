// Layer types: composition keeps shapes, parameter trees and states typed;
// a width mismatch is a compile error naming both widths.
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { grad, mse, nn, random, relu, sigmoid, add, matmul, zeros, type Dim, type FloatDType, type Scalar, type Sym, type Tensor } from '../src/index.js';

const key = random.key(0);
declare const x: Tensor<[32, 784]>;

// linear: features on the last axis, leading dims kept
const lin = nn.linear(784, 128);
expectType<nn.Layer<[784], [128], { w: Tensor<[784, 128]>; b: Tensor<[128]> }, 'float32'>>(lin);
expectType<{ w: Tensor<[784, 128]>; b: Tensor<[128]> }>(lin.init(key));
expectType<Tensor<[32, 128]>>(lin.apply(lin.init(key), x));
expectType<Tensor<[7, 32, 128]>>(lin.apply(lin.init(key), zeros([7, 32, 784])));
expectType<Tensor<[128]>>(lin.apply(lin.init(key), zeros([784])));
expectError(lin.apply(lin.init(key), zeros([32, 785])));
expectError(lin.apply(lin.init(key), zeros([32, 784], { dtype: 'float64' })));
expectType<{ w: Tensor<[3, 2], 'float64'> }>(nn.linear(3, 2, { dtype: 'float64', bias: false }).init(key));

// sequential(linear(784, 128), relu, linear(128, 10)): Tensor<[B, 784]> -> Tensor<[B, 10]>
const model = nn.sequential(nn.linear(784, 128), relu, nn.linear(128, 10));
type MlpParams = [{ w: Tensor<[784, 128]>; b: Tensor<[128]> }, [], { w: Tensor<[128, 10]>; b: Tensor<[10]> }];
expectType<nn.Layer<[784], [10], MlpParams, 'float32', 'float32', false>>(model);
const params = model.init(key);
expectType<MlpParams>(params);
expectType<Tensor<[32, 10]>>(model.apply(params, x));
function forward<B extends Dim>(xb: Tensor<[B, 784]>): Tensor<[B, 10]> {
  return model.apply(params, xb);
}
expectType<Tensor<[Sym<'batch'>, 10]>>(forward(zeros([32, 784]) as Tensor<[Sym<'batch'>, 784]>));
expectType<Tensor<[number, 10]>>(model.apply(params, zeros([32, 784]) as Tensor<[number, 784]>));

// widths that do not fit: a compile error
expectError(nn.sequential(nn.linear(784, 128), relu, nn.linear(100, 10)));
expectError(nn.sequential(nn.linear(784, 128), nn.layerNorm(64)));
// the message names both widths: see the literal type of the check
expectType<[unknown, unknown, 'sequential: layer 2 takes [100] but layer 0 gives [128]']>(
  null as unknown as nn.CheckSequential<[nn.Layer<[784], [128], unknown>, typeof relu, nn.Layer<[100], [10], unknown>]>,
);
expectType<[unknown, unknown, unknown]>(null as unknown as nn.CheckSequential<[typeof lin, typeof relu, nn.Layer<[128], [10], unknown>]>);

// parameters of the wrong shape are rejected
expectError(model.apply([params[0], [], { w: zeros([10, 128]), b: zeros([10]) }], x));

// activations and plain shape-preserving functions pass through
const deep = nn.sequential(nn.linear(4, 8), nn.gelu, nn.silu, sigmoid, nn.tanh, nn.softmax, nn.logSoftmax, nn.elu, nn.leakyRelu, nn.linear(8, 1));
expectType<Tensor<[5, 1]>>(deep.apply(deep.init(key), zeros([5, 4])));

// dropout: the mode becomes a required argument
const withDropout = nn.sequential(nn.linear(784, 128), relu, nn.dropout(0.5), nn.linear(128, 10));
const pd = withDropout.init(key);
expectType<[{ w: Tensor<[784, 128]>; b: Tensor<[128]> }, [], [], { w: Tensor<[128, 10]>; b: Tensor<[10]> }]>(pd);
expectType<Tensor<[32, 10]>>(withDropout.apply(pd, x, { mode: 'train', key }));
expectType<Tensor<[32, 10]>>(withDropout.apply(pd, x, { mode: 'eval' }));
expectError(withDropout.apply(pd, x));
expectError(withDropout.apply(pd, x, { mode: 'test' }));
model.apply(params, x, { mode: 'eval' });

// batchNorm makes the model stateful: state in, state out
const bnModel = nn.sequential(nn.linear(784, 64), nn.batchNorm(64), relu, nn.linear(64, 10));
expectType<[[], nn.BatchNormState<64>, [], []]>(bnModel.initState());
const [yb, sb] = bnModel.apply(bnModel.init(key), bnModel.initState(), x, { mode: 'train' });
expectType<Tensor<[32, 10]>>(yb);
expectType<[[], nn.BatchNormState<64>, [], []]>(sb);
expectError(bnModel.apply(bnModel.init(key), x, { mode: 'train' }));

// embedding: int32 indices of any shape -> [..., E]
const emb = nn.embedding(1000, 16);
expectType<{ table: Tensor<[1000, 16]> }>(emb.init(key));
expectType<Tensor<[4, 12, 16]>>(emb.apply(emb.init(key), zeros([4, 12], { dtype: 'int32' })));
expectError(emb.apply(emb.init(key), zeros([4, 12])));
const tokens = nn.sequential(nn.embedding(1000, 16), nn.layerNorm(16), nn.linear(16, 4));
expectType<Tensor<[4, 12, 4]>>(tokens.apply(tokens.init(key), zeros([4, 12], { dtype: 'int32' })));

// mlp: a tuple of linear parameters
const net = nn.mlp([2, 16, 16, 1]);
expectType<[{ w: Tensor<[2, 16]>; b: Tensor<[16]> }, { w: Tensor<[16, 16]>; b: Tensor<[16]> }, { w: Tensor<[16, 1]>; b: Tensor<[1]> }]>(net.init(key));
expectType<Tensor<[100, 1]>>(net.apply(net.init(key), zeros([100, 2])));

// layerNorm with a multi-dim feature shape
const ln = nn.layerNorm([2, 3], { dtype: 'float64' });
expectType<nn.NormParams<[2, 3], 'float64'>>(ln.init(key));
expectType<Tensor<[9, 2, 3], 'float64'>>(ln.apply(ln.init(key), zeros([9, 2, 3], { dtype: 'float64' })));

// activations keep shape and dtype
expectType<Tensor<[2, 3], 'float64'>>(nn.gelu(zeros([2, 3], { dtype: 'float64' })));
expectType<Tensor<[2, 3]>>(nn.softmax(zeros([2, 3]), 0));
expectType<Tensor<[2, 3]>>(nn.leakyRelu(zeros([2, 3]), 0.2));

// initialisers
expectType<Tensor<[3, 4], 'float64'>>(nn.init.heNormal()(key, [3, 4], 'float64'));
expectType<Tensor<[3, 4]>>(nn.init.glorotUniform()(key, [3, 4]));

// a hand-written model is first-class: grad of a plain function of a typed tree
type P = { w: Tensor<[30, 1]>; b: Tensor<[1]> };
const handModel = <B extends Dim>(p: P, xs: Tensor<[B, 30]>) => sigmoid(add(matmul(xs, p.w), p.b));
const loss = <B extends Dim>(p: P, xs: Tensor<[B, 30]>, ys: Tensor<[NoInfer<B>, 1]>): Scalar => mse(handModel(p, xs), ys);
expectType<P>(grad(loss)({ w: zeros([30, 1]), b: zeros([1]) }, zeros([455, 30]), zeros([455, 1])));

// layers are assignable to the wide types
expectAssignable<nn.AnyLayer>(model);
expectAssignable<nn.AnyLayer>(bnModel);
expectNotAssignable<nn.Layer<[784], [10], MlpParams, FloatDType, 'same', true>>(bnModel);
