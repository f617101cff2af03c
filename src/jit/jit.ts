/**
 * `jit`: stage a function once per call signature into a program, compile
 * it, and replay the compiled program on later calls with the same
 * signature (tree structure, shapes, dtypes, static values).
 *
 * Composition with the other transforms. When an argument is a tracer of a
 * transform (`grad(jit(f))`, `jvp` or `vmap` of a jitted function, or `jit`
 * inside `jit`, whose arguments are staging tracers), the jitted function
 * runs `f` itself, under that transform. JAX instead treats `jit` as a
 * primitive whose derivative is the derivative of its program; running `f`
 * gives exactly the same values and derivatives (the program is `f`'s
 * primitives in order) with no second set of rules to keep in step, and
 * inside an enclosing `jit` it inlines `f` into the outer program, which is
 * what the compiler wants anyway. The fast pattern is the other way round,
 * `jit(step)` with `grad` inside the step: forward pass, backward pass and
 * update become one program.
 */
import { describeValue } from '../core/describe.js';
import type { AnyTensor, ArrayTensor } from '../core/tensor.js';
import type { DType } from '../core/dtype.js';
import type { Shape } from '../shape/dim.js';
import { unflatten } from '../tree/tree.js';
import { compile } from './compile.js';
import { stageCall, staticFlags, type StagedCall } from './make-program.js';
import type { Executable } from './program.js';
import { Aval, type Signature, matchCall, readCall } from './signature.js';
import { ClosedOverTracer, type OutputSlot } from './staging.js';
import { TraceError } from '../core/errors.js';

/** The argument positions of a function type: `0 | 1 | 2` for three parameters. */
export type ArgIndex<F extends (...args: never[]) => unknown> =
  Parameters<F> extends infer A extends readonly unknown[]
    ? number extends A['length']
      ? number
      : { [K in keyof A]: K extends `${infer N extends number}` ? N : never }[number]
    : never;

/** Options of {@link jit}. */
export interface JitOptions<F extends (...args: never[]) => unknown> {
  /**
   * Argument positions holding plain values (numbers, strings, options
   * objects) that `f` may inspect freely: their values are part of the cache
   * key (compared by value), so a new value stages a new program.
   */
  readonly static?: readonly ArgIndex<F>[];
  /**
   * Argument positions whose tensors the caller gives up: the compiled
   * program may reuse their buffers for its outputs. Do not use a donated
   * tensor after the call (pass the returned one instead).
   */
  readonly donate?: readonly ArgIndex<F>[];
}

/** How often a jitted function staged, compiled and replayed. */
export interface JitStats {
  /** Calls that staged `f` into a new program (one per new signature). */
  readonly traces: number;
  /** Programs compiled. */
  readonly compiles: number;
  /** Calls that replayed a cached program. */
  readonly hits: number;
  /** Calls that ran `f` directly: under another transform, inside `jit`, or closing over a transform's value. */
  readonly unstaged: number;
  /** Programs in the cache. */
  readonly entries: number;
}

interface Entry {
  readonly sig: Signature;
  readonly exe: Executable;
  readonly outDef: StagedCall['outDef'];
  /** Per output leaf: its index among the program's outputs, or -1 for a plain value (in `plain`). */
  readonly outIndex: readonly number[];
  readonly plain: readonly unknown[];
  /** The output is one tensor: the program's only output. */
  readonly single: boolean;
}

function makeEntry(sig: Signature, exe: Executable, outDef: StagedCall['outDef'], slots: readonly OutputSlot[]): Entry {
  const outIndex = slots.map((s) => ('output' in s ? s.output : -1));
  const plain = slots.map((s) => ('output' in s ? undefined : s.value));
  return { sig, exe, outDef, outIndex, plain, single: outDef.kind === 'leaf' && outIndex[0] === 0 };
}

interface State {
  traces: number;
  compiles: number;
  hits: number;
  unstaged: number;
  readonly entries: Entry[];
}

const STATS = new WeakMap<object, State>();

/**
 * Compiles `f`: the first call with a given signature (tree structure,
 * shapes and dtypes of the tensor leaves, values of static arguments and of
 * plain leaves) stages `f` into a program and compiles it; later calls with
 * the same signature replay the compiled program without running `f`. The
 * result has exactly `f`'s type.
 *
 * - Arguments are parameter trees. Tensors are inputs of the program; plain
 *   leaves (numbers, strings) and `static` arguments are fixed into it.
 * - Outputs are any tree of tensors; plain values in the output are the ones
 *   `f` returned when it was staged.
 * - Tensors `f` closes over are constants of the program, read when it was staged.
 * - Reading a traced value inside `f` (`.item()`, `.toArray()`, `t < 0`)
 *   throws a `TraceError`: mark the argument static, or use `where`.
 * - Composes with every transform: `jit(grad(f))` stages forward and
 *   backward pass as one program; `grad(jit(f))`, `jvp`, `vjp`, `hessian`
 *   of a jitted function, and `jit` inside `jit`, run `f` under the
 *   enclosing transform.
 *
 * @example
 * ```ts
 * import { jit, jitStats, mul, add, tensor } from 'typegrad';
 * const f = jit((x: Tensor<[3]>, y: Tensor<[3]>) => add(mul(x, x), y));
 * f(tensor([1, 2, 3]), tensor([1, 1, 1])).toArray(); // [2, 5, 10]
 * f(tensor([4, 5, 6]), tensor([0, 0, 0]));           // same shapes: replays the program
 * jitStats(f); // { traces: 1, compiles: 1, hits: 1, unstaged: 0, entries: 1 }
 * ```
 */
