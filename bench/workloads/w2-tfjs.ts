/**
 * W2 in TensorFlow.js: variables, `tf.train.adam` and `optimizer.minimize`
 * inside `tf.tidy`, the loss `tf.losses.softmaxCrossEntropy` (mean over the
 * batch).
 */
import { Batches } from '../data.js';
import { loadTfjs, type Tf } from '../peers.js';
import { ADAM } from '../reference.js';
import type { Context, Result } from '../workload.js';
import { runW2, runW2Memory, type W2Factory } from './w2.js';

type Tensor2D = ReturnType<Tf['tensor2d']>;
type Scalar = ReturnType<Tf['scalar']>;

function factory(tf: Tf): W2Factory {
  return (init, data) => {
    const w1 = tf.variable(tf.tensor2d(init.w1, [784, 128]));
    const b1 = tf.variable(tf.tensor1d(init.b1));
    const w2 = tf.variable(tf.tensor2d(init.w2, [128, 10]));
    const b2 = tf.variable(tf.tensor1d(init.b2));
    const vars = [w1, b1, w2, b2];
    const forward = (x: Tensor2D): Tensor2D => tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2) as Tensor2D;
    const opt = tf.train.adam(ADAM.lr, ADAM.b1, ADAM.b2, ADAM.eps);
    let batches = new Batches(data, 0);
    let last: Scalar | null = null;
    return {
      steps: batches.steps,
      train(epoch, from, to, onStep) {
        if (batches.epoch !== epoch) batches = new Batches(data, epoch);
        for (let k = from; k < to; k++) {
          const { x, y, rows } = batches.fill(k);
          const cost = tf.tidy(() => {
            const xb = tf.tensor2d(x, [rows, 784]);
            const yb = tf.oneHot(tf.tensor1d(y, 'int32'), 10);
            return opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb)) as Scalar, true, vars)!;
          });
          last?.dispose();
          last = cost;
          onStep?.(cost.dataSync()[0]!, x, y);
        }
      },
      lastLoss: () => (last ? last.dataSync()[0]! : NaN),
      predict: (x, rows) => tf.tidy(() => forward(tf.tensor2d(x, [rows, 784])).dataSync()),
    };
  };
}

export async function run(ctx: Context): Promise<Result[]> {
  return runW2(ctx, factory(await loadTfjs(ctx.lib === 'tfjs-wasm' ? 'wasm' : 'cpu')));
}

export async function runMemory(ctx: Context): Promise<Result[]> {
  return runW2Memory(ctx, factory(await loadTfjs(ctx.lib === 'tfjs-wasm' ? 'wasm' : 'cpu')));
}
