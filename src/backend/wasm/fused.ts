/**
 * Fused elementwise expressions: a tree of unary and binary float32 ops
 * over inputs and constants, compiled into one wasm loop that reads each
 * input once and writes the output once. `tanh(x * 1.5 + 0.5) * sigmoid(x)`
 * becomes one pass over x instead of five passes with four temporaries.
 *
 * Each distinct expression (and pattern of broadcast inputs) is assembled
 * into its own small module over the shared memory the first time it runs,
 * then cached. Inside the loop, repeated subtrees are computed once, and
 * subtrees of constants and one-element inputs are hoisted out of it.
 */
import { ModuleBuilder, type FunctionBuilder } from './assembler.js';
import { emitBinary, emitUnary, type BinaryOp, type UnaryOp, binaryOps, unaryOps } from './kernels/elementwise.js';
import { MAX_PAGES } from './module.js';

/** Unary ops a fused expression can use: the math functions and the cheap ones. */
export const fusedUnaryOps = [...unaryOps, 'neg', 'abs', 'relu', 'sqrt'] as const;
export type FusedUnaryOp = (typeof fusedUnaryOps)[number];

/**
 * A fused expression. `input` i is `inputs[i]`, of the output's length or
 * of length 1 (broadcast); constants are rounded to float32. Results are what the unfused kernels give:
 * bit-identical for the binary ops, neg, abs, relu (NaN stays NaN) and
 * sqrt, and the same approximations for exp, log, tanh and sigmoid.
 */
export type FusedExpr =
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'unary'; readonly op: FusedUnaryOp; readonly x: FusedExpr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: FusedExpr; readonly b: FusedExpr }
  /** `(x cmp y) ? a : b`, as `where(cmp(x, y), a, b)` (a NaN compares false, except with `ne`). */
  | { readonly kind: 'select'; readonly cmp: CompareOp; readonly x: FusedExpr; readonly y: FusedExpr; readonly a: FusedExpr; readonly b: FusedExpr };

/**
 * How a fused kernel reads one input (see `wasmFusedPreparedF32`): 0 whole,
 * -1 one element broadcast, `p > 0` a row of `p` floats repeated, or a
 * channel input: `count` floats, each broadcast over `repeat` consecutive
 * outputs.
 */
export type FusedLayout = number | { readonly count: number; readonly repeat: number };

/** Comparisons a {@link FusedExpr} `select` can test. */
export const compareOps = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
export type CompareOp = (typeof compareOps)[number];

const unary = (op: FusedUnaryOp) => (x: FusedExpr): FusedExpr => ({ kind: 'unary', op, x });
const binary = (op: BinaryOp) => (a: FusedExpr, b: FusedExpr): FusedExpr => ({ kind: 'binary', op, a, b });

/**
 * Constructors for {@link FusedExpr}.
 * @example
 * ```ts
 * const { input, constant, add, mul, tanh, sigmoid } = fx;
 * const x = input(0);
 * const chain = mul(tanh(add(mul(x, constant(1.5)), constant(0.5))), sigmoid(x));
 * ```
 */
export const fx = {
  input: (index: number): FusedExpr => ({ kind: 'input', index }),
  constant: (value: number): FusedExpr => ({ kind: 'const', value }),
  exp: unary('exp'), log: unary('log'), tanh: unary('tanh'), sigmoid: unary('sigmoid'),
  neg: unary('neg'), abs: unary('abs'), relu: unary('relu'), sqrt: unary('sqrt'),
  add: binary('add'), sub: binary('sub'), mul: binary('mul'), div: binary('div'), max: binary('max'), min: binary('min'),
  select: (cmp: CompareOp, x: FusedExpr, y: FusedExpr, a: FusedExpr, b: FusedExpr): FusedExpr => ({ kind: 'select', cmp, x, y, a, b }),
};

/** Checks an expression from plain JavaScript; returns how many inputs it reads (highest index + 1). */
export function checkFused(e: FusedExpr): number {
  switch (e?.kind) {
    case 'input':
      if (!Number.isInteger(e.index) || e.index < 0) throw new TypeError(`wasmFusedF32: input index must be a natural number, got ${e.index}`);
      return e.index + 1;
    case 'const':
      if (typeof e.value !== 'number') throw new TypeError(`wasmFusedF32: constant must be a number, got ${typeof e.value}`);
      return 0;
    case 'unary':
      if (!(fusedUnaryOps as readonly string[]).includes(e.op)) throw new TypeError(`wasmFusedF32: unknown unary op ${JSON.stringify(e.op)}; expected one of ${fusedUnaryOps.join(', ')}`);
      return checkFused(e.x);
    case 'binary':
      if (!(binaryOps as readonly string[]).includes(e.op)) throw new TypeError(`wasmFusedF32: unknown binary op ${JSON.stringify(e.op)}; expected one of ${binaryOps.join(', ')}`);
      return Math.max(checkFused(e.a), checkFused(e.b));
    case 'select':
      if (!(compareOps as readonly string[]).includes(e.cmp)) throw new TypeError(`wasmFusedF32: unknown comparison ${JSON.stringify(e.cmp)}; expected one of ${compareOps.join(', ')}`);
      return Math.max(checkFused(e.x), checkFused(e.y), checkFused(e.a), checkFused(e.b));
    default:
      throw new TypeError(`wasmFusedF32: not an expression node: ${JSON.stringify(e)}; build one with fx.input, fx.constant, fx.add, ...`);
  }
}

