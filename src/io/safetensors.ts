/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON, then the data buffer. The JSON maps each
 * tensor name to `{ "dtype", "shape", "data_offsets": [begin, end] }`
 * (offsets into the data buffer, end exclusive) and may hold a
 * `"__metadata__"` map of strings to strings. Data are little-endian and
 * row-major; the tensors tile the buffer exactly, with no gaps, no overlaps
 * and no trailing bytes.
 *
 * The reader checks all of this, and that every byte count is
 * `product(shape) * itemsize`, before it copies any data: a malformed or
 * hostile file costs at most the header's size in memory. No `node:` import
 * here: this works on any `Uint8Array`.
 */
import { FormatError } from './errors.js';
import { ValueError } from '../core/errors.js';
import { describeValue } from '../core/describe.js';
import { ITEMSIZE, isFileDType, type FileDType, type RawArray } from './dtypes.js';
import { JsonSyntaxError, isJsonObject, parseStrictJson, type Json } from './json.js';
import { concat, sizeOf } from './raw.js';
import { checkBytes, checkOptions } from '../core/validate.js';
import { checkEntries } from './raw.js';

/**
 * The largest header the reader accepts, as the reference implementation: 100 MB.
 *
 * @example
 * ```ts
 * io.MAX_SAFETENSORS_HEADER; // 100000000
 * ```
 */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

/**
 * The contents of a safetensors file. `tensors` keeps the file's order (by offset).
 *
 * @example
 * ```ts
 * const { tensors, metadata }: io.SafetensorsContents = io.parseSafetensors(bytes);
 * ```
 */
export interface SafetensorsContents {
  readonly tensors: ReadonlyMap<string, RawArray>;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Options naming the input in error messages.
 *
 * @example
 * ```ts
 * io.parseSafetensors(bytes, { name: 'model.safetensors' }); // errors start 'safetensors: model.safetensors: '
 * ```
 */
export interface NameOption {
  /** The file name used in messages; default `<bytes>`. */
  readonly name?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isDim(v: Json | undefined): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Parses a safetensors file into raw arrays (file dtypes, little-endian
 * bytes; convert with `io.rawToTensor`) and its metadata. Throws a
 * `FormatError` naming the file and what is wrong.
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * const bytes = io.toSafetensors({ w: tensor([1, 2]) }, { note: 'hi' });
 * const { tensors, metadata } = io.parseSafetensors(bytes);
 * tensors.get('w')?.shape; // [2]
 * metadata.note;           // 'hi'
 * ```
 */
export function parseSafetensors(bytes: Uint8Array, options: NameOption = {}): SafetensorsContents {
  checkBytes('io.parseSafetensors', 'bytes', bytes);
  options = checkOptions('io.parseSafetensors', options);
  const file = options.name ?? '<bytes>';
  const fail = (what: string, cause?: unknown): never => {
    throw new FormatError('safetensors', file, what, cause === undefined ? undefined : { cause });
  };
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 8) fail(`${bytes.length} bytes, too short for the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true), hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > MAX_SAFETENSORS_HEADER) fail(`header length ${n} is over the ${MAX_SAFETENSORS_HEADER}-byte limit`);
  if (8 + n > bytes.length) fail(`header length ${n} is past the end of the file (${bytes.length} bytes)`);
  let text = '';
  try {
    text = utf8.decode(bytes.subarray(8, 8 + n));
  } catch (e) {
    fail('the header is not valid UTF-8', e);
  }
  if (!text.trimStart().startsWith('{')) fail('the header is not a JSON object (it must start with "{")');
  let header: Json = null;
  try {
    header = parseStrictJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) fail(`the header is not valid JSON: ${e.message}`);
    throw e;
  }
  if (!isJsonObject(header)) return fail('the header is not a JSON object');

  let metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const entries: { name: string; dtype: FileDType; shape: number[]; begin: number; end: number }[] = [];
  for (const name of Object.keys(header)) {
    const info = header[name];
    if (name === '__metadata__') {
      if (!isJsonObject(info)) fail('__metadata__ must be an object of strings');
      const meta = info as Record<string, Json>;
      for (const k of Object.keys(meta)) if (typeof meta[k] !== 'string') fail(`__metadata__.${k} must be a string, got ${JSON.stringify(meta[k])}`);
      metadata = meta as Record<string, string>;
      continue;
    }
    const what = `tensor ${JSON.stringify(name)}`;
    if (!isJsonObject(info)) return fail(`${what}: expected {"dtype", "shape", "data_offsets"}, got ${JSON.stringify(info)}`);
    for (const k of Object.keys(info)) if (k !== 'dtype' && k !== 'shape' && k !== 'data_offsets') fail(`${what}: unknown field ${JSON.stringify(k)}`);
    const { dtype, shape, data_offsets: offsets } = info;
    if (typeof dtype !== 'string') return fail(`${what}: dtype must be a string, got ${JSON.stringify(dtype)}`);
    if (!isFileDType(dtype)) return fail(`${what}: unknown or unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(ITEMSIZE).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every(isDim)) return fail(`${what}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isDim)) {
      return fail(`${what}: data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin) fail(`${what}: data_offsets [${begin}, ${end}] end before they begin`);
    // The product is exact below 2^53; anything larger cannot match a real byte count.
    const count = sizeOf(shape as number[]);
    const need = count * ITEMSIZE[dtype];
    if (!Number.isSafeInteger(need) || need !== end - begin) {
      fail(`${what}: ${dtype} shape [${shape.join(',')}] needs ${Number.isSafeInteger(need) ? need : 'over 2^53'} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of entries) {
    if (e.begin !== at) {
      fail(`tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] ${e.begin < at ? 'overlap the previous tensor' : `leave a gap after byte ${at}`}`);
    }
    if (e.end > dataLength) fail(`tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] are past the end of the data (${dataLength} bytes; truncated file?)`);
    at = e.end;
  }
  if (at !== dataLength) fail(`${dataLength - at} bytes after the last tensor are not covered by any tensor`);
  const tensors = new Map<string, RawArray>();
  for (const e of entries) tensors.set(e.name, { dtype: e.dtype, shape: e.shape, bytes: bytes.subarray(dataStart + e.begin, dataStart + e.end) });
  return { tensors, metadata };
}

