/**
 * W1, W2, W4, W5 and V2 in PyTorch (Debian's python3-torch, CPU) through
 * `bench/torch/peers.py`, with 1 thread (`pytorch-1t`) or 2 (`pytorch-2t`).
 * V2 (per-example gradients with functorch's `vmap(grad)` against one batch
 * gradient) runs on 1 thread only: with 2, PyTorch 1.13's batch gradient
 * slows to 5-10 ms once `vmap` has run in the process, so the ratio would
 * measure that instead.
 * Where /usr/bin/python3 or torch is missing, the row fails with a note and
 * the run goes on.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { breastCancerSplit } from '../data.js';
import type { Context, Result, WorkloadId } from '../workload.js';

interface Reply {
  readonly value: number;
  readonly unit: 'us' | 'ms' | 's';
  readonly case?: string;
  readonly steps?: number;
  readonly accuracy?: number;
  /** V2: one batch gradient (ms), and the median per-round ratio per-example / batch. */
  readonly batch?: number;
  readonly ratio?: number;
}

function python(workload: WorkloadId, ctx: Context, extra: string[] = []): Reply {
  const threads = ctx.lib === 'pytorch-2t' ? 2 : 1;
  const script = fileURLToPath(new URL('../torch/peers.py', import.meta.url));
  const args = [script, '--workload', workload, '--threads', String(threads), ...(ctx.quick ? ['--quick'] : []), ...extra];
  const out = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (out.error) throw new Error(`${workload} PyTorch: /usr/bin/python3 not found (${out.error.message}); install python3-torch`);
  if (out.status !== 0) {
    const tail = out.stderr.trim().split('\n').slice(-2).join(' ');
    throw new Error(`${workload} PyTorch skipped: ${/No module named 'torch'/.test(tail) ? 'torch is not installed (apt-get install python3-torch)' : tail}`);
  }
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Reply;
}

export async function run(ctx: Context, workload: WorkloadId): Promise<Result[]> {
  const note = `torch ${ctx.lib === 'pytorch-2t' ? '2 threads' : '1 thread'}`;
  if (workload === 'W1') {
    const data = breastCancerSplit();
    const file = join(mkdtempSync(join(tmpdir(), 'w1-torch-')), 'data.json');
    writeFileSync(file, JSON.stringify({ trainX: Array.from(data.trainX), trainY: Array.from(data.trainY), features: data.features }));
    const r = python('W1', ctx, ['--data', file]);
    return [{ workload, case: r.case!, metric: 'time', lib: ctx.lib, unit: r.unit, value: r.value, note }];
  }
  if (workload === 'W2') {
    const r = python('W2', ctx);
    const kase = ctx.quick ? `${r.steps} steps (quick)` : `epoch, ${r.steps} steps`;
    return [
      { workload, case: kase, metric: 'time', lib: ctx.lib, unit: 's', value: r.value, note },
      { workload, case: kase, metric: 'test accuracy', lib: ctx.lib, unit: '%', value: r.accuracy! * 100 },
    ];
  }
  if (workload === 'V2') {
    if (ctx.lib === 'pytorch-2t') return [];
    const r = python('V2', ctx);
    return [
      { workload, case: r.case!, metric: 'time', lib: ctx.lib, unit: 'ms', value: r.value, extra: { ratio: r.ratio! }, note: `${note}, functorch: ${r.ratio!.toFixed(2)}x one batch gradient` },
      { workload, case: 'one batch gradient, batch 64', metric: 'time', lib: ctx.lib, unit: 'ms', value: r.batch!, note },
    ];
  }
  const r = python(workload, ctx);
  return [{ workload, case: r.case!, metric: 'time', lib: ctx.lib, unit: r.unit, value: r.value, note }];
}
