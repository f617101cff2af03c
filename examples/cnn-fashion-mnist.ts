/**
 * A small convolutional network on Fashion-MNIST (60,000 training and
 * 10,000 test images of clothing, 28 x 28 grey pixels in [0, 1]):
 *
 *     conv 1->32 3x3 pad 1, ReLU, max-pool 2   [32, 14, 14]
 *     conv 32->64 3x3 pad 1, ReLU, max-pool 2  [64, 7, 7]
 *     flatten, linear 3136->128, ReLU, linear 128->10
 *
 * Softmax cross-entropy, Adam (lr 1e-3, decaying to 0 along a cosine over
 * the run), minibatches of 64 from a shuffled `loader`. The sizes are
 * checked at compile time: `nn.linear(3000, 128)` in place of the first
 * linear layer does not compile ("sequential: layer 8 takes [3000] but
 * layer 7 gives [3136]"). Measured on this project's 2-core machine, idle,
 * with the default 8 epochs under `jit`: test accuracy 0.8771, 0.8916,
 * 0.8872, 0.9078, 0.9140, 0.9176, 0.9194, 0.9209 after epochs 1-8, 75-80 s
 * per epoch (op by op, `--eager`, it was 110-131 s per epoch).
 * With `--epochs 4` under heavy load (load average 10-16): 0.8744, 0.8936,
 * 0.8991, 0.9038; PyTorch on that schedule (`bench/torch/w6_accuracy.py
 * --epochs 4`, one seed each) gave 0.8749, 0.9002, 0.9070, 0.9100, with a
 * training loss about 0.015 lower from epoch 2 on.
 *
 * The data are not bundled: `apt-get install dataset-fashion-mnist`
 * (Debian; /usr/share/datasets/fashion-mnist) or pass `--dir`.
 *
 *     npx tsx examples/cnn-fashion-mnist.ts [--epochs 8] [--quick] [--limit N] [--augment] [--dir path] [--seed 0] [--eager]
 *
 * `--quick` trains one epoch on the first 2,048 training images and tests on
 * the first 1,000 (for tests); `--limit N` keeps the first N of each;
 * `--augment` adds random crops (padding 2) and horizontal flips, drawn
 * from the data key. Progress shows as a bar in a terminal and as plain
 * lines otherwise (CI logs), with each epoch's time. The training step runs
 * under `jit` (one program, compiled on the first batch); `--eager` runs it
 * op by op.
 */
