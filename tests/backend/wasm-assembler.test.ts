import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModuleBuilder, sleb, uleb, type FunctionBuilder, type ValType } from '../../src/backend/wasm/assembler.js';
import { kernelBytes } from '../../src/backend/wasm/module.js';
import { defaultMatmulConfig } from '../../src/backend/wasm/kernels/matmul.js';
import { wasmApi } from '../../src/backend/wasm/wasm-api.js';

const wasm = wasmApi!;

function decodeUleb(bytes: readonly number[]): number {
  let v = 0;
  for (let i = bytes.length - 1; i >= 0; i--) v = v * 128 + (bytes[i]! & 0x7f);
  return v;
}

function decodeSleb(bytes: readonly number[]): number {
  const u = decodeUleb(bytes);
  const bits = 7 * bytes.length;
  return u >= 2 ** (bits - 1) ? u - 2 ** bits : u;
}

/** Builds a one-function module over a one-page memory and returns the function. */
function compile(params: ValType[], results: ValType[], emit: (f: FunctionBuilder) => void): (...args: number[]) => number {
  const mod = new ModuleBuilder({ memory: { min: 1, max: 1, shared: false } });
  mod.func('f', params, results, emit);
  const bytes = mod.bytes();
  expect(wasm.validate(bytes)).toBe(true);
  const memory = new wasm.Memory({ initial: 1, maximum: 1 });
  return new wasm.Instance(new wasm.Module(bytes), { env: { memory } }).exports.f as (...args: number[]) => number;
}

describe('LEB128', () => {
  it('round-trips unsigned values', () => {
    fc.assert(fc.property(fc.nat({ max: 2 ** 32 - 1 }), (v) => {
      const out: number[] = [];
      uleb(out, v);
      expect(decodeUleb(out)).toBe(v);
      expect(out.length).toBe(Math.max(1, Math.ceil(Math.log2(v + 1) / 7)));
      for (let i = 0; i < out.length; i++) expect(out[i]! >= 0x80).toBe(i < out.length - 1);
    }));
  });

  it('round-trips signed int32 values', () => {
    fc.assert(fc.property(fc.integer(), (v) => {
      const out: number[] = [];
      sleb(out, v);
      expect(decodeSleb(out)).toBe(v);
    }));
    for (const [v, bytes] of [[0, [0]], [-1, [0x7f]], [63, [0x3f]], [64, [0xc0, 0x00]], [-64, [0x40]], [-65, [0xbf, 0x7f]]] as const) {
      const out: number[] = [];
      sleb(out, v);
      expect(out).toEqual(bytes);
    }
  });
});

describe('ModuleBuilder', () => {
  it('emits valid modules that compute', () => {
    const twice = compile(['i32'], ['i32'], (f) => { f.get(0).i32(2).op('i32.mul'); });
    expect(twice(21)).toBe(42);
    const negConst = compile([], ['i32'], (f) => { f.i32(-123456); });
    expect(negConst()).toBe(-123456);
  });

  it('branches to the labels it names: sum of 0..n-1 with a for loop', () => {
    const sum = compile(['i32'], ['i32'], (f) => {
      const i = f.local('i32'), s = f.local('i32');
      f.for(i, (g) => g.i32(0), 0, { const: 1 }, () => { f.get(s).get(i).op('i32.add').set(s); });
      f.get(s);
    });
    fc.assert(fc.property(fc.integer({ min: -5, max: 500 }), (n) => {
      expect(sum(n)).toBe(n <= 0 ? 0 : (n * (n - 1)) / 2);
    }));
  });

  it('computes branch depths through nested blocks', () => {
    // Returns the first k in 1..n with k*k > n, leaving two blocks at once.
    const isqrtUp = compile(['i32'], ['i32'], (f) => {
      const k = f.local('i32');
      f.i32(1).set(k);
      f.block((found) => {
        f.loop((top) => {
          f.block((next) => {
            f.get(k).get(k).op('i32.mul').get(0).op('i32.gt_s').brIf(found);
            f.br(next);
          });
          f.get(k).i32(1).op('i32.add').set(k);
          f.br(top);
        });
      });
      f.get(k);
    });
    for (const n of [1, 2, 3, 4, 15, 16, 17, 1000]) expect(isqrtUp(n)).toBe(Math.floor(Math.sqrt(n)) + 1);
  });

  it('emits SIMD, lane and memory instructions', () => {
    const dot = compile([], ['f32'], (f) => {
      f.i32(0).f32x4(1, 2, 3, 4).mem('v128.store');
      f.i32(16).f32(0.5).mem('f32.store');
      f.i32(0).mem('v128.load').i32(16).mem('v128.load32_splat').op('f32x4.mul').lane('f32x4.extract_lane', 3);
    });
    expect(dot()).toBe(2);
  });

  it('shuffle32 picks 32-bit lanes from both operands', () => {
    fc.assert(fc.property(fc.tuple(fc.nat(7), fc.nat(7), fc.nat(7), fc.nat(7)), fc.nat(3), (lanes, read) => {
      const pick = compile([], ['f32'], (f) => {
        f.f32x4(10, 11, 12, 13).f32x4(20, 21, 22, 23).shuffle32(...lanes).lane('f32x4.extract_lane', read);
      });
      const l = lanes[read]!;
      expect(pick()).toBe(l < 4 ? 10 + l : 20 + l - 4);
    }), { numRuns: 30 });
  });

  it('refuses a branch to a block that is closed, and unclosed blocks', () => {
    const mod = new ModuleBuilder({ memory: { min: 1, max: 1, shared: false } });
    expect(() => mod.func('bad', [], [], (f) => {
      let outer: Parameters<FunctionBuilder['br']>[0] | null = null;
      f.block((l) => { outer = l; });
      f.br(outer!);
    })).toThrow(/not open/);
  });

  it('assembles the whole kernel module into a valid, shared-memory module', () => {
    expect(wasm.validate(kernelBytes(defaultMatmulConfig, true))).toBe(true);
    expect(wasm.validate(kernelBytes(defaultMatmulConfig, false))).toBe(true);
  });
});
