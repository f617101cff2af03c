/**
 * Elementwise unary primitives. Each is a paragraph: shape rule (same shape),
 * dtype rule, kernel loop, and derivative rules with the math in a comment.
 * Derivatives at kinks: abs'(0) = 0, relu'(0) = 0, sqrt'(0) = +Infinity;
 * sign, floor, ceil and round have zero derivative everywhere.
 */
import type { AnyTensor } from '../core/tensor.js';
import { definePrimitive, type MaybeTensor, type Primitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { unaryKernel, type UnaryLoop } from '../backend/cpu/elementwise.js';
import { floatResult, numericSame } from './dtype-rules.js';
import { allocateOverwritten } from '../core/dtype.js';
import { storageOf } from '../core/tensor.js';
import { fusedUnaryF32, unaryF32, useWasm } from '../backend/accelerated.js';
import type { FusedUnaryOp, UnaryOp as WasmUnaryOp } from '../backend/wasm/index.js';
import { add, mul, div, sub, gt, where, scalarLike } from './index.js';
import { unaryBatch } from './batching.js';
import type { WasmFusedOp } from '../core/lowering.js';

type Rule = (t: AnyTensor, x: AnyTensor, out: AnyTensor) => AnyTensor | null;

function unary(
  name: string,
  dtype: (dtypes: readonly import('../core/dtype.js').DType[]) => import('../core/dtype.js').DType,
  loop: UnaryLoop,
  // Linear in the tangent: d out = rule(dx); the vjp applies the same factor to the cotangent.
  rule: Rule,
  // The compiler's lowering: the same function as a JavaScript expression of the element `x`.
  js: (x: string) => string,
  // The WebAssembly SIMD kernel for large float32 inputs, if there is one.
  fast?: WasmUnaryOp,
  // The op of the WebAssembly fused-expression kernel, if there is one.
  fused: WasmFusedOp | undefined = fast,
): Primitive {
  const prim: Primitive = definePrimitive({
    name,
    shape: (shapes) => shapes[0]!,
    dtype,
    kernel: ([x], _p, _s, outDType) => {
      if (fast !== undefined && outDType === 'float32' && x!.dtype === 'float32' && useWasm('unary', x!.size)) {
        const out = allocateOverwritten(x!.size);
        unaryF32(fast, storageOf(x!) as Float32Array, out);
        return out;
      }
      // The exact ops without a kernel of their own (neg, abs, relu, sqrt): the fused-expression kernel with one op, same bits.
      if (fast === undefined && fused !== undefined && outDType === 'float32' && x!.dtype === 'float32' && useWasm('binary', x!.size)) {
        const out = allocateOverwritten(x!.size);
        fusedUnaryF32(fused as FusedUnaryOp, storageOf(x!) as Float32Array, out);
        return out;
      }
      return unaryKernel(x!, outDType, loop);
    },
    jvp: ([t], [x], out) => (t === null ? null : rule(t, x!, out)),
    vjp: (ct, [x], out): MaybeTensor[] => [rule(ct, x!, out)],
    // Elementwise: each batch element maps to itself.
    batch: unaryBatch(() => prim),
    lower: fused === undefined ? { kind: 'elementwise', js: ([x]) => js(x!) } : { kind: 'elementwise', js: ([x]) => js(x!), wasm: fused },
  });
  return prim;
}

const zero: Rule = () => null;

export const negPrim = unary('neg', numericSame('neg'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = -x[i]!; },
  // d(-x) = -dx
  (t) => neg(t), (x) => `-${x}`, undefined, 'neg');
export const expPrim = unary('exp', floatResult('exp'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!); },
  // d exp(x) = exp(x) dx
  (t, _x, out) => mul(t, out), (x) => `Math.exp(${x})`, 'exp');
export const logPrim = unary('log', floatResult('log'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!); },
  // d log(x) = dx / x
  (t, x) => div(t, x), (x) => `Math.log(${x})`, 'log');
export const log1pPrim = unary('log1p', floatResult('log1p'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.log1p(x[i]!); },
  // d log(1 + x) = dx / (1 + x)
  (t, x) => div(t, add(x, scalarLike(1, x))), (x) => `Math.log1p(${x})`);
export const expm1Prim = unary('expm1', floatResult('expm1'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.expm1(x[i]!); },
  // d (exp(x) - 1) = exp(x) dx = (out + 1) dx
  (t, _x, out) => mul(t, add(out, scalarLike(1, out))), (x) => `Math.expm1(${x})`);
export const sqrtPrim = unary('sqrt', floatResult('sqrt'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!); },
  // d sqrt(x) = dx / (2 sqrt(x)); +Infinity at 0
  (t, _x, out) => div(t, mul(out, scalarLike(2, out))), (x) => `Math.sqrt(${x})`, undefined, 'sqrt');
