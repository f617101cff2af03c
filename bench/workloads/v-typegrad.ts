/**
 * The vmap workloads, typegrad only (each compares two ways of computing the
 * same thing in one run, so the ratio is what counts):
 *
 * - V1: `jacrev` of f(x) = tanh(W x), R^100 -> R^100 (W fixed, 100 x 100):
 *   one batched pullback of the identity (`vmap`, the library's `jacrev`)
 *   against the former loop of 100 pullbacks of basis vectors, kept here.
 * - V2: per-example gradients for a batch of 64 through the W2 MLP
 *   (784-128-10, softmax cross-entropy), `vmap(grad(lossOne))`, against one
 *   gradient of the batch's mean loss. Random inputs and labels: only the
 *   time is measured. A third row times the part no batching rule can
 *   remove, writing the 64 first-layer weight gradients (64 x 784 x 128
 *   floats, one batched outer product), against the same batch gradient. A
 *   fourth times what any implementation pays before computing anything:
 *   a fresh array of that size (the library's own allocation for outputs it
 *   overwrites), written once. Each call returns new per-example gradients,
 *   so each call pays for that memory and for the garbage collections
 *   25.7 MB per call brings; PyTorch's row (functorch, same model) shows
 *   its own ratio on the same machine.
 *
 * Both results are checked: the two Jacobians agree, and the per-example
 * gradients average to the batch gradient. The two sides of each ratio are
 * timed in alternation (`measurePaired`), so the ratio holds on a busy
 * machine too: it is the median of per-round ratios, each round's two
 * samples taken back to back.
 */
import { grad, jacrev, matmul, nn, random, reshape, softmaxCrossEntropy, tanh, vjp, vmap, type Tensor } from '../../src/index.node.js';
import * as lax from '../../src/lax/index.js';
import { dimsOf, storageOf, type AnyTensor } from '../../src/core/tensor.js';
import { allocateOverwritten } from '../../src/core/dtype.js';
import { measurePaired } from '../harness.js';
import { allclose, type Check } from '../reference.js';
import { timeRow, type Context, type Result } from '../workload.js';

/** `got` against `want`, elementwise; throws when they differ beyond the tolerances. */
function compare(what: string, got: AnyTensor, want: AnyTensor, rtol: number, atol: number): Check {
  const check = allclose(what, storageOf(got.concrete()), storageOf(want.concrete()), rtol, atol);
  if (!check.ok) throw new Error(`${what}: error ${check.error} above ${check.tolerance}`);
  return check;
}

const timing = (ctx: Context) => ({ samples: ctx.quick ? 5 : 25, inner: 'auto' as const, sampleMs: ctx.quick ? 20 : 100, warmupMs: ctx.quick ? 50 : 300 });

/** jacrev before vmap: one pullback per output element, rows joined with concat. */
function loopJacrev(f: (x: Tensor<[100]>) => Tensor<[100]>, x: Tensor<[100]>): AnyTensor {
  const [y, pullback] = vjp(f, x);
  const n = y.size;
  const rows: AnyTensor[] = [];
  for (let i = 0; i < n; i++) {
    const e = lax.fill([n], 0, 'float32');
    storageOf(e)[i] = 1;
    rows.push(lax.reshape(pullback(e as never)[0] as unknown as AnyTensor, [1, ...dimsOf(x)]));
  }
  return lax.concat(rows, 0);
}

export async function runV1(ctx: Context): Promise<Result[]> {
  const W = random.normal(random.key(1), [100, 100], { std: 0.1 });
  const f = (x: Tensor<[100]>): Tensor<[100]> => tanh(matmul(W, x));
  const x = random.normal(random.key(2), [100]);
  const jac = jacrev(f);
  const check = compare('V1: the vmap Jacobian against the loop one', jac(x) as unknown as AnyTensor, loopJacrev(f, x), 1e-5, 1e-7);
  const base = { workload: 'V1' as const, lib: ctx.lib };
  const { a: batched, b: loop, ratio: speedup } = await measurePaired(() => jac(x), () => loopJacrev(f, x), timing(ctx));
  return [
    timeRow({ ...base, case: 'jacrev (vmap)' }, batched, 'ms', { check, extra: { speedup }, note: `${speedup.toFixed(1)}x faster than the loop` }),
    timeRow({ ...base, case: 'jacrev (loop of 100 pullbacks)' }, loop, 'ms', { check }),
  ];
}

