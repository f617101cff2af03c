// Functions generic in a dim (`B extends Dim`) keep it through matmul, bias
// add, reductions, transpose, permute, concat, stack, reshape, flatten,
// expandDims/squeeze, slice and take. The second occurrence of B in a
// signature is `NoInfer<B>` (see src/ops/README.md). A type-parameter dim
// whose size a rule needs (a bounds check, a count) is an unknown size,
// checked at run time; the same dim at the same end of a reshape cancels.
import { expectError, expectType } from 'tsd';
import {
  add,
  broadcastTo,
  div,
  exp,
  concat,
  expandDims,
  flatten,
  index,
  matmul,
  mean,
  permute,
  relu,
  reshape,
  slice,
  split,
  squeeze,
  stack,
  sub,
  sum,
  take,
  tensor,
  transpose,
  zeros,
  type Dim,
  type Scalar,
  type Tensor,
} from '../src/index.js';

interface Mlp {
  readonly w1: Tensor<[784, 128]>;
  readonly b1: Tensor<[128]>;
  readonly w2: Tensor<[128, 10]>;
  readonly b2: Tensor<[10]>;
}

export function forward<B extends Dim>(p: Mlp, x: Tensor<[B, 784]>): Tensor<[B, 10]> {
  const h = relu(add(matmul(x, p.w1), p.b1));
  expectType<Tensor<[B, 128], 'float32'>>(h);
  const logits = add(matmul(h, p.w2), p.b2);
  expectType<Tensor<[B, 10], 'float32'>>(logits);
  return logits;
}

export function loss<B extends Dim>(p: Mlp, x: Tensor<[B, 784]>, y: Tensor<[NoInfer<B>, 10]>): Scalar {
  const d = sub(forward(p, x), y);
  expectType<Tensor<[B, 10], 'float32'>>(d);
  expectType<Tensor<[B], 'float32'>>(sum(d, 1));
  expectType<Tensor<[B, 1], 'float32'>>(mean(d, -1, true));
  return mean(sum(d, 1));
}

export function layout<B extends Dim, T extends Dim>(x: Tensor<[B, 784]>, seq: Tensor<[B, T, 64]>): void {
  expectType<Tensor<[784, B], 'float32'>>(transpose(x));
  expectType<Tensor<[B, 64, T], 'float32'>>(transpose(seq));
  expectType<Tensor<[B, T, T], 'float32'>>(matmul(seq, transpose(seq)));
  expectType<Tensor<[T, B, 64], 'float32'>>(permute(seq, [1, 0, 2]));
  expectType<Tensor<[B, 794], 'float32'>>(concat([x, zeros([x.shape[0], 10])], 1));
  expectType<Tensor<[B, 1568], 'float32'>>(concat([x, x], -1));
  expectType<Tensor<[2, B, 784], 'float32'>>(stack([x, x]));
  expectType<Tensor<[B, 28, 28], 'float32'>>(reshape(x, [x.shape[0], 28, 28]));
  expectType<Tensor<[B, 784], 'float32'>>(flatten(reshape(x, [x.shape[0], 28, 28]), 1));
  expectType<Tensor<[B, 1, 784], 'float32'>>(expandDims(x, 1));
  expectType<Tensor<[B, 784], 'float32'>>(squeeze(expandDims(x, 1), 1));
  expectType<Tensor<[B, 10], 'float32'>>(slice(x, [null, [0, 10]]));
  expectType<Tensor<[B, 3], 'float32'>>(take(x, tensor([0, 1, 2], { dtype: 'int32' }), 1));
}

// Calls that were rejected although correct (issue 15): a `number` dim in a
// reshape target, and ranges and indices on an axis whose size is a type
// parameter. Mistakes the compiler can still see are errors.
export function sequence<B extends Dim, L extends Dim>(h: Tensor<[B, L, 32]>, q: Tensor<[L, 16]>, x: Tensor<[B, 784]>): void {
  expectType<Tensor<[number, 32], 'float32'>>(reshape(h, [h.shape[0] * h.shape[1], 32]));
  expectType<Tensor<[number, 16], 'float32'>>(slice(q, [[1, -1]]));
  expectType<Tensor<[4, 16], 'float32'>>(slice(q, [[0, 4]]));
  expectType<Tensor<[2, 16], 'float32'>>(slice(q, [[-3, -1]]));
  expectType<Tensor<[2, 16], 'float32'>>(slice(q, [[0, 4, 2]]));
  expectType<Tensor<[L], 'float32'>>(slice(q, [null, -1]));
  expectType<Tensor<[16], 'float32'>>(index(q, 0));
  expectType<Tensor<[16], 'float32'>>(index(q, -1));
  expectType<Tensor<[B, 4], 'float32'>>(slice(h, [null, 0, [0, 4]]));
  expectType<Tensor<[B, L, 4, 8], 'float32'>>(reshape(h, [h.shape[0], h.shape[1], 4, 8]));
  expectType<Tensor<[B, L, 32], 'float32'>>(reshape(reshape(h, [h.shape[0], h.shape[1], 4, 8]), [h.shape[0], h.shape[1], 32]));
  expectType<Tensor<[number, 28, 28], 'float32'>>(reshape(x, [-1, 28, 28]));
  expectType<Tensor<[B, number], 'float32'>>(flatten(h, 1));
  expectType<Tensor<[number], 'float32'>>(flatten(h));
  expectError(reshape(h, [h.shape[0], h.shape[1], 4, 7]));
  expectError(reshape(x, [x.shape[0], 28, 29]));
  expectError(reshape(h, [h.shape[0], -1, -1]));
  expectError(slice(q, [null, [0, 17]]));
  expectError(slice(q, [null, 16]));
  expectError(slice(q, [[3, 1]]));
  expectError(slice(q, [[0, 4, 0]]));
  expectError(slice(q, [null, null, 0]));
}

