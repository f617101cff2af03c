/** W5 in TensorFlow.js: `tf.grad`, the update inside `tf.tidy`, the old w disposed. */
import { loadTfjs, type Tf } from '../peers.js';
import { SCALAR } from '../reference.js';
import type { Context, Result } from '../workload.js';
import { runW5 } from './w5.js';

type Scalar = ReturnType<Tf['scalar']>;

export async function run(ctx: Context): Promise<Result[]> {
  const tf = await loadTfjs(ctx.lib === 'tfjs-wasm' ? 'wasm' : 'cpu');
  const x = tf.scalar(SCALAR.x);
  const y = tf.scalar(SCALAR.y);
  const dLoss = tf.grad((w) => w.mul(x).sub(y).square());
  return runW5(ctx, () => {
    let w: Scalar = tf.scalar(SCALAR.w0);
    return {
      step: () => {
        const next: Scalar = tf.tidy(() => w.sub(dLoss(w).mul(SCALAR.lr)));
        w.dispose();
        w = next;
      },
      w: () => w.dataSync()[0]!,
    };
  });
}
