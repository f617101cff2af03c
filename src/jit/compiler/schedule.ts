/**
 * Scheduling: turns a program into a static list of steps, each one kernel.
 *
 * Every var gets a place:
 * - a **buffer** (an input, a const, the output of a kernel root or of a
 *   fused loop);
 * - a **view** of a buffer (reshape, broadcast, transpose, slice of a
 *   buffer: no copy, the strides are folded into the loops that read it);
 * - an **expression** (an elementwise result used once, or a view of
 *   one): it is inlined into the loop of the kernel that reads it.
 *
 * A var becomes a buffer (is "materialised") when it is a program output,
 * when a kernel root reads it, when two eqns read it (except a comparison
 * of stored values, which each reader recomputes), when it is broadcast
 * (a computed value broadcast is stored once rather than recomputed per
 * copy, as tinygrad does), or when a view cannot be expressed by strides
 * (a reshape of a transposed value). Fused loops of the same shape merge
 * into one loop with several outputs when nothing between them reads the
 * earlier one's outputs (an optimizer update writes every new value in
 * one pass).
 */
import type { Primitive } from '../../core/primitive.js';
import { contiguousStrides, type StridedView } from '../../core/lowering.js';
import { primitives } from '../../lax/table.js';
import { numElements, sameShape } from '../../shape/index.js';
import type { Eqn, Program, Var } from '../program.js';
import { matmulTakesTransposed } from './direct.js';

/** How a var is held at run time. */
export type Place =
  /** `eqn`: the elementwise eqn a fused loop computes it with (absent for inputs, consts and kernel outputs). */
  | { readonly kind: 'buffer'; readonly eqn?: Eqn }
  | { readonly kind: 'view'; readonly base: Var; readonly view: StridedView }
  | { readonly kind: 'expr'; readonly eqn: Eqn };

/** A leaf of a fused loop: a buffer read through a strided view over the loop's shape. */
export interface Leaf {
  readonly v: Var;
  readonly view: StridedView;
}

/** One step of the schedule. */
export type Step =
  /** One loop over `shape` computing every var of `outs` (elementwise expressions over leaves). */
  | { readonly kind: 'fused'; readonly shape: readonly number[]; readonly outs: readonly Var[] }
  /** A kernel root: the primitive's eager kernel. */
  | { readonly kind: 'kernel'; readonly eqn: Eqn }
  /** A sum, max or min whose operand is an elementwise expression: one loop computes the operand and reduces it. */
  | { readonly kind: 'reduce'; readonly eqn: Eqn };

export interface Schedule {
  readonly places: ReadonlyMap<number, Place>;
  readonly steps: readonly Step[];
}

const prim = (e: Eqn): Primitive<unknown> => primitives[e.prim] as unknown as Primitive<unknown>;

/** True when `v` reads a buffer of `shape` in row-major order from its start. */
export function isIdentity(v: StridedView, shape: readonly number[]): boolean {
  if (v.offset !== 0) return false;
  const c = contiguousStrides(shape);
  for (let k = 0; k < shape.length; k++) if (shape[k] !== 1 && v.strides[k] !== c[k]) return false;
  return true;
}

/** True when `v` reads `shape` contiguously (from any offset): a subarray of its base. */
export function isContiguous(v: StridedView, shape: readonly number[]): boolean {
  return isIdentity({ offset: 0, strides: v.strides }, shape);
}

/**
 * True when `v` reads the 2-D `shape` `[r, c]` as the transpose of a
 * contiguous `[c, r]` block (from any offset): element `(i, j)` at
 * `offset + i + j·r`. A matmul reads such an operand in place (see
 * `transposedOperands`).
 */
export function isTransposed2D(v: StridedView, shape: readonly number[]): boolean {
  if (shape.length !== 2) return false;
  const [r, c] = shape as [number, number];
  return (r === 1 || v.strides[0] === 1) && (c === 1 || v.strides[1] === r);
}

/**
 * For each operand of `e`, whether the kernel reads it transposed in place:
 * a 2-D matmul on the float32 fast path takes an operand that is a
 * transposed view of a buffer without a copy (wasm packers read it
 * strided). All false for other eqns.
 */
