import { TypegradError } from '../core/errors.js';

/**
 * A CSV file or text that cannot be read as a numeric table. `line` and
 * `column` are 1-based (the column counts fields, not characters) and `text`
 * is the offending cell, where the error has one.
 *
 * @example
 * ```ts
 * import { readCsv, CsvError } from 'typegrad';
 * const r = readCsv({ text: 'a,b\n1,x\n' });
 * r._tag === 'Left' && r.left instanceof CsvError; // true
 * r._tag === 'Left' && r.left.message;            // 'csv: line 2, column 2: "x" is not a number'
 * ```
 */
export class CsvError extends TypegradError {
  override name = 'CsvError';
  /** 1-based physical line where the offending record (or cell) starts. */
  readonly line: number | undefined;
  /** 1-based field number within the record. */
  readonly column: number | undefined;
  /** The offending cell text, unquoted. */
  readonly text: string | undefined;

  constructor(message: string, where: { line?: number; column?: number; text?: string } = {}, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.line = where.line;
    this.column = where.column;
    this.text = where.text;
  }
}

/**
 * An IDX (MNIST-style) file whose header or length is wrong.
 *
 * @example
 * ```ts
 * import { readIdx } from 'typegrad';
 * const r = readIdx(new Uint8Array([0, 0, 8]));
 * r._tag === 'Left' && r.left.message; // 'idx: input is 3 bytes, too short for the 4-byte magic number'
 * ```
 */
export class IdxError extends TypegradError {
  override name = 'IdxError';
}

/**
 * A bundled or downloaded dataset that is missing or not the expected size.
 *
 * @example
 * ```ts
 * import { fashionMnist, DatasetError } from 'typegrad';
 * try { fashionMnist({ dir: '/nowhere' }); } catch (e) { e instanceof DatasetError; } // true
 * ```
 */
export class DatasetError extends TypegradError {
  override name = 'DatasetError';
}

/**
 * An item that failed to load in a worker thread. `index` is the dataset index
 * that was being loaded; `cause` holds the worker's error (name, message, stack).
 *
 * @example
 * ```ts
 * import { WorkerError } from 'typegrad';
 * import { workerMap } from 'typegrad/node';
 * try {
 *   for await (const _ of workerMap(new URL('./items.ts', import.meta.url), [0, 1, 2])) {}
 * } catch (e) { if (e instanceof WorkerError) console.log(e.index); }
 * ```
 */
export class WorkerError extends TypegradError {
  override name = 'WorkerError';
  /** The dataset index whose loading failed, or undefined when the failure was not tied to one item. */
  readonly index: number | undefined;

  constructor(message: string, index: number | undefined, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.index = index;
  }
}
