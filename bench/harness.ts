/**
 * The timing harness: warm-up, repeated samples, median and spread.
 *
 * A sample times `inner` back-to-back calls and divides by `inner`, so calls
 * of a few microseconds are timed over milliseconds. Garbage collection runs
 * when it would run for a user (no `global.gc`), so its cost lands in the
 * samples it interrupts; the median keeps one slow sample from deciding the
 * result, and the spread shows how much the samples disagreed.
 */

/** Summary of the per-call times of one measurement, in milliseconds. */
export interface Stats {
  /** Median per-call time over the samples. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartiles (equal to min and max when there are few samples). */
  readonly q1: number;
  readonly q3: number;
  /** Number of samples, and calls per sample. */
  readonly samples: number;
  readonly inner: number;
}

/** How long to measure. */
export interface MeasureOptions {
  /** Number of timed samples (at least 1). */
  readonly samples: number;
  /** Calls per sample; `auto` picks enough calls to fill `sampleMs`. */
  readonly inner?: number | 'auto';
  /** With `inner: 'auto'`, the time one sample should take. Default 20 ms. */
  readonly sampleMs?: number;
  /** Untimed warm-up: at least this many calls and this many milliseconds. Defaults 3 calls, 50 ms. */
  readonly warmupCalls?: number;
  readonly warmupMs?: number;
  /** Stop adding samples once this many milliseconds have been spent timing (at least one sample). */
  readonly budgetMs?: number;
  /**
   * Runs after the calls of each sample, inside its timing: forces work a
   * lazy library has only queued (reads a result back), so the sample pays
   * for it.
   */
  readonly sync?: Body;
}

/** One call of the measured code. It may return a promise (awaited inside the timing). */
export type Body = () => unknown;

async function settle(r: unknown): Promise<void> {
  if (r instanceof Promise) await r;
}

/**
 * Times n calls (plus `sync`). A body that returned a promise on its first
 * call is awaited each time; any other runs in a plain loop, so no await
 * (and no microtask) sits between its calls.
 */
async function timeCalls(body: Body, n: number, sync: Body | undefined, isAsync: boolean): Promise<number> {
  const start = performance.now();
  if (isAsync) for (let i = 0; i < n; i++) await body();
  else for (let i = 0; i < n; i++) body();
  if (sync) await settle(sync());
  return performance.now() - start;
}

/** The q-quantile of sorted values, linearly interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Summarises per-call times (ms). */
export function summarise(times: readonly number[], inner: number): Stats {
  const s = [...times].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), min: s[0]!, max: s[s.length - 1]!, q1: quantile(s, 0.25), q3: quantile(s, 0.75), samples: s.length, inner };
}

/**
 * Times `body`: warm-up, then `samples` samples of `inner` calls each.
 *
 * @example
 * ```ts
 * const stats = await measure(() => step(), { samples: 15, inner: 'auto' });
 * stats.median; // ms per call
 * ```
 */
export async function measure(body: Body, opts: MeasureOptions): Promise<Stats> {
  const warmupCalls = opts.warmupCalls ?? 3;
  const warmupMs = opts.warmupMs ?? 50;
  const warmStart = performance.now();
  const first = body();
  const isAsync = first instanceof Promise;
  await settle(first);
  let calls = 1;
  let once = Infinity;
  while (calls < warmupCalls || performance.now() - warmStart < warmupMs) {
    once = Math.min(once, await timeCalls(body, 1, opts.sync, isAsync));
    calls++;
  }
  if (once === Infinity) once = performance.now() - warmStart;
  let inner = typeof opts.inner === 'number' ? opts.inner : 1;
  if (opts.inner === 'auto' || opts.inner === undefined) {
    const sampleMs = opts.sampleMs ?? 20;
    inner = Math.max(1, Math.ceil(sampleMs / Math.max(once, 1e-4)));
    if (inner > 1) {
      // One calibration sample: short calls are cheaper in a loop than alone.
      const per = (await timeCalls(body, inner, opts.sync, isAsync)) / inner;
      inner = Math.max(1, Math.ceil(sampleMs / Math.max(per, 1e-4)));
    }
  }
  const times: number[] = [];
  const budget = opts.budgetMs ?? Infinity;
  let spent = 0;
  while (times.length < Math.max(1, opts.samples) && (times.length === 0 || spent < budget)) {
    const t = await timeCalls(body, inner, opts.sync, isAsync);
    spent += t;
    times.push(t / inner);
  }
  return summarise(times, inner);
}

/** Two measurements taken in alternation, and the ratio of their times round by round. */
export interface PairedStats {
  readonly a: Stats;
  readonly b: Stats;
  /** Median over rounds of (time of `b`) / (time of `a`), each round's two samples taken back to back. */
  readonly ratio: number;
}

/**
 * Times two bodies in alternation: both warm up and get their own `inner`,
 * then each round takes one sample of `a` and one of `b`, back to back (in
 * alternating order). A ratio of times is then measured under the same
 * machine load, even on a busy machine where the load drifts between one
 * measurement and the next; the reported ratio is the median of the
 * per-round ratios.
 *
 * @example
 * ```ts
 * const { a, b, ratio } = await measurePaired(() => fast(), () => slow(), { samples: 15, inner: 'auto' });
 * ratio; // how many times longer slow() takes than fast()
 * ```
 */
export async function measurePaired(bodyA: Body, bodyB: Body, opts: MeasureOptions): Promise<PairedStats> {
  // Warm-up and calibration, one sample each; the samples themselves are taken below.
  const calib = async (body: Body) => (await measure(body, { ...opts, samples: 1 })).inner;
  const innerA = await calib(bodyA), innerB = await calib(bodyB);
  const firstA = bodyA(), firstB = bodyB();
  const isAsyncA = firstA instanceof Promise, isAsyncB = firstB instanceof Promise;
  await settle(firstA);
  await settle(firstB);
  const ta: number[] = [], tb: number[] = [], ratios: number[] = [];
  for (let r = 0; r < Math.max(1, opts.samples); r++) {
    let a = 0, b = 0;
    if (r % 2 === 0) {
      a = (await timeCalls(bodyA, innerA, opts.sync, isAsyncA)) / innerA;
      b = (await timeCalls(bodyB, innerB, opts.sync, isAsyncB)) / innerB;
    } else {
      b = (await timeCalls(bodyB, innerB, opts.sync, isAsyncB)) / innerB;
      a = (await timeCalls(bodyA, innerA, opts.sync, isAsyncA)) / innerA;
    }
    ta.push(a);
    tb.push(b);
    ratios.push(b / a);
  }
  return { a: summarise(ta, innerA), b: summarise(tb, innerB), ratio: quantile([...ratios].sort((x, y) => x - y), 0.5) };
}

/** `(q3 - q1) / median` as a percentage: how far apart the middle half of the samples were. */
export function spreadPercent(s: Stats): number {
  return s.median > 0 ? ((s.q3 - s.q1) / s.median) * 100 : 0;
}

/** `(max - min) / median` as a percentage: how far apart all the samples were. */
export function rangePercent(s: Stats): number {
  return s.median > 0 ? ((s.max - s.min) / s.median) * 100 : 0;
}

/** Resident set size now, in MiB. */
export function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/** The largest resident set size this process has had, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
