/**
 * W3 in jax-js: `np.matmul` (under `jit` for the jit variant). jax-js is
 * lazy, so each call waits for the product with `blockUntilReady`.
 */
import type { Array as JaxArray } from '@jax-js/jax';
import { loadJax } from '../peers.js';
import type { Context, Result } from '../workload.js';
import { runW3 } from './w3.js';

export async function run(ctx: Context): Promise<Result[]> {
  const { numpy: np, jit } = await loadJax();
  const product = (a: JaxArray, b: JaxArray): JaxArray => np.matmul(a, b);
  const f = ctx.lib === 'jax-wasm-jit' ? jit(product) : product;
  return runW3(ctx, (a, b, n) => {
    const ja = np.array(a).reshape([n, n]);
    const jb = np.array(b).reshape([n, n]);
    return {
      run: async () => (await f(ja.ref, jb.ref).blockUntilReady()).dispose(),
      result: () => f(ja.ref, jb.ref).dataSync(),
    };
  });
}
