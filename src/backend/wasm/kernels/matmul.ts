/**
 * The float32 matrix product `C = A · B` in WebAssembly SIMD, BLIS-style.
 *
 * Layout in the arena (byte addresses, all row-major float32):
 * - `A` is `[M, K]` as the caller gave it, or Aᵀ `[K, M]` (`mm_rows` takes
 *   A's row and column strides; the A packer reads either layout);
 * - `Bp` is B packed (by `mm_pack_b` from a row-major B, by `mm_pack_bt`
 *   from Bᵀ `[N, K]`) once into NR-wide column slivers spanning all of K,
 *   `Bp[(j/NR)·Kp·NR + p·NR + j%NR] = B[p, j]`, zero past N and past K
 *   (`Kp` is K rounded up to the unroll factor);
 * - `C` is `[Mp, Np]`, M and N rounded up to the tile: every tile is full,
 *   and the caller copies out the `[M, N]` corner;
 * - each thread has an MC x KC scratch block where it packs its rows of A
 *   into MR-tall slivers, `Ap[(i/MR)·kc·MR + p·MR + i%MR]`.
 *
 * `mm_rows` computes rows `[m0, m1)` of C: for each KC-deep slice of K and
 * each MC-tall block of A (packed), it walks the B slivers (outer; a sliver,
 * KC x NR floats, stays in L1) and the A slivers (inner; the block stays in
 * L2), and the micro-kernel accumulates one MR x NR tile over the slice in
 * MR·NR/4 f32x4 registers. Rows split between threads never share a tile,
 * and each element's sum runs over p in the same order whatever the split:
 * threaded results are bit-identical to single-threaded ones.
 *
 * Sums are float32, one rounding per multiply and per add (or one per fused
 * multiply-add when relaxed SIMD is available), as in BLAS `sgemm`.
 */
import type { FunctionBuilder, ModuleBuilder } from '../assembler.js';

/** Tile and block sizes. */
export interface MatmulConfig {
  /** Rows of a micro-tile. */
  readonly mr: number;
  /** Columns of a micro-tile, a multiple of 4. */
  readonly nr: number;
  /** K steps per pass of the micro-kernel loop; Kp is a multiple of it. */
  readonly unroll: number;
  /** Rows of A packed per block, a multiple of `mr`. */
  readonly mc: number;
  /** Depth of a K slice, a multiple of `unroll`. */
  readonly kc: number;
  /** Use `f32x4.relaxed_madd` (fused) instead of mul + add. */
  readonly relaxed: boolean;
}

/**
 * 4 x 8 tiles (8 accumulators, 2 B vectors, 1 broadcast A value), K not
 * unrolled. Measured on V8 11.3 (Node 20), 2-core AVX2 Xeon, n = 1024, one
 * thread: this 40 GFLOP/s; K unrolled by 2 or 4, 33-36 (TurboFan hoists the
 * extra loads and addresses and spills); 4x12, 3x16, 6x8, 2x16 and 8x8
 * tiles, 30-38; MC 64..256 and KC 128..512, within noise. Each K step is
 * 8 mul + 8 add on f32x4, about 12 flops per cycle where the core issues 3
 * vector float ops a cycle: near the bound without FMA. With FMA
 * (`relaxed`, behind a flag in Node 20) the same tile measured 43.
 */
export const defaultMatmulConfig: MatmulConfig = { mr: 4, nr: 8, unroll: 1, mc: 64, kc: 256, relaxed: false };

const F = 4; // bytes per float32

/** Emits `mm_pack_b`, `mm_rows` (and the internal micro-kernel and A packer). */
export function emitMatmul(mod: ModuleBuilder, cfg: MatmulConfig): void {
  const micro = mod.func(null, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => emitMicro(f, cfg));
  const packA = mod.func(null, ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => emitPackA(f, cfg));
  mod.func('mm_pack_b', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => emitPackB(f, cfg));
  mod.func('mm_pack_bt', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => emitPackBt(f, cfg));
  mod.func('mm_rows', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], [], (f) => emitRows(f, cfg, micro, packA));
  mod.func('mm_compact', ['i32', 'i32', 'i32', 'i32'], [], emitCompact);
}

