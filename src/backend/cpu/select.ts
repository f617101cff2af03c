/**
 * Float32 loops for comparisons and `where` on operands that are full size
 * or a single element (a ReLU's mask `x > 0` and its backward
 * `where(mask, ct, 0)`, every step of a training loop). The generic loops
 * serve every dtype, and an element access that has seen them all is
 * megamorphic, several times slower; these see float32 (and the bool mask)
 * only. Same results as the generic loops, element for element.
 */

/** The comparisons with a float32 loop. */
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/**
 * `out[i] = a[i·sa] op b[i·sb]` as 1 or 0, for `n` elements (`sa`, `sb`: 1 for a full operand, 0 for a single element).
 *
 * @example
 * ```ts
 * const out = new Uint8Array(3);
 * compareF32('gt', new Float32Array([-1, 0, 2]), 1, new Float32Array([0]), 0, out, 3); // [0, 0, 1]
 * ```
 */
export function compareF32(op: CompareOp, a: Float32Array, sa: number, b: Float32Array, sb: number, out: Uint8Array, n: number): void {
  if (sa === 1 && sb === 0) {
    const v = b[0]!;
    if (op === 'gt') for (let i = 0; i < n; i++) out[i] = a[i]! > v ? 1 : 0;
    else if (op === 'ge') for (let i = 0; i < n; i++) out[i] = a[i]! >= v ? 1 : 0;
    else if (op === 'lt') for (let i = 0; i < n; i++) out[i] = a[i]! < v ? 1 : 0;
    else if (op === 'le') for (let i = 0; i < n; i++) out[i] = a[i]! <= v ? 1 : 0;
    else if (op === 'eq') for (let i = 0; i < n; i++) out[i] = a[i]! === v ? 1 : 0;
    else for (let i = 0; i < n; i++) out[i] = a[i]! !== v ? 1 : 0;
    return;
  }
  for (let i = 0, ai = 0, bi = 0; i < n; i++, ai += sa, bi += sb) {
    const x = a[ai]!, y = b[bi]!;
    out[i] = (op === 'gt' ? x > y : op === 'ge' ? x >= y : op === 'lt' ? x < y : op === 'le' ? x <= y : op === 'eq' ? x === y : x !== y) ? 1 : 0;
  }
}

/**
 * `out[i] = c[i·sc] ? a[i·sa] : b[i·sb]` for `n` elements (strides 1 for full operands, 0 for single elements).
 *
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * whereF32(new Uint8Array([1, 0]), 1, new Float32Array([5, 6]), 1, new Float32Array([0]), 0, out, 2); // [5, 0]
 * ```
 */
export function whereF32(c: Uint8Array, sc: number, a: Float32Array, sa: number, b: Float32Array, sb: number, out: Float32Array, n: number): void {
  if (sc === 1 && sa === 1 && sb === 0) {
    const v = b[0]!;
    for (let i = 0; i < n; i++) out[i] = c[i] ? a[i]! : v;
    return;
  }
  for (let i = 0, ci = 0, ai = 0, bi = 0; i < n; i++, ci += sc, ai += sa, bi += sb) out[i] = c[ci] ? a[ai]! : b[bi]!;
}
