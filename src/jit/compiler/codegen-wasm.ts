/**
 * The float32 fast path of a fused loop: when every op of a loop
 * is a float32 op of the WebAssembly fused-expression kernel
 * (`backend/wasm/fused.ts`) and every leaf is read whole or is one element,
 * the loop runs as one SIMD kernel with every output (on the worker threads too, when it is
 * large). Its exp, log, tanh and sigmoid are the eager WebAssembly kernels'
 * approximations (a few float32 ulps of `Math.*`, bounds in
 * `tests/backend/wasm-math.test.ts`); the other ops are exact.
 */
import { contiguousStrides, type StridedView } from '../../core/lowering.js';
import type { Primitive } from '../../core/primitive.js';
import { fx, type FusedExpr } from '../../backend/wasm/index.js';
import { primitives } from '../../lax/table.js';
import { numElements, sameShape } from '../../shape/index.js';
import type { Eqn, Var } from '../program.js';
import { isIdentity, type Place } from './schedule.js';

const prim = (e: Eqn): Primitive<unknown> => primitives[e.prim] as unknown as Primitive<unknown>;

/** The expression of every stored var of `outs` over their leaves (buffers read whole or as one element), or null when the loop does not fit the kernel. */
export function wasmExpressions(
  shape: readonly number[],
  outs: readonly Var[],
  places: ReadonlyMap<number, Place>,
  scalars: ReadonlyMap<number, number>,
  stored: readonly boolean[] = outs.map(() => true),
): { exprs: FusedExpr[]; leaves: Var[] } | null {
  const leaves: Var[] = [];
  const outIds = new Set(outs.map((o) => o.id));
  const size = numElements(shape);
  const go = (x: Var, chain: readonly Eqn[], root: boolean): FusedExpr | null => {
    if (x.dtype !== 'float32') return null;
    const p = places.get(x.id)!;
    if (!root && p.kind !== 'expr') {
      if (scalars.has(x.id)) return fx.constant(scalars.get(x.id)!);
      let view: StridedView | null = p.kind === 'view' ? p.view : { offset: 0, strides: contiguousStrides(x.shape) };
      let cur = x.shape;
      for (let i = chain.length - 1; i >= 0 && view !== null; i--) {
        const e = chain[i]!;
        const l = prim(e).lower;
        if (l.kind !== 'view') return null;
        view = l.view(view, cur, e.params, e.out.shape);
        cur = e.out.shape;
      }
      if (view === null) return null;
      const base = p.kind === 'view' ? p.base : x;
      // Another output of this loop, read at the element being written: its expression again (the module computes it once).
      if (outIds.has(base.id)) return isIdentity(view, shape) ? go(base, [], true) : null;
      const whole = isIdentity(view, shape) && numElements(base.shape) === size;
      const one = numElements(base.shape) === 1;
      if (!whole && !one) return null;
      let i = leaves.indexOf(base);
      if (i < 0) i = leaves.push(base) - 1;
      return fx.input(i);
    }
    const e = p.kind === 'view' ? undefined : p.eqn;
    if (e === undefined) return null;
    const l = prim(e).lower;
    if (l.kind === 'view') return go(e.inputs[0]!, [...chain, e], false);
    if (l.kind !== 'elementwise' || l.wasm === undefined || e.out.dtype !== 'float32') return null;
    const args: FusedExpr[] = [];
    for (const a of e.inputs) {
      const b: Eqn = { prim: 'broadcastTo', params: e.out.shape, inputs: [a], out: e.out };
      const r = go(a, sameShape(a.shape, e.out.shape) ? chain : [...chain, b], false);
      if (r === null) return null;
      args.push(r);
    }
    const op = l.wasm;
    if (args.length === 1) return { kind: 'unary', op: op as 'exp', x: args[0]! };
    return { kind: 'binary', op: op as 'add', a: args[0]!, b: args[1]! };
  };
  const exprs: FusedExpr[] = [];
  for (const o of outs.filter((_, i) => stored[i])) {
    const e = go(o, [], true);
    if (e === null) return null;
    exprs.push(e);
  }
  return { exprs, leaves };
}
