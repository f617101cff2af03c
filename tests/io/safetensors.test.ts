import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError, ValueError, io, tensor, zeros, scalar, nn, random, type AnyTensor } from '../../src/index.js';
import { expected, fixture, safetensorsBytes, throwsNamed } from './helpers.js';

describe('safetensors written by PyTorch (by hand, 1.13 has no safetensors package)', () => {
  const { tensors, metadata } = io.fromSafetensors(fixture('torch.safetensors'), { name: 'torch.safetensors' });
  const want = expected['torch.safetensors'] as Record<string, { shape: number[]; values: unknown }>;
  const dtypes: Record<string, string> = {
    f32: 'float32', f64: 'float64', i32: 'int32', bool: 'bool', f16: 'float32', bf16: 'float32', i64: 'int32', u8: 'int32', i8: 'int32', i16: 'int32', scalar: 'float32', empty: 'float32',
  };
  it.each(Object.keys(dtypes))('%s has the dtype, shape and values PyTorch wrote', (name) => {
    const t = tensors.get(name)!;
    expect(t.dtype).toBe(dtypes[name]);
    expect(t.shape).toEqual(want[name]!.shape);
    expect(t.toArray()).toEqual(want[name]!.values);
  });
  it('reads the metadata', () => {
    expect({ ...metadata }).toEqual({ format: 'pt', source: 'make_fixtures.py' });
  });
});

describe('safetensors round trips', () => {
  it('every dtype, 0-d and size-0 tensors, bit for bit, with metadata', () => {
    const ts: Record<string, AnyTensor> = {
      a: tensor([[1.5, -0], [NaN, -Infinity]]),
      b: tensor([1e-310, -0], { dtype: 'float64' }),
      c: tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: 'int32' }),
      d: tensor([true, false, true]),
      e: scalar(2),
      f: zeros([0, 3]),
      g: zeros([0], { dtype: 'bool' }),
    };
    const bytes = io.toSafetensors(ts, { epoch: '3', 'üñí': 'çødé' });
    const back = io.fromSafetensors(bytes);
    expect(Object.fromEntries(Object.entries(back.metadata))).toEqual({ epoch: '3', 'üñí': 'çødé' });
    for (const [k, t] of Object.entries(ts)) {
      const u = back.tensors.get(k)!;
      expect([u.dtype, u.shape]).toEqual([t.dtype, t.shape]);
      expect(io.tensorToRaw(u).bytes).toEqual(io.tensorToRaw(t).bytes);
    }
  });
  it('the header is padded to a multiple of 8 and the data are sorted by alignment then name', () => {
    const bytes = io.toSafetensors({ z: tensor([1], { dtype: 'float64' }), a: tensor([true]), m: tensor([1]) });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.z.data_offsets).toEqual([0, 8]);
    expect(header.m.data_offsets).toEqual([8, 12]);
    expect(header.a.data_offsets).toEqual([12, 13]);
  });
  it('a parameter tree is written with dotted paths and read back into its exact type', () => {
    const params = nn.mlp([3, 5, 2]).init(random.key(0));
    const { tensors } = io.fromSafetensors(io.toSafetensors(params));
    expect([...tensors.keys()].sort()).toEqual(['0.b', '0.w', '1.b', '1.w']);
    const back = io.recordToTree(tensors, params);
    expect(back[1].w.toArray()).toEqual(params[1].w.toArray());
  });
  it('property: random float32 trees survive exactly', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !k.includes('.') && k !== '__metadata__'), fc.array(fc.float(), { maxLength: 10 }), { maxKeys: 5 }), (d) => {
        const tree = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, tensor(v, [v.length])]));
        const back = io.fromSafetensors(io.toSafetensors(tree)).tensors;
        for (const [k, t] of Object.entries(tree)) expect(io.tensorToRaw(back.get(k)!).bytes).toEqual(io.tensorToRaw(t).bytes);
        expect(back.size).toBe(Object.keys(tree).length);
      }),
      { numRuns: 100 },
    );
  });
});

