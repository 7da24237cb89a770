import type { Location } from './record.js';

/**
 * Stable error codes. They are part of the public contract (error logs, exit
 * statuses, tests) — add new ones, never rename.
 */
export const ErrorCodes = {
  // record-level (the record is logged and left out; the run goes on)
  INVALID_JSON: 'Record is not valid JSON',
  NOT_AN_OBJECT: 'Record is not a JSON object',
  NO_RESOURCE_TYPE: 'Record has no string resourceType',
  UNKNOWN_RESOURCE_TYPE: 'resourceType is not a FHIR R4 resource type',
  LINE_TOO_LONG: 'Line exceeds the maximum line length',
  TOO_DEEP: 'JSON nesting exceeds the maximum depth',
  TRANSFORM_FAILED: 'A transformation failed on this record',
  INVALID_BUNDLE: 'Bundle is not well formed',
  INVALID_ENCODING: 'Input is not valid UTF-8',
  WORKER_FAILED: 'The worker thread de-identifying this record stopped before it was done',
  DICOM_TRUNCATED: 'DICOM input ends inside an element',
  DICOM_MALFORMED: 'DICOM input is not well formed',
  DICOM_UNSUPPORTED: 'DICOM input uses an unsupported encoding',
  DICOM_BURNED_IN: 'Instance may carry burned-in annotation in its pixels; quarantined',
  DICOM_DUPLICATE_SOP: 'Another input with the same SOPInstanceUID and different content was already written; this one was not',
  // file-level (every record that could not be read is counted as failed)
  READ_FAILED: 'Input could not be read',
  GZIP_CORRUPT: 'Compressed input is corrupt or truncated',
  TRUNCATED_JSON: 'JSON document ends before it is complete',
  // stores (record-level when a store refuses or cannot take a record)
  STORE_URI_INVALID: 'Store URI is not valid',
  STORE_UNAVAILABLE: 'Store could not be reached after retries',
  STORE_REJECTED: 'Store rejected the record',
  STORE_BAD_RESPONSE: 'Store answered with a response that could not be understood',
  STORE_RESOURCE_NOT_FOUND: 'Requested resource is not in the store',
  STORE_INVALID_RESOURCE: 'Record has no valid resourceType and id to store it by',
  STORE_ABORTED: 'Writing stopped before the record was sent to the store',
  STORE_INSTANCE_NOT_FOUND: 'Requested instance is not in the store',
  STORE_FILTER_INVALID: 'Filter line is not /studies/{uid}[/series/{uid}[/instances/{uid}]]',
  STORE_UID_INVALID: 'UID is not digits and dots of at most 64 characters',
  STORE_UID_MISSING: 'Instance lacks its Study, Series or SOP Instance UID',
  STORE_READ_FAILED: 'Instance could not be read from the store',
  STORE_WRITE_FAILED: 'Instance could not be written to the store',
  STORE_UNAUTHORIZED: 'Store refused the request for want of valid credentials (HTTP 401 or 403)',
  STORE_FORBIDDEN: 'Store refused access to this resource type or resource (HTTP 403)',
  // run-level (fail before any output)
  USAGE: 'Invalid command line',
  CONFIG_INVALID: 'Configuration is invalid',
  KEY_INVALID: 'Key is invalid',
  INPUT_NOT_FOUND: 'Input does not exist',
  OUTPUT_EXISTS: 'Output exists',
  WRITE_FAILED: 'Output could not be written',
  INTERNAL: 'Internal error',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/**
 * The only error type the pipeline raises on purpose. Its message must never
 * contain record contents: ids, paths, codes and counts only.
 */
export class DeidError extends Error {
  readonly code: ErrorCode;
  readonly loc: Location | undefined;
  constructor(code: ErrorCode, detail?: string, loc?: Location) {
    super(detail ? `${ErrorCodes[code]}: ${detail}` : ErrorCodes[code]);
    this.name = 'DeidError';
    this.code = code;
    this.loc = loc;
  }
}

export function isDeidError(e: unknown): e is DeidError {
  return e instanceof DeidError;
}

/**
 * Turns any thrown value into a DeidError without copying its message, which
 * might quote data (JSON.parse messages quote the offending text, for one).
 */
export function toDeidError(e: unknown, fallback: ErrorCode = 'INTERNAL', loc?: Location): DeidError {
  if (e instanceof DeidError) return loc && !e.loc ? new DeidError(e.code, undefined, loc) : e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new DeidError('TOO_DEEP', undefined, loc);
  return new DeidError(fallback, undefined, loc);
}

/**
 * `e` as a DeidError naming `file`, with the byte offset its message gives
 * ("at offset N"), else `fallbackOffset` when there is one.
 */
export function locatedError(e: unknown, file: string, fallback: ErrorCode, fallbackOffset?: number): DeidError {
  const err = toDeidError(e, fallback);
  const m = /at offset (\d+)/.exec(err.message);
  const offset = m ? Number(m[1]) : fallbackOffset;
  const detail = err.message.slice(ErrorCodes[err.code].length + 2) || undefined;
  return new DeidError(err.code, detail, { file, ...(offset !== undefined ? { offset } : {}) });
}

/** Process exit statuses (documented in README). */
export const ExitCode = {
  OK: 0,
  RECORDS_FAILED: 3,
  USAGE: 64,
  INPUT: 66,
  INTERNAL: 70,
  OUTPUT: 73,
  CONFIG: 78,
} as const;
