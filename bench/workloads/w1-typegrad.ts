/** W1 in typegrad: `valueAndGrad` of a pure loss, `optim.sgd`. */
import { add, matmul, mean, mul, optim, softplus, sub, tensor, valueAndGrad, zeros, type Tensor } from '../../src/index.js';
import type { Context, Result } from '../workload.js';
import { W1, runW1 } from './w1.js';

type Params = { w: Tensor<[30]>; b: Tensor<[]> };

/** Binary cross-entropy of sigmoid(z) against y, as mean(softplus(z) - y z). */
function loss(p: Params, x: Tensor<[455, 30]>, y: Tensor<[455]>): Tensor<[]> {
  const z = add(matmul(x, p.w), p.b);
  return mean(sub(softplus(z), mul(y, z)));
}

export function run(ctx: Context): Promise<Result[]> {
  return runW1(ctx, (data) => {
    const x = tensor(data.trainX, [455, 30]);
    const y = tensor(data.trainY, [455]);
    const lossAndGrad = valueAndGrad(loss);
    const opt = optim.sgd(W1.lr);
    let params: Params = { w: zeros([30]), b: zeros([]) };
    let state = opt.init(params);
    let last: Tensor<[]> | undefined;
    return {
      epoch() {
        const [value, grads] = lossAndGrad(params, x, y);
        ({ params, state } = opt.step(params, grads, state));
        last = value;
      },
      loss: () => last?.item() ?? NaN,
      params: () => [...params.w.toTypedArray(), params.b.item()],
    };
  });
}
