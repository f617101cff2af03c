/**
 * `grad`, `valueAndGrad` and `vjp`: reverse-mode transforms of pure functions
 * over parameter trees. Nothing to zero, detach, record or dispose: each call
 * opens a trace, runs `f`, walks back, and closes the trace (also on throw).
 */
import { type FloatDType, isFloat } from '../core/dtype.js';
import { describeValue } from '../core/describe.js';
import { DTypeError, ShapeError, TraceError, TreeError, ValueError } from '../core/errors.js';
import { withTrace } from '../core/trace.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import { flatten, leavesWithPaths, unflatten, type PyTreeOf, type TreeDef } from '../tree/tree.js';
import { add, fill, zerosLike } from '../lax/index.js';
import { ReverseTrace, ReverseTracer } from './reverse.js';

/** What a differentiated function must return: a float scalar. */
export type LossScalar = Tensor<[], FloatDType>;

/** Options of `grad` and `valueAndGrad`. */
export interface GradOptions {
  /** Which argument(s) to differentiate; default 0. */
  readonly argnums?: number | readonly number[];
  /** `f` returns `[loss, aux]`; aux is passed through without derivatives. */
  readonly hasAux?: boolean;
}

type AnyFn = (...args: never[]) => unknown;
type Args<F> = F extends (...args: infer A) => unknown ? A : never;
/** The gradients for argnums `N` of a function taking `Args`: one argument's type, or a tuple of them. */
type Grads<Args extends unknown[], N> = N extends readonly number[] ? { -readonly [K in keyof N]: Args[N[K] & number] } : Args[N & number];
/** What `f` must return: a float scalar, or `[loss, aux]` with `hasAux`. */
type LossOf<H extends boolean> = [H] extends [true] ? readonly [LossScalar, unknown] : LossScalar;
type AuxOf<R> = R extends readonly [unknown, infer X] ? X : never;
type LossValue<R> = R extends readonly [infer L, unknown] ? L : never;
/** The first argument must be a tree of tensors when it is differentiated (argnums includes 0). */
type ParamsTree<P, N> = [0] extends [N extends readonly number[] ? N[number] : N] ? PyTreeOf<P> : unknown;

/** How the run-time messages name argument `I`. */
type ArgNameOf<I extends number> = I extends 0 ? 'params' : `args[${I}]`;
/** The run-time message for differentiating with respect to an argument of type `T`, or `never` when it can be. */
type NotDifferentiable<Op extends string, T, I extends number> = [T] extends [number]
  ? `${Op}: ${ArgNameOf<I>} is number, expected a tensor (only tensors can be differentiated)`
  : [T] extends [Tensor<unknown, infer D extends 'int32' | 'bool'>]
    ? `${Op}: cannot differentiate with respect to ${ArgNameOf<I>} of dtype ${D}; use float32 or float64`
    : never;
type FirstNotDifferentiable<Op extends string, F, N extends readonly number[]> = N extends readonly [infer I extends number, ...infer R extends readonly number[]]
  ? [NotDifferentiable<Op, Args<F>[I], I>] extends [never]
    ? FirstNotDifferentiable<Op, F, R>
    : NotDifferentiable<Op, Args<F>[I], I>
  : never;
/**
 * `argnums` as its parameter type: itself, or (when it names an int32/bool
 * tensor or a JS number, which throw at run time) the message.
 */
type ArgnumsArg<Op extends string, F, N> = [ArgnumsMessage<Op, F, N>] extends [never] ? N : ArgnumsMessage<Op, F, N>;
type ArgnumsMessage<Op extends string, F, N> = N extends number
  ? NotDifferentiable<Op, Args<F>[N], N>
  : N extends readonly number[]
    ? FirstNotDifferentiable<Op, F, N>
    : never;

const ARG_NAMES = ['params', 'args[1]', 'args[2]', 'args[3]'];
function argName(i: number): string {
  return ARG_NAMES[i] ?? `args[${i}]`;
}

/**
 * The argument positions to differentiate, each once. A repeated position
 * (`argnums: [0, 0]`) gets the same gradient in each place it is named:
 * d f / d args[0] does not depend on how often it is asked for.
 */
function normalizeArgnums(op: string, argnums: unknown, arity: number): readonly number[] {
  const list = argnums === undefined ? [0] : typeof argnums === 'number' ? [argnums] : argnums;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ValueError(`${op}: argnums must be an argument position or a non-empty array of them, got ${describeValue(argnums)}`);
  }
  for (const i of list) {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= arity) {
      throw new TraceError(`${op}: argnums ${describeValue(argnums)} is out of range for a call with ${arity} arguments`);
    }
  }
  return list as number[];
}

function checkFunction(op: string, f: unknown, opts: unknown): void {
  if (typeof f !== 'function') throw new ValueError(`${op}: expected a function to differentiate, got ${describeValue(f)}`);
  if (typeof opts !== 'object' || opts === null) throw new ValueError(`${op}: options must be an object, got ${describeValue(opts)}`);
}

