import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zlibConstants, deflateRawSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { IdxError } from '../../src/data/errors.js';
import { encodeIdx, readIdx, readIdxOrThrow, type IdxArray, type IdxDType } from '../../src/data/idx.js';

function bad(bytes: Uint8Array): string {
  const r = readIdx(bytes);
  if (E.isRight(r)) throw new Error(`expected an error, got dims [${r.right.dims.join(',')}]`);
  expect(r.left).toBeInstanceOf(IdxError);
  return r.left.message;
}

/** A labels file like MNIST's: magic 0x00000801, one dim, uint8 data. */
function labelsFile(labels: number[]): Uint8Array {
  return encodeIdx({ dtype: 'uint8', dims: [labels.length], data: Uint8Array.from(labels) });
}

const arrays: fc.Arbitrary<IdxArray> = fc
  .record({
    dtype: fc.constantFrom<IdxDType>('uint8', 'int8', 'int16', 'int32', 'float32', 'float64'),
    dims: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
  })
  .chain(({ dtype, dims }) => {
    const n = dims.reduce((a, b) => a * b, 1);
    const values = {
      uint8: fc.integer({ min: 0, max: 255 }),
      int8: fc.integer({ min: -128, max: 127 }),
      int16: fc.integer({ min: -32768, max: 32767 }),
      int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      float32: fc.float(),
      float64: fc.double(),
    }[dtype];
    const make = {
      uint8: (v: number[]) => Uint8Array.from(v),
      int8: (v: number[]) => Int8Array.from(v),
      int16: (v: number[]) => Int16Array.from(v),
      int32: (v: number[]) => Int32Array.from(v),
      float32: (v: number[]) => Float32Array.from(v),
      float64: (v: number[]) => Float64Array.from(v),
    }[dtype];
    return fc.array(values, { minLength: n, maxLength: n }).map((v) => ({ dtype, dims, data: make(v) }) as IdxArray);
  });

