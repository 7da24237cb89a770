import pg from 'pg';
import { StoreError } from './codes.js';
import { isTransientPgError, pgCode } from './pg-errors.js';
import { PgStoreReader } from './pg-reader.js';
import { createTableSql, tableFromUrl, type PgTableName } from './pg-sql.js';
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
}

/**
 * A connection the server ends while no one listens (connecting, checked out
 * between two queries, being discarded) emits 'error' on its client, which
 * would end the process; the query that needed it sees the failure itself.
 */
class QuietClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
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
      Client: QuietClient,
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
        throw new StoreError('STORE_REJECTED', `${this.uri} (SQLSTATE ${pgCode(e)})`);
      }
    }, this.retry);
    if (!done) throw new StoreError('STORE_UNAVAILABLE', this.uri);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
