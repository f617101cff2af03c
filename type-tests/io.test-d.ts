import { expectType, expectError, expectAssignable } from 'tsd';
import { nn, optim, random, zeros, type Tensor } from '../src/index.js';
import { io, checkpoint } from '../src/node.js';

const model = nn.mlp([4, 8, 2]);
const params = model.init(random.key(0));

// load returns exactly the template's type.
expectType<typeof params>(io.load('m.safetensors', params));
expectType<{ w: Tensor<[784, 128]>; b: Tensor<[128], 'float64'> }>(io.load('m.safetensors', { w: io.spec([784, 128]), b: io.spec([128], 'float64') }));
expectType<Tensor<[3], 'int32'>>(io.load('x.npy', io.spec([3], 'int32')));
expectType<[Tensor<[2]>, { a: Tensor<[], 'bool'> }]>(io.recordToTree(new Map(), [zeros([2]), { a: io.spec([], 'bool') }]));
expectType<Record<string, Tensor<import('../src/index.js').Shape, import('../src/index.js').DType>>>(io.loadAll('m.safetensors'));

// Specs take only typegrad dtypes (no uint8 tensors).
expectError(io.spec([2], 'uint8'));
expectError(io.spec([2], 'float16'));
// The loaded tree is not some other tree.
expectError<{ w: Tensor<[784, 10]> }>(io.load('m.safetensors', { w: io.spec([784, 128]) }));

// Checkpoints restore into the template's type, keys and numbers included.
const opt = optim.adam(1e-3);
const like = { params, optState: opt.init(params), position: { epoch: 0, index: 0 }, key: random.key(0), epoch: 0, step: 0 };
const state = checkpoint.restore('runs', like);
expectType<typeof params>(state.params);
expectAssignable<random.Key>(state.key);
expectType<number>(state.position.index);
expectAssignable<{ params: typeof params; optState: typeof like.optState }>(state);
expectError(checkpoint.save('runs', like, { keep: '3' }));
