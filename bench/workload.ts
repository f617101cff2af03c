/**
 * What a workload is, what it reports, and the libraries it runs on.
 * A workload file (`workloads/w1-typegrad.ts`, `w1-tfjs.ts`, ...) exports
 * `run(ctx)`, which returns one {@link Result} per measured quantity.
 */
import { rangePercent, spreadPercent, type Stats } from './harness.js';
import type { Check } from './reference.js';

/** Every library variant the suite runs, typegrad first. */
export const LIBS = ['typegrad', 'typegrad-jit', 'tfjs-cpu', 'tfjs-wasm', 'jax-wasm', 'jax-wasm-jit', 'pytorch-1t', 'pytorch-2t'] as const;
export type Lib = (typeof LIBS)[number];

/** The library a variant loads: one workload file per family. */
export type Family = 'typegrad' | 'typegrad-jit' | 'tfjs' | 'jax' | 'torch';
export function familyOf(lib: Lib): Family {
  return lib === 'typegrad' ? 'typegrad' : lib === 'typegrad-jit' ? 'typegrad-jit' : lib.startsWith('tfjs') ? 'tfjs' : lib.startsWith('pytorch') ? 'torch' : 'jax';
}

/** `W2M` is W2's memory check (`--memory`): RSS after epochs 1..3. */
export const WORKLOADS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'V1', 'V2', 'W2M'] as const;
export type WorkloadId = (typeof WORKLOADS)[number];

/** One line of the table of one workload: what it measures. */
export const TITLES: Record<WorkloadId, string> = {
  W1: 'logistic regression, breast cancer 455x30, full batch: one epoch (forward, BCE, grad, SGD)',
  W2: 'MLP 784-128-10, Adam, batch 64, Fashion-MNIST: one epoch',
  W3: 'float32 matmul n x n',
  W4: 'tanh(x*1.5+0.5)*sigmoid(x) over 1M float32',
  W5: 'scalar step (w*x-y)^2: grad and update',
  W6: 'CNN conv32-pool-conv64-pool-fc128-10, Adam, batch 64, Fashion-MNIST: one epoch (938 steps, extrapolated from a fixed number)',
  V1: 'jacrev of tanh(W x), R^100 -> R^100: one vmap pass vs the former loop (typegrad only)',
  V2: 'per-example gradients, batch 64, MLP 784-128-10: vmap(grad) vs one batch gradient (each library against itself)',
  W2M: 'W2 memory: RSS after epochs 1, 2, 3 (growth after epoch 1 must be < 5%)',
};

/** How a workload runs. */
export interface Context {
  readonly lib: Lib;
  /** Fewer repetitions and W2 cut to ~100 steps, for smoke runs. */
  readonly quick: boolean;
}

/** One measured quantity of one workload on one library. */
export interface Result {
  readonly workload: WorkloadId;
  /** Which instance: `n=1024`, `epoch (938 steps)`, ... */
  readonly case: string;
  /** `time`, `peak RSS`, `test accuracy`, `RSS growth`, ... */
  readonly metric: string;
  readonly lib: Lib;
  readonly unit: 'us' | 'ms' | 's' | 'MiB' | '%';
  /** The median for times; the value itself otherwise. */
  readonly value: number;
  /** For times: the samples' extremes and quartiles, their number, and calls per sample. */
  readonly min?: number;
  readonly max?: number;
  readonly q1?: number;
  readonly q3?: number;
  readonly samples?: number;
  readonly inner?: number;
  /** Interquartile range / median, in percent (the table's "IQR"). */
  readonly spreadPercent?: number;
  /** (max - min) / median, in percent. */
  readonly rangePercent?: number;
  /** Derived figures (GFLOP/s, RSS per epoch, ...). */
  readonly extra?: Readonly<Record<string, number>>;
  /** A short human note shown in the table. */
  readonly note?: string;
  /** The comparison with the plain-JS reference, when this row carries one. */
  readonly check?: Check;
}

const SCALE = { us: 1e3, ms: 1, s: 1e-3 } as const;

/** A time row from harness stats (ms per call), converted to `unit`. */
export function timeRow(
  base: { workload: WorkloadId; case: string; lib: Lib },
  stats: Stats,
  unit: 'us' | 'ms' | 's',
  more: { check?: Check; extra?: Record<string, number>; note?: string } = {},
): Result {
  const k = SCALE[unit];
  return {
    ...base,
    metric: 'time',
    unit,
    value: stats.median * k,
    min: stats.min * k,
    max: stats.max * k,
    q1: stats.q1 * k,
    q3: stats.q3 * k,
    samples: stats.samples,
    inner: stats.inner,
    spreadPercent: spreadPercent(stats),
    rangePercent: rangePercent(stats),
    ...more,
  };
}

/** A workload file's entry point. */
export type Runner = (ctx: Context) => Promise<Result[]>;
