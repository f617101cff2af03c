/**
 * W1 in jax-js (wasm device), eagerly or with the whole step under `jit`.
 * jax-js moves arrays into every call: `.ref` / `tree.ref` keep a value for
 * later use, and the loss of the previous epoch is disposed. The loss is
 * read back every `JAX_SYNC_EVERY` epochs (see there).
 */
import type { Array as JaxArray } from '@jax-js/jax';
import { JAX_SYNC_EVERY, loadJax } from '../peers.js';
import type { Context, Result } from '../workload.js';
import { W1, runW1 } from './w1.js';

type Params = { w: JaxArray; b: JaxArray };

export async function run(ctx: Context): Promise<Result[]> {
  const { numpy: np, nn, tree, valueAndGrad, jit } = await loadJax();
  // p = sigmoid(x w + b); binary cross-entropy -mean(y log p + (1 - y) log(1 - p)).
  const loss = (params: Params, x: JaxArray, y: JaxArray): JaxArray => {
    const p = nn.sigmoid(np.matmul(x, params.w).add(params.b)).reshape([-1]);
    const oneMinusY = np.negative(y.ref).add(1);
    const oneMinusP = np.negative(p.ref).add(1);
    return np.negative(np.mean(y.mul(np.log(p)).add(oneMinusY.mul(np.log(oneMinusP)))));
  };
  const lossAndGrad = valueAndGrad(loss);
  const step = (p: Params, x: JaxArray, y: JaxArray): [JaxArray, Params] => {
    const [value, grads] = lossAndGrad(tree.ref(p), x, y);
    const next = tree.map((pi: JaxArray, gi: JaxArray) => pi.sub(gi.mul(W1.lr)), p, grads) as Params;
    return [value, next];
  };
  const compiled = ctx.lib === 'jax-wasm-jit' ? jit(step) : step;
  return runW1(ctx, (data) => {
    const n = data.trainY.length;
    const x = np.array(data.trainX).reshape([n, data.features]);
    const y = np.array(data.trainY);
    let params: Params = { w: np.zeros([data.features, 1]), b: np.zeros([1]) };
    let last: JaxArray | undefined;
    let epochs = 0;
    return {
      epoch() {
        last?.dispose();
        [last, params] = compiled(params, x.ref, y.ref);
        if (++epochs % JAX_SYNC_EVERY === 0) last.ref.dataSync();
      },
      loss: () => (last ? last.ref.dataSync()[0]! : NaN),
      params: () => [...params.w.ref.dataSync(), ...params.b.ref.dataSync()],
    };
  });
}