export function transposedOperands(e: Eqn, places: ReadonlyMap<number, Place>): boolean[] {
  if (!matmulTakesTransposed(e)) return e.inputs.map(() => false);
  return e.inputs.map((x) => {
    const p = places.get(x.id);
    return p !== undefined && p.kind === 'view' && !isContiguous(p.view, x.shape) && isTransposed2D(p.view, x.shape);
  });
}

/** Comparison primitives: cheap enough to recompute in every loop that reads them. */
const comparisons: ReadonlySet<string> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/** Thrown inside planning: materialise `v` and plan again. */
class Materialise {
  constructor(readonly v: Var) {}
}

/** Builds the schedule of a program (after the passes). */
export function schedule(program: Program): Schedule {
  const forced = new Set<number>();
  for (;;) {
    try {
      return plan(program, forced);
    } catch (e) {
      if (!(e instanceof Materialise)) throw e;
      if (forced.has(e.v.id)) throw new Error(`jit: internal error: var ${e.v.id} materialised twice`);
      forced.add(e.v.id);
    }
  }
}

function plan(program: Program, forced: ReadonlySet<number>): Schedule {
  const uses = new Map<number, number>();
  const count = (v: Var): void => void uses.set(v.id, (uses.get(v.id) ?? 0) + 1);
  for (const e of program.eqns) for (const v of new Set(e.inputs)) count(v);
  const outputs = new Set(program.outputs.map((v) => v.id));
  const broadcastInputs = new Set<number>();
  for (const e of program.eqns) if (e.prim === 'broadcastTo') broadcastInputs.add(e.inputs[0]!.id);

  const places = new Map<number, Place>();
  for (const v of program.inputs) places.set(v.id, { kind: 'buffer' });
  for (const c of program.consts) places.set(c.v.id, { kind: 'buffer' });
  const steps: Step[] = [];
  const producer = new Map<number, number>(); // var id -> step index
  const eqnOf = new Map<number, Eqn>();

  /** A buffer or a strided view of one that a kernel root can read as a contiguous array. */
  const needContiguous = (v: Var): void => {
    const p = places.get(v.id)!;
    if (p.kind === 'expr') throw new Materialise(v);
    if (p.kind === 'view' && !isContiguous(p.view, v.shape)) throw new Materialise(v);
  };

  for (const e of program.eqns) {
    eqnOf.set(e.out.id, e);
    const lower = prim(e).lower;
    const v = e.out;
    if (lower.kind === 'kernel') {
      if (fusableReduction(e) && places.get(e.inputs[0]!.id)!.kind === 'expr' && !forced.has(e.inputs[0]!.id)) {
        places.set(v.id, { kind: 'buffer' });
        producer.set(v.id, steps.length);
        steps.push({ kind: 'reduce', eqn: e });
        continue;
      }
      const takesT = matmulTakesTransposed(e);
      for (const x of e.inputs) {
        const px = places.get(x.id)!;
        if (takesT && px.kind === 'view' && isTransposed2D(px.view, x.shape)) continue;
        needContiguous(x);
      }
      places.set(v.id, { kind: 'buffer' });
      producer.set(v.id, steps.length);
      steps.push({ kind: 'kernel', eqn: e });
      continue;
    }
    if (lower.kind === 'view') {
      const x = e.inputs[0]!;
      const px = places.get(x.id)!;
      if (px.kind === 'expr' && broadcastInputs.has(x.id) && numElements(x.shape) < numElements(v.shape)) throw new Materialise(x);
      if (px.kind !== 'expr' && !forced.has(v.id) && !outputs.has(v.id)) {
        const base = px.kind === 'view' ? px.base : x;
        const from = px.kind === 'view' ? px.view : { offset: 0, strides: contiguousStrides(x.shape) };
        const view = lower.view(from, x.shape, e.params, v.shape);
        if (view === null) throw new Materialise(x);
        places.set(v.id, { kind: 'view', base, view });
        continue;
      }
    }
    // An elementwise result, or a view of one: an expression, unless it must be stored. A comparison
    // of stored values is recomputed by each reader instead (one compare, no boolean buffer), which
    // keeps the loops that read it on the float32 WebAssembly path.
    const recomputed = comparisons.has(e.prim) && e.inputs.every((x) => places.get(x.id)!.kind !== 'expr');
    const materialise = forced.has(v.id) || outputs.has(v.id) || ((uses.get(v.id) ?? 0) > 1 && !recomputed);
    // A smaller computed operand broadcast into this one is stored once, not recomputed per copy.
    if (lower.kind === 'elementwise') {
      for (const x of e.inputs) if (places.get(x.id)!.kind === 'expr' && numElements(x.shape) < numElements(v.shape)) throw new Materialise(x);
    }
    places.set(v.id, { kind: 'expr', eqn: e });
    if (materialise) {
      places.set(v.id, { kind: 'buffer', eqn: e });
      producer.set(v.id, steps.length);
      steps.push({ kind: 'fused', shape: v.shape, outs: [v] });
    }
  }
  // An output that is a view of a buffer we compute is copied, so the executable never hands out
  // a view of a buffer it reuses; views of inputs and consts are handed out as they are (nothing writes them).
  for (const o of program.outputs) {
    const p = places.get(o.id)!;
    if (p.kind === 'view' && !isContiguous(p.view, o.shape)) throw new Materialise(o);
  }
  // Every leaf view of a fused loop must be expressible: check now (a failure materialises and replans).
  for (const s of steps) {
    if (s.kind === 'fused') for (const o of s.outs) leavesOf(o, places, o.shape);
    else if (s.kind === 'reduce') walkExpr(s.eqn.inputs[0]!, places, false, () => {}, s.eqn.inputs[0]!.shape);
  }
  return { places, steps: mergeLoops(steps, places) };
}

