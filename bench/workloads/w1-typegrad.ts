/**
 * W1 in typegrad, as the tutorial writes it: `nn.linear(30, 1)`, a sigmoid,
 * `bce` and `optim.sgd`; `valueAndGrad` gives the epoch's loss with its
 * gradient, as PyTorch's loop computes `loss` before `backward()`.
 */
import { bce, jit, nn, optim, squeeze, tensor, valueAndGrad, zeros, type Tensor } from '../../src/index.node.js';
import type { Context, Result } from '../workload.js';
import { W1, runW1 } from './w1.js';

const linear = nn.linear(30, 1);
type Params = nn.ParamsOf<typeof linear>;

const predict = (p: Params, x: Tensor<[number, 30]>): Tensor<[number]> => squeeze(nn.sigmoid(linear.apply(p, x)), 1);
const loss = (p: Params, x: Tensor<[number, 30]>, y: Tensor<[number]>): Tensor<[]> => bce(predict(p, x), y);

export function run(ctx: Context): Promise<Result[]> {
  return runW1(ctx, (data) => {
    const n = data.trainY.length;
    const x = tensor(data.trainX, [n, 30]);
    const y = tensor(data.trainY, [n]);
    const lossAndGrad = valueAndGrad(loss);
    const opt = optim.sgd(W1.lr);
    let params: Params = { w: zeros([30, 1]), b: zeros([1]) };
    let state = opt.init(params);
    // One epoch as one function: under `typegrad-jit` it is one compiled program.
    const epoch = (p: Params, s: typeof state, xs: Tensor<[number, 30]>, ys: Tensor<[number]>) => {
      const [value, grads] = lossAndGrad(p, xs, ys);
      return { ...opt.step(p, grads, s), loss: value };
    };
    const step = ctx.lib === 'typegrad-jit' ? jit(epoch) : epoch;
    let last: Tensor<[]> | undefined;
    return {
      epoch() {
        const out = step(params, state, x, y);
        ({ params, state } = out);
        last = out.loss;
      },
      loss: () => last?.item() ?? NaN,
      params: () => [...params.w.toTypedArray(), params.b.item()],
    };
  });
}
