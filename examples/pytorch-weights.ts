/**
 * Train in typegrad, run in PyTorch: the logistic regression of
 * `logistic-regression.ts` (breast-cancer data, 80/20 split, standardised
 * features, BCE, SGD, 100 epochs), exported as a PyTorch `state_dict` in a
 * safetensors file, then read back into typegrad to show the round trip.
 *
 *     npx tsx examples/pytorch-weights.ts [--out /tmp/logreg.safetensors]
 *     /usr/bin/python3 examples/pytorch-weights.py /tmp/logreg.safetensors
 *
 * Our `nn.linear(30, 1)` holds `{ w: [30, 1], b: [1] }`; PyTorch's
 * `nn.Linear(30, 1)` holds `weight: [1, 30]` and `bias: [1]`. `io.saveTorch`
 * renames `w` -> `weight` (transposed) and `b` -> `bias`, and the prefix
 * `linear.` matches the tutorial's module, which keeps its layer in
 * `self.linear`. The PyTorch side (examples/pytorch-weights.py):
 *
 *     class LogisticRegression(torch.nn.Module):
 *         def __init__(self, n_input_features):
 *             super().__init__()
 *             self.linear = torch.nn.Linear(n_input_features, 1)
 *         def forward(self, x):
 *             return torch.sigmoid(self.linear(x))
 *
 *     model = LogisticRegression(30)
 *     model.load_state_dict(safetensors.torch.load_file(path))  # PyTorch 1.13: read by hand, see the .py
 *
 * Next to the model the example writes `<out>.test.npz` with the
 * standardised test features `x`, labels `y` and typegrad's probabilities
 * `p`, which the Python script compares with PyTorch's.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { accuracy, bce, breastCancer, grad, nn, optim, random, squeeze, standardScaler, trainTestSplit, type Tensor } from '../src/index.node.js';
import { io } from '../src/node.js';

const { values: args } = parseArgs({ options: { out: { type: 'string', default: join(tmpdir(), 'typegrad-logreg.safetensors') } } });
const out = args.out!;
if (!out.endsWith('.safetensors')) throw new Error(`--out must end in .safetensors, got ${out}`);

// 1. Train, exactly as in logistic-regression.ts.
const [splitKey, initKey] = random.split(random.key(0));
const { x, y } = breastCancer();
const { train: [xTrainRaw, yTrain], test: [xTestRaw, yTest] } = trainTestSplit(splitKey, [x, y], { testSize: 0.2 });
const scaler = standardScaler.fit(xTrainRaw);
const xTrain = standardScaler.transform(scaler, xTrainRaw);
const xTest = standardScaler.transform(scaler, xTestRaw);
const linear = nn.linear(30, 1);
type Params = nn.ParamsOf<typeof linear>;
const predict = (p: Params, xs: Tensor<[number, 30]>): Tensor<[number]> => squeeze(nn.sigmoid(linear.apply(p, xs)), 1);
const loss = (p: Params, xs: Tensor<[number, 30]>, ys: Tensor<[number]>): Tensor<[]> => bce(predict(p, xs), ys);
let params: Params = linear.init(initKey);
const opt = optim.sgd(0.01);
let state = opt.init(params);
for (let epoch = 1; epoch <= 100; epoch++) ({ params, state } = opt.step(params, grad(loss)(params, xTrain, yTrain), state));
console.log(`typegrad test accuracy: ${accuracy(predict(params, xTest), yTest).toFixed(3)}`);
console.log(nn.summary(params));

// 2. Export as a PyTorch state dict: linear.weight [1, 30], linear.bias [1].
io.saveTorch(out, params, { prefix: 'linear.', metadata: { model: 'LogisticRegression(30)' } });
const testFile = out.replace(/\.safetensors$/, '.test.npz');
io.save(testFile, { x: xTest, y: yTest, p: predict(params, xTest) });
console.log(`wrote ${out} (${Object.entries(io.loadAll(out)).map(([k, t]) => `${k} [${t.shape.join(', ')}]`).join(', ')}) and ${testFile}`);

// 3. And back: the same file loads into typegrad's layout, bit for bit.
const back = io.loadTorch(out, linear.init(random.key(1)), { prefix: 'linear.' });
const [a, b] = [io.toSafetensors(back), io.toSafetensors(params)];
const same = a.length === b.length && a.every((byte, i) => byte === b[i]);
console.log(`read back into typegrad: ${same ? 'identical' : 'DIFFERENT'} parameters`);