/** A structural key: equal keys, equal values (unlike JSON, it tells NaN, ±Infinity and ±0 apart). */
export function fusedKey(e: FusedExpr): string {
  switch (e.kind) {
    case 'input': return `#${e.index}`;
    case 'const': return Object.is(e.value, -0) ? '-0' : String(e.value);
    case 'unary': return `${e.op}(${fusedKey(e.x)})`;
    case 'binary': return `${e.op}(${fusedKey(e.a)},${fusedKey(e.b)})`;
    case 'select': return `${e.cmp}?(${fusedKey(e.x)},${fusedKey(e.y)},${fusedKey(e.a)},${fusedKey(e.b)})`;
  }
}

/** The export name of the compiled function: `fused(in_0, ..., in_{k-1}, out, nvec)`. */
export const FUSED_EXPORT = 'fused';

/** The module for `expr`, where `scalar[i]` says whether input i has one element. */
export function fusedModuleBytes(expr: FusedExpr, scalar: readonly boolean[], shared: boolean): Uint8Array {
  return fusedMultiModuleBytes([expr], scalar, shared);
}

/**
 * The module for several expressions over the same inputs, computed in one
 * loop (shared subtrees once): `fused(in_0, ..., in_{k-1}, out_0, ..., out_{m-1}, nvec)`.
 * `periods[i] > 0` makes input i periodic: it holds `periods[i]` floats (a
 * multiple of 4) read again and again, as a bias row broadcast over the rows
 * of a batch. With `repeats[i] > 0` as well, input i is a channel input
 * instead: it holds `periods[i]` floats (any number), each one broadcast
 * over `repeats[i]` consecutive outputs (a multiple of 4), again and again,
 * as a per-channel bias over NCHW images. A module with periodic or channel
 * inputs must be called from the start of a period (chunks that start at a
 * multiple of {@link fusedPhase}). With `flush`, every subnormal value is
 * stored as a zero of its sign (see {@link emitFlushSubnormals}).
 */
