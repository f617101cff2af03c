/**
 * A study store in one append-only JSON-lines file, safe for several
 * processes on one machine (Optuna's JournalFileStorage design):
 *
 * - line 1 is the header `{"typegrad-journal":1}`; then one line per study
 *   (`{"study":name,"direction":...}`) or operation (`{"study":name,"op":{...}}`);
 * - writers append under an exclusive lock file (`<file>.lock`, created with
 *   O_EXCL, holding the writer's pid) and fsync before releasing it;
 * - a lock whose pid is dead, or older than `staleLockSeconds` (30), is
 *   broken (renamed away atomically, so only one process breaks it);
 * - a writer killed mid-line leaves a line without its newline: readers
 *   never consume it, and the next writer cuts it off before appending. So
 *   the file survives a crash and the study resumes from it.
 *
 * Readers keep a byte offset and read only what was appended since.
 */
import { dirname, resolve } from 'node:path';
import { mkdirSync, closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { StorageError } from './errors.js';
import type { Direction } from './frozen-trial.js';
import { encodeOp, reviveNumbers, type Op } from './ops.js';
import { checkOpen, type ReadResult, type Storage } from './storage.js';
import { checkOptions } from '../core/validate.js';

const HEADER = '{"typegrad-journal":1}';
const VERSION = 1;

/**
 * Options of {@link journalStorage}.
 * - `staleLockSeconds`: age after which a lock is broken even if its pid seems alive (default 30).
 */
export interface JournalOptions {
  readonly staleLockSeconds?: number;
}

type Line = { readonly study: string; readonly direction?: Direction; readonly op?: Op };

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` milliseconds (lock back-off; no event loop needed). */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` holding the journal's lock file. */
function withLock<T>(path: string, staleMs: number, fn: () => T): T {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  let wait = 1;
  for (;;) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StorageError(`journalStorage: cannot create lock ${lock}: ${(e as Error).message}`);
      breakIfStale(lock, staleMs);
      sleepSync(wait);
      wait = Math.min(50, wait * 2);
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    try {
      return fn();
    } finally {
      try {
        unlinkSync(lock);
      } catch {
        // Broken by another process after staleMs: nothing left to release.
      }
    }
  }
}

function breakIfStale(lock: string, staleMs: number): void {
  let pid = NaN;
  let age = 0;
  try {
    const fd = openSync(lock, 'r');
    try {
      const buf = Buffer.alloc(32);
      const n = readSync(fd, buf, 0, 32, 0);
      pid = Number.parseInt(buf.subarray(0, n).toString('utf8'), 10);
    } finally {
      closeSync(fd);
    }
    age = Date.now() - statSync(lock).mtimeMs;
  } catch {
    return; // released meanwhile
  }
  // A lock just created may not hold its pid yet: only an old lock without one is stale.
  const dead = Number.isInteger(pid) ? !alive(pid) : age > 1000;
  if (!dead && age <= staleMs) return;
  const aside = `${lock}.stale.${process.pid}.${Date.now()}`;
  try {
    renameSync(lock, aside);
    unlinkSync(aside);
  } catch {
    // Another process broke it first.
  }
}

/** Reads the complete lines from `offset`; returns them and the offset after the last newline. */
function readLines(path: string, offset: number): { lines: string[]; end: number } {
  if (!existsSync(path)) return { lines: [], end: offset };
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { lines: [], end: offset };
    const buf = Buffer.alloc(size - offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    const last = buf.lastIndexOf(10, got - 1);
    if (last < 0) return { lines: [], end: offset };
    const text = buf.subarray(0, last).toString('utf8');
    return { lines: text.split('\n'), end: offset + last + 1 };
  } finally {
    closeSync(fd);
  }
}

