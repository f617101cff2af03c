/**
 * The float32 matrix product `C = A · B` in WebAssembly SIMD, BLIS-style.
 *
 * Layout in the arena (byte addresses, all row-major float32):
 * - `A` is `[M, K]` as the caller gave it, or Aᵀ `[K, M]` (`mm_rows` takes
 *   A's row and column strides; the A packer reads either layout);
 * - `Bp` is B packed (by `mm_pack_b` from a row-major B, by `mm_pack_bt`
 *   from Bᵀ `[N, K]`) once into NR-wide column slivers spanning all of K,
 *   `Bp[(j/NR)·Kp·NR + p·NR + j%NR] = B[p, j]`, zero past N and past K
 *   (`Kp` is K rounded up to the unroll factor). The packers take a range
 *   of slivers, so threads can share the packing;
 * - `C` is `[Mp, Np]`, M and N rounded up to the tile: every tile is full;
 *   each `mm_rows` call may also copy its rows into a compact `[M, N]`
 *   block (the caller's resident output, or one it copies out with one
 *   copy per call where C's rows are padded);
 * - each thread has an MC x KC scratch block where it packs its rows of A
 *   into MR-tall slivers, `Ap[(i/MR)·kc·MR + p·MR + i%MR]`.
 *
 * `mm_rows` computes rows `[m0, m1)` of C: for each KC-deep slice of K and
 * each MC-tall block of A (packed), it walks the B slivers (outer; a sliver,
 * KC x NR floats, stays in L1) and the A slivers (inner; the block stays in
 * L2), and the micro-kernel accumulates one MR x NR tile over the slice in
 * MR·NR/4 f32x4 registers. `mm_cols` (`mm_cols_t` for Bᵀ) computes every
 * row for a range of slivers, packing those slivers of B first: for
 * products with few rows, split by columns, each thread packs and reads
 * only its own part of B. Rows or slivers split between threads never
 * share a tile, and each element's sum runs over p in the same order
 * whatever the split: threaded results are bit-identical to
 * single-threaded ones.
 *
 * The packers move whole vectors: B's slivers row by row, Bᵀ and
 * row-major A through 4 x 4 transposes in registers, Aᵀ (whose MR rows
 * are adjacent) one vector per K step; only the edges of a matrix (a
 * partial sliver, K mod 4) go element by element.
 *
 * Sums are float32, one rounding per multiply and per add (or one per fused
 * multiply-add when relaxed SIMD is available), as in BLAS `sgemm`.
 */
import type { FunctionBuilder, ModuleBuilder } from '../assembler.js';