describe('readIdx', () => {
  it('reads back what encodeIdx wrote, raw and gzip, for every element type (property)', () => {
    fc.assert(
      fc.property(arrays, fc.boolean(), (a, gz) => {
        const bytes = encodeIdx(a);
        const r = readIdxOrThrow(gz ? gzipSync(bytes) : bytes);
        expect(r.dtype).toBe(a.dtype);
        expect(r.dims).toEqual(a.dims);
        expect(Object.getPrototypeOf(r.data)).toBe(Object.getPrototypeOf(a.data)); // a plain typed array, never a Buffer
        expect(r.data.length).toBe(a.data.length);
        r.data.forEach((v, k) => expect(Object.is(v, a.data[k])).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes big-endian data and the MNIST labels layout byte for byte', () => {
    const labels = Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 7);
    expect(readIdxOrThrow(labels)).toEqual({ dtype: 'uint8', dims: [3], data: Uint8Array.of(9, 0, 7) });
    const i16 = Uint8Array.of(0, 0, 0x0b, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe);
    expect(readIdxOrThrow(i16)).toEqual({ dtype: 'int16', dims: [1, 2], data: Int16Array.of(0x0102, -2) });
    const f32 = Uint8Array.of(0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0);
    expect(readIdxOrThrow(f32).data).toEqual(Float32Array.of(1.5));
  });

  it('does not share memory with the input, even a Buffer', () => {
    for (const bytes of [labelsFile([1, 2, 3]), Buffer.from(labelsFile([1, 2, 3]))]) {
      const r = readIdxOrThrow(bytes);
      bytes[8] = 99;
      expect(Array.from(r.data)).toEqual([1, 2, 3]);
    }
  });

  it('reads files by path (gzip and raw) and reports a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-idx-'));
    writeFileSync(join(dir, 'labels-idx1-ubyte'), labelsFile([4, 5]));
    writeFileSync(join(dir, 'labels-idx1-ubyte.gz'), gzipSync(labelsFile([4, 5])));
    for (const p of ['labels-idx1-ubyte', 'labels-idx1-ubyte.gz']) {
      expect(Array.from(readIdxOrThrow(join(dir, p)).data)).toEqual([4, 5]);
    }
    const r = readIdx(join(dir, 'nope'));
    expect(E.isLeft(r) && r.left.message).toMatch(/^readIdx: cannot read .*nope: ENOENT/);
    expect(() => readIdxOrThrow(join(dir, 'nope'))).toThrow(IdxError);
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a bad magic number and an unknown type byte', () => {
    expect(bad(Uint8Array.of(1, 2, 3, 4, 5))).toBe('idx: bad magic number 0x01020304: the first two bytes must be 0 (is this an IDX file?)');
    expect(bad(Uint8Array.of(0, 0, 0x0a, 1, 0, 0, 0, 0))).toMatch(/^idx: unknown type byte 0x0a: expected 0x08 \(uint8\)/);
  });

  it('rejects a truncated magic number or header', () => {
    expect(bad(Uint8Array.of(0, 0, 8))).toBe('idx: input is 3 bytes, too short for the 4-byte magic number');
    expect(bad(labelsFile([1, 2]).subarray(0, 6))).toBe('idx: header is truncated: 1 dims need a 8-byte header, input has 6 bytes');
    expect(bad(gzipSync(Uint8Array.of(0, 0, 8, 3, 0, 0)))).toBe(
      'idx: header is truncated: 3 dims need a 16-byte header, decompressed input has 6 bytes',
    );
  });

  it('rejects data shorter than the dims say (a count mismatch), raw and gzip', () => {
    const bytes = encodeIdx({ dtype: 'int32', dims: [2, 3], data: new Int32Array(6) });
    const short = bytes.subarray(0, bytes.length - 5);
    expect(bad(short)).toBe('idx: data is truncated: dims [2,3] of int32 need 24 bytes, input has 19');
    expect(bad(gzipSync(short))).toBe('idx: data is truncated: dims [2,3] of int32 need 24 bytes, input has 19');
  });

  it('rejects data longer than the dims say, raw and gzip', () => {
    const bytes = labelsFile([1, 2, 3]);
    const long = new Uint8Array(bytes.length + 2);
    long.set(bytes);
    expect(bad(long)).toBe('idx: input has 2 bytes after the data: dims [3] of uint8 need 3 bytes, input has 5');
    expect(bad(gzipSync(long))).toBe(
      'idx: decompressed input is longer than the 11 bytes its header allows (dims [3] of uint8): extra bytes after the data',
    );
  });

  it('refuses a gzip file that inflates far past its header without inflating it all', () => {
    // The header claims 10 bytes; the stream inflates to 64 MiB.
    const huge = new Uint8Array(64 * 2 ** 20);
    huge.set([0, 0, 8, 1, 0, 0, 0, 10]);
    const bomb = gzipSync(huge);
    expect(bomb.length).toBeLessThan(100_000);
    const before = process.memoryUsage().arrayBuffers;
    expect(bad(bomb)).toMatch(/^idx: decompressed input is longer than the 18 bytes its header allows/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 2 ** 20);
  });

  it('rejects dims too large for any buffer before allocating', () => {
    const header = Uint8Array.of(0, 0, 0x0e, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(bad(header)).toMatch(/^idx: dims \[4294967295,4294967295\] of float64 need \d+ bytes, more than the largest buffer/);
  });

  it('reports a gzip stream cut short', () => {
    // Pseudo-random bytes (a fixed LCG), so the compressed stream is about as long as the data.
    let state = 1;
    const noise = Array.from({ length: 1000 }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) >> 23);
    const gz = gzipSync(labelsFile(noise));
    expect(gz.length).toBeGreaterThan(900);
    expect(bad(gz.subarray(0, gz.length - 4))).toMatch(/^idx: gzip stream is truncated: /);
    expect(bad(gz.subarray(0, gz.length - 300))).toMatch(/^idx: gzip stream is truncated: data is truncated: dims \[1000\] of uint8 need 1000 bytes, input has \d+$/);
  });

  it('encodeIdx refuses data that does not match the dims', () => {
    expect(() => encodeIdx({ dtype: 'uint8', dims: [2, 2], data: new Uint8Array(3) })).toThrow('idx: dims [2,2] hold 4 elements, data has 3');
  });
});

