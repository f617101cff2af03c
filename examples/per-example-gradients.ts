/**
 * Per-example gradients with `vmap(grad(f))`: differentially private SGD
 * (DP-SGD, Abadi et al. 2016) for logistic regression on the breast-cancer
 * data. Each step
 *
 * 1. computes one gradient per example of a batch of 64, in one batched pass:
 *    `vmap(grad(lossOne), { inAxes: [null, 0, 0] })` maps the loss of ONE
 *    example over the batch axis of x and y, sharing the parameters;
 * 2. clips every example's gradient to L2 norm at most C = 1 (so no single
 *    example moves the model by more than C);
 * 3. sums them, adds Gaussian noise of std sigma C (sigma = 1), divides by 64,
 *    and takes an SGD step.
 *
 * No privacy accounting is done here: the point is the per-example
 * gradients, which a plain `grad` of the batch loss cannot give (it returns
 * their sum). Keys are explicit: batch order and noise come from `random`.
 * On key 0 the test accuracy after 20 epochs is about 0.96.
 *
 *     npx tsx examples/per-example-gradients.ts
 */
import {
  accuracy,
  add,
  bce,
  breastCancer,
  div,
  grad,
  minimum,
  mul,
  random,
  sigmoid,
  sqrt,
  square,
  standardScaler,
  sub,
  sum,
  take,
  tensor,
  trainTestSplit,
  vmap,
  astype,
  expandDims,
  gt,
  zeros,
  type Scalar,
  type Tensor,
} from '../src/index.node.js';

const [splitKey, initKey, trainKey] = random.split(random.key(0), 3);

// Data: an 80/20 split, standardised with the training set's statistics.
const { x, y } = breastCancer();
const {
  train: [xTrainRaw, yTrain],
  test: [xTestRaw, yTest],
} = trainTestSplit(splitKey, [x, y], { testSize: 0.2 });
const scaler = standardScaler.fit(xTrainRaw);
const xTrain = standardScaler.transform(scaler, xTrainRaw);
const xTest = standardScaler.transform(scaler, xTestRaw);

// The model and the loss of ONE example: p = sigmoid(w . x + b).
interface Params {
  readonly w: Tensor<[30]>;
  readonly b: Scalar;
}
const predictOne = (p: Params, xi: Tensor<[30]>): Scalar => sigmoid(add(sum(mul(p.w, xi)), p.b));
const lossOne = (p: Params, xi: Tensor<[30]>, yi: Scalar): Scalar => bce(predictOne(p, xi), yi);

// Per-example gradients: params shared (null), x and y batched along axis 0.
const perExampleGrads = vmap(grad(lossOne), { inAxes: [null, 0, 0] }); // (p, x: [B, 30], y: [B]) => { w: [B, 30], b: [B] }
const predict = vmap(predictOne, { inAxes: [null, 0] });

const clipNorm = 1;
const noiseMultiplier = 1;
const lr = 0.5;
const batchSize = 64;
const epochs = 20;

let params: Params = { w: mul(random.normal(initKey, [30]), 0.01), b: zeros([]) };
const n = xTrain.shape[0];
const steps = Math.floor(n / batchSize);
let clipped = 0;
let key = trainKey;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const [next, orderKey] = random.split(key);
  key = next;
  const order = random.permutation(orderKey, n).toArray();
  for (let s = 0; s < steps; s++) {
    const [k, noiseKey] = random.split(key);
    key = k;
    const rows = tensor(order.slice(s * batchSize, (s + 1) * batchSize), { dtype: 'int32' });
    const xb = take(xTrain, rows);
    const yb = take(yTrain, rows);
    const g = perExampleGrads(params, xb, yb); // { w: [64, 30], b: [64] }
    // ||g_i|| over every parameter of example i; scale g_i by min(1, C / ||g_i||).
    const norms = sqrt(add(sum(square(g.w), 1), square(g.b)));
    const factor = minimum(div(clipNorm, add(norms, 1e-12)), 1);
    clipped += sum(astype(gt(norms, clipNorm), 'float32')).item();
    // Sum the clipped gradients, add N(0, (sigma C)^2) noise, average over the batch.
    const [kw, kb] = random.split(noiseKey);
    const noise = noiseMultiplier * clipNorm;
    const update: Params = {
      w: div(add(sum(mul(g.w, expandDims(factor, 1)), 0), mul(random.normal(kw, [30]), noise)), batchSize),
      b: div(add(sum(mul(g.b, factor)), mul(random.normal(kb, []), noise)), batchSize),
    };
    params = { w: sub(params.w, mul(update.w, lr)), b: sub(params.b, mul(update.b, lr)) };
  }
  if (epoch % 5 === 0) console.log(`Epoch ${String(epoch).padStart(2)}: train loss ${bce(predict(params, xTrain), yTrain).item().toFixed(3)}`);
}
console.log(`Clipped ${((100 * clipped) / (epochs * steps * batchSize)).toFixed(1)}% of the per-example gradients to norm ${clipNorm}`);
console.log(`Test accuracy: ${accuracy(predict(params, xTest), yTest).toFixed(3)}`);