/** Tile and block sizes. */
export interface MatmulConfig {
  /** Rows of a micro-tile, a multiple of 4. */
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
 * tiles, 30-38; MC 32..256 within noise. Each K step is 8 mul + 8 add on
 * f32x4, about 12 flops per cycle where the core issues 3 vector float ops
 * a cycle (at 3.5 GHz, 42 GFLOP/s): near the bound without FMA. With FMA
 * (`relaxed`, behind a flag in Node 20) the same tile measured 43. KC 512
 * against 256 (half the loads and stores of C tiles, half the A packing
 * calls): 1.06x at n = 1024, 1.02x at 512 (CPU time of one thread, on a
 * loaded machine, alternating runs).
 */
export const defaultMatmulConfig: MatmulConfig = { mr: 4, nr: 8, unroll: 1, mc: 64, kc: 512, relaxed: false };

const F = 4; // bytes per float32

/** Function indices of the matmul's parts, for kernels that drive them (the convolutions, `kernels/conv.ts`). */
export interface MatmulParts {
  /** `mm_pack_b(b, bp, K, N, Kp, j0, j1)`. */
  readonly packB: number;
  /** `mm_pack_bt(b, bp, K, N, Kp, j0, j1)`, B given as Bᵀ `[N, K]`. */
  readonly packBt: number;
  /** `block(a, bp, c, ap, m0, m1, K, N, lda, csa, jp0, jp1, acc)` (see `emitBlock`). */
  readonly block: number;
}

/** Emits `mm_pack_b`, `mm_pack_bt`, `mm_rows`, `mm_cols`, `mm_cols_t` (and the internal micro-kernel, A packer and block loop). */
export function emitMatmul(mod: ModuleBuilder, cfg: MatmulConfig): MatmulParts {
  if (cfg.mr % 4 !== 0 || cfg.nr % 4 !== 0) throw new RangeError(`matmul kernel: mr and nr must be multiples of 4, got ${cfg.mr} x ${cfg.nr}`);
  const i32 = (n: number) => Array.from({ length: n }, () => 'i32' as const);
  const micro = mod.func(null, i32(6), [], (f) => emitMicro(f, cfg));
  const packA = mod.func(null, i32(8), [], (f) => emitPackA(f, cfg));
  const packB = mod.func('mm_pack_b', i32(7), [], (f) => emitPackB(f, cfg));
  const packBt = mod.func('mm_pack_bt', i32(7), [], (f) => emitPackBt(f, cfg));
  const block = mod.func(null, i32(13), [], (f) => emitBlock(f, cfg, micro, packA));
  mod.func('mm_rows', i32(11), [], (f) => emitRows(f, cfg, block));
  mod.func('mm_cols', i32(12), [], (f) => emitCols(f, cfg, packB, block));
  mod.func('mm_cols_t', i32(12), [], (f) => emitCols(f, cfg, packBt, block));
  return { packB, packBt, block };
}

/**
 * Transposes the 4 x 4 block whose rows are the v128 locals `v` (each
 * row 4 consecutive floats) and leaves its columns in `v`: afterwards
 * `v[q]` holds lane q of the old `v[0..3]`. Uses `t` (4 v128 locals) as
 * scratch. Eight shuffles, which V8 lowers to unpack and move-half
 * instructions.
 */
function transpose4(f: FunctionBuilder, v: readonly number[], t: readonly number[]): void {
  const [v0, v1, v2, v3] = v as [number, number, number, number];
  const [t0, t1, t2, t3] = t as [number, number, number, number];
  f.get(v0).get(v1).shuffle32(0, 4, 1, 5).set(t0); // v0[0] v1[0] v0[1] v1[1]
  f.get(v0).get(v1).shuffle32(2, 6, 3, 7).set(t1); // v0[2] v1[2] v0[3] v1[3]
  f.get(v2).get(v3).shuffle32(0, 4, 1, 5).set(t2);
  f.get(v2).get(v3).shuffle32(2, 6, 3, 7).set(t3);
  f.get(t0).get(t2).shuffle32(0, 1, 4, 5).set(v0); // v0[0] v1[0] v2[0] v3[0]
  f.get(t0).get(t2).shuffle32(2, 3, 6, 7).set(v1);
  f.get(t1).get(t3).shuffle32(0, 1, 4, 5).set(v2);
  f.get(t1).get(t3).shuffle32(2, 3, 6, 7).set(v3);
}

/**
 * `micro(ap, bp, c, kc, ldc, accumulate)`: the MR x NR tile at `c` (row
 * stride `ldc` bytes) gets `Σ_p Ap[p, r] · Bp[p, j]` over `kc` steps (a
 * multiple of the unroll), added to its old value when `accumulate` != 0.
 */
/**
 * Emits the copy of 4 rows (at `rowPtr`, `end` floats each, local `end`)
 * into 4-wide columns from `d` on, `stride` bytes from one step to the next:
 * 4 steps at a time transposed in registers (up to `k4`, `end` rounded down
 * to 4), then the rest one float at a time. `k` is the loop counter.
 */
function copyFourRows(f: FunctionBuilder, rowPtr: readonly number[], d: number, k: number, k4: number, end: number, stride: number, v: readonly number[], tmp: readonly number[]): void {
  f.for(k, (h) => h.i32(0), k4, { const: 4 }, () => {
    for (let q = 0; q < 4; q++) f.get(rowPtr[q]!).get(k).i32(F).op('i32.mul').op('i32.add').mem('v128.load').set(v[q]!);
    transpose4(f, v, tmp);
    for (let q = 0; q < 4; q++) f.get(d).get(v[q]!).mem('v128.store', q * stride);
    f.get(d).i32(4 * stride).op('i32.add').set(d);
  });
  f.for(k, (h) => h.get(k4), end, { const: 1 }, () => {
    for (let q = 0; q < 4; q++) f.get(d).get(rowPtr[q]!).get(k).i32(F).op('i32.mul').op('i32.add').mem('f32.load').mem('f32.store', q * F);
    f.get(d).i32(stride).op('i32.add').set(d);
  });
}

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
  const r0 = f.local('i32'), k = f.local('i32'), k4 = f.local('i32'), t = f.local('i32'), s = f.local('i32'), d = f.local('i32'), ds = f.local('i32');
  const rowPtr = Array.from({ length: 4 }, () => f.local('i32'));
  const v = Array.from({ length: 4 }, () => f.local('v128')), tmp = Array.from({ length: 4 }, () => f.local('v128'));
  const stride = mr * F; // bytes from one K step of a sliver to the next
  f.get(kc).i32(-4).op('i32.and').set(k4); // kc rounded down to 4
  f.for(r0, (g) => g.i32(0), mcp, { const: mr }, () => {
    // ds = dst + (r0 / MR)·kcp·MR·4: this sliver
    f.get(r0).i32(mr).op('i32.div_u').get(kcp).op('i32.mul').i32(stride).op('i32.mul').get(dst).op('i32.add').set(ds);
    f.get(r0).i32(mr).op('i32.add').get(mc).op('i32.le_s').if(() => {
      // A full sliver.
      f.get(cs).i32(F).op('i32.eq').if(() => {
        // Row-major: 4 rows x 4 K steps at a time, transposed in registers.
        for (let g = 0; g < mr / 4; g++) {
          for (let q = 0; q < 4; q++) f.get(src).get(r0).i32(4 * g + q).op('i32.add').get(lda).op('i32.mul').op('i32.add').set(rowPtr[q]!);
          f.get(ds).i32(g * 16).op('i32.add').set(d);
          copyFourRows(f, rowPtr, d, k, k4, kc, stride, v, tmp);
        }
      }, () => {
        f.get(lda).i32(F).op('i32.eq').if(() => {
          // Aᵀ: the sliver's rows are adjacent in memory, one vector per 4 rows and K step.
          f.get(src).get(r0).i32(F).op('i32.mul').op('i32.add').set(s);
          f.get(ds).set(d);
          f.for(k, (h) => h.i32(0), kc, { const: 1 }, () => {
            for (let g = 0; g < mr / 4; g++) f.get(d).get(s).mem('v128.load', g * 16).mem('v128.store', g * 16);
            f.get(s).get(cs).op('i32.add').set(s);
            f.get(d).i32(stride).op('i32.add').set(d);
          });
        }, () => emitPackAScalar(f, { src, lda, mc, kc, cs, r0, ds, t, k, s, d }, mr));
      });
    }, () => emitPackAScalar(f, { src, lda, mc, kc, cs, r0, ds, t, k, s, d }, mr));
    // Columns [kc, kcp): zero.
    f.get(ds).get(kc).i32(stride).op('i32.mul').op('i32.add').set(d);
    f.for(k, (h) => h.get(kc), kcp, { const: 1 }, () => {
      for (let g = 0; g < mr / 4; g++) f.get(d).f32x4(0).mem('v128.store', g * 16);
      f.get(d).i32(stride).op('i32.add').set(d);
    });
  });
}

