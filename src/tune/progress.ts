/**
 * Progress of a study, one report per finished trial. In a terminal the line
 * redraws in place:
 *
 *     trial 12/50  best 0.1234 (#7)  pruned 3  failed 0  41.2s
 *
 * elsewhere (CI logs, pipes) each finished trial writes one plain line:
 *
 *     trial 12/50 complete 0.2210 best 0.1234 (#7) pruned 3 failed 0 41.2s
 */
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkObject } from '../core/validate.js';
import type { FrozenTrial } from './frozen-trial.js';
import type { Study } from './study.js';
import { formatValue } from './table.js';

/** A progress reporter for `optimize`. */
export interface TrialProgress {
  trial(t: FrozenTrial, study: Study): void;
  done(study: Study): void;
}

/**
 * A progress reporter writing to `stream` (TTY: one line redrawn; else a line per trial).
 *
 * @example
 * ```ts
 * const p = tune.trialProgress({ total: 50, stream: process.stdout });
 * ```
 */
export function trialProgress(options: { total: number; stream: { write(text: string): unknown; readonly isTTY?: boolean }; now?: () => number }): TrialProgress {
  checkObject('tune.trialProgress', 'options', options);
  const { total, stream } = options;
  if (typeof (stream as Partial<typeof stream> | null)?.write !== 'function') throw new ValueError(`tune.trialProgress: stream must have a write(text) method, got ${describeValue(stream)}`);
  const now = options.now ?? (() => performance.now());
  const start = now();
  const tty = stream.isTTY === true;
  let finished = 0;
  let pruned = 0;
  let failed = 0;
  const summary = (study: Study): string => {
    const best = study.trials.some((t) => t.state === 'complete') ? study.best : null;
    const b = best === null ? 'best -' : `best ${formatValue(best.value)} (#${best.trial.number})`;
    return `${b}${tty ? '  ' : ' '}pruned ${pruned}${tty ? '  ' : ' '}failed ${failed}${tty ? '  ' : ' '}${((now() - start) / 1000).toFixed(1)}s`;
  };
  const count = () => `trial ${finished}${total === Infinity ? '' : `/${total}`}`;
  return {
    trial(t, study) {
      finished++;
      if (t.state === 'pruned') pruned++;
      if (t.state === 'fail') failed++;
      if (tty) stream.write(`\r${count()}  ${summary(study)}\x1b[K`);
      else stream.write(`${count()} ${t.state}${t.value === null ? '' : ` ${formatValue(t.value)}`} ${summary(study)}\n`);
    },
    done(study) {
      if (tty && finished > 0) stream.write('\n');
      void study;
    },
  };
}
