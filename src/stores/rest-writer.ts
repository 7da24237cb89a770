import type { Failed } from '../core/record.js';
import { allOutcomes, BatchStoreWriter, type PendingRecord, type RecordOutcome } from './batch-writer.js';
import { fhirFetch, StoreForbidden, type RestClientOptions, type RestResponse } from './rest-client.js';
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
 * halved until the records it cannot take are found; one it refuses with 403
 * is split by type (see forbidden); 401 stops the writer (STORE_UNAUTHORIZED).
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
    let res: RestResponse | undefined;
    try {
      res = await fhirFetch(this.o.base, { method: 'POST', body: this.bundleText(batch) }, { ...this.o, signal });
    } catch (e) {
      if (!(e instanceof StoreForbidden)) throw e;
      return this.forbidden(batch, e.detail);
    }
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
      if (status === 403) return { code: 'STORE_FORBIDDEN', detail: 'HTTP 403' };
      return status >= 200 && status < 300 ? null : { code: 'STORE_REJECTED', detail: `HTTP ${status}` };
    });
  }

  /**
   * A Bundle refused with 403: the server may refuse one type of it (a write
   * scope missing for that type). A Bundle of several types is sent again
   * type by type, so the types allowed are stored; the records of a refused
   * type fail STORE_FORBIDDEN, each with its location, and the writer goes on.
   */
  private async forbidden(batch: PendingRecord[], detail: string): Promise<RecordOutcome[]> {
    const types = [...new Set(batch.map((r) => r.type))];
    if (types.length === 1) return allOutcomes(batch.length, { code: 'STORE_FORBIDDEN', detail: `${detail} (${types[0]!})` });
    const outcomes: RecordOutcome[] = new Array<RecordOutcome>(batch.length);
    for (const type of types) {
      const at: number[] = [];
      batch.forEach((r, i) => r.type === type && at.push(i));
      const got = await this.storeBatch(at.map((i) => batch[i]!));
      // null is a stored record: only a missing outcome is a bad response
      at.forEach((i, k) => (outcomes[i] = k < got.length ? got[k]! : { code: 'STORE_BAD_RESPONSE' }));
    }
    return outcomes;
  }
}