/** The A packer's element-by-element path for the sliver at row `r0` (rows past `mc` get zeros). */
function emitPackAScalar(
  f: FunctionBuilder,
  l: { src: number; lda: number; mc: number; kc: number; cs: number; r0: number; ds: number; t: number; k: number; s: number; d: number },
  mr: number,
): void {
  f.for(l.t, (g) => g.i32(0), { const: mr }, { const: 1 }, () => {
    f.get(l.ds).get(l.t).i32(F).op('i32.mul').op('i32.add').set(l.d);
    f.get(l.r0).get(l.t).op('i32.add').get(l.mc).op('i32.lt_s').if(() => {
      f.get(l.src).get(l.r0).get(l.t).op('i32.add').get(l.lda).op('i32.mul').op('i32.add').set(l.s);
      f.for(l.k, (g) => g.i32(0), l.kc, { const: 1 }, () => {
        f.get(l.d).get(l.s).mem('f32.load').mem('f32.store');
        f.get(l.s).get(l.cs).op('i32.add').set(l.s);
        f.get(l.d).i32(mr * F).op('i32.add').set(l.d);
      });
    }, () => {
      f.for(l.k, (g) => g.i32(0), l.kc, { const: 1 }, () => {
        f.get(l.d).f32(0).mem('f32.store');
        f.get(l.d).i32(mr * F).op('i32.add').set(l.d);
      });
    });
  });
}

