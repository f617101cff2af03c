/**
 * `sequential(...layers)`: layers and activations applied in order. Its
 * types are computed from its members: the input features of the first,
 * the output features of the last, the tuple of their parameter trees (and
 * states), and whether it needs a mode. A member whose input features do
 * not fit the features before it is a compile error naming both widths,
 * and the same `ShapeError` at run time.
 */
import type { DType, FloatDType } from '../core/dtype.js';
import { ShapeError, TreeError, ValueError, formatShape } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { foldIn, isKey, split, type Key } from '../random/key.js';
import type { Shape } from '../shape/dim.js';
import type { FormatShape } from '../shape/format.js';
import {
  type AnyLayer,
  type ApplyOptions,
  type ApplyShapeFn,
  type Layer,
  type Mode,
  type ShapedLayer,
  type ShapedStatefulLayer,
  type ShapeFn,
  type SplitLast,
  type StatefulLayer,
  modeOf,
} from './layer.js';

/**
 * A shape-preserving function sequential accepts between layers (`relu`,
 * `nn.gelu`, `(x) => nn.leakyRelu(x, 0.2)` written generically).
 */
export type PassThrough = <S>(x: Tensor<S, 'float32'>) => Tensor<S, DType>;

/** What `sequential` accepts: layers, stateful layers and shape-preserving functions. */
export type SequentialItem = AnyLayer | PassThrough;

/** A member's types as one record. */
type View<T> =
  T extends ShapedStatefulLayer<infer I, infer F, infer P, infer St, infer DI, infer DO>
    ? { in: I; out: []; f: F; p: P; st: St; din: DI; dout: DO; m: true; s: true }
    : T extends ShapedLayer<infer I, infer F, infer P, infer DI, infer DO>
      ? { in: I; out: []; f: F; p: P; st: []; din: DI; dout: DO; m: false; s: false }
      : T extends StatefulLayer<infer I, infer O, infer P, infer St, infer DI, infer DO>
        ? { in: I; out: O; f: null; p: P; st: St; din: DI; dout: DO; m: true; s: true }
        : T extends Layer<infer I, infer O, infer P, infer DI, infer DO, infer M>
          ? { in: I; out: O; f: null; p: P; st: []; din: DI; dout: DO; m: M; s: false }
          : { in: []; out: []; f: null; p: []; st: []; din: FloatDType; dout: 'same'; m: false; s: false };

type DimFits<A, B> = { a: A; b: B } extends { a: B; b: A } ? true : number extends A ? true : number extends B ? true : false;

/** `F` without its suffix `In`, or `false` when `F` does not end with `In`. */
type StripSuffix<F extends readonly unknown[], In extends readonly unknown[]> = In extends readonly [...infer IR, infer IL]
  ? F extends readonly [...infer FR, infer FL]
    ? DimFits<FL, IL> extends true
      ? StripSuffix<FR, IR>
      : false
    : false
  : F;

interface Acc {
  in: Shape | null;
  out: Shape;
  at: number;
  dout: DType | 'same';
}
type Member = { in: Shape; out: Shape; f: ShapeFn | null; dout: DType | 'same' };
type Next<A extends Acc, Pre, V extends Member, I extends number> = Pre extends readonly unknown[]
  ? { in: A['in']; out: [...Pre, ...V['out']]; at: I; dout: V['dout'] extends 'same' ? A['dout'] : V['dout'] }
  : `sequential: layer ${I} takes ${FormatShape<V['in']>} but layer ${A['at']} gives ${FormatShape<A['out']>}`;
/** A shaped member (conv, pool, flatten): its output features computed from the features before it. */
type StepShaped<A extends Acc, V extends Member, F extends ShapeFn, I extends number> = A['in'] extends null
  ? ShapedNext<A, [], V['in'], F, V, I, V['in']>
  : StripSuffix<A['out'], V['in']> extends false
    ? `sequential: layer ${I} takes ${FormatShape<V['in']>} but layer ${A['at']} gives ${FormatShape<A['out']>}`
    : SplitLast<A['out'], V['in']['length']> extends [infer Pre extends Shape, infer S extends Shape]
      ? ShapedNext<A, Pre, S, F, V, I, A['in']>
      : never;
