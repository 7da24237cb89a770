import { Writable } from 'node:stream';
import { DeidError } from '../core/errors.js';
import { failed, type Failed, type Item, type Location } from '../core/record.js';
import { StoreCodes, type StoreCode } from './codes.js';
import { itemType, keyedResource, type KeyedResource } from './resource-key.js';

export interface PendingRecord extends KeyedResource {
  loc: Location;
  /** The resource serialized once, for the store's wire format. */
  json: string;
}

/** Default bound on the JSON text held in one batch. */
export const DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** Outcome of one record of a batch: null when stored, else why not. */
export type RecordOutcome = null | { code: StoreCode; detail?: string };

/**
 * Writable shell shared by the store writers: ok items are keyed and gathered
 * into batches of at most `batchSize` records and about `maxBatchBytes` of
 * JSON (a single larger record makes a batch of its own); a full batch is stored before the next
 * item is taken, so a slow store slows the pipeline instead of filling
 * memory. Failed input items go to onFailed untouched; start/end events of a
 * streamed Bundle carry no resource and are dropped (its entries are stored
 * one by one). Every ok item ends up counted as written or failed.
 */
export abstract class BatchStoreWriter extends Writable {
  written = 0;
  failedCount = 0;
  private batch: PendingRecord[] = [];
  private batchBytes = 0;
  private readonly onFailed: (f: Failed) => void;

  constructor(
    readonly batchSize: number,
    onFailed?: (f: Failed) => void,
    readonly maxBatchBytes = DEFAULT_MAX_BATCH_BYTES,
  ) {
    super({ objectMode: true, highWaterMark: 16 });
    this.onFailed = onFailed ?? (() => undefined);
  }

  /** Stores one batch; one outcome per record, in order. Must not throw for record problems. */
  protected abstract storeBatch(batch: PendingRecord[]): Promise<RecordOutcome[]>;

  protected fail(f: Failed): void {
    this.failedCount++;
    this.onFailed(f);
  }

  override _write(item: Item, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    if (item.kind === 'failed') {
      this.fail(item);
      cb();
      return;
    }
    if (item.kind !== 'ok') {
      cb();
      return;
    }
    const key = keyedResource(item);
    const json = key ? serialize(key.resource) : undefined;
    if (!key || json === undefined) {
      this.fail(failed('STORE_INVALID_RESOURCE', StoreCodes.STORE_INVALID_RESOURCE, item.loc, itemType(item)));
      cb();
      return;
    }
    // flush first when this record would push the batch over the byte bound
    const before = this.batch.length > 0 && this.batchBytes + json.length > this.maxBatchBytes ? this.flush() : Promise.resolve();
    before
      .then(() => {
        if (this.destroyed) {
          this.fail(failed('STORE_ABORTED', StoreCodes.STORE_ABORTED, item.loc, key.type));
          return undefined;
        }
        this.batch.push({ ...key, loc: item.loc, json });
        this.batchBytes += json.length;
        return this.batch.length >= this.batchSize ? this.flush() : undefined;
      })
      .then(() => cb(), (e: Error) => cb(e));
  }

  override _final(cb: (error?: Error | null) => void): void {
    this.flush().then(() => cb(), (e: Error) => cb(e));
  }

  /** A stream torn down mid-run still accounts for the records it held but never sent. */
  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    const held = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    for (const r of held) this.fail(failed('STORE_ABORTED', StoreCodes.STORE_ABORTED, r.loc, r.type));
    cb(err);
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    let outcomes: RecordOutcome[];
    try {
      outcomes = await this.storeBatch(batch);
    } catch (e) {
      // the store cannot be used at all (refused login, missing database): the run stops, but
      // the records it held are still counted
      const code: StoreCode = e instanceof DeidError && e.code === 'STORE_UNAUTHORIZED' ? 'STORE_UNAUTHORIZED' : 'STORE_REJECTED';
      for (const r of batch) this.fail(failed(code, StoreCodes[code], r.loc, r.type));
      throw e;
    }
    batch.forEach((r, i) => {
      const o: RecordOutcome = i < outcomes.length ? outcomes[i]! : { code: 'STORE_BAD_RESPONSE' };
      if (o === null) {
        this.written++;
        return;
      }
      const reason = o.detail ? `${StoreCodes[o.code]}: ${o.detail}` : StoreCodes[o.code];
      this.fail(failed(o.code, reason, r.loc, r.type));
    });
  }
}

/** The same outcome for every record of a batch. */
export function allOutcomes(n: number, o: RecordOutcome): RecordOutcome[] {
  return Array.from({ length: n }, () => o);
}

/** JSON text of a resource, or undefined when it has none (a cycle: not from parsed input). */
function serialize(resource: unknown): string | undefined {
  try {
    return JSON.stringify(resource);
  } catch {
    return undefined;
  }
}
