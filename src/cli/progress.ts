/**
 * A progress bar for long loops in command-line programs. In a terminal
 * (`stream.isTTY`) it redraws one line in place, at most every 100 ms:
 *
 *     epoch 1/3 [#########...........] 420/938  45%  3.1s  loss 0.412
 *
 * Elsewhere (a CI log, a pipe, a file) it writes plain lines, one at each
 * tenth of the way and one at the end, so logs stay short and readable:
 *
 *     epoch 1/3 94/938 10% 0.7s loss 0.731
 *
 * @example
 * ```ts
 * import { progressBar } from 'typegrad/node';
 * const bar = progressBar({ total: 938, label: 'epoch 1/3' });
 * for (let i = 0; i < 938; i++) bar.update(i + 1, `loss ${loss.toFixed(3)}`);
 * bar.done('test accuracy 0.871');
 * ```
 *
 * @module
 */
import { ValueError } from '../core/errors.js';

/**
 * Options of {@link progressBar}.
 * - `total`: the number of steps (a non-negative integer).
 * - `label`: written before the bar.
 * - `stream`: where to write, default `process.stdout`.
 * - `tty`: redraw in place; default `stream.isTTY`.
 * - `width`: characters of the bar, default 30.
 * - `lines`: in plain mode, how many progress lines to write (evenly spaced), default 10.
 * - `now`: a clock in milliseconds, default `performance.now` (for tests).
 *
 * @example
 * ```ts
 * const opts: ProgressOptions = { total: 100, label: 'train', tty: false, lines: 4 };
 * ```
 */
export interface ProgressOptions {
  readonly total: number;
  readonly label?: string;
  readonly stream?: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly tty?: boolean;
  readonly width?: number;
  readonly lines?: number;
  readonly now?: () => number;
}

/**
 * A running progress bar: `update(done, info?)` reports how many steps are
 * done (and a short text, such as the current loss); `done(info?)` ends the
 * line and returns the elapsed seconds.
 */
export interface ProgressBar {
  update(done: number, info?: string): void;
  done(info?: string): number;
}

const REDRAW_MS = 100;

/**
 * Starts a progress bar (see the module comment for the two modes).
 * Throws a `RangeError` for a `total` that is not a non-negative integer.
 *
 * @example
 * ```ts
 * const bar = progressBar({ total: 3, label: 'demo', tty: false, lines: 3 });
 * bar.update(1); bar.update(2); bar.update(3);
 * const seconds = bar.done();
 * ```
 */
export function progressBar(options: ProgressOptions): ProgressBar {
  const { total, label = '', width = 30, lines = 10 } = options;
  if (!Number.isInteger(total) || total < 0) throw new ValueError(`progressBar: total must be a non-negative integer, got ${total}`);
  const stream = options.stream ?? process.stdout;
  const tty = options.tty ?? stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let lastDraw = -Infinity;
  let lastLine = 0; // plain mode: the last tenth (or 1/lines) written
  let current = 0;
  let lastInfo = '';
  let finished = false;

  const seconds = (): string => `${((now() - start) / 1000).toFixed(1)}s`;
  const prefix = label === '' ? '' : `${label} `;
  const percent = (done: number): string => `${total === 0 ? 100 : Math.floor((100 * done) / total)}%`;
  const suffix = (info: string): string => (info === '' ? '' : `  ${info}`);

  const drawBar = (done: number, info: string): void => {
    const filled = total === 0 ? width : Math.round((width * done) / total);
    const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
    stream.write(`\r${prefix}[${bar}] ${done}/${total}  ${percent(done)}  ${seconds()}${suffix(info)}\x1b[K`);
  };
  const writeLine = (done: number, info: string): void => {
    stream.write(`${prefix}${done}/${total} ${percent(done)} ${seconds()}${info === '' ? '' : ` ${info}`}\n`);
  };

  return {
    update(done: number, info = ''): void {
      if (finished) return;
      current = Math.max(0, Math.min(total, done));
      lastInfo = info;
      if (tty) {
        const t = now();
        if (t - lastDraw >= REDRAW_MS || current === total) {
          lastDraw = t;
          drawBar(current, info);
        }
        return;
      }
      // Plain mode: a line when `done` passes the next of `lines` evenly spaced marks (the last mark is done()).
      const mark = total === 0 ? lines : Math.floor((lines * current) / total);
      if (mark > lastLine && mark < lines) {
        lastLine = mark;
        writeLine(current, info);
      }
    },
    done(info?: string): number {
      const elapsed = (now() - start) / 1000;
      if (finished) return elapsed;
      finished = true;
      const text = info ?? lastInfo;
      if (tty) {
        drawBar(current, text);
        stream.write('\n');
      } else writeLine(current, text);
      return elapsed;
    },
  };
}