describe('readIdx: decompression limits', () => {
  /**
   * A gzip member by hand: a header with an FNAME field of `nameBytes` bytes,
   * then a deflate stream of the IDX header for [10] uint8 followed by
   * `blocks` repeats of 16 MiB of zeros (full-flush blocks, so they can be
   * repeated), then a final empty block and a zero trailer (never reached).
   */
  function bomb(nameBytes: number, blocks: number): Uint8Array {
    const head = Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 0xff]); // FLG.FNAME
    const name = Buffer.alloc(nameBytes + 1, 0x61);
    name[nameBytes] = 0;
    const idxHeader = deflateRawSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 10]), { finishFlush: zlibConstants.Z_FULL_FLUSH });
    const zeros = deflateRawSync(Buffer.alloc(16 * 2 ** 20), { finishFlush: zlibConstants.Z_FULL_FLUSH });
    const end = Buffer.from([0x03, 0x00]); // final empty fixed-Huffman block
    return Buffer.concat([head, name, idxHeader, ...Array.from({ length: blocks }, () => zeros), end, Buffer.alloc(8)]);
  }

  it('refuses a gzip bomb behind a 1.1 MB FNAME field without inflating it (peak memory stays low)', () => {
    const input = bomb(1_100_000, 128); // 2 GiB of zeros after a header that allows 10 bytes
    const before = process.resourceUsage().maxRSS; // KiB
    const r = readIdx(input);
    const grew = (process.resourceUsage().maxRSS - before) * 1024;
    expect(E.isLeft(r) && r.left.message).toMatch(/^idx: decompressed input is longer than the 18 bytes its header allows/);
    expect(grew).toBeLessThan(256 * 2 ** 20);
  });

  it('checks maxBytes against the header before inflating or allocating, and the option raises it', () => {
    const big = gzipSync(encodeIdx({ dtype: 'uint8', dims: [2000], data: new Uint8Array(2000) }));
    const r = readIdx(big, { maxBytes: 1000 });
    expect(E.isLeft(r) && r.left.message).toMatch(/need 2000 bytes, more than maxBytes \(1000\); pass \{ maxBytes \} to raise the limit/);
    expect(E.isRight(readIdx(big, { maxBytes: 4000 }))).toBe(true);
    const claims = new Uint8Array([0, 0, 8, 2, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]);
    expect(E.isLeft(readIdx(gzipSync(claims)))).toBe(true);
    expect(E.isLeft(readIdx(claims))).toBe(true);
    expect(E.isLeft(readIdx(big, { maxBytes: -1 }))).toBe(true);
  });

  it('checks a file\'s size before reading it: a 3 GiB (sparse) file is refused at once, by its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-idx-size-'));
    try {
      const path = join(dir, 'huge-idx1-ubyte');
      writeFileSync(path, new Uint8Array([0, 0, 8, 1]));
      truncateSync(path, 3 * 2 ** 30); // holes: no disk, but reading it would need 3 GiB (and Node refuses files over 2 GiB)
      const r = readIdx(path);
      expect(E.isLeft(r) && r.left.message).toBe(`readIdx: ${path} is ${3 * 2 ** 30} bytes, more than maxBytes (${2 ** 30}); pass { maxBytes } to raise the limit`);
      const small = readIdx(path, { maxBytes: 100 });
      expect(E.isLeft(small) && small.left.message).toMatch(/is 3221225472 bytes, more than maxBytes \(100\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
