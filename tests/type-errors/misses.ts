// Mistakes that used to be only run-time errors, now caught on their line
// with the run-time message (issue 15, "missed").
import { astype, grad, gt, mul, sum, valueAndGrad, where, zeros, type Tensor } from '../../src/index.js';

// where: the condition broadcasts with both branches (the run-time order: condition with a, then with b).
const x = zeros([2, 4]);
export const ok1: Tensor<[2, 4]> = where(gt(x, 0), x, 0);
export const ok2: Tensor<[2, 4]> = where(gt(zeros([4]), 0), x, zeros([2, 1]));
// @expect-error where: cannot broadcast [3] with [2,4]: dim 3 vs 4
where(gt(zeros([3]), 0), x, 0);
// @expect-error where: cannot broadcast [2,4] with [3]: dim 4 vs 3
where(gt(x, 0), x, zeros([3]));

// grad's argnums pointing at an argument that cannot be differentiated.
const loss = (w: Tensor<[3]>, labels: Tensor<[3], 'int32'>, scale: number) => sum(mul(mul(w, astype(labels, 'float32')), scale));
export const ok3 = grad(loss, { argnums: 0 });
// @expect-error grad: cannot differentiate with respect to args[1] of dtype int32; use float32 or float64
grad(loss, { argnums: 1 });
// @expect-error grad: args[2] is number, expected a tensor (only tensors can be differentiated)
grad(loss, { argnums: 2 });
// @expect-error valueAndGrad: cannot differentiate with respect to args[1] of dtype int32
valueAndGrad(loss, { argnums: [0, 1] });
