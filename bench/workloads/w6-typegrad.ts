/**
 * W6 in typegrad, as `examples/cnn-fashion-mnist.ts` writes it: the model
 * is an `nn.sequential` of `nn.unflatten`, `nn.conv2d`, `nn.maxPool2d`,
 * `nn.flatten` and `nn.linear`, the batches come from a shuffled `loader`,
 * and `optim.adam` updates.
 */
import { fashionMnist, fromTensors, loader, nn, optim, random, softmaxCrossEntropy, valueAndGrad, type Tensor } from '../../src/index.node.js';
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

export async function run(ctx: Context): Promise<Result[]> {
  const { train } = fashionMnist();
  const batches = loader(fromTensors(train.x, train.y), { batchSize: 64, shuffle: true, key: random.key(0), dropLast: true });
  let params = model.init(random.key(1));
  const opt = optim.adam(1e-3);
  let state = opt.init(params);
  const lossAndGrad = valueAndGrad(loss);
  const { steps, warmup } = w6Steps(ctx.quick);
  const step = (index: number) => {
    const [x, y] = batches.at({ epoch: 0, index });
    const [value, grads] = lossAndGrad(params, x, y);
    ({ params, state } = opt.step(params, grads, state));
    return value;
  };
  for (let i = 0; i < warmup; i++) step(i).item();
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < steps; i++) last = step(warmup + i).item();
  const seconds = (performance.now() - t0) / 1000;
  if (!Number.isFinite(last)) throw new Error(`W6: the loss is ${last}`);
  return w6Row(ctx, seconds, steps);
}
