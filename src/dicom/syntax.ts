import { DeidError } from '../core/errors.js';
import { isKnownVR, vrAt } from './vr.js';

/** How a dataset (or a nested sequence) is encoded. */
export interface Syntax {
  explicit: boolean;
  bigEndian: boolean;
}

export const IMPLICIT_LE: Syntax = Object.freeze({ explicit: false, bigEndian: false });
export const EXPLICIT_LE: Syntax = Object.freeze({ explicit: true, bigEndian: false });
export const EXPLICIT_BE: Syntax = Object.freeze({ explicit: true, bigEndian: true });

export const TS_IMPLICIT_LE = '1.2.840.10008.1.2';
export const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const TS_DEFLATED_LE = '1.2.840.10008.1.2.1.99';
export const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';

/** What a transfer syntax UID says about the dataset that follows the meta. */
export interface TransferSyntaxInfo {
  syntax: Syntax;
  deflated: boolean;
  encapsulated: boolean;
}

/**
 * PS3.5 section 10 and Annex A: every transfer syntax other than the three
 * native ones and deflate is explicit VR little endian with encapsulated
 * pixel data (JPEG family 1.2.840.10008.1.2.4.*, RLE 1.2.840.10008.1.2.5,
 * and later additions). An unknown UID outside the DICOM root is refused.
 */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo {
  switch (uid) {
    case TS_IMPLICIT_LE: return { syntax: IMPLICIT_LE, deflated: false, encapsulated: false };
    case TS_EXPLICIT_LE: return { syntax: EXPLICIT_LE, deflated: false, encapsulated: false };
    case TS_DEFLATED_LE: return { syntax: EXPLICIT_LE, deflated: true, encapsulated: false };
    case TS_EXPLICIT_BE: return { syntax: EXPLICIT_BE, deflated: false, encapsulated: false };
  }
  if (/^1\.2\.840\.10008\.1\.2\.(4|5|6|7|8)(\.|$)/.test(uid)) {
    // 1.2.840.10008.1.2.8.1 (deflated image frame compression) is not a
    // deflated dataset: only the frames are compressed.
    return { syntax: EXPLICIT_LE, deflated: false, encapsulated: true };
  }
  throw new DeidError('DICOM_UNSUPPORTED', 'unknown transfer syntax');
}

/**
 * Decides how a dataset is encoded from its first element header (at least
 * 6 bytes): an explicit header has a VR made of two upper-case letters at
 * bytes 4-5. Big endian is recognised by the group number: in a real
 * dataset the first group is small (0002..0008), so its high byte comes
 * first when the encoding is big endian.
 */
export function sniffSyntax(head: Buffer): Syntax {
  const vr = String.fromCharCode(head[4]!, head[5]!);
  const explicit = isKnownVR(vr);
  if (!explicit) return IMPLICIT_LE;
  const bigEndian = head[0] === 0 && head[1] !== 0;
  return bigEndian ? EXPLICIT_BE : EXPLICIT_LE;
}

/** True when the element header at `head` looks explicit (valid VR letters at bytes 4-5). */
export function looksExplicit(head: Buffer, at = 0): boolean {
  return vrAt(head, at + 4) !== undefined;
}
