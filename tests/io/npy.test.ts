import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError, ValueError, io, tensor, zeros, scalar, type AnyTensor } from '../../src/index.js';
import { expected, fixture, throwsNamed } from './helpers.js';

const header = (text: string, version = 1): Uint8Array => {
  const h = new TextEncoder().encode(text);
  const pre = version === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const dv = new DataView(out.buffer);
  if (version === 1) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  out.set(h, pre);
  return out;
};
const withData = (head: Uint8Array, n: number): Uint8Array => {
  const out = new Uint8Array(head.length + n);
  out.set(head);
  return out;
};

describe('.npy files written by NumPy', () => {
  const cases: [string, string, number[]][] = [
    ['f4.npy', 'float32', [2, 3]],
    ['f8-big.npy', 'float64', [3, 2]],
    ['i4-fortran.npy', 'int32', [2, 3, 4]],
    ['b1.npy', 'bool', [3]],
    ['u1.npy', 'int32', [2, 2]],
    ['i8.npy', 'int32', [4]],
    ['f2.npy', 'float32', [6]],
    ['u2-big.npy', 'int32', [2]],
    ['i2.npy', 'int32', [2]],
    ['scalar.npy', 'float64', []],
    ['empty.npy', 'float32', [0, 3]],
    ['v2.npy', 'float32', [4]],
    ['v3.npy', 'int32', [4]],
    ['nan.npy', 'float32', [4]],
  ];
  it.each(cases)('%s reads as %s %j with NumPy values', (name, dtype, shape) => {
    const t = io.fromNpy(fixture(name), { name });
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual(shape);
    const want = expected[name]!.values;
    expect(t.toArray()).toEqual(dtype === 'float32' && name !== 'f2.npy' && name !== 'nan.npy' ? toF32(want) : want);
  });
  it('int64 values outside int32 are an error naming the file, element and value', () => {
    throwsNamed(() => io.fromNpy(fixture('i8-big-values.npy'), { name: 'i8-big-values.npy' }), ValueError, 'i8-big-values.npy', 'element 1', '1099511627776', 'int32');
  });
  it('object arrays are refused, whatever they hold', () => {
    throwsNamed(() => io.fromNpy(fixture('object.npy'), { name: 'object.npy' }), FormatError, 'npy: object.npy', 'pickles');
  });
});

function toF32(v: unknown): unknown {
  return Array.isArray(v) ? v.map(toF32) : typeof v === 'number' ? Math.fround(v) : v;
}

describe('.npy round trips', () => {
  it('every dtype, 0-d and size-0, bit for bit (-0, NaN payloads)', () => {
    const nanPayload = new Float32Array(new Uint32Array([0x7fc00001, 0xffa00000]).buffer);
    const ts: AnyTensor[] = [
      tensor([[1.5, -0], [NaN, Infinity]]),
      tensor([1e-310, -0, 2 ** 60], { dtype: 'float64' }),
      tensor([-(2 ** 31), 2 ** 31 - 1, 0], { dtype: 'int32' }),
      tensor([true, false, true]),
      scalar(7, { dtype: 'int32' }),
      zeros([0, 4]),
      zeros([3, 0, 2], { dtype: 'float64' }),
      io.rawToTensor({ dtype: 'F32', shape: [2], bytes: new Uint8Array(nanPayload.buffer) }),
    ];
    for (const t of ts) {
      const back = io.fromNpy(io.toNpy(t));
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(io.tensorToRaw(back).bytes).toEqual(io.tensorToRaw(t).bytes);
    }
  });
  it('the header is 64-byte aligned, version 1.0, as NumPy writes it', () => {
    const b = io.toNpy(tensor([[1, 2, 3]]));
    expect(b[6]).toBe(1);
    const len = b[8]! | (b[9]! << 8);
    expect((10 + len) % 64).toBe(0);
    expect(new TextDecoder().decode(b.subarray(10, 10 + len)).trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }");
  });
  it('property: random float64 arrays survive exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 40 }), (xs) => {
        const t = tensor(xs, [xs.length], { dtype: 'float64' });
        expect(io.tensorToRaw(io.fromNpy(io.toNpy(t))).bytes).toEqual(io.tensorToRaw(t).bytes);
      }),
      { numRuns: 100 },
    );
  });
});

