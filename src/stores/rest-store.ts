import type { Readable } from 'node:stream';
import type { RestClientOptions } from './rest-client.js';
import { restReader } from './rest-reader.js';
import { RestStoreWriter } from './rest-writer.js';
import type { FhirStore, StoreReaderOptions, StoreWriter, StoreWriterOptions } from './types.js';

export interface RestStoreOptions extends RestClientOptions {
  /** Types to read when no resources are named; default from GET [base]/metadata. */
  types?: string[];
  /** `_count` per search page. Default 100. */
  pageSize?: number;
  /** Entries per Bundle. Default 100. */
  batchSize?: number;
  bundleType?: 'batch' | 'transaction';
}

/**
 * A FHIR REST server at a base URL. Writes are PUTs by id, so a batch sent
 * again after a lost response does no harm. `ensure` does nothing: a server
 * is not created from here.
 */
export class RestFhirStore implements FhirStore {
  readonly kind = 'rest' as const;

  constructor(readonly uri: string, readonly base: string, private readonly o: RestStoreOptions = {}) {}

  reader(opts: StoreReaderOptions = {}): Readable {
    const types = opts.types ?? this.o.types;
    return restReader({ ...this.o, ...opts, ...(types ? { types } : {}), base: this.base, uri: this.uri, pageSize: this.o.pageSize ?? 100 });
  }

  writer(opts: StoreWriterOptions = {}): StoreWriter {
    return new RestStoreWriter({
      ...this.o,
      base: this.base,
      batchSize: Math.max(1, opts.batchSize ?? this.o.batchSize ?? 100),
      ...(opts.maxBatchBytes ? { maxBatchBytes: opts.maxBatchBytes } : {}),
      ...(opts.onFailed ? { onFailed: opts.onFailed } : {}),
    });
  }

  async ensure(): Promise<void> {}

  async close(): Promise<void> {}
}
