/**
 * The trials of a study as a text table, one row per trial:
 *
 *     #  state     value     lr         optimizer  last step
 *     0  complete  0.4312    0.00123    adam       9
 *     1  pruned    0.9120    0.0813     sgd        2
 */
import type { Choice } from './distributions.js';
import { lastStep, type Direction, type FrozenTrial } from './frozen-trial.js';
import { checkDirection, checkTrials } from './checks.js';

/** A number in at most 6 significant digits; other values as JSON. */
export function formatValue(v: Choice | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * Formats trials as an aligned table (see the module comment); the best
 * complete trial is marked with `*`.
 *
 * @example
 * ```ts
 * console.log(tune.trialsTable(study.trials, 'minimize'));
 * ```
 */
export function trialsTable(trials: readonly FrozenTrial[], direction: Direction): string {
  checkTrials('tune.trialsTable', trials);
  checkDirection('tune.trialsTable', direction);
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  let best = -1;
  for (const t of trials) {
    if (t.state !== 'complete') continue;
    if (best < 0 || (direction === 'minimize' ? t.value! < trials[best]!.value! : t.value! > trials[best]!.value!)) best = t.number;
  }
  const header = ['#', 'state', 'value', ...names, 'last step'];
  const rows = trials.map((t) => [
    `${t.number}${t.number === best ? '*' : ''}`,
    t.state,
    t.value === null ? '' : formatValue(t.value),
    ...names.map((n) => formatValue(t.params[n])),
    String(lastStep(t) ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
