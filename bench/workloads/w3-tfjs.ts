/** W3 in TensorFlow.js: `tf.matMul`; the product is computed when the call returns, then disposed. */
import { loadTfjs } from '../peers.js';
import type { Context, Result } from '../workload.js';
import { runW3 } from './w3.js';

export async function run(ctx: Context): Promise<Result[]> {
  const tf = await loadTfjs(ctx.lib === 'tfjs-wasm' ? 'wasm' : 'cpu');
  return runW3(ctx, (a, b, n) => {
    const ta = tf.tensor2d(a, [n, n]);
    const tb = tf.tensor2d(b, [n, n]);
    return {
      run: () => tf.matMul(ta, tb).dispose(),
      result: () => tf.tidy(() => tf.matMul(ta, tb).dataSync()),
    };
  });
}
