/**
 * Creation functions. Shapes are inferred from literals: `zeros([2, 3])` is
 * `Tensor<[2, 3]>`, `tensor([[1, 2, 3], [4, 5, 6]])` is `Tensor<[2, 3]>`.
 */
import { allocate, checkDType, type DType, type StorageOf } from '../core/dtype.js';
import { describeValue } from '../core/describe.js';
import { DTypeError, ResourceError, ShapeError, ValueError, formatShape } from '../core/errors.js';
import { MAX_ELEMENTS, checkDims, checkElement, checkFinite, checkOptions, checkString, checkTensor } from '../core/validate.js';
import { type AnyTensor, type Tensor, fromStorage, dimsOf } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import type { IsNat } from '../shape/index.js';
import { numElements } from '../shape/index.js';

/** Nested arrays of numbers (or booleans) of any depth. */
export type NestedData = number | boolean | readonly NestedData[];

/** The shape of literal nested arrays: `[[1, 2, 3], [4, 5, 6]]` gives `[2, 3]`. */
export type ShapeOfData<T> = T extends readonly unknown[]
  ? number extends T['length']
    ? number[]
    : [T[number]] extends [never]
      ? [0]
      : [T['length'], ...ShapeOfData<T[number]>]
  : [];

/** `bool` for boolean data, the default dtype otherwise. */
type DataDType<T> = [T] extends [never]
  ? 'float32'
  : T extends boolean
  ? 'bool'
  : T extends readonly unknown[]
    ? number extends T['length']
      ? T extends readonly boolean[] | readonly (readonly boolean[])[]
        ? 'bool'
        : 'float32'
      : DataDType<T[number]>
    : 'float32';

/** Typed arrays accepted by `tensor(data, shape)`. */
export type FlatData = Float32Array | Float64Array | Int32Array | Uint8Array | readonly number[];

/** Options for the dtype of a new tensor. */
export interface DTypeOption<D extends DType> {
  readonly dtype?: D;
}

/** Checks a shape given at run time: non-negative integer dims, at most 2^31 - 1 elements. */
export function checkShape(op: string, shape: readonly unknown[]): number[] {
  return checkDims(checkString('checkShape', 'op', op), shape);
}

function inferShape(data: NestedData): number[] {
  const shape: number[] = [];
  let v: NestedData = data;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = (v as readonly NestedData[])[0]!;
  }
  return shape;
}

