/**
 * Checkpoint directories (Node only). Each checkpoint is one safetensors
 * file `ckpt-<step, 12 digits>.safetensors`, written atomically (temp file
 * in the same directory, fsync, rename, fsync of the directory), so a
 * crash at any moment leaves every complete checkpoint intact and at most
 * a temporary file `.ckpt-....tmp-<pid>-<random>` that no reader mistakes
 * for a checkpoint. Saving keeps the newest `keep` checkpoints and removes
 * temporary files left by processes that are no longer running.
 */
import { mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ValueError } from '../core/errors.js';
import { tempOwner, syncDir, writeFileAtomic } from '../io/atomic.js';
import { fromSafetensors, toSafetensors } from '../io/bytes.js';
import { CheckpointError, FormatError } from '../io/errors.js';
import { parseStrictJson } from '../io/json.js';
import type { Loaded } from '../io/spec.js';
import { STATE_KEY, decodeState, encodeState } from './state.js';

const NAME = /^ckpt-(\d{12})\.safetensors$/;
const nameOf = (step: number): string => `ckpt-${String(step).padStart(12, '0')}.safetensors`;

/**
 * A checkpoint file in a directory.
 *
 * @example
 * ```ts
 * const info: checkpoint.CheckpointInfo | undefined = checkpoint.latest('runs/a');
 * ```
 */
export interface CheckpointInfo {
  readonly step: number;
  readonly path: string;
}

/**
 * Options of {@link save}.
 *
 * @example
 * ```ts
 * checkpoint.save('runs/a', state, { step: 100, keep: 5 });
 * ```
 */
export interface CheckpointSaveOptions {
  /** The step that names the checkpoint; default `state.step`. */
  readonly step?: number;
  /** How many checkpoints to keep, newest first; default 3. */
  readonly keep?: number;
}

/**
 * Saves a whole training state as the checkpoint of its step, atomically,
 * and removes all but the newest `keep`. The state is any tree of tensors,
 * numbers, strings, booleans, null, PRNG keys, arrays and plain objects:
 * typically `{ params, optState, position, key, epoch, step, metadata }`.
 * Returns the file written.
 *
 * @example
 * ```ts
 * import { checkpoint } from 'typegrad/node';
 * checkpoint.save('runs/a', { params, optState, position: { epoch: 1, index: 0 }, key, epoch: 1, step: 938, metadata: { lr: 1e-3 } });
 * ```
 */
export function save(dir: string, state: unknown, options: CheckpointSaveOptions = {}): string {
  const step = options.step ?? (state as { step?: unknown } | null)?.step;
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0 || step >= 1e12) {
    throw new ValueError(`checkpoint.save: the step must be an integer in [0, 1e12) (options.step or state.step), got ${String(step)}`);
  }
  const keep = options.keep ?? 3;
  if (!Number.isSafeInteger(keep) || keep < 1) throw new ValueError(`checkpoint.save: keep must be a positive integer, got ${String(keep)}`);
  const { tensors, skeleton } = encodeState(state);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, nameOf(step));
  writeFileAtomic(path, toSafetensors(tensors, { [STATE_KEY]: skeleton }));
  prune(dir, keep);
  return path;
}

function prune(dir: string, keep: number): void {
  let removed = false;
  const all = list(dir);
  for (const c of all.slice(0, Math.max(0, all.length - keep))) {
    unlinkSync(c.path);
    removed = true;
  }
  for (const name of readdirSync(dir)) {
    const pid = tempOwner(name);
    if (pid !== undefined && pid !== process.pid && !alive(pid) && name.startsWith('.ckpt-')) {
      try {
        unlinkSync(join(dir, name));
        removed = true;
      } catch {
        // removed by someone else
      }
    }
  }
  if (removed) syncDir(dir);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The complete checkpoints in a directory (by name; temporary files never
 * match), oldest first. An empty list when the directory does not exist.
 *
 * @example
 * ```ts
 * checkpoint.list('runs/a'); // [{ step: 469, path: 'runs/a/ckpt-000000000469.safetensors' }, ...]
 * ```
 */
export function list(dir: string): CheckpointInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: CheckpointInfo[] = [];
  for (const n of names) {
    const m = NAME.exec(n);
    if (m !== null) out.push({ step: Number(m[1]), path: join(dir, n) });
  }
  return out.sort((a, b) => a.step - b.step);
}

/** Reads and fully validates one checkpoint file. */
function read(path: string): { skeleton: ReturnType<typeof parseStrictJson>; tensors: ReturnType<typeof fromSafetensors>['tensors'] } {
  const b = readFileSync(path);
  const { tensors, metadata } = fromSafetensors(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), { name: path, transfer: true });
  const text = metadata[STATE_KEY];
  if (text === undefined) throw new FormatError('checkpoint', path, `no ${STATE_KEY} metadata: not a typegrad checkpoint`);
  try {
    return { skeleton: parseStrictJson(text), tensors };
  } catch (e) {
    throw new FormatError('checkpoint', path, `the ${STATE_KEY} metadata is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The newest checkpoint in a directory that reads back completely, or
 * undefined when there is none. A newer file that fails to validate is
 * skipped (a damaged disk; atomic writes never leave one).
 *
 * @example
 * ```ts
 * const last = checkpoint.latest('runs/a'); // { step: 938, path: ... } | undefined
 * ```
 */
export function latest(dir: string): CheckpointInfo | undefined {
  for (const c of list(dir).reverse()) {
    try {
      read(c.path);
      return c;
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
    }
  }
  return undefined;
}

/**
 * Options of {@link restore}.
 *
 * @example
 * ```ts
 * checkpoint.restore('runs/a', like, { step: 100 });
 * ```
 */
export interface RestoreOptions {
  /** Restore this step instead of the latest. */
  readonly step?: number;
}

/**
 * Restores the latest complete checkpoint (or `options.step`) into the
 * shape of the template `like`, with its type: the same tree structure,
 * tensors of the template's shapes and dtypes (a `ShapeError` or
 * `DTypeError` names the path), keys where it has keys. Values under a key
 * named `metadata` are returned as saved. Throws `CheckpointError` when the
 * directory holds no complete checkpoint.
 *
 * @example
 * ```ts
 * const like = { params: model.init(random.key(0)), optState: opt.init(params), position: { epoch: 0, index: 0 }, key: random.key(0), epoch: 0, step: 0, metadata: {} };
 * const state = checkpoint.restore('runs/a', like); // typeof like, with the saved values
 * ```
 */
export function restore<T>(dir: string, like: T, options: RestoreOptions = {}): Loaded<T> {
  let info: CheckpointInfo | undefined;
  if (options.step !== undefined) {
    info = list(dir).find((c) => c.step === options.step);
    if (info === undefined) throw new CheckpointError(`checkpoint.restore: ${dir} has no checkpoint for step ${options.step} (steps: ${list(dir).map((c) => c.step).join(', ') || 'none'})`);
  } else {
    info = latest(dir);
    if (info === undefined) throw new CheckpointError(`checkpoint.restore: ${dir} holds no complete checkpoint`);
  }
  const { skeleton, tensors } = read(info.path);
  return decodeState(skeleton, tensors, like, `checkpoint.restore: ${info.path}`);
}