// Splitting an axis whose size is a type parameter: the parts are `number` long.
export function halves<B extends Dim>(h: Tensor<[B, 16]>): void {
  expectType<[Tensor<[number, 16], 'float32'>, Tensor<[number, 16], 'float32'>]>(split(h, 2));
  expectType<[Tensor<[1, 16], 'float32'>, Tensor<[2, 16], 'float32'>]>(split(h, [1, 2]));
  expectType<[Tensor<[B, 8], 'float32'>, Tensor<[B, 8], 'float32'>]>(split(h, 2, 1));
  expectError(split(h, 3, 1));
  expectError(split(h, [1, 2], 1));
}

// Joining along an axis whose size is a type parameter gives `number`; a
// type-parameter dim elsewhere must match itself or `number`, like a named dim.
export function joins<B extends Dim, L extends Dim, M extends Dim, K extends Dim>(
  a: Tensor<[B, L, 16]>,
  b: Tensor<[B, M, 16]>,
  u: Tensor<[number, 16]>,
  x: Tensor<[B, K]>,
  w: Tensor<[number, 8]>,
): void {
  expectType<Tensor<[B, number, 16], 'float32'>>(concat([a, b], 1));
  expectType<Tensor<[B, number, 16], 'float32'>>(concat([a, a], 1));
  expectType<Tensor<[number, 16], 'float32'>>(concat([slice(a, [null, 0]), u], 0));
  expectType<Tensor<[B, 16], 'float32'>>(sub(slice(a, [null, 0]), u));
  expectType<Tensor<[2, B, 16], 'float32'>>(stack([slice(a, [null, 0]), u]));
  expectType<Tensor<[B, 8], 'float32'>>(matmul(x, w));
  expectError(concat([a, zeros([4, 3, 16])], 1));
  expectError(concat([a, b], 0));
  expectError(matmul(x, zeros([64, 8])));
}

// Multi-head attention, written generic in the batch and the sequence length.
export function attention<B extends Dim, L extends Dim>(x: Tensor<[B, L, 128]>, wq: Tensor<[128, 128]>): Tensor<[B, L, 128]> {
  const q = reshape(matmul(x, wq), [x.shape[0], x.shape[1], 8, 16]);
  expectType<Tensor<[B, L, 8, 16], 'float32'>>(q);
  const heads = permute(q, [0, 2, 1, 3]);
  const scores = exp(matmul(heads, permute(heads, [0, 1, 3, 2])));
  expectType<Tensor<[B, 8, L, L], 'float32'>>(scores);
  const probs = div(scores, sum(scores, -1, true));
  const out = permute(matmul(probs, heads), [0, 2, 1, 3]);
  expectType<Tensor<[B, L, 8, 16], 'float32'>>(out);
  expectError(reshape(out, [x.shape[0], x.shape[1], 127]));
  return reshape(out, [x.shape[0], x.shape[1], 128]);
}

// squeeze: a type-parameter dim might be 1, like `number`: give the axis.
export function drop<B extends Dim>(x: Tensor<[B, 1, 5]>): void {
  expectType<Tensor<[B, 5], 'float32'>>(squeeze(x, 1));
  expectType<Tensor<[1, 5], 'float32'>>(squeeze(x, 0));
  expectError(squeeze(x));
  expectError(squeeze(x, 2));
}

// broadcastTo: a type-parameter dim meets itself or `number` in the target.
export function expand<B extends Dim>(col: Tensor<[B, 1]>, row: Tensor<[1, 5]>, like: Tensor<[B, 5]>): void {
  expectType<Tensor<[B, 5], 'float32'>>(broadcastTo(col, [col.shape[0], 5]));
  expectType<Tensor<[B, 5], 'float32'>>(broadcastTo(row, like.shape));
  expectError(broadcastTo(col, [4, 5]));
}

// Broadcasting a type-parameter dim against 1 or `number`, on either side.
export function pairwise<B extends Dim>(h: Tensor<[B, 1, 16]>, g: Tensor<[1, B, 16]>, u: Tensor<[number, 16]>): void {
  expectType<Tensor<[B, B, 16], 'float32'>>(add(h, g));
  expectType<Tensor<[B, B, 16], 'float32'>>(add(g, h));
  expectType<Tensor<[number, B, 16], 'float32'>>(add(expandDims(u, 1), g));
  expectType<Tensor<[B, number, 16], 'float32'>>(sub(h, u));
  expectType<Tensor<[B, 16], 'float32'>>(sub(squeeze(h, 1), u));
  expectType<Tensor<[B, 16], 'float32'>>(sub(u, squeeze(h, 1)));
  expectError(add(h, zeros([3])));
  expectError(add(squeeze(h, 1), zeros([5, 16])));
}

// Without NoInfer on the second B, 64 and 32 would be merged into B = 32 | 64.
declare const p: Mlp;
expectError(loss(p, zeros([64, 784]), zeros([32, 10])));
expectType<Scalar>(loss(p, zeros([64, 784]), zeros([64, 10])));
