/**
 * Codes of the store backends, to be merged into src/core/errors.ts
 * ErrorCodes. Stable: add new ones, never rename. Messages carry no record
 * content.
 */
export const StoreCodes = {
  STORE_URI_INVALID: 'Store URI is not valid',
  STORE_UNAVAILABLE: 'Store could not be reached after retries',
  STORE_REJECTED: 'Store rejected the record',
  STORE_BAD_RESPONSE: 'Store answered with a response that could not be understood',
  STORE_RESOURCE_NOT_FOUND: 'Requested resource is not in the store',
  STORE_INVALID_RESOURCE: 'Record has no valid resourceType and id to store it by',
} as const;

export type StoreCode = keyof typeof StoreCodes;

/** Error raised by a store for run-level problems (bad URI, store unreachable at open). */
export class StoreError extends Error {
  readonly code: StoreCode;
  constructor(code: StoreCode, detail?: string) {
    super(detail ? `${StoreCodes[code]}: ${detail}` : StoreCodes[code]);
    this.name = 'StoreError';
    this.code = code;
  }
}