/** Wraps the leaves of one argument in tracers; checks they are float tensors. */
function traceArgument(op: string, trace: ReverseTrace, arg: unknown, name: string): [unknown, ReverseTracer[]] {
  if (arg instanceof Tensor) {
    // The common case of a single tensor: no tree to walk.
    if (!isFloat(arg.dtype)) throw new DTypeError(`${op}: cannot differentiate with respect to ${name} of dtype ${arg.dtype}; use float32 or float64`);
    const t = trace.input(arg as AnyTensor);
    return [t, [t]];
  }
  const [leaves, def] = flatten(arg);
  const paths = leavesWithPaths(arg, name);
  const tracers = leaves.map((leaf, k) => {
    if (!(leaf instanceof Tensor)) {
      throw new TreeError(`${op}: ${paths[k]![0]} is ${leaf === null ? 'null' : typeof leaf}, expected a tensor (only tensors can be differentiated)`);
    }
    if (!isFloat(leaf.dtype)) {
      throw new DTypeError(`${op}: cannot differentiate with respect to ${paths[k]![0]} of dtype ${leaf.dtype}; use float32 or float64`);
    }
    return trace.input(leaf as AnyTensor);
  });
  return [unflatten(def, tracers), tracers];
}

/** Replaces this trace's tracers inside an aux tree by their primals. */
function lowerTree(trace: ReverseTrace, value: unknown): unknown {
  const [leaves, def] = flatten(value);
  return unflatten(def, leaves.map((l) => (l instanceof Tensor ? trace.lower(l as AnyTensor) : l)));
}

function checkLoss(op: string, out: unknown): AnyTensor {
  if (!(out instanceof Tensor)) throw new TraceError(`${op}: the function must return a scalar tensor, got ${typeof out}`);
  if (out.rank !== 0) {
    throw new ShapeError(`${op}: the function must return a scalar (shape []), got shape [${dimsOf(out).join(',')}]; reduce it with sum or mean`);
  }
  if (!isFloat(out.dtype)) throw new DTypeError(`${op}: the function must return a float scalar, got ${out.dtype}`);
  return out as AnyTensor;
}

function run(op: string, f: AnyFn, opts: GradOptions, args: readonly unknown[]): [value: AnyTensor, aux: unknown, grads: unknown] {
  const argnums = normalizeArgnums(op, opts.argnums, args.length);
  return withTrace(
    (level) => new ReverseTrace(level, op),
    (trace) => {
      const traced = args.slice();
      const inputs: ReverseTracer[][] = [];
      const defs: (TreeDef | null)[] = [];
      const unique = [...new Set(argnums)];
      for (const i of unique) {
        const [wrapped, tracers] = traceArgument(op, trace, args[i], argName(i));
        traced[i] = wrapped;
        inputs.push(tracers);
        defs.push(args[i] instanceof Tensor ? null : flatten(args[i])[1]);
      }
      const result = (f as (...a: unknown[]) => unknown)(...traced);
      let out: unknown = result;
      let aux: unknown = undefined;
      if (opts.hasAux) {
        if (!Array.isArray(result) || result.length !== 2) {
          throw new TraceError(`${op}: with hasAux the function must return [loss, aux]`);
        }
        [out, aux] = result as [unknown, unknown];
      }
      const loss = checkLoss(op, out);
      trace.phase = 'backward';
      const cts = trace.backward(loss, fill([], 1, loss.dtype));
      const gradOf = inputs.map((tracers, k) => {
        const def = defs[k];
        if (def === null) return cts.get(tracers[0]!) ?? zerosLike(tracers[0]!.primal);
        return unflatten(def, tracers.map((t) => cts.get(t) ?? zerosLike(t.primal)));
      });
      const grads = argnums.map((i) => gradOf[unique.indexOf(i)]);
      const value = trace.lower(loss);
      return [value, opts.hasAux ? lowerTree(trace, aux) : undefined, typeof opts.argnums === 'object' ? grads : grads[0]];
    },
  );
}

/**
 * The gradient of a scalar function with respect to its first argument (a
 * parameter tree); the result has exactly the type of that tree.
 * `argnums` picks other arguments (one index, or a tuple of them);
 * `hasAux: true` lets `f` return `[loss, aux]` and gives `[grads, aux]`.
 * One signature covers every option, so an `argnums` naming an int32 tensor
 * or a number fails to compile with the run-time message
 * (`grad: cannot differentiate with respect to args[1] of dtype int32; use float32 or float64`).
 *
 * @example
 * ```ts
 * import { grad, mul, sub, square, scalar } from 'typegrad';
 * const loss = (w: Scalar, x: Scalar, y: Scalar) => square(sub(mul(w, x), y));
 * grad(loss)(scalar(1), scalar(1), scalar(2)).item();                   // -2
 * grad(loss, { argnums: [0, 1] })(scalar(1), scalar(1), scalar(2)); // [dw, dx]: [Scalar, Scalar]
 * ```
 */
