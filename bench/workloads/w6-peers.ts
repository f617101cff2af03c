/**
 * W6 for the JavaScript peers: not run, with the reason as the row's error.
 * - TF.js wasm has no `Conv2DBackpropFilter` kernel: it cannot train a CNN.
 * - TF.js cpu takes about a minute per batch of 64 (measured for issue 13).
 * - jax-js takes about 7 s per step with jit (measured for issue 13): about
 *   1.8 hours per epoch.
 */
import type { Context, Result } from '../workload.js';

export async function runTfjs(ctx: Context): Promise<Result[]> {
  if (ctx.lib === 'tfjs-wasm') throw new Error('W6 not run: TF.js wasm has no Conv2DBackpropFilter kernel, so it cannot train a CNN');
  throw new Error('W6 not run: TF.js cpu takes about a minute per batch of 64 (about 15 hours per epoch)');
}

export async function runJax(_ctx: Context): Promise<Result[]> {
  throw new Error('W6 not run: jax-js takes about 7 s per step with jit (about 1.8 hours per epoch)');
}
