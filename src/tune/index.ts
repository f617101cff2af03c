/**
 * Hyperparameter search, the functional way: a typed define-by-run study
 * over a pure ask/tell core, with Optuna's TPE and CMA-ES samplers and pruners, and
 * stores for one process (memory), several processes on one machine (a
 * journal file) and workers on many machines (PostgreSQL). This namespace is
 * platform-neutral; the file and database stores, worker threads and
 * `writeReport` come with the `tune` of `typegrad/node`, which has
 * everything here too.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ direction: 'minimize', sampler: tune.tpe({ seed: 0 }) });
 * await study.optimize((trial) => {
 *   const x = trial.float('x', -10, 10);
 *   const kind = trial.categorical('kind', ['a', 'b'] as const); // 'a' | 'b'
 *   return (x - 2) ** 2 + (kind === 'a' ? 0 : 1);
 * }, { trials: 40 });
 * study.best.params; // close to { x: 2, kind: 'a' }
 * ```
 */
export { TrialPruned, ParamConflictError, TrialStateError, StorageError } from './errors.js';
export {
  floatDistribution,
  intDistribution,
  categoricalDistribution,
  isSingle,
  sameDistribution,
  describeDistribution,
  toInternal,
  toExternal,
  contains,
  type Choice,
  type Distribution,
  type FloatDistribution,
  type IntDistribution,
  type CategoricalDistribution,
  type NumericOptions,
} from './distributions.js';
export { lastStep, isBetter, type FrozenTrial, type TrialState, type Direction } from './frozen-trial.js';
export { applyOp, replay, emptyState, encodeOp, decodeOp, type Op, type StudyState } from './ops.js';
export { memoryStorage, type Storage, type ReadResult, type OpenMode, type MaybePromise } from './storage.js';
export type { Sampler, SampleContext, RelativeSample, SeedOptions } from './sampler.js';
export { randomSampler } from './random-sampler.js';
export { tpe, defaultGamma, type TpeOptions } from './tpe/sampler.js';
export { intersectionSearchSpace, groupSearchSpaces } from './search-space.js';
export { nopPruner, type Pruner, type PruneContext, type PruneDecision } from './pruner.js';
export { Trial } from './trial.js';
export { Study, createStudy, loadStudy, type StudyOptions, type BestTrial, type TellResult } from './study.js';
export { optimizeStudy, type Objective, type OptimizeOptions, type OptimizeResult } from './optimize.js';
export { trialsTable } from './table.js';
export { trialProgress, type TrialProgress } from './progress.js';
export { percentilePruner, medianPruner, nanPercentile, type PercentileOptions } from './pruners/percentile.js';
export { successiveHalvingPruner, type SuccessiveHalvingOptions } from './pruners/successive-halving.js';
export { hyperbandPruner, crc32, type HyperbandOptions } from './pruners/hyperband.js';
export { paramImportances } from './importance.js';
export { historyPlot } from './plots/history.js';
export { parallelCoordinatesPlot } from './plots/parallel.js';
export { importancePlot } from './plots/importance.js';
export { intermediatePlot } from './plots/intermediate.js';
export { grid } from './grid-sampler.js';
export { cmaEs, type CmaEsOptions } from './cmaes/sampler.js';
