/**
 * W2's products alone (forward and weight gradient of both layers, and the
 * hidden layer's gradient), on resident operands as in the jitted step, on
 * 1 and 2 threads. A call follows a busy gap of single-thread work
 * (`gapUs`), as inside the step, between its threaded kernels. Settings
 * alternate every 10 calls, and each is summarised by the 10th, 25th and
 * 50th percentile of single calls, which holds up better than a mean on a
 * machine others use.
 *
 *   CASES=fwd,wgrad THREADS=1,2 npx tsx bench/profile-mm.ts [gapUs] [calls]
 *
 * With AB=1 each setting also runs with `globalThis.__tgAB = true`, for a
 * temporary switch in the code under test (an A/B test in one process).
 */
import '../src/platform/node.js';
import { residentF32, setWasmThreads, startWasmWorkers, wasmMatmulF32 } from '../src/backend/wasm/index.js';

const gapUs = Number(process.argv[2] ?? 150);
const calls = Number(process.argv[3] ?? 2000);
startWasmWorkers();
const fill = (a: Float32Array, seed: number) => { let s = seed; for (let i = 0; i < a.length; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = s / 2 ** 32 - 0.5; } return a; };
const x = fill(residentF32(64 * 784), 1), w = fill(residentF32(784 * 128), 2), h = residentF32(64 * 128);
const dh = fill(residentF32(64 * 128), 3), dw = residentF32(784 * 128);
const spin = (us: number) => { const end = performance.now() + us / 1000; while (performance.now() < end); };
const w2 = fill(residentF32(128 * 10), 4), logits = residentF32(64 * 10), dl = fill(residentF32(64 * 10), 5), dw2 = residentF32(128 * 10), dhh = residentF32(64 * 128);
const cases: Record<string, () => void> = {
  fwd: () => wasmMatmulF32(x, w, 64, 784, 128, h),
  wgrad: () => wasmMatmulF32(x, dh, 784, 64, 128, dw, true, false),
  fwd2: () => wasmMatmulF32(h, w2, 64, 128, 10, logits),
  wgrad2: () => wasmMatmulF32(h, dl, 128, 64, 10, dw2, true, false),
  dh: () => wasmMatmulF32(dl, w2, 64, 10, 128, dhh, false, true),
};
const only = process.env.CASES?.split(',');
const variants: { key: string; threads: number; ab: boolean; f: () => void }[] = [];
for (const [name, f] of Object.entries(cases)) {
  if (only && !only.includes(name)) continue;
  for (const threads of (process.env.THREADS ?? '1,2').split(',').map(Number)) {
    for (const ab of process.env.AB ? [false, true] : [false]) variants.push({ key: `${name} t${threads}${ab ? ' B' : ' A'}`, threads, ab, f });
  }
}
const times = new Map<string, number[]>(variants.map((v) => [v.key, []]));
const BLOCK = 10;
for (let i = 0; i < calls; i += BLOCK) {
  for (const v of variants) {
    setWasmThreads(v.threads);
    (globalThis as { __tgAB?: boolean }).__tgAB = v.ab;
    const list = times.get(v.key)!;
    for (let j = 0; j < BLOCK; j++) {
      if (gapUs > 0) spin(gapUs);
      const t0 = performance.now();
      v.f();
      if (i > 0) list.push((performance.now() - t0) * 1000);
    }
  }
}
for (const [k, v] of times) {
  v.sort((a, b) => a - b);
  const q = (p: number) => v[Math.floor(p * (v.length - 1))]!.toFixed(0);
  console.log(`${k.padEnd(14)} p10 ${q(0.1).padStart(4)} us  p25 ${q(0.25).padStart(4)}  median ${q(0.5).padStart(4)} us`);
}