export const sinPrim = unary('sin', floatResult('sin'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]!); },
  // d sin(x) = cos(x) dx
  (t, x) => mul(t, cos(x)), (x) => `Math.sin(${x})`);
export const cosPrim = unary('cos', floatResult('cos'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]!); },
  // d cos(x) = -sin(x) dx
  (t, x) => neg(mul(t, sin(x))), (x) => `Math.cos(${x})`);
export const tanhPrim = unary('tanh', floatResult('tanh'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]!); },
  // d tanh(x) = (1 - tanh(x)^2) dx
  (t, _x, out) => mul(t, sub(scalarLike(1, out), mul(out, out))), (x) => `Math.tanh(${x})`, 'tanh');
export const sigmoidPrim = unary(
  'sigmoid',
  floatResult('sigmoid'),
  (o, x, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // Stable on both tails: never exponentiate a large positive number.
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        o[i] = e / (1 + e);
      }
    }
  },
  // d sigmoid(x) = s (1 - s) dx
  (t, _x, out) => mul(t, mul(out, sub(scalarLike(1, out), out))),
  (x) => `sigmoid(${x})`,
  'sigmoid',
);
export const absPrim = unary('abs', numericSame('abs'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!); },
  // d |x| = sign(x) dx, with abs'(0) = 0
  (t, x) => mul(t, sign(x)), (x) => `Math.abs(${x})`, undefined, 'abs');
export const reluPrim = unary('relu', numericSame('relu'), (o, x, n) => { for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v > 0 || v !== v ? v : 0; } }, // NaN stays NaN
  // d relu(x) = [x > 0] dx, with relu'(0) = 0; read off the output (relu(x) > 0 exactly where x > 0, NaN neither),
  // so a compiled step keeps relu(x) for the backward pass and never stores x
  (t, _x, out) => where(gt(out, scalarLike(0, out)), t, scalarLike(0, t)), (x) => `(${x} > 0 || ${x} !== ${x} ? ${x} : 0)`, undefined, 'relu');
export const signPrim = unary('sign', numericSame('sign'), (o, x, n) => { for (let i = 0; i < n; i++) { const v = x[i]!; o[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : v; } }, zero, // sign(±0) = +0, sign(NaN) = NaN (Array API)
  (x) => `(${x} > 0 ? 1 : ${x} < 0 ? -1 : ${x} === 0 ? 0 : ${x})`);
export const floorPrim = unary('floor', numericSame('floor'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.floor(x[i]!); }, zero, (x) => `Math.floor(${x})`);
export const ceilPrim = unary('ceil', numericSame('ceil'), (o, x, n) => { for (let i = 0; i < n; i++) o[i] = Math.ceil(x[i]!); }, zero, (x) => `Math.ceil(${x})`);
// Round half to even, like NumPy and PyTorch.
export const roundPrim = unary('round', numericSame('round'), (o, x, n) => {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const r = Math.round(v);
    o[i] = r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }
}, zero, (x) => `roundHalfEven(${x})`);

export const neg = (x: AnyTensor): AnyTensor => bind(negPrim, [x], undefined);
export const exp = (x: AnyTensor): AnyTensor => bind(expPrim, [x], undefined);
export const log = (x: AnyTensor): AnyTensor => bind(logPrim, [x], undefined);
export const log1p = (x: AnyTensor): AnyTensor => bind(log1pPrim, [x], undefined);
export const expm1 = (x: AnyTensor): AnyTensor => bind(expm1Prim, [x], undefined);
export const sqrt = (x: AnyTensor): AnyTensor => bind(sqrtPrim, [x], undefined);
export const sin = (x: AnyTensor): AnyTensor => bind(sinPrim, [x], undefined);
export const cos = (x: AnyTensor): AnyTensor => bind(cosPrim, [x], undefined);
export const tanh = (x: AnyTensor): AnyTensor => bind(tanhPrim, [x], undefined);
export const sigmoid = (x: AnyTensor): AnyTensor => bind(sigmoidPrim, [x], undefined);
export const abs = (x: AnyTensor): AnyTensor => bind(absPrim, [x], undefined);
export const relu = (x: AnyTensor): AnyTensor => bind(reluPrim, [x], undefined);
export const sign = (x: AnyTensor): AnyTensor => bind(signPrim, [x], undefined);
export const floor = (x: AnyTensor): AnyTensor => bind(floorPrim, [x], undefined);
export const ceil = (x: AnyTensor): AnyTensor => bind(ceilPrim, [x], undefined);
export const round = (x: AnyTensor): AnyTensor => bind(roundPrim, [x], undefined);
