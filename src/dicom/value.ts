import { DeidError } from '../core/errors.js';
import { implicitVR } from './dictionary.js';
import { textCodec } from './charset.js';
import { formatTag } from './tags.js';
import { isStringVR, padByte } from './vr.js';

/**
 * Turns a replacement into value bytes: strings are made ASCII-safe (any
 * character outside printable ASCII, other than the control characters
 * text VRs allow, becomes '?'), then the value is padded to even length with
 * the VR's padding byte (space for text, NUL for UI and binary; PS3.5 6.2).
 * For VR UN the dictionary VR decides (an explicit-VR file may label a
 * PatientName as UN).
 */
export function encodeReplacement(value: Buffer | string, vr: string, tag: number): Buffer {
  const effective = vr === 'UN' ? implicitVR(tag) : vr;
  let bytes: Buffer;
  if (typeof value === 'string') {
    if (!isStringVR(effective) && effective !== 'UN') {
      throw new DeidError('DICOM_UNSUPPORTED', `string replacement for binary VR ${effective} in ${formatTag(tag)}`);
    }
    bytes = Buffer.from(asciiSafe(value), 'latin1');
  } else {
    bytes = value;
  }
  if (bytes.length % 2 === 1) bytes = Buffer.concat([bytes, Buffer.of(padByte(effective))]);
  return bytes;
}

export function asciiSafe(s: string): string {
  // Printable ASCII plus TAB, LF, FF, CR (PS3.5 6.1.3 control characters for text VRs).
  return s.replace(/[^\x20-\x7e\t\n\f\r]/g, '?');
}

/** A value as text (Latin-1 bytes; trailing padding removed). For rules that read small values. */
export function valueText(value: Buffer): string {
  return value.toString('latin1').replace(/[\0 ]+$/, '');
}

/**
 * A text value's characters under the dataset's Specific Character Set
 * (0008,0005) as written (src/dicom/charset.ts), trailing padding removed;
 * undefined when the bytes cannot be read under it.
 */
export function decodeValue(value: Buffer, charset: string | undefined): string | undefined {
  return textCodec(charset).decode(value)?.replace(/[\0 ]+$/, '');
}

/**
 * decodeValue, or the bytes read as Latin-1 when they cannot be decoded: for
 * values that are only hashed or looked for (PatientID, context values), never
 * written back.
 */
export function valueChars(value: Buffer, charset: string | undefined): string {
  return decodeValue(value, charset) ?? valueText(value);
}
