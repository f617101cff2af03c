/** W5 in typegrad: `grad` of the loss, then `w - lr * g`; for `typegrad-jit` the step runs under `jit`. */
import { grad, jit, mul, scalar, square, sub, type Scalar } from '../../src/index.node.js';
import { SCALAR } from '../reference.js';
import type { Context, Result } from '../workload.js';
import { runW5 } from './w5.js';

const loss = (w: Scalar, x: Scalar, y: Scalar): Scalar => square(sub(mul(w, x), y));

export function run(ctx: Context): Promise<Result[]> {
  const dLoss = grad(loss);
  const update = (w: Scalar, x: Scalar, y: Scalar): Scalar => sub(w, mul(dLoss(w, x, y), SCALAR.lr));
  const step = ctx.lib === 'typegrad-jit' ? jit(update) : update;
  const x = scalar(SCALAR.x);
  const y = scalar(SCALAR.y);
  return runW5(ctx, () => {
    let w = scalar(SCALAR.w0);
    return {
      step: () => {
        w = step(w, x, y);
      },
      w: () => w.item(),
    };
  });
}
