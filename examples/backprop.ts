/**
 * Backpropagation on the smallest example there is (the PyTorch tutorial's
 * section 2): one weight `w`, one sample `x = 1` with target `y = 2`, and
 * the squared error `loss = (w x - y)^2`.
 *
 * At `w = 1` the forward pass gives `y_hat = 1` and `loss = (1 - 2)^2 = 1`;
 * the chain rule gives `dloss/dw = 2 (w x - y) x = -2`. `valueAndGrad`
 * computes both in one pass. A few gradient-descent steps `w <- w - lr dloss/dw`
 * then move `w` towards 2, where the loss is 0.
 *
 *     npx tsx examples/backprop.ts
 */
import { mul, scalar, square, sub, valueAndGrad, type Scalar } from '../src/index.node.js';

const x = scalar(1);
const y = scalar(2);

/** The squared error of the one-weight model `y_hat = w x`. */
const loss = (w: Scalar, x: Scalar, y: Scalar): Scalar => square(sub(mul(w, x), y));

// Forward and backward pass at w = 1.
let w = scalar(1);
const [value, dw] = valueAndGrad(loss)(w, x, y);
console.log(`loss at w = 1: ${value.item()}`); // 1
console.log(`dloss/dw at w = 1: ${dw.item()}`); // -2

// A few steps of gradient descent.
const learningRate = 0.1;
for (let step = 1; step <= 5; step++) {
  const [l, g] = valueAndGrad(loss)(w, x, y);
  w = sub(w, mul(g, learningRate));
  console.log(`step ${step}: loss ${l.item().toFixed(4)}, w ${w.item().toFixed(4)}`);
}
console.log(`after 5 steps: loss ${loss(w, x, y).item().toFixed(4)} (w -> 2, loss -> 0)`);
