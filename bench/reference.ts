/**
 * Plain-JS references (float64 arithmetic) for every workload, and the
 * comparison that turns a library's result into a pass/fail check.
 */
import { MLP, type MlpArrays } from './data.js';

/** Outcome of comparing a library's result with the reference. */
export interface Check {
  readonly ok: boolean;
  /** What was compared, e.g. `loss after 50 epochs`. */
  readonly what: string;
  /** Largest error found and the tolerance it had to stay within. */
  readonly error: number;
  readonly tolerance: number;
}

/**
 * Compares `got` with `want` elementwise: |got - want| <= atol + rtol * |want|.
 * `error` is the largest |got - want|, `tolerance` the bound at that element.
 */
export function allclose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number): Check {
  if (got.length !== want.length) return { ok: false, what: `${what} (length ${got.length}, expected ${want.length})`, error: Infinity, tolerance: 0 };
  let ok = true;
  let worst = 0;
  let worstTol = atol;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    const tol = atol + rtol * Math.abs(want[i]!);
    if (!(d <= tol)) ok = false; // also catches NaN
    if (!(d <= worst) || Number.isNaN(d)) {
      worst = Number.isNaN(d) ? Infinity : d;
      worstTol = tol;
    }
  }
  return { ok, what, error: worst, tolerance: worstTol };
}

/** Merges checks: ok when all are ok; reports the worst by error/tolerance. */
export function allOf(...checks: Check[]): Check {
  let worst = checks[0]!;
  for (const c of checks) if (c.error / c.tolerance > worst.error / worst.tolerance || (!c.ok && worst.ok)) worst = c;
  return { ...worst, ok: checks.every((c) => c.ok), what: checks.map((c) => c.what).join('; ') };
}

const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

// ---------------------------------------------------------------------------
// W1: logistic regression, full-batch gradient descent

/**
 * `epochs` epochs from w = 0, b = 0 on n rows of f features: z = Xw + b,
 * p = sigmoid(z), loss = -mean(y log p + (1 - y) log(1 - p)), computed as
 * mean(softplus(z) - y z), then w -= lr dL/dw, b -= lr dL/db. Returns the
 * last epoch's loss (taken before its update) and the final weights
 * followed by the bias.
 */
export function logisticRegression(x: Float32Array, y: Float32Array, f: number, lr: number, epochs: number): { loss: number; params: Float64Array } {
  const n = y.length;
  const w = new Float64Array(f);
  let b = 0;
  let loss = NaN;
  const dz = new Float64Array(n);
  for (let e = 0; e < epochs; e++) {
    loss = 0;
    for (let r = 0; r < n; r++) {
      let z = b;
      for (let j = 0; j < f; j++) z += x[r * f + j]! * w[j]!;
      loss += softplus(z) - y[r]! * z;
      dz[r] = (sigmoid(z) - y[r]!) / n; // dL/dz
    }
    loss /= n;
    let gb = 0;
    const gw = new Float64Array(f);
    for (let r = 0; r < n; r++) {
      gb += dz[r]!;
      for (let j = 0; j < f; j++) gw[j] += x[r * f + j]! * dz[r]!;
    }
    for (let j = 0; j < f; j++) w[j] -= lr * gw[j]!;
    b -= lr * gb;
  }
  const params = new Float64Array(f + 1);
  params.set(w);
  params[f] = b;
  return { loss, params };
}

// ---------------------------------------------------------------------------
// W2: MLP 784-128-10, softmax cross-entropy, Adam

/** Adam hyperparameters shared by every library. */
export const ADAM = { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8 } as const;

/**
 * The losses of the first steps of W2 training from `init`, one batch each:
 * h = relu(x W1 + b1), logits = h W2 + b2, loss = mean(logsumexp(logits) -
 * logits[y]), then one Adam step.
 */
