/** W4 in typegrad: four ops, each a pass over the array. */
import { add, mul, sigmoid, tanh, tensor } from '../../src/index.node.js';
import type { Context, Result } from '../workload.js';
import { W4_SIZE, runW4 } from './w4.js';

export function run(ctx: Context): Promise<Result[]> {
  return runW4(ctx, (data) => {
    const x = tensor(data, [W4_SIZE]);
    const f = () => mul(tanh(add(mul(x, 1.5), 0.5)), sigmoid(x));
    return { run: f, result: () => f().toTypedArray() };
  });
}
