/**
 * Which file runs which workload on which library. Each file is imported only
 * when its row runs, so a peer that fails to load costs only its rows.
 */
import type { Family, Runner, WorkloadId } from './workload.js';

/** The runners of one workload; a family without one does not run it (V1 compares typegrad with itself; V2 also runs in PyTorch, for its own ratio). */
type Entry = Partial<Record<Family, () => Promise<Runner>>>;

export const REGISTRY: Record<WorkloadId, Entry> = {
  W1: {
    typegrad: () => import('./workloads/w1-typegrad.js').then((m) => m.run),
    'typegrad-jit': () => import('./workloads/w1-typegrad.js').then((m) => m.run),
    torch: () => import('./workloads/torch-peers.js').then((m) => (ctx) => m.run(ctx, 'W1')),
    tfjs: () => import('./workloads/w1-tfjs.js').then((m) => m.run),
    jax: () => import('./workloads/w1-jax.js').then((m) => m.run),
  },
  W2: {
    typegrad: () => import('./workloads/w2-typegrad.js').then((m) => m.run),
    'typegrad-jit': () => import('./workloads/w2-typegrad.js').then((m) => m.run),
    torch: () => import('./workloads/torch-peers.js').then((m) => (ctx) => m.run(ctx, 'W2')),
    tfjs: () => import('./workloads/w2-tfjs.js').then((m) => m.run),
    jax: () => import('./workloads/w2-jax.js').then((m) => m.run),
  },
  W2M: {
    typegrad: () => import('./workloads/w2-typegrad.js').then((m) => m.runMemory),
    'typegrad-jit': () => import('./workloads/w2-typegrad.js').then((m) => m.runMemory),
    tfjs: () => import('./workloads/w2-tfjs.js').then((m) => m.runMemory),
    jax: () => import('./workloads/w2-jax.js').then((m) => m.runMemory),
  },
  W3: {
    typegrad: () => import('./workloads/w3-typegrad.js').then((m) => m.run),
    tfjs: () => import('./workloads/w3-tfjs.js').then((m) => m.run),
    jax: () => import('./workloads/w3-jax.js').then((m) => m.run),
  },
  W4: {
    typegrad: () => import('./workloads/w4-typegrad.js').then((m) => m.run),
    'typegrad-jit': () => import('./workloads/w4-typegrad.js').then((m) => m.run),
    torch: () => import('./workloads/torch-peers.js').then((m) => (ctx) => m.run(ctx, 'W4')),
    tfjs: () => import('./workloads/w4-tfjs.js').then((m) => m.run),
    jax: () => import('./workloads/w4-jax.js').then((m) => m.run),
  },
  W5: {
    typegrad: () => import('./workloads/w5-typegrad.js').then((m) => m.run),
    'typegrad-jit': () => import('./workloads/w5-typegrad.js').then((m) => m.run),
    torch: () => import('./workloads/torch-peers.js').then((m) => (ctx) => m.run(ctx, 'W5')),
    tfjs: () => import('./workloads/w5-tfjs.js').then((m) => m.run),
    jax: () => import('./workloads/w5-jax.js').then((m) => m.run),
  },
  W6: {
    typegrad: () => import('./workloads/w6-typegrad.js').then((m) => m.run),
    'typegrad-jit': () => import('./workloads/w6-typegrad.js').then((m) => m.run),
    tfjs: () => import('./workloads/w6-peers.js').then((m) => m.runTfjs),
    jax: () => import('./workloads/w6-peers.js').then((m) => m.runJax),
    torch: () => import('./workloads/w6-torch.js').then((m) => m.run),
  },
  V1: { typegrad: () => import('./workloads/v-typegrad.js').then((m) => m.runV1) },
  V2: {
    typegrad: () => import('./workloads/v-typegrad.js').then((m) => m.runV2),
    torch: () => import('./workloads/torch-peers.js').then((m) => (ctx) => m.run(ctx, 'V2')),
  },
};
