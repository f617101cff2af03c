/**
 * The types of `vmap`: where the batch axis goes in every batched input and
 * output type, and the compile-time messages for arguments that do not fit.
 * The run-time side (`vmap.ts`) throws `ShapeError` with the same wording for
 * batch sizes that differ.
 *
 * @module
 */
import type { DType } from '../core/dtype.js';
import type { Tensor } from '../core/tensor.js';
import type { Key } from '../random/key.js';
import type { Dim, Shape, Sym } from '../shape/dim.js';
import type { FormatShape } from '../shape/format.js';

/** One batch axis: a number (negative counts from the end of the batched value), or `null` for a value shared by every element. */
export type Axis = number | null;

/** An axis, or a tree of axes shaped like (a prefix of) the value `T`. */
export type AxisTree<T> =
  | Axis
  | (T extends Tensor<Shape, DType> | Key
      ? never
      : T extends readonly unknown[]
        ? { readonly [K in keyof T]: AxisTree<T[K]> }
        : T extends object
          ? { readonly [K in keyof T]: AxisTree<T[K]> }
          : never);

/** `inAxes` of a function with parameters `P`: one axis for all, or one axis tree per parameter. */
export type InAxes<P extends readonly unknown[]> = Axis | { readonly [K in keyof P]: AxisTree<P[K]> };

/** `outAxes`: one axis for every output leaf, or a tree of them. */
export type OutAxes = Axis | readonly unknown[] | { readonly [key: string]: unknown };

/**
 * Options of `vmap`.
 *
 * @example
 * ```ts
 * vmap(f, { inAxes: [null, 0], outAxes: 1 });
 * vmap(init, { inAxes: null, axisSize: 8 });
 * ```
 */
export interface VmapOptions<P extends readonly unknown[] = unknown[]> {
  /** Per argument (or for all): the batch axis, `null` for an argument shared by every element; default 0. */
  readonly inAxes?: InAxes<P>;
  /** Where the batch axis goes in each output leaf; default 0. */
  readonly outAxes?: OutAxes;
  /** The batch size, needed only when no argument is batched. */
  readonly axisSize?: number;
}

/** `S` with `B` inserted so that it becomes axis `Ax` of the result (negative from the end). */
export type InsertAxis<S extends Shape, Ax extends number, B> = number extends Ax
  ? Shape
  : number extends S['length']
    ? Shape
    : `${Ax}` extends `-${infer N extends number}`
      ? InsertFromEnd<S, N, B>
      : InsertFromFront<S, Ax, B>;

type InsertFromFront<S extends readonly unknown[], Ax extends number, B, Head extends unknown[] = []> = Head['length'] extends Ax
  ? [...Head, B, ...S]
  : S extends readonly [infer H, ...infer T]
    ? InsertFromFront<T, Ax, B, [...Head, H]>
    : never;

type InsertFromEnd<S extends readonly unknown[], N extends number, B, Tail extends unknown[] = []> = [...Tail, unknown]['length'] extends N
  ? [...S, B, ...Tail]
  : S extends readonly [...infer I, infer L]
    ? InsertFromEnd<I, N, B, [L, ...Tail]>
    : never;

/** `S` without axis `Ax` (negative from the end), or never when there is no such axis. */
export type RemoveAxis<S extends Shape, Ax extends number> = number extends Ax
  ? Shape
  : number extends S['length']
    ? Shape
    : `${Ax}` extends `-${infer N extends number}`
      ? RemoveFromEnd<S, N>
      : RemoveFromFront<S, Ax>;

type RemoveFromFront<S extends readonly unknown[], Ax extends number, Head extends unknown[] = []> = S extends readonly [infer H, ...infer T]
  ? Head['length'] extends Ax
    ? [...Head, ...T]
    : RemoveFromFront<T, Ax, [...Head, H]>
  : never;

type RemoveFromEnd<S extends readonly unknown[], N extends number, Tail extends unknown[] = []> = S extends readonly [...infer I, infer L]
  ? [...Tail, unknown]['length'] extends N
    ? [...I, ...Tail]
    : RemoveFromEnd<I, N, [L, ...Tail]>
  : never;

/** The dim at axis `Ax` (negative from the end) of `S`, or `number` when unknown. */
type AxisDim<S extends readonly unknown[], Ax extends number> = number extends Ax
  ? number
  : number extends S['length']
    ? number
    : `${Ax}` extends `-${infer N extends number}`
      ? DimFromEnd<S, N>
      : Ax extends keyof S
        ? S[Ax]
        : number;

