/**
 * W6: the CNN of `examples/cnn-fashion-mnist.ts` (conv 1->32 3x3 pad 1,
 * ReLU, max-pool 2, conv 32->64 3x3 pad 1, ReLU, max-pool 2, linear
 * 3136->128, ReLU, linear 128->10) trained with Adam (lr 1e-3), batch 64,
 * on Fashion-MNIST. Time: a fixed number of steps after a warm-up (100;
 * `--quick`: 10), scaled to the 938 steps of one epoch (the row says so).
 * A full epoch takes minutes on a busy machine, and the steps are all alike.
 */
import { timeRow, type Context, type Result } from '../workload.js';

/** Steps per epoch at batch 64 on 60,000 images. */
export const EPOCH_STEPS = 938;

/** Timed steps and warm-up steps. */
export function w6Steps(quick: boolean): { steps: number; warmup: number } {
  return quick ? { steps: 10, warmup: 3 } : { steps: 100, warmup: 10 };
}

/** One row: the epoch time in seconds from `seconds` for `steps` steps. */
export function w6Row(ctx: Context, seconds: number, steps: number, note?: string): Result[] {
  const epoch = (seconds * EPOCH_STEPS) / steps;
  const stats = { median: epoch * 1000, min: epoch * 1000, max: epoch * 1000, q1: epoch * 1000, q3: epoch * 1000, samples: 1, inner: steps };
  return [timeRow({ workload: 'W6', case: `epoch (938 steps, from ${steps})`, lib: ctx.lib }, stats as never, 's', { extra: { msPerStep: (seconds * 1000) / steps }, ...(note ? { note } : {}) })];
}
