/**
 * W1 in TensorFlow.js, as its tutorials write it: variables, a loss closure
 * and `optimizer.minimize` (which computes the gradients and applies SGD).
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
    const b = tf.variable(tf.scalar(0));
    const opt = tf.train.sgd(W1.lr);
    let last: ReturnType<typeof opt.minimize> = null;
    return {
      epoch() {
        last?.dispose();
        // sigmoidCrossEntropy(labels, logits): mean(max(z, 0) - z y + log(1 + e^-|z|)).
        last = opt.minimize(() => tf.losses.sigmoidCrossEntropy(y, x.matMul(w).reshape([n]).add(b)), true, [w, b]);
      },
      loss: () => (last ? last.dataSync()[0]! : NaN),
      params: () => [...w.dataSync(), ...b.dataSync()],
    };
  });
}
