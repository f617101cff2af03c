/**
 * A study store in PostgreSQL, for workers on many machines (Optuna's RDB
 * storage, here over the same operation log as the other stores). Every
 * worker points at the same database; there is no coordinator.
 *
 * Schema (version 1, created on first use under an advisory lock, and
 * checked on every open; a newer version is refused):
 *
 *     typegrad_tune_version(version)
 *     typegrad_tune_studies(id, name unique, direction, created_at)
 *     typegrad_tune_ops(study_id, seq, op jsonb, primary key (study_id, seq))
 *
 * Appends take a per-study transaction-level advisory lock, so `seq` is
 * assigned in commit order and a reader that has seen `seq = k` has seen
 * every operation before it: reading `seq > cursor` never skips one.
 */
import type { Pool, PoolConfig } from 'pg';
import { StorageError } from './errors.js';
import type { Direction } from './frozen-trial.js';
import { decodeOp, encodeOp, type Op } from './ops.js';
import { checkOpen, type Storage } from './storage.js';
import { checkOptions } from '../core/validate.js';

const SCHEMA_VERSION = 1;
/** Advisory lock keys: (namespace, 0) guards the schema, (namespace, study id) a study's log. */
const LOCK_NAMESPACE = 0x7467_7475; // 'tgtu'

/**
 * Options of {@link postgresStorage}: `pool` settings passed to `pg.Pool`
 * (the connection string is the first argument).
 */
export interface PostgresOptions {
  readonly pool?: Omit<PoolConfig, 'connectionString'>;
}

/**
 * A PostgreSQL store at `url` (`postgres://user@host:port/db`), through the
 * `pg` client (loaded on first use). `close()` ends its connection pool.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad/node';
 * const storage = tune.postgresStorage(process.env.TYPEGRAD_PG_URL!);
 * const study = await tune.createStudy({ studyName: 'mnist', storage, loadIfExists: true, heartbeatInterval: 60 });
 * await study.optimize(objective, { trials: 25 }); // run the same on every machine
 * await storage.close();
 * ```
 */
export function postgresStorage(url: string, options: PostgresOptions = {}): Storage {
  checkOptions('tune.postgresStorage', options);
  let pool: Pool | null = null;
  let ready: Promise<Pool> | null = null;

  const connect = (): Promise<Pool> => {
    ready ??= (async () => {
      const pg = (await import('pg')).default;
      pool = new pg.Pool({ max: 4, ...options.pool, connectionString: url });
      pool.on('error', () => {
        // An idle client lost its connection; the next query opens another.
      });
      await transaction(pool, async (q) => {
        await q('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_NAMESPACE]);
        await q('CREATE TABLE IF NOT EXISTS typegrad_tune_version (version integer NOT NULL)');
        await q(`CREATE TABLE IF NOT EXISTS typegrad_tune_studies (
          id serial PRIMARY KEY, name text UNIQUE NOT NULL,
          direction text NOT NULL CHECK (direction IN ('minimize', 'maximize')),
          created_at timestamptz NOT NULL DEFAULT now())`);
        await q(`CREATE TABLE IF NOT EXISTS typegrad_tune_ops (
          study_id integer NOT NULL REFERENCES typegrad_tune_studies(id) ON DELETE CASCADE,
          seq bigint NOT NULL, op jsonb NOT NULL, PRIMARY KEY (study_id, seq))`);
        const { rows } = await q('SELECT version FROM typegrad_tune_version');
        if (rows.length === 0) await q('INSERT INTO typegrad_tune_version (version) VALUES ($1)', [SCHEMA_VERSION]);
        else if ((rows[0] as { version: number }).version > SCHEMA_VERSION) {
          throw new StorageError(`postgresStorage: the database has schema version ${(rows[0] as { version: number }).version}; this library knows version ${SCHEMA_VERSION}`);
        }
      });
      return pool;
    })();
    ready.catch(() => {
      ready = null;
    });
    return ready;
  };

  return {
    kind: 'postgres',
    location: { postgres: url },
    async openStudy(name, direction, mode) {
      const p = await connect();
      return transaction(p, async (q) => {
        await q('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_NAMESPACE]);
        const { rows } = await q('SELECT id, direction FROM typegrad_tune_studies WHERE name = $1', [name]);
        checkOpen('postgresStorage', name, rows.length > 0, mode);
        if (rows.length > 0) {
          const row = rows[0] as { id: number; direction: Direction };
          return { id: String(row.id), direction: row.direction };
        }
        const created = await q('INSERT INTO typegrad_tune_studies (name, direction) VALUES ($1, $2) RETURNING id', [name, direction]);
        return { id: String((created.rows[0] as { id: number }).id), direction };
      });
    },
    async append(id, ops) {
      if (ops.length === 0) return;
      const p = await connect();
      await transaction(p, async (q) => {
        await q('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, Number(id)]);
        const { rows } = await q('SELECT coalesce(max(seq), 0) AS last FROM typegrad_tune_ops WHERE study_id = $1', [Number(id)]);
        const last = Number((rows[0] as { last: string }).last);
        const values: string[] = [];
        const params: unknown[] = [Number(id)];
        ops.forEach((op, i) => {
          params.push(last + 1 + i, encodeOp(op));
          values.push(`($1, $${2 * i + 2}, $${2 * i + 3}::jsonb)`);
        });
        await q(`INSERT INTO typegrad_tune_ops (study_id, seq, op) VALUES ${values.join(', ')}`, params);
      });
    },
    async read(id, cursor) {
      const p = await connect();
      const { rows } = await p.query('SELECT seq, op::text AS op FROM typegrad_tune_ops WHERE study_id = $1 AND seq > $2 ORDER BY seq', [Number(id), cursor]);
      const ops: Op[] = rows.map((r: { op: string }) => decodeOp(r.op));
      return { ops, cursor: rows.length === 0 ? cursor : Number((rows[rows.length - 1] as { seq: string }).seq) };
    },
    async studyNames() {
      const p = await connect();
      const { rows } = await p.query('SELECT name FROM typegrad_tune_studies ORDER BY id');
      return rows.map((r: { name: string }) => r.name);
    },
    async close() {
      const p = pool;
      pool = null;
      ready = null;
      if (p !== null) await p.end();
    },
  };
}

type Query = (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }>;

/** Runs `fn` in a transaction on one pooled client; rolls back on error. */
async function transaction<T>(pool: Pool, fn: (q: Query) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn((text, params) => client.query(text, params));
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
