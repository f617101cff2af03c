/**
 * Turns results into the printed table, the target verdicts and the JSON
 * document written to `bench-results.json`.
 */
import { LIBS, TITLES, WORKLOADS, type Lib, type Result, type WorkloadId } from './workload.js';

/** A workload that did not produce results on a library, and why. */
export interface Failure {
  readonly workload: WorkloadId;
  readonly lib: Lib;
  readonly error: string;
}

/** One of the suite's goals for typegrad, judged on this run. */
export interface Target {
  readonly workload: WorkloadId;
  readonly goal: string;
  /** What typegrad reached, in words. */
  readonly reached: string;
  /** undefined when this run cannot tell (rows missing, or a --quick run). */
  readonly met: boolean | undefined;
}

/** jax-js wasm+jit time of W1 measured earlier on this kind of machine, used when this run has no jax row. */
const JAX_W1_EARLIER_US = 117;

function find(results: readonly Result[], workload: WorkloadId, lib: Lib, metric: string, kase?: string): Result | undefined {
  return results.find((r) => r.workload === workload && r.lib === lib && r.metric === metric && (kase === undefined || r.case === kase));
}

export function judgeTargets(results: readonly Result[], quick: boolean): Target[] {
  const out: Target[] = [];
  const w1 = find(results, 'W1', 'typegrad', 'time');
  if (w1) {
    const jax = find(results, 'W1', 'jax-wasm-jit', 'time');
    const ref = jax?.value ?? JAX_W1_EARLIER_US;
    const speedup = ref / w1.value;
    out.push({
      workload: 'W1',
      goal: 'at least 3x faster than jax-js (wasm + jit)',
      reached: `${fmt(w1.value)} us vs ${fmt(ref)} us${jax ? '' : ' (earlier measurement)'}: ${speedup.toFixed(2)}x`,
      met: speedup >= 3,
    });
  }
  const w2 = find(results, 'W2', 'typegrad', 'time');
  if (w2) {
    const full = !quick && !w2.case.includes('quick');
    out.push({ workload: 'W2', goal: 'one epoch under 1.0 s', reached: `${fmt(w2.value)} s for ${w2.case}`, met: full ? w2.value < 1 : undefined });
  }
  const w2m = find(results, 'W2M', 'typegrad', 'RSS growth');
  if (w2m) out.push({ workload: 'W2M', goal: 'RSS growth after epoch 1 under 5%', reached: `${w2m.value.toFixed(1)}% (${w2m.note ?? ''})`, met: w2m.value < 5 });
  const w3 = find(results, 'W3', 'typegrad', 'time', 'n=1024');
  if (w3) {
    const g = w3.extra?.['gflops'] ?? 0;
    out.push({ workload: 'W3', goal: '70 GFLOP/s at n=1024', reached: `${g.toFixed(1)} GFLOP/s`, met: g >= 70 });
  }
  const w4 = find(results, 'W4', 'typegrad', 'time');
  if (w4) out.push({ workload: 'W4', goal: 'under 5 ms', reached: `${fmt(w4.value)} ms`, met: w4.value < 5 });
  const w5 = find(results, 'W5', 'typegrad', 'time');
  if (w5) out.push({ workload: 'W5', goal: 'under 3 us', reached: `${fmt(w5.value)} us`, met: w5.value < 3 });
  const w6 = find(results, 'W6', 'typegrad', 'time');
  if (w6) {
    const torch = find(results, 'W6', 'pytorch-1t', 'time');
    out.push({
      workload: 'W6',
      goal: 'an epoch no slower than single-thread PyTorch (same run)',
      reached: torch ? `${fmt(w6.value)} s vs ${fmt(torch.value)} s: ${(torch.value / w6.value).toFixed(2)}x` : `${fmt(w6.value)} s (PyTorch not run)`,
      met: torch && !quick ? w6.value <= torch.value : undefined,
    });
  }
  // jit against PyTorch, same run: speedup = PyTorch time / typegrad-jit time.
  const jitGoals: [WorkloadId, Lib[], string, number][] = [
    ['W1', ['pytorch-1t', 'pytorch-2t'], 'typegrad jit at least 3x faster than PyTorch', 3],
    ['W2', ['pytorch-1t'], 'typegrad jit epoch no slower than 1-thread PyTorch', 1],
    ['W4', ['pytorch-2t'], 'typegrad jit no slower than 2-thread PyTorch', 1],
    ['W5', ['pytorch-1t', 'pytorch-2t'], 'typegrad jit at least 20x faster than PyTorch', 20],
    ['W6', ['pytorch-1t'], 'typegrad jit epoch no slower than 1-thread PyTorch', 1],
  ];
  for (const [w, libs, goal, factor] of jitGoals) {
    const j = find(results, w, 'typegrad-jit', 'time');
    const ts = libs.map((l) => find(results, w, l, 'time')).filter((r): r is Result => r !== undefined);
    if (!j) continue;
    if (ts.length === 0) {
      out.push({ workload: w, goal, reached: `${fmt(j.value)} ${j.unit} (PyTorch not run)`, met: undefined });
      continue;
    }
    const best = ts.reduce((a, b) => (b.value < a.value ? b : a));
    const x = best.value / j.value;
    out.push({ workload: w, goal, reached: `${fmt(j.value)} vs ${fmt(best.value)} ${j.unit} (${best.lib}): ${x.toFixed(2)}x`, met: quick ? undefined : x >= factor });
  }
  const v1 = find(results, 'V1', 'typegrad', 'time', 'jacrev (vmap)');
  if (v1) {
    const x = v1.extra?.['speedup'] ?? 0;
    out.push({ workload: 'V1', goal: 'jacrev at least 10x faster than the loop', reached: `${x.toFixed(1)}x (${fmt(v1.value)} ms)`, met: quick ? undefined : x >= 10 });
  }
  const v2 = find(results, 'V2', 'typegrad', 'time', 'per-example grads, batch 64 (vmap)');
  if (v2) {
    const r = v2.extra?.['ratio'] ?? Infinity;
    // Beside the ratio, what bounds it in the same run: the fresh output memory alone, and PyTorch's own ratio.
    const fresh = find(results, 'V2', 'typegrad', 'time', 'floor: a fresh 25.7 MB array, filled')?.extra?.['ratio'];
    const torch = find(results, 'V2', 'pytorch-1t', 'time', 'per-example grads, batch 64 (vmap)')?.extra?.['ratio'];
    const context = [fresh !== undefined ? `fresh output alone ${fresh.toFixed(2)}x` : '', torch !== undefined ? `PyTorch 1t ${torch.toFixed(2)}x` : ''].filter(Boolean).join(', ');
    out.push({ workload: 'V2', goal: 'per-example gradients at most 3x one batch gradient', reached: `${r.toFixed(2)}x (${fmt(v2.value)} ms)${context ? `; ${context}` : ''}`, met: quick ? undefined : r <= 3 });
  }
  return out;
}

