/**
 * The float32 fast path of a fused loop: when every op of a loop
 * is a float32 op of the WebAssembly fused-expression kernel
 * (`backend/wasm/fused.ts`), or a `where` on a comparison of float32
 * values, and every leaf is read whole, is one element, is a row
 * repeated over the leading dims (a bias broadcast over a batch), or is a
 * block broadcast over the dims around it (a per-channel bias over images),
 * the loop runs as one SIMD kernel with every output (on the worker threads too, when it is
 * large). Its exp, log, tanh and sigmoid are the eager WebAssembly kernels'
 * approximations (a few float32 ulps of `Math.*`, bounds in
 * `tests/backend/wasm-math.test.ts`); the other ops are exact.
 */
import { contiguousStrides, type StridedView } from '../../core/lowering.js';
import type { Primitive } from '../../core/primitive.js';
import { compareOps, fx, type CompareOp, type FusedExpr, type FusedLayout } from '../../backend/wasm/index.js';
import { primitives } from '../../lax/table.js';
import { numElements, sameShape } from '../../shape/index.js';
import type { Eqn, Var } from '../program.js';
import { isIdentity, type Place } from './schedule.js';

const prim = (e: Eqn): Primitive<unknown> => primitives[e.prim] as unknown as Primitive<unknown>;

/**
 * The period of a leaf that repeats a contiguous block over the leading
 * dims of the loop's `shape` (`view` reads `period` floats from offset 0,
 * again for every index of the leading dims), where the period is a
 * multiple of 4; else 0.
 */
export function periodOf(view: StridedView, shape: readonly number[], period: number): number {
  if (view.offset !== 0 || period % 4 !== 0 || period === 0) return 0;
  let t = shape.length, tail = 1;
  while (t > 0 && tail < period) tail *= shape[--t]!;
  if (tail !== period) return 0;
  const c = contiguousStrides(shape.slice(t));
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 1) continue;
    if (k < t ? view.strides[k] !== 0 : view.strides[k] !== c[k - t]) return 0;
  }
  return period;
}

/**
 * The channel read of a leaf that broadcasts a contiguous block over the
 * dims around it (`view` reads `count` floats from offset 0, each one for
 * `repeat` consecutive elements of the loop's `shape`, again for every
 * index of the leading dims: a per-channel bias `[C]` over `[N, C, H, W]`),
 * where `repeat` is a multiple of 4 greater than 1; else null.
 */
export function channelOf(view: StridedView, shape: readonly number[], count: number): { count: number; repeat: number } | null {
  if (view.offset !== 0 || count === 0) return null;
  const live = shape.map((d, k) => (d !== 1 && view.strides[k] !== 0 ? k : -1)).filter((k) => k >= 0);
  if (live.length === 0) return null;
  const a = live[0]!, b = live[live.length - 1]! + 1;
  const block = shape.slice(a, b), c = contiguousStrides(block);
  for (let k = a; k < b; k++) if (shape[k] !== 1 && view.strides[k] !== c[k - a]) return null;
  if (numElements(block) !== count) return null;
  const repeat = numElements(shape.slice(b));
  return repeat > 1 && repeat % 4 === 0 ? { count, repeat } : null;
}

/**
 * The expression of every stored var of `outs` over their leaves, and how
 * each leaf is read (`layout`: 0 whole, -1 one element, p > 0 a row of p
 * floats repeated, `{ count, repeat }` a channel), or null when the loop
 * does not fit the kernel.
 */
export function wasmExpressions(
  shape: readonly number[],
  outs: readonly Var[],
  places: ReadonlyMap<number, Place>,
  scalars: ReadonlyMap<number, number>,
  stored: readonly boolean[] = outs.map(() => true),
): { exprs: FusedExpr[]; leaves: Var[]; layout: FusedLayout[] } | null {
  const leaves: Var[] = [];
  const layout: FusedLayout[] = [];
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
      const period = whole || one ? 0 : periodOf(view, shape, numElements(base.shape));
      const channel = whole || one || period > 0 ? null : channelOf(view, shape, numElements(base.shape));
      if (!whole && !one && period === 0 && channel === null) return null;
      const how: FusedLayout = whole ? 0 : one ? -1 : channel ?? period;
      const same = (l: FusedLayout | undefined): boolean =>
        typeof how === 'number' ? l === how : typeof l !== 'number' && l !== undefined && l.count === how.count && l.repeat === how.repeat;
      for (let i = 0; i < leaves.length; i++) if (leaves[i] === base && same(layout[i])) return fx.input(i);
      layout.push(how);
      return fx.input(leaves.push(base) - 1);
    }
    const e = p.kind === 'view' ? undefined : p.eqn;
    if (e === undefined) return null;
    const l = prim(e).lower;
    if (l.kind === 'view') return go(e.inputs[0]!, [...chain, e], false);
    /** Input `a` of eqn `of` (broadcast to its output's shape where it is smaller). */
    const arg = (a: Var, of: Eqn): FusedExpr | null =>
      go(a, sameShape(a.shape, of.out.shape) ? chain : [...chain, { prim: 'broadcastTo', params: of.out.shape, inputs: [a], out: of.out }], false);
    if (e.prim === 'where') {
      // where(x cmp y, a, b) on float32 values, with the comparison inlined: a select.
      const [c, a, b] = e.inputs as [Var, Var, Var];
      const pc = places.get(c.id);
      if (pc?.kind !== 'expr' || !(compareOps as readonly string[]).includes(pc.eqn.prim) || !sameShape(c.shape, e.out.shape)) return null;
      const [x, y] = pc.eqn.inputs.map((v) => arg(v, pc.eqn));
      const [ea, eb] = [arg(a, e), arg(b, e)];
      if (!x || !y || !ea || !eb) return null;
      return fx.select(pc.eqn.prim as CompareOp, x, y, ea, eb);
    }
    if (l.kind !== 'elementwise' || l.wasm === undefined || e.out.dtype !== 'float32') return null;
    const args: FusedExpr[] = [];
    for (const a of e.inputs) {
      const r = arg(a, e);
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
  return { exprs, leaves, layout };
}
