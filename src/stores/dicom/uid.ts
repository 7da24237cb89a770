import { DicomStoreError } from './codes.js';

// PS3.5 9.1: components of digits separated by dots, at most 64 characters.
// An empty component is refused too, so '..' or '.' can never be a UID.
const UID = /^[0-9]+(\.[0-9]+)*$/;

export function isValidUid(v: string): boolean {
  return v.length <= 64 && UID.test(v);
}

/** The UID itself, or STORE_UID_INVALID naming only which UID (`what`) failed. */
export function checkUid(v: string, what: string): string {
  if (!isValidUid(v)) throw new DicomStoreError('STORE_UID_INVALID', what);
  return v;
}
