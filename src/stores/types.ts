import type { Readable, Writable } from 'node:stream';
import type { Failed } from '../core/record.js';

/** Which backend a store URI names. */
export type FhirStoreKind = 'file' | 'postgres' | 'rest';

export interface StoreReaderOptions {
  /** Only these resources, as `Type/id`. A requested one that is absent becomes a failed item. */
  resources?: string[];
  /** Leave out resources the store last modified after this instant. */
  skipModifiedAfter?: Date;
  /** Only these resource types. For a FHIR server, the types searched instead of those its CapabilityStatement lists. */
  types?: string[];
  /** Stops the reading when aborted: a request in flight is abandoned and nothing is retried; the stream ends. */
  signal?: AbortSignal;
}

export interface StoreWriterOptions {
  /** Receives failed input items and the records that could not be written. */
  onFailed?: (f: Failed) => void;
  /** Records per write batch (backend default when absent). */
  batchSize?: number;
  /** Bound on the JSON text of one batch in bytes (UTF-16 units); default 8 MiB. A larger record goes alone. */
  maxBatchBytes?: number;
  /** Folder stores: replace existing Type.ndjson files (default false: OUTPUT_EXISTS). Other stores always upsert by (type, id). */
  overwrite?: boolean;
}

/** An object-mode Writable of Items that counts what it stored. */
export type StoreWriter = Writable & {
  /** Records the store confirmed. */
  readonly written: number;
  /** Records reported through onFailed by this writer (input failures included). */
  readonly failedCount: number;
};

/**
 * A FHIR store addressed by a URI. `uri` never carries credentials: it is what
 * locations and messages name.
 */
export interface FhirStore {
  readonly uri: string;
  readonly kind: FhirStoreKind;
  /** Object-mode Readable of Items whose ok values are FHIR resources. */
  reader(opts?: StoreReaderOptions): Readable;
  writer(opts?: StoreWriterOptions): StoreWriter;
  /** Creates the store when it does not exist yet. */
  ensure(): Promise<void>;
  /**
   * A store that stamps what it writes with its own clock (a postgres table's
   * last_updated): that clock's reading now, and per type the resources it
   * modified at or after a reading. An operation that upserts tells from these
   * how many of its records landed on an id it had already written.
   */
  clock?(): Promise<string>;
  modifiedSince?(since: string): Promise<Record<string, number>>;
  close(): Promise<void>;
}
