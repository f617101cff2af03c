import type { Shape } from '../shape/dim.js';
import type { DType, Storage, StorageOf } from './dtype.js';
import { TraceError, ValueError } from './errors.js';
import { describeValue } from './describe.js';
import { formatTensor } from './format.js';

/** The symbol Node's `util.inspect` looks up on objects. */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

declare const shapeTag: unique symbol;
declare const dtypeTag: unique symbol;

/** Nested arrays typed by a shape: `NestedArray<[2, 3]>` is `number[][]`. */
export type NestedArray<S, T = number> = S extends readonly [unknown, ...infer Rest]
  ? NestedArray<Rest, T>[]
  : S extends readonly []
    ? T
    : unknown;

/** The JavaScript value of one element of a dtype. */
export type ElementOf<D extends DType> = D extends 'bool' ? boolean : number;

/**
 * An immutable n-dimensional array whose shape `S` and dtype `D` live in its type.
 * Create tensors with `tensor`, `zeros`, `arange`, ...; read them back with
 * `toArray()`, `item()` or `toTypedArray()`. Nothing reachable from outside
 * mutates a tensor, and there is nothing to dispose.
 *
 * @example
 * ```ts
 * import { tensor } from 'typegrad';
 * const t = tensor([[1, 2, 3], [4, 5, 6]]);   // Tensor<[2, 3]>
 * t.shape;      // [2, 3]
 * t.toArray();  // [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export abstract class Tensor<S = Shape, D extends DType = 'float32'> {
  /** Phantom: carries the shape in the type (covariant). Never present at run time. */
  declare readonly [shapeTag]: S;
  /** Phantom: carries the dtype in the type. */
  declare readonly [dtypeTag]: D;
  /** The dims, outermost first. Frozen. */
  readonly shape: Readonly<S>;
  /** The element type. */
  readonly dtype: D;
  /** Number of elements. */
  readonly size: number;

  protected constructor(shape: readonly number[], dtype: D, size: number) {
    this.shape = frozenShape(shape) as unknown as Readonly<S>;
    this.dtype = dtype;
    this.size = size;
    // Each concrete class freezes its instances at the end of its constructor
    // (`t.shape = [100]` on 3 elements would make kernels read past the data).
    // Freezing there rides V8's cached map transitions; defining read-only
    // properties per instance here cost ~2 µs a tensor (10x the W5 step).
  }

  /** Number of dims. */
  get rank(): number {
    return (this.shape as unknown as readonly number[]).length;
  }

  /**
   * The concrete value behind this tensor (itself, or the primal inside a
   * tracer). `op` names the reader in the `TraceError` thrown where there is
   * no value (inside `jit`, values are abstract).
   */
  abstract concrete(op?: string): ArrayTensor<S, D>;

  /**
   * The elements as nested arrays typed by the shape.
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]: number[][]
   * ```
   */
  toArray(): NestedArray<S, ElementOf<D>> {
    const c = this.concrete('toArray');
    const data = storageOf(c);
    const shape = c.shape as unknown as readonly number[];
    const asValue = c.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    const build = (axis: number, offset: number, stride: number): unknown => {
      if (axis === shape.length) return asValue(data[offset]!);
      const n = shape[axis]!;
      const inner = stride / n;
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = build(axis + 1, offset + i * inner, inner);
      return out;
    };
    return build(0, 0, c.size) as NestedArray<S, ElementOf<D>>;
  }

  /**
   * The only element of a one-element tensor.
   * @example
   * ```ts
   * scalar(3).item(); // 3
   * ```
   */
  item(): ElementOf<D> {
    const c = this.concrete('item');
    if (c.size !== 1) {
      throw new ValueError(`item: tensor of shape [${(c.shape as unknown as readonly number[]).join(',')}] has ${c.size} elements, expected 1`);
    }
    const v = storageOf(c)[0]!;
    return (c.dtype === 'bool' ? v !== 0 : v) as ElementOf<D>;
  }

  /**
   * A copy of the elements in row-major order, as the dtype's typed array.
   * @example
   * ```ts
   * tensor([1, 2, 3]).toTypedArray(); // Float32Array [1, 2, 3]
   * ```
   */
  toTypedArray(): StorageOf[D] {
    return storageOf(this.concrete('toTypedArray')).slice() as StorageOf[D];
  }

  /**
   * The values as NumPy prints them, then the shape and dtype; big tensors
   * are summarised with `...` (see `core/format.ts`). A value that is not
   * known yet (inside `jit`) prints as its type, `Tensor<[2,3], float32>`.
   * @example
   * ```ts
   * String(tensor([[1, 2], [3, 4]]));
   * // 'Tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=float32)'
   * ```
   */
  toString(): string {
    const shape = this.shape as unknown as readonly number[];
    let c: ArrayTensor<S, D>;
    try {
      c = this.concrete('toString');
    } catch {
      return `Tensor<[${shape.join(',')}], ${this.dtype}>`;
    }
    return formatTensor(storageOf(c), shape, this.dtype);
  }

  /** Node's `util.inspect` and `console.log` print {@link Tensor.toString} (no `node:util` import needed). */
  [inspectCustom](): string {
    return this.toString();
  }
}