import { parseArgs } from 'node:util';
import { progressBar } from '../src/node.js';
import {
  FASHION_MNIST_DIR,
  accuracy,
  augment,
  fashionMnist,
  fromTensors,
  jit,
  loader,
  nn,
  optim,
  random,
  randomCrop,
  randomHorizontalFlip,
  reshape,
  softmaxCrossEntropy,
  subset,
  valueAndGrad,
  type Tensor,
} from '../src/index.node.js';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '8' },
    quick: { type: 'boolean', default: false },
    augment: { type: 'boolean', default: false },
    limit: { type: 'string' },
    dir: { type: 'string', default: FASHION_MNIST_DIR },
    seed: { type: 'string', default: '0' },
    eager: { type: 'boolean', default: false },
  },
});
const epochs = args.quick ? 1 : Number(args.epochs);
const limit = args.quick ? 2048 : args.limit === undefined ? undefined : Number(args.limit);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got ${args.epochs}`);
if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`--limit must be a positive integer, got ${args.limit}`);

// The model takes flat 784-pixel rows; nn.unflatten tells sequential the image size, so every later size is checked.
const model = nn.sequential(
  nn.unflatten([1, 28, 28]),
  nn.conv2d(1, 32, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.conv2d(32, 64, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.flatten(), nn.linear(3136, 128), nn.relu, nn.linear(128, 10),
);
type Params = nn.ParamsOf<typeof model>;

const loss = <B extends number>(p: Params, x: Tensor<[B, 784]>, y: Tensor<[B], 'int32'>): Tensor<[]> => softmaxCrossEntropy(model.apply(p, x), y);

// Data.
const data = fashionMnist({ dir: args.dir });
const first = (n: number) => Array.from({ length: n }, (_, i) => i);
const trainSet = limit === undefined ? fromTensors(data.train.x, data.train.y) : subset(fromTensors(data.train.x, data.train.y), first(Math.min(limit, 60000)));
const testSet = limit === undefined ? fromTensors(data.test.x, data.test.y) : subset(fromTensors(data.test.x, data.test.y), first(Math.min(limit, args.quick ? 1000 : 10000)));
const testX = testSet.tensors[0] as Tensor<[number, 784]>;

const [initKey, dataKey, augmentKey] = random.split(random.key(Number(args.seed)), 3);
const plain = loader(trainSet, { batchSize: 64, shuffle: true, key: dataKey });
// Augmentation: a lazy transform of each batch, keyed by (epoch, batch): random 28x28 crops of the
// zero-padded (2 pixels) images, and half of them mirrored.
const batches = args.augment
  ? augment(plain, augmentKey, (key, [x, y]: [Tensor<[number, 784]>, Tensor<[number], 'int32'>]) => {
      const [kc, kf] = random.split(key);
      const images = reshape(x, [x.shape[0], 1, 28, 28]);
      const out = randomHorizontalFlip(kf, randomCrop(kc, images, { padding: 2 }));
      return [reshape(out, [x.shape[0], 784]), y] as [Tensor<[number, 784]>, Tensor<[number], 'int32'>];
    })
  : plain;
console.log(
  `Fashion-MNIST CNN: ${trainSet.length} training and ${testSet.length} test images; ${batches.length} batches of 64 per epoch, ${epochs} epochs${args.augment ? ', augmented' : ''}`,
);

/** Test accuracy, evaluated in slices of 1000 images. */
function testAccuracy(p: Params): number {
  let correct = 0;
  for (let i = 0; i < testX.shape[0]; i += 1000) {
    const n = Math.min(1000, testX.shape[0] - i);
    const idx = subset(testSet, first(n).map((j) => i + j)).tensors as [Tensor<[number, 784]>, Tensor<[number], 'int32'>];
    correct += accuracy(model.apply(p, idx[0]), idx[1]) * n;
  }
  return correct / testX.shape[0];
}

// Training.
let params = model.init(initKey);
const opt = optim.adam(optim.cosineDecay({ init: 1e-3, decaySteps: epochs * batches.length }));
let state = opt.init(params);
/** One training step: forward pass, backward pass and the Adam update. */
const trainStep = (p: Params, s: typeof state, x: Tensor<[number, 784]>, y: Tensor<[number], 'int32'>) => {
  const [value, grads] = valueAndGrad(loss)(p, x, y);
  return { ...opt.step(p, grads, s), loss: value };
};
// Under jit the whole step is one compiled program (the convolutions as kernels, the
// elementwise ops around them fused); the old parameters and state are donated.
const runStep = args.eager ? trainStep : jit(trainStep, { donate: [0, 1] });

const times: number[] = [];
for (let epoch = 0; epoch < epochs; epoch++) {
  const bar = progressBar({ total: batches.length, label: `epoch ${epoch + 1}/${epochs}` });
  let total = 0;
  for (const { batch: [x, y], index } of batches.epoch(epoch).steps()) {
    const out = runStep(params, state, x, y);
    ({ params, state } = out);
    total += out.loss.item();
    bar.update(index + 1, `loss ${(total / (index + 1)).toFixed(4)}`);
  }
  const seconds = bar.done();
  times.push(seconds);
  console.log(`Epoch ${epoch + 1}/${epochs}: loss ${(total / batches.length).toFixed(4)}, test accuracy ${testAccuracy(params).toFixed(4)}, ${seconds.toFixed(1)}s`);
}
console.log(`Epoch times: ${times.map((t) => `${t.toFixed(1)}s`).join(', ')}`);
console.log(`Test accuracy: ${testAccuracy(params).toFixed(4)}`);
