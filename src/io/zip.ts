/**
 * A minimal zip reader and writer, enough for `.npz` files: stored (method
 * 0) and deflated (method 8) entries, zip64 sizes in the central directory,
 * no encryption, no multi-disk archives.
 *
 * The reader trusts nothing: every offset is bounds-checked, entries may
 * not overlap (overlapping entries are how "non-recursive" zip bombs
 * multiply one compressed blob), names may not repeat, a declared size
 * above 1032 times the compressed size (deflate's largest ratio) is
 * refused before anything is allocated, and every entry must inflate to
 * exactly its declared size and CRC-32.
 */
import { FormatError } from './errors.js';
import { InflateError, inflateRaw } from './inflate.js';
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkBytes, checkIterable, checkOptions } from '../core/validate.js';

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/**
 * CRC-32 (ISO 3309, as zip and gzip use it).
 *
 * @example
 * ```ts
 * io.crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * ```
 */
export function crc32(data: Uint8Array): number {
  checkBytes('io.crc32', 'data', data);
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * Options of {@link readZip}.
 *
 * @example
 * ```ts
 * io.readZip(bytes, { name: 'a.zip', maxBytes: 1e8 });
 * ```
 */
export interface ZipOptions {
  readonly name?: string;
  /** The most bytes all entries may inflate to together; default 2^31 - 1. */
  readonly maxBytes?: number;
  /** The format named in errors; default `zip`. */
  readonly format?: string;
}

/**
 * Reads every entry of a zip archive: name -> contents.
 *
 * @example
 * ```ts
 * const entries = io.readZip(io.writeZip([['a.txt', new Uint8Array([104, 105])]]));
 * entries.get('a.txt'); // Uint8Array [104, 105]
 * ```
 */
export function readZip(bytes: Uint8Array, options: ZipOptions = {}): Map<string, Uint8Array> {
  checkBytes('io.readZip', 'bytes', bytes);
  options = checkOptions('io.readZip', options);
  const file = options.name ?? '<bytes>';
  const format = options.format ?? 'zip';
  const maxBytes = options.maxBytes ?? 2 ** 31 - 1;
  const fail = (what: string): never => {
    throw new FormatError(format, file, what);
  };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => (at + 2 <= bytes.length ? dv.getUint16(at, true) : fail(`a field at byte ${at} is past the end of the file`));
  const u32 = (at: number) => (at + 4 <= bytes.length ? dv.getUint32(at, true) : fail(`a field at byte ${at} is past the end of the file`));
  const u64 = (at: number) => {
    const v = u32(at) + u32(at + 4) * 2 ** 32;
    return Number.isSafeInteger(v) ? v : fail(`a 64-bit size at byte ${at} is too large`);
  };
  // The end-of-central-directory record is the last 22 bytes plus a comment of up to 65535 bytes.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 65535; at--) {
    if (dv.getUint32(at, true) === 0x06054b50 && at + 22 + dv.getUint16(at + 20, true) === bytes.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('not a zip archive: no end-of-central-directory record (bad magic or truncated file)');
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) fail('multi-disk archives are not supported');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== 0x07064b50) fail('zip64 fields without a zip64 end-of-central-directory locator');
    const rec = u64(loc + 8);
    if (rec + 56 > bytes.length || u32(rec) !== 0x06064b50) fail('bad zip64 end-of-central-directory record');
    count = u64(rec + 32);
    cdSize = u64(rec + 40);
    cdOffset = u64(rec + 48);
  }
  if (cdOffset + cdSize > bytes.length) fail(`the central directory (${cdSize} bytes at ${cdOffset}) is past the end of the file`);
  if (count > cdSize / 46) fail(`${count} entries cannot fit in a ${cdSize}-byte central directory`);
  const entries: { name: string; method: number; crc: number; csize: number; usize: number; start: number }[] = [];
  const names = new Set<string>();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  let at = cdOffset;
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (u32(at) !== 0x02014b50) fail(`central directory entry ${k} has a bad signature`);
    const flags = u16(at + 8), method = u16(at + 10), crc = u32(at + 16);
    let csize = u32(at + 20), usize = u32(at + 24);
    const nlen = u16(at + 28), elen = u16(at + 30), clen = u16(at + 32);
    let local = u32(at + 42);
    if (at + 46 + nlen + elen + clen > cdOffset + cdSize) fail(`central directory entry ${k} runs past the directory`);
    let name = '';
    try {
      name = (flags & 0x800 ? utf8 : latin1).decode(bytes.subarray(at + 46, at + 46 + nlen));
    } catch {
      fail(`entry ${k}: the name is not valid UTF-8`);
    }
    // zip64 extra field (id 1): the sizes and offset whose 32-bit fields are 0xFFFFFFFF, in that order.
    for (let e = at + 46 + nlen; e + 4 <= at + 46 + nlen + elen; ) {
      const id = u16(e), size = u16(e + 2);
      if (id === 1) {
        let f = e + 4;
        if (usize === 0xffffffff) (usize = u64(f)), (f += 8);
        if (csize === 0xffffffff) (csize = u64(f)), (f += 8);
        if (local === 0xffffffff) local = u64(f);
      }
      e += 4 + size;
    }
    if (flags & 1) fail(`entry ${JSON.stringify(name)} is encrypted`);
    if (method !== 0 && method !== 8) fail(`entry ${JSON.stringify(name)} uses compression method ${method} (only stored and deflated are supported)`);
    if (names.has(name)) fail(`entry name ${JSON.stringify(name)} appears twice`);
    names.add(name);
    if (method === 0 && csize !== usize) fail(`stored entry ${JSON.stringify(name)}: compressed size ${csize} differs from size ${usize}`);
    if (usize > csize * 1032 + 1024) fail(`entry ${JSON.stringify(name)} declares ${usize} bytes from ${csize} compressed bytes, more than deflate can produce`);
    total += usize;
    if (total > maxBytes) fail(`the entries inflate to more than ${maxBytes} bytes (maxBytes)`);
    if (local + 30 > bytes.length || u32(local) !== 0x04034b50) fail(`entry ${JSON.stringify(name)}: no local header at byte ${local}`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + csize > cdOffset) fail(`entry ${JSON.stringify(name)}: its data (${csize} bytes at ${start}) run past the entries`);
    entries.push({ name, method, crc, csize, usize, start });
    at += 46 + nlen + elen + clen;
  }
  const byStart = [...entries].sort((a, b) => a.start - b.start);
  for (let k = 1; k < byStart.length; k++) {
    if (byStart[k]!.start < byStart[k - 1]!.start + byStart[k - 1]!.csize) fail(`entries ${JSON.stringify(byStart[k - 1]!.name)} and ${JSON.stringify(byStart[k]!.name)} overlap`);
  }
  const out = new Map<string, Uint8Array>();
  for (const e of entries) {
    const data = bytes.subarray(e.start, e.start + e.csize);
    let content: Uint8Array;
    if (e.method === 0) content = data;
    else {
      try {
        content = inflateRaw(data, e.usize);
      } catch (err) {
        if (err instanceof InflateError) return fail(`entry ${JSON.stringify(e.name)}: bad deflate data: ${err.message}`);
        throw err;
      }
    }
    if (crc32(content) !== e.crc) fail(`entry ${JSON.stringify(e.name)}: CRC-32 mismatch (corrupt data)`);
    out.set(e.name, content);
  }
  return out;
}

