/**
 * W5 in jax-js: `grad` of the loss and the update, the whole step under
 * `jit` for the jit variant; w is read back every `JAX_SYNC_EVERY` steps.
 */
import type { Array as JaxArray } from '@jax-js/jax';
import { JAX_SYNC_EVERY, loadJax } from '../peers.js';
import { SCALAR } from '../reference.js';
import type { Context, Result } from '../workload.js';
import { runW5 } from './w5.js';

export async function run(ctx: Context): Promise<Result[]> {
  const { numpy: np, grad, jit } = await loadJax();
  const dLoss = grad((w: JaxArray, x: JaxArray, y: JaxArray) => np.square(w.mul(x).sub(y)));
  const step = (w: JaxArray, x: JaxArray, y: JaxArray): JaxArray => w.ref.sub(dLoss(w, x, y).mul(SCALAR.lr));
  const f = ctx.lib === 'jax-wasm-jit' ? jit(step) : step;
  const x = np.array(SCALAR.x);
  const y = np.array(SCALAR.y);
  return runW5(ctx, () => {
    let w = np.array(SCALAR.w0);
    let steps = 0;
    return {
      step: () => {
        w = f(w, x.ref, y.ref);
        if (++steps % JAX_SYNC_EVERY === 0) w.ref.dataSync();
      },
      w: () => w.ref.dataSync()[0]!,
    };
  });
}