/**
 * `mm_pack_b(b, bp, K, N, Kp, j0, j1)`: slivers `[j0, j1)` of the `[K, N]`
 * matrix at `b` into `bp` (layout in the module comment), padding included.
 * Full slivers go in groups of four, row by row: each row of B gives 128
 * contiguous bytes to four sequential write streams. (Sliver by sliver,
 * 32 bytes a row from rows 4 KiB apart at n = 1024, packing ran at a
 * quarter of memcpy speed; in groups, at 0.7x.)
 */
function emitPackB(f: FunctionBuilder, cfg: MatmulConfig): void {
  const { nr } = cfg;
  const nv = nr / 4;
  const [b, bp, K, N, Kp, j0, j1] = [0, 1, 2, 3, 4, 5, 6];
  const j = f.local('i32'), p = f.local('i32'), q = f.local('i32'), s = f.local('i32'), d = f.local('i32'), w = f.local('i32');
  const ldb = f.local('i32'), jFull = f.local('i32'), ldp = f.local('i32');
  const sliver = nr * F; // bytes of one packed row
  f.get(N).i32(F).op('i32.mul').set(ldb);
  f.get(Kp).i32(sliver).op('i32.mul').set(ldp); // bytes from one packed sliver to the next
  // jFull = clamp(N / NR, j0, j1): slivers [j0, jFull) are full.
  f.get(N).i32(nr).op('i32.div_u').set(jFull);
  f.get(jFull).get(j1).op('i32.gt_s').if(() => { f.get(j1).set(jFull); });
  f.get(jFull).get(j0).op('i32.lt_s').if(() => { f.get(j0).set(jFull); });
  // Groups of G full slivers (G·NR·4 bytes of each row of B), row by row: G sequential write streams.
  const G = 4;
  f.get(j0).set(j);
  f.block((done) => f.loop((top) => {
    f.get(j).i32(G).op('i32.add').get(jFull).op('i32.gt_s').brIf(done);
    f.get(b).get(j).i32(sliver).op('i32.mul').op('i32.add').set(s);
    f.get(bp).get(j).get(ldp).op('i32.mul').op('i32.add').set(d);
    f.for(p, (g) => g.i32(0), K, { const: 1 }, () => {
      for (let gg = 0; gg < G; gg++) {
        for (let v = 0; v < nv; v++) {
          f.get(d);
          if (gg > 0) f.get(ldp).i32(gg).op('i32.mul').op('i32.add');
          f.get(s).mem('v128.load', gg * sliver + v * 16).mem('v128.store', v * 16);
        }
      }
      f.get(s).get(ldb).op('i32.add').set(s);
      f.get(d).i32(sliver).op('i32.add').set(d);
    });
    f.get(j).i32(G).op('i32.add').set(j);
    f.br(top);
  }));
  // Full slivers left over (fewer than G), one at a time.
  f.for(j, (g) => g.get(j), jFull, { const: 1 }, () => {
    f.get(b).get(j).i32(sliver).op('i32.mul').op('i32.add').set(s);
    f.get(bp).get(j).get(ldp).op('i32.mul').op('i32.add').set(d);
    f.for(p, (g) => g.i32(0), K, { const: 1 }, () => {
      for (let v = 0; v < nv; v++) f.get(d).get(s).mem('v128.load', v * 16).mem('v128.store', v * 16);
      f.get(s).get(ldb).op('i32.add').set(s);
      f.get(d).i32(sliver).op('i32.add').set(d);
    });
  });
  // The partial sliver, if any (the last one): columns [jFull·NR, N), zero to its width.
  f.for(j, (g) => g.get(jFull), j1, { const: 1 }, () => {
    f.get(bp).get(j).get(ldp).op('i32.mul').op('i32.add').set(d);
    f.get(b).get(j).i32(sliver).op('i32.mul').op('i32.add').set(s);
    f.get(N).get(j).i32(nr).op('i32.mul').op('i32.sub').set(w); // columns left, < NR
    f.for(p, (g) => g.i32(0), K, { const: 1 }, () => {
      for (let v = 0; v < nv; v++) f.get(d).f32x4(0).mem('v128.store', v * 16);
      f.for(q, (g) => g.i32(0), w, { const: 1 }, () => {
        f.get(d).get(q).i32(F).op('i32.mul').op('i32.add')
          .get(s).get(q).i32(F).op('i32.mul').op('i32.add').mem('f32.load').mem('f32.store');
      });
      f.get(s).get(ldb).op('i32.add').set(s);
      f.get(d).i32(sliver).op('i32.add').set(d);
    });
  });
  // K steps [K, Kp) of every sliver: zero.
  f.for(j, (g) => g.get(j0), j1, { const: 1 }, () => {
    f.get(bp).get(j).get(ldp).op('i32.mul').op('i32.add').get(K).i32(sliver).op('i32.mul').op('i32.add').set(d);
    f.for(p, (g) => g.get(K), Kp, { const: 1 }, () => {
      for (let v = 0; v < nv; v++) f.get(d).f32x4(0).mem('v128.store', v * 16);
      f.get(d).i32(sliver).op('i32.add').set(d);
    });
  });
}

