// conv / pool output shapes and their compile-time errors, through the real ops in src/ops/conv.ts.
import { adaptiveAvgPool2d, avgPool2d, conv1d, conv2d, convTranspose2d, maxPool2d, zeros, type Sym, type Tensor } from '../../src/index.js';

export const ok1: Tensor<[64, 32, 28, 28]> = conv2d(zeros([64, 1, 28, 28]), zeros([32, 1, 3, 3]), { padding: 1 });
export const ok2: Tensor<[64, 64, 12, 12]> = conv2d(zeros([64, 32, 14, 14]), zeros([64, 32, 3, 3]));
export const ok3: Tensor<[8, 6, 4, 4]> = conv2d(zeros([8, 4, 9, 9]), zeros([6, 2, 3, 3]), { stride: 2, groups: 2 });
export const ok4: Tensor<[1, 2, 5, 6]> = conv2d(zeros([1, 3, 5, 6]), zeros([2, 3, 2, 4]), { padding: 'same' });
export const ok5: Tensor<[1, 2, 3, 3]> = conv2d(zeros([1, 3, 7, 7]), zeros([2, 3, 3, 3]), { dilation: 2, stride: [2, 2], padding: [1, 1] });
export const ok6: Tensor<[64, 32, 14, 14]> = maxPool2d(zeros([64, 32, 28, 28]), 2);
export const ok7: Tensor<[1, 2, 4, 3]> = avgPool2d(zeros([1, 2, 7, 6]), 3, { stride: 2, padding: 1 });
export const ok8: Tensor<[8, 16, 48]> = conv1d(zeros([8, 4, 100]), zeros([16, 4, 5]), { stride: 2 });
export const ok9: Tensor<[1, 8, 14, 14]> = convTranspose2d(zeros([1, 16, 7, 7]), zeros([16, 8, 2, 2]), { stride: 2 });
export const ok10: Tensor<[8, 64, 1, 1]> = adaptiveAvgPool2d(zeros([8, 64, 7, 7]), 1);
declare const batch: Tensor<[Sym<'b'>, 1, 28, 28]>;
export const ok11: Tensor<[Sym<'b'>, 32, 28, 28]> = conv2d(batch, zeros([32, 1, 3, 3]), { padding: 1 });
declare const free: Tensor<[number, 3, number, number]>;
export const ok12: Tensor<[number, 8, number, number]> = conv2d(free, zeros([8, 3, 3, 3]));

// @expect-error conv2d: channels differ: input [64,3,28,28] x weights [32,1,3,3] (groups 1)
conv2d(zeros([64, 3, 28, 28]), zeros([32, 1, 3, 3]));
// @expect-error conv2d: kernel larger than padded input: [1,1,2,2] x [1,1,3,3]
conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3]));
// @expect-error conv2d: needs input [N,C,H,W] and weights [O,C/groups,kH,kW], got [1,28,28] x [32,1,3,3]
conv2d(zeros([1, 28, 28]), zeros([32, 1, 3, 3]));
// @expect-error conv2d: channels differ: input [b,1,28,28] x weights [32,3,3,3] (groups 1)
conv2d(batch, zeros([32, 3, 3, 3]));
// @expect-error conv1d: channels differ: input [8,4,100] x weights [16,2,5] (groups 1)
conv1d(zeros([8, 4, 100]), zeros([16, 2, 5]));
// @expect-error conv1d: kernel larger than padded input: [8,4,3] x [16,4,5]
conv1d(zeros([8, 4, 3]), zeros([16, 4, 5]));
// @expect-error maxPool2d: window larger than padded input: [1,1,2,2] with kernel [3,3]
maxPool2d(zeros([1, 1, 2, 2]), 3);
// @expect-error convTranspose2d: channels differ: input [1,3,4,4] x weights [2,1,3,3]
convTranspose2d(zeros([1, 3, 4, 4]), zeros([2, 1, 3, 3]));
