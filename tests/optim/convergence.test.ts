// Every optimizer reaches the minimum of a quadratic bowl and of Rosenbrock's
// function, to within 1e-3 of the optimum, in a bounded number of steps
// (optax's alias tests run the same two problems). The step counts are
// printed; the README's table comes from this file.
import { describe, expect, it } from 'vitest';
import { add, grad, mul, optim, scalar, square, sub, sum, tensor, type FloatDType, type Tensor } from '../../src/index.js';

type Xy = { x: Tensor<[]>; y: Tensor<[]> };
type V = { v: Tensor<[3], FloatDType> };

/** (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). */
const rosenbrock = (p: Xy) => add(square(sub(1, p.x)), mul(square(sub(p.y, square(p.x))), 100));
const dRosenbrock = grad(rosenbrock);

/** An ill-conditioned bowl: sum c_i (v_i - t_i)^2 with c = [1, 4, 0.5], minimum at t. */
const target = [1, -2, 0.5];
const bowl = (p: V) => sum(mul(square(sub(p.v, tensor(target, { dtype: p.v.dtype }) as Tensor<[3], FloatDType>)), tensor([1, 4, 0.5], { dtype: p.v.dtype }) as Tensor<[3], FloatDType>));
const dBowl = grad(bowl);

interface Config {
  name: string;
  make: () => optim.GradientTransformation<optim.StateFn>;
  rosenbrock: number; // step budget
  bowl: number;
}

const configs: Config[] = [
  { name: 'sgd(1e-3, momentum 0.9)', make: () => optim.sgd(1e-3, { momentum: 0.9 }), rosenbrock: 3000, bowl: 2000 },
  { name: 'sgd(1e-3, momentum 0.9, nesterov)', make: () => optim.sgd(1e-3, { momentum: 0.9, nesterov: true }), rosenbrock: 3000, bowl: 2000 },
  { name: 'sgd(2e-3)', make: () => optim.sgd(2e-3), rosenbrock: 10000, bowl: 6000 },
  { name: 'adam(0.05)', make: () => optim.adam(0.05), rosenbrock: 3000, bowl: 2000 },
  { name: 'adamw(0.05, weightDecay 1e-5)', make: () => optim.adamw(0.05, { weightDecay: 1e-5 }), rosenbrock: 3000, bowl: 2000 },
  { name: 'rmsprop(1e-3, momentum 0.9)', make: () => optim.rmsprop(1e-3, { momentum: 0.9 }), rosenbrock: 3000, bowl: 3000 },
  {
    name: 'rmsprop(exponentialDecay 1e-2, x0.5 per 1000, centered)',
    make: () => optim.rmsprop(optim.exponentialDecay({ init: 1e-2, transitionSteps: 1000, decayRate: 0.5 }), { centered: true }),
    rosenbrock: 10000,
    bowl: 5000,
  },
  { name: 'adagrad(1)', make: () => optim.adagrad(1), rosenbrock: 10000, bowl: 3000 },
  {
    name: 'lion(exponentialDecay 1e-2, x0.5 per 500)',
    make: () => optim.lion(optim.exponentialDecay({ init: 1e-2, transitionSteps: 500, decayRate: 0.5 })),
    rosenbrock: 6000,
    bowl: 6000,
  },
];

/** Steps until `done`, or Infinity within the budget. */
function stepsTo<P>(opt: optim.GradientTransformation<optim.StateFn>, params: P, g: (p: P) => P, done: (p: P) => boolean, budget: number): number {
  let state = opt.init(params);
  for (let i = 1; i <= budget; i++) {
    ({ params, state } = opt.step(params, g(params), state));
    if (done(params)) return i;
  }
  return Infinity;
}

const table: string[] = [];

describe.each(configs)('$name', ({ name, make, rosenbrock: rBudget, bowl: bBudget }) => {
  it('reaches (1, 1) on Rosenbrock from (-1.2, 1) to within 1e-3 (float32)', () => {
    const steps = stepsTo(
      make(),
      { x: scalar(-1.2), y: scalar(1) },
      dRosenbrock,
      (p) => Math.hypot(p.x.item() - 1, p.y.item() - 1) < 1e-3,
      rBudget,
    );
    table.push(`| ${name} | ${steps} |`);
    expect(steps).toBeLessThanOrEqual(rBudget);
  });

  it.each(['float32', 'float64'] as const)('reaches the minimum of a quadratic bowl to within 1e-3 (%s)', (dtype) => {
    const steps = stepsTo(
      make(),
      { v: tensor([0, 0, 0], { dtype }) as Tensor<[3], FloatDType> } as V,
      dBowl,
      (p) => Math.hypot(...Array.from(p.v.toTypedArray(), (v, i) => v - target[i]!)) < 1e-3,
      bBudget,
    );
    expect(steps).toBeLessThanOrEqual(bBudget);
  });
});

describe('report', () => {
  it('prints the Rosenbrock table', () => {
    // eslint-disable-next-line no-console
    if (process.env.PRINT_ROSENBROCK) console.log(['| optimizer | steps to within 1e-3 of (1, 1) |', '| --- | --- |', ...table].join('\n'));
    expect(table.length).toBe(configs.length);
  });
});
