/**
 * `sum_channels(x, out, c0, c1, N, C, inner)`: for channels `[c0, c1)` of
 * x viewed as `[N, C, inner]` float32, `out[c] = Σ_n Σ_i x[n, c, i]`
 * summed in float64 in that order (n, then i) and rounded once: the order
 * and rounding of the TypeScript reduction (`cpu/reduce.ts`), so the same
 * bits. A bias gradient over NCHW images. Four channels at a time, each in
 * its own chain of float64 adds (the adds of one chain wait on each other;
 * four chains keep the core busy).
 */
import type { FunctionBuilder, ModuleBuilder } from '../assembler.js';

const F = 4;

/** Emits `sum_channels`. */
export function emitReduce(mod: ModuleBuilder): void {
  mod.func('sum_channels', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], emitSumChannels);
}

function emitSumChannels(f: FunctionBuilder): void {
  const [x, out, c0, c1, N, C, inner] = [0, 1, 2, 3, 4, 5, 6];
  const c = f.local('i32'), n = f.local('i32'), i = f.local('i32'), row = f.local('i32'), c4 = f.local('i32'), rowBytes = f.local('i32');
  const s = [f.local('f64'), f.local('f64'), f.local('f64'), f.local('f64')];
  f.get(inner).i32(F).op('i32.mul').set(rowBytes);
  // c4: the last channel where a group of four starts
  f.get(c1).i32(3).op('i32.sub').set(c4);
  /** Sums `lanes` channels from c (rows rowBytes apart) into s[0..lanes), then stores them. */
  const channels = (lanes: number): void => {
    for (let l = 0; l < lanes; l++) f.f64(0).set(s[l]!);
    f.for(n, (g) => g.i32(0), N, { const: 1 }, () => {
      // row = x + ((n C + c) inner) 4
      f.get(x).get(n).get(C).op('i32.mul').get(c).op('i32.add').get(rowBytes).op('i32.mul').op('i32.add').set(row);
      f.for(i, (g) => g.i32(0), inner, { const: 1 }, () => {
        for (let l = 0; l < lanes; l++) {
          f.get(s[l]!).get(row).mem('f32.load').op('f64.promote_f32').op('f64.add').set(s[l]!);
          if (l + 1 < lanes) f.get(row).get(rowBytes).op('i32.add').set(row);
        }
        // back to the first channel's row, one element on
        f.get(row).get(rowBytes).i32(lanes - 1).op('i32.mul').op('i32.sub').i32(F).op('i32.add').set(row);
      });
    });
    for (let l = 0; l < lanes; l++) f.get(out).get(c).i32(l).op('i32.add').i32(F).op('i32.mul').op('i32.add').get(s[l]!).op('f32.demote_f64').mem('f32.store');
  };
  f.get(c0).set(c);
  f.block((done) => {
    f.loop((top) => {
      f.get(c).get(c4).op('i32.ge_s').brIf(done);
      channels(4);
      f.get(c).i32(4).op('i32.add').set(c);
      f.br(top);
    });
  });
  f.for(c, (g) => g.get(c), c1, { const: 1 }, () => channels(1));
}
