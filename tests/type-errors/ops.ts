// Small declared ops built from the shape rules, the way the public ops use
// them (pattern overloads are left out: these fixtures test the computed
// rules and their messages). The lead switches the fixtures to the real ops.
//
// A type parameter that is only inferred from an optional argument (an axis,
// keepdims) is wrapped in NoInfer in the return type: otherwise an annotated
// result (`const y: Tensor<[24]> = flatten(x)`) is used to infer it.
import type { Tensor } from '../../src/core/tensor.js';
import type {
  AxisArg,
  AxisCheck,
  Broadcast,
  BroadcastTo,
  Check,
  Concat,
  ErrOr,
  ExpandDims,
  Flatten,
  FromPattern,
  Index,
  MatMul,
  Ok,
  PatternDim,
  Permute,
  Reduce,
  Reshape,
  Shape,
  ShapesOf,
  Slice,
  SliceSpec,
  Split,
  Squeeze,
  Stack,
  Sym,
  Take,
  Transpose,
} from '../../src/shape/index.js';

export declare function zeros<const S extends Shape>(shape: S): Tensor<[...S]>;
export declare function dim<const N extends string>(name: N, size: number): Sym<N>;
export declare function assertShape<const P extends readonly PatternDim[]>(t: Tensor, pattern: P): Tensor<FromPattern<P>>;

export declare function add<A extends Shape, B extends Shape>(a: Tensor<A>, b: Tensor<B> & Check<Broadcast<A, B, 'add'>>): Tensor<Ok<Broadcast<A, B, 'add'>>>;
export declare function broadcastTo<S extends Shape, const T extends Shape>(x: Tensor<S>, shape: T & Check<BroadcastTo<S, T>>): Tensor<Ok<BroadcastTo<S, T>>>;
export declare function matmul<A extends Shape, B extends Shape>(a: Tensor<A>, b: Tensor<B> & Check<MatMul<A, B>>): Tensor<Ok<MatMul<A, B>>>;
export declare function reshape<S extends Shape, const To extends Shape>(x: Tensor<S>, shape: To & Check<Reshape<S, To>>): Tensor<Ok<Reshape<S, To>>>;
export declare function flatten<S extends Shape, const Ax extends number = 0>(x: Tensor<S>, startAxis?: ErrOr<Flatten<S, Ax>, Ax>): Tensor<Ok<Flatten<S, NoInfer<Ax>>>>;
export declare function sum<S extends Shape, const Ax extends number | readonly number[] | undefined = undefined, const K extends boolean = false>(
  x: Tensor<S>,
  axis?: ErrOr<Reduce<S, Ax, K, 'sum'>, Ax>,
  keepdims?: K,
): Tensor<Ok<Reduce<S, NoInfer<Ax>, NoInfer<K>, 'sum'>>>;
export declare function transpose<S extends Shape>(x: Tensor<S> & Check<Transpose<S>>): Tensor<Ok<Transpose<S>>>;
export declare function permute<S extends Shape, const Ax extends readonly number[]>(x: Tensor<S>, axes: Ax & Check<Permute<S, Ax>>): Tensor<Ok<Permute<S, Ax>>>;
export declare function squeeze<S extends Shape, const Ax extends number | undefined = undefined>(
  x: Tensor<S> & AxisCheck<Squeeze<S, Ax>, Ax>,
  ...axis: AxisArg<Squeeze<S, Ax>, Ax>
): Tensor<Ok<Squeeze<S, NoInfer<Ax>>>>;
export declare function expandDims<S extends Shape, const Ax extends number>(x: Tensor<S>, axis: ErrOr<ExpandDims<S, Ax>, Ax>): Tensor<Ok<ExpandDims<S, Ax>>>;
export declare function concat<const Ts extends readonly Tensor[], const Ax extends number = 0>(
  ts: Ts & Check<Concat<ShapesOf<Ts>, Ax>>,
  axis?: Ax,
): Tensor<Ok<Concat<ShapesOf<Ts>, NoInfer<Ax>>>>;
export declare function stack<const Ts extends readonly Tensor[], const Ax extends number = 0>(
  ts: Ts & Check<Stack<ShapesOf<Ts>, Ax>>,
  axis?: Ax,
): Tensor<Ok<Stack<ShapesOf<Ts>, NoInfer<Ax>>>>;
type Tensors<Ss> = { [K in keyof Ss]: Tensor<Ss[K]> };
export declare function split<S extends Shape, const Sp extends number | readonly number[], const Ax extends number = 0>(
  x: Tensor<S>,
  spec: ErrOr<Split<S, Sp, Ax>, Sp>,
  axis?: Ax,
): Tensors<Ok<Split<S, Sp, NoInfer<Ax>>>>;
export declare function slice<S extends Shape, const Sp extends readonly SliceSpec[]>(x: Tensor<S>, specs: Sp & Check<Slice<S, Sp>>): Tensor<Ok<Slice<S, Sp>>>;
export declare function index<S extends Shape, const I extends number>(x: Tensor<S>, i: ErrOr<Index<S, I>, I>): Tensor<Ok<Index<S, I>>>;
export declare function take<S extends Shape, I extends Shape, const Ax extends number = 0>(
  x: Tensor<S>,
  indices: Tensor<I, 'int32'>,
  axis?: ErrOr<Take<S, I, Ax>, Ax>,
): Tensor<Ok<Take<S, I, NoInfer<Ax>>>>;