let readStorage: (t: ArrayTensor<Shape, DType>) => Storage;
let giveUp: (t: ArrayTensor<Shape, DType>) => void;

/**
 * A tensor that holds its elements. Its storage is private to the library:
 * only {@link storageOf} (internal) can read it, and nothing writes it after
 * construction.
 */
export class ArrayTensor<S = Shape, D extends DType = 'float32'> extends Tensor<S, D> {
  /** The elements; {@link DONATED_STORAGE} once a jitted call took them over (a private field: the freeze leaves it writable). */
  #data: Storage;

  /** @internal Use the creation functions instead. `shape` must be frozen and `data` owned. */
  constructor(data: Storage, shape: readonly number[], dtype: D) {
    super(shape, dtype, data.length);
    this.#data = data;
    Object.freeze(this);
  }

  concrete(): ArrayTensor<S, D> {
    return this;
  }

  static {
    readStorage = (t) => {
      const data = t.#data;
      if (data === DONATED_STORAGE) throw new TraceError(DONATED);
      return data;
    };
    giveUp = (t) => {
      t.#data = DONATED_STORAGE;
    };
  }
}

/**
 * The storage of a tensor whose elements a jitted call took over (`donate`):
 * reading it is an error, never stale or changed values. (A marker in the
 * tensor itself, not a set of donated tensors: every storage read checks it.)
 */
const DONATED_STORAGE: Storage = new Float32Array(0);
const DONATED = "jit: this tensor was donated to a jitted call (its `donate` option) and its buffer now holds that call's output; use the tensor the call returned";

/** @internal Marks `t` as given up to a jitted call that writes its storage in place. */
export function markDonated(t: ArrayTensor<unknown, DType>): void {
  giveUp(t as ArrayTensor<Shape, DType>);
}

/** @internal The storage of a concrete tensor. Kernels read it; nothing may write it. */
export function storageOf<D extends DType>(t: ArrayTensor<unknown, D>): StorageOf[D] {
  return readStorage(t as ArrayTensor<Shape, DType>) as StorageOf[D];
}

/** @internal Wraps freshly allocated storage; the caller gives up the array. */
export function fromStorage<S, D extends DType>(data: Storage, shape: readonly number[], dtype: D): ArrayTensor<S, D> {
  return new ArrayTensor<S, D>(data, frozenShape(shape), dtype);
}

const SCALAR_SHAPE: readonly number[] = Object.freeze([]);

/** A frozen copy of `shape` (the same array when it is frozen already; one shared `[]`). */
export function frozenShape(shape: readonly number[]): readonly number[] {
  if (shape.length === 0) return SCALAR_SHAPE;
  return Object.isFrozen(shape) ? shape : Object.freeze(shape.slice());
}

/** Any tensor, whatever its shape and dtype. */
export type AnyTensor = Tensor<Shape, DType>;

/** A tensor of rank 0. */
export type Scalar<D extends DType = 'float32'> = Tensor<[], D>;

/** @internal The dims of any tensor as a plain number array (no type-level shape). */
export function dimsOf(t: { readonly shape: unknown }): readonly number[] {
  const shape = (t as { readonly shape?: unknown } | null | undefined)?.shape;
  // Reached with a non-tensor only through a public function that did not check its argument.
  if (!Array.isArray(shape)) throw new ValueError(`expected a tensor, got ${describeValue(t)}`);
  return shape as readonly number[];
}
