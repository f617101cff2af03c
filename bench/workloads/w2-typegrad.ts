/**
 * W2 in typegrad, as the project's MLP example writes it: the model is
 * `nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10))`, the loss
 * `softmaxCrossEntropy` on int32 labels, the batches come from
 * `loader(fromTensors(x, y))` and `optim.adam` updates. The parameters start
 * at the shared initial values, not at `model.init`'s.
 */
import { fromTensors, loader, nn, optim, random, softmaxCrossEntropy, tensor, tree, valueAndGrad, type Tensor } from '../../src/index.node.js';
import { storageOf } from '../../src/core/tensor.js';
import type { F32, FashionArrays, I32, MlpArrays } from '../data.js';
import { ADAM } from '../reference.js';
import type { Context, Result } from '../workload.js';
import { runW2, runW2Memory, type W2Factory } from './w2.js';

const model = nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10));
type Params = nn.ParamsOf<typeof model>;

const loss = (p: Params, x: Tensor<[number, 784]>, y: Tensor<[number], 'int32'>): Tensor<[]> => softmaxCrossEntropy(model.apply(p, x), y);

/** `model.init`'s tree with the shared initial values in its leaves. */
function initialParams(init: MlpArrays): Params {
  const values: Record<string, F32> = { '[0].w': init.w1, '[0].b': init.b1, '[2].w': init.w2, '[2].b': init.b2 };
  return tree.map(model.init(random.key(0)), (leaf, path) => {
    const v = values[path.slice('tree'.length)];
    if (!v) throw new Error(`w2-typegrad: no initial value for ${path}`);
    return tensor(v, [...leaf.shape]);
  });
}

/** The training batches: one loader per dataset, shared by the models built on it. */
const loaders = new WeakMap<FashionArrays, ReturnType<typeof trainLoader>>();
function trainLoader(data: FashionArrays) {
  const { x, y } = data.tensors.train;
  return loader(fromTensors(x, y), { batchSize: 64, shuffle: true, key: random.key(0) });
}

const make: W2Factory = (init, data) => {
  let train = loaders.get(data);
  if (!train) loaders.set(data, (train = trainLoader(data)));
  let params = initialParams(init);
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
    predict: (x, rows) => storageOf(model.apply(params, tensor(x, [rows, 784])).concrete()),
  };
};

export const run = (ctx: Context): Promise<Result[]> => runW2(ctx, make);
export const runMemory = (ctx: Context): Promise<Result[]> => runW2Memory(ctx, make);