export function grad<
  P extends ParamsTree<P, N>,
  A extends unknown[],
  R extends LossOf<H>,
  const N extends number | readonly number[] = 0,
  const H extends boolean = false,
>(
  f: (params: P, ...args: A) => R,
  opts?: { readonly argnums?: ArgnumsArg<'grad', (params: P, ...args: A) => R, N>; readonly hasAux?: H },
): (params: P, ...args: A) => [H] extends [true] ? [grads: Grads<[P, ...A], N>, aux: AuxOf<R>] : Grads<[P, ...A], N>;
export function grad(f: AnyFn, options: { readonly argnums?: unknown; readonly hasAux?: boolean } = {}): (...args: unknown[]) => unknown {
  checkFunction('grad', f, options);
  const opts = options as GradOptions;
  return (...args) => {
    const [, aux, grads] = run('grad', f, opts, args);
    return opts.hasAux ? [grads, aux] : grads;
  };
}

/**
 * The value and the gradient in one pass.
 *
 * @example
 * ```ts
 * const [loss, grads] = valueAndGrad(lossFn)(params, x, y);
 * const [loss2, aux, grads2] = valueAndGrad(lossWithAux, { hasAux: true })(params, x, y);
 * ```
 */
export function valueAndGrad<
  P extends ParamsTree<P, N>,
  A extends unknown[],
  R extends LossOf<H>,
  const N extends number | readonly number[] = 0,
  const H extends boolean = false,
>(
  f: (params: P, ...args: A) => R,
  opts?: { readonly argnums?: ArgnumsArg<'valueAndGrad', (params: P, ...args: A) => R, N>; readonly hasAux?: H },
): (params: P, ...args: A) => [H] extends [true]
  ? [value: LossValue<R>, aux: AuxOf<R>, grads: Grads<[P, ...A], N>]
  : [value: R, grads: Grads<[P, ...A], N>];
export function valueAndGrad(f: AnyFn, options: { readonly argnums?: unknown; readonly hasAux?: boolean } = {}): (...args: unknown[]) => unknown {
  checkFunction('valueAndGrad', f, options);
  const opts = options as GradOptions;
  return (...args) => {
    const [value, aux, grads] = run('valueAndGrad', f, opts, args);
    return opts.hasAux ? [value, aux, grads] : [value, grads];
  };
}

/**
 * Runs `f` and returns its output with a pullback: a function from an output
 * cotangent (same structure as the output) to the cotangents of every
 * argument, as a tuple.
 *
 * @example
 * ```ts
 * const [y, pullback] = vjp((x: Tensor<[3]>) => mul(x, x), tensor([1, 2, 3]));
 * pullback(onesLike(y)); // [Tensor<[3]>: 2, 4, 6]
 * ```
 */
export function vjp<A extends unknown[], R>(f: (...args: A) => R, ...primals: A): [out: R, pullback: (cotangent: R) => A] {
  checkFunction('vjp', f, {});
  return withTrace(
    (level) => new ReverseTrace(level, 'vjp'),
    (trace) => {
      const traced: unknown[] = [];
      const inputs: ReverseTracer[][] = [];
      const defs: unknown[] = [];
      primals.forEach((arg, i) => {
        const [wrapped, tracers] = traceArgument('vjp', trace, arg, `primals[${i}]`);
        traced.push(wrapped);
        inputs.push(tracers);
        defs.push(flatten(arg)[1]);
      });
      const out = f(...(traced as A));
      const [outLeaves, outDef] = flatten(out);
      const lowered = unflatten<R>(outDef, outLeaves.map((l) => (l instanceof Tensor ? trace.lower(l as AnyTensor) : l)));
      const pullback = (cotangent: R): A => {
        const [ctLeaves, ctDef] = flatten(cotangent);
        if (JSON.stringify(ctDef) !== JSON.stringify(outDef)) {
          throw new TreeError('vjp: the cotangent must have the structure of the output');
        }
        const all = new Map<ReverseTracer, AnyTensor>();
        outLeaves.forEach((leaf, k) => {
          const ct = ctLeaves[k] as AnyTensor;
          if (!(leaf instanceof ReverseTracer) || leaf.trace !== trace) return;
          const lshape = dimsOf(leaf), cshape = dimsOf(ct);
          if (lshape.length !== cshape.length || lshape.some((d, j) => d !== cshape[j])) {
            throw new ShapeError(`vjp: cotangent of shape [${cshape.join(',')}] does not match output of shape [${lshape.join(',')}]`);
          }
          trace.phase = 'backward';
          for (const [t, c] of trace.backward(leaf, ct)) {
            const prev = all.get(t);
            all.set(t, prev === undefined ? c : add(prev, c));
          }
        });
        return inputs.map((tracers, k) => unflatten(defs[k] as never, tracers.map((t) => all.get(t) ?? zerosLike(t.primal)))) as A;
      };
      return [lowered, pullback];
    },
  );
}