const model = nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10));
type Params = nn.ParamsOf<typeof model>;

export async function runV2(ctx: Context): Promise<Result[]> {
  const params = model.init(random.key(0));
  const x = random.normal(random.key(3), [64, 784]);
  const y = random.randint(random.key(4), [64], 0, 10);
  const batchLoss = (p: Params, xs: Tensor<[64, 784]>, ys: Tensor<[64], 'int32'>) => softmaxCrossEntropy(model.apply(p, xs), ys);
  const lossOne = (p: Params, xi: Tensor<[784]>, yi: Tensor<[], 'int32'>) => softmaxCrossEntropy(model.apply(p, reshape(xi, [1, 784])), reshape(yi, [1]));
  const batchGrad = grad(batchLoss);
  const perExample = vmap(grad(lossOne), { inAxes: [null, 0, 0] });
  // The mean of the per-example gradients is the batch gradient.
  const g = batchGrad(params, x, y);
  const pe = perExample(params, x, y);
  const mean = lax.div(lax.reduceSum(pe[0].w as unknown as AnyTensor, [0], false), lax.scalarLike(64, x as unknown as AnyTensor));
  const check = compare('V2: the mean per-example gradient against the batch gradient', mean, g[0].w as unknown as AnyTensor, 1e-4, 1e-6);
  const base = { workload: 'V2' as const, lib: ctx.lib };
  const { a: one, b: per, ratio } = await measurePaired(() => batchGrad(params, x, y), () => perExample(params, x, y), timing(ctx));
  // The floor under the per-example time: the 64 first-layer weight gradients alone, one [64,784,1] x [64,1,128]
  // product (25.7 MB written once), timed against the same batch gradient.
  const xs = lax.reshape(x as unknown as AnyTensor, [64, 784, 1]), hs = random.normal(random.key(5), [64, 1, 128]) as unknown as AnyTensor;
  const xv = storageOf(xs.concrete()), hv = storageOf(hs.concrete()), want = new Float64Array(64 * 784 * 128);
  for (let t = 0; t < 64; t++) for (let i = 0; i < 784; i++) for (let j = 0; j < 128; j++) want[(t * 784 + i) * 128 + j] = xv[t * 784 + i]! * hv[t * 128 + j]!;
  const floorCheck = allclose('V2 floor: the batched outer product against plain JS', storageOf(lax.matmul(xs, hs).concrete()), want, 1e-6, 1e-30);
  const { b: outer, ratio: floor } = await measurePaired(() => batchGrad(params, x, y), () => lax.matmul(xs, hs), timing(ctx));
  const size = 64 * 784 * 128, filled = () => allocateOverwritten(size).fill(1);
  const freshCheck = allclose('V2 floor: the fresh array holds what was written', filled(), new Float64Array(size).fill(1), 0, 0);
  const { b: fresh, ratio: freshRatio } = await measurePaired(() => batchGrad(params, x, y), filled, timing(ctx));
  return [
    timeRow({ ...base, case: 'per-example grads, batch 64 (vmap)' }, per, 'ms', { check, extra: { ratio }, note: `${ratio.toFixed(2)}x one batch gradient` }),
    timeRow({ ...base, case: 'one batch gradient, batch 64' }, one, 'ms', { check }),
    timeRow({ ...base, case: 'floor: the 64 layer-1 weight gradients alone' }, outer, 'ms', { check: floorCheck, extra: { ratio: floor }, note: `${floor.toFixed(2)}x one batch gradient (one [64,784,1] x [64,1,128] product, 25.7 MB written)` }),
    timeRow({ ...base, case: 'floor: a fresh 25.7 MB array, filled' }, fresh, 'ms', { check: freshCheck, extra: { ratio: freshRatio }, note: `${freshRatio.toFixed(2)}x one batch gradient (no computation: the output's memory alone)` }),
  ];
}