/** A number with 3 significant digits, no exponent for ordinary sizes. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
}

/** Ratio typegrad / lib for a row, or '' where it means nothing (accuracy, growth). */
function ratio(results: readonly Result[], r: Result): string {
  if (r.unit === '%' || r.lib === 'typegrad') return '';
  const tg = find(results, r.workload, 'typegrad', r.metric, r.case);
  if (!tg || r.value === 0) return '';
  return (tg.value / r.value).toFixed(2);
}

function checkText(r: Result): string {
  if (!r.check) return '';
  const c = r.check;
  return `${c.ok ? 'ok' : 'FAIL'} (err ${c.error.toExponential(1)} <= ${c.tolerance.toExponential(1)}${c.ok ? '' : ': ' + c.what})`;
}

/** The printed table: one block per workload, one line per (case, metric, library). */
export function table(results: readonly Result[], failures: readonly Failure[], targets: readonly Target[]): string {
  const lines: string[] = [];
  const head = ['case', 'metric', 'library', 'median/value', 'IQR', 'range', 'tg/lib', 'check vs plain JS', 'note'];
  for (const w of WORKLOADS) {
    const rows = results.filter((r) => r.workload === w);
    const fails = failures.filter((f) => f.workload === w);
    if (rows.length === 0 && fails.length === 0) continue;
    lines.push('', `${w}  ${TITLES[w]}`);
    const body: string[][] = [];
    const cases = [...new Set(rows.map((r) => `${r.case}\u0000${r.metric}`))];
    for (const key of cases) {
      const [kase, metric] = key.split('\u0000') as [string, string];
      const group = rows.filter((r) => r.case === kase && r.metric === metric).sort((a, b) => LIBS.indexOf(a.lib) - LIBS.indexOf(b.lib));
      group.forEach((r, i) => {
        body.push([
          i === 0 ? kase : '',
          i === 0 ? metric : '',
          r.lib,
          `${fmt(r.value)} ${r.unit}`,
          r.spreadPercent === undefined ? '' : `${r.spreadPercent.toFixed(1)}%`,
          r.rangePercent === undefined ? '' : `${r.rangePercent.toFixed(0)}%`,
          ratio(results, r),
          checkText(r),
          r.note ?? '',
        ]);
      });
    }
    for (const f of fails) body.push(['', '', f.lib, 'ERROR', '', '', '', '', f.error.split('\n')[0]!.slice(0, 140)]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    lines.push('  ' + pad(head, widths));
    for (const b of body) lines.push('  ' + pad(b, widths));
  }
  if (targets.length > 0) {
    lines.push('', 'Targets (typegrad)');
    for (const t of targets) {
      const verdict = t.met === undefined ? 'n/a (needs a full run)' : t.met ? 'MET' : 'NOT MET';
      lines.push(`  ${t.workload.padEnd(4)} ${t.goal.padEnd(44)} ${t.reached.padEnd(48)} ${verdict}`);
    }
  }
  lines.push(
    '',
    'median: of the samples after warm-up (per call: epoch, product, step). IQR: (q3 - q1) / median. range: (max - min) / median.',
    'tg/lib: typegrad / library (below 1: typegrad takes less time or memory). Each (workload, library) runs in its own process.',
  );
  return lines.join('\n');
}
