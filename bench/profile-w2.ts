/**
 * W2's jitted training loop in one process, for profiling (`node --import
 * tsx --cpu-prof bench/profile-w2.ts`, or a local timer in the code under
 * test): four epochs of `steps` steps on `threads` threads, each epoch's
 * time split into the loader's batch (`at`) and the jitted step (call and
 * `loss.item()`). Same model, data, shuffle and Adam as `bench/workloads/w2-typegrad.ts`.
 *
 *   npx tsx bench/profile-w2.ts [steps] [threads]
 *
 * On a machine others use, compare variants in alternating runs, or at
 * real-time priority for a few seconds (`chrt -f 5`; never for long runs:
 * the machine's other work stalls).
 */
import { fromTensors, jit, loader, nn, optim, random, softmaxCrossEntropy, tensor, tree, valueAndGrad, type Tensor } from '../src/index.node.js';
import { setWasmThreads, startWasmWorkers } from '../src/backend/wasm/index.js';
import { fashionArrays, mlpInit } from './data.js';
import { ADAM } from './reference.js';

const steps = Number(process.argv[2] ?? 938);
const threads = Number(process.argv[3] ?? 2);
setWasmThreads(threads);
startWasmWorkers();
const model = nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10));
type Params = nn.ParamsOf<typeof model>;
const loss = (p: Params, x: Tensor<[number, 784]>, y: Tensor<[number], 'int32'>): Tensor<[]> => softmaxCrossEntropy(model.apply(p, x), y);
const init = mlpInit();
const values: Record<string, Float32Array> = { '[0].w': init.w1, '[0].b': init.b1, '[2].w': init.w2, '[2].b': init.b2 };
const data = fashionArrays();
const { x, y } = data.tensors.train;
const train = loader(fromTensors(x, y), { batchSize: 64, shuffle: true, key: random.key(0) });
const opt = optim.adam(ADAM.lr, { b1: ADAM.b1, b2: ADAM.b2, eps: ADAM.eps });
type State = ReturnType<typeof opt.init<Params>>;
const step = jit((p: Params, s: State, xb: Tensor<[number, 784]>, yb: Tensor<[number], 'int32'>) => {
  const [value, grads] = valueAndGrad(loss)(p, xb, yb);
  return { ...opt.step(p, grads, s), loss: value };
}, { donate: [0, 1] });
let params = tree.map(model.init(random.key(0)), (leaf, path) => tensor(values[path.slice('tree'.length)]!, [...leaf.shape]));
let state = opt.init(params);
for (let rep = 0; rep < 4; rep++) {
  let tLoad = 0, tStep = 0, last = 0;
  const n = Math.min(steps, train.length - 1);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const [xb, yb] = train.at({ epoch: rep, index: i });
    const t1 = performance.now();
    const out = step(params, state, xb, yb);
    ({ params, state } = out);
    last = out.loss.item();
    tStep += performance.now() - t1;
    tLoad += t1 - t0;
  }
  console.log(`rep ${rep}: ${n} steps, load ${(tLoad / n * 1000).toFixed(0)} us/step, step ${(tStep / n * 1000).toFixed(0)} us/step, total ${(tLoad + tStep).toFixed(0)} ms, loss ${last.toFixed(4)}`);
}
