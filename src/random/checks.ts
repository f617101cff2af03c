/** Argument checks shared by the samplers. Every message starts with the op. */
import type { FloatDType } from '../core/dtype.js';
import { describeValue } from '../core/describe.js';
import { DTypeError, ResourceError, ShapeError, ValueError, formatShape } from '../core/errors.js';

/** @internal A printable form of a bad argument for error messages. */
export const describe = describeValue;

/** Most elements one call may draw: two uint32 counters per element must stay below 2^32. */
const MAX_SIZE = 2 ** 31 - 1;

/**
 * @internal Checks a shape from plain JavaScript: an array of non-negative
 * integers. Returns a frozen copy of the dims and the element count.
 */
export function checkShape(op: string, shape: unknown): { dims: readonly number[]; size: number } {
  if (!Array.isArray(shape)) throw new ShapeError(`${op}: shape must be an array of dims, got ${describe(shape)}`);
  let size = 1;
  for (const d of shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isFinite(d)) {
      throw new ShapeError(`${op}: shape ${describe(shape)} has a dim that is not a finite number`);
    }
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${op}: shape ${formatShape(shape)} has a negative or fractional dim`);
    size *= d;
  }
  if (size > MAX_SIZE) throw new ShapeError(`${op}: shape ${formatShape(shape)} has ${size} elements, more than 2^31 - 1`);
  return { dims: Object.freeze((shape as number[]).slice()), size };
}

/** @internal Checks an optional float dtype option (float32 by default). */
export function checkFloatDType(op: string, dtype: unknown): FloatDType {
  if (dtype === undefined || dtype === 'float32') return 'float32';
  if (dtype === 'float64') return 'float64';
  throw new DTypeError(`${op}: dtype ${describe(dtype)} is not supported: expected float32 or float64`);
}

/** @internal Checks a finite number argument. */
export function checkFinite(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${op}: ${name} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

const f32 = new Float32Array(1);
const f32Bits = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigInt64Array(f64.buffer);

/** The neighbouring value of `v` in the dtype, one step up (`dir` 1) or down (-1). */
function step(dtype: FloatDType, v: number, dir: 1 | -1): number {
  if (v === 0) return dir * (dtype === 'float32' ? 2 ** -149 : Number.MIN_VALUE);
  // IEEE floats are sign-magnitude: away from zero is +1 on the bits.
  const away = Math.sign(v) === dir ? 1 : -1;
  if (dtype === 'float32') {
    f32[0] = v;
    f32Bits[0] += away;
    return f32[0]!;
  }
  f64[0] = v;
  f64Bits[0] += BigInt(away);
  return f64[0]!;
}

/** @internal `v` rounded to the dtype. */
export function roundTo(dtype: FloatDType, v: number): number {
  return dtype === 'float32' ? Math.fround(v) : v;
}

/** @internal The smallest value of the dtype that is >= v. */
export function atLeast(dtype: FloatDType, v: number): number {
  const r = roundTo(dtype, v);
  return r < v ? step(dtype, r, 1) : r;
}

/** @internal The largest value of the dtype that is <= v. */
export function atMost(dtype: FloatDType, v: number): number {
  const r = roundTo(dtype, v);
  return r > v ? step(dtype, r, -1) : r;
}

/** @internal The largest value of the dtype that is < v. */
export function below(dtype: FloatDType, v: number): number {
  const r = roundTo(dtype, v);
  return r >= v ? step(dtype, r, -1) : r;
}

/**
 * An option that raises a size limit checked before allocating.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * random.permutation(random.key(0), 10, { maxSize: 2 ** 28 });
 * ```
 */
export interface SizeOptions {
  /** The most elements (or keys) the call may make. */
  readonly maxSize?: number;
}

/** @internal Throws a ResourceError when `n` is over `options.maxSize` (default `fallback`). */
export function checkMaxSize(op: string, what: string, n: number, options: SizeOptions | undefined, fallback: number): void {
  if (typeof options !== 'object' || options === null) throw new ValueError(`${op}: options must be an object, got ${describe(options)}`);
  const max = options.maxSize ?? fallback;
  if (typeof max !== 'number' || !(max >= 0)) throw new ValueError(`${op}: maxSize must be a non-negative number, got ${describe(max)}`);
  if (n > max) {
    throw new ResourceError(`${op}: ${what} ${n} is more than maxSize (${max}); pass { maxSize } to raise the limit`);
  }
}
