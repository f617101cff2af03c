/**
 * Resuming is exact: training two epochs straight, and training one epoch
 * (or one and a half), saving a checkpoint, restoring it into fresh values
 * and training on, give bit-identical parameters. A small MLP with dropout
 * (so the PRNG key matters), a shuffled loader and Adam with a schedule.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeState } from '../../src/checkpoint/state.js';
import { fromTensors, loader, nn, optim, random, softmaxCrossEntropy, valueAndGrad, type LoaderPosition, type Tensor } from '../../src/index.js';
import { checkpoint, io } from '../../src/node.js';

const root = mkdtempSync(join(tmpdir(), 'typegrad-resume-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const model = nn.sequential(nn.linear(6, 16), nn.relu, nn.dropout(0.1), nn.linear(16, 3));
type Params = nn.ParamsOf<typeof model>;
const [dataKey, labelKey, shuffleKey, initKey, trainKey] = random.split(random.key(42), 5) as random.Key[];
const x = random.normal(dataKey!, [96, 6]);
const y = random.randint(labelKey!, [96], 0, 3);
const EPOCHS = 2;
const batches = loader(fromTensors(x, y), { batchSize: 16, shuffle: true, key: shuffleKey!, epochs: EPOCHS });
const opt = optim.adam(optim.cosineDecay({ init: 1e-2, decaySteps: EPOCHS * batches.length }));
const loss = (p: Params, xb: Tensor<[number, 6]>, yb: Tensor<[number], 'int32'>, key: random.Key): Tensor<[]> =>
  softmaxCrossEntropy(model.apply(p, xb, { mode: 'train', key }), yb);
const lossAndGrad = valueAndGrad(loss);

interface State {
  params: Params;
  optState: ReturnType<typeof opt.init<Params>>;
  position: LoaderPosition;
  key: random.Key;
  epoch: number;
  step: number;
}

/** Trains from `state` until `stopAfter` steps have run in all (or the loader ends). */
function train(state: State, stopAfter = Infinity): State {
  let { params, optState, key, step } = state;
  let position = state.position;
  for (const { batch: [xb, yb], next } of batches.from(state.position).steps()) {
    if (step >= stopAfter) break;
    const [k, sub] = random.split(key) as [random.Key, random.Key];
    key = k;
    const [, grads] = lossAndGrad(params, xb as Tensor<[number, 6]>, yb as Tensor<[number], 'int32'>, sub);
    ({ params, state: optState } = opt.step(params, grads, optState));
    step++;
    position = next;
  }
  return { params, optState, key, step, position, epoch: position.epoch };
}

const start = (): State => {
  const params = model.init(initKey!);
  return { params, optState: opt.init(params), position: { epoch: 0, index: 0 }, key: trainKey!, epoch: 0, step: 0 };
};

/** Every bit of a state: its skeleton (numbers, structure) and its tensors' bytes. */
const snapshot = (s: unknown) => {
  const { tensors, skeleton } = encodeState(s);
  return [skeleton, io.toSafetensors(tensors)];
};

describe('resume from a checkpoint', () => {
  const straight = train(start());
  it.each([
    ['after one epoch', batches.length],
    ['in the middle of the second epoch', batches.length + 3],
  ])('%s gives bit-identical parameters', (_what, stopAt) => {
    const dir = join(root, `s${stopAt}`);
    const first = train(start(), stopAt);
    expect(first.step).toBe(stopAt);
    checkpoint.save(dir, first);
    // A fresh process would rebuild the template from scratch: different init key, zeroed counters.
    const template = { ...start(), params: model.init(random.key(123)) };
    const resumed = train(checkpoint.restore(dir, template));
    expect(resumed.step).toBe(straight.step);
    expect(io.toSafetensors(resumed.params)).toEqual(io.toSafetensors(straight.params));
    expect(snapshot(resumed.optState)).toEqual(snapshot(straight.optState));
    expect(resumed.key.words).toEqual(straight.key.words);
  });
  it('a run that skipped the key would differ (the test can fail)', () => {
    const dir = join(root, 'nokey');
    checkpoint.save(dir, train(start(), batches.length));
    const restored = checkpoint.restore(dir, start());
    const resumed = train({ ...restored, key: trainKey! });
    expect(io.toSafetensors(resumed.params)).not.toEqual(io.toSafetensors(straight.params));
  });
});
