/**
 * Reading and writing tensors: safetensors, NumPy `.npy` and `.npz`, typed
 * loading through a template tree, and (in `fs.ts`) saving and loading files.
 *
 * @example
 * ```ts
 * import { io, nn, random } from 'typegrad';
 * const params = nn.mlp([4, 8, 2]).init(random.key(0));
 * const bytes = io.toSafetensors(params);                       // keys 0.b, 0.w, 1.b, 1.w
 * const back = io.recordToTree(io.fromSafetensors(bytes).tensors, params); // typeof params
 * ```
 *
 * @module
 */
export { type FileDType, type RawArray, ITEMSIZE, TARGET, halfToNumber } from './dtypes.js';
export { rawToTensor, tensorToRaw } from './raw.js';
export { parseSafetensors, serializeSafetensors, MAX_SAFETENSORS_HEADER, type SafetensorsContents, type NameOption } from './safetensors.js';
export { parseNpy, serializeNpy, type NpyOptions } from './npy.js';
export { parseNpz, serializeNpz, type NpzOptions } from './npz.js';
export { readZip, writeZip, crc32, type ZipOptions, type WriteZipOptions } from './zip.js';
export { fromSafetensors, toSafetensors, fromNpy, toNpy, fromNpz, toNpz, type TensorFile, type TransferOption } from './bytes.js';
export { spec, isSpec, type TensorSpec, type Loaded } from './spec.js';
export { treeToRecord, recordToTree, type TemplateOptions } from './paths.js';
export { toTorchStateDict, fromTorchStateDict, torchNameOf, type TorchOptions } from './torch.js';
