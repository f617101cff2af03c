/**
 * Max pooling's three loops, for float32: the argmax of 2x2 windows, the
 * gather of the values at those indices, and the scatter-add of the
 * gradient back (`backend/wasm/index.ts` checks the arguments and places the
 * arrays; `cpu/conv.ts` and `cpu/gather.ts` are the references).
 *
 * - `pool_argmax2(x, out, p0, p1, H, W, OH, OW, sh)`: for planes `[p0, p1)`
 *   of x (`H·W` floats each), the int32 flat index into x of the first
 *   largest element of every 2x2 window at rows `i·sh, i·sh + 1` and
 *   columns `2j, 2j + 1` (a NaN counts as largest, and the first NaN wins).
 *   Four windows at a time in SIMD: the even and odd columns of two rows
 *   are shuffled apart, then each candidate replaces the best where it is
 *   greater (or a NaN over a number), in the order of the reference loop;
 *   the windows of a row past the last multiple of 4 one at a time.
 * - `pool_max2(...)`, with the same arguments: the value at that index (the
 *   window's first maximum, or its first NaN): max pooling's values without
 *   a gather.
 * - `gather_f32(x, idx, out, m)`: `out[i] = x[idx[i]]` for `i < m`.
 * - `scatter_add_f32(u, idx, out, m, lo, hi)`: `out[lo, hi)` zeroed, then
 *   `out[idx[i]] += u[i]` for the `i < m` whose index falls in it, in order
 *   (so duplicates add in the reference's order, and threads that own
 *   disjoint ranges of the output never touch the same element).
 *
 * Pointers are byte addresses; indices count floats from `x` (or `out`).
 * The caller checks every index first.
 */
import type { FunctionBuilder, ModuleBuilder } from '../assembler.js';

const F = 4;

/** Emits `pool_argmax2`, `pool_max2`, `gather_f32` and `scatter_add_f32`. */
export function emitPool(mod: ModuleBuilder): void {
  const args = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'] as const;
  mod.func('pool_argmax2', args, [], (f) => emitArgmax2(f, false));
  mod.func('pool_max2', args, [], (f) => emitArgmax2(f, true));
  mod.func('gather_f32', ['i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [x, idx, out, m] = [0, 1, 2, 3];
    const i = f.local('i32');
    f.for(i, (g) => g.i32(0), m, { const: 1 }, () => {
      // out[i] = x[idx[i]]
      f.get(out).get(i).i32(F).op('i32.mul').op('i32.add');
      f.get(x).get(idx).get(i).i32(F).op('i32.mul').op('i32.add').mem('i32.load').i32(F).op('i32.mul').op('i32.add').mem('f32.load');
      f.mem('f32.store');
    });
  });
  mod.func('scatter_add_f32', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [u, idx, out, m, lo, hi] = [0, 1, 2, 3, 4, 5];
    const i = f.local('i32'), j = f.local('i32'), at = f.local('i32');
    // out[lo, hi) = 0
    f.get(out).get(lo).i32(F).op('i32.mul').op('i32.add').i32(0).get(hi).get(lo).op('i32.sub').i32(F).op('i32.mul').memoryFill();
    f.for(i, (g) => g.i32(0), m, { const: 1 }, () => {
      // j = idx[i]; if lo <= j < hi: out[j] += u[i]
      f.get(idx).get(i).i32(F).op('i32.mul').op('i32.add').mem('i32.load').set(j);
      f.get(j).get(lo).op('i32.sub').get(hi).get(lo).op('i32.sub').op('i32.lt_u').if(() => {
        f.get(out).get(j).i32(F).op('i32.mul').op('i32.add').set(at);
        f.get(at).get(at).mem('f32.load').get(u).get(i).i32(F).op('i32.mul').op('i32.add').mem('f32.load').op('f32.add').mem('f32.store');
      });
    });
  });
}

