import { Writable } from 'node:stream';
import { failed, type Failed, type Item, type Location } from '../core/record.js';
import { StoreCodes, type StoreCode } from './codes.js';
import { itemType, keyedResource, type KeyedResource } from './resource-key.js';

export interface PendingRecord extends KeyedResource {
  loc: Location;
}

/** Outcome of one record of a batch: null when stored, else why not. */
export type RecordOutcome = null | { code: StoreCode; detail?: string };

/**
 * Writable shell shared by the store writers: ok items are keyed and gathered
 * into batches of at most `batchSize`; a full batch is stored before the next
 * item is taken, so a slow store slows the pipeline instead of filling
 * memory. Failed input items go to onFailed untouched; start/end events of a
 * streamed Bundle carry no resource and are dropped (its entries are stored
 * one by one). Every ok item ends up counted as written or failed.
 */
export abstract class BatchStoreWriter extends Writable {
  written = 0;
  failedCount = 0;
  private batch: PendingRecord[] = [];
  private readonly onFailed: (f: Failed) => void;

  constructor(readonly batchSize: number, onFailed?: (f: Failed) => void) {
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
    if (!key) {
      this.fail(failed('STORE_INVALID_RESOURCE', StoreCodes.STORE_INVALID_RESOURCE, item.loc, itemType(item)));
      cb();
      return;
    }
    this.batch.push({ ...key, loc: item.loc });
    if (this.batch.length < this.batchSize) {
      cb();
      return;
    }
    this.flush().then(() => cb(), (e: Error) => cb(e));
  }

  override _final(cb: (error?: Error | null) => void): void {
    this.flush().then(() => cb(), (e: Error) => cb(e));
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    const outcomes = await this.storeBatch(batch);
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
