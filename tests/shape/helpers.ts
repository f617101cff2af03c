import fc from 'fast-check';
import { expect } from 'vitest';

/** Runs `f`, expects it to throw an instance of `cls`, and returns the message. */
export function messageOf(f: () => unknown, cls: abstract new (...args: never[]) => Error): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    return (e as Error).message;
  }
  throw new Error('expected a throw, got none');
}

/** The thrown message, or the result when nothing was thrown. */
export function outcome<T>(f: () => T): { ok: T } | { error: string } {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Small shapes: rank 0..4, dims 0..5. */
export const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 });
/** Small shapes without zero dims. */
export const posShapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 4 });
