import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Failed } from '../core/record.js';
import { StoreError } from './codes.js';
import { allOutcomes, BatchStoreWriter, type PendingRecord, type RecordOutcome } from './batch-writer.js';
import { isRecordPgError, isTransientPgError, pgDetail } from './pg-errors.js';
import { COPY_SQL, copyLine, STAGE_SQL, upsertSql, type PgTableName } from './pg-sql.js';
import { withRetry, type RetryPolicy } from './retry.js';

export interface PgWriterOptions {
  pool: pg.Pool;
  table: PgTableName;
  batchSize: number;
  maxBatchBytes?: number;
  retry: RetryPolicy;
  onFailed?: (f: Failed) => void;
}

type BatchResult = 'stored' | 'split' | { code: 'STORE_REJECTED'; detail: string };

/**
 * Upserts resources by (type, id): each batch is COPYed into a temporary
 * staging table and merged with INSERT … ON CONFLICT in one transaction, so
 * a batch is stored whole or not at all. Connection failures are retried on
 * a fresh connection; when retries run out the batch's records fail with
 * STORE_UNAVAILABLE. A data error is narrowed down by halving the batch, so
 * only the offending record fails (STORE_REJECTED).
 */
export class PgStoreWriter extends BatchStoreWriter {
  private readonly upsert: string;

  constructor(private readonly o: PgWriterOptions) {
    super(o.batchSize, o.onFailed, o.maxBatchBytes);
    this.upsert = upsertSql(o.table);
  }

  protected async storeBatch(batch: PendingRecord[]): Promise<RecordOutcome[]> {
    const r = await withRetry(async () => {
      try {
        return { done: true as const, value: await this.tryOnce(batch) };
      } catch (e) {
        if (isTransientPgError(e)) return { done: false as const };
        throw new StoreError('STORE_REJECTED', pgDetail(e));
      }
    }, this.o.retry);
    if (r === undefined) return allOutcomes(batch.length, { code: 'STORE_UNAVAILABLE', detail: `after ${this.o.retry.attempts ?? 4} attempts` });
    if (r === 'stored') return allOutcomes(batch.length, null);
    if (r !== 'split') return allOutcomes(batch.length, r);
    const mid = Math.ceil(batch.length / 2);
    return [...(await this.storeBatch(batch.slice(0, mid))), ...(await this.storeBatch(batch.slice(mid)))];
  }

  /** One transaction; throws transient errors, returns everything else as a result. */
  private async tryOnce(batch: PendingRecord[]): Promise<BatchResult> {
    const client = await this.o.pool.connect();
    let broken: Error | undefined;
    // a connection that dies between two queries is reported as an event, not by the next query
    const onError = (e: Error): void => void (broken = e);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await client.query(STAGE_SQL);
      await pipeline(Readable.from(lines(batch)), client.query(copyFrom(COPY_SQL)));
      await client.query(this.upsert);
      await client.query('COMMIT');
      return 'stored';
    } catch (e) {
      if (isTransientPgError(e)) {
        broken = e as Error;
        throw e;
      }
      await client.query('ROLLBACK').catch((re: Error) => (broken = re));
      if (isRecordPgError(e) && batch.length > 1) return 'split';
      return { code: 'STORE_REJECTED', detail: pgDetail(e) };
    } finally {
      client.off('error', onError);
      // a client whose connection failed is thrown away, not reused
      client.release(broken ?? false);
    }
  }
}

function* lines(batch: PendingRecord[]): Generator<string> {
  let seq = 0;
  for (const r of batch) yield copyLine(seq++, r.type, r.id, r.json);
}
