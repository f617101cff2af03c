import { grad, matmul, mul, square, sum, vmap, zeros, type Tensor, type Scalar, type Sym } from '../../src/index.js';

const f = (x: Tensor<[3]>) => sum(square(x));
export const ok1: Tensor<[8]> = vmap(f)(zeros([8, 3]));
export const ok2: Tensor<[5]> = vmap(f, { inAxes: 1 })(zeros([3, 5]));

// @expect-error vmap: args[0] expects [B,3], got [8,4]
vmap(f)(zeros([8, 4]));
// @expect-error vmap: args[0] expects [3,B], got [4,8]
vmap(f, { inAxes: 1 })(zeros([4, 8]));
// @expect-error vmap: args[0] of shape [] has no batch axis 0
vmap(f)(zeros([]));
declare const b: Tensor<[Sym<'batch'>, 4]>;
// @expect-error vmap: args[0] expects [B,3], got [batch,4]
vmap(f)(b);

const loss = (w: Tensor<[3, 1]>, x: Tensor<[3]>, y: Scalar) => sum(square(mul(sum(matmul(x, w)), y)));
const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] });
export const ok3: Tensor<[16, 3, 1]> = perExample(zeros([3, 1]), zeros([16, 3]), zeros([16]));
// @expect-error vmap: args[1] expects [B,3], got [16,30]
perExample(zeros([3, 1]), zeros([16, 30]), zeros([16]));
// @expect-error vmap: batch sizes differ: args[1] has 16 but args[2] has 8
perExample(zeros([3, 1]), zeros([16, 3]), zeros([8]));