function fillFrom(op: string, data: NestedData, shape: readonly number[], out: StorageOf[DType], dtype: DType): void {
  let k = 0;
  const walk = (v: NestedData, axis: number): void => {
    if (axis === shape.length) {
      if (typeof v === 'number') out[k++] = checkElement(op, 'element', v, dtype);
      else if (typeof v === 'boolean') out[k++] = v ? 1 : 0;
      else if (Array.isArray(v)) throw new ShapeError(`${op}: ragged nested arrays: expected a number at depth ${axis}, got an array`);
      else throw new DTypeError(`${op}: elements must be numbers or booleans, got ${v == null ? String(v) : `${typeof v} ${describeValue(v)}`} at depth ${axis}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new ShapeError(
        `${op}: ragged nested arrays: expected length ${shape[axis]} at depth ${axis}, got ${Array.isArray(v) ? v.length : typeof v}`,
      );
    }
    for (const x of v as readonly NestedData[]) walk(x, axis + 1);
  };
  walk(data, 0);
}

function firstLeaf(data: NestedData): NestedData {
  let v = data;
  while (Array.isArray(v) && v.length > 0) v = (v as readonly NestedData[])[0]!;
  return v;
}

/**
 * A tensor from nested arrays (shape inferred, checked for raggedness), or
 * from flat data with an explicit shape.
 *
 * @example
 * ```ts
 * tensor([[1, 2, 3], [4, 5, 6]]);                 // Tensor<[2, 3]>
 * tensor(7);                                       // Tensor<[]>
 * tensor([1, 2], { dtype: 'int32' });              // Tensor<[2], 'int32'>
 * tensor(new Float32Array(6), [2, 3]);             // Tensor<[2, 3]>
 * ```
 */
export function tensor<const T extends NestedData, D extends DType = DataDType<T>>(
  data: T,
  opts?: DTypeOption<D>,
): Tensor<ShapeOfData<T>, NoInfer<D>>;
export function tensor<const S extends Shape, D extends DType = 'float32'>(
  data: FlatData,
  shape: S,
  opts?: DTypeOption<D>,
): Tensor<[...S], NoInfer<D>>;
export function tensor(data: unknown, shapeOrOpts?: unknown, maybeOpts?: DTypeOption<DType>): Tensor<Shape, DType> {
  // (NoInfer on D in the signatures: the dtype comes from the options, never from an annotation on the result.)
  if (ArrayBuffer.isView(data) || (Array.isArray(shapeOrOpts) && Array.isArray(data))) {
    const shape = checkShape('tensor', shapeOrOpts as readonly unknown[]);
    const flat = data as FlatData;
    const dtype = checkDType('tensor', maybeOpts?.dtype ?? (data instanceof Float64Array ? 'float64' : data instanceof Int32Array ? 'int32' : 'float32'));
    if (flat.length !== numElements(shape)) {
      throw new ShapeError(`tensor: ${flat.length} elements cannot become ${formatShape(shape)}`);
    }
    const out = allocate(dtype, flat.length);
    if (Array.isArray(flat) || dtype === 'bool' || (dtype === 'int32' && !(flat instanceof Int32Array || flat instanceof Uint8Array))) {
      for (let i = 0; i < flat.length; i++) out[i] = checkElement('tensor', `data[${i}]`, flat[i], dtype);
    } else out.set(flat as ArrayLike<number>);
    return fromStorage(out, shape, dtype);
  }
  const nested = data as NestedData;
  const opts = checkOptions<DTypeOption<DType>>('tensor', shapeOrOpts);
  if (typeof nested !== 'number' && typeof nested !== 'boolean' && !Array.isArray(nested)) {
    throw new ValueError(`tensor: data must be a number, a boolean, nested arrays of them or a typed array, got ${describeValue(nested)}`);
  }
  const shape = checkDims('tensor', inferShape(nested), 'data shape');
  const dtype = checkDType('tensor', opts?.dtype ?? (typeof firstLeaf(nested) === 'boolean' ? 'bool' : 'float32'));
  const out = allocate(dtype, numElements(shape));
  fillFrom('tensor', nested, shape, out, dtype);
  return fromStorage(out, shape, dtype);
}

/**
 * A rank-0 tensor.
 * @example
 * ```ts
 * scalar(3);                       // Tensor<[]>
 * scalar(3, { dtype: 'float64' }); // Tensor<[], 'float64'>
 * ```
 */
export function scalar<D extends DType = 'bool'>(value: boolean, opts?: DTypeOption<D>): Tensor<[], NoInfer<D>>;
export function scalar<D extends DType = 'float32'>(value: number, opts?: DTypeOption<D>): Tensor<[], NoInfer<D>>;
export function scalar(value: number | boolean, opts?: DTypeOption<DType>): Tensor<[], DType> {
  const dtype = checkDType('scalar', checkOptions<DTypeOption<DType>>('scalar', opts).dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'));
  const out = allocate(dtype, 1);
  out[0] = checkElement('scalar', 'value', value, dtype);
  return fromStorage<[], DType>(out, [], dtype);
}

/**
 * A tensor of `shape` filled with `value`.
 * @example
 * ```ts
 * full([2, 2], 7); // Tensor<[2, 2]>: [[7, 7], [7, 7]]
 * ```
 */
export function full<const S extends Shape, D extends DType = 'float32'>(shape: S, value: number, opts?: DTypeOption<D>): Tensor<[...S], NoInfer<D>> {
  return fullAs('full', shape, value, opts) as Tensor<[...S], NoInfer<D>>;
}

/** {@link full}, its errors naming `op` (`zeros`, `ones`). */
function fullAs(op: string, shape: unknown, value: number, opts: DTypeOption<DType> | undefined): AnyTensor {
  const dims = checkDims(op, shape);
  const dtype = checkDType(op, checkOptions<DTypeOption<DType>>(op, opts).dtype ?? 'float32');
  const v = checkElement(op, 'value', value, dtype);
  const out = allocate(dtype, numElements(dims));
  if (v !== 0) out.fill(v);
  return fromStorage(out, dims, dtype);
}

/**
 * Zeros of a shape.
 * @example
 * ```ts
 * zeros([2, 3]); // Tensor<[2, 3]>
 * ```
 */
export function zeros<const S extends Shape, D extends DType = 'float32'>(shape: S, opts?: DTypeOption<D>): Tensor<[...S], NoInfer<D>> {
  return fullAs('zeros', shape, 0, opts) as Tensor<[...S], NoInfer<D>>;
}

/**
 * Ones of a shape.
 * @example
 * ```ts
 * ones([3]); // Tensor<[3]>: [1, 1, 1]
 * ```
 */
export function ones<const S extends Shape, D extends DType = 'float32'>(shape: S, opts?: DTypeOption<D>): Tensor<[...S], NoInfer<D>> {
  return fullAs('ones', shape, 1, opts) as Tensor<[...S], NoInfer<D>>;
}

/**
 * Zeros with the shape and dtype of `x`.
 * @example
 * ```ts
 * zerosLike(tensor([1, 2])); // Tensor<[2]>: [0, 0]
 * ```
 */
export function zerosLike<S, D extends DType>(x: Tensor<S, D>): Tensor<S, D> {
  checkTensor('zerosLike', 'x', x);
  return full(dimsOf(x), 0, { dtype: x.dtype }) as unknown as Tensor<S, D>;
}

/**
 * Ones with the shape and dtype of `x`.
 * @example
 * ```ts
 * onesLike(tensor([1, 2])); // Tensor<[2]>: [1, 1]
 * ```
 */
export function onesLike<S, D extends DType>(x: Tensor<S, D>): Tensor<S, D> {
  checkTensor('onesLike', 'x', x);
  return full(dimsOf(x), 1, { dtype: x.dtype }) as unknown as Tensor<S, D>;
}

const finite = checkFinite;

/**
 * Evenly spaced values in [start, stop) with `step` (like `np.arange`). The
 * length is only known at run time, so the type is `Tensor<[number]>`;
 * `arange(n)` with a literal `n` is `Tensor<[n]>`.
 * @example
 * ```ts
 * arange(4);           // Tensor<[4]>: [0, 1, 2, 3]
 * arange(2.5);         // Tensor<[number]>: [0, 1, 2]
 * arange(1, 2, 0.25);  // Tensor<[number]>: [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange<const N extends number, D extends DType = 'float32'>(stop: N, opts?: DTypeOption<D>): Tensor<[IsNat<N> extends true ? N : number], NoInfer<D>>;
export function arange<D extends DType = 'float32'>(start: number, stop: number, step?: number, opts?: DTypeOption<D>): Tensor<[number], NoInfer<D>>;
export function arange(a: number, b?: unknown, c?: unknown, d?: unknown): Tensor<Shape, DType> {
  const twoArgs = typeof b === 'number';
  const start = twoArgs ? finite('arange', 'start', a) : 0;
  const stop = twoArgs ? finite('arange', 'stop', b) : finite('arange', 'stop', a);
  if (!twoArgs && b !== undefined && (typeof b !== 'object' || b === null)) throw new ValueError(`arange: stop must be a finite number, got ${describeValue(b)}`);
  const stepGiven = twoArgs && c !== undefined && !(typeof c === 'object' && c !== null);
  const step = stepGiven ? finite('arange', 'step', c) : 1;
  // The options are the 4th argument after (start, stop, step?) (or the 3rd without a step), the 2nd after (stop).
  const opts = checkOptions<DTypeOption<DType>>('arange', twoArgs ? (d ?? (stepGiven ? undefined : c)) : b);
  if (step === 0) throw new ValueError('arange: step must not be 0');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (n > MAX_ELEMENTS) throw new ResourceError(`arange: ${n} elements from ${start} to ${stop} by ${step} is more than a tensor may hold (2^31 - 1)`);
  const dtype = checkDType('arange', opts?.dtype ?? 'float32');
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++) out[i] = checkElement('arange', 'element', start + i * step, dtype);
  return fromStorage(out, [n], dtype);
}

/**
 * `num` evenly spaced values from `start` to `stop` inclusive.
 * @example
 * ```ts
 * linspace(0, 1, 5); // Tensor<[5]>: [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace<const N extends number, D extends DType = 'float32'>(start: number, stop: number, num: N, opts?: DTypeOption<D>): Tensor<[N], NoInfer<D>> {
  finite('linspace', 'start', start);
  finite('linspace', 'stop', stop);
  if (typeof num !== 'number' || !Number.isInteger(num) || num < 0) throw new ValueError(`linspace: num must be a non-negative integer, got ${describeValue(num)}`);
  if (num > MAX_ELEMENTS) throw new ResourceError(`linspace: num ${num} is more than a tensor may hold (2^31 - 1)`);
  const dtype = checkDType('linspace', checkOptions<DTypeOption<DType>>('linspace', opts).dtype ?? 'float32');
  const out = allocate(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) {
    const v = i === num - 1 && num > 1 ? stop : start + i * step;
    out[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
  }
  return fromStorage(out, [num], dtype as D);
}

/**
 * The identity matrix (or `n x m` with ones on the diagonal).
 * @example
 * ```ts
 * eye(3);    // Tensor<[3, 3]>
 * eye(2, 3); // Tensor<[2, 3]>
 * ```
 */
export function eye<const N extends number, const M extends number = N, D extends DType = 'float32'>(n: N, m?: M, opts?: DTypeOption<D>): Tensor<[N, M], NoInfer<D>> {
  const cols = (m ?? n) as number;
  const dims = checkShape('eye', [n, cols]);
  const dtype = checkDType('eye', checkOptions<DTypeOption<DType>>('eye', opts).dtype ?? 'float32');
  const out = allocate(dtype, n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) out[i * cols + i] = 1;
  return fromStorage(out, dims, dtype as D);
}
