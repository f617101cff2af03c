/** W4 in jax-js; under `jit` the expression becomes one fused kernel. */
import type { Array as JaxArray } from '@jax-js/jax';
import { loadJax } from '../peers.js';
import type { Context, Result } from '../workload.js';
import { runW4 } from './w4.js';

export async function run(ctx: Context): Promise<Result[]> {
  const { numpy: np, nn, jit } = await loadJax();
  const expr = (x: JaxArray): JaxArray => np.tanh(x.ref.mul(1.5).add(0.5)).mul(nn.sigmoid(x));
  const f = ctx.lib === 'jax-wasm-jit' ? jit(expr) : expr;
  return runW4(ctx, (data) => {
    const x = np.array(data);
    return {
      run: async () => (await f(x.ref).blockUntilReady()).dispose(),
      result: () => f(x.ref).dataSync(),
    };
  });
}
