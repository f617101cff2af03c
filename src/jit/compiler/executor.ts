/**
 * The executor: a schedule and a memory plan turned, once, into a list of
 * closures over one array of storages. A call stores its inputs' storages,
 * runs the closures in order and wraps the outputs: no shape rules, no
 * tracers, no per-call planning.
 *
 * Buffers: intermediates written by fused loops live in blocks planned at
 * compile time and reused by every call; kernel roots return fresh storage;
 * the program's outputs (and anything an output is a view of) are fresh on
 * every call, so a later call never overwrites what an earlier one
 * returned, and nothing ever writes an input.
 */
import { allocate, type DType, type Storage } from '../../core/dtype.js';
import { ValueError } from '../../core/errors.js';
import type { Primitive } from '../../core/primitive.js';
import { type ArrayTensor, fromStorage, frozenShape, markDonated, storageOf } from '../../core/tensor.js';
import { primitives } from '../../lax/table.js';
import { numElements } from '../../shape/index.js';
import type { Shape } from '../../shape/dim.js';
import { type Executable, type Program, type Var, matchesVar } from '../program.js';
import { generateLoop, type JsLoop } from './codegen-js.js';
import { wasmExpressions } from './codegen-wasm.js';
import { directKernel } from './direct.js';
import { wasmEnabled } from '../../backend/accelerated.js';
import { wasmFusedPreparedF32, type FusedExpr, type FusedLayout } from '../../backend/wasm/index.js';
import { handOut, isHandedOut, isResident, residentBlock, residentMode, StagedInputs } from './resident.js';
import { bytesOf, planMemory, type Lifetime } from './memory.js';
import { type Schedule, baseOf, isContiguous, isIdentity, isTransposed2D, transposedOperands, walkExpr } from './schedule.js';

type Tensor = ArrayTensor<Shape, DType>;

/** What the executor built, for tests and debugging. */
export interface ExecutorInfo {
  /** Generated loops, in step order. */
  readonly loops: readonly JsLoop[];
  /** Bytes of every reusable block of the memory plan. */
  readonly blocks: readonly number[];
  /** Fused loops that run as WebAssembly SIMD kernels. */
  readonly wasmLoops: number;
  /** Outputs that may be written into donated inputs. */
  readonly donated: number;
  /** Intermediates that live in planned blocks. */
  readonly planned: number;
}

function typedView(buffer: ArrayBufferLike, dtype: DType, size: number, offset = 0): Storage {
  switch (dtype) {
    case 'float32': return new Float32Array(buffer, offset, size);
    case 'float64': return new Float64Array(buffer, offset, size);
    case 'int32': return new Int32Array(buffer, offset, size);
    default: return new Uint8Array(buffer, offset, size);
  }
}

/** Elements from which a float32 input is staged into kernel memory (resident mode). */
const STAGE_MIN = 64;

/**
 * Elements from which a float32 loop runs as a WebAssembly kernel: with a
 * transcendental op, and without. In resident mode nothing is copied in or
 * out, so only the call itself has to pay off.
 */
const WASM_LOOP_MIN = { transcendental: 256, arithmetic: 4096 };
const WASM_LOOP_MIN_RESIDENT = { transcendental: 32, arithmetic: 128 };

/**
 * The WebAssembly loops store subnormal float32 results as zeros of their
 * sign (flush to zero, as XLA does on CPU): each such value is off by less
 * than 2^-126 ≈ 1.2e-38. x86 cores take some 100 cycles for each operation
 * on a subnormal; Adam's moments of a dead ReLU unit decay into that range
 * and stay there, which made W2's jitted epoch 1.6x slower. Loops that run
 * as JavaScript (small ones) keep subnormals.
 */
const FLUSH_SUBNORMALS = true;

const transcendental = (e: FusedExpr): boolean =>
  e.kind === 'unary' ? ['exp', 'log', 'tanh', 'sigmoid'].includes(e.op) || transcendental(e.x)
  : e.kind === 'binary' ? transcendental(e.a) || transcendental(e.b)
  : e.kind === 'select' ? [e.x, e.y, e.a, e.b].some(transcendental)
  : false;

