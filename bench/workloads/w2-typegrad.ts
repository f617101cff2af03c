/**
 * W2 in typegrad, as the project's MLP example writes it: the model is
 * `nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10))`, the loss
 * `softmaxCrossEntropy` on int32 labels, the batches come from
 * `loader(fromTensors(x, y))` and `optim.adam` updates. The parameters start
 * at the shared initial values, not at `model.init`'s.
 */
import { fromTensors, jit, loader, nn, optim, random, softmaxCrossEntropy, tensor, tree, valueAndGrad, type Tensor } from '../../src/index.node.js';
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

const opt = optim.adam(ADAM.lr, { b1: ADAM.b1, b2: ADAM.b2, eps: ADAM.eps });
type State = ReturnType<typeof opt.init<Params>>;
/** The training step: forward pass, backward pass and Adam update. */
const trainStep = (p: Params, s: State, x: Tensor<[number, 784]>, y: Tensor<[number], 'int32'>) => {
  const [value, grads] = valueAndGrad(loss)(p, x, y);
  return { ...opt.step(p, grads, s), loss: value };
};
/** Under `typegrad-jit`: one program per batch shape, compiled once per process (params and state donated). */
const jittedStep = jit(trainStep, { donate: [0, 1] });
/** Milliseconds of the first jitted call (trace + compile + run) of the full-batch shape. */
let compileMs = NaN;

const makeFor = (lib: Context['lib']): W2Factory => (init, data) => {
  let train = loaders.get(data);
  if (!train) loaders.set(data, (train = trainLoader(data)));
  let params = initialParams(init);
  let state = opt.init(params);
  const jitted = lib === 'typegrad-jit';
  const step = (p: Params, s: State, x: Tensor<[number, 784]>, y: Tensor<[number], 'int32'>) => {
    if (!jitted) return trainStep(p, s, x, y);
    if (!Number.isNaN(compileMs) || x.shape[0] !== 64) return jittedStep(p, s, x, y);
    const start = performance.now();
    const out = jittedStep(p, s, x, y);
    out.loss.item();
    compileMs = performance.now() - start;
    return out;
  };
  let last: Tensor<[]> | undefined;
  return {
    steps: train.length,
    train(epoch, from, to, onStep) {
      for (let index = from; index < to; index++) {
        const [x, y] = train.at({ epoch, index });
        const out = step(params, state, x, y);
        ({ params, state } = out);
        last = out.loss;
        onStep?.(out.loss.item(), x.toTypedArray() as F32, y.toTypedArray() as I32);
      }
    },
    lastLoss: () => last?.item() ?? NaN,
    predict: (x, rows) => storageOf(model.apply(params, tensor(x, [rows, 784])).concrete()),
  };
};

export async function run(ctx: Context): Promise<Result[]> {
  const rows = await runW2(ctx, makeFor(ctx.lib));
  if (ctx.lib !== 'typegrad-jit') return rows;
  const kase = rows[0]!.case;
  return [...rows, { workload: 'W2', case: kase, metric: 'step compile', lib: ctx.lib, unit: 'ms', value: compileMs, note: 'first call of the jitted step: trace + compile + run' }];
}
export const runMemory = (ctx: Context): Promise<Result[]> => runW2Memory(ctx, makeFor(ctx.lib));
