/**
 * The patch matrix of a 2-d convolution (im2col) and its transpose
 * (col2im), for the fast convolutions (`backend/conv-fast.ts`, which
 * describes the layout). Both walk the same row runs: for tap `t = (c, a,
 * b)`, image `n` and output row `i`, the `OW` patch entries at
 * `cols[t, (n - n0)·P + i·OW + j]` pair with input row `ih = i·sh - ph +
 * a·dh` of channel `c0 + c`, entries `iw = j·sw + colOff(b)` for the `j`
 * in `[jlo(b), jhi(b))` that fall inside the image (the rest is padding).
 *
 * `conv_im2col(geom, x, cols, c0, n0, n1, ld)` (internal) writes the
 * patches of images `[n0, n1)` into `cols` (row stride `ld` floats; zeros
 * in the padding); `conv_col2im` with the same arguments adds them back
 * into `x`. At unit column stride a run moves four floats at a time. The
 * exported kernels (`conv_fwd`, `conv_bwd_input`, `conv_bwd_weight`, see
 * `emitImages`) call them image by image. Pointers are byte addresses;
 * `geom` holds int32 words: C, H, W, OH, OW, sh, sw, kh, kw, dh, ph, P,
 * taps, then where a thread's scratch parts start (words 13-15), then from
 * word 16, per tap column `b`, the triple jlo, jhi, colOff. Threads split
 * the images: col2im calls then never add into the same element.
 */
import type { FunctionBuilder, ModuleBuilder } from '../assembler.js';
import type { MatmulConfig, MatmulParts } from './matmul.js';

/** Words of the geometry table before the per-column triples. */
export const CONV_GEOM_HEAD = 16;

const F = 4;

/** Geometry words 13-15: byte offsets, from a thread's scratch, of its packed B, its C and its A-packing block (its patches start at 0). */
export const CONV_SCRATCH_WORDS = { bp: 13, c: 14, ap: 15 } as const;

/** Emits the three per-image product kernels (and `conv_im2col`, `conv_col2im`, which they call). */
export function emitConv(mod: ModuleBuilder, mm: MatmulParts, cfg: MatmulConfig): void {
  const args = ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'] as const;
  const im2col = mod.func(null, args, [], (f) => emitPatches(f, false));
  const col2im = mod.func(null, args, [], (f) => emitPatches(f, true));
  const jobArgs = Array.from({ length: 11 }, () => 'i32' as const);
  mod.func('conv_fwd', jobArgs, [], (f) => emitImages(f, 'conv', mm, cfg, im2col, col2im));
  mod.func('conv_bwd_input', jobArgs, [], (f) => emitImages(f, 'transpose', mm, cfg, im2col, col2im));
  mod.func('conv_bwd_weight', jobArgs, [], (f) => emitImages(f, 'weightGrad', mm, cfg, im2col, col2im));
}

/**
 * One job of a convolution product, image by image, everything in the
 * calling thread's scratch (so a image's patches, their packed copy and
 * its product stay in that core's cache):
 * `(geom, a, b, out, scratch, c0, n0, n1, og, O, o0)` for images `[n0,
 * n1)`, input channels from `c0` and output channels `[o0, o0 + og)` (one
 * group; O output channels in all).
 *
 * - `conv_fwd` (a = x, b = w): per image, the patches `[K, P]`, packed,
 *   times `W_g[og, K]` (packed once per job where it fits one block),
 *   copied into `out[n, o0..]` (NCHW);
 * - `conv_bwd_input` (a = dy, b = w): per image, `dY_n[og, P]` packed
 *   where it lies, `W_gᵀ · dY_n` into C, added back into `out[n, c0..]` (the
 *   input gradient, zeroed first) by col2im;
 * - `conv_bwd_weight` (a = x, b = dy): per image, the patches times
 *   `dY_nᵀ` (packed from `dY_n` as Bᵀ), summed over the images into
 *   `out` (`[K rounded up to MR, og rounded up to NR]`, this job's own sum).
 */