/**
 * `mm_compact(c, M, N, Np)`: squeezes the `[M, Np]` rows at `c` into a
 * contiguous `[M, N]` in place (row i moves down to `c + i·N·4`), so that
 * one copy takes the result out.
 */
function emitCompact(f: FunctionBuilder): void {
  const [c, M, N, Np] = [0, 1, 2, 3];
  const i = f.local('i32');
  f.for(i, (g) => g.i32(1), M, { const: 1 }, () => {
    f.get(c).get(i).get(N).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
      .get(c).get(i).get(Np).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
      .get(N).i32(F).op('i32.mul')
      .memoryCopy();
  });
}

/**
 * `micro(ap, bp, c, kc, ldc, accumulate)`: the MR x NR tile at `c` (row
 * stride `ldc` bytes) gets `Σ_p Ap[p, r] · Bp[p, j]` over `kc` steps (a
 * multiple of the unroll), added to its old value when `accumulate` != 0.
 */
function emitMicro(f: FunctionBuilder, cfg: MatmulConfig): void {
  const { mr, nr, unroll, relaxed } = cfg;
  const nv = nr / 4;
  const [ap, bp, c, kc, ldc, accumulate] = [0, 1, 2, 3, 4, 5];
  const row = f.local('i32');
  const acc = Array.from({ length: mr }, () => Array.from({ length: nv }, () => f.local('v128')));
  const b = Array.from({ length: nv }, () => f.local('v128'));
  const a = f.local('v128');

  const eachRow = (visit: (r: number) => void) => {
    f.get(c).set(row);
    for (let r = 0; r < mr; r++) {
      visit(r);
      if (r + 1 < mr) f.get(row).get(ldc).op('i32.add').set(row);
    }
  };
  f.get(accumulate).if(
    () => eachRow((r) => { for (let v = 0; v < nv; v++) f.get(row).mem('v128.load', v * 16).set(acc[r]![v]!); }),
    () => { for (const accRow of acc) for (const x of accRow) f.f32x4(0).set(x); },
  );
  f.loop((top) => {
    for (let u = 0; u < unroll; u++) {
      for (let v = 0; v < nv; v++) f.get(bp).mem('v128.load', (u * nr + v * 4) * F).set(b[v]!);
      for (let r = 0; r < mr; r++) {
        f.get(ap).mem('v128.load32_splat', (u * mr + r) * F).set(a);
        for (let v = 0; v < nv; v++) {
          const x = acc[r]![v]!;
          // acc += a · b
          if (relaxed) f.get(a).get(b[v]!).get(x).op('f32x4.relaxed_madd').set(x);
          else f.get(x).get(a).get(b[v]!).op('f32x4.mul').op('f32x4.add').set(x);
        }
      }
    }
    f.get(ap).i32(unroll * mr * F).op('i32.add').set(ap);
    f.get(bp).i32(unroll * nr * F).op('i32.add').set(bp);
    f.get(kc).i32(unroll).op('i32.sub').tee(kc).brIf(top);
  });
  eachRow((r) => { for (let v = 0; v < nv; v++) f.get(row).get(acc[r]![v]!).mem('v128.store', v * 16); });
}

/**
 * `packA(src, dst, lda, mc, kc, kcp, mcp, cs)`: rows `[0, mcp)`, columns
 * `[0, kcp)` of the A block at `src` (`A[r, k]` at `src + r·lda + k·cs`
 * bytes: `cs` = 4 for row-major A, `lda` = 4 for A given transposed) into
 * MR-tall slivers at `dst`; zero at rows >= mc and columns >= kc.
 */
function emitPackA(f: FunctionBuilder, cfg: MatmulConfig): void {
  const { mr } = cfg;
  const [src, dst, lda, mc, kc, kcp, mcp, cs] = [0, 1, 2, 3, 4, 5, 6, 7];
  const r = f.local('i32'), k = f.local('i32'), s = f.local('i32'), d = f.local('i32'), stride = mr * F;
  f.for(r, (g) => g.i32(0), mcp, { const: 1 }, () => {
    // d = dst + ((r / MR)·kcp·MR + r % MR)·4
    f.get(r).i32(mr).op('i32.div_u').get(kcp).op('i32.mul').i32(mr).op('i32.mul')
      .get(r).i32(mr).op('i32.rem_u').op('i32.add').i32(F).op('i32.mul').get(dst).op('i32.add').set(d);
    f.get(src).get(r).get(lda).op('i32.mul').op('i32.add').set(s);
    f.i32(0).set(k);
    f.get(r).get(mc).op('i32.lt_s').if(() => {
      f.for(k, (g) => g.i32(0), kc, { const: 1 }, () => {
        f.get(d).get(s).mem('f32.load').mem('f32.store');
        f.get(s).get(cs).op('i32.add').set(s);
        f.get(d).i32(stride).op('i32.add').set(d);
      });
    });
    f.for(k, (g) => g.get(k), kcp, { const: 1 }, () => {
      f.get(d).f32(0).mem('f32.store');
      f.get(d).i32(stride).op('i32.add').set(d);
    });
  });
}

