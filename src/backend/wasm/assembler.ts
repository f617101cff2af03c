/**
 * A small WebAssembly assembler: enough of the binary format to emit the
 * kernels of this backend at run time, with no toolchain and no build step.
 *
 * A {@link ModuleBuilder} collects functions and writes the sections
 * (type, import, function, export, code); a {@link FunctionBuilder} writes one
 * function body as a stack-machine instruction stream. Opcode names follow
 * the text format (`'f32x4.add'`, `'i32.load'`), and their tables are typed,
 * so a misspelt instruction is a compile error. Structured control flow takes
 * callbacks, and branches name the block they leave or the loop they repeat:
 * the relative depth the binary format wants is computed, never hand-counted.
 *
 * @example
 * ```ts
 * const mod = new ModuleBuilder({ memory: { min: 1, max: 1, shared: false } });
 * mod.func('twice', ['i32'], ['i32'], (f) => {
 *   f.get(0).i32(2).op('i32.mul');
 * });
 * // hidden: declare const WebAssembly: any; // not in the project's lib
 * const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
 * const { exports } = new WebAssembly.Instance(new WebAssembly.Module(mod.bytes()), { env: { memory } });
 * (exports.twice as (x: number) => number)(21); // 42
 * ```
 */

/** Value types. */
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Instructions with no immediate operand, by text-format name. */
const PLAIN = {
  unreachable: 0x00, nop: 0x01, return: 0x0f, drop: 0x1a, select: 0x1b,
  'i32.eqz': 0x45, 'i32.eq': 0x46, 'i32.ne': 0x47, 'i32.lt_s': 0x48, 'i32.lt_u': 0x49, 'i32.gt_s': 0x4a, 'i32.gt_u': 0x4b,
  'i32.le_s': 0x4c, 'i32.le_u': 0x4d, 'i32.ge_s': 0x4e, 'i32.ge_u': 0x4f,
  'f32.eq': 0x5b, 'f32.ne': 0x5c, 'f32.lt': 0x5d, 'f32.gt': 0x5e, 'f32.le': 0x5f, 'f32.ge': 0x60,
  'f64.eq': 0x61, 'f64.ne': 0x62, 'f64.lt': 0x63, 'f64.gt': 0x64, 'f64.le': 0x65, 'f64.ge': 0x66,
  'i32.add': 0x6a, 'i32.sub': 0x6b, 'i32.mul': 0x6c, 'i32.div_s': 0x6d, 'i32.div_u': 0x6e, 'i32.rem_s': 0x6f, 'i32.rem_u': 0x70,
  'i32.and': 0x71, 'i32.or': 0x72, 'i32.xor': 0x73, 'i32.shl': 0x74, 'i32.shr_s': 0x75, 'i32.shr_u': 0x76,
  'f32.abs': 0x8b, 'f32.neg': 0x8c, 'f32.nearest': 0x90, 'f32.sqrt': 0x91,
  'f32.add': 0x92, 'f32.sub': 0x93, 'f32.mul': 0x94, 'f32.div': 0x95, 'f32.min': 0x96, 'f32.max': 0x97,
  'f64.add': 0xa0, 'f64.sub': 0xa1, 'f64.mul': 0xa2, 'f64.div': 0xa3,
  'f32.demote_f64': 0xb6, 'f64.promote_f32': 0xbb, 'i32.reinterpret_f32': 0xbc, 'f32.reinterpret_i32': 0xbe,
} as const;

