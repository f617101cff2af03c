/**
 * W5: the tutorial's scalar step: loss (w x - y)^2, its gradient in w, and
 * w -= lr * grad, on rank-0 tensors. Timed per step; checked by 100 steps
 * against plain JS.
 */
import { measure } from '../harness.js';
import { allclose, scalarSteps } from '../reference.js';
import { timeRow, type Context, type Result } from '../workload.js';

/** The step in one library, from w = SCALAR.w0. */
export interface W5Model {
  step(): void;
  /** The current w; reading it forces pending work. */
  w(): number;
}

export async function runW5(ctx: Context, make: () => W5Model): Promise<Result[]> {
  const probe = make();
  for (let s = 0; s < 100; s++) probe.step();
  const check = allclose('w after 100 steps', [probe.w()], [scalarSteps(100)], 1e-5, 1e-6);
  const model = make();
  const stats = await measure(() => model.step(), {
    samples: ctx.quick ? 5 : 21,
    inner: 'auto',
    sampleMs: ctx.quick ? 10 : 40,
    warmupMs: ctx.quick ? 50 : 500,
    sync: () => model.w(),
  });
  return [timeRow({ workload: 'W5', case: 'one step', lib: ctx.lib }, stats, 'us', { check })];
}
