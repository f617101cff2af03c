/**
 * Logistic regression on the breast-cancer data (the PyTorch tutorial's
 * section 3): 569 tumours with 30 features each, malignant (0) or benign (1).
 *
 * - 80/20 split by `trainTestSplit` under an explicit key (455 / 114 samples);
 * - features standardised with the training set's mean and std;
 * - model `p = sigmoid(x w + b)`, a linear layer 30 -> 1;
 * - binary cross-entropy, plain SGD with learning rate 0.01, 100 epochs of
 *   full-batch gradient descent (every step sees all 455 training samples,
 *   as in the PyTorch tutorial);
 * - the test accuracy counts `p >= 0.5` as benign.
 *
 * Why standardise: the raw features live on wildly different scales (mean
 * area runs from 143.5 to 2501, mean smoothness from 0.05 to 0.16). The
 * gradient for a weight is proportional to its feature's size, so with
 * lr 0.01 the very first step moves the logits `x w + b` into the thousands.
 * The sigmoid saturates: every sample is predicted 0 or 1 with certainty, and
 * each later step is a big jump driven by the samples on the wrong side, so
 * the model swings between calling everything malignant and everything
 * benign, and the small-scale features that separate the classes never get a
 * say. Its accuracy stays near the share of one class in the test set; that is
 * where PyTorch stalls (0.597). With every feature at mean 0 and std 1, all
 * weights see gradients of the same size and one learning rate suits them all.
 *
 * The test set has 114 samples, so one sample is 0.009 of accuracy. The
 * result depends on the key (the split, then the initial weights): over keys
 * 0 to 19 this script's test accuracy ranges from 0.886 to 0.982 (mean
 * 0.941; 10 of the 20 reach 0.94); key 0 gives 0.947.
 *
 * The training step (gradient and SGD update) runs under `jit`: its first
 * call stages it into one program of primitives and compiles it, later calls
 * replay the program. `--eager` runs it op by op instead; `--losses` prints
 * every epoch's loss at full precision (the tests compare the two).
 *
 *     npx tsx examples/logistic-regression.ts        (also: npm start)
 */
import { accuracy, bce, breastCancer, jit, nn, optim, random, squeeze, standardScaler, trainTestSplit, valueAndGrad, type Tensor } from '../src/index.node.js';

const eager = process.argv.includes('--eager');
const printLosses = process.argv.includes('--losses');

const [splitKey, initKey] = random.split(random.key(0));

// 1. Data: split, then standardise with the training set's statistics only.
const { x, y } = breastCancer();
const {
  train: [xTrainRaw, yTrain],
  test: [xTestRaw, yTest],
} = trainTestSplit(splitKey, [x, y], { testSize: 0.2 });
const scaler = standardScaler.fit(xTrainRaw);
const xTrain = standardScaler.transform(scaler, xTrainRaw);
const xTest = standardScaler.transform(scaler, xTestRaw);
console.log(`train: ${xTrain.shape[0]} samples, test: ${xTest.shape[0]} samples, ${xTrain.shape[1]} features`);

// 2. Model: a linear layer 30 -> 1 (initialised as PyTorch's nn.Linear) and a sigmoid.
const linear = nn.linear(30, 1);
type Params = nn.ParamsOf<typeof linear>;
let params: Params = linear.init(initKey);
const predict = (p: Params, xs: Tensor<[number, 30]>): Tensor<[number]> => squeeze(nn.sigmoid(linear.apply(p, xs)), 1);

// 3. Loss: binary cross-entropy of the predicted probabilities.
const loss = (p: Params, xs: Tensor<[number, 30]>, ys: Tensor<[number]>): Tensor<[]> => bce(predict(p, xs), ys);

// 4. Train: full-batch SGD. One step (forward pass, gradient, update) is one jitted program.
const opt = optim.sgd(0.01);
let state = opt.init(params);
type State = typeof state;
const trainStep = (p: Params, s: State, xs: Tensor<[number, 30]>, ys: Tensor<[number]>) => {
  const [value, grads] = valueAndGrad(loss)(p, xs, ys);
  return { ...opt.step(p, grads, s), loss: value };
};
const step = eager ? trainStep : jit(trainStep);
const lossOf = eager ? loss : jit(loss);
const epochs = 100;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const out = step(params, state, xTrain, yTrain);
  ({ params, state } = out);
  if (printLosses) console.log(`loss ${epoch} ${out.loss.item()}`);
  if (epoch % 10 === 0) console.log(`Epoch ${String(epoch).padStart(3)}: Loss: ${lossOf(params, xTrain, yTrain).item().toFixed(3)}`);
}

// 5. Evaluate: a prediction is benign when p > 0.5.
console.log(`Test accuracy: ${accuracy(predict(params, xTest), yTest).toFixed(3)}`);
