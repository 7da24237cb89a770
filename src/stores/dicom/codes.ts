/**
 * Codes of the DICOM store backends. Stable: add new ones, never rename. The
 * shared ones have the same names and meaning as the FHIR stores' codes
 * (src/stores/codes.ts). Messages name codes, UIDs, paths and counts only.
 * Parse problems of the instance itself stay core DeidErrors
 * (DICOM_TRUNCATED, DICOM_MALFORMED, DICOM_UNSUPPORTED).
 */
export const DicomStoreCodes = {
  STORE_URI_INVALID: 'Store URI is not valid',
  STORE_UNAVAILABLE: 'Store could not be reached after retries',
  STORE_REJECTED: 'Store rejected the request',
  STORE_BAD_RESPONSE: 'Store answered with a response that could not be understood',
  STORE_INSTANCE_NOT_FOUND: 'Requested instance is not in the store',
  STORE_FILTER_INVALID: 'Filter line is not /studies/{uid}[/series/{uid}[/instances/{uid}]]',
  STORE_UID_INVALID: 'UID is not digits and dots of at most 64 characters',
  STORE_UID_MISSING: 'Instance lacks its Study, Series or SOP Instance UID',
  STORE_READ_FAILED: 'Instance could not be read from the store',
  STORE_WRITE_FAILED: 'Instance could not be written to the store',
} as const;

export type DicomStoreCode = keyof typeof DicomStoreCodes;

export class DicomStoreError extends Error {
  readonly code: DicomStoreCode;
  constructor(code: DicomStoreCode, detail?: string) {
    super(detail ? `${DicomStoreCodes[code]}: ${detail}` : DicomStoreCodes[code]);
    this.name = 'DicomStoreError';
    this.code = code;
  }
}

/** The stable code of anything a DICOM store throws ('INTERNAL' for foreign errors). */
export function codeOf(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code)) {
    if (e.name === 'DicomStoreError' || e.name === 'DeidError') return e.code;
  }
  return 'INTERNAL';
}
