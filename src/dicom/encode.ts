import { DeidError } from '../core/errors.js';
import { ITEM, ITEM_DELIMITER, SEQUENCE_DELIMITER, UNDEFINED_LENGTH, formatTag } from './tags.js';
import type { ElementHeader } from './tokens.js';
import { hasLongLength } from './vr.js';

/** Group and element, 16 bits each (byte stores: cheaper than writeUInt16 calls until the code is optimized). */
function putTag(b: Buffer, tag: number, be: boolean): void {
  const group = tag >>> 16;
  const element = tag & 0xffff;
  if (be) {
    b[0] = group >>> 8;
    b[1] = group & 0xff;
    b[2] = element >>> 8;
    b[3] = element & 0xff;
  } else {
    b[0] = group & 0xff;
    b[1] = group >>> 8;
    b[2] = element & 0xff;
    b[3] = element >>> 8;
  }
}

/** The two VR letters at bytes 4-5 (byte stores: Buffer#write with an encoding costs a call into C++). */
function putVR(b: Buffer, vr: string): void {
  if (vr.length === 2) {
    b[4] = vr.charCodeAt(0) & 0xff;
    b[5] = vr.charCodeAt(1) & 0xff;
  } else {
    b.write(vr, 4, 'latin1');
  }
}

/**
 * Encodes an element header (PS3.5 7.1.2 explicit, 7.1.3 implicit) for the
 * given length. Throws DICOM_UNSUPPORTED when the length does not fit the
 * 16-bit length field of a short explicit VR.
 */
export function encodeHeader(h: Pick<ElementHeader, 'tag' | 'vr' | 'explicit' | 'bigEndian'>, length: number): Buffer {
  const be = h.bigEndian;
  // Pooled allocations (allocUnsafe): every byte is written below.
  if (!h.explicit) {
    const b = Buffer.allocUnsafe(8);
    putTag(b, h.tag, be);
    if (be) b.writeUInt32BE(length >>> 0, 4);
    else b.writeUInt32LE(length >>> 0, 4);
    return b;
  }
  if (hasLongLength(h.vr)) {
    const b = Buffer.allocUnsafe(12);
    putTag(b, h.tag, be);
    putVR(b, h.vr);
    b[6] = 0;
    b[7] = 0;
    if (be) b.writeUInt32BE(length >>> 0, 8);
    else b.writeUInt32LE(length >>> 0, 8);
    return b;
  }
  if (length > 0xffff || length === UNDEFINED_LENGTH) {
    throw new DeidError('DICOM_UNSUPPORTED', `value too long for VR ${h.vr} in ${formatTag(h.tag)}`);
  }
  const b = Buffer.allocUnsafe(8);
  putTag(b, h.tag, be);
  putVR(b, h.vr);
  if (be) b.writeUInt16BE(length, 6);
  else b.writeUInt16LE(length, 6);
  return b;
}

/** Item, item delimiter or sequence delimiter header (always tag + 32-bit length). */
export function encodeItemTag(tag: typeof ITEM | typeof ITEM_DELIMITER | typeof SEQUENCE_DELIMITER, length: number, bigEndian: boolean): Buffer {
  return encodeHeader({ tag, vr: '', explicit: false, bigEndian }, length);
}
