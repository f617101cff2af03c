/**
 * JavaScript code generation for fused loops. A loop over the kernel's
 * shape computes every output's expression from its leaves (buffers read
 * through strided views), in one pass, with each intermediate value in a
 * local: `tanh(x * 1.5 + 0.5) * sigmoid(x)` becomes
 *
 * ```js
 * for (let i = 0; i < 1000; i++) {
 *   const l0 = b0[i];
 *   const t1 = fround(l0 * 1.5); const t2 = fround(t1 + 0.5); ...
 *   o0[i] = t5;
 * }
 * ```
 *
 * Each result is rounded to its dtype as the eager kernel's store into a
 * typed array rounds it (float32: `Math.fround`, int32: `| 0`), so the
 * loop gives the eager JavaScript kernels' values bit for bit. Adjacent
 * dims that every leaf reads with matching strides are merged, size-1 dims
 * dropped; values that do not depend on the loop counters are computed
 * before the loop; one-element consts become literals.
 */
import { type DType, type Storage } from '../../core/dtype.js';
import { contiguousStrides, jsHelpers, type StridedView } from '../../core/lowering.js';
import { checkInt32Results } from '../../backend/cpu/reduce.js';
import type { Primitive } from '../../core/primitive.js';
import { primitives } from '../../lax/table.js';
import { sameShape } from '../../shape/index.js';
import type { Eqn, Var } from '../program.js';
import { isIdentity, viewThroughChain, type Place } from './schedule.js';

/** A compiled loop: call `fn(...outs, ...reads)` with the storages of `outs` (the stored ones) then `reads`. */
export interface JsLoop {
  readonly fn: (...arrays: Storage[]) => void;
  readonly outs: readonly Var[];
  readonly reads: readonly Var[];
  /** The generated source (for tests and debugging). */
  readonly source: string;
}

const prim = (e: Eqn): Primitive<unknown> => primitives[e.prim] as unknown as Primitive<unknown>;

/** Rounds a value to what a store into `dtype`'s typed array keeps. */
function round(d: DType, x: string): string {
  return d === 'float32' ? `fround(${x})` : d === 'int32' ? `((${x}) | 0)` : x;
}

/** An exact JavaScript literal for a number. */
export function literal(x: number): string {
  if (Object.is(x, -0)) return '-0';
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x < 0 ? `(${String(x)})` : String(x);
}

/** A reduction a loop computes: `op` of `input` (an expression var over the loop's shape) over `axes`, into a float64 accumulator. */
export interface Reduction {
  readonly input: Var;
  readonly op: 'sum' | 'max' | 'min';
  readonly axes: readonly number[];
}

interface LeafRead {
  readonly name: string;
  readonly arg: number;
  readonly view: StridedView;
}

/**
 * Generates the loop computing `outs` (vars of shape `shape` whose places
 * are fused buffers); only those with `stored[i]` are written to memory
 * (the others are read by this loop alone). `scalars` gives the value of
 * one-element consts.
 */
