import { DeidError } from '../core/errors.js';
import { implicitVR } from './dictionary.js';
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
 * A text value as its characters: UTF-8 when the dataset's Specific
 * Character Set says ISO_IR 192, else Latin-1 (the default repertoire and
 * ISO_IR 100 read alike). Trailing padding removed.
 */
export function valueChars(value: Buffer, utf8: boolean | undefined): string {
  return utf8 ? value.toString('utf8').replace(/[\0 ]+$/, '') : valueText(value);
}
