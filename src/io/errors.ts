import { TypegradError } from '../core/errors.js';

/**
 * A file (or byte buffer) that is not a valid safetensors, `.npy`, `.npz` or
 * checkpoint file. The message starts with the format and the file name and
 * says what is wrong; `file` and `format` hold both for programs. It is
 * raised before anything large is allocated.
 *
 * @example
 * ```ts
 * import { io, FormatError } from 'typegrad';
 * try { io.fromSafetensors(new Uint8Array(3), { name: 'w.safetensors' }); } catch (e) {
 *   e instanceof FormatError; // true
 *   (e as FormatError).message; // 'safetensors: w.safetensors: 3 bytes, too short for the 8-byte header length'
 * }
 * ```
 */
export class FormatError extends TypegradError {
  override name = 'FormatError';
  /** The file (or the name given for a byte buffer). */
  readonly file: string;
  /** `safetensors`, `npy`, `npz`, `zip` or `checkpoint`. */
  readonly format: string;

  constructor(format: string, file: string, what: string, options?: { readonly cause?: unknown }) {
    super(`${format}: ${file}: ${what}`, options);
    this.format = format;
    this.file = file;
  }
}

/**
 * A checkpoint directory with no complete checkpoint to restore, or a
 * checkpoint whose contents do not fit the template it is restored into.
 *
 * @example
 * ```ts
 * import { CheckpointError } from 'typegrad';
 * import { checkpoint } from 'typegrad/node';
 * try { checkpoint.restore('/tmp/empty-dir', like); } catch (e) { e instanceof CheckpointError; } // true
 * ```
 */
export class CheckpointError extends TypegradError {
  override name = 'CheckpointError';
}