/**
 * `mm_pack_bt(bt, bp, K, N, Kp, j0, j1)`: as `mm_pack_b` for `B = Btᵀ`,
 * with `Bt` the row-major `[N, K]` matrix at `bt`:
 * `Bp[(j/NR)·Kp·NR + p·NR + j%NR] = Bt[j, p]`, padding included. Each
 * group of 4 columns of a sliver (4 rows of Bt) moves 4 K steps at a time
 * through a 4 x 4 transpose; a group past N and K mod 4 go element by
 * element.
 */
function emitPackBt(f: FunctionBuilder, cfg: MatmulConfig): void {
  const { nr } = cfg;
  const [bt, bp, K, N, Kp, j0, j1] = [0, 1, 2, 3, 4, 5, 6];
  const j = f.local('i32'), c0 = f.local('i32'), p = f.local('i32'), k4 = f.local('i32'), t = f.local('i32'), d = f.local('i32'), ds = f.local('i32');
  const rowPtr = Array.from({ length: 4 }, () => f.local('i32'));
  const v = Array.from({ length: 4 }, () => f.local('v128')), tmp = Array.from({ length: 4 }, () => f.local('v128'));
  const stride = nr * F;
  f.get(K).i32(-4).op('i32.and').set(k4);
  f.for(j, (g) => g.get(j0), j1, { const: 1 }, () => {
    f.get(bp).get(j).get(Kp).op('i32.mul').i32(stride).op('i32.mul').op('i32.add').set(ds);
    for (let g = 0; g < nr / 4; g++) {
      f.get(j).i32(nr).op('i32.mul').i32(4 * g).op('i32.add').set(c0); // the group's first column
      f.get(c0).i32(4).op('i32.add').get(N).op('i32.le_s').if(() => {
        for (let q = 0; q < 4; q++) f.get(bt).get(c0).i32(q).op('i32.add').get(K).op('i32.mul').i32(F).op('i32.mul').op('i32.add').set(rowPtr[q]!);
        f.get(ds).i32(g * 16).op('i32.add').set(d);
        copyFourRows(f, rowPtr, d, p, k4, K, stride, v, tmp);
      }, () => {
        // Columns [c0, N) of the group exist (maybe none); the rest are zero.
        f.get(ds).i32(g * 16).op('i32.add').set(d);
        f.for(p, (h) => h.i32(0), K, { const: 1 }, () => {
          f.get(d).f32x4(0).mem('v128.store');
          f.for(t, (h) => h.get(c0), N, { const: 1 }, () => {
            f.get(d).get(t).get(c0).op('i32.sub').i32(F).op('i32.mul').op('i32.add')
              .get(bt).get(t).get(K).op('i32.mul').get(p).op('i32.add').i32(F).op('i32.mul').op('i32.add').mem('f32.load')
              .mem('f32.store');
          });
          f.get(d).i32(stride).op('i32.add').set(d);
        });
      });
    }
    // K steps [K, Kp): zero.
    f.get(ds).get(K).i32(stride).op('i32.mul').op('i32.add').set(d);
    f.for(p, (h) => h.get(K), Kp, { const: 1 }, () => {
      for (let g = 0; g < nr / 4; g++) f.get(d).f32x4(0).mem('v128.store', g * 16);
      f.get(d).i32(stride).op('i32.add').set(d);
    });
  });
}