type DimFromEnd<S extends readonly unknown[], N extends number, Tail extends unknown[] = []> = S extends readonly [...infer I, infer L]
  ? [...Tail, unknown]['length'] extends N
    ? L
    : DimFromEnd<I, N, [L, ...Tail]>
  : number;

/**
 * The type of a value `T` with a batch axis `B` added at `Ax` in every leaf
 * (`Ax` a number or a tree of axes; `null` leaves `T` as it is). A key
 * becomes an array of keys.
 *
 * @example
 * ```ts
 * type A = Batched<Tensor<[3]>, 0, 8>;                 // Tensor<[8, 3]>
 * type C = Batched<{ w: Tensor<[2, 3]> }, 1, Sym<'b'>>; // { w: Tensor<[2, b, 3]> }
 * ```
 */
export type Batched<T, Ax, B> = Ax extends null
  ? T
  : Ax extends number
    ? T extends Tensor<infer S extends Shape, infer D extends DType>
      ? Tensor<InsertAxis<S, Ax, B>, D>
      : T extends Key
        ? readonly Key[] & { readonly length: B }
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: Batched<T[K], Ax, B> }
          : T extends object
            ? { [K in keyof T]: Batched<T[K], Ax, B> }
            : T
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Batched<T[K], K extends keyof Ax ? Ax[K] : null, B> }
      : T extends object
        ? { [K in keyof T]: Batched<T[K], K extends keyof Ax ? Ax[K] : null, B> }
        : T;

/** The output counterpart of {@link Batched}: a key becomes a mutable array of keys. */
type BatchedOut<T, Ax, B> = [T] extends [Key] ? Key[] : Batched<T, Ax, B>;

declare const vmapOf: unique symbol;

/** The parameters of `F`; for a function from `vmap`, those of its batched signature with a batch of any size. */
type Params<F> = F extends { readonly [vmapOf]: readonly [infer G, infer O] }
  ? BatchedParams<Params<G>, InAxesOf<O>, Dim>
  : F extends (...args: infer A) => unknown
    ? A
    : never;
/** The result of `F`; for a function from `vmap`, that of its batched signature with a batch of any size. */
type Result<F> = F extends { readonly [vmapOf]: readonly [infer G, infer O] }
  ? BatchedOut<Result<G>, OutAxesOf<O>, Dim>
  : F extends (...args: never[]) => infer R
    ? R
    : never;

/** The axis tree of argument `K` under `inAxes` `IA`. */
type ArgAxis<IA, K> = IA extends Axis ? IA : K extends keyof IA ? IA[K] : null;

/** The index (as a string key) of the first batched argument, which alone infers the batch size. */
type FirstBatched<IA, P extends readonly unknown[], I extends unknown[] = []> = IA extends null
  ? never
  : IA extends number
    ? '0'
    : I['length'] extends P['length']
      ? never
      : ArgAxis<IA, `${I['length']}`> extends null
        ? FirstBatched<IA, P, [...I, unknown]>
        : `${I['length']}`;

/** The batched parameters: only the first batched argument infers `B`; the others must agree with it. */
type BatchedParams<P extends readonly unknown[], IA, B> = {
  [K in keyof P]: K extends FirstBatched<IA, P> ? Batched<P[K], ArgAxis<IA, K>, B> : Batched<P[K], ArgAxis<IA, K>, NoInfer<B>>;
};

/**
 * The message for an argument `A` (expected one element `P`, batch axis
 * `Ax`), or never when it fits. A tensor of unknown rank (`Tensor<number[]>`)
 * is left to the run-time checks.
 */
type ArgMessage<A, P, Ax, Name extends string> = Ax extends number
  ? A extends Tensor<infer SA extends Shape, infer DA extends DType>
    ? P extends Tensor<infer SP extends Shape, DType>
      ? number extends SA['length']
        ? never
        : [RemoveAxis<SA, Ax>] extends [never]
          ? `vmap: ${Name} of shape ${FormatShape<SA>} has no batch axis ${Ax}`
          : [Tensor<RemoveAxis<SA, Ax>, DA>] extends [P]
            ? never
            : `vmap: ${Name} expects ${FormatShape<InsertAxis<SP, Ax, Sym<'B'>>>}, got ${FormatShape<SA>}`
      : `vmap: ${Name} is a tensor but the parameter is not`
    : [A] extends [Batched<P, Ax, number>]
      ? never
      : `vmap: ${Name} does not fit the parameter with a batch axis ${Ax}`
  : Ax extends null
    ? [A] extends [P]
      ? never
      : `vmap: ${Name} (inAxes null) does not fit the parameter`
    : [A] extends [Batched<P, Ax, number>]
      ? never
      : `vmap: ${Name} does not fit the parameter with its inAxes tree`;

