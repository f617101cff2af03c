// Broadcasting messages through the real binary ops (src/ops/binary.ts) and sum's axis check.
import { add, mul, sum, zeros, type Sym, type Tensor } from '../../src/index.js';

const x = zeros([2, 3]);
// @expect-error cannot broadcast [2,3] with [4]
add(x, zeros([4]));
// @expect-error mul: cannot broadcast [2,3] with [3,3]: dim 2 vs 3
mul(x, zeros([3, 3]));
declare const b: Tensor<[Sym<'batch'>, 10]>;
// @expect-error cannot broadcast [batch,10] with [64,10]: dim batch vs 64
add(b, zeros([64, 10]));
// @expect-error axis 2 is out of range for rank 2
sum(x, 2);
