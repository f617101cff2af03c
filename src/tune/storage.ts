/**
 * Where a study's operation log lives. A store only appends operations and
 * reads them back from a cursor; replaying them (`ops.ts`) is the same for
 * all stores. Methods may answer synchronously (memory, journal file) or with
 * a promise (PostgreSQL); the study awaits only when it must.
 */
import type { Direction } from './frozen-trial.js';
import type { Op } from './ops.js';
import { StorageError } from './errors.js';

/** A value now or later. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * How to open a study: `create` fails if it exists, `load` fails if it does
 * not, `createOrLoad` (the default) does either.
 */
export type OpenMode = 'create' | 'load' | 'createOrLoad';

/**
 * The operations read since a cursor, and the cursor to read from next.
 *
 * @example
 * ```ts
 * const { ops, cursor } = await storage.read(id, 0);
 * ```
 */
export interface ReadResult {
  readonly ops: readonly Op[];
  readonly cursor: number;
}

/**
 * A store of study logs (see the module comment). `openStudy` returns the
 * study's id and its direction (from the store when it exists).
 *
 * @example
 * ```ts
 * const storage: tune.Storage = tune.memoryStorage();
 * ```
 */
export interface Storage {
  readonly kind: string;
  /** Where another thread or process can open the same store (absent for memory). */
  readonly location?: { readonly journal: string } | { readonly postgres: string };
  openStudy(name: string, direction: Direction, mode: OpenMode): MaybePromise<{ readonly id: string; readonly direction: Direction }>;
  append(id: string, ops: readonly Op[]): MaybePromise<void>;
  read(id: string, cursor: number): MaybePromise<ReadResult>;
  studyNames(): MaybePromise<string[]>;
  close(): MaybePromise<void>;
}

/** Throws the errors of opening a study that exists or not against the mode. */
export function checkOpen(kind: string, name: string, exists: boolean, mode: OpenMode): void {
  if (exists && mode === 'create') throw new StorageError(`${kind}: study '${name}' already exists (open it with loadIfExists: true or tune.loadStudy)`);
  if (!exists && mode === 'load') throw new StorageError(`${kind}: no study named '${name}'`);
}

/**
 * The default store: logs in this process's memory, gone when it exits.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ storage: tune.memoryStorage() });
 * ```
 */
export function memoryStorage(): Storage {
  const studies = new Map<string, { direction: Direction; ops: Op[] }>();
  const get = (id: string) => {
    const s = studies.get(id);
    if (s === undefined) throw new StorageError(`memoryStorage: no study named '${id}'`);
    return s;
  };
  return {
    kind: 'memory',
    openStudy(name, direction, mode) {
      const existing = studies.get(name);
      checkOpen('memoryStorage', name, existing !== undefined, mode);
      if (existing !== undefined) return { id: name, direction: existing.direction };
      studies.set(name, { direction, ops: [] });
      return { id: name, direction };
    },
    append(id, ops) {
      get(id).ops.push(...ops);
    },
    read(id, cursor) {
      const all = get(id).ops;
      return { ops: all.slice(cursor), cursor: all.length };
    },
    studyNames: () => [...studies.keys()],
    close() {},
  };
}
