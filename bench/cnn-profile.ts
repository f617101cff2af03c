/**
 * Where a CNN training step spends its time: wraps every primitive's
 * kernel with a timer, runs `--steps` training steps of the W6 network on
 * random data (after two warm-up steps), and prints the kernels by total
 * time with their share. For finding what to speed up, not a benchmark:
 * the timer adds a little per call, and a busy machine inflates everything
 * (compare shares, not milliseconds). Beside wall time it shows the
 * process's CPU time (all threads), which a busy machine inflates less.
 *
 *     npx tsx bench/cnn-profile.ts [--steps 5]
 */
import '../src/platform/node.js'; // Node's host first: the kernels' worker threads come from it
import { parseArgs } from 'node:util';
import { primitives } from '../src/lax/table.js';
import { wasmInfo } from '../src/backend/wasm/index.js';
import { nn, optim, random, softmaxCrossEntropy, valueAndGrad, type Tensor } from '../src/index.node.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '5' } } });
const steps = Number(values.steps);

const acc = new Map<string, { ms: number; cpu: number; calls: number }>();
for (const [name, prim] of Object.entries(primitives)) {
  const p = prim as unknown as { kernel: (...a: unknown[]) => unknown };
  const kernel = p.kernel;
  p.kernel = (...args: unknown[]) => {
    const t0 = performance.now(), c0 = process.cpuUsage();
    const out = kernel(...args);
    const key = `${name} -> ${JSON.stringify(args[2])}`;
    const e = acc.get(key) ?? { ms: 0, cpu: 0, calls: 0 };
    e.ms += performance.now() - t0;
    const c = process.cpuUsage(c0);
    e.cpu += (c.user + c.system) / 1000;
    e.calls++;
    acc.set(key, e);
    return out;
  };
}

const model = nn.sequential(
  nn.unflatten([1, 28, 28]),
  nn.conv2d(1, 32, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.conv2d(32, 64, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.flatten(), nn.linear(3136, 128), nn.relu, nn.linear(128, 10),
);
type Params = nn.ParamsOf<typeof model>;
const loss = (p: Params, x: Tensor<[64, 784]>, y: Tensor<[64], 'int32'>): Tensor<[]> => softmaxCrossEntropy(model.apply(p, x), y);
let params = model.init(random.key(0));
const x = random.uniform(random.key(1), [64, 784]);
const y = random.randint(random.key(2), [64], 0, 10);
const opt = optim.adam(1e-3);
let state = opt.init(params);
const lossAndGrad = valueAndGrad(loss);
const step = () => {
  const [value, grads] = lossAndGrad(params, x, y);
  ({ params, state } = opt.step(params, grads, state));
  return value.item();
};
step();
step();
acc.clear();
const chunks0 = wasmInfo().workerChunks;
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const wall = performance.now() - t0;
const rows = [...acc.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, e]) => s + e.ms, 0), totalCpu = rows.reduce((s, [, e]) => s + e.cpu, 0);
console.log(`${steps} steps: ${(wall / steps).toFixed(1)} ms per step, ${(total / steps).toFixed(1)} ms in kernels (CPU ${(totalCpu / steps).toFixed(1)} ms)`);
console.log(`worker threads ready: ${wasmInfo().workersReady}, chunks they ran: ${wasmInfo().workerChunks - chunks0}`);
console.log('    wall         CPU          calls');
for (const [key, e] of rows.slice(0, 25)) {
  const cell = (ms: number, all: number) => `${(ms / steps).toFixed(1).padStart(7)} ${((100 * ms) / all).toFixed(1).padStart(5)}%`;
  console.log(`${cell(e.ms, total)} ${cell(e.cpu, totalCpu)}  ${String(e.calls / steps).padStart(3)}x  ${key}`);
}