describe('.npy: malformed files are named errors', () => {
  const good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
  const bad: [string, Uint8Array, string | RegExp][] = [
    ['empty input', new Uint8Array(0), 'bad magic'],
    ['bad magic', withData(header(good), 8).map((b, i) => (i === 1 ? 0x4f : b)), 'bad magic'],
    ['unknown version', (() => { const b = withData(header(good), 8); b[6] = 4; return b; })(), 'version 4.0'],
    ['header past the end', header(good).subarray(0, 30), 'past the end'],
    ['truncated data', withData(header(good), 7), 'truncated'],
    ['trailing bytes', withData(header(good), 9), 'trailing bytes'],
    ['10^10 elements in a tiny file', withData(header("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }"), 8), 'needs 40000000000 bytes'],
    ['dims overflowing 2^53', withData(header("{'descr': '<f8', 'fortran_order': False, 'shape': (9999999999999999, 9999999999999999), }"), 8), 'over 2^53'],
    ['extra key', withData(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}"), 8), 'unexpected key "x"'],
    ['duplicate key', withData(header("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}"), 8), 'duplicate key'],
    ['missing key', withData(header("{'descr': '<f4', 'shape': (2,)}"), 8), "missing key 'fortran_order'"],
    ['code in the header', withData(header("{'descr': __import__('os'), 'fortran_order': False, 'shape': (2,)}"), 8), 'expected a string'],
    ['negative dim', withData(header("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}"), 8), 'non-negative integer'],
    ['float dim', withData(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)}"), 8), "expected ',' or ')'"],
    ['(2) is not a tuple', withData(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}"), 8), 'trailing comma'],
    ['object dtype', withData(header("{'descr': '|O', 'fortran_order': False, 'shape': (1,)}"), 8), 'pickles'],
    ['structured dtype', withData(header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}"), 8), 'structured'],
    ['unicode dtype', withData(header("{'descr': '<U4', 'fortran_order': False, 'shape': (1,)}"), 16), 'unsupported dtype'],
    ['complex dtype', withData(header("{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}"), 8), 'unsupported dtype'],
    ['| on a wide type', withData(header("{'descr': '|f4', 'fortran_order': False, 'shape': (2,)}"), 8), "'|' is for one-byte"],
    ['text after the dict', withData(header(`${good.trim()} x`), 8), 'after the dict'],
    ['fortran_order not a bool', withData(header("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}"), 8), 'expected a string, True'],
    ['v3 header not UTF-8', withData(header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}\xff", 3).map((b, i, a) => (i === a.length - 9 ? 0xff : b)), 8), /UTF-8|parse/],
  ];
  it.each(bad)('%s', (_what, bytes, pattern) => {
    throwsNamed(() => io.fromNpy(bytes, { name: 'bad.npy' }), FormatError, 'npy: bad.npy: ', pattern);
  });
  it('a header over maxHeaderSize is refused before it is parsed', () => {
    const big = `{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }${' '.repeat(20000)}\n`;
    throwsNamed(() => io.fromNpy(withData(header(big, 2), 8), { name: 'big.npy' }), FormatError, 'over the 10000-byte limit');
    expect(io.fromNpy(withData(header(big, 2), 8), { maxHeaderSize: 30000 }).shape).toEqual([2]);
  });
});

describe('ownership of the input bytes', () => {
  it('without transfer, tensors are copies: later writes to the input do not reach them', () => {
    const bytes = io.toNpy(tensor([1, 2, 3]));
    const st = io.toSafetensors({ a: tensor([1, 2, 3]) });
    const t = io.fromNpy(bytes);
    const u = io.fromSafetensors(st).tensors.get('a')!;
    bytes.fill(0, bytes.length - 12);
    st.fill(0, st.length - 12);
    expect(t.toArray()).toEqual([1, 2, 3]);
    expect(u.toArray()).toEqual([1, 2, 3]);
  });
  it('with transfer, the same values come back (sharing the memory is allowed)', () => {
    expect(io.fromNpy(io.toNpy(tensor([[1, 2]], { dtype: 'float64' })), { transfer: true }).toArray()).toEqual([[1, 2]]);
    expect(io.fromSafetensors(io.toSafetensors({ a: tensor([true, false]) }), { transfer: true }).tensors.get('a')!.toArray()).toEqual([true, false]);
  });
});
