import type { Shape } from '../shape/dim.js';
import { type DType, isFloat } from './dtype.js';
import { TraceError, ValueError } from './errors.js';
import { describeValue } from './describe.js';
import type { Primitive } from './primitive.js';
import { type AnyTensor, ArrayTensor, Tensor, fromStorage, frozenShape, dimsOf } from './tensor.js';
import { numElements } from '../shape/index.js';
import { checkFinite } from './debug.js';

/**
 * One level of a transform (a `grad`, a `jvp`, ...). Interpreters process a
 * primitive applied to arguments, at least one of which is one of their
 * tracers. Levels nest: a trace started inside another gets a higher level,
 * so an inner `grad` treats the outer one's tracers as constants (no
 * perturbation confusion).
 */
export abstract class Trace {
  /** Nesting depth; higher levels are processed first. */
  readonly level: number;
  /** False once the transform that owns this trace has returned or thrown. */
  live = true;
  /** The transform's name, for error messages (`grad`, `jvp`). */
  readonly transform: string;
  /** 'forward' while the transformed function runs, 'backward' during a reverse pass. */
  phase: 'forward' | 'backward' = 'forward';

  constructor(level: number, transform: string) {
    this.level = level;
    this.transform = transform;
  }

  /** Applies `prim` to `args`; some args are this trace's tracers. */
  abstract process<P>(prim: Primitive<P>, args: readonly AnyTensor[], params: P): AnyTensor;
}

/** The shape and dtype of a value whose elements are not known (a value staged by `jit`). */
export interface AbstractValue {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * A value flowing through a transform: a tensor that wraps a primal value of
 * a lower level. An abstract tracer (a value staged by `jit`) has no primal:
 * it carries only a shape and a dtype, its `primal` is itself, and reading
 * its elements throws a `TraceError`.
 */
export abstract class Tracer<S = Shape, D extends DType = DType> extends Tensor<S, D> {
  readonly trace: Trace;
  readonly primal: AnyTensor;

  /**
   * `shape` is the shape the traced function sees; by default the primal's.
   * (A `vmap` tracer hides its batch axis: it sees one example.)
   */
  protected constructor(trace: Trace, primal: AnyTensor | AbstractValue, shape?: readonly number[]) {
    const known = primal instanceof Tensor;
    const seen = shape !== undefined ? frozenShape(shape) : known ? dimsOf(primal) : frozenShape(primal.shape);
    super(seen, primal.dtype as D, known && shape === undefined ? primal.size : numElements(seen));
    this.trace = trace;
    this.primal = known ? primal : (this as unknown as AnyTensor);
  }

  concrete(op?: string): ArrayTensor<S, D> {
    return this.primal.concrete(op) as unknown as ArrayTensor<S, D>;
  }

  /**
   * JS coercion (`t < 0`, `t + 1`, `if (t > x)`): a tensor has no JS number.
   * Inside `jit` it throws a `TraceError` (the value is abstract); elsewhere
   * it gives the descriptive string, as for any tensor.
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint !== 'string' && isAbstract(this as unknown as AnyTensor)) this.concrete(`a JS ${hint === 'number' ? 'comparison or arithmetic' : 'coercion'} (valueOf)`);
    return this.toString();
  }
}

/** True when `t` (or the value under its tracers) is abstract: staged by `jit`, with no elements to read. */
export function isAbstract(t: AnyTensor): boolean {
  let x: unknown = t;
  while (x instanceof Tracer) {
    if ((x.primal as unknown) === x) return true;
    x = x.primal;
  }
  return false;
}

const active: Trace[] = [];
let depth = 0;

checkFinite.describeLevel = () =>
  active.length === 0
    ? 'outside any transform'
    : `transform level ${active.length}: ${active.map((t) => `${t.transform}${t.phase === 'backward' ? ' (backward pass)' : ''}`).join(' > ')}`;

/**
 * Runs `body` with a new trace at the next level. The trace is closed when
 * `body` returns or throws, so no tracing state survives the call.
 */
export function withTrace<T extends Trace, R>(make: (level: number) => T, body: (trace: T) => R): R {
  const trace = make(++depth);
  active.push(trace);
  try {
    return body(trace);
  } finally {
    trace.live = false;
    active.pop();
    depth--;
  }
}

/** The current nesting depth of transforms (0 outside any). */
export function traceDepth(): number {
  return depth;
}

/**
 * Applies a primitive: dispatches to the highest-level trace among the
 * arguments, or evaluates the kernel when all arguments are concrete.
 */
export function bind<P>(prim: Primitive<P>, args: readonly AnyTensor[], params: P): AnyTensor {
  let top: Trace | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // The one door every primitive goes through: a non-tensor never reaches a kernel.
    if (!(a instanceof Tensor)) throw new ValueError(`${prim.name}: argument ${i + 1} must be a tensor, got ${describeValue(a)}`);
    if (a instanceof Tracer) {
      const t = a.trace;
      if (!t.live) {
        throw new TraceError(
          `${prim.name}: a tracer from a ${t.transform} that has already returned was used; ` +
            `values computed inside a transformed function must be returned, not stored outside it`,
        );
      }
      if (top === null || t.level > top.level) top = t;
    }
  }
  return top === null ? evaluate(prim, args as readonly ArrayTensor<Shape, DType>[], params) : top.process(prim, args, params);
}

/** Runs the kernel of a primitive on concrete tensors. */
export function evaluate<P>(prim: Primitive<P>, args: readonly ArrayTensor<Shape, DType>[], params: P): ArrayTensor<Shape, DType> {
  const n = args.length;
  const shapes = new Array<readonly number[]>(n);
  const dtypes = new Array<DType>(n);
  for (let i = 0; i < n; i++) {
    const a = args[i]!;
    shapes[i] = dimsOf(a);
    dtypes[i] = a.dtype;
  }
  const outShape = prim.shape(shapes, params);
  const outDType = prim.dtype(dtypes, params);
  const data = prim.kernel(args, params, outShape, outDType);
  const out = fromStorage<Shape, DType>(data, outShape, outDType);
  if (checkFinite.enabled && isFloat(outDType)) checkFinite.check(prim.name, out);
  return out;
}
