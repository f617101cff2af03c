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

/**
 * @internal The error context of a public function. A `TypegradError` thrown
 * by something it called (a primitive, a shared helper) names that callee,
 * or nothing (`expected a tensor, got 5`); in the public function's `catch`,
 * `throw inOp('softplus', e)` puts the public name in front
 * (`softplus: astype: argument 1 must be a tensor, got 5`), so the message
 * names the function the user called. A message that already starts with
 * the name (or its last segment: `softmax` for `nn.softmax`) is left as it
 * is, and anything else (a user callback's own error) passes untouched. It
 * runs only when something was thrown: a `try` costs nothing on the way
 * through.
 */
export function inOp(op: string, e: unknown): unknown {
  if (!(e instanceof TypegradError)) return e;
  const short = op.slice(op.lastIndexOf('.') + 1);
  if (startsWithName(e.message, op) || startsWithName(e.message, short)) return e;
  const before = `${e.name}: ${e.message}`;
  e.message = `${op}: ${e.message}`;
  // The stack was rendered with the old message; keep its first line in step, as Node prints it.
  if (typeof e.stack === 'string' && e.stack.startsWith(before)) e.stack = `${e.name}: ${e.message}${e.stack.slice(before.length)}`;
  return e;
}

function startsWithName(message: string, name: string): boolean {
  if (!message.startsWith(name)) return false;
  const next = message[name.length];
  return next === ':' || next === '(' || next === ' ' || next === undefined;
}
