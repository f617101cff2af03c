/**
 * Pure random numbers, the JAX way. A {@link Key} is an immutable value;
 * samplers read it and never change it, and `split` / `foldIn` derive new
 * keys. Every number comes from the counter-based Threefry-2x32 hash, so the
 * same key gives the same numbers on every run and machine.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const [kInit, kData] = random.split(random.key(0));
 * const w = random.normal(kInit, [3, 2], { std: 0.1 }); // Tensor<[3, 2], 'float32'>
 * const order = random.permutation(kData, 100);        // Tensor<[100], 'int32'>
 * ```
 */
export { key, split, foldIn, isKey, type Key, type KeyTuple } from './key.js';
export {
  uniform,
  normal,
  truncatedNormal,
  bernoulli,
  randint,
  type UniformOptions,
  type NormalOptions,
  type TruncatedNormalOptions,
} from './distributions.js';
export { permutation, shuffle } from './permutation.js';
export type { SizeOptions } from './checks.js';