type ShapedNext<A extends Acc, Pre extends Shape, S extends Shape, F extends ShapeFn, V extends Member, I extends number, In> =
  ApplyShapeFn<F, S> extends infer O
    ? O extends Shape
      ? { in: In; out: [...Pre, ...O]; at: I; dout: V['dout'] extends 'same' ? A['dout'] : V['dout'] }
      : `sequential: layer ${I}: ${O & string}`
    : never;
type Step<A extends Acc, V extends Member, I extends number> = V['f'] extends ShapeFn ? StepShaped<A, V, V['f'], I> : StepPlain<A, V, I>;
type StepPlain<A extends Acc, V extends Member, I extends number> = A['in'] extends null
  ? V['in'] extends []
    ? V['out'] extends []
      ? A
      : { in: []; out: V['out']; at: I; dout: V['dout'] }
    : { in: V['in']; out: V['out']; at: I; dout: V['dout'] }
  : V['in'] extends []
    ? V['out'] extends []
      ? { in: A['in']; out: A['out']; at: A['at']; dout: V['dout'] extends 'same' ? A['dout'] : V['dout'] }
      : Next<A, A['out'], V, I>
    : Next<A, StripSuffix<A['out'], V['in']>, V, I>;
type Inc = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64];

/**
 * Folds the members: the accumulated features and dtype, and one entry per
 * member that is `unknown` when it fits and the message when it does not.
 */
type Fold<Ls extends readonly unknown[], I extends number = 0, A extends Acc = { in: null; out: []; at: 0; dout: 'same' }, Errs extends unknown[] = []> =
  Ls extends readonly [infer H, ...infer R]
    ? Step<A, View<H>, I> extends infer N
      ? N extends Acc
        ? Fold<R, Inc[I], N, [...Errs, unknown]>
        : Fold<R, Inc[I], { in: A['in']; out: View<H>['out']; at: I; dout: A['dout'] }, [...Errs, N]>
      : never
    : { acc: A; errs: Errs };

/** The messages for members that do not fit (a tuple of `unknown` when all fit). */
export type CheckSequential<Ls extends readonly unknown[]> = Fold<Ls>['errs'];

/**
 * Each member intersected with its message when it does not fit, so the
 * compiler reports the member that does not fit, with the message as its
 * headline (`sequential: layer 8 takes [3136] but layer 7 gives [2304]`).
 */
export type WithLayerMessages<Ls extends readonly unknown[], Errs = CheckSequential<Ls>> = {
  [K in keyof Ls]: K extends keyof Errs ? (Errs[K] extends string ? Errs[K] : Ls[K]) : Ls[K];
};

/** The parameter tree of `sequential(...Ls)`: one entry per member (`[]` for activations and dropout). */
export type SequentialParams<Ls extends readonly unknown[]> = { -readonly [K in keyof Ls]: View<Ls[K]>['p'] };
/** The state of `sequential(...Ls)`: one entry per member (`[]` for stateless ones). */
export type SequentialState<Ls extends readonly unknown[]> = { -readonly [K in keyof Ls]: View<Ls[K]>['st'] };

type AnyStateful<Ls extends readonly unknown[]> = true extends View<Ls[number]>['s'] ? true : false;
type AnyMode<Ls extends readonly unknown[]> = true extends View<Ls[number]>['m'] ? true : false;
type InOf<A> = A extends { in: infer I extends Shape } ? I : [];
type OutOf<A> = A extends { out: infer O extends Shape } ? O : [];
type DOutOf<A> = A extends { dout: infer D extends DType | 'same' } ? D : 'same';
type DInOf<Ls extends readonly unknown[]> = Ls extends readonly [infer H, ...unknown[]] ? View<H>['din'] : FloatDType;

/** The layer `sequential(...Ls)` returns. */
export type Sequential<Ls extends readonly unknown[], A = Fold<Ls>['acc']> =
  AnyStateful<Ls> extends true
    ? StatefulLayer<InOf<A>, OutOf<A>, SequentialParams<Ls>, SequentialState<Ls>, DInOf<Ls>, DOutOf<A>>
    : Layer<InOf<A>, OutOf<A>, SequentialParams<Ls>, DInOf<Ls>, DOutOf<A>, AnyMode<Ls>>;

