/**
 * Elementwise float32 kernels and row sums.
 *
 * Binary and unary kernels run over whole f32x4 vectors: the arena pads
 * every buffer to 64 bytes, so the lanes past the end read and write padding
 * and there is no scalar tail. Pointers are byte addresses; counts are
 * vectors of four (`ceil(n / 4)`), and callers split the count between
 * threads at vector boundaries.
 */
import type { FunctionBuilder, ModuleBuilder, PlainOp } from '../assembler.js';
import { emitExp, emitLog, emitSigmoid, emitTanh } from './math.js';

/** Binary ops with a wasm kernel. */
export const binaryOps = ['add', 'sub', 'mul', 'div', 'max', 'min'] as const;
export type BinaryOp = (typeof binaryOps)[number];

/** Unary ops with a wasm kernel. */
export const unaryOps = ['exp', 'log', 'tanh', 'sigmoid'] as const;
export type UnaryOp = (typeof unaryOps)[number];

/** Operand shapes of a binary kernel: vector-vector, vector-scalar, scalar-vector. */
export const binaryForms = ['vv', 'vs', 'sv'] as const;
export type BinaryForm = (typeof binaryForms)[number];

/** The export name of a kernel. */
export const binaryName = (op: BinaryOp, form: BinaryForm): string => `${op}_${form}`;
export const unaryName = (op: UnaryOp): string => `${op}_v`;

const ARITH: Record<'add' | 'sub' | 'mul' | 'div', PlainOp> = { add: 'f32x4.add', sub: 'f32x4.sub', mul: 'f32x4.mul', div: 'f32x4.div' };

/**
 * `op(x, y)` from locals to the stack. max and min copy the CPU kernel bit
 * for bit: `x > y || x !== x ? x : y` (NaN wins; at ±0 ties y wins).
 */
export function emitBinary(f: FunctionBuilder, op: BinaryOp, x: number, y: number): void {
  if (op === 'max' || op === 'min') {
    f.get(x).get(y).get(x).get(y).op(op === 'max' ? 'f32x4.gt' : 'f32x4.lt')
      .get(x).get(x).op('f32x4.ne').op('v128.or').op('v128.bitselect');
  } else {
    f.get(x).get(y).op(ARITH[op]);
  }
}

const UNARY: Record<UnaryOp, (f: FunctionBuilder, x: number) => void> = {
  exp: emitExp, log: emitLog, tanh: emitTanh, sigmoid: emitSigmoid,
};

/** `op(x)` from a local to the stack. */
export function emitUnary(f: FunctionBuilder, op: UnaryOp, x: number): void {
  UNARY[op](f, x);
}

/** Emits every binary, unary and reduction kernel. */
export function emitElementwise(mod: ModuleBuilder): void {
  for (const op of binaryOps) {
    for (const form of binaryForms) {
      // (a, b, out, nvec): a scalar operand is one float at its pointer.
      mod.func(binaryName(op, form), ['i32', 'i32', 'i32', 'i32'], [], (f) => {
        const [a, b, out, n] = [0, 1, 2, 3];
        const x = f.local('v128'), y = f.local('v128');
        if (form === 'vs') f.get(b).mem('v128.load32_splat').set(y);
        if (form === 'sv') f.get(a).mem('v128.load32_splat').set(x);
        vectorLoop(f, n, [a, b, out], form, () => {
          if (form !== 'sv') f.get(a).mem('v128.load').set(x);
          if (form !== 'vs') f.get(b).mem('v128.load').set(y);
          f.get(out);
          emitBinary(f, op, x, y);
          f.mem('v128.store');
        });
      });
    }
  }
  for (const op of unaryOps) {
    // (x, out, nvec)
    mod.func(unaryName(op), ['i32', 'i32', 'i32'], [], (f) => {
      const [x, out, n] = [0, 1, 2];
      const v = f.local('v128');
      vectorLoop(f, n, [x, out], 'vv', () => {
        f.get(x).mem('v128.load').set(v);
        f.get(out);
        emitUnary(f, op, v);
        f.mem('v128.store');
      });
    });
  }
  mod.func('sum_rows_f32', ['i32', 'i32', 'i32', 'i32'], [], (f) => emitSumRows(f, 'f32'));
  mod.func('sum_rows_f64', ['i32', 'i32', 'i32', 'i32'], [], (f) => emitSumRows(f, 'f64'));
}

/**
 * `do { body } while (--n)` over `n` > 0 vectors, advancing each pointer by
 * 16 bytes per pass (a scalar operand's pointer stays: `form` says which).
 */
function vectorLoop(f: FunctionBuilder, n: number, ptrs: readonly number[], form: BinaryForm, body: () => void): void {
  f.block((done) => {
    f.get(n).op('i32.eqz').brIf(done);
    f.loop((top) => {
      body();
      ptrs.forEach((p, i) => {
        const scalar = (form === 'sv' && i === 0) || (form === 'vs' && i === 1);
        if (!scalar) f.get(p).i32(16).op('i32.add').set(p);
      });
      f.get(n).i32(1).op('i32.sub').tee(n).brIf(top);
    });
  });
}

/**
 * `sum_rows_*(x, out, rows, cols)`: `out[r] = Σ_j x[r, j]`, summed in
 * float64 (four f64x2 accumulators, then the tail), stored as float32
 * (rounded once) or float64. Rows need no alignment.
 */
function emitSumRows(f: FunctionBuilder, store: 'f32' | 'f64'): void {
  const [x, out, rows, cols] = [0, 1, 2, 3];
  const r = f.local('i32'), j = f.local('i32'), p = f.local('i32');
  const acc = [f.local('v128'), f.local('v128'), f.local('v128'), f.local('v128')];
  const s = f.local('f64');
  f.get(x).set(p);
  f.for(r, (g) => g.i32(0), rows, { const: 1 }, () => {
    for (const a of acc) f.f32x4(0).set(a);
    f.i32(0).set(j);
    f.block((done) => {
      f.get(cols).i32(8).op('i32.lt_s').brIf(done);
      f.loop((top) => {
        acc.forEach((a, k) => {
          f.get(a).get(p).mem('v128.load64_zero', 8 * k).op('f64x2.promote_low_f32x4').op('f64x2.add').set(a);
        });
        f.get(p).i32(32).op('i32.add').set(p);
        f.get(j).i32(8).op('i32.add').tee(j).i32(8).op('i32.add').get(cols).op('i32.le_s').brIf(top);
      });
    });
    // s = lanes of (acc0 + acc1) + (acc2 + acc3), then the last cols % 8 in order
    f.get(acc[0]!).get(acc[1]!).op('f64x2.add').get(acc[2]!).get(acc[3]!).op('f64x2.add').op('f64x2.add').set(acc[0]!);
    f.get(acc[0]!).lane('f64x2.extract_lane', 0).get(acc[0]!).lane('f64x2.extract_lane', 1).op('f64.add').set(s);
    f.for(j, (g) => g.get(j), cols, { const: 1 }, () => {
      f.get(s).get(p).mem('f32.load').op('f64.promote_f32').op('f64.add').set(s);
      f.get(p).i32(4).op('i32.add').set(p);
    });
    if (store === 'f32') {
      f.get(out).get(s).op('f32.demote_f64').mem('f32.store');
      f.get(out).i32(4).op('i32.add').set(out);
    } else {
      f.get(out).get(s).mem('f64.store');
      f.get(out).i32(8).op('i32.add').set(out);
    }
  });
}
