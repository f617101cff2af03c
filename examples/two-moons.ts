/**
 * A small MLP on two interleaving half circles ("two moons"), end to end:
 * data generated from an explicit key, a typed model from `nn.sequential`,
 * `bceWithLogits`, AdamW with a warmup-cosine schedule, and accuracy on a
 * held-out set. Everything random comes from one key, so every run prints
 * the same numbers.
 *
 *     npx tsx examples/two-moons.ts
 */
import { accuracy, bceWithLogits, jit, nn, optim, random, tensor, valueAndGrad, type Tensor } from '../src/index.node.js';

// `--eager` runs the training step op by op instead of under jit; `--losses` prints every step's loss.
const eager = process.argv.includes('--eager');
const printLosses = process.argv.includes('--losses');

/**
 * `n` points per moon: the upper moon is `(cos t, sin t)` for t in [0, pi],
 * the lower one `(1 - cos t, 1/2 - sin t)`, both with Gaussian noise of
 * standard deviation `noise`. Labels: 0 for the upper moon, 1 for the lower.
 */
function twoMoons<const N extends number>(key: random.Key, n: N, noise: number) {
  const [kt, kn, kp] = random.split(key, 3);
  const t = random.uniform(kt, [2 * n], { max: Math.PI }).toTypedArray();
  const eps = random.normal(kn, [2 * n, 2], { std: noise }).toTypedArray();
  const order = random.permutation(kp, 2 * n).toTypedArray();
  const xs = new Float32Array(4 * n);
  const ys = new Float32Array(2 * n);
  order.forEach((src, i) => {
    const lower = src >= n;
    const c = Math.cos(t[src]!), s = Math.sin(t[src]!);
    xs[2 * i] = (lower ? 1 - c : c) + eps[2 * src]!;
    xs[2 * i + 1] = (lower ? 0.5 - s : s) + eps[2 * src + 1]!;
    ys[i] = lower ? 1 : 0;
  });
  return { x: tensor(xs, [2 * n, 2]) as Tensor<[number, 2]>, y: tensor(ys, [2 * n, 1]) as Tensor<[number, 1]> };
}

const [dataKey, testKey, initKey] = random.split(random.key(42), 3);
const train = twoMoons(dataKey, 250, 0.15);
const test = twoMoons(testKey, 250, 0.15);

// 2 -> 32 -> 32 -> 1 (a logit); the widths are checked at compile time.
const model = nn.sequential(nn.linear(2, 32), nn.tanh, nn.linear(32, 32), nn.tanh, nn.linear(32, 1));
let params = model.init(initKey);

const loss = (p: typeof params, x: Tensor<[number, 2]>, y: Tensor<[number, 1]>) => bceWithLogits(model.apply(p, x), y);

const steps = 400;
const opt = optim.adamw(optim.warmupCosineDecay({ peak: 0.03, warmupSteps: 20, decaySteps: steps, end: 1e-4 }), { weightDecay: 1e-4 });
let state = opt.init(params);
// The whole step (forward, backward, AdamW update, schedule) is staged once by jit and replayed.
const trainStep = (p: typeof params, s: typeof state, x: Tensor<[number, 2]>, y: Tensor<[number, 1]>) => {
  const [value, grads] = valueAndGrad(loss)(p, x, y);
  return { ...opt.step(p, grads, s), loss: value };
};
const run = eager ? trainStep : jit(trainStep);

const start = performance.now();
for (let step = 1; step <= steps; step++) {
  const out = run(params, state, train.x, train.y);
  ({ params, state } = out);
  const value = out.loss;
  if (printLosses) console.log(`loss ${step} ${value.item()}`);
  if (step % 100 === 0) {
    const lr = optim.currentLearningRate(state);
    console.log(`step ${step}: loss ${value.item().toFixed(4)}, lr ${lr.toExponential(2)}`);
  }
}
const seconds = (performance.now() - start) / 1000;

const trainAcc = accuracy(model.apply(params, train.x), train.y, { logits: true });
const testAcc = accuracy(model.apply(params, test.x), test.y, { logits: true });
console.log(`trained ${steps} full-batch steps on ${train.x.shape[0]} points in ${seconds.toFixed(2)} s`);
console.log(`train accuracy ${(100 * trainAcc).toFixed(1)}%, test accuracy ${(100 * testAcc).toFixed(1)}%`);
if (testAcc < 0.95) {
  console.error('expected at least 95% test accuracy');
  process.exitCode = 1;
}
