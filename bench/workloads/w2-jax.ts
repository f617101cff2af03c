/**
 * W2 in jax-js (wasm device). `@jax-js/jax` has no optimizers, so Adam is
 * written out (the same formulas as the reference); with `jit` the whole
 * step (loss, gradient, Adam) is one compiled function. The bias corrections
 * are passed in as arrays so the compiled step is reused at every t. The
 * loss is read back every `JAX_SYNC_EVERY` steps (see there).
 */
import type { Array as JaxArray } from '@jax-js/jax';
import { Batches } from '../data.js';
import { JAX_SYNC_EVERY, loadJax, type Jax } from '../peers.js';
import { ADAM } from '../reference.js';
import type { Context, Result } from '../workload.js';
import { runW2, runW2Memory, type W2Factory } from './w2.js';

type Mlp = { w1: JaxArray; b1: JaxArray; w2: JaxArray; b2: JaxArray };
type Step = (p: Mlp, m: Mlp, v: Mlp, x: JaxArray, y: JaxArray, c1: JaxArray, c2: JaxArray) => [JaxArray, Mlp, Mlp, Mlp];

function factory(jax: Jax, useJit: boolean): W2Factory {
  const { numpy: np, nn, tree, valueAndGrad, jit } = jax;
  const forward = (p: Mlp, x: JaxArray): JaxArray => np.matmul(nn.relu(np.matmul(x, p.w1).add(p.b1)), p.w2).add(p.b2);
  // Softmax cross-entropy against one-hot rows: mean(logsumexp(logits) - sum(logits * onehot)).
  const loss = (p: Mlp, x: JaxArray, onehot: JaxArray): JaxArray => {
    const logits = forward(p, x);
    return np.mean(nn.logsumexp(logits.ref, -1).sub(np.sum(logits.mul(onehot), -1)));
  };
  const lossAndGrad = valueAndGrad(loss);
  const step: Step = (p, m, v, x, y, c1, c2) => {
    const [value, g] = lossAndGrad(tree.ref(p), x, y);
    const m2 = tree.map((mi: JaxArray, gi: JaxArray) => mi.mul(ADAM.b1).add(gi.mul(1 - ADAM.b1)), m, tree.ref(g)) as Mlp;
    const v2 = tree.map((vi: JaxArray, gi: JaxArray) => vi.mul(ADAM.b2).add(np.square(gi).mul(1 - ADAM.b2)), v, g) as Mlp;
    // p -= lr (m / c1) / (sqrt(v / c2) + eps)
    const p2 = tree.map(
      (pi: JaxArray, mi: JaxArray, vi: JaxArray) => pi.sub(mi.div(c1.ref).mul(ADAM.lr).div(np.sqrt(vi.div(c2.ref)).add(ADAM.eps))),
      p,
      tree.ref(m2),
      tree.ref(v2),
    ) as Mlp;
    c1.dispose();
    c2.dispose();
    return [value, p2, m2, v2];
  };
  const compiled: Step = useJit ? jit(step) : step;

  return (init, data) => {
    let p: Mlp = {
      w1: np.array(init.w1).reshape([784, 128]),
      b1: np.array(init.b1),
      w2: np.array(init.w2).reshape([128, 10]),
      b2: np.array(init.b2),
    };
    let m = tree.map((a: JaxArray) => np.zerosLike(a.ref), p) as Mlp;
    let v = tree.map((a: JaxArray) => np.zerosLike(a.ref), p) as Mlp;
    let t = 0;
    let batches = new Batches(data, 0);
    let last: JaxArray | undefined;
    return {
      steps: batches.steps,
      train(epoch, from, to, onStep) {
        if (batches.epoch !== epoch) batches = new Batches(data, epoch);
        for (let k = from; k < to; k++) {
          const { x, y, rows } = batches.fill(k);
          t++;
          const xb = np.array(x).reshape([rows, 784]);
          const yb = nn.oneHot(np.array(y, { dtype: np.int32 }), 10);
          const c1 = np.array(1 - ADAM.b1 ** t);
          const c2 = np.array(1 - ADAM.b2 ** t);
          last?.dispose();
          [last, p, m, v] = compiled(p, m, v, xb, yb, c1, c2);
          if (onStep) onStep(last.ref.dataSync()[0]!, x, y);
          else if (t % JAX_SYNC_EVERY === 0) last.ref.dataSync();
        }
      },
      lastLoss: () => (last ? last.ref.dataSync()[0]! : NaN),
      predict: (x, rows) => forward(tree.ref(p), np.array(x).reshape([rows, 784])).dataSync(),
    };
  };
}

export async function run(ctx: Context): Promise<Result[]> {
  return runW2(ctx, factory(await loadJax(), ctx.lib === 'jax-wasm-jit'));
}

export async function runMemory(ctx: Context): Promise<Result[]> {
  return runW2Memory(ctx, factory(await loadJax(), ctx.lib === 'jax-wasm-jit'));
}
