import { DeidError, ErrorCodes } from '../core/errors.js';

/** The store backends' codes (defined with every other code in src/core/errors.ts). */
export const StoreCodes = {
  STORE_URI_INVALID: ErrorCodes.STORE_URI_INVALID,
  STORE_UNAVAILABLE: ErrorCodes.STORE_UNAVAILABLE,
  STORE_REJECTED: ErrorCodes.STORE_REJECTED,
  STORE_BAD_RESPONSE: ErrorCodes.STORE_BAD_RESPONSE,
  STORE_RESOURCE_NOT_FOUND: ErrorCodes.STORE_RESOURCE_NOT_FOUND,
  STORE_INVALID_RESOURCE: ErrorCodes.STORE_INVALID_RESOURCE,
  STORE_ABORTED: ErrorCodes.STORE_ABORTED,
  STORE_UNAUTHORIZED: ErrorCodes.STORE_UNAUTHORIZED,
  STORE_FORBIDDEN: ErrorCodes.STORE_FORBIDDEN,
} as const;

export type StoreCode = keyof typeof StoreCodes;

/** Error raised by a store for run-level problems (bad URI, store unreachable at open). */
export class StoreError extends DeidError {
  constructor(code: StoreCode, detail?: string) {
    super(code, detail);
    this.name = 'StoreError';
  }
}
