// Loss and metric types: prediction and target shapes must match exactly
// ([N, 1] against [N] is a compile error); reductions set the result type.
import { expectError, expectType } from 'tsd';
import {
  accuracy,
  bce,
  bceWithLogits,
  confusionMatrix,
  huber,
  l1,
  mse,
  nll,
  softmaxCrossEntropy,
  zeros,
  type CheckSameShape,
  type Dim,
  type Sym,
  type Tensor,
} from '../src/index.js';

declare const p: Tensor<[455, 1]>;
declare const y: Tensor<[455, 1]>;
declare const yFlat: Tensor<[455]>;

for (const loss of [mse, l1, huber, bce, bceWithLogits]) {
  expectType<Tensor<[]>>(loss(p, y));
  expectType<Tensor<[]>>(loss(p, y, { reduction: 'sum' }));
  expectType<Tensor<[455, 1]>>(loss(p, y, { reduction: 'none' }));
  // the silent broadcast that breaks PyTorch users' losses
  expectError(loss(p, yFlat));
  expectError(loss(yFlat, p));
}
expectType<'mse: prediction [455,1] and target [455] must have the same shape'>(null as unknown as CheckSameShape<[455, 1], [455], 'mse'>);
expectType<unknown>(null as unknown as CheckSameShape<[number, 1], [455, 1], 'mse'>);

// float64 predictions give float64 losses; targets may be int or bool
expectType<Tensor<[], 'float64'>>(mse(zeros([3], { dtype: 'float64' }), zeros([3], { dtype: 'int32' })));
expectType<Tensor<[]>>(bce(zeros([3]), zeros([3], { dtype: 'bool' })));
expectError(mse(zeros([3], { dtype: 'int32' }), zeros([3])));
expectError(huber(p, y, { delta: '1' }));
expectError(mse(p, y, { reduction: 'avg' }));

// unknown and named dims
declare const pu: Tensor<[number, 1]>;
expectType<Tensor<[]>>(mse(pu, y));
expectType<Tensor<[]>>(mse(y, pu));
function generic<B extends Dim>(pred: Tensor<[B, 1]>, target: Tensor<[NoInfer<B>, 1]>): Tensor<[B, 1]> {
  return bceWithLogits(pred, target, { reduction: 'none' });
}
expectType<Tensor<[Sym<'n'>, 1]>>(generic(zeros([2, 1]) as Tensor<[Sym<'n'>, 1]>, zeros([2, 1]) as Tensor<[Sym<'n'>, 1]>));
declare function wrong<B extends Dim>(pred: Tensor<[B, 1]>, target: Tensor<[NoInfer<B>]>): void;
expectError(<B extends Dim>(pred: Tensor<[B, 1]>, target: Tensor<[B]>) => mse(pred, target));
void wrong;

// softmax cross-entropy: int32 labels without the class axis, or one-hot labels with it
declare const logits: Tensor<[32, 10]>;
expectType<Tensor<[]>>(softmaxCrossEntropy(logits, zeros([32], { dtype: 'int32' })));
expectType<Tensor<[32]>>(softmaxCrossEntropy(logits, zeros([32], { dtype: 'int32' }), { reduction: 'none' }));
expectType<Tensor<[32]>>(softmaxCrossEntropy(logits, zeros([32, 10]), { reduction: 'none', labelSmoothing: 0.1 }));
expectType<Tensor<[4, 8]>>(softmaxCrossEntropy(zeros([4, 8, 10]), zeros([4, 8], { dtype: 'int32' }), { reduction: 'none' }));
expectError(softmaxCrossEntropy(logits, zeros([32, 1], { dtype: 'int32' })));
expectError(softmaxCrossEntropy(logits, zeros([32, 9])));
expectError(softmaxCrossEntropy(logits, zeros([32])));
expectType<Tensor<[]>>(nll(logits, zeros([32], { dtype: 'int32' })));
expectError(nll(logits, zeros([32, 10])));

// metrics: plain numbers; same shape rule
expectType<number>(accuracy(p, y));
expectType<number>(accuracy(p, y, { logits: true }));
expectType<number>(accuracy(logits, zeros([32], { dtype: 'int32' })));
expectError(accuracy(p, yFlat));
expectError(accuracy(p, zeros([455], { dtype: 'int32' })));
expectType<Tensor<[3, 3], 'int32'>>(confusionMatrix(zeros([10], { dtype: 'int32' }), zeros([10], { dtype: 'int32' }), 3));
expectError(confusionMatrix(zeros([10], { dtype: 'int32' }), zeros([9], { dtype: 'int32' }), 3));
expectError(confusionMatrix(zeros([10]), zeros([10], { dtype: 'int32' }), 3));