/** SIMD instructions (prefix 0xfd) with no immediate operand. */
const SIMD = {
  'i32x4.splat': 0x11, 'f32x4.splat': 0x13, 'f64x2.splat': 0x14,
  'f32x4.eq': 0x41, 'f32x4.ne': 0x42, 'f32x4.lt': 0x43, 'f32x4.gt': 0x44, 'f32x4.le': 0x45, 'f32x4.ge': 0x46,
  'v128.not': 0x4d, 'v128.and': 0x4e, 'v128.andnot': 0x4f, 'v128.or': 0x50, 'v128.xor': 0x51, 'v128.bitselect': 0x52,
  'f64x2.promote_low_f32x4': 0x5f,
  'f32x4.nearest': 0x6a,
  'i32x4.lt_s': 0x39, 'i32x4.gt_s': 0x3b, 'i32x4.eq': 0x37,
  'i32x4.shl': 0xab, 'i32x4.shr_s': 0xac, 'i32x4.shr_u': 0xad, 'i32x4.add': 0xae, 'i32x4.sub': 0xb1, 'i32x4.mul': 0xb5,
  'f32x4.abs': 0xe0, 'f32x4.neg': 0xe1, 'f32x4.sqrt': 0xe3,
  'f32x4.add': 0xe4, 'f32x4.sub': 0xe5, 'f32x4.mul': 0xe6, 'f32x4.div': 0xe7,
  'f32x4.min': 0xe8, 'f32x4.max': 0xe9, 'f32x4.pmin': 0xea, 'f32x4.pmax': 0xeb,
  'f64x2.add': 0xf0, 'f64x2.sub': 0xf1, 'f64x2.mul': 0xf2,
  'i32x4.trunc_sat_f32x4_s': 0xf8, 'f32x4.convert_i32x4_s': 0xfa,
  // relaxed-simd: only emitted when `WebAssembly.validate` accepts it (see `relaxedSimdAvailable`).
  'f32x4.relaxed_madd': 0x105,
} as const;

/** Loads and stores: opcode and natural alignment (log2 bytes). SIMD ones carry the 0xfd prefix. */
const MEMORY = {
  'i32.load': [0x28, 2], 'f32.load': [0x2a, 2], 'f64.load': [0x2b, 3],
  'i32.store': [0x36, 2], 'f32.store': [0x38, 2], 'f64.store': [0x39, 3],
  'v128.load': [0xfd00, 4], 'v128.load32_splat': [0xfd09, 2], 'v128.load64_zero': [0xfd5d, 3], 'v128.store': [0xfd0b, 4],
} as const;

/** Lane accessors: opcode after the 0xfd prefix, then one lane-index byte. */
const LANE = {
  'f32x4.extract_lane': 0x1f, 'f32x4.replace_lane': 0x20, 'f64x2.extract_lane': 0x21,
} as const;

export type PlainOp = keyof typeof PLAIN | keyof typeof SIMD;
export type MemoryOp = keyof typeof MEMORY;
export type LaneOp = keyof typeof LANE;

/** Appends `v` as unsigned LEB128. */
export function uleb(out: number[], v: number): void {
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
}

