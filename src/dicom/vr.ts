/**
 * Value representation facts from PS3.5 section 6.2 and 7.1.2.
 */

/** VRs whose explicit-VR header has 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

const ALL_VRS = new Set([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FL', 'FD', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW',
  'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

/** String VRs padded with a trailing space to even length (PS3.5 6.2). */
const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UR', 'UT']);

/** The known VRs by their two bytes (first << 8 | second). */
const VR_BY_CODE = new Map<number, string>([...ALL_VRS].map((vr) => [(vr.charCodeAt(0) << 8) | vr.charCodeAt(1), vr]));

/** The VR whose two letters are at `b[at]`, `b[at + 1]`, or undefined if they are not a known VR. */
export function vrAt(b: Buffer, at: number): string | undefined {
  return VR_BY_CODE.get((b[at]! << 8) | b[at + 1]!);
}

/** The codes (as vrAt reads them) of the VRs with a 32-bit length. */
const LONG_CODES = new Set<number>([...LONG_VRS].map((vr) => (vr.charCodeAt(0) << 8) | vr.charCodeAt(1)));

/** hasLongLength of the VR whose two letters are at `b[at]`, `b[at + 1]`. */
export function longLengthAt(b: Buffer, at: number): boolean {
  return LONG_CODES.has((b[at]! << 8) | b[at + 1]!);
}

export function hasLongLength(vr: string): boolean {
  return LONG_VRS.has(vr);
}

export function isKnownVR(vr: string): boolean {
  return ALL_VRS.has(vr);
}

export function isTextVR(vr: string): boolean {
  return TEXT_VRS.has(vr);
}

/** VRs whose value is a character string (text VRs and UI). */
export function isStringVR(vr: string): boolean {
  return TEXT_VRS.has(vr) || vr === 'UI';
}

/** Padding byte for an odd-length value: space for text, NUL for UI and binary. */
export function padByte(vr: string): number {
  return TEXT_VRS.has(vr) ? 0x20 : 0x00;
}