/** The WebAssembly form of a float32 loop that is large enough, or null. */
function wasmLoop(shape: readonly number[], outs: readonly Var[], places: Schedule['places'], scalars: ReadonlyMap<number, number>, stored: readonly boolean[], resident: boolean): { exprs: FusedExpr[]; leaves: Var[]; layout: FusedLayout[] } | null {
  const size = numElements(shape);
  const min = resident ? WASM_LOOP_MIN_RESIDENT : WASM_LOOP_MIN;
  if (size < min.transcendental || !stored.some(Boolean) || !wasmEnabled()) return null;
  const w = wasmExpressions(shape, outs, places, scalars, stored);
  if (w === null || (size < min.arithmetic && !w.exprs.some(transcendental))) return null;
  return w;
}

/** An empty storage, for slots that hold nothing between calls. */
const NONE: Storage = new Float32Array(0);

/** True when two typed arrays share bytes. */
function overlaps(a: Storage, b: Storage): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** True when the loop `s` reads `d` only at the element it writes. */
function readsElementwise(s: Schedule['steps'][number], d: Var, places: Schedule['places']): boolean {
  if (s.kind !== 'fused') return false;
  let ok = true;
  for (const o of s.outs) walkExpr(o, places, true, (l) => { if (l.v.id === d.id && !isIdentity(l.view, s.shape)) ok = false; }, s.shape);
  return ok;
}

/**
 * The kernel-memory blocks of each executable's memory plan. A block is
 * freed when its array is collected; the executable reads the block
 * through other views (one per planned var), so it holds the arrays here.
 */
const ownedBlocks = new WeakMap<Executable, readonly Float32Array[]>();