/** Appends `v` (an int32) as signed LEB128. */
export function sleb(out: number[], v: number): void {
  v |= 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

function utf8(out: number[], s: string): void {
  const b = new TextEncoder().encode(s);
  uleb(out, b.length);
  for (const x of b) out.push(x);
}

/** A label: the block a `br` leaves, or the loop a `br` repeats. */
export interface Label {
  readonly id: number;
}

/** Writes one function body. Methods return `this`, so instructions chain. */
export class FunctionBuilder {
  readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];
  private readonly control: Label[] = [];
  private nextLabel = 0;

  constructor(readonly params: readonly ValType[], readonly results: readonly ValType[]) {}

  /** Declares a local of `type`; returns its index (parameters come first). */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  get(i: number): this { return this.u8(0x20).idx(i); }
  set(i: number): this { return this.u8(0x21).idx(i); }
  tee(i: number): this { return this.u8(0x22).idx(i); }

  i32(v: number): this { this.code.push(0x41); sleb(this.code, v); return this; }
  f32(v: number): this {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.code.push(0x43, ...b);
    return this;
  }
  f64(v: number): this {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    this.code.push(0x44, ...b);
    return this;
  }
  /** `v128.const` with four f32 lanes. */
  f32x4(a: number, b = a, c = a, d = a): this {
    const bytes = new Uint8Array(new Float32Array([a, b, c, d]).buffer);
    this.simd(0x0c);
    this.code.push(...bytes);
    return this;
  }
  /** `v128.const` with four i32 lanes. */
  i32x4(a: number, b = a, c = a, d = a): this {
    const bytes = new Uint8Array(new Int32Array([a, b, c, d]).buffer);
    this.simd(0x0c);
    this.code.push(...bytes);
    return this;
  }

  /** An instruction without immediates. */
  op(name: PlainOp): this {
    if (name in PLAIN) return this.u8(PLAIN[name as keyof typeof PLAIN]);
    return this.simd(SIMD[name as keyof typeof SIMD]);
  }

  /** A load or store at byte `offset` from the address on the stack. */
  mem(name: MemoryOp, offset = 0, align?: number): this {
    const [code, natural] = MEMORY[name];
    if (code > 0xff) this.simd(code & 0xff);
    else this.u8(code);
    uleb(this.code, align ?? natural);
    uleb(this.code, offset);
    return this;
  }

  lane(name: LaneOp, index: number): this {
    this.simd(LANE[name]);
    this.code.push(index);
    return this;
  }

  /**
   * `i8x16.shuffle` of the two v128 on the stack, by 32-bit lanes: result
   * lane i is lane `lanes[i]` of the concatenation (0-3 the first operand,
   * 4-7 the second).
   */
  shuffle32(l0: number, l1: number, l2: number, l3: number): this {
    this.simd(0x0d);
    for (const l of [l0, l1, l2, l3]) this.code.push(4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3);
    return this;
  }

  call(funcIndex: number): this { return this.u8(0x10).idx(funcIndex); }

  /** `memory.copy` (bulk memory): `(dst, src, bytes)` on the stack, overlapping ranges allowed. */
  memoryCopy(): this {
    this.code.push(0xfc);
    uleb(this.code, 10);
    this.code.push(0x00, 0x00);
    return this;
  }

  /** `memory.fill` (bulk memory): `(dst, byte value, bytes)` on the stack. */
  memoryFill(): this {
    this.code.push(0xfc);
    uleb(this.code, 11);
    this.code.push(0x00);
    return this;
  }

  /** `block ... end`; `br(label)` inside jumps past the end. */
  block(body: (label: Label) => void): this { return this.structured(0x02, body); }
  /** `loop ... end`; `br(label)` inside jumps back to the start. */
  loop(body: (label: Label) => void): this { return this.structured(0x03, body); }
  /** `if ... [else ...] end` on the i32 on the stack. */
  if(then: (label: Label) => void, otherwise?: (label: Label) => void): this {
    const label = this.open(0x04);
    then(label);
    if (otherwise) {
      this.u8(0x05);
      otherwise(label);
    }
    return this.close(label);
  }
  /**
   * `for (i = start; i < end; i += step) body()` over i32 locals: `start`
   * is emitted by the callback, `end` and `step` are locals or constants.
   * The body runs zero times when `start >= end`.
   */
  for(i: number, start: (f: this) => void, end: number | { const: number }, step: number | { const: number }, body: () => void): this {
    const push = (v: number | { const: number }) => (typeof v === 'number' ? this.get(v) : this.i32(v.const));
    start(this);
    this.set(i);
    return this.block((done) => {
      this.get(i);
      push(end);
      this.op('i32.ge_s').brIf(done);
      this.loop((top) => {
        body();
        this.get(i);
        push(step);
        this.op('i32.add').tee(i);
        push(end);
        this.op('i32.lt_s').brIf(top);
      });
    });
  }

  br(label: Label): this { return this.u8(0x0c).idx(this.depth(label)); }
  brIf(label: Label): this { return this.u8(0x0d).idx(this.depth(label)); }

  /** The body with its local declarations, as the code section wants it. */
  body(): number[] {
    if (this.control.length !== 0) throw new Error('wasm assembler: unclosed block');
    const out: number[] = [];
    const runs: [number, ValType][] = [];
    for (const t of this.localTypes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(out, runs.length);
    for (const [count, t] of runs) {
      uleb(out, count);
      out.push(VALTYPE[t]);
    }
    for (const b of this.code) out.push(b);
    out.push(0x0b);
    return out;
  }

  private structured(opcode: number, body: (label: Label) => void): this {
    const label = this.open(opcode);
    body(label);
    return this.close(label);
  }
  private open(opcode: number): Label {
    const label = { id: this.nextLabel++ };
    this.control.push(label);
    this.code.push(opcode, 0x40); // empty block type
    return label;
  }
  private close(label: Label): this {
    if (this.control.pop() !== label) throw new Error('wasm assembler: blocks closed out of order');
    return this.u8(0x0b);
  }
  private depth(label: Label): number {
    const i = this.control.lastIndexOf(label);
    if (i < 0) throw new Error('wasm assembler: branch to a block that is not open');
    return this.control.length - 1 - i;
  }
  private u8(b: number): this { this.code.push(b); return this; }
  private idx(i: number): this { uleb(this.code, i); return this; }
  private simd(op: number): this { this.code.push(0xfd); uleb(this.code, op); return this; }
}

/** The imported linear memory, in 64 KiB pages. */
export interface MemorySpec {
  readonly min: number;
  readonly max: number;
  readonly shared: boolean;
}

interface FuncEntry {
  readonly name: string | null;
  readonly type: number;
  readonly builder: FunctionBuilder;
}

/** Collects functions over one imported memory (`env.memory`) and writes the module bytes. */
export class ModuleBuilder {
  private readonly types: string[] = [];
  private readonly funcs: FuncEntry[] = [];

  constructor(readonly options: { readonly memory: MemorySpec }) {}

  /**
   * Adds a function, exported as `name` unless `name` is null; returns its
   * index for `call`. `emit` writes the body (parameters are locals 0..n-1).
   */
  func(name: string | null, params: readonly ValType[], results: readonly ValType[], emit: (f: FunctionBuilder) => void): number {
    const key = `${params.join(',')}->${results.join(',')}`;
    let type = this.types.indexOf(key);
    if (type < 0) type = this.types.push(key) - 1;
    const builder = new FunctionBuilder(params, results);
    const index = this.funcs.push({ name, type, builder }) - 1;
    emit(builder);
    return index;
  }

  /** The binary module. */
  bytes(): Uint8Array {
    const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, content: number[]): void => {
      out.push(id);
      uleb(out, content.length);
      for (const b of content) out.push(b);
    };
    const vec = (items: number[][]): number[] => {
      const v: number[] = [];
      uleb(v, items.length);
      for (const it of items) for (const b of it) v.push(b);
      return v;
    };

    section(1, vec(this.types.map((key) => {
      const [p, r] = key.split('->').map((s) => (s === '' ? [] : (s.split(',') as ValType[])));
      const t = [0x60];
      uleb(t, p!.length);
      for (const x of p!) t.push(VALTYPE[x]);
      uleb(t, r!.length);
      for (const x of r!) t.push(VALTYPE[x]);
      return t;
    })));

    const { min, max, shared } = this.options.memory;
    const imp: number[] = [];
    utf8(imp, 'env');
    utf8(imp, 'memory');
    imp.push(0x02, shared ? 0x03 : 0x01);
    uleb(imp, min);
    uleb(imp, max);
    section(2, vec([imp]));

    section(3, vec(this.funcs.map((f) => { const t: number[] = []; uleb(t, f.type); return t; })));

    section(7, vec(this.funcs.flatMap((f, i) => {
      if (f.name === null) return [];
      const e: number[] = [];
      utf8(e, f.name);
      e.push(0x00);
      uleb(e, i);
      return [e];
    })));

    section(10, vec(this.funcs.map((f) => {
      const body = f.builder.body();
      const e: number[] = [];
      uleb(e, body.length);
      for (const b of body) e.push(b);
      return e;
    })));
    return new Uint8Array(out);
  }
}
