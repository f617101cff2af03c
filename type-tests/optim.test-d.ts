// Optimizer types: state is computed from the parameter type; updates keep
// it; masks are typed over the parameter tree; a tree that does not fit the
// state is a compile error.
import { expectAssignable, expectError, expectType } from 'tsd';
import { nn, optim, random, zeros, type Tensor } from '../src/index.js';

type P = { w: Tensor<[30, 1]>; b: Tensor<[1]> };
declare const params: P;
declare const grads: P;

const adam = optim.adam(1e-3);
const s = adam.init(params);
expectType<[optim.EmptyState, optim.ScaleByAdamState<P>, optim.LearningRateState]>(s);
expectType<P>(s[1].mu);
expectType<Tensor<[], 'int32'>>(s[1].count);
expectType<Tensor<[], 'float64'>>(s[2].learningRate);
const [updates, s2] = adam.update(grads, s, params);
expectType<P>(updates);
expectType<[optim.EmptyState, optim.ScaleByAdamState<P>, optim.LearningRateState]>(s2);
const stepped = adam.step(params, grads, s);
expectType<P>(stepped.params);
expectType<P>(optim.applyUpdates(params, updates));

// a tree that does not fit the state or the params
type Q = { w: Tensor<[30, 2]>; b: Tensor<[2]> };
declare const other: Q;
expectError(adam.update(other, s, other));
expectError(adam.step(params, other, s));
expectError(adam.step(params, grads, adam.init(other)));
expectError(optim.applyUpdates(params, other));
expectError(optim.sgd(0.1).step(params, grads, s));

// every optimizer's state, typed member by member
expectType<[optim.EmptyState, optim.TraceState<P> | optim.EmptyState, optim.LearningRateState]>(optim.sgd(0.1, { momentum: 0.9 }).init(params));
expectType<[optim.ScaleByAdamState<P>, optim.EmptyState, optim.LearningRateState]>(optim.adamw(1e-3).init(params));
expectType<[optim.EmptyState, optim.ScaleByRmsState<P>, optim.TraceState<P> | optim.EmptyState, optim.LearningRateState]>(optim.rmsprop(1e-2).init(params));
expectType<[optim.EmptyState, optim.ScaleByRssState<P>, optim.LearningRateState]>(optim.adagrad(1e-2).init(params));
expectType<[optim.ScaleByLionState<P>, optim.EmptyState, optim.LearningRateState]>(optim.lion(1e-4).init(params));

// chain composes the states; multiSteps wraps them
const custom = optim.chain(optim.clipByGlobalNorm(1), optim.scaleByAdam({ b2: 0.99 }), optim.scaleByLearningRate(optim.cosineDecay({ init: 1e-3, decaySteps: 100 })));
expectType<[optim.EmptyState, optim.ScaleByAdamState<P>, optim.LearningRateState]>(custom.init(params));
const acc = optim.multiSteps(optim.sgd(0.1), { everyK: 4 });
const accState = acc.init(params);
expectType<P>(accState.accumulated);
expectType<number>(accState.miniStep);
expectType<[optim.EmptyState, optim.TraceState<P> | optim.EmptyState, optim.LearningRateState]>(accState.inner);

// masks are typed over the parameter tree
optim.adamw<P>(1e-3, { mask: { w: true, b: false } });
optim.adamw<P>(1e-3, { mask: (p) => ({ w: p.w.size > 1, b: false }) });
optim.adamw(1e-3, { mask: (p: P) => ({ w: true, b: false }) });
expectError(optim.adamw<P>(1e-3, { mask: { w: true, c: false } }));
expectError(optim.adamw<P>(1e-3, { mask: { w: 1, b: false } }));
const masked = optim.addDecayedWeights<P>(1e-4, { mask: { w: true, b: false } });
masked.init(params);
expectError(masked.init(other));
expectAssignable<optim.Mask<{ enc: P; dec: P }>>({ enc: false, dec: { w: true, b: false } });

// learning rates are numbers or schedules
expectType<optim.Schedule>(optim.warmupCosineDecay({ peak: 1e-3, warmupSteps: 10, decaySteps: 100 }));
expectError(optim.adam('0.001'));
expectType<number>(optim.currentLearningRate(s));

// parameter trees of layers work unchanged
const model = nn.sequential(nn.linear(4, 8), nn.relu, nn.linear(8, 1));
const mp = model.init(random.key(0));
const ms = optim.adam(1e-3).init(mp);
expectType<typeof mp>(ms[1].nu);
expectType<typeof mp>(optim.adam(1e-3).step(mp, mp, ms).params);
expectType<Tensor<[4, 8]>>(ms[1].mu[0].w);
void zeros;
