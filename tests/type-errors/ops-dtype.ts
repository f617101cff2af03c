// A JS number next to an int32 or bool tensor: an integer keeps the dtype; a
// number that may be fractional throws at run time (DTypeError, see
// tests/ops/elementwise.test.ts), so it is a compile error on the tensor.
import { add, div, eq, mul, sub, tensor, type Tensor } from '../../src/index.js';

const pixels = tensor([[0, 128, 255]], { dtype: 'int32' });
export const ok1: Tensor<[1, 3], 'int32'> = mul(pixels, 2);
export const ok2: Tensor<[1, 3], 'float32'> = div(pixels, 255);
export const ok3: Tensor<[1, 3], 'bool'> = eq(pixels, 0.5);
// @expect-error mul: a number that may be fractional cannot be combined with an int32 tensor [1,3]
mul(pixels, 1 / 255);
// @expect-error add: 0.5 cannot be combined with an int32 tensor [1,3] without changing its dtype
add(pixels, 0.5);
declare const scale: number;
// @expect-error sub: a number that may be fractional cannot be combined with an int32 tensor [1,3]
sub(scale, pixels);