/** A member seen at run time. */
interface RunMember {
  readonly name: string;
  readonly stateful: boolean;
  readonly needsMode: boolean;
  readonly usesKey: boolean;
  readonly in: readonly number[];
  readonly out: readonly number[];
  /** For shaped members: the output features from the input features. */
  readonly outFor: ((features: readonly number[]) => number[]) | null;
  init(key: Key): unknown;
  initState(): unknown;
  run(params: unknown, state: unknown, x: unknown, options: { mode?: Mode; key?: Key }): [unknown, unknown];
}

function member(item: unknown, i: number): RunMember {
  if (typeof item === 'function') {
    const f = item as (x: unknown) => unknown;
    return {
      name: f.name || `function at ${i}`,
      stateful: false,
      needsMode: false,
      usesKey: false,
      in: [],
      out: [],
      outFor: null,
      init: () => [],
      initState: () => [],
      run: (_p, s, x) => [f(x), s],
    };
  }
  const l = item as AnyLayer | null;
  if (l === null || typeof l !== 'object' || typeof l.init !== 'function' || typeof l.apply !== 'function') {
    throw new TreeError(`sequential: member ${i} is neither a layer (with init and apply) nor a function`);
  }
  if (l.kind === 'stateful') {
    const s = l as StatefulLayer<Shape, Shape, unknown, unknown, DType, DType>;
    return {
      name: s.name,
      stateful: true,
      needsMode: true,
      usesKey: s.usesKey,
      in: s.inFeatures,
      out: s.outFeatures,
      outFor: shapedRule(l),
      init: (k) => s.init(k),
      initState: () => s.initState(),
      run: (p, st, x, o) => s.apply(p, st, x as never, o as never),
    };
  }
  const s = l as Layer<Shape, Shape, unknown, DType, DType, boolean>;
  return {
    name: s.name,
    stateful: false,
    needsMode: s.needsMode,
    usesKey: s.usesKey,
    in: s.inFeatures,
    out: s.outFeatures,
    outFor: shapedRule(l),
    init: (k) => s.init(k),
    initState: () => [],
    run: (p, st, x, o) => [(s.apply as (p: unknown, x: unknown, o: unknown) => unknown)(p, x, o), st],
  };
}

function shapedRule(l: unknown): ((features: readonly number[]) => number[]) | null {
  const f = (l as { outFor?: unknown }).outFor;
  return typeof f === 'function' ? (features) => (f as (x: readonly number[]) => number[]).call(l, features) : null;
}

/** A shape in a message: -1 (a size not known yet) prints as `?`, as `number` does at compile time. */
const fmt = (s: readonly number[]): string => formatShape(s).replace(/-1/g, '?');

/** A shaped member's output features; its `ShapeError` gets the member's index, as in the type's message. */
function shapedOut(outFor: (f: readonly number[]) => number[], features: readonly number[], i: number): number[] {
  try {
    return outFor(features);
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`sequential: layer ${i}: ${e.message}`);
    throw e;
  }
}

/** The run-time twin of {@link CheckSequential}: the features, or a ShapeError with the same message. */
function checkChain(members: readonly RunMember[]): { in: readonly number[]; out: readonly number[] } {
  let inShape: readonly number[] | null = null;
  let out: readonly number[] = [];
  let at = 0;
  members.forEach((m, i) => {
    const pass = m.in.length === 0 && m.out.length === 0;
    if (pass) return;
    if (inShape === null) {
      inShape = m.in;
      out = m.outFor === null ? m.out : shapedOut(m.outFor, m.in, i);
      at = i;
      return;
    }
    const k = m.in.length;
    // -1 is a size not known until run time: it fits anything, as `number` does in the types.
    const fits = out.length >= k && m.in.every((d, j) => { const o = out[out.length - k + j]!; return o === d || o === -1 || d === -1; });
    if (!fits) throw new ShapeError(`sequential: layer ${i} takes ${fmt(m.in)} but layer ${at} gives ${fmt(out)}`);
    const suffix = out.slice(out.length - k);
    out = [...out.slice(0, out.length - k), ...(m.outFor === null ? m.out : shapedOut(m.outFor, suffix, i))];
    at = i;
  });
  return { in: inShape ?? [], out };
}

