/**
 * The update rules of `torch.optim` (SGD, Adam, AdamW, RMSprop, Adagrad)
 * and of Lion (paper / lion-pytorch), written out element by element in
 * float64 from PyTorch's documented algorithms. Tests compare the library's
 * first updates with these.
 */

export interface Hyper {
  lr: number;
  weightDecay?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  b1?: number;
  b2?: number;
  eps?: number;
  amsgrad?: boolean;
  alpha?: number;
  centered?: boolean;
  lrDecay?: number;
  initialAccumulatorValue?: number;
}

/** Runs `grads.length` steps from `p0`; returns the parameters after each step. */
export type Reference = (p0: readonly number[], grads: readonly (readonly number[])[], h: Hyper) => number[][];

function steps(p0: readonly number[], grads: readonly (readonly number[])[], init: () => unknown[], step: (p: number, g: number, s: unknown, t: number) => number): number[][] {
  let p = p0.slice();
  const state = p0.map(init);
  const out: number[][] = [];
  grads.forEach((g, k) => {
    p = p.map((pi, i) => step(pi, g[i]!, state[i], k + 1));
    out.push(p.slice());
  });
  return out;
}

export const sgdRef: Reference = (p0, grads, h) =>
  steps(p0, grads, () => [null], (p, g, s, t) => {
    const st = s as [number | null];
    const { lr, weightDecay: wd = 0, momentum: mu = 0, dampening: tau = 0, nesterov = false } = h;
    if (wd !== 0) g = g + wd * p;
    if (mu !== 0) {
      const b = t === 1 ? g : mu * st[0]! + (1 - tau) * g;
      st[0] = b;
      g = nesterov ? g + mu * b : b;
    }
    return p - lr * g;
  });

function adamLike(decoupled: boolean): Reference {
  return (p0, grads, h) =>
    steps(p0, grads, () => [0, 0, 0], (p, g, s, t) => {
      const st = s as [number, number, number];
      const { lr, b1 = 0.9, b2 = 0.999, eps = 1e-8, amsgrad = false } = h;
      const wd = h.weightDecay ?? (decoupled ? 1e-2 : 0);
      if (decoupled) p = p * (1 - lr * wd);
      else if (wd !== 0) g = g + wd * p;
      st[0] = b1 * st[0] + (1 - b1) * g;
      st[1] = b2 * st[1] + (1 - b2) * g * g;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      let v = st[1];
      if (amsgrad) v = st[2] = Math.max(st[2], st[1]);
      const denom = Math.sqrt(v) / Math.sqrt(bc2) + eps;
      return p - (lr / bc1) * (st[0] / denom);
    });
}

export const adamRef = adamLike(false);
export const adamwRef = adamLike(true);

export const rmspropRef: Reference = (p0, grads, h) =>
  steps(p0, grads, () => [0, 0, 0], (p, g, s) => {
    const st = s as [number, number, number];
    const { lr, alpha = 0.99, eps = 1e-8, weightDecay: wd = 0, momentum = 0, centered = false } = h;
    if (wd !== 0) g = g + wd * p;
    st[0] = alpha * st[0] + (1 - alpha) * g * g;
    let avg: number;
    if (centered) {
      st[1] = alpha * st[1] + (1 - alpha) * g;
      avg = Math.sqrt(st[0] - st[1] * st[1]) + eps;
    } else avg = Math.sqrt(st[0]) + eps;
    if (momentum > 0) {
      st[2] = momentum * st[2] + g / avg;
      return p - lr * st[2];
    }
    return p - (lr * g) / avg;
  });

export const adagradRef: Reference = (p0, grads, h) =>
  steps(p0, grads, () => [h.initialAccumulatorValue ?? 0], (p, g, s, t) => {
    const st = s as [number];
    const { lr, lrDecay = 0, weightDecay: wd = 0, eps = 1e-10 } = h;
    if (wd !== 0) g = g + wd * p;
    const clr = lr / (1 + (t - 1) * lrDecay);
    st[0] += g * g;
    return p - (clr * g) / (Math.sqrt(st[0]) + eps);
  });

export const lionRef: Reference = (p0, grads, h) =>
  steps(p0, grads, () => [0], (p, g, s) => {
    const st = s as [number];
    const { lr, b1 = 0.9, b2 = 0.99, weightDecay: wd = 0 } = h;
    p = p * (1 - lr * wd);
    const c = b1 * st[0] + (1 - b1) * g;
    p = p - lr * Math.sign(c);
    st[0] = b2 * st[0] + (1 - b2) * g;
    return p;
  });