/**
 * Writes raw arrays as a safetensors file: tensors sorted by descending
 * alignment then name, the header padded with spaces to a multiple of 8 so
 * that the data are 8-byte aligned.
 *
 * @example
 * ```ts
 * import { io } from 'typegrad';
 * const bytes = io.serializeSafetensors(new Map([['x', { dtype: 'U8', shape: [1], bytes: new Uint8Array([9]) }]]));
 * ```
 */
export function serializeSafetensors(arrays: ReadonlyMap<string, RawArray> | Iterable<readonly [string, RawArray]>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  arrays = checkEntries('io.serializeSafetensors', arrays);
  checkMetadata('io.serializeSafetensors', metadata);
  return concat(safetensorsChunks(arrays, metadata));
}

/** The bytes of a safetensors file as chunks: length and header, then each array's `bytes` itself (no copy). */
export function safetensorsChunks(arrays: ReadonlyMap<string, RawArray> | Iterable<readonly [string, RawArray]>, metadata?: Readonly<Record<string, string>>): Uint8Array[] {
  const list = [...arrays].map(([name, a]) => ({ name, a }));
  list.sort((x, y) => ITEMSIZE[y.a.dtype] - ITEMSIZE[x.a.dtype] || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const parts: string[] = [];
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new FormatError('safetensors', '<write>', `metadata ${JSON.stringify(k)} must be a string, got ${typeof v}`);
    }
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  let offset = 0;
  const seen = new Set<string>();
  for (const { name, a } of list) {
    if (name === '__metadata__' || seen.has(name)) throw new FormatError('safetensors', '<write>', `tensor name ${JSON.stringify(name)} is reserved or repeated`);
    seen.add(name);
    const nbytes = sizeOf(a.shape) * ITEMSIZE[a.dtype];
    if (a.bytes.length !== nbytes) throw new FormatError('safetensors', '<write>', `tensor ${JSON.stringify(name)}: ${a.bytes.length} bytes for ${a.dtype} [${a.shape.join(',')}]`);
    parts.push(`${JSON.stringify(name)}:{"dtype":"${a.dtype}","shape":[${a.shape.join(',')}],"data_offsets":[${offset},${offset + nbytes}]}`);
    offset += nbytes;
  }
  const text = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(text.length / 8) * 8;
  const head = new Uint8Array(8 + padded).fill(0x20);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, padded % 2 ** 32, true);
  dv.setUint32(4, Math.floor(padded / 2 ** 32), true);
  head.set(text, 8);
  return [head, ...list.map(({ a }) => a.bytes)];
}

/** @internal Throws unless `metadata` is undefined or an object of strings. */
export function checkMetadata(op: string, metadata: unknown): void {
  if (metadata === undefined) return;
  const m = checkOptions<Record<string, unknown>>(op, metadata);
  for (const [k, v] of Object.entries(m)) if (typeof v !== 'string') throw new ValueError(`${op}: metadata ${JSON.stringify(k)} must be a string, got ${describeValue(v)}`);
}
