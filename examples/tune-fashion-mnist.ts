/**
 * Hyperparameter search for a Fashion-MNIST MLP: the study of Optuna's
 * PyTorch example ("Hyperparameter tuning of neural networks with Optuna and
 * PyTorch"): the learning rate (log scale), the optimizer, the number of
 * hidden layers, and each layer's units and dropout. Each trial trains on a
 * fixed budget of minibatches per epoch and reports the validation accuracy
 * after every epoch, so the median pruner can stop trials that fall behind.
 * Two worker threads run trials in parallel on a journal-file study, which
 * also makes the search resumable: rerun with the same --out to go on.
 *
 *     npx tsx examples/tune-fashion-mnist.ts [--trials 30] [--epochs 10] [--out tune-fashion-mnist] [--quick]
 *
 * Prints a progress line per finished trial, the best trial and the trial
 * table, and writes the plots (optimisation history, parallel coordinates,
 * parameter importances, intermediate values) to <out>/index.html and SVGs.
 * `--quick` (CI): 6 trials of 2 epochs on 5 small batches each.
 * Needs `apt-get install dataset-fashion-mnist` (or --dir).
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import {
  FASHION_MNIST_DIR,
  accuracy,
  fashionMnist,
  fromTensors,
  loader,
  nn,
  optim,
  random,
  relu,
  softmaxCrossEntropy,
  subset,
  valueAndGrad,
  type Tensor,
} from '../src/index.node.js';
import { tune } from '../src/node.js';

const { values: args } = parseArgs({
  args: isMainThread ? process.argv.slice(2) : [],
  options: {
    trials: { type: 'string', default: '30' },
    epochs: { type: 'string', default: '10' },
    out: { type: 'string', default: 'tune-fashion-mnist' },
    dir: { type: 'string', default: FASHION_MNIST_DIR },
    quick: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
  },
});
// Settings reach the worker threads through the environment.
const settings = {
  quick: process.env['TUNE_QUICK'] === '1' || args.quick === true,
  epochs: Number(process.env['TUNE_EPOCHS'] ?? args.epochs),
  dir: process.env['TUNE_DIR'] ?? args.dir!,
};
const BATCH = settings.quick ? 64 : 128;
const TRAIN_BATCHES = settings.quick ? 5 : 30; // per epoch, as the Optuna example
const VALID = settings.quick ? 256 : 1280;
const EPOCHS = settings.quick ? 2 : settings.epochs;

let data: ReturnType<typeof fashionMnist> | null = null;

type Dense = { w: Tensor<[number, number]>; b: Tensor<[number]> };

/** The objective each worker thread runs: validation accuracy after the last epoch. */
export function objective(trial: tune.Trial): number {
  data ??= fashionMnist({ dir: settings.dir });
  // The search space of the Optuna example, define-by-run.
  const lr = trial.float('lr', 1e-5, 1e-1, { log: true });
  const optimizer = trial.categorical('optimizer', ['adam', 'rmsprop', 'sgd'] as const);
  const nLayers = trial.int('n_layers', 1, 3);
  const hidden = Array.from({ length: nLayers }, (_, i) => ({ units: trial.int(`n_units_l${i}`, 4, 128), dropout: trial.float(`dropout_l${i}`, 0.2, 0.5) }));

  const widths = [784, ...hidden.map((h) => h.units), 10];
  const layers = widths.slice(1).map((out, i) => nn.linear(widths[i]!, out));
  const [initKey, dataKey, dropKey] = random.split(random.key(trial.number), 3);
  let params: Dense[] = layers.map((l, i) => l.init(random.foldIn(initKey, i)) as Dense);
  const forward = (p: Dense[], x: Tensor<[number, 784]>, key: random.Key | null): Tensor<[number, 10]> => {
    let h: Tensor<[number, number]> = x;
    p.forEach((layer, i) => {
      h = layers[i]!.apply(layer as never, h) as Tensor<[number, number]>;
      if (i < hidden.length) {
        h = relu(h);
        if (key !== null) h = nn.dropout(hidden[i]!.dropout).apply([], h, { mode: 'train', key: random.foldIn(key, i) }) as Tensor<[number, number]>;
      }
    });
    return h as Tensor<[number, 10]>;
  };
  const loss = (p: Dense[], x: Tensor<[number, 784]>, y: Tensor<[number], 'int32'>, key: random.Key) => softmaxCrossEntropy(forward(p, x, key), y);
  const opt = optimizer === 'adam' ? optim.adam(lr) : optimizer === 'rmsprop' ? optim.rmsprop(lr) : optim.sgd(lr);
  let state = opt.init(params);
  const step = valueAndGrad(loss);

  const train = fromTensors(data.train.x, data.train.y);
  const batches = loader(train, { batchSize: BATCH, shuffle: true, key: dataKey, dropLast: true });
  const valid = subset(fromTensors(data.test.x, data.test.y), Array.from({ length: VALID }, (_, i) => i));
  const [vx, vy] = valid.tensors as [Tensor<[number, 784]>, Tensor<[number], 'int32'>];

  let acc = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const { batch: [x, y], index } of batches.epoch(epoch).steps()) {
      if (index >= TRAIN_BATCHES) break;
      const [, grads] = step(params, x, y, random.foldIn(random.foldIn(dropKey, epoch), index));
      ({ params, state } = opt.step(params, grads, state as never) as { params: Dense[]; state: typeof state });
    }
    acc = accuracy(forward(params, vx, null), vy);
    trial.report(acc, epoch);
    if (trial.shouldPrune()) throw new tune.TrialPruned();
  }
  return acc;
}

/** The sampler and pruner every worker thread uses (read by tune.optimizeInWorkers). */
export function studyOptions(): Pick<tune.StudyOptions, 'direction' | 'sampler' | 'pruner'> {
  return { direction: 'maximize', sampler: tune.tpe({ seed: 0, nStartupTrials: settings.quick ? 2 : 10 }), pruner: tune.medianPruner({ nStartupTrials: settings.quick ? 1 : 5, nWarmupSteps: settings.quick ? 0 : 2 }) };
}

if (isMainThread && process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const trials = settings.quick ? 6 : Number(args.trials);
  const out = resolve(args.out!);
  process.env['TUNE_QUICK'] = settings.quick ? '1' : '0';
  process.env['TUNE_EPOCHS'] = String(settings.epochs);
  process.env['TUNE_DIR'] = settings.dir;
  const journal = join(out, 'study.jsonl');
  if (args.fresh === true) rmSync(journal, { force: true });
  const study = await tune.createStudy({ ...studyOptions(), studyName: 'fashion-mnist-mlp', storage: tune.journalStorage(journal), loadIfExists: true });
  console.log(`Fashion-MNIST MLP search: ${trials} trials of ${EPOCHS} epochs (${TRAIN_BATCHES} batches of ${BATCH}), 2 worker threads, median pruning; study in ${journal}`);
  await tune.optimizeInWorkers(study, { module: new URL(import.meta.url), trials, parallel: 2, progress: true });
  const { value, params, trial } = study.best;
  console.log(`\nBest trial ${trial.number}: validation accuracy ${value.toFixed(4)}`);
  for (const [k, v] of Object.entries(params)) console.log(`  ${k}: ${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : v}`);
  console.log(`\n${study.table()}\n`);
  const report = tune.writeReport(study, out);
  console.log(`Plots: ${report.html}`);
}
