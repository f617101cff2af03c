/**
 * Hyperband (Li et al., JMLR 2018) as Optuna runs it: several successive
 * halving brackets, bracket s stopping early at rate s, and each trial sent
 * to one bracket by a hash of the study name and its number:
 *
 * - `nBrackets = floor(log_rf(maxResource / minResource)) + 1`, where
 *   `maxResource: 'auto'` is the last step + 1 of the longest complete trial;
 * - bracket s gets a share `ceil(nBrackets rf^(nBrackets-1-s) / (s+1))` of the
 *   budget; trial n goes to the bracket where
 *   `crc32(studyName + '_' + n) mod totalBudget` falls;
 * - each bracket compares a trial only with the trials of the same bracket.
 */
import { ValueError } from '../../core/errors.js';
import { lastStep, type FrozenTrial } from '../frozen-trial.js';
import type { Pruner } from '../pruner.js';
import { checkHalvingOptions, successiveHalvingDecision } from './successive-halving.js';
import { checkOptions, checkString } from '../../core/validate.js';

/**
 * Options of {@link hyperbandPruner} (Optuna's defaults: 1, 'auto', 3, 0).
 *
 * @example
 * ```ts
 * const o: tune.HyperbandOptions = { minResource: 1, maxResource: 81, reductionFactor: 3 };
 * ```
 */
export interface HyperbandOptions {
  readonly minResource?: number;
  readonly maxResource?: number | 'auto';
  readonly reductionFactor?: number;
  readonly bootstrapCount?: number;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (IEEE, as zlib and Python's `binascii.crc32`) of a string's UTF-8 bytes.
 *
 * @example
 * ```ts
 * crc32('123456789'); // 0xcbf43926
 * ```
 */
export function crc32(text: string): number {
  checkString('tune.crc32', 'text', text);
  let c = 0xffffffff;
  for (const b of new TextEncoder().encode(text)) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The Hyperband pruner (see the module comment). Like Optuna's, it fixes
 * its brackets the first time it sees a complete trial (with
 * `maxResource: 'auto'`), so the bracket layout does not drift.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ pruner: tune.hyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 }) });
 * ```
 */
export function hyperbandPruner(options: HyperbandOptions = {}): Pruner {
  checkOptions('tune.hyperbandPruner', options);
  const minResource = options.minResource ?? 1;
  const maxOption = options.maxResource ?? 'auto';
  const rf = options.reductionFactor ?? 3;
  const bootstrap = options.bootstrapCount ?? 0;
  checkHalvingOptions('hyperbandPruner', minResource, rf, 0, bootstrap);
  if (maxOption !== 'auto' && !(Number.isInteger(maxOption) && maxOption >= minResource)) throw new ValueError(`hyperbandPruner: maxResource must be 'auto' or an integer >= minResource, got ${maxOption}`);
  if (bootstrap > 0 && maxOption === 'auto') throw new ValueError("hyperbandPruner: bootstrapCount > 0 needs a fixed maxResource, not 'auto'");
  let budgets: number[] | null = null;

  const layout = (history: readonly FrozenTrial[]): number[] | null => {
    if (budgets !== null) return budgets;
    let max: number;
    if (maxOption === 'auto') {
      const steps = history.filter((t) => t.state === 'complete').map(lastStep).filter((s): s is number => s !== null);
      if (steps.length === 0) return null;
      max = Math.max(...steps) + 1;
    } else max = maxOption;
    // floor(log_rf(max / min)) + 1, computed as log(x) / log(rf) exactly as Optuna does (so
    // log_3(243) = 4.999... gives 5 brackets in both).
    const n = Math.floor(Math.log(max / minResource) / Math.log(rf)) + 1;
    budgets = Array.from({ length: n }, (_, s) => Math.ceil((n * rf ** (n - 1 - s)) / (n - 1 - s + 1)));
    return budgets;
  };
  const bracketOf = (studyName: string, number: number, b: readonly number[]): number => {
    const total = b.reduce((x, y) => x + y, 0);
    let r = crc32(`${studyName}_${number}`) % total;
    for (let s = 0; s < b.length; s++) {
      r -= b[s]!;
      if (r < 0) return s;
    }
    return b.length - 1;
  };
  return {
    name: 'hyperband',
    prune(ctx) {
      const b = layout(ctx.history);
      if (b === null) return { prune: false };
      const bracket = bracketOf(ctx.studyName, ctx.trial.number, b);
      const mates = ctx.history.filter((t) => bracketOf(ctx.studyName, t.number, b) === bracket);
      return successiveHalvingDecision(ctx, minResource, rf, bracket, bootstrap, mates);
    },
  };
}
