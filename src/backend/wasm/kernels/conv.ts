/**
 * The patch matrix of a 2-d convolution (im2col) and its transpose
 * (col2im), for the fast convolutions (`backend/conv-fast.ts`, which
 * describes the layout). Both walk the same row runs: for tap `t = (c, a,
 * b)`, image `n` and output row `i`, the `OW` patch entries at
 * `cols[t, (n - n0)·P + i·OW + j]` pair with input row `ih = i·sh - ph +
 * a·dh` of channel `c0 + c`, entries `iw = j·sw + colOff(b)` for the `j`
 * in `[jlo(b), jhi(b))` that fall inside the image (the rest is padding).
 *
 * `conv_im2col(geom, x, cols, c0, n0, n1, ld)` writes the patches of
 * images `[n0, n1)` into `cols` (row stride `ld` floats; zeros in the
 * padding); `conv_col2im` with the same arguments adds them back into `x`.
 * Pointers are byte addresses; `geom` holds int32 words: C, H, W, OH, OW,
 * sh, sw, kh, kw, dh, ph, P, taps, then from word 16, per tap column `b`,
 * the triple jlo, jhi, colOff. Threads split the images: col2im chunks then
 * never add into the same element.
 */
import type { FunctionBuilder, ModuleBuilder } from '../assembler.js';

/** Words of the geometry table before the per-column triples. */
export const CONV_GEOM_HEAD = 16;

const F = 4;

/** Emits `conv_im2col` and `conv_col2im`. */
export function emitConv(mod: ModuleBuilder): void {
  const args = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'] as const;
  mod.func('conv_im2col', args, [], (f) => emitPatches(f, false));
  mod.func('conv_col2im', args, [], (f) => emitPatches(f, true));
}

function emitPatches(f: FunctionBuilder, back: boolean): void {
  const [geom, x, cols, c0, n0, n1, ld] = [0, 1, 2, 3, 4, 5, 6];
  const L = () => f.local('i32');
  const [C, H, W, OH, OW, sh, sw, kh, kw, dh, ph, P, T] = Array.from({ length: 13 }, L);
  [C, H, W, OH, OW, sh, sw, kh, kw, dh, ph, P, T].forEach((l, i) => f.get(geom).mem('i32.load', i * F).set(l));
  const [khkw, plane, t, c, r, a, b, e, jlo, jhi, colOff, ihA, n, xc, row, i, ih, dst, src, j, swBytes] = Array.from({ length: 21 }, L);
  f.get(kh).get(kw).op('i32.mul').set(khkw);
  f.get(H).get(W).op('i32.mul').set(plane);
  f.get(sw).i32(F).op('i32.mul').set(swBytes);
  f.for(t, (g) => g.i32(0), T, { const: 1 }, () => {
    // c = t / (kh kw), a = (t mod kh kw) / kw, b = t mod kw
    f.get(t).get(khkw).op('i32.div_u').set(c);
    f.get(t).get(c).get(khkw).op('i32.mul').op('i32.sub').set(r);
    f.get(r).get(kw).op('i32.div_u').set(a);
    f.get(r).get(a).get(kw).op('i32.mul').op('i32.sub').set(b);
    f.get(geom).get(b).i32(3 * F).op('i32.mul').op('i32.add').set(e);
    f.get(e).mem('i32.load', CONV_GEOM_HEAD * F).set(jlo);
    f.get(e).mem('i32.load', (CONV_GEOM_HEAD + 1) * F).set(jhi);
    f.get(e).mem('i32.load', (CONV_GEOM_HEAD + 2) * F).set(colOff);
    f.get(a).get(dh).op('i32.mul').get(ph).op('i32.sub').set(ihA);
    f.for(n, (g) => g.get(n0), n1, { const: 1 }, () => {
      // xc = x + (n C + c0 + c) plane · 4; row = cols + (t ld + (n - n0) P) · 4
      f.get(x).get(n).get(C).op('i32.mul').get(c0).op('i32.add').get(c).op('i32.add').get(plane).op('i32.mul').i32(F).op('i32.mul').op('i32.add').set(xc);
      f.get(cols).get(t).get(ld).op('i32.mul').get(n).get(n0).op('i32.sub').get(P).op('i32.mul').op('i32.add').i32(F).op('i32.mul').op('i32.add').set(row);
      f.for(i, (g) => g.i32(0), OH, { const: 1 }, () => {
        f.get(i).get(sh).op('i32.mul').get(ihA).op('i32.add').set(ih);
        f.get(row).get(i).get(OW).op('i32.mul').i32(F).op('i32.mul').op('i32.add').set(dst);
        // ih < 0 or ih >= H: a padding row
        f.get(ih).get(H).op('i32.lt_u').if(() => {
          f.get(xc).get(ih).get(W).op('i32.mul').get(colOff).op('i32.add').i32(F).op('i32.mul').op('i32.add').set(src);
          if (!back) zeros(f, dst, j, (g) => g.i32(0), jlo);
          f.for(j, (g) => g.get(jlo), jhi, { const: 1 }, () => {
            if (back) {
              // x[src] += cols[dst + j]
              f.get(src).get(src).mem('f32.load').get(dst).get(j).i32(F).op('i32.mul').op('i32.add').mem('f32.load').op('f32.add').mem('f32.store');
            } else {
              f.get(dst).get(j).i32(F).op('i32.mul').op('i32.add').get(src).mem('f32.load').mem('f32.store');
            }
            f.get(src).get(swBytes).op('i32.add').set(src);
          });
          if (!back) zeros(f, dst, j, (g) => g.get(jhi), OW);
        }, back ? undefined : () => zeros(f, dst, j, (g) => g.i32(0), OW));
      });
    });
  });
}

/** `cols[dst + j] = 0` for j from `start` to `end`. */
function zeros(f: FunctionBuilder, dst: number, j: number, start: (g: FunctionBuilder) => void, end: number): void {
  f.for(j, start, end, { const: 1 }, () => {
    f.get(dst).get(j).i32(F).op('i32.mul').op('i32.add').f32(0).mem('f32.store');
  });
}
