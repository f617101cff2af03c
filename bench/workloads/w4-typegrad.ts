/** W4 in typegrad: four ops, each a pass over the array; for `typegrad-jit` one jitted function (fused by the compiler). */
import { add, jit, mul, sigmoid, tanh, tensor, type Tensor } from '../../src/index.node.js';
import type { Context, Result } from '../workload.js';
import { W4_SIZE, runW4 } from './w4.js';

export function run(ctx: Context): Promise<Result[]> {
  return runW4(ctx, (data) => {
    const x = tensor(data, [W4_SIZE]);
    const expr = (v: Tensor<[number]>) => mul(tanh(add(mul(v, 1.5), 0.5)), sigmoid(v));
    const g = ctx.lib === 'typegrad-jit' ? jit(expr) : expr;
    const f = () => g(x);
    return { run: f, result: () => f().toTypedArray() };
  });
}