/**
 * `mm_pack_b(b, bp, K, N, Kp, j0, j1)`: slivers `[j0, j1)` of the `[K, N]`
 * matrix at `b` into `bp` (layout in the module comment).
 */
function emitPackB(f: FunctionBuilder, cfg: MatmulConfig): void {
  const { nr } = cfg;
  const nv = nr / 4;
  const [b, bp, K, N, Kp, j0, j1] = [0, 1, 2, 3, 4, 5, 6];
  const j = f.local('i32'), p = f.local('i32'), q = f.local('i32'), s = f.local('i32'), d = f.local('i32'), w = f.local('i32');
  f.for(j, (g) => g.get(j0), j1, { const: 1 }, () => {
    f.get(bp).get(j).get(Kp).op('i32.mul').i32(nr * F).op('i32.mul').op('i32.add').set(d);
    f.get(b).get(j).i32(nr * F).op('i32.mul').op('i32.add').set(s);
    f.get(N).get(j).i32(nr).op('i32.mul').op('i32.sub').set(w); // columns left
    f.get(w).i32(nr).op('i32.ge_s').if(() => {
      f.for(p, (g) => g.i32(0), K, { const: 1 }, () => {
        for (let v = 0; v < nv; v++) f.get(d).get(s).mem('v128.load', v * 16).mem('v128.store', v * 16);
        f.get(s).get(N).i32(F).op('i32.mul').op('i32.add').set(s);
        f.get(d).i32(nr * F).op('i32.add').set(d);
      });
    }, () => {
      f.for(p, (g) => g.i32(0), K, { const: 1 }, () => {
        for (let v = 0; v < nv; v++) f.get(d).f32x4(0).mem('v128.store', v * 16);
        f.for(q, (g) => g.i32(0), w, { const: 1 }, () => {
          f.get(d).get(q).i32(F).op('i32.mul').op('i32.add')
            .get(s).get(q).i32(F).op('i32.mul').op('i32.add').mem('f32.load').mem('f32.store');
        });
        f.get(s).get(N).i32(F).op('i32.mul').op('i32.add').set(s);
        f.get(d).i32(nr * F).op('i32.add').set(d);
      });
    });
    f.for(p, (g) => g.get(K), Kp, { const: 1 }, () => {
      for (let v = 0; v < nv; v++) f.get(d).f32x4(0).mem('v128.store', v * 16);
      f.get(d).i32(nr * F).op('i32.add').set(d);
    });
  });
}

/**
 * `mm_pack_bt(bt, bp, K, N, Kp, j0, j1)`: as `mm_pack_b` for `B = Btᵀ`,
 * with `Bt` the row-major `[N, K]` matrix at `bt`:
 * `Bp[(j/NR)·Kp·NR + p·NR + j%NR] = Bt[j, p]`. It writes only the
 * elements with `j < N` and `p < K`: the caller zeroes the padding first.
 */
