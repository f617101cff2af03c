/**
 * W6 in PyTorch (Debian's python3-torch, CPU) through `bench/torch/w6.py`,
 * with 1 thread (`pytorch-1t`) or 2 (`pytorch-2t`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Context, Result } from '../workload.js';
import { w6Row, w6Steps } from './w6.js';

export async function run(ctx: Context): Promise<Result[]> {
  const threads = ctx.lib === 'pytorch-2t' ? 2 : 1;
  const { steps, warmup } = w6Steps(ctx.quick);
  const script = fileURLToPath(new URL('../torch/w6.py', import.meta.url));
  const out = spawnSync('/usr/bin/python3', [script, '--threads', String(threads), '--steps', String(steps), '--warmup', String(warmup)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`W6 PyTorch: ${out.error?.message ?? out.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const r = JSON.parse(out.stdout.trim().split('\n').pop()!) as { seconds: number; steps: number };
  return w6Row(ctx, r.seconds, r.steps, `torch ${threads} thread${threads > 1 ? 's' : ''}`);
}
