import { DeidError, ErrorCodes } from '../../core/errors.js';

/**
 * Codes of the DICOM store backends (defined with every other code in src/core/errors.ts). Stable: add new ones, never rename. The
 * shared ones have the same names and meaning as the FHIR stores' codes
 * (src/stores/codes.ts). Messages name codes, UIDs, paths and counts only.
 * Parse problems of the instance itself stay core DeidErrors
 * (DICOM_TRUNCATED, DICOM_MALFORMED, DICOM_UNSUPPORTED).
 */
export const DicomStoreCodes = {
  STORE_URI_INVALID: ErrorCodes.STORE_URI_INVALID,
  STORE_UNAVAILABLE: ErrorCodes.STORE_UNAVAILABLE,
  STORE_REJECTED: ErrorCodes.STORE_REJECTED,
  STORE_BAD_RESPONSE: ErrorCodes.STORE_BAD_RESPONSE,
  STORE_INSTANCE_NOT_FOUND: ErrorCodes.STORE_INSTANCE_NOT_FOUND,
  STORE_FILTER_INVALID: ErrorCodes.STORE_FILTER_INVALID,
  STORE_UID_INVALID: ErrorCodes.STORE_UID_INVALID,
  STORE_UID_MISSING: ErrorCodes.STORE_UID_MISSING,
  STORE_READ_FAILED: ErrorCodes.STORE_READ_FAILED,
  STORE_WRITE_FAILED: ErrorCodes.STORE_WRITE_FAILED,
  STORE_UNAUTHORIZED: ErrorCodes.STORE_UNAUTHORIZED,
  STORE_FORBIDDEN: ErrorCodes.STORE_FORBIDDEN,
  DICOM_DUPLICATE_SOP: ErrorCodes.DICOM_DUPLICATE_SOP,
} as const;

export type DicomStoreCode = keyof typeof DicomStoreCodes;

export class DicomStoreError extends DeidError {
  constructor(code: DicomStoreCode, detail?: string) {
    super(code, detail);
    this.name = 'DicomStoreError';
  }
}

/** The stable code of anything a DICOM store throws ('INTERNAL' for foreign errors). */
export function codeOf(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(e.code)) {
    if (e.name === 'DicomStoreError' || e.name === 'DeidError') return e.code;
  }
  return 'INTERNAL';
}