function emitPackBt(f: FunctionBuilder, cfg: MatmulConfig): void {
  const { nr } = cfg;
  const [bt, bp, K, N, Kp, j0, j1] = [0, 1, 2, 3, 4, 5, 6];
  const j = f.local('i32'), jEnd = f.local('i32'), p = f.local('i32'), s = f.local('i32'), d = f.local('i32');
  // columns [j0·NR, min(j1·NR, N))
  f.get(j1).i32(nr).op('i32.mul').set(jEnd);
  f.get(jEnd).get(N).op('i32.gt_s').if(() => { f.get(N).set(jEnd); });
  f.for(j, (g) => g.get(j0).i32(nr).op('i32.mul'), jEnd, { const: 1 }, () => {
    // d = bp + ((j / NR)·Kp·NR + j % NR)·4; s = bt + j·K·4
    f.get(j).i32(nr).op('i32.div_u').get(Kp).op('i32.mul').i32(nr).op('i32.mul')
      .get(j).i32(nr).op('i32.rem_u').op('i32.add').i32(F).op('i32.mul').get(bp).op('i32.add').set(d);
    f.get(bt).get(j).get(K).op('i32.mul').i32(F).op('i32.mul').op('i32.add').set(s);
    f.for(p, (g) => g.i32(0), K, { const: 1 }, () => {
      f.get(d).get(s).mem('f32.load').mem('f32.store');
      f.get(s).i32(F).op('i32.add').set(s);
      f.get(d).i32(nr * F).op('i32.add').set(d);
    });
  });
}

/**
 * `mm_rows(a, bp, c, ap, m0, m1, K, Kp, Np, lda, csa)`: rows `[m0, m1)` of C (m0 a
 * multiple of MR; rows up to m1 rounded up to MR are written), using the
 * MC x KC scratch at `ap`; `A[i, p]` is at `a + i·lda + p·csa` bytes
 * (`lda = K·4, csa = 4` row-major; `lda = 4, csa = M·4` for A given
 * transposed, as `[K, M]`).
 */
function emitRows(f: FunctionBuilder, cfg: MatmulConfig, micro: number, packA: number): void {
  const { mr, nr, mc: MC, kc: KC } = cfg;
  const [a, bp, c, ap, m0, m1, K, Kp, Np, lda, csa] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const pc = f.local('i32'), kcp = f.local('i32'), kc = f.local('i32');
  const ic = f.local('i32'), mc = f.local('i32'), mcp = f.local('i32');
  const jp = f.local('i32'), nPanels = f.local('i32'), bsl = f.local('i32'), s = f.local('i32');
  f.get(Np).i32(nr).op('i32.div_u').set(nPanels);
  f.for(pc, (g) => g.i32(0), Kp, { const: KC }, () => {
    // kcp = min(KC, Kp - pc); kc = min(kcp, K - pc)
    f.get(Kp).get(pc).op('i32.sub').set(kcp);
    f.get(kcp).i32(KC).op('i32.gt_s').if(() => { f.i32(KC).set(kcp); });
    f.get(K).get(pc).op('i32.sub').set(kc);
    f.get(kc).get(kcp).op('i32.gt_s').if(() => { f.get(kcp).set(kc); });
    f.for(ic, (g) => g.get(m0), m1, { const: MC }, () => {
      // mc = min(MC, m1 - ic); mcp = mc rounded up to MR
      f.get(m1).get(ic).op('i32.sub').set(mc);
      f.get(mc).i32(MC).op('i32.gt_s').if(() => { f.i32(MC).set(mc); });
      f.get(mc).i32(mr - 1).op('i32.add').i32(mr).op('i32.div_u').i32(mr).op('i32.mul').set(mcp);
      // packA(a + ic·lda + pc·csa, ap, lda, mc, kc, kcp, mcp, csa)
      f.get(a).get(ic).get(lda).op('i32.mul').op('i32.add').get(pc).get(csa).op('i32.mul').op('i32.add')
        .get(ap).get(lda).get(mc).get(kc).get(kcp).get(mcp).get(csa).call(packA);
      f.for(jp, (g) => g.i32(0), nPanels, { const: 1 }, () => {
        // bsl = bp + (jp·Kp + pc)·NR·4
        f.get(bp).get(jp).get(Kp).op('i32.mul').get(pc).op('i32.add').i32(nr * F).op('i32.mul').op('i32.add').set(bsl);
        f.for(s, (g) => g.i32(0), mcp, { const: mr }, () => {
          // micro(ap + s·kcp·4, bsl, c + ((ic + s)·Np + jp·NR)·4, kcp, Np·4, pc != 0)
          f.get(ap).get(s).get(kcp).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
            .get(bsl)
            .get(c).get(ic).get(s).op('i32.add').get(Np).op('i32.mul').get(jp).i32(nr).op('i32.mul').op('i32.add').i32(F).op('i32.mul').op('i32.add')
            .get(kcp).get(Np).i32(F).op('i32.mul').get(pc)
            .call(micro);
        });
      });
    });
  });
}
