// Result types of the reductions: removed or kept axes, negative and tuple
// axes, result dtypes, generic dims, and a compile error for every axis mistake.
import { expectError, expectType } from 'tsd';
import {
  argmax,
  argmin,
  logsumexp,
  max,
  mean,
  min,
  prod,
  std,
  sub,
  sum,
  variance,
  zeros,
  type Dim,
  type Tensor,
} from '../src/index.js';

const x = zeros([2, 3]);
const x3 = zeros([2, 3, 4]);
declare const f64: Tensor<[2, 3], 'float64'>;
declare const i32: Tensor<[2, 3], 'int32'>;
declare const b8: Tensor<[2, 3], 'bool'>;

// No axis: every axis.
expectType<Tensor<[]>>(sum(x));
expectType<Tensor<[]>>(mean(x3));
expectType<Tensor<[]>>(max(zeros([])));
expectType<Tensor<[1, 1]>>(sum(x, undefined, true));
expectType<Tensor<[1, 1, 1]>>(prod(x3, undefined, true));
// One axis, positive or negative.
expectType<Tensor<[3]>>(sum(x, 0));
expectType<Tensor<[2]>>(sum(x, 1));
expectType<Tensor<[2]>>(sum(x, -1));
expectType<Tensor<[3]>>(sum(x, -2));
expectType<Tensor<[2, 1]>>(sum(x, 1, true));
expectType<Tensor<[2, 1]>>(sum(x, -1, true));
expectType<Tensor<[1, 3]>>(mean(x, 0, true));
expectType<Tensor<[2, 4]>>(max(x3, 1));
expectType<Tensor<[2, 3]>>(min(x3, -1));
expectType<Tensor<[2, 3, 1]>>(min(x3, -1, true));
// Several axes, in any order, with negatives.
expectType<Tensor<[3]>>(sum(x3, [0, 2]));
expectType<Tensor<[3]>>(sum(x3, [-1, 0]));
expectType<Tensor<[1, 3, 1]>>(sum(x3, [0, -1], true));
expectType<Tensor<[]>>(mean(x3, [0, 1, 2]));
expectType<Tensor<[2, 3, 4]>>(sum(x3, []));
expectType<Tensor<[4]>>(prod(x3, [1, 0]));
// Size-0 and size-1 dims are ordinary dims.
expectType<Tensor<[3]>>(sum(zeros([0, 3]), 0));
expectType<Tensor<[0]>>(sum(zeros([0, 3]), 1));
expectType<Tensor<[1]>>(max(zeros([1, 1]), 0));

// Result dtypes.
expectType<Tensor<[], 'int32'>>(sum(b8));
expectType<Tensor<[2], 'int32'>>(sum(i32, 1));
expectType<Tensor<[3], 'float64'>>(sum(f64, 0));
expectType<Tensor<[], 'float32'>>(mean(i32));
expectType<Tensor<[], 'float32'>>(mean(b8));
expectType<Tensor<[2], 'float64'>>(mean(f64, 1));
expectType<Tensor<[], 'int32'>>(prod(i32));
expectType<Tensor<[3], 'int32'>>(max(i32, 0));
expectType<Tensor<[2], 'float64'>>(min(f64, -1));
expectType<Tensor<[2], 'float32'>>(logsumexp(i32, 1));
expectType<Tensor<[2, 1], 'float64'>>(logsumexp(f64, -1, true));

// variance and std: the axis, then options; float results.
expectType<Tensor<[]>>(variance(x));
expectType<Tensor<[3]>>(variance(x, 0));
expectType<Tensor<[2, 1]>>(variance(x, -1, { keepdims: true }));
expectType<Tensor<[2]>>(std(x, 1, { ddof: 1 }));
expectType<Tensor<[], 'float64'>>(std(f64, undefined, { ddof: 1 }));
expectType<Tensor<[3], 'float32'>>(variance(i32, 0));
expectType<Tensor<[1, 3], 'float64'>>(std(f64, [0], { keepdims: true, ddof: 1 }));

// argmax and argmin: one axis or none; int32 indices.
expectType<Tensor<[], 'int32'>>(argmax(x));
expectType<Tensor<[2], 'int32'>>(argmax(x, 1));
expectType<Tensor<[2], 'int32'>>(argmin(x, -1));
expectType<Tensor<[1, 3], 'int32'>>(argmax(x, 0, true));
expectType<Tensor<[1, 1], 'int32'>>(argmax(x, undefined, true));
expectType<Tensor<[2], 'int32'>>(argmax(b8, 1));
expectType<Tensor<[3], 'int32'>>(argmin(f64, 0));
expectError(argmax(x, [0, 1]));

// Every axis mistake is a compile error: out of range (both signs), repeated, not an integer.
expectError(sum(x, 2));
expectError(sum(x, -3));
expectError(sum(x, [0, 2]));
expectError(sum(x, [0, -2]));
expectError(sum(x, [1, 1]));
expectError(sum(x, 0.5));
expectError(sum(zeros([]), 0));
expectError(mean(x, 2));
expectError(mean(x3, [0, 0]));
expectError(prod(x, -3, true));
expectError(max(x3, 3));
expectError(min(x3, [-1, 2]));
expectError(logsumexp(x, 2));
expectError(variance(x, 2));
expectError(std(x, [1, -1]));
expectError(argmax(x, 2));
expectError(argmin(x, -3));
// Wrong argument kinds.
expectError(sum(x, '0'));
expectError(sum(x, 0, 'yes'));
expectError(variance(x, 0, true));

// Generic dims flow through the reductions inside generic functions.
export function rowStats<B extends Dim>(h: Tensor<[B, 10]>): Tensor<[B, 10]> {
  expectType<Tensor<[B]>>(sum(h, 1));
  expectType<Tensor<[B]>>(sum(h, -1));
  expectType<Tensor<[B, 1]>>(max(h, -1, true));
  expectType<Tensor<[10]>>(mean(h, 0));
  expectType<Tensor<[]>>(sum(h));
  expectType<Tensor<[B], 'int32'>>(argmax(h, 1));
  expectType<Tensor<[B, 1]>>(logsumexp(h, 1, true));
  expectType<Tensor<[B]>>(std(h, 1));
  expectError(sum(h, 2));
  // The stable-softmax pattern: the kept axis broadcasts back.
  const shifted = sub(h, max(h, -1, true));
  expectType<Tensor<[B, 10]>>(shifted);
  return shifted;
}
// Unknown axis values: the rank is known, the sizes are not.
declare const ax: number;
expectType<Tensor<number[]>>(sum(x, ax));
expectType<Tensor<[number, number]>>(sum(x, ax, true));
// A failed input passes through as never.
declare const failed: Tensor<never>;
expectType<Tensor<never>>(sum(failed, 1));

// Fixed types (were pinned bugs): prod of bool is int32 like sum; max of bool does not compile.
expectType<Tensor<[], 'int32'>>(prod(b8));
expectError(max(b8));

// The axis and keepdims come from the arguments, never from the type the result is used as.
declare function takeRow(t: Tensor<[3]>): void;
declare function takeKept(t: Tensor<[1, 3]>): void;
expectError(takeRow(sum(x)));
expectError(takeKept(sum(x, 0)));
expectError(takeRow(mean(x, 1)));
takeRow(sum(x, 0));
takeKept(max(x, 0, true));
