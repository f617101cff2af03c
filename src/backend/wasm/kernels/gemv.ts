/**
 * Matrix-vector products (a matmul with M = 1 or N = 1), without the
 * packing and tile padding the matmul kernel needs, which cost more than
 * the product itself at these shapes:
 *
 * - `dot_rows(mat, vec, out, rows, k)`: `out[r] = Σ_j mat[r, j] · vec[j]`
 *   (each row summed in four lanes, then across them, then the tail);
 * - `axpy_rows(vec, mat, out, k, cols)`: `out[c] = Σ_j vec[j] · mat[j, c]`
 *   (four columns at a time down the rows, then the tail columns).
 *
 * Row-major float32; sums in float32, like the matmul kernel.
 */
import { ModuleBuilder, type FunctionBuilder } from '../assembler.js';
import { MAX_PAGES } from '../module.js';

/** Export names. */
export const GEMV = { dotRows: 'dot_rows', axpyRows: 'axpy_rows' } as const;

/** `i = start; while (i < end) { body(); i += step }` with `end` a local. */
function loopTo(f: FunctionBuilder, i: number, start: () => void, end: number, step: number, body: () => void): void {
  f.for(i, start, end, { const: step }, body);
}

/** The module of both kernels over the shared (or not) kernel memory. */
export function gemvModuleBytes(shared: boolean): Uint8Array {
  const mod = new ModuleBuilder({ memory: { min: 1, max: MAX_PAGES, shared } });
  mod.func(GEMV.dotRows, ['i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [mat, vec, out, rows, k] = [0, 1, 2, 3, 4];
    const r = f.local('i32'), j = f.local('i32'), k4 = f.local('i32'), p = f.local('i32'), q = f.local('i32');
    const acc = f.local('v128'), s = f.local('f32');
    f.get(k).i32(-4).op('i32.and').set(k4);
    f.get(mat).set(p);
    loopTo(f, r, () => f.i32(0), rows, 1, () => {
      f.f32x4(0).set(acc);
      f.get(vec).set(q);
      loopTo(f, j, () => f.i32(0), k4, 4, () => {
        f.get(acc).get(p).mem('v128.load', 0, 2).get(q).mem('v128.load', 0, 2).op('f32x4.mul').op('f32x4.add').set(acc);
        f.get(p).i32(16).op('i32.add').set(p);
        f.get(q).i32(16).op('i32.add').set(q);
      });
      f.get(acc).lane('f32x4.extract_lane', 0).get(acc).lane('f32x4.extract_lane', 1).op('f32.add')
        .get(acc).lane('f32x4.extract_lane', 2).get(acc).lane('f32x4.extract_lane', 3).op('f32.add').op('f32.add').set(s);
      loopTo(f, j, () => f.get(k4), k, 1, () => {
        f.get(s).get(p).mem('f32.load').get(q).mem('f32.load').op('f32.mul').op('f32.add').set(s);
        f.get(p).i32(4).op('i32.add').set(p);
        f.get(q).i32(4).op('i32.add').set(q);
      });
      f.get(out).get(r).i32(4).op('i32.mul').op('i32.add').get(s).mem('f32.store');
    });
  });
  mod.func(GEMV.axpyRows, ['i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => {
    const [vec, mat, out, k, cols] = [0, 1, 2, 3, 4];
    const c = f.local('i32'), j = f.local('i32'), c4 = f.local('i32'), p = f.local('i32'), q = f.local('i32'), stride = f.local('i32');
    const acc = f.local('v128'), s = f.local('f32');
    f.get(cols).i32(-4).op('i32.and').set(c4);
    f.get(cols).i32(4).op('i32.mul').set(stride);
    loopTo(f, c, () => f.i32(0), c4, 4, () => {
      f.f32x4(0).set(acc);
      f.get(mat).get(c).i32(4).op('i32.mul').op('i32.add').set(p);
      f.get(vec).set(q);
      loopTo(f, j, () => f.i32(0), k, 1, () => {
        f.get(acc).get(q).mem('v128.load32_splat').get(p).mem('v128.load', 0, 2).op('f32x4.mul').op('f32x4.add').set(acc);
        f.get(p).get(stride).op('i32.add').set(p);
        f.get(q).i32(4).op('i32.add').set(q);
      });
      f.get(out).get(c).i32(4).op('i32.mul').op('i32.add').get(acc).mem('v128.store', 0, 2);
    });
    loopTo(f, c, () => f.get(c4), cols, 1, () => {
      f.f32(0).set(s);
      f.get(mat).get(c).i32(4).op('i32.mul').op('i32.add').set(p);
      f.get(vec).set(q);
      loopTo(f, j, () => f.i32(0), k, 1, () => {
        f.get(s).get(q).mem('f32.load').get(p).mem('f32.load').op('f32.mul').op('f32.add').set(s);
        f.get(p).get(stride).op('i32.add').set(p);
        f.get(q).i32(4).op('i32.add').set(q);
      });
      f.get(out).get(c).i32(4).op('i32.mul').op('i32.add').get(s).mem('f32.store');
    });
  });
  return mod.bytes();
}
