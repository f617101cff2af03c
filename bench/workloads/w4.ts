/**
 * W4: y = tanh(x * 1.5 + 0.5) * sigmoid(x) over 2^20 float32 (x uniform in
 * [-4, 4)), as a user writes it with each library's ops. Checked elementwise
 * against plain JS.
 */
import { uniformArray, type F32 } from '../data.js';
import { measure } from '../harness.js';
import { allclose, elementwise } from '../reference.js';
import { timeRow, type Context, type Result } from '../workload.js';

export const W4_SIZE = 1 << 20;

/** The expression in one library. */
export interface W4Model {
  /** Computes y (and releases it, for libraries that need that). */
  run(): unknown;
  result(): ArrayLike<number>;
}

export async function runW4(ctx: Context, make: (x: F32) => W4Model): Promise<Result[]> {
  const x = uniformArray(W4_SIZE, -4, 4, 3);
  const model = make(x);
  const check = allclose('y', model.result(), elementwise(x), 1e-5, 2e-6);
  const stats = await measure(() => model.run(), {
    samples: ctx.quick ? 5 : 21,
    inner: 'auto',
    sampleMs: ctx.quick ? 10 : 50,
    warmupMs: ctx.quick ? 30 : 300,
  });
  return [timeRow({ workload: 'W4', case: '2^20 floats', lib: ctx.lib }, stats, 'ms', { check })];
}
