// Result types and must-not-compile cases of conv1d, conv2d, convTranspose2d and the pools.
import { expectError, expectType } from 'tsd';
import { adaptiveAvgPool2d, avgPool2d, conv1d, conv2d, convTranspose2d, maxPool2d, zeros, type Sym, type Tensor } from '../src/index.js';
import type { Conv2d, ConvDim } from '../src/shape/conv.js';

expectType<Tensor<[64, 32, 28, 28], 'float32'>>(conv2d(zeros([64, 1, 28, 28]), zeros([32, 1, 3, 3]), { padding: 1 }));
expectType<Tensor<[64, 64, 14, 14], 'float32'>>(conv2d(zeros([64, 32, 14, 14]), zeros([64, 32, 3, 3]), { padding: 'same' }));
expectType<Tensor<[64, 64, 12, 12], 'float32'>>(conv2d(zeros([64, 32, 14, 14]), zeros([64, 32, 3, 3]), { padding: 'valid' }));
expectType<Tensor<[2, 6, 4, 5], 'float64'>>(conv2d(zeros([2, 4, 9, 11], { dtype: 'float64' }), zeros([6, 2, 3, 3], { dtype: 'float64' }), { stride: [2, 2], groups: 2, padding: [0, 1], dilation: [1, 2] }));
declare const b: Tensor<[Sym<'b'>, 1, 28, 28]>;
expectType<Tensor<[Sym<'b'>, 32, 26, 26], 'float32'>>(conv2d(b, zeros([32, 1, 3, 3])));
declare const u: Tensor<[number, 3, number, number]>;
expectType<Tensor<[number, 8, number, number], 'float32'>>(conv2d(u, zeros([8, 3, 3, 3])));
expectType<Tensor<[64, 32, 14, 14], 'float32'>>(maxPool2d(zeros([64, 32, 28, 28]), 2));
expectType<Tensor<[64, 32, 13, 13], 'float32'>>(maxPool2d(zeros([64, 32, 28, 28]), 3, { stride: 2 }));
expectType<Tensor<[1, 2, 4, 3], 'float32'>>(avgPool2d(zeros([1, 2, 7, 6]), 3, { stride: 2, padding: 1, countIncludePad: false }));
// ceilMode: a last, partial window (PyTorch's ceil_mode), dropped when it would start past the input and its left padding.
expectType<Tensor<[64, 32, 4, 4], 'float32'>>(maxPool2d(zeros([64, 32, 7, 7]), 2, { ceilMode: true }));
expectType<Tensor<[64, 32, 3, 3], 'float32'>>(maxPool2d(zeros([64, 32, 7, 7]), 2, { ceilMode: false }));
expectType<Tensor<[1, 2, 3, 3], 'float32'>>(maxPool2d(zeros([1, 2, 5, 4]), 2, { padding: 1, ceilMode: true }));
expectType<Tensor<[1, 2, 5, 4], 'float32'>>(avgPool2d(zeros([1, 2, 8, 7]), 3, { stride: 2, padding: 1, ceilMode: true }));
expectType<Tensor<[1, 2, 4, 3], 'float32'>>(maxPool2d(zeros([1, 2, 8, 9]), [2, 3], { stride: 2, dilation: 2, ceilMode: true }));
declare const ceil: boolean;
expectType<Tensor<[1, 2, number, number], 'float32'>>(maxPool2d(zeros([1, 2, 7, 7]), 2, { ceilMode: ceil }));
expectError(maxPool2d(zeros([1, 1, 2, 2]), 3, { ceilMode: true }));
expectType<Tensor<[8, 64, 3, 2], 'float32'>>(adaptiveAvgPool2d(zeros([8, 64, 7, 7]), [3, 2]));
expectType<Tensor<[8, 16, 48], 'float32'>>(conv1d(zeros([8, 4, 100]), zeros([16, 4, 5]), { stride: 2 }));
expectType<Tensor<[8, 16, 100], 'float32'>>(conv1d(zeros([8, 4, 100]), zeros([16, 4, 5]), { padding: 'same' }));
expectType<Tensor<[1, 8, 14, 14], 'float32'>>(convTranspose2d(zeros([1, 16, 7, 7]), zeros([16, 8, 3, 3]), { stride: 2, padding: 1, outputPadding: 1 }));
expectType<28>(null as unknown as ConvDim<28, 3, 1, 2, 1>);
expectType<[64, 32, 28, 28]>(null as unknown as Conv2d<[64, 1, 28, 28], [32, 1, 3, 3], { padding: 1 }>);

expectError(conv2d(zeros([64, 3, 28, 28]), zeros([32, 1, 3, 3])));
expectError(conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3])));
expectError(conv2d(zeros([1, 4, 8, 8]), zeros([4, 4, 3, 3]), { groups: 2 }));
expectError(conv2d(zeros([1, 28, 28]), zeros([32, 1, 3, 3])));
expectError(maxPool2d(zeros([1, 1, 2, 2]), 3));
expectError(conv1d(zeros([8, 4, 3]), zeros([16, 4, 5])));
expectError(convTranspose2d(zeros([1, 3, 4, 4]), zeros([2, 1, 3, 3])));