/**
 * The leaves of the expression of `v` (a fused output, or an expression
 * var), each with its view over the loop's shape `shape`. Throws
 * `Materialise` where a view cannot be pushed down to a leaf.
 */
export function leavesOf(v: Var, places: ReadonlyMap<number, Place>, shape: readonly number[]): Leaf[] {
  const leaves: Leaf[] = [];
  const seen = new Set<string>();
  const add = (leaf: Leaf): void => {
    const key = `${leaf.v.id}@${leaf.view.offset}:${leaf.view.strides.join(',')}`;
    if (!seen.has(key)) {
      seen.add(key);
      leaves.push(leaf);
    }
  };
  walkExpr(v, places, true, (leaf) => add(leaf), shape);
  return leaves;
}

/**
 * Walks the expression tree of `v` with views pushed down: `onLeaf` is
 * called for every buffer read. `top` says that `v` itself is the root (a
 * buffer var being computed, not read).
 */
export function walkExpr(
  v: Var,
  places: ReadonlyMap<number, Place>,
  top: boolean,
  onLeaf: (leaf: Leaf) => void,
  shape: readonly number[],
): void {
  // The chain of views applied above the current var, outermost last.
  const go = (x: Var, chain: readonly Eqn[], root: boolean): void => {
    const p = places.get(x.id)!;
    if (!root && p.kind !== 'expr') {
      const view = viewThroughChain(x, p, chain, (e) => {
        throw new Materialise(e.inputs[0]!);
      });
      onLeaf({ v: p.kind === 'view' ? p.base : x, view });
      return;
    }
    const e = p.kind === 'view' ? undefined : p.eqn;
    if (e === undefined) throw new Error(`jit: internal error: no expression for var ${x.id}`);
    const l = prim(e).lower;
    if (l.kind === 'view') go(e.inputs[0]!, [...chain, e], false);
    else for (const a of e.inputs) go(a, broadcastChain(a, e.out, chain), false);
  };
  go(v, [], top);
  void shape;
}

/** Operands of an elementwise eqn are broadcast to its output's shape: an implicit broadcastTo in the chain. */
/**
 * The strided view of `x`'s stored place (a buffer, or a view of one) seen
 * through `chain`, the view primitives applied above it (outermost last).
 * `unviewable` is called for a view primitive that strides cannot express.
 */