/**
 * Layers (and shape-preserving functions such as activations) applied in
 * order. The result is a layer: `init(key)` gives the tuple of the
 * members' parameters (`[]` for parameter-free members), and `apply` runs
 * them, passing `{ mode, key }` on (the key is split per member: dropout
 * layers get independent masks). With a stateful member (`batchNorm`) the
 * result is stateful too: `initState()`, and `apply(params, state, x,
 * { mode })` returns `[y, state]`.
 *
 * Its types follow its members: `sequential(linear(784, 128), relu,
 * linear(128, 10))` maps `Tensor<[B, 784]>` to `Tensor<[B, 10]>`, and
 * `linear(100, 10)` in place of the last member is a compile error:
 * `sequential: layer 2 takes [100] but layer 0 gives [128]`.
 *
 * @example
 * ```ts
 * import { nn, random, zeros } from 'typegrad';
 * const model = nn.sequential(nn.linear(784, 128), nn.relu, nn.dropout(0.2), nn.linear(128, 10));
 * const params = model.init(random.key(0));
 * // [{ w: Tensor<[784, 128]>; b: Tensor<[128]> }, [], [], { w: Tensor<[128, 10]>; b: Tensor<[10]> }]
 * const logits = model.apply(params, zeros([32, 784]), { mode: 'train', key: random.key(1) }); // Tensor<[32, 10]>
 * model.apply(params, zeros([32, 784]), { mode: 'eval' });
 * ```
 */
export function sequential<const Ls extends readonly SequentialItem[]>(...layers: WithLayerMessages<Ls>): Sequential<Ls> {
  const members = (layers as readonly unknown[]).map(member);
  if (members.length === 0) throw new ValueError('sequential: needs at least one member');
  const { in: inFeatures, out: outFeatures } = checkChain(members);
  const stateful = members.some((m) => m.stateful);
  const needsMode = members.some((m) => m.needsMode);
  const usesKey = members.some((m) => m.usesKey);
  const name = `sequential(${members.map((m) => m.name).join(', ')})`;
  const n = members.length;

  const checkTuple = (what: string, value: unknown): unknown[] => {
    if (!Array.isArray(value) || value.length !== n) {
      throw new TreeError(`sequential: ${what} must be an array of ${n} entries (one per member), got ${Array.isArray(value) ? `an array of ${value.length}` : value === null ? 'null' : typeof value}`);
    }
    return value;
  };

  const run = (params: unknown, state: unknown[] | null, x: unknown, options: ApplyOptions | undefined): [unknown, unknown[]] => {
    const ps = checkTuple('params', params);
    const mode = modeOf('sequential', options, needsMode);
    const key = options?.key;
    if (key !== undefined && !isKey(key)) throw new ValueError('sequential: options.key must be a key from random.key, random.split or random.foldIn');
    const next: unknown[] = new Array(n);
    let h = x;
    for (let i = 0; i < n; i++) {
      const m = members[i]!;
      const opts: { mode?: Mode; key?: Key } = {};
      if (mode !== undefined) opts.mode = mode;
      // Each random member gets its own key, derived from its index.
      if (key !== undefined && m.usesKey) opts.key = foldIn(key, i);
      [h, next[i]] = m.run(ps[i], state === null ? [] : state[i], h, opts);
    }
    return [h, next];
  };

  const base = {
    name,
    inFeatures: Object.freeze(inFeatures.slice()),
    outFeatures: Object.freeze(outFeatures.slice()),
    usesKey,
    init(key: Key) {
      const keys = split(key, n) as Key[];
      return members.map((m, i) => m.init(keys[i]!));
    },
  };
  if (stateful) {
    return Object.freeze({
      ...base,
      kind: 'stateful',
      needsMode: true,
      initState: () => members.map((m) => m.initState()),
      apply: (params: unknown, state: unknown, x: unknown, options: ApplyOptions) => run(params, checkTuple('state', state), x, options),
    }) as unknown as Sequential<Ls>;
  }
  return Object.freeze({
    ...base,
    kind: 'layer',
    needsMode,
    apply: (params: unknown, x: unknown, options?: ApplyOptions) => run(params, null, x, options)[0],
  }) as unknown as Sequential<Ls>;
}
