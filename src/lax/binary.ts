/**
 * Elementwise binary primitives with NumPy broadcasting. Reverse-mode rules
 * sum the cotangent back to each input's shape (`sumTo`); forward-mode rules
 * broadcast tangents up to the output's shape (`broadcastLike`).
 * At ties, maximum and minimum split the derivative evenly (0.5 each), as JAX does.
 */
import type { DType, Storage } from '../core/dtype.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { definePrimitive, type MaybeTensor, type Primitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { binaryKernel, type BinaryRow } from '../backend/cpu/elementwise.js';
import { broadcastShapes, numElements } from '../shape/index.js';
import { channelF32, channelRuns } from '../backend/cpu/channel.js';
import { compareF32, type CompareOp } from '../backend/cpu/select.js';
import { boolResult, promoted, promotedFloat } from './dtype-rules.js';
import { allocate, allocateOverwritten } from '../core/dtype.js';
import { storageOf } from '../core/tensor.js';
import { binaryF32, binaryTiledF32, useWasm } from '../backend/accelerated.js';
import type { BinaryOp as WasmBinaryOp } from '../backend/wasm/index.js';
import { broadcastLike, sumTo, log, neg, where, scalarLike, sign, astype } from './index.js';
import { broadcastBatch } from './batching.js';

type JvpRule = (ta: MaybeTensor, tb: MaybeTensor, a: AnyTensor, b: AnyTensor, out: AnyTensor) => MaybeTensor;
type VjpRule = (ct: AnyTensor, a: AnyTensor, b: AnyTensor, out: AnyTensor, wanted: readonly boolean[]) => [MaybeTensor, MaybeTensor];

// `js` is the compiler's lowering: the same function as a JavaScript expression of the elements `a` and `b`.
function binary(name: string, dtype: (d: readonly DType[]) => DType, row: BinaryRow, jvp: JvpRule, vjp: VjpRule, js: (a: string, b: string) => string, fast?: WasmBinaryOp, compare?: CompareOp): Primitive {
  const prim: Primitive = definePrimitive({
    name,
    shape: ([a, b]) => broadcastShapes(name, a!, b!),
    dtype,
    kernel: ([a, b], _p, outShape, outDType) => {
      const n = numElements(outShape);
      // Small outputs (a scalar step) go straight to the generic loop: the special paths cost more to test than they save.
      if (n < SPECIAL_PATHS_MIN) return binaryKernel(a!, b!, outShape, outDType, row);
      // A float32 comparison of full-size or single-element operands: a loop that sees float32 only (see `cpu/select.ts`).
      if (compare !== undefined && a!.dtype === 'float32' && b!.dtype === 'float32' && (a!.size === n || a!.size === 1) && (b!.size === n || b!.size === 1)) {
        const out = allocate('bool', n);
        compareF32(compare, storageOf(a!) as Float32Array, a!.size === n ? 1 : 0, storageOf(b!) as Float32Array, b!.size === n ? 1 : 0, out, n);
        return out;
      }
      // The float32 paths below need the larger operand to be output-sized; `small` is the other one.
      if (fast !== undefined && outDType === 'float32' && a!.dtype === 'float32' && b!.dtype === 'float32' && Math.max(a!.size, b!.size) === n) {
        const bigFirst = a!.size >= b!.size, [big, small] = bigFirst ? [a!, b!] : [b!, a!];
        // Both output-sized, or one element against the rest: the WebAssembly SIMD kernel.
        if ((small.size === n || small.size === 1) && useWasm('binary', n)) {
          const out = allocateOverwritten(n);
          binaryF32(fast, storageOf(a!) as Float32Array, storageOf(b!) as Float32Array, out);
          return out;
        }
        // The smaller operand repeats along the other (a bias row, a vector against a batch of rows): one kernel pass per repeat.
        if (repeats(dimsOf(small), outShape) && useWasm('binary', n)) {
          const out = allocateOverwritten(n);
          binaryTiledF32(fast, storageOf(a!) as Float32Array, storageOf(b!) as Float32Array, out);
          return out;
        }
        // One value per channel (a conv bias [C, 1, 1] against [N, C, H, W]): one loop per run of H W.
        if (fast === 'add' || fast === 'sub' || fast === 'mul' || fast === 'div') {
          const runs = channelRuns(dimsOf(small), outShape);
          if (runs !== null) {
            const out = allocateOverwritten(n);
            channelF32(fast, storageOf(big) as Float32Array, storageOf(small) as Float32Array, bigFirst, runs, out);
            return out;
          }
        }
      }
      return binaryKernel(a!, b!, outShape, outDType, row);
    },
    jvp: ([ta, tb], [a, b], out) => {
      const t = jvp(ta!, tb!, a!, b!, out);
      return t === null ? null : broadcastLike(t, out);
    },
    vjp: (ct, [a, b], out, _p, wanted) => {
      const [ca, cb] = vjp(ct, a!, b!, out, wanted);
      return [ca === null ? null : sumTo(ca, a!), cb === null ? null : sumTo(cb, b!)];
    },
    // Elementwise: line the batch axes up; an unbatched operand broadcasts over the batch.
    batch: broadcastBatch(() => prim),
    lower: fast === undefined ? { kind: 'elementwise', js: ([a, b]) => js(a!, b!) } : { kind: 'elementwise', js: ([a, b]) => js(a!, b!), wasm: fast },
  });
  return prim;
}

