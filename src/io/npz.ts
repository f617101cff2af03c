/**
 * NumPy's `.npz`: a zip archive of `.npy` files, one per array, named
 * `<key>.npy`. `np.savez` stores them, `np.savez_compressed` deflates them;
 * both read here, with no `node:` import (the inflater is our own).
 */
import { FormatError } from './errors.js';
import type { RawArray } from './dtypes.js';
import { parseNpy, serializeNpy, type NpyOptions } from './npy.js';
import { readZip, writeZip, type WriteZipOptions } from './zip.js';
import { checkBytes, checkOptions } from '../core/validate.js';
import { checkEntries } from './raw.js';

/**
 * Options of {@link parseNpz}.
 *
 * @example
 * ```ts
 * io.parseNpz(bytes, { name: 'data.npz', maxBytes: 1e9 });
 * ```
 */
export interface NpzOptions extends NpyOptions {
  /** The most bytes all arrays may take together; default 2^31 - 1. */
  readonly maxBytes?: number;
}

/**
 * Parses a `.npz` archive into raw arrays keyed by name (without `.npy`).
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * const arrays = io.parseNpz(io.toNpz({ x: tensor([1, 2]) }));
 * arrays.get('x')?.shape; // [2]
 * ```
 */
export function parseNpz(bytes: Uint8Array, options: NpzOptions = {}): Map<string, RawArray> {
  checkBytes('io.parseNpz', 'bytes', bytes);
  options = checkOptions('io.parseNpz', options);
  const file = options.name ?? '<bytes>';
  const entries = readZip(bytes, { name: file, format: 'npz', ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }) });
  const out = new Map<string, RawArray>();
  for (const [entry, content] of entries) {
    if (!entry.endsWith('.npy')) throw new FormatError('npz', file, `entry ${JSON.stringify(entry)} is not a .npy file`);
    out.set(entry.slice(0, -4), parseNpy(content, { ...options, name: `${file}/${entry}` }));
  }
  return out;
}

/**
 * Writes raw arrays as a `.npz` archive (stored, or deflated with
 * `options.deflate`, e.g. `node:zlib`'s `deflateRawSync`).
 *
 * @example
 * ```ts
 * import { io } from 'typegrad';
 * const bytes = io.serializeNpz(new Map([['x', { dtype: 'U8', shape: [1], bytes: new Uint8Array([1]) }]]));
 * ```
 */
export function serializeNpz(arrays: Iterable<readonly [string, RawArray]>, options: WriteZipOptions = {}): Uint8Array {
  arrays = checkEntries('io.serializeNpz', arrays);
  options = checkOptions('io.serializeNpz', options);
  return writeZip(
    [...arrays].map(([k, a]) => [`${k}.npy`, serializeNpy(a)] as const),
    options,
  );
}
