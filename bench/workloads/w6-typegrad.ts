/**
 * W6 in typegrad, as `examples/cnn-fashion-mnist.ts` writes it: the model
 * is an `nn.sequential` of `nn.unflatten`, `nn.conv2d`, `nn.maxPool2d`,
 * `nn.flatten` and `nn.linear`, the batches come from a shuffled `loader`,
 * and `optim.adam` updates. Under `typegrad-jit` the whole training step
 * (forward, backward, Adam) is one `jit` program, compiled once, with the
 * parameters and the optimizer state donated; the convolutions run in it
 * as opaque kernels and the elementwise ops around them fuse.
 */
import { fashionMnist, fromTensors, jit, loader, nn, optim, random, softmaxCrossEntropy, valueAndGrad, type Tensor } from '../../src/index.node.js';
import type { Context, Result } from '../workload.js';
import { w6Row, w6Steps } from './w6.js';

const model = nn.sequential(
  nn.unflatten([1, 28, 28]),
  nn.conv2d(1, 32, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.conv2d(32, 64, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.flatten(), nn.linear(3136, 128), nn.relu, nn.linear(128, 10),
);
type Params = nn.ParamsOf<typeof model>;
const loss = (p: Params, x: Tensor<[number, 784]>, y: Tensor<[number], 'int32'>): Tensor<[]> => softmaxCrossEntropy(model.apply(p, x), y);

const opt = optim.adam(1e-3);
type State = ReturnType<typeof opt.init<Params>>;
/** The training step: forward pass, backward pass and Adam update. */
const trainStep = (p: Params, s: State, x: Tensor<[number, 784]>, y: Tensor<[number], 'int32'>) => {
  const [value, grads] = valueAndGrad(loss)(p, x, y);
  return { ...opt.step(p, grads, s), loss: value };
};

export async function run(ctx: Context): Promise<Result[]> {
  const { train } = fashionMnist();
  const batches = loader(fromTensors(train.x, train.y), { batchSize: 64, shuffle: true, key: random.key(0), dropLast: true });
  let params = model.init(random.key(1));
  let state = opt.init(params);
  const jitted = ctx.lib === 'typegrad-jit';
  const step = jitted ? jit(trainStep, { donate: [0, 1] }) : trainStep;
  const { steps, warmup } = w6Steps(ctx.quick);
  const run = (index: number) => {
    const [x, y] = batches.at({ epoch: 0, index });
    const out = step(params, state, x, y);
    ({ params, state } = out);
    return out.loss;
  };
  // The first call traces and compiles under jit: timed on its own.
  const start = performance.now();
  run(0).item();
  const firstMs = performance.now() - start;
  for (let i = 1; i < warmup; i++) run(i).item();
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < steps; i++) last = run(warmup + i).item();
  const seconds = (performance.now() - t0) / 1000;
  if (!Number.isFinite(last)) throw new Error(`W6: the loss is ${last}`);
  const rows = w6Row(ctx, seconds, steps);
  if (!jitted) return rows;
  return [...rows, { workload: 'W6', case: rows[0]!.case, metric: 'step compile', lib: ctx.lib, unit: 'ms', value: firstMs, note: 'first call of the jitted step: trace + compile + run' }];
}
