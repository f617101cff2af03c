/**
 * W2 in typegrad: the model is a pure function of a parameter record, the
 * batches come from `loader(fromTensors(x, y))`, and `optim.adam` updates.
 */
import {
  add,
  fromTensors,
  loader,
  logsumexp,
  matmul,
  mean,
  mul,
  oneHot,
  optim,
  random,
  relu,
  sub,
  sum,
  tensor,
  valueAndGrad,
  type Tensor,
} from '../../src/index.js';
import { storageOf } from '../../src/core/tensor.js';
import type { F32, I32 } from '../data.js';
import { ADAM } from '../reference.js';
import type { Context, Result } from '../workload.js';
import { runW2, runW2Memory, type W2Factory } from './w2.js';

type Mlp = { w1: Tensor<[784, 128]>; b1: Tensor<[128]>; w2: Tensor<[128, 10]>; b2: Tensor<[10]> };

function forward<B extends number>(p: Mlp, x: Tensor<[B, 784]>): Tensor<[B, 10]> {
  const h = relu(add(matmul(x, p.w1), p.b1));
  return add(matmul(h, p.w2), p.b2);
}

/** Softmax cross-entropy: mean over rows of logsumexp(logits) - logits[y]. */
function loss<B extends number>(p: Mlp, x: Tensor<[B, 784]>, y: Tensor<[B], 'int32'>): Tensor<[]> {
  const logits = forward(p, x);
  return mean(sub(logsumexp(logits, 1), sum(mul(logits, oneHot(y, 10)), 1)));
}

const make: W2Factory = (init, data) => {
  const train = loader(fromTensors(tensor(data.trainX, [60000, 784]), tensor(data.trainY, [60000], { dtype: 'int32' })), {
    batchSize: 64,
    shuffle: true,
    key: random.key(0),
  });
  let params: Mlp = {
    w1: tensor(init.w1, [784, 128]),
    b1: tensor(init.b1, [128]),
    w2: tensor(init.w2, [128, 10]),
    b2: tensor(init.b2, [10]),
  };
  const opt = optim.adam(ADAM.lr, { b1: ADAM.b1, b2: ADAM.b2, eps: ADAM.eps });
  let state = opt.init(params);
  const lossAndGrad = valueAndGrad(loss);
  let last: Tensor<[]> | undefined;
  return {
    steps: train.length,
    train(epoch, from, to, onStep) {
      for (let index = from; index < to; index++) {
        const [x, y] = train.at({ epoch, index });
        const [value, grads] = lossAndGrad(params, x, y);
        ({ params, state } = opt.step(params, grads, state));
        last = value;
        onStep?.(value.item(), x.toTypedArray() as F32, y.toTypedArray() as I32);
      }
    },
    lastLoss: () => last?.item() ?? NaN,
    predict: (x, rows) => storageOf(forward(params, tensor(x, [rows, 784])).concrete()),
  };
};

export const run = (ctx: Context): Promise<Result[]> => runW2(ctx, make);
export const runMemory = (ctx: Context): Promise<Result[]> => runW2Memory(ctx, make);
