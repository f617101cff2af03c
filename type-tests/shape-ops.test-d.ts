// The rules used the way op signatures use them: Check on the argument,
// Ok on the result, ErrOr for primitive arguments.
import { expectError, expectType } from 'tsd';
import type { Tensor } from '../src/core/tensor.js';
import type {
  Broadcast,
  BroadcastTo,
  Check,
  Concat,
  Dim,
  ErrOr,
  ExpandDims,
  Flatten,
  MatMul,
  Ok,
  OneHot,
  Permute,
  Reduce,
  Reshape,
  Shape,
  Slice,
  Split,
  Squeeze,
  Stack,
  Sym,
  Take,
  Transpose,
} from '../src/shape/index.js';

declare function zeros<const S extends Shape>(shape: S): Tensor<[...S]>;
declare function add<A extends Shape, B extends Shape>(a: Tensor<A>, b: Tensor<B> & Check<Broadcast<A, B, 'add'>>): Tensor<Ok<Broadcast<A, B, 'add'>>>;
declare function matmul<A extends Shape, B extends Shape>(a: Tensor<A>, b: Tensor<B> & Check<MatMul<A, B>>): Tensor<Ok<MatMul<A, B>>>;
declare function reshape<S extends Shape, const To extends Shape>(x: Tensor<S>, shape: To & Check<Reshape<S, To>>): Tensor<Ok<Reshape<S, To>>>;
declare function sum<S extends Shape, const Ax extends number | readonly number[] | undefined = undefined, const K extends boolean = false>(
  x: Tensor<S>,
  axis?: ErrOr<Reduce<S, Ax, K, 'sum'>, Ax>,
  keepdims?: K,
): Tensor<Ok<Reduce<S, NoInfer<Ax>, NoInfer<K>, 'sum'>>>;

const x = zeros([2, 3]);
expectType<Tensor<[2, 3]>>(add(x, zeros([3])));
expectType<Tensor<[2, 5]>>(matmul(x, zeros([3, 5])));
expectType<Tensor<[3, 2]>>(reshape(x, [-1, 2]));
expectType<Tensor<[2, 1]>>(sum(x, 1, true));
expectType<Tensor<[]>>(sum(x));

expectError(add(x, zeros([4])));
expectError(matmul(x, zeros([4, 5])));
expectError(reshape(x, [4, -1]));
expectError(sum(x, 2));

// a failed op is Tensor<never>, and using it reports nothing more
declare const failed: Tensor<never>;
expectType<Tensor<never>>(add(failed, x));
expectType<Tensor<never>>(matmul(failed, x));
expectType<Tensor<never>>(sum(failed, 1));

// gradual typing: known sizes widen to number and to named dims' base
const widened: Tensor<[number, 3]> = x;
expectType<Tensor<[number, 5]>>(matmul(widened, zeros([3, 5])));
declare const named: Tensor<[Sym<'batch'>, 3]>;
expectType<Tensor<[Sym<'batch'>, 5]>>(matmul(named, zeros([3, 5])));
expectError(add(named, zeros([4, 3])));

export function mlp<B extends Dim>(h: Tensor<[B, 784]>, w: Tensor<[784, 10]>, b: Tensor<[10]>): Tensor<[B, 10]> {
  const y = add(matmul(h, w), b);
  expectType<Tensor<[B, 10]>>(y);
  expectType<Tensor<[B, 1]>>(sum(y, -1, true));
  return y;
}

// every rule passes a failed input (never) through as never
declare function t<T>(): T;
expectType<never>(t<Broadcast<never, [2]>>());
expectType<never>(t<Broadcast<[2], never>>());
expectType<never>(t<BroadcastTo<never, [2]>>());
expectType<never>(t<MatMul<never, [2, 3]>>());
expectType<never>(t<MatMul<[2, 3], never>>());
expectType<never>(t<Reshape<never, [-1]>>());
expectType<never>(t<Flatten<never>>());
expectType<never>(t<Reduce<never, 1>>());
expectType<never>(t<Transpose<never>>());
expectType<never>(t<Permute<never, [1, 0]>>());
expectType<never>(t<ExpandDims<never, 0>>());
expectType<never>(t<Squeeze<never>>());
expectType<never>(t<Concat<[never, [2, 3]]>>());
expectType<never>(t<Stack<[[2, 3], never]>>());
expectType<never>(t<Split<never, 2>>());
expectType<never>(t<Slice<never, [0]>>());
expectType<never>(t<Take<never, [2]>>());
expectType<never>(t<OneHot<never, 10>>());
