/** Small helpers shared by the op tests. */
import { expect } from 'vitest';
import { tensor, type DType, type Tensor } from '../../src/index.js';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** The elements of a tensor as plain numbers. */
export const values = (t: { toTypedArray(): ArrayLike<number> }): number[] => Array.from(t.toTypedArray());

/** The number of elements of a shape. */
export const sizeOf = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** 0, 1, 2, ... (0/1 alternating for bool) in the given shape and dtype. */
export const iota = (shape: readonly number[], dtype: DType = 'float32'): Tensor<number[], DType> =>
  tensor(
    Array.from({ length: sizeOf(shape) }, (_, i) => (dtype === 'bool' ? i % 2 : i)),
    shape as number[],
    { dtype },
  );

/** Runs `f`, expects an instance of `cls` with exactly `message`. */
export function expectThrows(f: () => unknown, cls: abstract new (...args: never[]) => Error, message: string): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a throw').toBeInstanceOf(cls);
  expect((error as Error).message).toBe(message);
}