/** Outputs with fewer elements than this skip the float32, WebAssembly, repeat and channel paths. */
const SPECIAL_PATHS_MIN = 64;

/** Repeats shorter than this run the TypeScript kernel: a kernel pass per repeat costs about as much as this many elements. */
const MIN_REPEAT = 32;

/**
 * True when `shape`, broadcast to `outShape`, is its storage repeated: past
 * leading ones it equals the trailing dims of `outShape`, and is long enough to pay for a pass.
 */
function repeats(shape: readonly number[], outShape: readonly number[]): boolean {
  let lead = 0;
  while (lead < shape.length && shape[lead] === 1) lead++;
  const rest = shape.length - lead, off = outShape.length - rest;
  let size = 1;
  for (let i = 0; i < rest; i++) {
    if (shape[lead + i] !== outShape[off + i]) return false;
    size *= shape[lead + i]!;
  }
  return size >= MIN_REPEAT;
}

/** Sum of optional terms; null when both are zero. */
function plus(x: MaybeTensor, y: MaybeTensor): MaybeTensor {
  return x === null ? y : y === null ? x : add(x, y);
}

const zeroJvp: JvpRule = () => null;
const zeroVjp: VjpRule = () => [null, null];

function rowOf(f: (o: Storage, a: Storage, ai: number, as: number, b: Storage, bi: number, bs: number, op: number, n: number) => void): BinaryRow {
  return (o, op, a, ai, as, b, bi, bs, n) => f(o, a, ai, as, b, bi, bs, op, n);
}

export const addPrim = binary('add', promoted('add'),
  rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! + b[bi]!; }),
  // d(a + b) = da + db
  (ta, tb) => plus(ta, tb),
  (ct, _a, _b, _o, w) => [w[0] ? ct : null, w[1] ? ct : null], (a, b) => `${a} + ${b}`, 'add');

export const subPrim = binary('sub', promoted('sub'),
  rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! - b[bi]!; }),
  // d(a - b) = da - db
  (ta, tb) => plus(ta, tb === null ? null : neg(tb)),
  (ct, _a, _b, _o, w) => [w[0] ? ct : null, w[1] ? neg(ct) : null], (a, b) => `${a} - ${b}`, 'sub');

export const mulPrim = binary('mul', promoted('mul'),
  rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! * b[bi]!; }),
  // d(a b) = da b + a db
  (ta, tb, a, b) => plus(ta === null ? null : mul(ta, b), tb === null ? null : mul(a, tb)),
  (ct, a, b, _o, w) => [w[0] ? mul(ct, b) : null, w[1] ? mul(a, ct) : null], (a, b) => `${a} * ${b}`, 'mul');

export const divPrim = binary('div', promotedFloat('div'),
  rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! / b[bi]!; }),
  // d(a / b) = da / b - db a / b^2 = (da - db out) / b
  (ta, tb, _a, b, out) => {
    const num = plus(ta, tb === null ? null : neg(mul(tb, out)));
    return num === null ? null : div(num, b);
  },
  (ct, _a, b, out, w) => {
    const ctb = div(ct, b);
    return [w[0] ? ctb : null, w[1] ? neg(mul(ctb, out)) : null];
  }, (a, b) => `${a} / ${b}`, 'div');

/** log(a) where a > 0, else 0: the exponent's derivative at a = 0 is taken as 0. */
function safeLog(a: AnyTensor): AnyTensor {
  const positive = gt(a, scalarLike(0, a));
  return where(positive, log(where(positive, a, scalarLike(1, a))), scalarLike(0, a));
}

/**
 * Math.pow with the Array API's (and C99's) special cases where JavaScript
 * differs: pow(1, y) = 1 for every y (NaN included), pow(-1, ±∞) = 1.
 */