/**
 * Options of {@link writeZip}.
 *
 * @example
 * ```ts
 * import { deflateRawSync } from 'node:zlib';
 * io.writeZip(entries, { deflate: (d) => new Uint8Array(deflateRawSync(d)) });
 * ```
 */
export interface WriteZipOptions {
  /** Compresses an entry with raw deflate; entries are stored when absent or when it does not help. */
  readonly deflate?: (data: Uint8Array) => Uint8Array;
}

/**
 * Writes a zip archive (no zip64: entries and the archive must stay under 4 GiB).
 *
 * @example
 * ```ts
 * const zip = io.writeZip([['a.npy', io.toNpy(tensor([1]))]]); // a valid .npz
 * ```
 */
export function writeZip(entries: Iterable<readonly [string, Uint8Array]>, options: WriteZipOptions = {}): Uint8Array {
  const list = [...checkIterable<readonly [string, Uint8Array]>('io.writeZip', 'entries', entries)];
  entries = list;
  list.forEach((e, i) => {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || !(e[1] instanceof Uint8Array)) throw new ValueError(`io.writeZip: entries[${i}] must be a [name, Uint8Array] pair, got ${describeValue(e)}`);
  });
  options = checkOptions('io.writeZip', options);
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  let count = 0;
  for (const [name, data] of entries) {
    const nameBytes = enc.encode(name);
    const crc = crc32(data);
    let body = data;
    let method = 0;
    if (options.deflate !== undefined) {
      const z = options.deflate(data);
      if (z.length < data.length) (body = z), (method = 8);
    }
    if (offset + body.length > 0xfffffff0) throw new FormatError('zip', '<write>', 'archives over 4 GiB are not supported');
    const local = new Uint8Array(30 + nameBytes.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x800, true); // UTF-8 names
    lv.setUint16(8, method, true);
    lv.setUint16(12, 0x21, true); // 1980-01-01: a fixed date keeps files reproducible
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    const cd = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x800, true);
    cv.setUint16(10, method, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    cd.set(nameBytes, 46);
    parts.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
    count++;
  }
  if (count >= 0xffff) throw new FormatError('zip', '<write>', 'more than 65534 entries are not supported');
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, count, true);
  ev.setUint16(10, count, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let at = 0;
  for (const p of [...parts, ...central, end]) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