/** Builds the executable of a scheduled program. */
export function buildExecutor(program: Program, sched: Schedule, donate: readonly boolean[] = []): { run: Executable; info: ExecutorInfo } {
  const { places, steps } = sched;
  const slot = new Map<number, number>();
  const slotOf = (v: Var): number => {
    let s = slot.get(v.id);
    if (s === undefined) {
      s = slot.size;
      slot.set(v.id, s);
    }
    return s;
  };
  const varById = new Map<number, Var>();
  for (const v of program.inputs) varById.set(v.id, v);
  for (const c of program.consts) varById.set(c.v.id, c.v);
  for (const e of program.eqns) varById.set(e.out.id, e.out);

  // One-element consts become literals of the loops.
  const scalars = new Map<number, number>();
  for (const c of program.consts) if (c.value.size === 1) scalars.set(c.v.id, storageOf(c.value)[0]!);

  // Fresh on every call: outputs and the buffers outputs are views of.
  const fresh = new Set<number>();
  for (const o of program.outputs) fresh.add(baseOf(o, places).id);

  // Lifetimes of fused-loop intermediates over the step order.
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const readsOf: Set<number>[] = steps.map((s) => {
    const r = new Set<number>();
    if (s.kind === 'kernel') for (const x of s.eqn.inputs) r.add(baseOf(x, places).id);
    else if (s.kind === 'reduce') walkExpr(s.eqn.inputs[0]!, places, false, (l) => r.add(l.v.id), s.eqn.inputs[0]!.shape);
    else for (const o of s.outs) walkExpr(o, places, true, (l) => r.add(l.v.id), s.shape);
    return r;
  });
  const producer = new Map(program.eqns.map((q) => [q.out.id, q]));
  const producerOf = (v: Var) => producer.get(v.id);
  const directs = steps.map((s) => (s.kind === 'kernel' ? directKernel(s.eqn, transposedOperands(s.eqn, places), producerOf) : null));
  steps.forEach((s, i) => {
    if (s.kind === 'fused') for (const o of s.outs) first.set(o.id, i);
    else if (s.kind === 'reduce' || directs[i] !== null) first.set(s.eqn.out.id, i);
    for (const id of readsOf[i]!) last.set(id, i);
  });
  // A loop output that no other step reads (and that is no output) stays in a local: it is never stored.
  const readElsewhere = new Set<number>();
  steps.forEach((s, i) => {
    const own = new Set(s.kind === 'fused' ? s.outs.map((o) => o.id) : []);
    for (const id of readsOf[i]!) if (!own.has(id)) readElsewhere.add(id);
  });
  const storedOf = (s: Schedule['steps'][number]): boolean[] =>
    s.kind === 'fused' ? s.outs.map((o) => fresh.has(o.id) || readElsewhere.has(o.id)) : [];
  const lifetimes: Lifetime[] = [];
  for (const [id, f] of first) {
    if (fresh.has(id) || !readElsewhere.has(id)) continue;
    const v = varById.get(id)!;
    lifetimes.push({ id, bytes: bytesOf(v.dtype, numElements(v.shape)), first: f, last: Math.max(f, last.get(id) ?? f) });
  }
  const plan = planMemory(lifetimes);

  // Donation: a fused loop may write an output into a donated input's storage when that loop is the
  // input's last reader and reads it only at the element it writes (checked again per call: the storage
  // must not overlap another input's or a const's).
  const donations: { out: number; input: number }[] = [];
  const claimed = new Set<number>();
  const outputIds = new Set(program.outputs.map((o) => o.id));
  steps.forEach((s, i) => {
    if (s.kind !== 'fused') return;
    for (const o of s.outs) {
      if (!outputIds.has(o.id)) continue;
      const k = program.inputs.findIndex((d, j) =>
        donate[j] === true && !claimed.has(j) && !fresh.has(d.id) && d.dtype === o.dtype &&
        numElements(d.shape) === numElements(o.shape) && last.get(d.id) === i && readsElementwise(s, d, places));
      if (k < 0) continue;
      claimed.add(k);
      donations.push({ out: o.id, input: k });
    }
  });
  const donationOf = new Map(donations.map((d, k) => [d.out, k]));
  /** Per call, per donation: 1 where the donated storage may be written. */
  const donationOk = new Uint8Array(donations.length);
  // Resident mode (a shared kernel memory): planned blocks live in kernel memory, so kernels use them in place.
  const resident = residentMode();
  const blockViews = plan.blocks.map((b) => (resident ? residentBlock(Math.ceil(Math.max(8, b) / 4)) : new Float32Array(new ArrayBuffer(Math.max(8, b)))));
  const ownBuffers = new Set<ArrayBufferLike>(resident ? [] : blockViews.map((v) => v.buffer));
  /** True when a kernel's result must be copied before it is kept: it is (a view of) a planned block. */
  const mustCopy = (res: Storage): boolean => ownBuffers.has(res.buffer) || isResident(res);
  /** A fresh output of `size` floats that donation may later update in place (resident), or a plain array. */
  const freshOf = (dtype: DType, size: number, donatable: boolean): Storage =>
    resident && donatable && dtype === 'float32' ? handOut(residentBlock(size)) : allocate(dtype, size);

  const st: (Storage | null)[] = [];
  const tensors = new Map<number, Tensor>(); // fixed tensors: consts and planned intermediates
  for (const c of program.consts) {
    st[slotOf(c.v)] = storageOf(c.value);
    tensors.set(c.v.id, c.value);
  }
  for (const [id, b] of plan.blockOf) {
    const v = varById.get(id)!;
    const data = typedView(blockViews[b]!.buffer, v.dtype, numElements(v.shape), blockViews[b]!.byteOffset);
    st[slotOf(v)] = data;
    tensors.set(id, fromStorage<Shape, DType>(data, v.shape, v.dtype));
  }

  /** A tensor for a kernel root's operand: a buffer, or a contiguous view of one (a subarray). */
  const operand = (x: Var): (() => Tensor) => {
    const p = places.get(x.id)!;
    const shape = frozenShape(x.shape);
    if (p.kind === 'buffer') {
      const fixed = tensors.get(x.id);
      if (fixed !== undefined) return () => fixed;
      const s = slotOf(x);
      return () => fromStorage<Shape, DType>(st[s]!, shape, x.dtype);
    }
    // A contiguous view is a subarray; a transposed 2-D view (a matmul operand, see transposedOperands) is its base's block.
    if (p.kind !== 'view' || !(isContiguous(p.view, x.shape) || isTransposed2D(p.view, x.shape))) throw new Error(`jit: internal error: kernel operand ${x.id} is not a contiguous buffer`);
    const s = slotOf(p.base), lo = p.view.offset, hi = lo + numElements(x.shape);
    const fixedBase = tensors.get(p.base.id);
    if (fixedBase !== undefined) {
      const t = fromStorage<Shape, DType>(storageOf(fixedBase).subarray(lo, hi), shape, x.dtype);
      return () => t;
    }
    return () => fromStorage<Shape, DType>(st[s]!.subarray(lo, hi), shape, x.dtype);
  };

  const loops: JsLoop[] = [];
  let wasmLoops = 0;
  /** A kernel operand's storage: a buffer, or a contiguous view of one (a subarray). */
  const operandStorage = (x: Var): (() => Storage) => {
    const p = places.get(x.id)!;
    if (p.kind === 'buffer') {
      const s = slotOf(x);
      return () => st[s]!;
    }
    // A contiguous view is a subarray; a transposed 2-D view (a matmul operand, see transposedOperands) is its base's block.
    if (p.kind !== 'view' || !(isContiguous(p.view, x.shape) || isTransposed2D(p.view, x.shape))) throw new Error(`jit: internal error: kernel operand ${x.id} is not a contiguous buffer`);
    const s = slotOf(p.base), lo = p.view.offset, hi = lo + numElements(x.shape);
    const fixedBase = tensors.get(p.base.id);
    if (fixedBase !== undefined) {
      const sub = storageOf(fixedBase).subarray(lo, hi);
      return () => sub;
    }
    return () => st[s]!.subarray(lo, hi);
  };

  const runners: (() => void)[] = steps.map((s, stepIndex) => {
    if (s.kind === 'fused') {
      const stored = storedOf(s);
      const fast = wasmLoop(s.shape, s.outs, places, scalars, stored, resident);
      if (fast !== null) {
        const size = numElements(s.shape);
        const kept = s.outs.filter((_, j) => stored[j]);
        const outSlots = kept.map(slotOf);
        const isFresh = kept.map((o) => fresh.has(o.id));
        const alias = kept.map((o) => donationOf.get(o.id) ?? -1);
        const aliasSlot = alias.map((k) => (k < 0 ? -1 : slotOf(program.inputs[donations[k]!.input]!)));
        const leafSlots = fast.leaves.map(slotOf);
        const ins: Float32Array[] = leafSlots.map(() => new Float32Array(0));
        const outs: Float32Array[] = outSlots.map(() => new Float32Array(0));
        const kernel = wasmFusedPreparedF32(fast.exprs, fast.layout, size, FLUSH_SUBNORMALS);
        wasmLoops++;
        return () => {
          for (let j = 0; j < outSlots.length; j++) {
            if (isFresh[j]) st[outSlots[j]!] = alias[j]! >= 0 && donationOk[alias[j]!] === 1 ? st[aliasSlot[j]!] : freshOf('float32', size, alias[j]! >= 0);
            outs[j] = st[outSlots[j]!] as Float32Array;
          }
          for (let i = 0; i < leafSlots.length; i++) ins[i] = st[leafSlots[i]!] as Float32Array;
          kernel(ins, outs);
        };
      }
      const loop = generateLoop(s.shape, s.outs, places, scalars, stored);
      loops.push(loop);
      const outSlots = loop.outs.map(slotOf);
      const readSlots = loop.reads.map(slotOf);
      const allocs = loop.outs.map((o, k) => (fresh.has(o.id) ? { s: outSlots[k]!, dtype: o.dtype, size: numElements(o.shape), d: donationOf.get(o.id) } : null)).filter((a) => a !== null);
      const src = [
        ...allocs.map((a) => {
          const fresh = `allocate(${JSON.stringify(a.dtype)}, ${a.size}, ${a.d !== undefined})`;
          if (a.d === undefined) return `st[${a.s}] = ${fresh};`;
          return `st[${a.s}] = ok[${a.d}] === 1 ? st[${slotOf(program.inputs[donations[a.d]!.input]!)}] : ${fresh};`;
        }),
        `fn(${[...outSlots, ...readSlots].map((i) => `st[${i}]`).join(', ')});`,
      ].join('\n');
      return new Function('fn', 'st', 'allocate', 'ok', `return () => {\n${src}\n};`)(loop.fn, st, freshOf, donationOk) as () => void;
    }
    if (s.kind === 'reduce') {
      const e = s.eqn;
      const x = e.inputs[0]!;
      const { axes } = e.params as { axes: readonly number[] };
      // Resident mode: a float32 sum of an expression with transcendental ops (as large as an eager
      // transcendental loop) runs the expression as a WebAssembly loop into a scratch block, then sums
      // it in the eager kernel's order.
      const sum = resident && e.prim === 'sum' && x.dtype === 'float32' && numElements(x.shape) >= WASM_LOOP_MIN.transcendental ? directKernel(e) : null;
      const fast = sum === null ? null : wasmLoop(x.shape, [x], places, scalars, [true], resident);
      if (sum !== null && fast !== null && fast.exprs.some(transcendental)) {
        const n = numElements(x.shape), size = numElements(e.out.shape);
        const out = slotOf(e.out), isFresh = fresh.has(e.out.id);
        const scratch = [residentBlock(n)];
        const kernel = wasmFusedPreparedF32(fast.exprs, fast.layout, n, FLUSH_SUBNORMALS);
        const leafSlots = fast.leaves.map(slotOf);
        const ins: Float32Array[] = leafSlots.map(() => new Float32Array(0));
        wasmLoops++;
        return () => {
          if (isFresh) st[out] = allocate(e.out.dtype, size);
          for (let i = 0; i < leafSlots.length; i++) ins[i] = st[leafSlots[i]!] as Float32Array;
          kernel(ins, scratch);
          sum(scratch, st[out]!);
        };
      }
      const loop = generateLoop(x.shape, [e.out], places, scalars, [true], { input: x, op: e.prim as 'sum', axes });
      loops.push(loop);
      const out = slotOf(e.out), size = numElements(e.out.shape), isFresh = fresh.has(e.out.id);
      const readSlots = loop.reads.map(slotOf);
      const acc = new Float64Array(size);
      const src = `${isFresh ? `st[${out}] = allocate(${JSON.stringify(e.out.dtype)}, ${size});\n` : ''}fn(st[${out}], ${readSlots.map((i) => `st[${i}]`).join(', ')}${readSlots.length > 0 ? ', ' : ''}acc);`;
      return new Function('fn', 'st', 'allocate', 'acc', `return () => {\n${src}\n};`)(loop.fn, st, allocate, acc) as () => void;
    }
    const e = s.eqn;
    const direct = directs[stepIndex];
    if (direct !== null && direct !== undefined) {
      const getters = e.inputs.map(operandStorage);
      const ins: Storage[] = getters.map(() => new Float32Array(0));
      const out = slotOf(e.out), size = numElements(e.out.shape), isFresh = fresh.has(e.out.id);
      return () => {
        if (isFresh) st[out] = allocate(e.out.dtype, size);
        for (let i = 0; i < getters.length; i++) ins[i] = getters[i]!();
        direct(ins, st[out]!);
      };
    }
    const p = primitives[e.prim] as unknown as Primitive<unknown>;
    const args = e.inputs.map(operand);
    const out = slotOf(e.out);
    const outShape = frozenShape(e.out.shape);
    const n = args.length;
    const a0 = args[0]!, a1 = args[1];
    return () => {
      const ts = n === 1 ? [a0()] : n === 2 ? [a0(), a1!()] : args.map((f) => f());
      let res = p.kernel(ts, e.params, outShape, e.out.dtype);
      // A kernel that hands back (a view of) a planned block would let the block's next writer change it.
      if (mustCopy(res)) res = res.slice();
      st[out] = res;
    };
  });

  const inputSlots = program.inputs.map(slotOf);
  const outputs = program.outputs.map((o): ((inputs: readonly Tensor[]) => Tensor) => {
    const inputIndex = program.inputs.findIndex((v) => v.id === o.id);
    if (inputIndex >= 0) return (inputs) => inputs[inputIndex]!;
    const c = program.consts.find((c) => c.v.id === o.id);
    if (c !== undefined) return () => c.value;
    const p = places.get(o.id)!;
    const shape = frozenShape(o.shape);
    if (p.kind === 'view') {
      const s = slotOf(p.base), lo = p.view.offset, hi = lo + numElements(o.shape);
      const bi = program.inputs.findIndex((v) => v.id === p.base.id);
      const bc = program.consts.find((c) => c.v.id === p.base.id);
      if (bc !== undefined) {
        const t = fromStorage<Shape, DType>(storageOf(bc.value).subarray(lo, hi), shape, o.dtype);
        return () => t;
      }
      // A view of a resident input is copied: the block is freed with the array that views it whole.
      if (bi >= 0) return (inputs) => { const b = storageOf(inputs[bi]!); return fromStorage<Shape, DType>(isResident(b) ? b.slice(lo, hi) : b.subarray(lo, hi), shape, o.dtype); };
      return () => fromStorage<Shape, DType>(st[s]!.subarray(lo, hi), shape, o.dtype);
    }
    const s = slotOf(o);
    return () => fromStorage<Shape, DType>(st[s]!, shape, o.dtype);
  });
  const perCall = [...new Set([...slot.entries()].filter(([id]) => !tensors.has(id)).map(([, s]) => s))];

  const constStorages = program.consts.map((c) => storageOf(c.value));
  const constBuffers = new Set<ArrayBufferLike>(constStorages.map((c) => c.buffer));
  /** This call's input storages (read once: each read of a tensor's storage checks that it was not donated). */
  const inputStorages: Storage[] = program.inputs.map(() => NONE);
  /** True when input `k`'s storage overlaps no other input's and no const's. */
  const exclusive = (k: number): boolean => {
    const a = inputStorages[k]!;
    for (let j = 0; j < inputStorages.length; j++) if (j !== k && overlaps(a, inputStorages[j]!)) return false;
    if (constBuffers.has(a.buffer)) for (const c of constStorages) if (overlaps(a, c)) return false;
    return true;
  };
  const nIn = program.inputs.length;
  /** Whether any input may be donated (only then are input storages compared). */
  const donating = donations.length > 0;
  /** Resident mode: float32 inputs are staged into kernel memory, once per distinct array. */
  const staged = resident ? new StagedInputs(program.inputs.map((v) => (v.dtype === 'float32' && numElements(v.shape) >= STAGE_MIN ? numElements(v.shape) : 0))) : null;
  const run: Executable = (inputs) => {
    if (inputs.length !== nIn) throw new ValueError(`jit: the program takes ${nIn} inputs, got ${inputs.length}`);
    for (let i = 0; i < nIn; i++) {
      const t = inputs[i]!;
      if (!matchesVar(t, program.inputs[i]!)) {
        const v = program.inputs[i]!;
        throw new ValueError(`jit: input ${i} is ${t.dtype}[${(t.shape as unknown as number[]).join(',')}], the program was compiled for ${v.dtype}[${v.shape.join(',')}]`);
      }
      const data = storageOf(t);
      if (donating) inputStorages[i] = data;
      st[inputSlots[i]!] = staged === null ? data : staged.storage(i, data);
    }
    if (donating) {
      // In resident mode a donated input is written in place only where it is a block this compiler handed out (never a user's array).
      for (let k = 0; k < donations.length; k++) {
        const d = donations[k]!.input;
        donationOk[k] = (!resident || isHandedOut(inputStorages[d]!)) && exclusive(d) ? 1 : 0;
      }
      inputStorages.fill(NONE); // not kept alive by the executable
    }

    try {
      for (let i = 0; i < runners.length; i++) runners[i]!();
      const res = new Array<Tensor>(outputs.length);
      for (let i = 0; i < outputs.length; i++) res[i] = outputs[i]!(inputs);
      return res;
    } finally {
      // Per-call storages are not kept alive by the executable.
      for (let i = 0; i < perCall.length; i++) st[perCall[i]!] = null;
      // A donated tensor whose storage this call wrote is gone for its holder: reading it throws (see markDonated).
      for (let k = 0; k < donations.length; k++) if (donationOk[k] === 1) markDonated(inputs[donations[k]!.input]!);
    }
  };
  // The planned blocks are read through views made from them: the blocks must live as long as the executable.
  ownedBlocks.set(run, blockViews);
  return { run, info: { loops, wasmLoops, blocks: plan.blocks, planned: plan.blockOf.size, donated: donations.length } };
}