/**
 * `block(a, bp, c, ap, m0, m1, K, N, lda, csa, jp0, jp1, acc)`: rows `[m0, m1)`
 * (m0 a multiple of MR; rows up to m1 rounded up to MR are written) and
 * column slivers `[jp0, jp1)` of C (rows of Np floats), using the MC x KC
 * scratch at `ap`; `A[i, p]` is at `a + i·lda + p·csa` bytes (`lda = K·4,
 * csa = 4` row-major; `lda = 4, csa = M·4` for A given transposed, as
 * `[K, M]`). `acc` holds flags: with bit 0 the products are added to C (a
 * sum over several calls, as a weight gradient over images), else they
 * replace it; bit 1 says that `ap` already holds this A packed (by the
 * previous call on this thread, for a product of one K slice and one block
 * of rows: K ≤ KC, m1 - m0 ≤ MC), so it is not packed again.
 * For each KC slice and MC block of rows, A is packed once and
 * the slivers of B walked; each element's sum runs over p in the same
 * order whatever the range, so any split of rows or slivers gives the
 * same bits.
 */
function emitBlock(f: FunctionBuilder, cfg: MatmulConfig, micro: number, packA: number): void {
  const { mr, nr, unroll, mc: MC, kc: KC } = cfg;
  const [a, bp, c, ap, m0, m1, K, N, lda, csa, jp0, jp1, acc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const Kp = f.local('i32'), Np = f.local('i32');
  const pc = f.local('i32'), kcp = f.local('i32'), kc = f.local('i32');
  const ic = f.local('i32'), mc = f.local('i32'), mcp = f.local('i32');
  const jp = f.local('i32'), bsl = f.local('i32'), s = f.local('i32');
  f.get(K).i32(unroll - 1).op('i32.add').i32(unroll).op('i32.div_u').i32(unroll).op('i32.mul').set(Kp);
  f.get(N).i32(nr - 1).op('i32.add').i32(nr).op('i32.div_u').i32(nr).op('i32.mul').set(Np);
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
      f.get(acc).i32(2).op('i32.and').op('i32.eqz').if(() => {
        f.get(a).get(ic).get(lda).op('i32.mul').op('i32.add').get(pc).get(csa).op('i32.mul').op('i32.add')
          .get(ap).get(lda).get(mc).get(kc).get(kcp).get(mcp).get(csa).call(packA);
      });
      f.for(jp, (g) => g.get(jp0), jp1, { const: 1 }, () => {
        // bsl = bp + (jp·Kp + pc)·NR·4
        f.get(bp).get(jp).get(Kp).op('i32.mul').get(pc).op('i32.add').i32(nr * F).op('i32.mul').op('i32.add').set(bsl);
        f.for(s, (g) => g.i32(0), mcp, { const: mr }, () => {
          // micro(ap + s·kcp·4, bsl, c + ((ic + s)·Np + jp·NR)·4, kcp, Np·4, pc != 0 or acc)
          f.get(ap).get(s).get(kcp).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
            .get(bsl)
            .get(c).get(ic).get(s).op('i32.add').get(Np).op('i32.mul').get(jp).i32(nr).op('i32.mul').op('i32.add').i32(F).op('i32.mul').op('i32.add')
            .get(kcp).get(Np).i32(F).op('i32.mul').get(pc).get(acc).i32(1).op('i32.and').op('i32.or')
            .call(micro);
        });
      });
    });
  });
}

