/**
 * The tutorial in the browser, in a Web Worker (bundled by esbuild; see
 * `examples/browser/main.ts`): backprop, then the logistic regression on the
 * breast-cancer data (fetched as bytes), posting the loss of every epoch so
 * the page draws the curve as it trains, then the test accuracy. Last, a
 * 512 x 512 float32 matmul, large enough for the WebAssembly kernels, which
 * use Web Workers on shared memory when the page is cross-origin isolated.
 *
 * It runs in a worker because a browser's main thread may not compile large
 * WebAssembly modules synchronously (there typegrad uses its TypeScript kernels).
 */
import { accuracy, bce, breastCancer, grad, matmul, mul, nn, optim, random, scalar, square, squeeze, standardScaler, sub, tensor, trainTestSplit, valueAndGrad, type Scalar, type Tensor } from '../../src/index.js';
import { isWasmAvailable, wasmInfo } from '../../src/backend/wasm/index.js';

/** What the worker tells the page. */
export type Report =
  | { readonly kind: 'backprop'; readonly loss: number; readonly grad: number }
  | { readonly kind: 'split'; readonly train: number; readonly test: number; readonly features: number }
  | { readonly kind: 'epoch'; readonly epoch: number; readonly epochs: number; readonly loss: number }
  | { readonly kind: 'accuracy'; readonly test: number }
  | { readonly kind: 'matmul'; readonly n: number; readonly maxError: number; readonly wasm: boolean; readonly crossOriginIsolated: boolean; readonly sharedMemory: boolean; readonly workersReady: number; readonly workerChunks: number }
  | { readonly kind: 'done' }
  | { readonly kind: 'error'; readonly message: string };

interface WorkerScope {
  postMessage(message: Report): void;
  readonly crossOriginIsolated?: boolean;
  fetch(url: string): Promise<{ readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer> }>;
}
const scope = globalThis as unknown as WorkerScope;
const post = (r: Report): void => scope.postMessage(r);
/** Lets the page (and the kernel workers) run between epochs. */
const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function backprop(): void {
  const loss = (w: Scalar, x: Scalar, y: Scalar): Scalar => square(sub(mul(w, x), y));
  const [value, dw] = valueAndGrad(loss)(scalar(1), scalar(1), scalar(2));
  post({ kind: 'backprop', loss: value.item(), grad: dw.item() });
}

async function logisticRegression(): Promise<void> {
  const response = await scope.fetch('breast_cancer.csv');
  if (!response.ok) throw new Error(`fetch breast_cancer.csv: HTTP ${response.status}`);
  const { x, y } = breastCancer(new Uint8Array(await response.arrayBuffer()));
  const [splitKey, initKey] = random.split(random.key(0));
  const { train: [xTrainRaw, yTrain], test: [xTestRaw, yTest] } = trainTestSplit(splitKey, [x, y], { testSize: 0.2 });
  const scaler = standardScaler.fit(xTrainRaw);
  const xTrain = standardScaler.transform(scaler, xTrainRaw);
  const xTest = standardScaler.transform(scaler, xTestRaw);
  post({ kind: 'split', train: xTrain.shape[0], test: xTest.shape[0], features: xTrain.shape[1] });

  const linear = nn.linear(30, 1);
  type Params = nn.ParamsOf<typeof linear>;
  let params: Params = linear.init(initKey);
  const predict = (p: Params, xs: Tensor<[number, 30]>): Tensor<[number]> => squeeze(nn.sigmoid(linear.apply(p, xs)), 1);
  const loss = (p: Params, xs: Tensor<[number, 30]>, ys: Tensor<[number]>): Tensor<[]> => bce(predict(p, xs), ys);
  const opt = optim.sgd(0.01);
  let state = opt.init(params);
  const epochs = 100;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    ({ params, state } = opt.step(params, grad(loss)(params, xTrain, yTrain), state));
    post({ kind: 'epoch', epoch, epochs, loss: loss(params, xTrain, yTrain).item() });
    await breathe();
  }
  post({ kind: 'accuracy', test: accuracy(predict(params, xTest), yTest) });
}

async function bigMatmul(): Promise<void> {
  const n = 512;
  const a = new Float32Array(n * n).map((_, i) => ((i * 7) % 13) / 13 - 0.5);
  const b = new Float32Array(n * n).map((_, i) => ((i * 5) % 11) / 11 - 0.5);
  const wasm = isWasmAvailable();
  const product = () => matmul(tensor(a, [n, n]), tensor(b, [n, n])).toTypedArray();
  product(); // the first large call starts the kernel workers; they join calls once ready
  for (let i = 0; i < 100 && wasm && wasmInfo().sharedMemory && wasmInfo().workersReady === 0; i++) await new Promise((r) => setTimeout(r, 20));
  const c = product();
  // Check a sample of entries against a float64 dot product.
  let maxError = 0;
  for (let k = 0; k < 64; k++) {
    const i = (k * 37) % n, j = (k * 91) % n;
    let want = 0;
    for (let t = 0; t < n; t++) want += a[i * n + t]! * b[t * n + j]!;
    maxError = Math.max(maxError, Math.abs(c[i * n + j]! - want));
  }
  const info = wasm ? wasmInfo() : { sharedMemory: false, workersReady: 0, workerChunks: 0 };
  post({ kind: 'matmul', n, maxError, wasm, crossOriginIsolated: scope.crossOriginIsolated === true, sharedMemory: info.sharedMemory, workersReady: info.workersReady, workerChunks: info.workerChunks });
}

try {
  backprop();
  await logisticRegression();
  await bigMatmul();
  post({ kind: 'done' });
} catch (e) {
  post({ kind: 'error', message: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) });
}
