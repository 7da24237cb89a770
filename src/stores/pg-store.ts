import pg from 'pg';
import { StoreError } from './codes.js';
import { isTransientPgError, pgCode, pgDetail, PgNoPasswordError } from './pg-errors.js';
import { passFilePassword, type PgTarget } from './pg-password.js';
import { PgStoreReader } from './pg-reader.js';
import { createTableSql, modifiedSinceSql, tableFromUrl, type PgTableName } from './pg-sql.js';
import { PgStoreWriter } from './pg-writer.js';
import { withRetry, type RetryPolicy } from './retry.js';
import type { FhirStore, StoreReaderOptions, StoreWriter, StoreWriterOptions } from './types.js';

export interface PgStoreOptions {
  retry?: RetryPolicy;
  /** Rows per read page. Default 500. */
  pageSize?: number;
  /** Records per COPY batch. Default 500. */
  batchSize?: number;
  /** Connections in the pool. Default 4. */
  maxConnections?: number;
  /** ms to wait for a connection. Default 10 000. */
  connectTimeoutMs?: number;
  /** Where PGPASSWORD (when the URL has no password), PGPASSFILE and HOME are read. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Warnings about the password file (default: stderr). */
  warn?: (msg: string) => void;
}

/**
 * The client class of a store's pool. A connection the server ends while no
 * one listens (connecting, checked out between two queries, being discarded)
 * emits 'error' on its client, which would end the process; the query that
 * needed it sees the failure itself. The password is the URL's, else
 * `$PGPASSWORD` (node-postgres takes both), else the password file's
 * (`$PGPASSFILE`, `~/.pgpass`), looked up only when the server asks for one,
 * as libpq does.
 */
function clientClass(env: NodeJS.ProcessEnv, warn: ((msg: string) => void) | undefined): typeof pg.Client {
  return class QuietClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      this.on('error', () => undefined);
      const self = this as unknown as { password: unknown };
      if (self.password === null || self.password === undefined || self.password === '') {
        self.password = async (p: PgTarget): Promise<string> => {
          const pw = env.PGPASSWORD || passFilePassword(p, env, warn);
          if (pw === undefined) {
            // node-postgres reports the failure but leaves the socket open until the server's authentication timeout (60 s)
            const stream = (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
            setImmediate(() => stream?.destroy());
            throw new PgNoPasswordError();
          }
          return pw;
        };
      }
    }
  };
}

/**
 * A table `(resource_type, id, version, last_updated, body jsonb)` keyed by
 * (resource_type, id). jsonb keeps values, not key order or whitespace: a
 * resource reads back equal as JSON, not byte for byte.
 */
export class PgFhirStore implements FhirStore {
  readonly kind = 'postgres' as const;
  readonly table: PgTableName;
  private readonly pool: pg.Pool;
  private readonly retry: RetryPolicy;

  constructor(readonly uri: string, url: string, private readonly o: PgStoreOptions = {}) {
    const u = new URL(url);
    this.table = tableFromUrl(u);
    u.searchParams.delete('table');
    u.searchParams.delete('schema');
    this.retry = o.retry ?? {};
    this.pool = new pg.Pool({
      connectionString: u.href,
      max: o.maxConnections ?? 4,
      connectionTimeoutMillis: o.connectTimeoutMs ?? 10_000,
      Client: clientClass(o.env ?? process.env, o.warn),
    });
    // an idle connection the server drops is replaced on next use; its error is not the run's
    this.pool.on('error', () => undefined);

  }

  reader(opts: StoreReaderOptions = {}): PgStoreReader {
    return new PgStoreReader({ ...opts, pool: this.pool, table: this.table, uri: this.uri, pageSize: this.o.pageSize ?? 500, retry: this.retry });
  }

  writer(opts: StoreWriterOptions = {}): StoreWriter {
    return new PgStoreWriter({
      pool: this.pool,
      table: this.table,
      batchSize: Math.max(1, opts.batchSize ?? this.o.batchSize ?? 500),
      ...(opts.maxBatchBytes ? { maxBatchBytes: opts.maxBatchBytes } : {}),
      retry: this.retry,
      ...(opts.onFailed ? { onFailed: opts.onFailed } : {}),
    });
  }

  async ensure(): Promise<void> {
    const done = await withRetry(async () => {
      try {
        for (const sql of createTableSql(this.table)) await this.pool.query(sql);
        return { done: true as const, value: true };
      } catch (e) {
        if (isTransientPgError(e)) return { done: false as const };
        // two writers creating the same table at once: the loser sees a unique violation
        if (pgCode(e) === '23505') return { done: true as const, value: true };
        throw new StoreError('STORE_REJECTED', `${this.uri} (${pgDetail(e)})`);
      }
    }, this.retry);
    if (!done) throw new StoreError('STORE_UNAVAILABLE', this.uri);
  }

  /** The server's clock (a write's last_updated is its transaction's now(), never earlier than this reading). */
  async clock(): Promise<string> {
    return this.#query(async () => (await this.pool.query<{ now: string }>('SELECT now()::text AS now')).rows[0]!.now);
  }

  async modifiedSince(since: string): Promise<Record<string, number>> {
    return this.#query(async () => {
      const r = await this.pool.query<{ resource_type: string; n: number }>(modifiedSinceSql(this.table), [since]);
      return Object.fromEntries(r.rows.map((row) => [row.resource_type, row.n]));
    });
  }

  /** A read-only query with the store's retry policy; what cannot be retried is a STORE_REJECTED naming the store. */
  async #query<T>(f: () => Promise<T>): Promise<T> {
    const r = await withRetry(async () => {
      try {
        return { done: true as const, value: await f() };
      } catch (e) {
        if (isTransientPgError(e)) return { done: false as const };
        throw new StoreError('STORE_REJECTED', `${this.uri} (${pgDetail(e)})`);
      }
    }, this.retry);
    if (r === undefined) throw new StoreError('STORE_UNAVAILABLE', this.uri);
    return r;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
