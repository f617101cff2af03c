/**
 * Saving and loading files (Node only): the format follows the extension,
 * `.safetensors`, `.npz` or `.npy`. Files are written atomically
 * (`atomic.ts`) and read with the strict parsers.
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { ValueError } from '../core/errors.js';
import type { AnyTensor } from '../core/tensor.js';
import { fromNpy, fromNpz, fromSafetensors, toNpz, toSafetensors } from './bytes.js';
import { npyChunks } from './npy.js';
import { tensorView } from './raw.js';
import { writeFileAtomic } from './atomic.js';
import { parseSafetensors, safetensorsChunks } from './safetensors.js';
import { recordToTree, treeToRecord, type TemplateOptions } from './paths.js';
import type { Loaded } from './spec.js';
import { fromTorchStateDict, toTorchStateDict, type TorchOptions } from './torch.js';
import { checkOptions } from '../core/validate.js';

type Format = 'safetensors' | 'npz' | 'npy';

function formatOf(op: string, path: string): Format {
  if (typeof path !== 'string') throw new ValueError(`${op}: path must be a string, got ${typeof path}`);
  if (path.endsWith('.safetensors')) return 'safetensors';
  if (path.endsWith('.npz')) return 'npz';
  if (path.endsWith('.npy')) return 'npy';
  throw new ValueError(`${op}: ${path}: unknown extension; use .safetensors, .npz or .npy`);
}

/**
 * Options of {@link save}.
 *
 * @example
 * ```ts
 * io.save('data.npz', { x, y }, { compress: true });
 * ```
 */
export interface SaveOptions {
  /** String metadata (safetensors only). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Deflate the entries of a `.npz` (as `np.savez_compressed`); default false. */
  readonly compress?: boolean;
}

/**
 * Saves a tree of tensors: `.safetensors` and `.npz` keys are dotted paths
 * (`layers.0.w`); a `.npy` holds one tensor. The write is atomic.
 *
 * @example
 * ```ts
 * import { nn, random } from 'typegrad';
 * import { io } from 'typegrad/node';
 * const params = nn.mlp([784, 128, 10]).init(random.key(0));
 * io.save('model.safetensors', params, { metadata: { epochs: '8' } });
 * ```
 */
export function save(path: string, tree: unknown, options: SaveOptions = {}): void {
  checkOptions('io.save', options);
  const format = formatOf('io.save', path);
  let bytes: Uint8Array | Uint8Array[];
  // Safetensors and .npy data are written straight from the tensors' storage, without a copy.
  if (format === 'safetensors') bytes = safetensorsChunks([...treeToRecord(tree, 'io.save')].map(([k, t]) => [k, tensorView(t)] as const), options.metadata);
  else if (format === 'npz') bytes = toNpz(treeToRecord(tree, 'io.save'), options.compress === true ? { deflate: (d) => new Uint8Array(deflateRawSync(d)) } : {});
  else {
    const record = treeToRecord(tree, 'io.save');
    const only = record.get('');
    if (record.size !== 1 || only === undefined) throw new ValueError(`io.save: ${path}: a .npy file holds one tensor, got a tree of ${record.size}; use .safetensors or .npz`);
    bytes = npyChunks(tensorView(only));
  }
  writeFileAtomic(path, bytes);
}

/**
 * Every tensor in a file, by name (dotted paths for files from `save`; the
 * one tensor of a `.npy` has the name `''`). For exploration: `load` with a
 * template gives typed trees.
 *
 * @example
 * ```ts
 * import { io } from 'typegrad/node';
 * const all = io.loadAll('model.safetensors');
 * Object.keys(all); // ['0.b', '0.w', '2.b', '2.w']
 * ```
 */
export function loadAll(path: string): Record<string, AnyTensor> {
  const out = Object.create(null) as Record<string, AnyTensor>;
  for (const [k, t] of readRecord('io.loadAll', path)) out[k] = t;
  return out;
}

/**
 * The string metadata of a safetensors file.
 *
 * @example
 * ```ts
 * import { io } from 'typegrad/node';
 * io.loadMetadata('model.safetensors'); // { epochs: '8' }
 * ```
 */
export function loadMetadata(path: string): Record<string, string> {
  return { ...parseSafetensors(readFile('io.loadMetadata', path), { name: path }).metadata };
}

/**
 * Loads a file into the tree `like` describes, with exactly its type:
 * every path must be in the file with the template's shape and dtype (a
 * `ShapeError` or `DTypeError` names the path and both shapes or dtypes),
 * and the file may hold nothing else unless `allowExtra`. Leaves of `like`
 * are tensors (only their shape and dtype are read) or `io.spec(shape, dtype)`.
 *
 * @example
 * ```ts
 * import { nn, random } from 'typegrad';
 * import { io } from 'typegrad/node';
 * const model = nn.mlp([784, 128, 10]);
 * const params = io.load('model.safetensors', model.init(random.key(0))); // typeof params
 * const w = io.load('w.npy', io.spec([784, 128]));                        // Tensor<[784, 128]>
 * ```
 */
export function load<T>(path: string, like: T, options: TemplateOptions = {}): Loaded<T> {
  checkOptions('io.load', options);
  return recordToTree(readRecord('io.load', path), like, options, `io.load: ${path}`);
}

function readFile(op: string, path: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new ValueError(`${op}: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

function readRecord(op: string, path: string): Map<string, AnyTensor> {
  const format = formatOf(op, path);
  const bytes = readFile(op, path);
  // The file's bytes are ours alone, so the tensors may live in them without a copy.
  if (format === 'safetensors') return fromSafetensors(bytes, { name: path, transfer: true }).tensors;
  if (format === 'npz') return fromNpz(bytes, { name: path, transfer: true });
  return new Map([['', fromNpy(bytes, { name: path, transfer: true })]]);
}

/**
 * Saves a parameter tree as a PyTorch state dict in a safetensors file
 * (names and layouts of `io.toTorchStateDict`; metadata `format: pt`), which
 * `safetensors.torch.load_file` (or the bytes read by hand) gives to
 * `model.load_state_dict`.
 *
 * @example
 * ```ts
 * import { io } from 'typegrad/node';
 * io.saveTorch('model.safetensors', params, { prefix: 'linear.' }); // linear.weight [1, 30], linear.bias [1]
 * ```
 */
export function saveTorch(path: string, params: unknown, options: TorchOptions & { metadata?: Readonly<Record<string, string>> } = {}): void {
  checkOptions('io.saveTorch', options);
  writeFileAtomic(path, toSafetensors(toTorchStateDict(params, options), { format: 'pt', ...options.metadata }));
}

/**
 * Loads a PyTorch state dict saved as safetensors into the tree `like`
 * describes (names and layouts of `io.fromTorchStateDict`).
 *
 * @example
 * ```ts
 * import { nn, random } from 'typegrad';
 * import { io } from 'typegrad/node';
 * const params = io.loadTorch('torch-mlp.safetensors', nn.sequential(nn.linear(3, 4), nn.relu, nn.linear(4, 2)).init(random.key(0)));
 * ```
 */
export function loadTorch<T>(path: string, like: T, options: TorchOptions = {}): Loaded<T> {
  checkOptions('io.loadTorch', options);
  const bytes = readFile('io.loadTorch', path);
  return fromTorchStateDict(fromSafetensors(bytes, { name: path, transfer: true }).tensors, like, options);
}
