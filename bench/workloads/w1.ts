/**
 * W1: the tutorial's logistic regression (`examples/logistic-regression.ts`,
 * after PyTorch's): breast cancer, 80/20 split, standardised (455 x 30
 * training rows), full batch. One epoch is the forward pass
 * p = sigmoid(x w + b), the binary cross-entropy of p, its gradient and an
 * SGD update (lr 0.01). Every library starts from w = 0, b = 0. Timed per
 * epoch; checked by training a fresh model for the tutorial's 100 epochs and
 * comparing the last loss and the parameters with the plain-JS reference.
 */
import { breastCancerSplit, type TabularSplit } from '../data.js';
import { measure } from '../harness.js';
import { allOf, allclose, logisticRegression } from '../reference.js';
import { timeRow, type Context, type Result } from '../workload.js';

/** Learning rate of the SGD update, and epochs of the check run. */
export const W1 = { lr: 0.01, checkEpochs: 100 } as const;

/** A logistic-regression trainer in one library, from w = 0, b = 0. */
export interface W1Model {
  /** One full-batch epoch: forward, loss, gradient, update. */
  epoch(): void;
  /** The loss of the last epoch (taken before its update); reading it forces pending work. */
  loss(): number;
  /** The weights followed by the bias. */
  params(): ArrayLike<number>;
}

export async function runW1(ctx: Context, make: (data: TabularSplit) => W1Model): Promise<Result[]> {
  const data = breastCancerSplit();
  const want = logisticRegression(data.trainX, data.trainY, data.features, W1.lr, W1.checkEpochs);
  const probe = make(data);
  for (let e = 0; e < W1.checkEpochs; e++) probe.epoch();
  const check = allOf(
    allclose(`loss after ${W1.checkEpochs} epochs`, [probe.loss()], [want.loss], 1e-4, 1e-6),
    allclose('w and b', probe.params(), want.params, 1e-3, 1e-5),
  );
  const model = make(data);
  const stats = await measure(() => model.epoch(), {
    samples: ctx.quick ? 5 : 21,
    inner: 'auto',
    sampleMs: ctx.quick ? 10 : 40,
    warmupMs: ctx.quick ? 50 : 500,
    sync: () => model.loss(),
  });
  return [timeRow({ workload: 'W1', case: `epoch, ${data.trainY.length}x${data.features}`, lib: ctx.lib }, stats, 'us', { check })];
}
