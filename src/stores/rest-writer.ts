import type { Failed } from '../core/record.js';
import { allOutcomes, BatchStoreWriter, type PendingRecord, type RecordOutcome } from './batch-writer.js';
import { fhirFetch, type RestClientOptions } from './rest-client.js';
import { anySignal } from './retry.js';

export interface RestWriterOptions extends RestClientOptions {
  base: string;
  batchSize: number;
  maxBatchBytes?: number;
  /** 'batch' (default): entries succeed or fail one by one; 'transaction': all or nothing. */
  bundleType?: 'batch' | 'transaction';
  onFailed?: (f: Failed) => void;
}

type Json = Record<string, unknown>;

/** Leading status code of `Bundle.entry.response.status` ("201 Created" → 201). */
function entryStatus(e: unknown): number | undefined {
  const s = ((e as Json | null)?.response as Json | undefined)?.status;
  const m = typeof s === 'string' ? /^\s*(\d{3})/.exec(s) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Sends resources as batch (or transaction) Bundles of `PUT Type/id` entries
 * (https://hl7.org/fhir/R4/http.html#transaction) and checks every entry's
 * response status. A Bundle the server refuses as a whole (400, 413, 422) is
 * halved until the records it cannot take are found.
 */
export class RestStoreWriter extends BatchStoreWriter {
  /** Aborted when the writer is torn down: a batch in flight is abandoned, not retried for minutes. */
  readonly #teardown = new AbortController();

  constructor(private readonly o: RestWriterOptions) {
    super(o.batchSize, o.onFailed, o.maxBatchBytes);
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.#teardown.abort();
    super._destroy(err, cb);
  }

  /** The Bundle as text, reusing each record's JSON rather than serializing the batch again. */
  private bundleText(batch: PendingRecord[]): string {
    const entries = batch.map((r) => {
      const ref = `${r.type}/${r.id}`;
      return `{"fullUrl":${JSON.stringify(`${this.o.base}/${ref}`)},"resource":${r.json},"request":{"method":"PUT","url":"${ref}"}}`;
    });
    return `{"resourceType":"Bundle","type":"${this.o.bundleType ?? 'batch'}","entry":[${entries.join(',')}]}`;
  }

  protected async storeBatch(batch: PendingRecord[]): Promise<RecordOutcome[]> {
    const signal = this.o.signal ? anySignal([this.o.signal, this.#teardown.signal]) : this.#teardown.signal;
    const res = await fhirFetch(this.o.base, { method: 'POST', body: this.bundleText(batch) }, { ...this.o, signal });
    if (signal.aborted) return allOutcomes(batch.length, { code: 'STORE_ABORTED', detail: 'the request in flight was abandoned' });
    if (!res) return allOutcomes(batch.length, { code: 'STORE_UNAVAILABLE', detail: `after ${this.o.retry?.attempts ?? 4} attempts` });
    if (res.status >= 300) {
      if (batch.length > 1 && (res.status === 400 || res.status === 413 || res.status === 422)) {
        const mid = Math.ceil(batch.length / 2);
        return [...(await this.storeBatch(batch.slice(0, mid))), ...(await this.storeBatch(batch.slice(mid)))];
      }
      return allOutcomes(batch.length, { code: 'STORE_REJECTED', detail: `HTTP ${res.status}` });
    }
    const entries = (res.body as Json | undefined)?.entry;
    if (!Array.isArray(entries) || entries.length !== batch.length) return allOutcomes(batch.length, { code: 'STORE_BAD_RESPONSE' });
    return entries.map((e): RecordOutcome => {
      const status = entryStatus(e);
      if (status === undefined) return { code: 'STORE_BAD_RESPONSE' };
      return status >= 200 && status < 300 ? null : { code: 'STORE_REJECTED', detail: `HTTP ${status}` };
    });
  }
}
