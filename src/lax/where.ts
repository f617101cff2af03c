/**
 * `where(cond, a, b)`: picks `a` where `cond` is true, else `b`, with the
 * three operands broadcast together. The condition gets no derivative.
 */
import { allocate, allocateOverwritten, promoteDTypes } from '../core/dtype.js';
import { DTypeError } from '../core/errors.js';
import { definePrimitive, type Primitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf, storageOf } from '../core/tensor.js';
import { broadcastStrides } from '../backend/cpu/elementwise.js';
import { whereF32 } from '../backend/cpu/select.js';
import { broadcastShapes, numElements } from '../shape/index.js';
import { broadcastLike, sumTo, zerosLike } from './index.js';
import { broadcastBatch } from './batching.js';

export const wherePrim: Primitive = definePrimitive({
  name: 'where',
  shape: ([c, a, b]) => broadcastShapes('where', broadcastShapes('where', c!, a!), b!),
  dtype: ([c, a, b]) => {
    if (c !== 'bool') throw new DTypeError(`where: condition must be bool, got ${c}`);
    return promoteDTypes(a!, b!);
  },
  kernel: ([c, a, b], _p, outShape, outDType) => {
    const size = numElements(outShape);
    // Every element is written below: a float32 output need not be zeroed first.
    const out = outDType === 'float32' ? allocateOverwritten(size) : allocate(outDType, size);
    const cd = storageOf(c!), ad = storageOf(a!), bd = storageOf(b!);
    // Fast path: every operand is either full size or a single element (a scalar branch, the common case).
    const cn = c!.size, an = a!.size, bn = b!.size;
    if ((cn === size || cn === 1) && (an === size || an === 1) && (bn === size || bn === 1)) {
      if (out instanceof Float32Array && ad instanceof Float32Array && bd instanceof Float32Array && cd instanceof Uint8Array) {
        whereF32(cd, cn === size ? 1 : 0, ad, an === size ? 1 : 0, bd, bn === size ? 1 : 0, out, size);
      } else if (cn === size && an === size && bn === size) {
        for (let i = 0; i < size; i++) out[i] = cd[i] ? ad[i]! : bd[i]!;
      } else {
        const cs = cn === size ? 1 : 0, as = an === size ? 1 : 0, bs = bn === size ? 1 : 0;
        for (let i = 0; i < size; i++) out[i] = cd[i * cs] ? ad[i * as]! : bd[i * bs]!;
      }
      return out;
    }
    const rank = outShape.length;
    const cs = broadcastStrides(dimsOf(c!), outShape), as = broadcastStrides(dimsOf(a!), outShape), bs = broadcastStrides(dimsOf(b!), outShape);
    const counter = new Array<number>(rank).fill(0);
    let ci = 0, ai = 0, bi = 0;
    for (let o = 0; o < size; o++) {
      out[o] = cd[ci] ? ad[ai]! : bd[bi]!;
      for (let k = rank - 1; k >= 0; k--) {
        counter[k]!++;
        ci += cs[k]!; ai += as[k]!; bi += bs[k]!;
        if (counter[k]! < outShape[k]!) break;
        ci -= cs[k]! * outShape[k]!; ai -= as[k]! * outShape[k]!; bi -= bs[k]! * outShape[k]!;
        counter[k] = 0;
      }
    }
    return out;
  },
  // d where(c, a, b) = where(c, da, db)
  jvp: ([, ta, tb], [c, a, b], out) => {
    if (ta === null && tb === null) return null;
    return broadcastLike(where(c!, ta ?? zerosLike(a!), tb ?? zerosLike(b!)), out);
  },
  vjp: (ct, [c, a, b], _out, _p, wanted) => {
    const zero = zerosLike(ct);
    return [null, wanted[1] ? sumTo(where(c!, ct, zero), a!) : null, wanted[2] ? sumTo(where(c!, zero, ct), b!) : null];
  },
  // Elementwise in all three operands.
  batch: broadcastBatch(() => wherePrim),
  lower: { kind: 'elementwise', js: ([c, a, b]) => `(${c} ? ${a} : ${b})` },
});

export const where = (c: AnyTensor, a: AnyTensor, b: AnyTensor): AnyTensor => bind(wherePrim, [c, a, b], undefined);
