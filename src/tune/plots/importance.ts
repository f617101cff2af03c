/**
 * Parameter importances as horizontal bars, most important on top (the
 * method is in `importance.ts`: one-way ANOVA effect sizes on ranks).
 */
import type { FrozenTrial } from '../frozen-trial.js';
import { paramImportances } from '../importance.js';
import { document, esc, frame } from './svg.js';
import { checkTrials } from '../checks.js';

/**
 * The importance plot as a standalone SVG document.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('importance.svg', tune.importancePlot(study.trials));
 * ```
 */
export function importancePlot(trials: readonly FrozenTrial[]): string {
  checkTrials('tune.importancePlot', trials);
  const imps = paramImportances(trials);
  const f = frame(720, Math.max(200, 90 + 34 * imps.length), 150, 80, 50, 40);
  if (imps.length === 0) return document(f, 'Parameter importances', `<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle">no complete trial yet</text>`);
  const bar = (f.bottom - f.top) / imps.length;
  const parts = imps.map(({ name, importance }, i) => {
    const y = f.top + i * bar;
    const w = importance * (f.right - f.left);
    return [
      `<text x="${f.left - 8}" y="${y + bar / 2 + 4}" text-anchor="end">${esc(name)}</text>`,
      `<rect x="${f.left}" y="${y + bar * 0.15}" width="${w}" height="${bar * 0.7}" fill="#1f77b4"/>`,
      `<text x="${f.left + w + 6}" y="${y + bar / 2 + 4}">${importance.toFixed(2)}</text>`,
    ].join('\n');
  });
  parts.push(`<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.bottom}" stroke="#333"/>`);
  if (imps.every((i) => i.importance === 0)) parts.push(`<text x="${(f.left + f.right) / 2}" y="${(f.top + f.bottom) / 2}" text-anchor="middle" fill="#555">no parameter explains the objective yet (needs a few complete trials)</text>`);
  parts.push(`<text x="${(f.left + f.right) / 2}" y="${f.height - 12}" text-anchor="middle" fill="#555">share of the objective's rank variance explained (one-way ANOVA, omega squared; sums to 1)</text>`);
  return document(f, 'Parameter importances', parts.join('\n'));
}
