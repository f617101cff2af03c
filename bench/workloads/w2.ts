/**
 * W2: an MLP 784-128-10 (ReLU) trained with Adam (lr 1e-3) on Fashion-MNIST,
 * batch 64, softmax cross-entropy. One epoch is 938 steps (the last batch
 * holds 32 rows). Every library starts from the same parameters.
 *
 * - Time: each repetition trains a fresh model for one epoch (`--quick`: 100
 *   steps), after a warm-up that has run both batch shapes. A library that
 *   cannot train that within the budget trains fewer steps, scaled up.
 * - Peak RSS of the process (its own: one process per library), after training.
 * - Test accuracy reached (10,000 test images): the mean over the
 *   repetitions, each trained on its own shuffle.
 * - Check: the losses of the first 3 steps against the plain-JS reference,
 *   fed the very batches the library trained on.
 *
 * `W2M` (`--memory`) trains one model for three epochs and reads the RSS
 * after each: growth after the first epoch must stay under 5%.
 */
import { MLP, accuracy, fashionArrays, mlpInit, type F32, type FashionArrays, type I32, type MlpArrays } from '../data.js';
import { peakRssMiB, rssMiB, summarise } from '../harness.js';
import { allclose, mlpAdamLosses } from '../reference.js';
import { timeRow, type Context, type Result } from '../workload.js';

/** Called after a step with its loss and the batch it trained on (check runs only). */
export type OnStep = (loss: number, x: F32, y: I32) => void;

/** An MLP trainer in one library, holding its parameters and Adam state. */
export interface W2Model {
  /** Batches per epoch. */
  readonly steps: number;
  /** Trains on batches [from, to) of epoch `epoch`. */
  train(epoch: number, from: number, to: number, onStep?: OnStep): void;
  /** The loss of the last step; reading it forces pending work. */
  lastLoss(): number;
  /** Logits of `rows` images, row-major [rows, 10]. */
  predict(x: F32, rows: number): ArrayLike<number>;
}

export type W2Factory = (init: MlpArrays, data: FashionArrays) => W2Model;

const CHECK_STEPS = 3;

/**
 * Timed training per repetition and in all, in ms. A library too slow to
 * train the full `steps` within `perRep` trains fewer steps, and its time is
 * scaled up to the full count (the table says "extrapolated").
 */
function budget(quick: boolean): { warmSteps: number; perRep: number; total: number; reps: number } {
  return quick ? { warmSteps: 5, perRep: 6_000, total: 6_000, reps: 2 } : { warmSteps: 40, perRep: 30_000, total: 45_000, reps: 3 };
}

/**
 * A checked, warmed-up model and the time per step it showed: the first
 * steps are checked against the reference (on the batches the model saw),
 * then it runs the short last batch and `warmSteps` more steps.
 */
function probeModel(make: W2Factory, init: MlpArrays, data: FashionArrays, warmSteps: number) {
  const probe = make(init, data);
  const losses: number[] = [];
  const batches: { x: F32; y: I32 }[] = [];
  probe.train(0, 0, CHECK_STEPS, (loss, x, y) => {
    losses.push(loss);
    batches.push({ x: x.slice(), y: y.slice() });
  });
  const check = allclose(`losses of the first ${CHECK_STEPS} steps`, losses, mlpAdamLosses(init, batches), 2e-4, 1e-6);
  probe.train(0, probe.steps - 1, probe.steps); // the short batch: a second shape for libraries that compile per shape
  const start = performance.now();
  probe.train(0, CHECK_STEPS, CHECK_STEPS + warmSteps);
  probe.lastLoss();
  return { probe, check, msPerStep: (performance.now() - start) / warmSteps };
}

export async function runW2(ctx: Context, make: W2Factory): Promise<Result[]> {
  const data = fashionArrays();
  const init = mlpInit();
  const rssData = rssMiB();
  const plan = budget(ctx.quick);
  const { probe, check, msPerStep } = probeModel(make, init, data, plan.warmSteps);

  const full = ctx.quick ? 100 : probe.steps;
  const steps = msPerStep * full <= plan.perRep ? full : Math.max(10, Math.floor(plan.perRep / msPerStep));
  const times: number[] = [];
  let model = probe;
  let loss = NaN;
  let spent = 0;
  const accs: number[] = [];
  while (times.length < plan.reps && (times.length === 0 || spent < plan.total)) {
    // Each repetition trains a fresh model on its own shuffle (epoch r's order): the
    // accuracy of one shuffle varies by about a point, so the table gives their mean.
    const rep = times.length;
    model = make(init, data);
    const start = performance.now();
    model.train(rep, 0, steps);
    loss = model.lastLoss();
    const t = performance.now() - start;
    times.push((t * full) / steps);
    spent += t;
    accs.push(accuracy(model.predict(data.testX, data.testY.length), data.testY, MLP.classes));
  }
  const peak = peakRssMiB();
  const acc = accs.reduce((a, b) => a + b, 0) / accs.length;
  const spread = accs.length > 1 ? `mean of ${accs.length} shuffles (${(Math.min(...accs) * 100).toFixed(1)}-${(Math.max(...accs) * 100).toFixed(1)} %)` : 'one shuffle';

  const partial = steps < full ? ` (extrapolated from ${steps} steps)` : '';
  const base = { workload: 'W2', case: ctx.quick ? `${full} steps (quick)` : `epoch, ${full} steps`, lib: ctx.lib } as const;
  return [
    timeRow(base, summarise(times, 1), 's', { check, extra: { steps: full, stepsTimed: steps, lossAfter: loss }, note: `loss ${loss.toFixed(4)} after ${steps} steps${partial ? `; time${partial}` : ''}` }),
    { ...base, metric: 'peak RSS', unit: 'MiB', value: peak, extra: { rssAfterDataLoad: rssData }, note: `${rssData.toFixed(0)} MiB after loading the data` },
    { ...base, metric: 'test accuracy', unit: '%', value: acc * 100, extra: { stepsTrained: steps, shuffles: accs.length }, note: partial ? `after ${steps} steps only; ${spread}` : spread },
  ];
}

export async function runW2Memory(ctx: Context, make: W2Factory): Promise<Result[]> {
  const data = fashionArrays();
  const init = mlpInit();
  const plan = budget(ctx.quick);
  const { msPerStep } = probeModel(make, init, data, plan.warmSteps);
  const model = make(init, data);
  const full = ctx.quick ? 100 : model.steps;
  // Three epochs of at most ~2 x perRep each (a slow library trains partial epochs).
  const steps = Math.min(full, Math.max(10, Math.floor((2 * plan.perRep) / msPerStep)));
  const rss: number[] = [];
  for (let e = 0; e < 3; e++) {
    model.train(e, 0, steps);
    model.lastLoss();
    rss.push(rssMiB());
  }
  const growth = ((rss[2]! - rss[0]!) / rss[0]!) * 100;
  return [
    {
      workload: 'W2M',
      case: ctx.quick ? `3 x ${full} steps (quick)` : '3 epochs',
      metric: 'RSS growth',
      lib: ctx.lib,
      unit: '%',
      value: growth,
      extra: { stepsPerEpoch: steps, rssEpoch1: rss[0]!, rssEpoch2: rss[1]!, rssEpoch3: rss[2]! },
      note: `RSS ${rss.map((r) => r.toFixed(0)).join(' -> ')} MiB${steps < full ? `, ${steps} steps per epoch only` : ''}`,
    },
  ];
}
