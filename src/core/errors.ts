/**
 * Named error classes. Every message starts with the op that failed and names
 * the offending shapes or values, in the same words as the compile-time
 * messages where the type checker can see the mistake.
 *
 * @example
 * ```ts
 * import { add, zeros, ShapeError } from 'typegrad';
 * try { add(zeros([2, 3]), zeros([4]) as never); } catch (e) { e instanceof ShapeError; } // true
 * ```
 */
export class TypegradError extends Error {
  override name = 'TypegradError';
}

/** Shapes that do not fit the op's shape rule: `matmul: inner dimensions differ: [2,3] x [4,5]`. */
export class ShapeError extends TypegradError {
  override name = 'ShapeError';
}

/** A dtype the op does not accept: `grad: cannot differentiate with respect to int32 input`. */
export class DTypeError extends TypegradError {
  override name = 'DTypeError';
}

/** An axis outside the rank of the tensor: `sum: axis 2 is out of range for rank 2`. */
export class AxisError extends TypegradError {
  override name = 'AxisError';
}

/** A value out of the op's domain (a negative size, a non-finite learning rate, an empty max). */
export class ValueError extends TypegradError {
  override name = 'ValueError';
}

/** Two parameter trees whose structures differ; the message names the path (`params.layers[1].b`). */
export class TreeError extends TypegradError {
  override name = 'TreeError';
}

/** Misuse of a transform: a tracer that escaped its `grad`, a non-scalar loss, NaN in debug mode. */
export class TraceError extends TypegradError {
  override name = 'TraceError';
}

/**
 * A size over a limit that is checked before allocating: more elements,
 * bytes, keys or worker threads than the op allows. The message names the
 * option that raises the limit, where there is one.
 */
export class ResourceError extends TypegradError {
  override name = 'ResourceError';
}

/** Formats a shape the way every message prints it: `[2,3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