/** The batch size of argument `A` at axis `Ax`, or never when unknown. */
type SizeOf<A, Ax> = Ax extends number ? (A extends Tensor<infer SA extends Shape, DType> ? AxisDim<SA, Ax> : never) : never;

/** The first literal batch size and the argument it came from. */
type FirstSize<A extends readonly unknown[], IA, I extends unknown[] = []> = I['length'] extends A['length']
  ? never
  : SizeOf<A[I['length']], ArgAxis<IA, `${I['length']}`>> extends infer N
    ? [N] extends [never]
      ? FirstSize<A, IA, [...I, unknown]>
      : number extends N
        ? FirstSize<A, IA, [...I, unknown]>
        : [`args[${I['length']}]`, N]
    : never;

type SizeMessage<A, Ax, Name extends string, First> = First extends [infer FName extends string, infer FN extends number]
  ? SizeOf<A, Ax> extends infer N
    ? [N] extends [never]
      ? never
      : number extends N
        ? never
        : N extends FN
          ? never
          : N extends number
            ? `vmap: batch sizes differ: ${FName} has ${FN} but ${Name} has ${N}`
            : never
    : never
  : never;

/**
 * The batch size the arguments give: the one inferred from the first batched
 * argument, as the parameter batched at its axes would infer it (`Dim` when
 * the types cannot see it). Tested through objects, so that a batch size
 * that is a type parameter of the caller's function resolves.
 */
type BatchOf<A extends readonly unknown[], P extends readonly unknown[], IA> = FirstBatchedOf<A, IA> extends infer K extends string
  ? K extends keyof A
    ? { a: A[K] } extends { a: Batched<K extends keyof P ? P[K] : unknown, ArgAxis<IA, K>, infer B extends Dim> }
      ? B
      : Dim
    : Dim
  : Dim;
type FirstBatchedOf<A extends readonly unknown[], IA> = [FirstBatched<IA, A>] extends [never] ? '' : FirstBatched<IA, A>;

/** Every argument intersected with its message, where it has one. */
type WithMessages<A extends readonly unknown[], P extends readonly unknown[], IA> = {
  [K in keyof A]: K extends `${number}`
    ? [ArgMessage<A[K], K extends keyof P ? P[K] : unknown, ArgAxis<IA, K>, `args[${K}]`>] extends [never]
      ? [SizeMessage<A[K], ArgAxis<IA, K>, `args[${K}]`, FirstSize<A, IA>>] extends [never]
        ? A[K]
        : A[K] & SizeMessage<A[K], ArgAxis<IA, K>, `args[${K}]`, FirstSize<A, IA>>
      : A[K] & ArgMessage<A[K], K extends keyof P ? P[K] : unknown, ArgAxis<IA, K>, `args[${K}]`>
    : A[K];
};

type InAxesOf<O> = O extends { readonly inAxes: infer IA } ? IA : 0;
type OutAxesOf<O> = O extends { readonly outAxes: infer OA } ? OA : 0;

/**
 * The batched version of `F` under options `O`: generic in the batch size
 * `B` (a literal, `number` or a `Sym`), which the first batched argument
 * fixes. Arguments whose batch size the types cannot see (a tensor of
 * unknown rank) give a batch of size `number`. A call whose arguments do not
 * fit fails with a message such as
 * `vmap: args[0] expects [B,3], got [8,4]` or
 * `vmap: batch sizes differ: args[0] has 8 but args[1] has 4`.
 *
 * @example
 * ```ts
 * const f = (x: Tensor<[3]>) => sum(square(x));
 * const g: <B extends Dim>(x: Tensor<[B, 3]>) => Tensor<[B]> = vmap(f);
 * ```
 */
export interface VmapFn<F, O> {
  <const A extends readonly unknown[]>(...args: WithMessages<A, Params<F>, InAxesOf<O>>): BatchedOut<Result<F>, OutAxesOf<O>, BatchOf<A, Params<F>, InAxesOf<O>>>;
  /** Phantom (types only): the function and options it batches, so that `vmap(vmap(f))` sees the batched signature. */
  readonly [vmapOf]: readonly [F, O];
}
