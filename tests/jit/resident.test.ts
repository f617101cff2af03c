/**
 * Resident buffers (see `src/jit/compiler/resident.ts`): where the kernel
 * memory is shared, compiled programs keep their buffers in kernel memory,
 * stage inputs once per distinct array, and update donated outputs in
 * place. Values must equal the eager path on every call, no user array is
 * ever written, and a handed-out tensor behaves like any other.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { add, jit, matmul, mean, mul, nn, optim, softmaxCrossEntropy, square, sub, sum, tensor, tree, valueAndGrad, random, type Tensor } from '../../src/index.js';
import { storageOf } from '../../src/core/tensor.js';
import { residentHeapBytes, isResident } from '../../src/backend/wasm/index.js';
import { residentMode } from '../../src/jit/compiler/resident.js';

/** A tensor's storage (the array kernels read). */
const data = (t: Tensor<readonly number[], 'float32'>): Float32Array => storageOf(t.concrete()) as Float32Array;
const seq = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));

describe('resident buffers', () => {
  const model = nn.sequential(nn.linear(40, 32), nn.relu, nn.linear(32, 5));
  type P = nn.ParamsOf<typeof model>;
  const opt = optim.adam(1e-2);
  type S = ReturnType<typeof opt.init<P>>;
  const loss = (p: P, x: Tensor<[number, 40]>, y: Tensor<[number], 'int32'>) => softmaxCrossEntropy(model.apply(p, x), y);
  const step = (p: P, s: S, x: Tensor<[number, 40]>, y: Tensor<[number], 'int32'>) => {
    const [value, grads] = valueAndGrad(loss)(p, x, y);
    return { ...opt.step(p, grads, s), loss: value };
  };
  const batch = (k: number): [Tensor<[24, 40]>, Tensor<[24], 'int32'>] => [
    tensor(seq(24 * 40, (i) => Math.sin(i * 0.37 + k)), [24, 40]),
    tensor(seq(24, (i) => (i * 7 + k) % 5), [24], { dtype: 'int32' }),
  ];

  it('a donated training step equals the eager one on every call, with new and repeated batches', () => {
    const jitted = jit(step, { donate: [0, 1] });
    const p0 = model.init(random.key(3));
    let pe = p0, se = opt.init(p0), pj = p0, sj = opt.init(p0);
    const snapshot = data(p0[0].w).slice();
    const batches = [batch(0), batch(1)];
    for (let i = 0; i < 6; i++) {
      const [x, y] = batches[i % 3 === 2 ? 1 : 0]!; // the same tensors again, then another one
      const a = step(pe, se, x, y);
      const b = jitted(pj, sj, x, y);
      ({ params: pe, state: se } = a);
      ({ params: pj, state: sj } = b);
      expect(b.loss.item()).toBeCloseTo(a.loss.item(), 5);
      expect(pj[0].w).toBeAllclose(pe[0].w, { rtol: 1e-5, atol: 1e-6 });
      expect(pj[2].b).toBeAllclose(pe[2].b, { rtol: 1e-5, atol: 1e-6 });
    }
    // The user's initial parameters were donated, but a user's own array is never written.
    expect(data(p0[0].w)).toEqual(snapshot);
    if (residentMode()) {
      // From the second call on the parameters and moments live in kernel memory and are updated in
      // place: every new leaf is written into the block of a donated one (possibly another leaf's).
      const blocks = (t: unknown) => tree.leaves(t as never).map((l) => data(l as never)).filter((s) => s.length > 1);
      const before = blocks({ pj, sj });
      expect(before.every(isResident)).toBe(true);
      const [x, y] = batches[0]!;
      const next = jitted(pj, sj, x, y);
      const after = blocks({ p: next.params, s: next.state });
      expect(after.every((s) => before.includes(s))).toBe(true);
    }
  });

  it('handed-out tensors read and compute eagerly like any tensor, and a kept (not donated) output never changes', () => {
    const f = jit((p: Tensor<[64, 64]>, g: Tensor<[64, 64]>) => sub(p, mul(g, 0.5)), { donate: [0] });
    const g = tensor(seq(64 * 64, (i) => Math.cos(i)), [64, 64]);
    const p = tensor(seq(64 * 64, (i) => i / 100), [64, 64]);
    const a = f(p, g);
    const want = sub(p, mul(g, 0.5));
    expect(a).toBeAllclose(want, { rtol: 0, atol: 0 });
    // Eager ops on the handed-out tensor (wasm kernels read it in place).
    expect(matmul(a, g)).toBeAllclose(matmul(want, g), { rtol: 1e-5, atol: 1e-4 });
    expect(sum(a).item()).toBeCloseTo(sum(want).item(), 2);
    // `a` passed as a plain (not donated) argument of another program: unchanged afterwards.
    const h = jit((u: Tensor<[64, 64]>) => add(u, 1));
    const keep = data(a).slice();
    expect(h(a)).toBeAllclose(add(want, 1), { rtol: 0, atol: 0 });
    expect(data(a)).toEqual(keep);
    // `g` (never donated) is never written, whatever happens to `a`.
    const gKeep = data(g).slice();
    f(a, g);
    expect(data(g)).toEqual(gKeep);
  });

  it('an input staged into kernel memory is copied again when a different array of the same shape comes in', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 8 }), (picks) => {
      const xs = [0, 1, 2].map((k) => tensor(seq(300, (i) => Math.sin(i + k * 10)), [300]));
      const f = jit((x: Tensor<[300]>) => mean(square(x)));
      for (const k of picks) expect(f(xs[k]!).item()).toBeCloseTo(mean(square(xs[k]!)).item(), 6);
    }), { numRuns: 20 });
  });

  it('an in-place multi-output update reads every input before writing any output', () => {
    // p' = p - 0.1 m and m' = 0.9 m + p: m' reads the old p, which p' overwrites in place when donated.
    const n = 8192;
    const f = jit((p: Tensor<[8192]>, m: Tensor<[8192]>) => ({ p: sub(p, mul(m, 0.1)), m: add(mul(m, 0.9), p) }), { donate: [0, 1] });
    let pe = tensor(seq(n, (i) => Math.sin(i)), [n]), me = tensor(seq(n, (i) => Math.cos(i)), [n]);
    let pj = pe, mj = me;
    for (let i = 0; i < 4; i++) {
      const a = { p: sub(pe, mul(me, 0.1)), m: add(mul(me, 0.9), pe) };
      const b = f(pj, mj);
      ({ p: pe, m: me } = a);
      ({ p: pj, m: mj } = b);
      expect(pj).toBeAllclose(pe, { rtol: 0, atol: 0 });
      expect(mj).toBeAllclose(me, { rtol: 0, atol: 0 });
    }
  });

  it('repeated donated steps do not grow the kernel memory', () => {
    const jitted = jit(step, { donate: [0, 1] });
    let p = model.init(random.key(5)), s = opt.init(p);
    const [x, y] = batch(2);
    for (let i = 0; i < 3; i++) ({ params: p, state: s } = jitted(p, s, x, y));
    const heap = residentHeapBytes();
    for (let i = 0; i < 50; i++) ({ params: p, state: s } = jitted(p, s, x, y));
    expect(residentHeapBytes()).toBe(heap);
  });
});