function emitImages(f: FunctionBuilder, role: 'conv' | 'transpose' | 'weightGrad', mm: MatmulParts, cfg: MatmulConfig, im2col: number, col2im: number): void {
  const { nr, unroll } = cfg;
  const [geom, a, b, out, scratch, c0, n0, n1, og, O, o0] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const L = () => f.local('i32');
  const [K, P, Pp, bp, cb, ap, n, plane, cg, row, o, src] = Array.from({ length: 12 }, L);
  const up = (local: number, to: number) => f.get(local).i32(to - 1).op('i32.add').i32(to).op('i32.div_u').i32(to).op('i32.mul');
  f.get(geom).mem('i32.load', 12 * F).set(K);
  f.get(geom).mem('i32.load', 11 * F).set(P);
  up(P, nr).set(Pp);
  f.get(scratch).get(geom).mem('i32.load', CONV_SCRATCH_WORDS.bp * F).op('i32.add').set(bp);
  f.get(scratch).get(geom).mem('i32.load', CONV_SCRATCH_WORDS.c * F).op('i32.add').set(cb);
  f.get(scratch).get(geom).mem('i32.load', CONV_SCRATCH_WORDS.ap * F).op('i32.add').set(ap);
  /** Byte address of `[n, ch]`'s plane of `count` floats in an NCHW array at `base` with `chans` channels. */
  const planeOf = (base: number, chans: number, ch: number, count: number) =>
    f.get(base).get(n).get(chans).op('i32.mul').get(ch).op('i32.add').get(count).op('i32.mul').i32(F).op('i32.mul').op('i32.add');
  f.for(n, (g) => g.get(n0), n1, { const: 1 }, () => {
    if (role === 'conv') {
      f.get(geom).get(a).get(scratch).get(c0).get(n).get(n).i32(1).op('i32.add').get(P).call(im2col);
      f.get(scratch).get(bp).get(K).get(P);
      up(K, unroll);
      f.i32(0).get(Pp).i32(nr).op('i32.div_u').call(mm.packB);
      // C = W_g · patches: A is W's rows o0.. (row-major [og, K]), packed once per job where it is one block
      f.get(b).get(o0).get(K).op('i32.mul').i32(F).op('i32.mul').op('i32.add').get(bp).get(cb).get(ap).i32(0).get(og).get(K).get(P)
        .get(K).i32(F).op('i32.mul').i32(F).i32(0).get(Pp).i32(nr).op('i32.div_u');
      f.get(n).get(n0).op('i32.ne').get(K).i32(cfg.kc).op('i32.le_s').op('i32.and').get(og).i32(cfg.mc).op('i32.le_s').op('i32.and').i32(1).op('i32.shl').call(mm.block);
      // C's rows (stride Pp) into out[n, o0 + o] (stride P)
      planeOf(out, O, o0, P).set(row);
      f.for(o, (g) => g.i32(0), og, { const: 1 }, () => {
        f.get(row).get(cb).get(o).get(Pp).op('i32.mul').i32(F).op('i32.mul').op('i32.add').get(P).i32(F).op('i32.mul').memoryCopy();
        f.get(row).get(P).i32(F).op('i32.mul').op('i32.add').set(row);
      });
    } else if (role === 'transpose') {
      // cg input channels of H·W floats from c0: zeroed, then the patches' gradients added in
      f.get(geom).mem('i32.load', 1 * F).get(geom).mem('i32.load', 2 * F).op('i32.mul').set(plane);
      f.get(K).get(geom).mem('i32.load', 7 * F).get(geom).mem('i32.load', 8 * F).op('i32.mul').op('i32.div_u').set(cg);
      f.get(out).get(n).get(geom).mem('i32.load', 0).op('i32.mul').get(c0).op('i32.add').get(plane).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
        .i32(0).get(cg).get(plane).op('i32.mul').i32(F).op('i32.mul').memoryFill();
      planeOf(a, O, o0, P).set(src);
      f.get(src).get(bp).get(og).get(P);
      up(og, unroll);
      f.i32(0).get(Pp).i32(nr).op('i32.div_u').call(mm.packB);
      // C[K, P] = W_gᵀ · dY_n: A[t, o] = W[o0 + o, t]
      f.get(b).get(o0).get(K).op('i32.mul').i32(F).op('i32.mul').op('i32.add').get(bp).get(cb).get(ap).i32(0).get(K).get(og).get(P)
        .i32(F).get(K).i32(F).op('i32.mul').i32(0).get(Pp).i32(nr).op('i32.div_u').i32(0).call(mm.block);
      f.get(geom).get(out).get(cb).get(c0).get(n).get(n).i32(1).op('i32.add').get(Pp).call(col2im);
    } else {
      f.get(geom).get(a).get(scratch).get(c0).get(n).get(n).i32(1).op('i32.add').get(P).call(im2col);
      // B = dY_nᵀ [P, og], given as dY_n [og, P]
      planeOf(b, O, o0, P).set(src);
      f.get(src).get(bp).get(P).get(og);
      up(P, unroll);
      f.i32(0);
      up(og, nr);
      f.i32(nr).op('i32.div_u').call(mm.packBt);
      // out[K, og] (+)= patches[K, P] · dY_nᵀ
      f.get(scratch).get(bp).get(out).get(ap).i32(0).get(K).get(P).get(og)
        .get(P).i32(F).op('i32.mul').i32(F).i32(0);
      up(og, nr);
      f.i32(nr).op('i32.div_u').get(n).get(n0).op('i32.ne').call(mm.block);
    }
  });
}

function emitPatches(f: FunctionBuilder, back: boolean): void {
  const [geom, x, cols, c0, n0, n1, ld] = [0, 1, 2, 3, 4, 5, 6];
  const L = () => f.local('i32');
  const [C, H, W, OH, OW, sh, sw, kh, kw, dh, ph, P, T] = Array.from({ length: 13 }, L);
  [C, H, W, OH, OW, sh, sw, kh, kw, dh, ph, P, T].forEach((l, i) => f.get(geom).mem('i32.load', i * F).set(l));
  const [khkw, plane, t, c, r, a, b, e, jlo, jhi, colOff, ihA, n, xc, row, i, ih, dst, src, j, swBytes, j4, at] = Array.from({ length: 23 }, L);
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
          f.get(jlo).set(j);
          // Unit column stride: the run is contiguous in the image, four floats at a time (then one at a time).
          f.get(sw).i32(1).op('i32.eq').if(() => {
            f.get(jhi).i32(3).op('i32.sub').set(j4);
            f.block((done) => {
              f.loop((top) => {
                f.get(j).get(j4).op('i32.ge_s').brIf(done);
                f.get(dst).get(j).i32(F).op('i32.mul').op('i32.add').set(at);
                if (back) f.get(src).get(src).mem('v128.load').get(at).mem('v128.load').op('f32x4.add').mem('v128.store');
                else f.get(at).get(src).mem('v128.load').mem('v128.store');
                f.get(src).i32(4 * F).op('i32.add').set(src);
                f.get(j).i32(4).op('i32.add').set(j);
                f.br(top);
              });
            });
          });
          f.for(j, (g) => g.get(j), jhi, { const: 1 }, () => {
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
