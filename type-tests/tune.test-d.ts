import { expectError, expectType } from 'tsd';
import { tune } from '../src/index.js';

declare const trial: tune.Trial;

// Suggested values have precise types.
expectType<number>(trial.float('lr', 1e-5, 1e-1, { log: true }));
expectType<number>(trial.int('layers', 1, 3));
expectType<'sgd' | 'adam' | 'rmsprop'>(trial.categorical('optimizer', ['sgd', 'adam', 'rmsprop'] as const));
// A readonly tuple gives its union; literals infer without `as const` too.
const choices = ['relu', 'tanh'] as const;
expectType<'relu' | 'tanh'>(trial.categorical('act', choices));
expectType<32 | 64 | 128>(trial.categorical('batch', [32, 64, 128]));
expectType<true | false | null>(trial.categorical('flag', [true, false, null]));
// A plain string[] gives string.
declare const names: string[];
expectType<string>(trial.categorical('name', names));

// Misuse does not compile.
expectError(trial.float('lr', '1e-5', 1));
expectError(trial.float('lr', 0, 1, { logarithmic: true }));
expectError(trial.int('n', 1, 3, { step: '2' }));
expectError(trial.categorical('o', [{ a: 1 }]));
expectError(trial.categorical('o', 'sgd'));
expectError(trial.report('0.5', 1));

// The study API.
declare const study: tune.Study;
expectType<Promise<tune.Trial>>(study.ask());
expectType<Promise<tune.FrozenTrial>>(study.tell(trial, 0.5));
expectType<Promise<tune.FrozenTrial>>(study.tell(trial, 'pruned'));
expectError(study.tell(trial, 'done'));
expectType<number>(study.best.value);
expectType<tune.TrialState>(study.trials[0]!.state);
expectError(tune.createStudy({ direction: 'down' }));
expectType<Promise<tune.Study>>(tune.createStudy({ direction: 'maximize', sampler: tune.tpe({ seed: 0 }), pruner: tune.medianPruner() }));

// Samplers and pruners.
expectType<tune.Sampler>(tune.grid({ lr: [1e-3, 1e-2], opt: ['sgd', 'adam'] }));
expectError(tune.grid({ lr: [{ a: 1 }] }));
expectError(tune.tpe({ nStartupTrials: '10' }));
expectType<tune.Sampler>(tune.tpe({ seed: 0, optunaVersion: '3.1' }));
expectError(tune.tpe({ optunaVersion: '4.0' }));
expectError(tune.tpe({ optunaVersion: 3.1 }));
expectType<tune.Sampler>(tune.tpe({ seed: 0, optunaVersion: '5.0', jointCategoricals: false }));
expectError(tune.tpe({ jointCategoricals: 'no' }));
expectType<tune.Sampler>(tune.cmaEs({ seed: 0, sigma0: 0.2, popsize: 8, x0: { x: 1 }, independentSampler: tune.tpe() }));
expectError(tune.cmaEs({ sigma0: '0.2' }));
expectError(tune.cmaEs({ x0: { x: 'a' } }));
expectType<tune.Pruner>(tune.hyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 }));
expectError(tune.percentilePruner());
