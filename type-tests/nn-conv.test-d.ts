// Result types of the image layers and of nn.sequential across conv -> pool -> flatten -> linear.
import { expectError, expectType } from 'tsd';
import { nn, random, zeros, type Tensor } from '../src/index.js';

const key = random.key(0);
const cnn = nn.sequential(
  nn.unflatten([1, 28, 28]),
  nn.conv2d(1, 32, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.conv2d(32, 64, 3, { padding: 1 }), nn.relu, nn.maxPool2d(2),
  nn.flatten(), nn.linear(3136, 128), nn.relu, nn.linear(128, 10),
);
const p = cnn.init(key);
expectType<Tensor<[32, 1, 3, 3], 'float32'>>(p[1].w);
expectType<Tensor<[64, 32, 3, 3], 'float32'>>(p[4].w);
expectType<Tensor<[3136, 128], 'float32'>>(p[8].w);
expectType<Tensor<[64, 10], 'float32'>>(cnn.apply(p, zeros([64, 784])));
expectError(cnn.apply(p, zeros([64, 785])));

const conv = nn.conv2d(3, 8, [3, 5], { stride: 2, dtype: 'float64' });
const cp = conv.init(key);
expectType<Tensor<[8, 3, 3, 5], 'float64'>>(cp.w);
expectType<Tensor<[4, 8, 4, 3], 'float64'>>(conv.apply(cp, zeros([4, 3, 9, 9], { dtype: 'float64' })));
expectType<Tensor<[2, 16, 7, 7], 'float32'>>(nn.maxPool2d(2).apply([], zeros([2, 16, 14, 14])));
expectType<Tensor<[2, 16, 4, 4], 'float32'>>(nn.maxPool2d(2, { ceilMode: true }).apply([], zeros([2, 16, 7, 7])));
expectType<Tensor<[2, 16, 7, 7], 'float32'>>(nn.avgPool2d(3, { stride: 2, padding: 1 }).apply([], zeros([2, 16, 14, 14])));
expectType<Tensor<[2, 784], 'float32'>>(nn.flatten().apply([], zeros([2, 16, 7, 7])));
expectType<Tensor<[2, 1, 28, 28], 'float32'>>(nn.unflatten([1, 28, 28]).apply([], zeros([2, 784])));
const bn = nn.sequential(nn.conv2d(3, 8, 3), nn.batchNorm2d(8), nn.relu, nn.flatten(), nn.linear(392, 2));
expectType<[Tensor<[5, 2], 'float32'>, unknown]>(bn.apply(bn.init(key), bn.initState(), zeros([5, 3, 9, 9]), { mode: 'train' }) as [Tensor<[5, 2], 'float32'>, unknown]);
expectError(nn.sequential(nn.unflatten([1, 28, 28]), nn.conv2d(1, 32, 3), nn.maxPool2d(2), nn.flatten(), nn.linear(3136, 10)));
expectError(nn.sequential(nn.unflatten([1, 28, 28]), nn.conv2d(3, 32, 3)));