/** Appends lines (under the lock): cuts off a crashed writer's partial last line first, then fsyncs. */
function appendLines(path: string, lines: readonly string[]): void {
  const fd = openSync(path, 'a+');
  try {
    const size = fstatSync(fd).size;
    if (size > 0) {
      const tail = Buffer.alloc(Math.min(size, 1 << 16));
      let end = size;
      // Find the last newline; everything after it is a partial line from a writer that died.
      let cut = -1;
      while (end > 0 && cut < 0) {
        const start = Math.max(0, end - tail.length);
        const n = readSync(fd, tail, 0, end - start, start);
        const i = tail.subarray(0, n).lastIndexOf(10);
        if (i >= 0) cut = start + i + 1;
        else end = start;
      }
      if (cut < 0) cut = 0;
      if (cut !== size) ftruncateSync(fd, cut);
    }
    const text = (size === 0 ? `${HEADER}\n` : '') + lines.map((l) => `${l}\n`).join('');
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function parse(path: string, line: string, offset: number): Line | { header: number } {
  try {
    const v = JSON.parse(line, reviveNumbers) as Line & { 'typegrad-journal'?: number };
    if (v['typegrad-journal'] !== undefined) return { header: v['typegrad-journal'] };
    if (typeof v.study !== 'string') throw new Error('no study');
    return v;
  } catch (e) {
    throw new StorageError(`journalStorage: ${path}: bad line at byte ${offset}: ${(e as Error).message}: ${line.slice(0, 80)}`);
  }
}

/**
 * A journal-file store at `path` (created on first write). Every method
 * answers synchronously, so pruning decisions see other processes' reports
 * at once.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad/node';
 * const storage = tune.journalStorage('runs/mnist.jsonl');
 * const study = await tune.createStudy({ studyName: 'mnist', storage, loadIfExists: true });
 * ```
 */
export function journalStorage(path: string, options: JournalOptions = {}): Storage {
  checkOptions('tune.journalStorage', options);
  const staleMs = (options.staleLockSeconds ?? 30) * 1000;
  // Study index, kept up to date by scanning new bytes.
  const studies = new Map<string, Direction>();
  let indexed = 0;
  const scan = (): void => {
    const { lines, end } = readLines(path, indexed);
    let at = indexed;
    for (const line of lines) {
      const start = at;
      at += Buffer.byteLength(line) + 1;
      if (line === '') continue;
      const v = parse(path, line, start);
      if ('header' in v) {
        if (v.header > VERSION) throw new StorageError(`journalStorage: ${path} is journal version ${v.header}; this library reads version ${VERSION}`);
      } else if (v.direction !== undefined && !studies.has(v.study)) studies.set(v.study, v.direction);
    }
    indexed = end;
  };
  const line = (v: Line): string => JSON.stringify(v);
  return {
    kind: 'journal',
    location: { journal: resolve(path) },
    openStudy(name, direction, mode) {
      return withLock(path, staleMs, () => {
        scan();
        const existing = studies.get(name);
        checkOpen('journalStorage', name, existing !== undefined, mode);
        if (existing !== undefined) return { id: name, direction: existing };
        appendLines(path, [line({ study: name, direction })]);
        studies.set(name, direction);
        return { id: name, direction };
      });
    },
    append(id, ops) {
      if (ops.length === 0) return;
      // `op` is spliced in as encoded text, so NaN survives (see encodeOp).
      withLock(path, staleMs, () => appendLines(path, ops.map((op) => `{"study":${JSON.stringify(id)},"op":${encodeOp(op)}}`)));
    },
    read(id, cursor): ReadResult {
      const { lines, end } = readLines(path, cursor);
      const ops: Op[] = [];
      let at = cursor;
      for (const l of lines) {
        const start = at;
        at += Buffer.byteLength(l) + 1;
        if (l === '') continue;
        const v = parse(path, l, start);
        if (!('header' in v) && v.study === id && v.op !== undefined) ops.push(v.op);
      }
      return { ops, cursor: end };
    },
    studyNames() {
      scan();
      return [...studies.keys()];
    },
    close() {},
  };
}
