/**
 * The outer product `out[i, j] = a[i] · b[j] + 0`: a matrix product with
 * K = 1, which per-example gradients of a linear layer are made of. It only
 * writes, so it runs at memory speed: one splat of `a[i]` per row, one
 * f32x4 multiply and store per four columns. The `+ 0` turns a `-0` product
 * into `+0`, as a sum started from zero gives (the TypeScript kernel does
 * the same), so the two kernels agree bit for bit.
 */
import type { ModuleBuilder } from '../assembler.js';

/** The export name. */
export const OUTER_EXPORT = 'outer_f32';

/**
 * `outer_f32(a, b, out, rows, n)`: `rows` rows of `n > 0` floats from byte
 * address `out`. Each row is stored as `ceil(n / 4)` whole vectors, so a
 * row spills up to three lanes into the next one, which the next row then
 * overwrites; the last row spills into the arena's padding, and `b`'s
 * padding lanes are read but never kept. Rows must therefore be written in
 * order, by one thread.
 */
export function emitOuter(mod: ModuleBuilder): void {
  mod.func(OUTER_EXPORT, ['i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [a, b, out, rows, n] = [0, 1, 2, 3, 4];
    const i = f.local('i32'), pb = f.local('i32'), po = f.local('i32'), k = f.local('i32'), nvec = f.local('i32');
    const s = f.local('v128');
    f.get(n).i32(3).op('i32.add').i32(2).op('i32.shr_u').set(nvec);
    f.for(i, (g) => g.i32(0), rows, { const: 1 }, () => {
      f.get(a).mem('v128.load32_splat').set(s);
      f.get(a).i32(4).op('i32.add').set(a);
      f.get(b).set(pb);
      f.get(out).set(po);
      f.get(nvec).set(k);
      f.loop((top) => {
        f.get(po).get(s).get(pb).mem('v128.load').op('f32x4.mul').f32x4(0).op('f32x4.add').mem('v128.store');
        f.get(pb).i32(16).op('i32.add').set(pb);
        f.get(po).i32(16).op('i32.add').set(po);
        f.get(k).i32(1).op('i32.sub').tee(k).brIf(top);
      });
      f.get(out).get(n).i32(4).op('i32.mul').op('i32.add').set(out);
    });
  });
}
