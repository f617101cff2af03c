/**
 * Crash-safe file writes (Node only): the bytes go to a temporary file in
 * the same directory, which is flushed to disk (fsync), renamed over the
 * target (atomic on POSIX), and the directory is flushed so the rename
 * itself survives a power loss. A reader sees the old file or the new one,
 * never a torn one; a crash leaves at most a temporary file, whose name
 * (`.<name>.tmp-<pid>-<random>`) never matches a checkpoint.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The temporary name `writeFileAtomic` uses for `path` in this process. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** The pid in a temporary name made by {@link tempPathFor}, or undefined for other names. */
export function tempOwner(name: string): number | undefined {
  const m = /^\..+\.tmp-(\d+)-[0-9a-f]{12}$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/**
 * Writes `data` (bytes, or chunks written one after another) to `path` atomically and durably: temp file (O_EXCL),
 * write, fsync, rename, fsync of the directory. On any error the temp file
 * is removed and the old `path`, if any, is untouched.
 *
 * @example
 * ```ts
 * import { io } from 'typegrad/node';
 * io.writeFileAtomic('/tmp/model.safetensors', bytes);
 * ```
 */
export function writeFileAtomic(path: string, data: Uint8Array | readonly Uint8Array[]): void {
  const chunks = data instanceof Uint8Array ? [data] : data;
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'wx', 0o644);
  let renamed = false;
  try {
    try {
      for (const bytes of chunks) {
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 30));
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    renamed = true;
    syncDir(dirname(path));
  } finally {
    if (!renamed) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    }
  }
}

/** fsync a directory, so that renames and unlinks in it are durable. */
export function syncDir(dir: string): void {
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
