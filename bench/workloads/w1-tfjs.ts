/**
 * W1 in TensorFlow.js, as its tutorials write it: variables, a loss closure
 * (sigmoid of the linear layer, `tf.losses.logLoss`) and `optimizer.minimize`,
 * which computes the gradients and applies SGD.
 */
import { loadTfjs } from '../peers.js';
import type { Context, Result } from '../workload.js';
import { W1, runW1 } from './w1.js';

export async function run(ctx: Context): Promise<Result[]> {
  const tf = await loadTfjs(ctx.lib === 'tfjs-wasm' ? 'wasm' : 'cpu');
  return runW1(ctx, (data) => {
    const n = data.trainY.length;
    const x = tf.tensor2d(data.trainX, [n, data.features]);
    const y = tf.tensor1d(data.trainY);
    const w = tf.variable(tf.zeros([data.features, 1]));
    const b = tf.variable(tf.zeros([1]));
    const opt = tf.train.sgd(W1.lr);
    let last: ReturnType<typeof opt.minimize> = null;
    return {
      epoch() {
        last?.dispose();
        // logLoss(labels, p) = mean(-y log(p + 1e-7) - (1 - y) log(1 - p + 1e-7)), TF.js's binary cross-entropy on probabilities.
        last = opt.minimize(() => tf.losses.logLoss(y, tf.sigmoid(x.matMul(w).add(b)).reshape([n])), true, [w, b]);
      },
      loss: () => (last ? last.dataSync()[0]! : NaN),
      params: () => [...w.dataSync(), ...b.dataSync()],
    };
  });
}
