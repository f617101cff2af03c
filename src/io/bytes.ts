/**
 * Tensors to file bytes and back, for safetensors and `.npy`, with no file
 * system: these run anywhere a `Uint8Array` does. File-system functions
 * (`io.save`, `io.load`) live in `fs.ts`.
 */
import type { AnyTensor } from '../core/tensor.js';
import { parseNpy, serializeNpy, type NpyOptions } from './npy.js';
import { rawToTensor, tensorView } from './raw.js';
import { parseSafetensors, serializeSafetensors, type NameOption } from './safetensors.js';
import { treeToRecord } from './paths.js';
import { parseNpz, serializeNpz, type NpzOptions } from './npz.js';
import type { WriteZipOptions } from './zip.js';
import { checkBytes, checkOptions } from '../core/validate.js';
import { checkMetadata } from './safetensors.js';

/**
 * `transfer: true` gives the input bytes to the result: tensors may use
 * that memory in place instead of copying it (the bytes must then never be
 * written again). Default false: every tensor gets its own copy.
 *
 *
 * @example
 * ```ts
 * const t = io.fromNpy(bytesIWillNotTouchAgain, { transfer: true }); // no copy
 * ```
 */
export interface TransferOption {
  readonly transfer?: boolean;
}

/**
 * Tensors by name and the string metadata of a safetensors file.
 *
 * @example
 * ```ts
 * const { tensors, metadata }: io.TensorFile = io.fromSafetensors(bytes);
 * ```
 */
export interface TensorFile {
  readonly tensors: Map<string, AnyTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Reads a safetensors file into tensors (with the conversions of
 * `io.FileDType`: F16 -> float32, I64 -> int32 range-checked, ...).
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * const { tensors } = io.fromSafetensors(io.toSafetensors({ w: tensor([1, 2]) }));
 * tensors.get('w')?.toArray(); // [1, 2]
 * ```
 */
export function fromSafetensors(bytes: Uint8Array, options: NameOption & TransferOption = {}): TensorFile {
  checkBytes('io.fromSafetensors', 'bytes', bytes);
  options = checkOptions('io.fromSafetensors', options);
  const file = options.name ?? '<bytes>';
  const { tensors, metadata } = parseSafetensors(bytes, options);
  const out = new Map<string, AnyTensor>();
  for (const [name, raw] of tensors) out.set(name, rawToTensor(raw, `safetensors: ${file}: tensor ${JSON.stringify(name)}`, options.transfer === true));
  return { tensors: out, metadata };
}

/**
 * Writes a tree (or a `Map`) of tensors as a safetensors file; tree leaves
 * are named by dotted path (`layers.0.w`).
 *
 * @example
 * ```ts
 * import { io, zeros } from 'typegrad';
 * const bytes = io.toSafetensors({ layers: [{ w: zeros([2, 3]) }] }, { epoch: '3' }); // Uint8Array, key 'layers.0.w'
 * ```
 */
export function toSafetensors(tree: unknown, metadata?: Readonly<Record<string, string>>): Uint8Array {
  checkMetadata('io.toSafetensors', metadata);
  const record = tree instanceof Map ? (tree as Map<string, AnyTensor>) : treeToRecord(tree, 'io.toSafetensors');
  return serializeSafetensors([...record].map(([k, t]) => [k, tensorView(t)] as const), metadata);
}

/**
 * Reads a `.npy` file into a tensor (converting as `io.FileDType` says).
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * io.fromNpy(io.toNpy(tensor([[1, 2]]))).shape; // [1, 2]
 * ```
 */
export function fromNpy(bytes: Uint8Array, options: NpyOptions & TransferOption = {}): AnyTensor {
  checkBytes('io.fromNpy', 'bytes', bytes);
  options = checkOptions('io.fromNpy', options);
  return rawToTensor(parseNpy(bytes, options), `npy: ${options.name ?? '<bytes>'}`, options.transfer === true);
}

/**
 * Writes a tensor as a `.npy` file (`<f4`, `<f8`, `<i4` or `|b1`).
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * const bytes = io.toNpy(tensor([1, 2, 3])); // np.load reads it as float32 [1, 2, 3]
 * ```
 */
export function toNpy(t: AnyTensor): Uint8Array {
  return serializeNpy(tensorView(t, 'io.toNpy'));
}

/**
 * Reads a `.npz` archive (stored or deflated) into tensors by name.
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * io.fromNpz(io.toNpz({ x: tensor([1, 2]) })).get('x')?.toArray(); // [1, 2]
 * ```
 */
export function fromNpz(bytes: Uint8Array, options: NpzOptions & TransferOption = {}): Map<string, AnyTensor> {
  checkBytes('io.fromNpz', 'bytes', bytes);
  options = checkOptions('io.fromNpz', options);
  const file = options.name ?? '<bytes>';
  const out = new Map<string, AnyTensor>();
  for (const [k, raw] of parseNpz(bytes, options)) out.set(k, rawToTensor(raw, `npz: ${file}: array ${JSON.stringify(k)}`, options.transfer === true));
  return out;
}

/**
 * Writes a tree (or a `Map`) of tensors as a `.npz` archive, one `.npy`
 * entry per dotted path; `np.load(path)['layers.0.w']` reads it back.
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * const bytes = io.toNpz({ x: tensor([1, 2]) });
 * ```
 */
export function toNpz(tree: unknown, options: WriteZipOptions = {}): Uint8Array {
  options = checkOptions('io.toNpz', options);
  const record = tree instanceof Map ? (tree as Map<string, AnyTensor>) : treeToRecord(tree, 'io.toNpz');
  return serializeNpz(
    [...record].map(([k, t]) => [k, tensorView(t)] as const),
    options,
  );
}