/** `pool_argmax2`, or with `values` `pool_max2`: the same walk, storing each window's chosen value instead of its index. */
function emitArgmax2(f: FunctionBuilder, values: boolean): void {
  const [x, out, p0, p1, H, W, OH, OW, sh] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const L = () => f.local('i32');
  const V = () => f.local('v128');
  const [plane, i, j, ow4, at, row0, row1, dst, hw] = Array.from({ length: 9 }, L);
  const [best, bi, v, vi, take, step] = Array.from({ length: 6 }, V);
  const [sb, si, sv, cand] = [f.local('f32'), L(), f.local('f32'), L()];
  f.get(H).get(W).op('i32.mul').set(hw);
  f.get(OW).i32(-4).op('i32.and').set(ow4);
  // out advances one int32 per window from plane p0's first
  f.get(out).get(p0).get(OH).op('i32.mul').get(OW).op('i32.mul').i32(F).op('i32.mul').op('i32.add').set(dst);
  /** Replaces best/bi by (v, vi) in the lanes where v is greater, or is NaN while best is not. */
  const consider = (): void => {
    f.get(v).get(best).op('f32x4.gt').get(v).get(v).op('f32x4.ne').get(best).get(best).op('f32x4.eq').op('v128.and').op('v128.or').set(take);
    f.get(v).get(best).get(take).op('v128.bitselect').set(best);
    f.get(vi).get(bi).get(take).op('v128.bitselect').set(bi);
  };
  /** The scalar form of {@link consider} for one window: the candidate's value in sv, its index in cand. */
  const considerOne = (): void => {
    f.get(sv).get(sb).op('f32.gt').get(sv).get(sv).op('f32.ne').get(sb).get(sb).op('f32.eq').op('i32.and').op('i32.or').if(() => {
      f.get(sv).set(sb);
      f.get(cand).set(si);
    });
  };
  f.for(plane, (g) => g.get(p0), p1, { const: 1 }, () => {
    f.for(i, (g) => g.i32(0), OH, { const: 1 }, () => {
      // at: the flat index of the row's first window; row0, row1: byte addresses of its two input rows
      f.get(plane).get(hw).op('i32.mul').get(i).get(sh).op('i32.mul').get(W).op('i32.mul').op('i32.add').set(at);
      f.get(x).get(at).i32(F).op('i32.mul').op('i32.add').set(row0);
      f.get(row0).get(W).i32(F).op('i32.mul').op('i32.add').set(row1);
      f.for(j, (g) => g.i32(0), ow4, { const: 4 }, () => {
        // indices of the even columns: at + 2j + (0, 2, 4, 6)
        f.get(at).get(j).i32(2).op('i32.mul').op('i32.add').op('i32x4.splat').i32x4(0, 2, 4, 6).op('i32x4.add').set(bi);
        f.i32x4(1).set(step);
        f.get(row0).mem('v128.load').get(row0).mem('v128.load', 16).shuffle32(0, 2, 4, 6).set(best);
        f.get(row0).mem('v128.load').get(row0).mem('v128.load', 16).shuffle32(1, 3, 5, 7).set(v);
        f.get(bi).get(step).op('i32x4.add').set(vi);
        consider();
        f.get(row1).mem('v128.load').get(row1).mem('v128.load', 16).shuffle32(0, 2, 4, 6).set(v);
        // even columns of the next row: the first candidate's index + W (bi may have moved: rebuild it)
        f.get(at).get(j).i32(2).op('i32.mul').op('i32.add').get(W).op('i32.add').op('i32x4.splat').i32x4(0, 2, 4, 6).op('i32x4.add').set(vi);
        consider();
        f.get(row1).mem('v128.load').get(row1).mem('v128.load', 16).shuffle32(1, 3, 5, 7).set(v);
        f.get(vi).get(step).op('i32x4.add').set(vi);
        consider();
        f.get(dst).get(values ? best : bi).mem('v128.store');
        f.get(dst).i32(16).op('i32.add').set(dst);
        f.get(row0).i32(32).op('i32.add').set(row0);
        f.get(row1).i32(32).op('i32.add').set(row1);
      });
      // The windows past the last multiple of 4, one at a time (at: each window's first element).
      f.get(at).get(ow4).i32(2).op('i32.mul').op('i32.add').set(at);
      f.for(j, (g) => g.get(ow4), OW, { const: 1 }, () => {
        f.get(row0).mem('f32.load').set(sb);
        f.get(at).set(si);
        f.get(row0).mem('f32.load', 4).set(sv);
        f.get(at).i32(1).op('i32.add').set(cand);
        considerOne();
        f.get(row1).mem('f32.load').set(sv);
        f.get(at).get(W).op('i32.add').set(cand);
        considerOne();
        f.get(row1).mem('f32.load', 4).set(sv);
        f.get(cand).i32(1).op('i32.add').set(cand);
        considerOne();
        if (values) f.get(dst).get(sb).mem('f32.store');
        else f.get(dst).get(si).mem('i32.store');
        f.get(at).i32(2).op('i32.add').set(at);
        f.get(dst).i32(F).op('i32.add').set(dst);
        f.get(row0).i32(8).op('i32.add').set(row0);
        f.get(row1).i32(8).op('i32.add').set(row1);
      });
    });
  });
}
