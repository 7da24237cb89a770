/**
 * PS3.15 action D: "replace with a non-zero length value that may be a dummy
 * value and consistent with the VR". One fixed dummy per VR, valid for the VR's
 * length and character repertoire (PS3.5 6.2). Binary dummies are zeros of the
 * VR's value size, so their byte order does not matter.
 *
 * Returns undefined when no dummy makes sense (UN, UI handled elsewhere, SQ
 * handled by recursing): the caller then removes the element.
 */
const TEXT_DUMMY: Record<string, string> = {
  AE: 'ANONYMOUS',
  AS: '000D',
  CS: 'ANONYMIZED',
  DA: '19000101',
  DS: '0',
  DT: '19000101000000',
  IS: '0',
  LO: 'ANONYMIZED',
  LT: 'ANONYMIZED',
  // A family name component with its delimiter (PS3.5 6.2.1.1): a PN without
  // any "^" reads as the retired ACR-NEMA free-text form to validators.
  PN: 'ANONYMIZED^',
  SH: 'ANONYMIZED',
  ST: 'ANONYMIZED',
  TM: '000000',
  UC: 'ANONYMIZED',
  UR: 'http://example.invalid',
  UT: 'ANONYMIZED',
};

const BINARY_SIZE: Record<string, number> = {
  AT: 4, FL: 4, FD: 8, SL: 4, SS: 2, SV: 8, UL: 4, US: 2, UV: 8,
  OB: 2, OD: 8, OF: 4, OL: 4, OV: 8, OW: 2,
};

export function dummyValue(vr: string): string | Buffer | undefined {
  const t = TEXT_DUMMY[vr];
  if (t !== undefined) return t;
  const n = BINARY_SIZE[vr];
  if (n !== undefined) return Buffer.alloc(n);
  return undefined;
}
