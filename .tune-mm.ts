import { rowAxpy, blocked, panelsFor, matvec } from './kern.ts';
function rnd(n: number) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5; return a; }
function t(f: () => void, flops: number) {
  f(); let reps = 1; for (;; reps *= 2) { const s = performance.now(); for (let r = 0; r < reps; r++) f(); if (performance.now() - s > 30) break; }
  let best = Infinity; for (let k = 0; k < 5; k++) { const s = performance.now(); for (let r = 0; r < reps; r++) f(); best = Math.min(best, (performance.now() - s) / reps); }
  return (flops / best / 1e6).toFixed(2);
}
const shapes: [number, number, number][] = JSON.parse(process.argv[2]!);
for (const [m, k, n] of shapes) {
  const a = rnd(m * k), b = rnd(k * n), c = new Float64Array(m * n); const p = panelsFor(m, k, n);
  const fl = 2 * m * k * n;
  console.log(`${m}x${k}x${n}`.padEnd(14), 'rowAxpy', t(() => rowAxpy(m, k, n, a, 0, b, 0, c, 0), fl), ' blocked', t(() => blocked(m, k, n, a, 0, b, 0, c, 0, p), fl));
}
