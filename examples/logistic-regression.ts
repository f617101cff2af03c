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
 * area is in the hundreds to 2500, mean smoothness around 0.1). The gradient
 * for a weight is proportional to its feature's size, so with lr 0.01 the
 * very first step moves `x w` for every sample by hundreds; the sigmoid
 * saturates at 0 or 1, its gradient vanishes, and each later step is a
 * large jump driven by the few samples on the wrong side, so the weights
 * swing back and forth along the large-scale features while the small-scale
 * features (which separate the classes well) barely move. The model then
 * hovers near predicting one class, which is where PyTorch's run without
 * standardisation stalls (0.597). With every feature at mean 0 and std 1, all
 * directions have comparable curvature and one learning rate suits them all.
 *
 *     npx tsx examples/logistic-regression.ts        (also: npm start)
 */
import {
  add,
  breastCancer,
  grad,
  log,
  matmul,
  mean,
  mul,
  optim,
  random,
  sigmoid,
  squeeze,
  standardScaler,
  sub,
  trainTestSplit,
  type Tensor,
} from '../src/index.js';

const F = 30;
type Params = { w: Tensor<[30, 1]>; b: Tensor<[1]> };

const [splitKey, initKey] = random.split(random.key(1234));

// 1. Data: split, then standardise with the training set's statistics only.
const { x, y } = breastCancer();
const {
  train: [xTrainRaw, yTrain],
  test: [xTestRaw, yTest],
} = trainTestSplit(splitKey, [x, y], { testSize: 0.2 });
const scaler = standardScaler.fit(xTrainRaw);
const xTrain = standardScaler.transform(scaler, xTrainRaw);
const xTest = standardScaler.transform(scaler, xTestRaw);
console.log(`train: ${xTrain.shape[0]} samples, test: ${xTest.shape[0]} samples, ${F} features`);

// 2. Model: a linear layer 30 -> 1 (initialised as PyTorch's nn.Linear: U(-1/sqrt(30), 1/sqrt(30))) and a sigmoid.
const [wKey, bKey] = random.split(initKey);
const bound = 1 / Math.sqrt(F);
let params: Params = {
  w: random.uniform(wKey, [F, 1], { min: -bound, max: bound }),
  b: random.uniform(bKey, [1], { min: -bound, max: bound }),
};
const predict = (p: Params, xs: Tensor<[number, 30]>): Tensor<[number]> => squeeze(sigmoid(add(matmul(xs, p.w), p.b)), 1);

// 3. Loss: binary cross-entropy, -mean(y log p + (1 - y) log(1 - p)).
const bce = (p: Tensor<[number]>, target: Tensor<[number]>): Tensor<[]> =>
  mul(mean(add(mul(target, log(p)), mul(sub(1, target), log(sub(1, p))))), -1);
const loss = (p: Params, xs: Tensor<[number, 30]>, ys: Tensor<[number]>): Tensor<[]> => bce(predict(p, xs), ys);

// 4. Train: full-batch SGD.
const opt = optim.sgd(0.01);
let state = opt.init(params);
const epochs = 100;
for (let epoch = 1; epoch <= epochs; epoch++) {
  ({ params, state } = opt.step(params, grad(loss)(params, xTrain, yTrain), state));
  if (epoch % 10 === 0) console.log(`Epoch ${String(epoch).padStart(3)}: Loss: ${loss(params, xTrain, yTrain).item().toFixed(3)}`);
}

// 5. Evaluate: a prediction is benign when p >= 0.5.
const pTest = predict(params, xTest).toArray();
const truth = yTest.toArray();
const correct = pTest.filter((p, i) => (p >= 0.5 ? 1 : 0) === truth[i]).length;
console.log(`Test accuracy: ${(correct / truth.length).toFixed(3)}`);