function powSpecial(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return Math.pow(a, b);
}

export const powPrim = binary('pow', promoted('pow'),
  rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = powSpecial(a[ai]!, b[bi]!); }),
  // d(a^b) = b a^(b-1) da + a^b log(a) db
  (ta, tb, a, b, out) =>
    plus(ta === null ? null : mul(ta, mul(b, pow(a, sub(b, scalarLike(1, b))))), tb === null ? null : mul(tb, mul(out, safeLog(a)))),
  (ct, a, b, out, w) => [
    w[0] ? mul(ct, mul(b, pow(a, sub(b, scalarLike(1, b))))) : null,
    w[1] ? mul(ct, mul(out, safeLog(a))) : null,
  ], (a, b) => `(${a} === 1 || (${a} === -1 && (${b} === Infinity || ${b} === -Infinity)) ? 1 : Math.pow(${a}, ${b}))`);

function extremum(name: string, row: BinaryRow, direction: 1 | -1): Primitive {
  const helper = direction === 1 ? 'max' : 'min';
  // The share of the derivative that goes to a: 1 where a wins, 0 where b wins,
  // 1/2 at ties: (1 + s sign(a - b)) / 2 with s = +1 for maximum, -1 for minimum.
  // It is piecewise constant, so it contributes nothing to higher derivatives.
  // (Equal infinities give NaN weights: a - b is NaN there.)
  const weights = (like: AnyTensor, a: AnyTensor, b: AnyTensor): [AnyTensor, AnyTensor] => {
    const half = scalarLike(0.5 * direction, like);
    const wa = add(scalarLike(0.5, like), mul(half, astype(sign(sub(a, b)), like.dtype)));
    return [wa, sub(scalarLike(1, like), wa)];
  };
  return binary(name, promoted(name), row,
    // d max(a, b) = [a > b] da + [b > a] db, split evenly at ties
    (ta, tb, a, b, out) => {
      const [wa, wb] = weights(out, a, b);
      return plus(ta === null ? null : mul(ta, wa), tb === null ? null : mul(tb, wb));
    },
    (ct, a, b, _o, w) => {
      const [wa, wb] = weights(ct, a, b);
      return [w[0] ? mul(ct, wa) : null, w[1] ? mul(ct, wb) : null];
    },
    (a, b) => `${helper}(${a}, ${b})`,
    helper);
}

export const maximumPrim = extremum('maximum',
  rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) { const x = a[ai]!, y = b[bi]!; o[k + i] = x > y || x !== x ? x : y; } }),
  1);
export const minimumPrim = extremum('minimum',
  rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) { const x = a[ai]!, y = b[bi]!; o[k + i] = x < y || x !== x ? x : y; } }),
  -1);

function comparison(name: CompareOp, row: BinaryRow, op: string): Primitive {
  return binary(name, boolResult, row, zeroJvp, zeroVjp, (a, b) => `(${a} ${op} ${b} ? 1 : 0)`, undefined, name);
}

export const eqPrim = comparison('eq', rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! === b[bi]! ? 1 : 0; }), '===');
export const nePrim = comparison('ne', rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! !== b[bi]! ? 1 : 0; }), '!==');
export const ltPrim = comparison('lt', rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! < b[bi]! ? 1 : 0; }), '<');
export const lePrim = comparison('le', rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! <= b[bi]! ? 1 : 0; }), '<=');
export const gtPrim = comparison('gt', rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! > b[bi]! ? 1 : 0; }), '>');
export const gePrim = comparison('ge', rowOf((o, a, ai, as, b, bi, bs, k, n) => { for (let i = 0; i < n; i++, ai += as, bi += bs) o[k + i] = a[ai]! >= b[bi]! ? 1 : 0; }), '>=');

export const add = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(addPrim, [a, b], undefined);
export const sub = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(subPrim, [a, b], undefined);
export const mul = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(mulPrim, [a, b], undefined);
export const div = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(divPrim, [a, b], undefined);
export const pow = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(powPrim, [a, b], undefined);
export const maximum = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(maximumPrim, [a, b], undefined);
export const minimum = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(minimumPrim, [a, b], undefined);
export const eq = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(eqPrim, [a, b], undefined);
export const ne = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(nePrim, [a, b], undefined);
export const lt = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(ltPrim, [a, b], undefined);
export const le = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(lePrim, [a, b], undefined);
export const gt = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(gtPrim, [a, b], undefined);
export const ge = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(gePrim, [a, b], undefined);