export function fusedMultiModuleBytes(exprs: readonly FusedExpr[], scalar: readonly boolean[], shared: boolean, periods: readonly number[] = [], flush = false, repeats: readonly number[] = []): Uint8Array {
  const mod = new ModuleBuilder({ memory: { min: 1, max: MAX_PAGES, shared } });
  const k = scalar.length, m = exprs.length;
  const periodic = scalar.map((_, i) => (periods[i] ?? 0) > 0);
  const channel = scalar.map((_, i) => periodic[i]! && (repeats[i] ?? 0) > 0);
  mod.func(FUSED_EXPORT, Array.from({ length: k + m + 1 }, () => 'i32' as const), [], (f) => {
    const n = k + m;
    // A periodic input's start and end: its pointer wraps back to the start at the end.
    const starts = periodic.map((p) => (p ? f.local('i32') : -1));
    const ends = periodic.map((p) => (p ? f.local('i32') : -1));
    // A channel input's countdown: vectors left before its pointer moves to the next float.
    const lefts = channel.map((c) => (c ? f.local('i32') : -1));
    periodic.forEach((p, i) => {
      if (!p) return;
      f.get(i).set(starts[i]!);
      f.get(i).i32(periods[i]! * 4).op('i32.add').set(ends[i]!);
      if (channel[i]) f.i32(repeats[i]! / 4).set(lefts[i]!);
    });
    const memo = new Map<string, number>();
    const invariant = (e: FusedExpr): boolean =>
      e.kind === 'const' ||
      (e.kind === 'input' ? scalar[e.index]! : e.kind === 'unary' ? invariant(e.x) : e.kind === 'binary' ? invariant(e.a) && invariant(e.b) : [e.x, e.y, e.a, e.b].every(invariant));
    /** Emits `e` (subtrees first) into a local, once per distinct subtree. */
    const value = (e: FusedExpr): number => {
      const key = fusedKey(e);
      const known = memo.get(key);
      if (known !== undefined) return known;
      let operands: number[] = [];
      if (e.kind === 'unary') operands = [value(e.x)];
      else if (e.kind === 'binary') operands = [value(e.a), value(e.b)];
      else if (e.kind === 'select') operands = [value(e.x), value(e.y), value(e.a), value(e.b)];
      const v = f.local('v128');
      if (e.kind === 'const') f.f32x4(e.value);
      else if (e.kind === 'input') f.get(e.index).mem(scalar[e.index] || channel[e.index] ? 'v128.load32_splat' : 'v128.load');
      else if (e.kind === 'unary') emitFusedUnary(f, e.op, operands[0]!);
      else if (e.kind === 'binary') emitBinary(f, e.op, operands[0]!, operands[1]!);
      else {
        const [x, y, a, b] = operands as [number, number, number, number];
        f.get(a).get(b).get(x).get(y).op(`f32x4.${e.cmp}`).op('v128.bitselect');
      }
      f.set(v);
      memo.set(key, v);
      return v;
    };
    // Before the loop: every invariant subtree (their locals stay valid in every pass).
    const hoistAll = (e: FusedExpr): void => {
      if (invariant(e)) value(e);
      else if (e.kind === 'unary') hoistAll(e.x);
      else if (e.kind === 'binary') { hoistAll(e.a); hoistAll(e.b); }
      else if (e.kind === 'select') [e.x, e.y, e.a, e.b].forEach(hoistAll);
    };
    for (const expr of exprs) hoistAll(expr);
    f.block((done) => {
      f.get(n).op('i32.eqz').brIf(done);
      f.loop((top) => {
        // Every value before any store: an output may be written in place over an input it reads.
        const vs = exprs.map(value);
        vs.forEach((v, j) => {
          f.get(k + j).get(v);
          if (flush) emitFlushSubnormals(f, v);
          f.mem('v128.store');
        });
        for (let i = 0; i < k; i++) {
          if (scalar[i]) continue;
          if (channel[i]) {
            f.get(lefts[i]!).i32(1).op('i32.sub').tee(lefts[i]!).op('i32.eqz').if(() => {
              f.i32(repeats[i]! / 4).set(lefts[i]!);
              f.get(i).i32(4).op('i32.add').set(i);
              f.get(i).get(ends[i]!).op('i32.eq').if(() => { f.get(starts[i]!).set(i); });
            });
            continue;
          }
          f.get(i).i32(16).op('i32.add').set(i);
          if (periodic[i]) f.get(i).get(ends[i]!).op('i32.eq').if(() => { f.get(starts[i]!).set(i); });
        }
        for (let j = 0; j < m; j++) f.get(k + j).i32(16).op('i32.add').set(k + j);
        f.get(n).i32(1).op('i32.sub').tee(n).brIf(top);
      });
    });
  });
  return mod.bytes();
}

/**
 * The vectors (4 floats) from which every periodic or channel input of a
 * module is back at its start: chunks of a call must start at multiples of
 * it. 1 where there is no such input.
 */
export function fusedPhase(periods: readonly number[], repeats: readonly number[] = []): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let phase = 1;
  periods.forEach((p, i) => {
    if (p <= 0) return;
    const r = repeats[i] ?? 0;
    const vecs = r > 0 ? (p * r) / 4 : p / 4;
    phase = (phase / gcd(phase, vecs)) * vecs;
  });
  return phase;
}

/**
 * Replaces the v128 on top of the stack, `v` (also in local `v`), by
 * `v` with its subnormal lanes flushed to a zero of their sign (the
 * flush-to-zero mode of x86 `MXCSR.FTZ` and Arm `FPCR.FZ`, which
 * WebAssembly does not have): a lane whose exponent bits are all zero
 * loses its magnitude bits. Zeros, normal numbers, infinities and NaNs
 * pass unchanged.
 *
 * Why: an x86 core takes a microcode assist, some 100 cycles, for each
 * operation that reads or produces a subnormal float, against a fraction of
 * a cycle otherwise. A value that decays geometrically (an optimizer
 * moment whose gradient stays zero, as for a dead ReLU unit) passes through
 * the subnormal range and stays there, so a training step slows by a large
 * factor; flushed once, it is zero, and zero is fast.
 */
function emitFlushSubnormals(f: FunctionBuilder, v: number): void {
  // v & ~(exponent(v) == 0 ? 0x7fffffff : 0)
  f.get(v).i32x4(0x7f800000).op('v128.and').i32x4(0).op('i32x4.eq').i32x4(0x7fffffff).op('v128.and').op('v128.andnot');
}

function emitFusedUnary(f: FunctionBuilder, op: FusedUnaryOp, x: number): void {
  switch (op) {
    case 'neg': f.get(x).op('f32x4.neg'); return;
    case 'abs': f.get(x).op('f32x4.abs'); return;
    case 'sqrt': f.get(x).op('f32x4.sqrt'); return;
    case 'relu': {
      // x > 0 || x !== x ? x : 0, as the CPU kernel
      f.get(x).f32x4(0).get(x).f32x4(0).op('f32x4.gt').get(x).get(x).op('f32x4.ne').op('v128.or').op('v128.bitselect');
      return;
    }
    default: emitUnary(f, op as UnaryOp, x);
  }
}
