import type { Readable } from 'node:stream';
import type { Failed } from '../../core/record.js';
import type { RetryPolicy } from '../retry.js';

/** Which backend a DICOM store URI names. */
export type DicomStoreKind = 'folder' | 'dicomweb';

/** One instance in a store. `location` is a path or URL naming UIDs only. */
export interface InstanceRef {
  study: string;
  series: string;
  instance: string;
  location: string;
}

export interface ListOptions {
  /**
   * Receives what could not be listed (a file that is not DICOM, an instance
   * without valid UIDs, a filter entry with nothing behind it). Without it
   * the first such problem is thrown: nothing is skipped silently.
   */
  onFailed?: (f: Failed) => void;
}

export interface DicomStoreOptions {
  retry?: RetryPolicy;
  /** Per-request timeout until the response headers arrive, and the longest wait between two parts of a body, in ms. Default 60 000. */
  timeoutMs?: number;
  /** Extra headers on every DICOMweb request (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Instances per QIDO page. Default 100. */
  pageSize?: number;
  /** Stops every request of the store when aborted (a cancelled run): the one in flight and any retry. */
  signal?: AbortSignal;
  /** Called after every failed attempt, the last one included (for logs and tests; no PHI: method, path of UIDs, reason). */
  onAttemptFailed?: (info: RetryInfo) => void;
  /** Told once when the store has to check less than it would (a search the server refuses); one line, no PHI: the base path and a status. */
  onWarning?: (message: string) => void;
}

export interface RetryInfo {
  /** 1-based number of the attempt that failed. */
  attempt: number;
  method: string;
  /** Path below the store base (UIDs only). */
  path: string;
  /** 'connection', 'timeout' or an HTTP status. */
  reason: string;
}

/**
 * A DICOM store addressed by a URI (`file:` folder or plain path,
 * `dicomweb+http(s)://host/base`). `uri` never carries credentials.
 * Filters are lines `/studies/{uid}[/series/{uid}[/instances/{uid}]]`.
 */
export interface DicomStore {
  readonly uri: string;
  readonly kind: DicomStoreKind;
  list(filter?: string[], opts?: ListOptions): AsyncIterable<InstanceRef>;
  /** Part-10 bytes of one instance. */
  read(ref: InstanceRef): Promise<Readable>;
  /**
   * Stores one part-10 instance under the UIDs in its own header (checked
   * whole before anything is stored). `ref` names the source in errors only.
   * Resolves once the store has confirmed it.
   */
  write(bytes: Readable | Buffer, ref?: InstanceRef): Promise<InstanceRef>;
  /** Creates the folder / checks the server answers. */
  ensure(): Promise<void>;
  close(): Promise<void>;
}
