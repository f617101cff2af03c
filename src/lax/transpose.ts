/**
 * `transpose(x, perm)`: output axis `k` is input axis `perm[k]` (a general
 * permutation; `permute` at the public level). Linear, so both derivative
 * rules are transposes too.
 */
import { AxisError, formatShape } from '../core/errors.js';
import { definePrimitive, type Primitive } from '../core/primitive.js';
import { shiftAxis } from './batching.js';
import { bind } from '../core/trace.js';
import { invertPermutation } from '../shape/index.js';
import { reshape } from './structural.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { transposeKernel } from '../backend/cpu/movement.js';


function isPermutation(perm: readonly number[], rank: number): boolean {
  if (perm.length !== rank) return false;
  const seen = new Array<boolean>(rank).fill(false);
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= rank || seen[p]) return false;
    seen[p] = true;
  }
  return true;
}

/** The `transpose` primitive; params: the permutation (output axis k is input axis perm[k]). */
export const transposePrim: Primitive<readonly number[]> = definePrimitive<readonly number[]>({
  name: 'transpose',
  shape: ([s], perm) => {
    if (!isPermutation(perm, s!.length)) throw new AxisError(`transpose: ${formatShape(perm)} is not a permutation of the axes of ${formatShape(s!)}`);
    return perm.map((p) => s![p]!);
  },
  dtype: ([d]) => d!,
  kernel: ([x], perm, outShape, outDType) => transposeKernel(x!, perm, outShape, outDType),
  // transpose is linear: d transpose(x) = transpose(dx)
  jvp: ([t], _x, _out, perm) => (t === null ? null : transpose(t, perm)),
  // The adjoint of a permutation of axes is the inverse permutation.
  vjp: (ct, _x, _out, perm) => [transpose(ct, invertPermutation(perm))],
  // The batch axis stays in front; the other axes permute as in one element.
  batch: ([x], [d], perm) => [transpose(x!, [d!, ...perm.map((p) => shiftAxis(p, d!))]), 0],
  // Output axis k reads input axis perm[k].
  lower: { kind: 'view', view: (v, _s, perm) => ({ offset: v.offset, strides: perm.map((p) => v.strides[p]!) }) },
});

/** Permutes the axes of `x`: output axis `k` is input axis `perm[k]`. The identity permutation returns `x`. */
export function transpose(x: AnyTensor, perm: readonly number[]): AnyTensor {
  const shape = dimsOf(x);
  if (perm.length !== shape.length) return bind(transposePrim, [x], perm); // the shape rule reports it
  // When the axes of size > 1 keep their order, the elements do too: a reshape (a view) is enough.
  let last = -1;
  let inOrder = true;
  for (let k = 0; inOrder && k < perm.length; k++) {
    const axis = perm[k]!;
    if (shape[axis] === 1) continue;
    inOrder = axis > last;
    last = axis;
  }
  if (!inOrder || new Set(perm).size !== perm.length || perm.some((a) => !(a >= 0 && a < shape.length) || !Number.isInteger(a))) {
    return bind(transposePrim, [x], perm);
  }
  return reshape(x, perm.map((a) => shape[a]!));
}
