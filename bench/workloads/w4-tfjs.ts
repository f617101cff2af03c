/** W4 in TensorFlow.js, inside `tf.tidy` so the intermediates are freed. */
import { loadTfjs } from '../peers.js';
import type { Context, Result } from '../workload.js';
import { runW4 } from './w4.js';

export async function run(ctx: Context): Promise<Result[]> {
  const tf = await loadTfjs(ctx.lib === 'tfjs-wasm' ? 'wasm' : 'cpu');
  return runW4(ctx, (data) => {
    const x = tf.tensor1d(data);
    const f = () => tf.tidy(() => tf.tanh(x.mul(1.5).add(0.5)).mul(tf.sigmoid(x)));
    return { run: () => f().dispose(), result: () => f().dataSync() };
  });
}