/**
 * `mm_rows(a, bp, c, ap, m0, m1, K, N, lda, csa, cc)`: rows `[m0, m1)` of
 * C, every sliver (see `block`; B packed at `bp`). With `cc` != 0, rows
 * `[m0, m1)` are then also copied to the compact `[M, N]` block at `cc`.
 */
function emitRows(f: FunctionBuilder, cfg: MatmulConfig, block: number): void {
  const { nr } = cfg;
  const [a, bp, c, ap, m0, m1, K, N, lda, csa, cc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const Np = f.local('i32'), i = f.local('i32');
  f.get(N).i32(nr - 1).op('i32.add').i32(nr).op('i32.div_u').i32(nr).op('i32.mul').set(Np);
  f.get(a).get(bp).get(c).get(ap).get(m0).get(m1).get(K).get(N).get(lda).get(csa).i32(0).get(Np).i32(nr).op('i32.div_u').i32(0).call(block);
  // The compact copy: row i of C moves to cc + i·N·4 (one copy where the rows are not padded).
  f.get(cc).if(() => {
    f.get(Np).get(N).op('i32.eq').if(() => {
      f.get(cc).get(m0).get(N).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
        .get(c).get(m0).get(N).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
        .get(m1).get(m0).op('i32.sub').get(N).op('i32.mul').i32(F).op('i32.mul')
        .memoryCopy();
      f.op('return');
    });
    f.for(i, (g) => g.get(m0), m1, { const: 1 }, () => {
      f.get(cc).get(i).get(N).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
        .get(c).get(i).get(Np).op('i32.mul').i32(F).op('i32.mul').op('i32.add')
        .get(N).i32(F).op('i32.mul')
        .memoryCopy();
    });
  });
}

/**
 * `mm_cols(a, b, bp, c, ap, j0, j1, M, K, N, lda, csa)`: packs slivers
 * `[j0, j1)` of B (at `b`, row-major `[K, N]`; `mm_cols_t`: Bᵀ, `[N, K]`)
 * into `bp`, then computes every row of C for those slivers (see
 * `block`). For products with few rows split by columns: each thread
 * packs only the part of B it reads, so packed B never moves between
 * cores, and the product is one job (packing and multiplying).
 */
function emitCols(f: FunctionBuilder, cfg: MatmulConfig, pack: number, block: number): void {
  const { unroll } = cfg;
  const [a, b, bp, c, ap, j0, j1, M, K, N, lda, csa] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  // pack(b, bp, K, N, Kp, j0, j1)
  f.get(b).get(bp).get(K).get(N).get(K).i32(unroll - 1).op('i32.add').i32(unroll).op('i32.div_u').i32(unroll).op('i32.mul').get(j0).get(j1).call(pack);
  f.get(a).get(bp).get(c).get(ap).i32(0).get(M).get(K).get(N).get(lda).get(csa).get(j0).get(j1).i32(0).call(block);
}