export function mlpAdamLosses(init: MlpArrays, batches: readonly { x: Float32Array; y: Int32Array }[]): number[] {
  const { input: D, hidden: H, classes: C } = MLP;
  const p = [Float64Array.from(init.w1), Float64Array.from(init.b1), Float64Array.from(init.w2), Float64Array.from(init.b2)];
  const m = p.map((a) => new Float64Array(a.length));
  const v = p.map((a) => new Float64Array(a.length));
  const losses: number[] = [];
  batches.forEach(({ x, y }, step) => {
    const [w1, b1, w2, b2] = p as [Float64Array, Float64Array, Float64Array, Float64Array];
    const B = y.length;
    const h = new Float64Array(B * H);
    for (let r = 0; r < B; r++) {
      for (let k = 0; k < H; k++) h[r * H + k] = b1[k]!;
      for (let i = 0; i < D; i++) {
        const xi = x[r * D + i]!;
        if (xi === 0) continue;
        for (let k = 0; k < H; k++) h[r * H + k] += xi * w1[i * H + k]!;
      }
      for (let k = 0; k < H; k++) h[r * H + k] = Math.max(h[r * H + k]!, 0);
    }
    const dLogits = new Float64Array(B * C);
    let loss = 0;
    for (let r = 0; r < B; r++) {
      const z = new Float64Array(C);
      for (let c = 0; c < C; c++) {
        z[c] = b2[c]!;
        for (let k = 0; k < H; k++) z[c] += h[r * H + k]! * w2[k * C + c]!;
      }
      const mx = Math.max(...z);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(z[c]! - mx);
      const lse = mx + Math.log(s);
      loss += lse - z[y[r]!]!;
      // d loss / d logits = (softmax - onehot) / B
      for (let c = 0; c < C; c++) dLogits[r * C + c] = (Math.exp(z[c]! - lse) - (c === y[r] ? 1 : 0)) / B;
    }
    losses.push(loss / B);
    const g = p.map((a) => new Float64Array(a.length)) as [Float64Array, Float64Array, Float64Array, Float64Array];
    const dh = new Float64Array(B * H);
    for (let r = 0; r < B; r++) {
      for (let c = 0; c < C; c++) {
        const d = dLogits[r * C + c]!;
        g[3][c] += d;
        for (let k = 0; k < H; k++) {
          g[2][k * C + c] += h[r * H + k]! * d;
          dh[r * H + k] += d * w2[k * C + c]!;
        }
      }
      for (let k = 0; k < H; k++) if (h[r * H + k]! <= 0) dh[r * H + k] = 0; // relu'
      for (let k = 0; k < H; k++) g[1][k] += dh[r * H + k]!;
      for (let i = 0; i < D; i++) {
        const xi = x[r * D + i]!;
        if (xi === 0) continue;
        for (let k = 0; k < H; k++) g[0][i * H + k] += xi * dh[r * H + k]!;
      }
    }
    const t = step + 1;
    const c1 = 1 - ADAM.b1 ** t;
    const c2 = 1 - ADAM.b2 ** t;
    p.forEach((a, j) => {
      const gj = g[j]!;
      const mj = m[j]!;
      const vj = v[j]!;
      for (let i = 0; i < a.length; i++) {
        mj[i] = ADAM.b1 * mj[i]! + (1 - ADAM.b1) * gj[i]!;
        vj[i] = ADAM.b2 * vj[i]! + (1 - ADAM.b2) * gj[i]! ** 2;
        a[i] -= (ADAM.lr * (mj[i]! / c1)) / (Math.sqrt(vj[i]! / c2) + ADAM.eps);
      }
    });
  });
  return losses;
}

// ---------------------------------------------------------------------------
// W3: matmul

/**
 * Checks `c = a b` (n x n, row-major) at `samples` seeded positions (all
 * positions when n is small). The bound is float32's worst case for a sum of
 * n products in any order: n * 2^-24 * sum_k |a_ik b_kj| (plus a tiny atol).
 */
export function checkMatmul(a: Float32Array, b: Float32Array, c: ArrayLike<number>, n: number, samples = 4096): Check {
  const positions: number[] = [];
  if (n * n <= samples) for (let i = 0; i < n * n; i++) positions.push(i);
  else {
    let s = 12345;
    for (let k = 0; k < samples; k++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      positions.push(s % (n * n));
    }
  }
  let ok = c.length === n * n;
  let worst = 0;
  let worstTol = 0;
  for (const pos of positions) {
    const i = Math.floor(pos / n);
    const j = pos % n;
    let s = 0;
    let abs = 0;
    for (let k = 0; k < n; k++) {
      const t = a[i * n + k]! * b[k * n + j]!;
      s += t;
      abs += Math.abs(t);
    }
    const tol = n * 2 ** -24 * abs + 1e-6;
    const d = Math.abs(c[pos]! - s);
    if (!(d <= tol)) ok = false;
    if (!(d <= worst) || Number.isNaN(d)) {
      worst = Number.isNaN(d) ? Infinity : d;
      worstTol = tol;
    }
  }
  return { ok, what: `${positions.length} entries of C`, error: worst, tolerance: worstTol };
}

// ---------------------------------------------------------------------------
// W4: fused elementwise

/** tanh(1.5 x + 0.5) * sigmoid(x), elementwise. */
export function elementwise(x: Float32Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]! * 1.5 + 0.5) * sigmoid(x[i]!);
  return out;
}

// ---------------------------------------------------------------------------
// W5: the scalar step

/** The tutorial's data point and step size: loss (w x - y)^2 at x = 2, y = 6 (so w* = 3), from w = 0.5. */
export const SCALAR = { x: 2, y: 6, w0: 0.5, lr: 0.01 } as const;

/** w after `steps` steps of w -= lr * 2 (w x - y) x. */
export function scalarSteps(steps: number): number {
  let w = SCALAR.w0;
  for (let s = 0; s < steps; s++) w -= SCALAR.lr * 2 * (w * SCALAR.x - SCALAR.y) * SCALAR.x;
  return w;
}
