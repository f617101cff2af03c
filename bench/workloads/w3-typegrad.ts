/** W3 in typegrad: `matmul` of two float32 tensors. */
import { matmul, tensor } from '../../src/index.node.js';
import type { Context, Result } from '../workload.js';
import { runW3 } from './w3.js';

export function run(ctx: Context): Promise<Result[]> {
  return runW3(ctx, (a, b, n) => {
    const ta = tensor(a, [n, n]);
    const tb = tensor(b, [n, n]);
    return { run: () => matmul(ta, tb), result: () => matmul(ta, tb).toTypedArray() };
  });
}
