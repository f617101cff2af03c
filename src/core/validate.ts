/**
 * The argument checks of the public boundary. Each names the function and
 * shows the bad value (`full: value must be a number, got "a"`), and throws a
 * `TypegradError` subclass; nothing is coerced. Ops call these on entry, so
 * a bad argument never reaches a kernel as a raw `TypeError` or `RangeError`.
 */
import { describeValue } from './describe.js';
import type { DType } from './dtype.js';
import { DTypeError, ResourceError, ShapeError, ValueError, formatShape } from './errors.js';
import { Tensor } from './tensor.js';

/** The most elements one tensor may hold (the longest typed array we promise to allocate). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Range of each dtype's elements as stored exactly (int32 wraps; so refuse instead). */
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** @internal Throws unless `x` is a tensor. */
export function checkTensor(op: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${name} must be a tensor, got ${describeValue(x)}`);
  return x;
}

/** @internal Throws unless `v` is a number that `dtype` holds exactly (any number for floats, NaN/∞ included). */
export function checkElement(op: string, name: string, v: unknown, dtype: DType): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'number') throw new ValueError(`${op}: ${name} must be a number${dtype === 'bool' ? ' or boolean' : ''}, got ${describeValue(v)}`);
  // int32 storage truncates toward zero (like astype); NaN, ±∞ and values
  // out of range would wrap or become 0, so they are refused.
  if (dtype === 'int32' && !(Number.isFinite(v) && Math.trunc(v) >= INT32_MIN && Math.trunc(v) <= INT32_MAX)) {
    throw new ValueError(`${op}: ${name} ${describeValue(v)} does not fit int32 (an integer in [-2^31, 2^31 - 1])`);
  }
  return dtype === 'bool' ? (v !== 0 ? 1 : 0) : v;
}

/** @internal Throws unless `v` is a finite number. */
export function checkFinite(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${describeValue(v)}`);
  return v;
}

/** @internal Throws unless `v` is an integer in [min, max]. */
export function checkInteger(op: string, name: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ValueError(`${op}: ${name} must be an integer in [${min}, ${max}], got ${describeValue(v)}`);
  }
  return v;
}

/**
 * @internal A shape from plain JavaScript: an array of non-negative integer
 * dims whose product is at most {@link MAX_ELEMENTS}. Returns a copy.
 */
export function checkDims(op: string, shape: unknown, name = 'shape'): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: ${name} must be an array of dims, got ${describeValue(shape)}`);
  let size = 1;
  for (const d of shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: ${name} ${describeValue(shape)} has a dim that is not a non-negative integer (${describeValue(d)})`);
    }
    size *= d;
  }
  if (size > MAX_ELEMENTS) {
    throw new ResourceError(`${op}: ${name} ${formatShape(shape as number[])} has ${size} elements, more than a tensor may hold (2^31 - 1)`);
  }
  return (shape as number[]).slice();
}

/** @internal Throws unless `v` is a plain object or undefined (an options argument). */
export function checkOptions<T extends object>(op: string, v: unknown): Partial<T> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Tensor) throw new ValueError(`${op}: options must be an object, got ${describeValue(v)}`);
  return v as Partial<T>;
}

/** @internal A DTypeError for a dtype the op does not take. */
export function dtypeError(op: string, what: string, dtype: DType, allowed: string): DTypeError {
  return new DTypeError(`${op}: ${what} has dtype ${dtype}; expected ${allowed}`);
}

/** @internal Throws unless `v` is a function (a callback, a loss, an objective). */
export function checkFunction<F extends (...args: never[]) => unknown>(op: string, name: string, v: unknown): F {
  if (typeof v !== 'function') throw new ValueError(`${op}: ${name} must be a function, got ${describeValue(v)}`);
  return v as F;
}

/** @internal Throws unless `v` is a string (non-empty when `nonEmpty`). */
export function checkString(op: string, name: string, v: unknown, nonEmpty = false): string {
  if (typeof v !== 'string' || (nonEmpty && v === '')) {
    throw new ValueError(`${op}: ${name} must be a${nonEmpty ? ' non-empty' : ''} string, got ${describeValue(v)}`);
  }
  return v;
}

/** @internal Throws unless `v` is an array. */
export function checkArray<T = unknown>(op: string, name: string, v: unknown): readonly T[] {
  if (!Array.isArray(v)) throw new ValueError(`${op}: ${name} must be an array, got ${describeValue(v)}`);
  return v as readonly T[];
}

/** @internal Throws unless `v` is an object (not null, not an array, not a tensor). */
export function checkObject<T extends object = Record<string, unknown>>(op: string, name: string, v: unknown): T {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Tensor) {
    throw new ValueError(`${op}: ${name} must be an object, got ${describeValue(v)}`);
  }
  return v as T;
}

/** @internal Throws unless `v` is iterable (an array, a generator, a Set...) and not a string. */
export function checkIterable<T = unknown>(op: string, name: string, v: unknown): Iterable<T> {
  if (typeof v !== 'object' || v === null || typeof (v as Partial<Iterable<T>>)[Symbol.iterator] !== 'function') {
    throw new ValueError(`${op}: ${name} must be iterable, got ${describeValue(v)}`);
  }
  return v as Iterable<T>;
}

/** @internal Throws unless `v` is an async iterable, or a sync one when `orSync`. */
export function checkAsyncIterable<T = unknown>(op: string, name: string, v: unknown, orSync = false): AsyncIterable<T> | Iterable<T> {
  const ok =
    typeof v === 'object' &&
    v !== null &&
    (typeof (v as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function' ||
      (orSync && typeof (v as Partial<Iterable<T>>)[Symbol.iterator] === 'function'));
  if (!ok) throw new ValueError(`${op}: ${name} must be ${orSync ? 'an iterable or ' : ''}an async iterable, got ${describeValue(v)}`);
  return v as AsyncIterable<T> | Iterable<T>;
}

/** @internal Throws unless `v` is a Uint8Array (the bytes of a file). */
export function checkBytes(op: string, name: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new ValueError(`${op}: ${name} must be a Uint8Array of bytes, got ${describeValue(v)}`);
  return v;
}

/** @internal Throws unless `v` is one of `allowed` (compared with `===`). */
export function checkOneOf<T>(op: string, name: string, v: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) {
    throw new ValueError(`${op}: ${name} must be one of ${allowed.map((a) => describeValue(a)).join(', ')}, got ${describeValue(v)}`);
  }
  return v as T;
}

/** @internal Throws unless `v` is a number (NaN and the infinities included; a BigInt is not). */
export function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number') throw new ValueError(`${op}: ${name} must be a number, got ${describeValue(v)}`);
  return v;
}