export function generateLoop(
  shape: readonly number[],
  outs: readonly Var[],
  places: ReadonlyMap<number, Place>,
  scalars: ReadonlyMap<number, number>,
  stored: readonly boolean[] = outs.map(() => true),
  reduce?: Reduction,
): JsLoop {
  const reads: Var[] = [];
  const argOf = new Map<number, number>();
  const leaves: LeafRead[] = [];
  const leafNames = new Map<string, string>();
  const statements: { text: string; invariant: boolean }[] = [];
  const invariantName = new Set<string>();
  const memo = new Map<string, string>();
  const outIds = new Set(outs.map((o) => o.id));
  let temps = 0;

  const readLeaf = (v: Var, view: StridedView): string => {
    if (scalars.has(v.id)) return literal(scalars.get(v.id)!);
    const key = `${v.id}@${view.offset}:${view.strides.join(',')}`;
    const known = leafNames.get(key);
    if (known !== undefined) return known;
    let arg = argOf.get(v.id);
    if (arg === undefined) {
      arg = reads.push(v) - 1;
      argOf.set(v.id, arg);
    }
    const name = `l${leaves.length}`;
    leaves.push({ name, arg, view });
    leafNames.set(key, name);
    if (view.strides.every((s, k) => s === 0 || shape[k] === 1)) invariantName.add(name);
    return name;
  };

  /** The value of `x` read through the view chain `chain` (outermost first), as a local's name or a literal. */
  const value = (x: Var, chain: readonly Eqn[], root: boolean): string => {
    const chainKey = chain.map((e) => `${e.prim}${e.out.id}<${e.inputs[0]!.id}`).join('/');
    const key = `${x.id}|${chainKey}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const p = places.get(x.id)!;
    let name: string;
    if (!root && p.kind !== 'expr') {
      const view = viewThroughChain(x, p, chain, () => {
        throw new Error('jit: internal error: a view the schedule accepted has no strides');
      });
      const base = p.kind === 'view' ? p.base : x;
      // Another output of this loop, read at the element being written: its local.
      if (outIds.has(base.id)) {
        if (!isIdentity(view, shape)) throw new Error('jit: internal error: a merged loop reads its own output at another element');
        name = value(base, [], true);
      } else name = readLeaf(base, view);
    } else {
      const e = p.kind === 'view' ? undefined : p.eqn;
      if (e === undefined) throw new Error(`jit: internal error: no expression for var ${x.id}`);
      const l = prim(e).lower;
      if (l.kind === 'view') name = value(e.inputs[0]!, [...chain, e], false);
      else if (l.kind === 'elementwise') {
        const args = e.inputs.map((a) => value(a, sameShape(a.shape, e.out.shape) ? chain : [...chain, implicitBroadcast(a, e.out)], false));
        const text = round(e.out.dtype, l.js(args, e.params, e.inputs.map((a) => a.dtype), e.out.dtype));
        name = `t${temps++}`;
        const invariant = args.every((a) => !/^[lt]\d+$/.test(a) || invariantName.has(a));
        if (invariant) invariantName.add(name);
        statements.push({ text: `const ${name} = ${text};`, invariant });
      } else throw new Error(`jit: internal error: kernel root ${e.prim} inside a fused loop`);
    }
    memo.set(key, name);
    return name;
  };

  const results = reduce === undefined ? outs.map((o) => value(o, [], true)) : [value(reduce.input, [], false)];
  // The accumulator of a reduction: strides of the kept axes of the output over the loop's shape, 0 on reduced axes.
  const kept = shape.map((d, k) => (reduce !== undefined && reduce.axes.includes(k) ? 1 : d));
  const accStrides = contiguousStrides(kept).map((s, k) => (reduce !== undefined && reduce.axes.includes(k) ? 0 : s));

  // Loop dims: size-1 dims dropped, then adjacent dims merged where every leaf (and the output) reads them as one.
  let dims: { n: number; strides: number[] }[] = [];
  shape.forEach((n, k) => {
    if (n !== 1) dims.push({ n, strides: [...leaves.map((l) => l.view.strides[k]!), accStrides[k]!] });
  });
  const merged: { n: number; strides: number[] }[] = [];
  for (const d of dims) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.strides.every((s, j) => s === d.strides[j]! * d.n)) {
      last.n *= d.n;
      last.strides = d.strides;
    } else merged.push({ n: d.n, strides: [...d.strides] });
  }
  dims = merged;
  const rank = dims.length;
  const size = dims.reduce((a, d) => a * d.n, 1);
  const outStrides = contiguousStrides(dims.map((d) => d.n));
  const counters = dims.map((_, k) => `a${k}`);
  const indexOf = (l: LeafRead, at = leaves.indexOf(l)): string => {
    const j = at;
    const identity = l.view.offset === 0 && dims.every((d, k) => d.strides[j] === outStrides[k]);
    if (identity && rank > 0) return 'i';
    const terms = dims.flatMap((d, k) => (d.strides[j] === 0 ? [] : [d.strides[j] === 1 ? counters[k]! : `${counters[k]} * ${d.strides[j]}`]));
    if (l.view.offset !== 0 || terms.length === 0) terms.unshift(String(l.view.offset));
    return terms.join(' + ');
  };

  const args = [...outs.filter((_, i) => stored[i]).map((_, i) => `o${i}`), ...reads.map((_, i) => `b${i}`), ...(reduce === undefined ? [] : ['acc'])];
  const lines: string[] = [];
  if (reduce !== undefined) lines.push(`acc.fill(${reduce.op === 'sum' ? 0 : reduce.op === 'max' ? '-Infinity' : 'Infinity'});`);
  if (size === 0) lines.push('return;');
  const load = (l: LeafRead): string => `const ${l.name} = b${l.arg}[${indexOf(l)}];`;
  for (const l of leaves) if (invariantName.has(l.name)) lines.push(load(l));
  for (const s of statements) if (s.invariant) lines.push(s.text);
  const body: string[] = [];
  for (const l of leaves) if (!invariantName.has(l.name)) body.push(load(l));
  for (const s of statements) if (!s.invariant) body.push(s.text);
  const keptOuts = outs.filter((_, i) => stored[i]);
  if (reduce === undefined) keptOuts.forEach((o) => body.push(`o${keptOuts.indexOf(o)}[i] = ${results[outs.indexOf(o)]};`));
  else {
    const accIndex = indexOf({ name: 'acc', arg: -1, view: { offset: 0, strides: [] } }, leaves.length);
    const r = results[0]!;
    body.push(reduce.op === 'sum' ? `acc[${accIndex}] += ${r};` : `{ const a = acc[${accIndex}]; if (${r} ${reduce.op === 'max' ? '>' : '<'} a || ${r} !== ${r}) acc[${accIndex}] = ${r}; }`);
  }
  if (rank === 0) {
    lines.push('const i = 0;', ...body);
  } else {
    lines.push('let i = 0;');
    let open = '';
    for (let k = 0; k < rank; k++) {
      const inner = k === rank - 1;
      open += `for (let ${counters[k]} = 0; ${counters[k]} < ${dims[k]!.n}; ${counters[k]}++${inner ? ', i++' : ''}) {\n`;
    }
    lines.push(open + body.join('\n') + '\n' + '}'.repeat(rank));
  }
  // An int32 sum that int32 cannot hold is refused, as in the eager kernel (see checkInt32Results).
  if (reduce !== undefined && reduce.op === 'sum' && outs[0]!.dtype === 'int32') lines.push("checkInt32Results('sum', acc);");
  if (reduce !== undefined) lines.push('for (let j = 0; j < acc.length; j++) o0[j] = acc[j];');
  const source = `"use strict";\nreturn function loop(${args.join(', ')}) {\n${lines.join('\n')}\n};`;
  const make = new Function('fround', 'checkInt32Results', ...Object.keys(jsHelpers), source) as (...h: unknown[]) => JsLoop['fn'];
  const fn = make(Math.fround, checkInt32Results, ...Object.values(jsHelpers));
  return { fn, outs: outs.filter((_, i) => stored[i]), reads, source };
}

function implicitBroadcast(a: Var, out: Var): Eqn {
  return { prim: 'broadcastTo', params: out.shape, inputs: [a], out };
}