export function viewThroughChain(x: Var, p: Place, chain: readonly Eqn[], unviewable: (e: Eqn) => never): StridedView {
  let view: StridedView = p.kind === 'view' ? p.view : { offset: 0, strides: contiguousStrides(x.shape) };
  let cur = x.shape;
  for (let i = chain.length - 1; i >= 0; i--) {
    const e = chain[i]!;
    const l = prim(e).lower;
    if (l.kind !== 'view') throw new Error('jit: internal error: a non-view in a view chain');
    view = l.view(view, cur, e.params, e.out.shape) ?? unviewable(e);
    cur = e.out.shape;
  }
  return view;
}

function broadcastChain(a: Var, out: Var, chain: readonly Eqn[]): readonly Eqn[] {
  if (sameShape(a.shape, out.shape)) return chain;
  const b: Eqn = { prim: 'broadcastTo', params: out.shape, inputs: [a], out };
  return [...chain, b];
}

/**
 * Merges fused loops of the same shape into one loop with several outputs:
 * loop B joins the latest earlier loop A of its shape when no step between
 * them reads A's outputs, and B reads A's outputs only element for element
 * (so the value is still in a register). The merged loop runs at B's place.
 */
function mergeLoops(steps: readonly Step[], places: ReadonlyMap<number, Place>): Step[] {
  const out: (Step | null)[] = [...steps];
  const readsOf = (s: Step): Set<number> => {
    const r = new Set<number>();
    if (s.kind === 'kernel') for (const x of s.eqn.inputs) r.add(baseOf(x, places).id);
    else if (s.kind === 'reduce') walkExpr(s.eqn.inputs[0]!, places, false, (l) => r.add(l.v.id), s.eqn.inputs[0]!.shape);
    else for (const o of s.outs) walkExpr(o, places, true, (l) => r.add(l.v.id), s.shape);
    return r;
  };
  const reads = out.map((s) => readsOf(s!));
  for (let j = 0; j < out.length; j++) {
    const b = out[j]!;
    if (b.kind !== 'fused') continue;
    // What the steps strictly between a candidate and B read: A may not move past a reader of its outputs.
    const between = new Set<number>();
    for (let i = j - 1; i >= 0; i--) {
      const a = out[i];
      if (a === null || a === undefined) continue;
      if (a.kind === 'fused' && sameShape(a.shape, b.shape) && a.outs.every((v) => !between.has(v.id)) && elementForElement(b, new Set(a.outs.map((v) => v.id)), places)) {
        out[j] = { kind: 'fused', shape: b.shape, outs: [...a.outs, ...b.outs] };
        reads[j] = new Set([...reads[i]!, ...reads[j]!]);
        out[i] = null;
        break;
      }
      for (const id of reads[i]!) between.add(id);
    }
  }
  return out.filter((s): s is Step => s !== null);
}

/** True when loop `b` reads the vars `ids` only at the element it writes. */
function elementForElement(b: Step & { kind: 'fused' }, ids: ReadonlySet<number>, places: ReadonlyMap<number, Place>): boolean {
  let ok = true;
  for (const o of b.outs) {
    walkExpr(o, places, true, (l) => {
      if (ids.has(l.v.id) && !isIdentity(l.view, b.shape)) ok = false;
    }, b.shape);
  }
  return ok;
}

/**
 * A reduction a loop can absorb its operand into: sum, max or min of a
 * non-empty float or int32 operand over at least one axis, in the operand's dtype.
 */
export function fusableReduction(e: Eqn): boolean {
  if (e.prim !== 'sum' && e.prim !== 'max' && e.prim !== 'min') return false;
  const x = e.inputs[0]!;
  const { axes } = e.params as { axes: readonly number[] };
  return x.dtype !== 'bool' && x.dtype === e.out.dtype && axes.length > 0 && numElements(x.shape) > 0;
}

/** The buffer behind a var that is a buffer or a view of one. */
export function baseOf(v: Var, places: ReadonlyMap<number, Place>): Var {
  const p = places.get(v.id)!;
  return p.kind === 'view' ? p.base : v;
}
