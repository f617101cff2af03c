/**
 * The PyTorch `DataLoader` tutorial: the wine data (178 samples, 13 features,
 * 3 classes), batches of 4, shuffled, two epochs, loaded by two worker
 * threads (`num_workers=2`).
 *
 * The dataset lives in its own module file (`wine-dataset.ts`) so the
 * workers can import it. The batch order is a pure function of the key and
 * the epoch: the same with 2 workers, 8 workers or none (`--workers 0`), and
 * the same on every run. Each epoch is shuffled anew.
 *
 *     npx tsx examples/dataloader.ts [--workers 2]
 */
import { parseArgs } from 'node:util';
import { loader, random } from '../src/index.node.js';
import wineDataset from './wine-dataset.js';

const { values: args } = parseArgs({ options: { workers: { type: 'string', default: '2' } } });
const workers = Number(args.workers);

const numEpochs = 2;
const train = loader(wineDataset, { batchSize: 4, shuffle: true, key: random.key(0), epochs: numEpochs, workers });
console.log(`${wineDataset.length} samples, ${train.length} batches of 4 per epoch, ${workers} worker threads`);

for await (const { batch, epoch, index } of train.steps()) {
  const { features, label } = batch;
  if (epoch === 0 && index === 0) {
    console.log(`first batch: features ${JSON.stringify(features.shape)}, labels ${JSON.stringify(label.toArray())}`);
  }
  // A training step would go here.
  if ((index + 1) % 5 === 0) console.log(`epoch ${epoch + 1}/${numEpochs}, step ${index + 1}/${train.length}, inputs: ${features.shape[0]} samples`);
}
