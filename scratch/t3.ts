import { zeros, type Tensor, type DType } from '../src/index.js';
declare function f<A = [], DA extends DType = 'float32', NA extends number | '(tensor)' = never>(a: Tensor<A, DA> | NA): [A, DA, NA];
const q1 = f(zeros([2, 3]));
const q2 = f(2);
const q3 = f(1 / 3);
export const r: [typeof q1, typeof q2, typeof q3] = null as unknown as string;