export function jit<F extends (...args: never[]) => unknown>(f: F, opts: JitOptions<F> = {}): F {
  if (typeof f !== 'function') throw new TraceError(`jit: expected a function to compile, got ${describeValue(f)}`);
  if (typeof opts !== 'object' || opts === null) throw new TraceError(`jit: options must be an object, got ${describeValue(opts)}`);
  const isStatic = staticFlags('jit', opts.static as readonly number[] | undefined);
  const isDonated = staticFlags('jit', opts.donate as readonly number[] | undefined, 'donate');
  isDonated.forEach((d, i) => {
    if (d && isStatic[i]) throw new TraceError(`jit: argument ${i} is both static and donated; only tensor arguments can be donated`);
  });
  const state: State = { traces: 0, compiles: 0, hits: 0, unstaged: 0, entries: [] };
  let last: Entry | null = null;
  const call = f as unknown as (...args: unknown[]) => unknown;

  const run = (entry: Entry, inputs: readonly AnyTensor[]): unknown => {
    const outs = entry.exe(inputs as readonly ArrayTensor<Shape, DType>[]);
    // One tensor out (the common case): no tree to rebuild.
    if (entry.single) return outs[0];
    const { outIndex, plain } = entry;
    const leaves = new Array<unknown>(outIndex.length);
    for (let i = 0; i < outIndex.length; i++) {
      const k = outIndex[i]!;
      leaves[i] = k >= 0 ? outs[k] : plain[i];
    }
    return unflatten(entry.outDef, leaves);
  };

  const jitted = (...args: unknown[]): unknown => {
    // Hot path: the last signature, then the others.
    const inputs: AnyTensor[] = [];
    if (last !== null) {
      const m = matchCall(last.sig, args, inputs);
      if (m === 1) {
        state.hits++;
        return run(last, inputs);
      }
      if (m === -1) {
        state.unstaged++;
        return call(...args);
      }
      for (const entry of state.entries) {
        if (entry === last) continue;
        inputs.length = 0;
        if (matchCall(entry.sig, args, inputs) === 1) {
          state.hits++;
          last = entry;
          return run(entry, inputs);
        }
      }
    }
    const reading = readCall('jit', args, isStatic);
    if (reading === 'traced') {
      state.unstaged++;
      return call(...args);
    }
    let staged: StagedCall;
    try {
      staged = stageCall('jit', f, args, reading);
    } catch (e) {
      if (!(e instanceof ClosedOverTracer)) throw e;
      state.unstaged++;
      return call(...args);
    }
    state.traces++;
    const donate = donatedInputs(reading.sig, isDonated);
    const exe = compile(staged.program, donate === undefined ? {} : { donate });
    state.compiles++;
    const entry = makeEntry(reading.sig, exe, staged.outDef, staged.slots);
    state.entries.push(entry);
    last = entry;
    return run(entry, reading.inputs);
  };
  STATS.set(jitted, state);
  return jitted as unknown as F;
}

/** Per input of the program (tensor leaves in order): whether its argument is donated. */
function donatedInputs(sig: Signature, isDonated: readonly boolean[]): boolean[] | undefined {
  if (isDonated.length === 0) return undefined;
  const out: boolean[] = [];
  let leaf = 0;
  for (let i = 0; i < sig.arity; i++) {
    const def = sig.defs[i];
    if (def === null || def === undefined) continue;
    const n = countLeaves(def);
    for (let j = 0; j < n; j++) if (sig.leaves[leaf + j] instanceof Aval) out.push(isDonated[i] === true);
    leaf += n;
  }
  return out;
}

function countLeaves(def: Signature['defs'][number] & object): number {
  return def.kind === 'leaf' ? 1 : def.children.reduce((n, c) => n + countLeaves(c), 0);
}

/**
 * How often a jitted function staged, compiled and replayed its programs:
 * tests and users can see retracing.
 *
 * @example
 * ```ts
 * const f = jit((x: Tensor<[2]>) => mul(x, 2));
 * f(tensor([1, 2])); f(tensor([3, 4])); f(tensor([1, 2, 3]) as never);
 * jitStats(f).traces; // 2: the third call had a new shape
 * ```
 */
export function jitStats(jitted: (...args: never[]) => unknown): JitStats {
  const s = STATS.get(jitted);
  if (s === undefined) throw new TraceError('jitStats: the function was not made by jit');
  return { traces: s.traces, compiles: s.compiles, hits: s.hits, unstaged: s.unstaged, entries: s.entries.length };
}