describe('safetensors: malformed files are named errors', () => {
  const t = (name: string, dtype: string, shape: number[], offsets: number[]) => `${JSON.stringify(name)}:{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}`;
  const bad: [string, Uint8Array, string | RegExp][] = [
    ['fewer than 8 bytes', new Uint8Array(5), 'too short'],
    ['header length past the end', (() => { const b = safetensorsBytes('{}'); b[0] = 200; return b; })(), 'past the end'],
    ['header length over 100 MB', (() => { const b = safetensorsBytes('{}'); b[4] = 1; return b; })(), 'over the 100000000-byte limit'],
    ['header not UTF-8', safetensorsBytes('{}').map((b, i) => (i === 9 ? 0xff : b)), 'UTF-8'],
    ['header not an object', safetensorsBytes('[1]'), 'must start with "{"'],
    ['JSON that does not parse', safetensorsBytes('{"a":'), 'not valid JSON'],
    ['duplicate keys', safetensorsBytes(`{${t('a', 'F32', [1], [0, 4])},${t('a', 'F32', [1], [0, 4])}}`, 4), 'duplicate key "a"'],
    ['unknown dtype', safetensorsBytes(`{${t('a', 'F8_E4M3', [1], [0, 1])}}`, 1), 'unknown or unsupported dtype "F8_E4M3"'],
    ['dtype not a string', safetensorsBytes('{"a":{"dtype":1,"shape":[1],"data_offsets":[0,4]}}', 4), 'dtype must be a string'],
    ['negative dim', safetensorsBytes(`{${t('a', 'F32', [-1], [0, 4])}}`, 4), 'non-negative integers'],
    ['fractional dim', safetensorsBytes(`{${t('a', 'F32', [1.5], [0, 4])}}`, 4), 'non-negative integers'],
    ['unknown field', safetensorsBytes('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}', 4), 'unknown field "x"'],
    ['missing data_offsets', safetensorsBytes('{"a":{"dtype":"F32","shape":[1]}}', 4), 'data_offsets must be'],
    ['begin after end', safetensorsBytes(`{${t('a', 'F32', [0], [4, 0])}}`, 4), 'end before they begin'],
    ['shape and bytes disagree', safetensorsBytes(`{${t('a', 'F32', [2], [0, 4])}}`, 4), 'needs 8 bytes but data_offsets [0, 4] hold 4'],
    ['10^10 elements in a tiny file', safetensorsBytes(`{${t('a', 'F32', [100000, 100000], [0, 4])}}`, 4), 'needs 40000000000 bytes'],
    ['shape product past 2^53', safetensorsBytes(`{${t('a', 'F64', [2 ** 30, 2 ** 30, 2 ** 30], [0, 8])}}`, 8), 'over 2^53'],
    ['overlapping tensors', safetensorsBytes(`{${t('a', 'F32', [1], [0, 4])},${t('b', 'F32', [1], [0, 4])}}`, 4), 'overlap'],
    ['a gap', safetensorsBytes(`{${t('a', 'F32', [1], [0, 4])},${t('b', 'F32', [1], [8, 12])}}`, 12), 'leave a gap after byte 4'],
    ['not starting at 0', safetensorsBytes(`{${t('a', 'F32', [1], [4, 8])}}`, 8), 'gap after byte 0'],
    ['truncated data', safetensorsBytes(`{${t('a', 'F32', [4], [0, 16])}}`, 10), 'truncated'],
    ['trailing bytes (polyglot)', safetensorsBytes(`{${t('a', 'F32', [1], [0, 4])}}`, 9), '5 bytes after the last tensor'],
    ['non-string metadata', safetensorsBytes('{"__metadata__":{"a":1}}'), '__metadata__.a must be a string'],
    ['metadata not an object', safetensorsBytes('{"__metadata__":"x"}'), '__metadata__ must be an object'],
    ['tensor info not an object', safetensorsBytes('{"a":3}'), 'expected {"dtype"'],
    ['deep nesting', safetensorsBytes(`{"__metadata__":${'['.repeat(100)}${']'.repeat(100)}}`), 'nesting deeper'],
  ];
  it.each(bad)('%s', (_what, bytes, pattern) => {
    throwsNamed(() => io.fromSafetensors(bytes, { name: 'bad.safetensors' }), FormatError, 'safetensors: bad.safetensors: ', pattern);
  });
  it('int64 outside int32 is an error naming the file, tensor and value, never a wrap', () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setBigInt64(8, -(2n ** 31n) - 1n, true);
    throwsNamed(() => io.fromSafetensors(safetensorsBytes(`{${t('ids', 'I64', [2], [0, 16])}}`.padEnd(80), data), { name: 'ids.safetensors' }), ValueError, 'ids.safetensors', '"ids"', 'element 1', '-2147483649');
  });
  it('a BOOL byte other than 0 and 1 is an error', () => {
    throwsNamed(() => io.fromSafetensors(safetensorsBytes(`{${t('m', 'BOOL', [2], [0, 2])}}`, new Uint8Array([1, 2]))), ValueError, 'BOOL byte must be 0 or 1');
  });
  it('accepts whitespace around the JSON, empty files and tensors named __proto__', () => {
    expect(io.fromSafetensors(safetensorsBytes('{}      ')).tensors.size).toBe(0);
    const r = io.fromSafetensors(safetensorsBytes(`  {${t('__proto__', 'F32', [1], [0, 4])}}\n `, 4));
    expect(r.tensors.get('__proto__')!.shape).toEqual([1]);
  });
});
