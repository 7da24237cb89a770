// Hand-built DICOM bytes for tests that need what no writer makes: explicit VR
// little endian elements of any VR (padded to even length), implicit VR
// elements, items of defined length, and a part-10 file around them.
import { TokenizerCore } from '../../src/dicom/tokenizer-core.js';
import type { DicomToken } from '../../src/dicom/tokens.js';

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/** Explicit VR little endian element bytes; `length` overrides the length written in the header. */
export function el(tag: number, vr: string, value: Buffer | string, length?: number): Buffer {
  let v = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (v.length % 2) v = Buffer.concat([v, Buffer.from(vr === 'UI' || vr === 'OB' || vr === 'UN' ? '\0' : ' ')]);
  const long = LONG_VRS.has(vr);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(tag >>> 16, 0);
  h.writeUInt16LE(tag & 0xffff, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE((length ?? v.length) >>> 0, 8);
  else h.writeUInt16LE(length ?? v.length, 6);
  return Buffer.concat([h, v]);
}

/** Implicit VR little endian element bytes. */
export function iel(tag: number, value: string): Buffer {
  const v = Buffer.from(value.length % 2 ? `${value} ` : value, 'latin1');
  const h = Buffer.alloc(8);
  h.writeUInt16LE(tag >>> 16, 0);
  h.writeUInt16LE(tag & 0xffff, 2);
  h.writeUInt32LE(v.length, 4);
  return Buffer.concat([h, v]);
}

/** An item of defined length holding `body`. */
export function item(body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16LE(0xfffe, 0);
  h.writeUInt16LE(0xe000, 2);
  h.writeUInt32LE(body.length, 4);
  return Buffer.concat([h, body]);
}

export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/**
 * A part-10 file: preamble, file meta for `sopClass` (explicit VR LE, the
 * group length computed, `extraMeta` after the standard elements) and the
 * dataset elements as given (their order is the caller's).
 */
export function part10(dataset: Buffer[], opts: { sopClass?: string; extraMeta?: Buffer[] } = {}): Buffer {
  const metaBody = Buffer.concat([
    el(0x00020001, 'OB', Buffer.from([0, 1])),
    el(0x00020002, 'UI', opts.sopClass ?? CT_IMAGE_STORAGE),
    el(0x00020003, 'UI', '1.2.3.4.5.6'),
    el(0x00020010, 'UI', '1.2.840.10008.1.2.1'),
    ...(opts.extraMeta ?? []),
  ]);
  const gl = Buffer.alloc(4);
  gl.writeUInt32LE(metaBody.length, 0);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), el(0x00020000, 'UL', gl), metaBody, ...dataset]);
}

/**
 * A small CT instance (SOP class and instance, modality, patient name and ID,
 * study and series) followed by `extra` elements, in the caller's order.
 */
export function ctInstance(extra: Buffer[], opts: { patientName?: string; patientId?: string; sopClass?: string; extraMeta?: Buffer[] } = {}): Buffer {
  const sopClass = opts.sopClass ?? CT_IMAGE_STORAGE;
  return part10(
    [
      el(0x00080016, 'UI', sopClass),
      el(0x00080018, 'UI', '1.2.3.4.5.6'),
      el(0x00080060, 'CS', 'CT'),
      el(0x00100010, 'PN', opts.patientName ?? 'Doe^John'),
      el(0x00100020, 'LO', opts.patientId ?? 'MRN-1'),
      el(0x0020000d, 'UI', '1.2.3.4'),
      el(0x0020000e, 'UI', '1.2.3.4.5'),
      ...extra,
    ],
    { sopClass, extraMeta: opts.extraMeta },
  );
}

/** `base` (a part-10 file) with `extra` top-level elements inserted at their place in tag order (tags ascending). */
export function withElements(base: Buffer, extra: Array<[number, Buffer]>): Buffer {
  const tok = new TokenizerCore({ shareInput: true });
  tok.feed(base);
  tok.end();
  const meta = tok.out.find((x) => x.type === 'meta') as Extract<DicomToken, { type: 'meta' }>;
  const start = 132 + meta.raw.length;
  const parts: Buffer[] = [];
  let at = 0;
  let next = 0;
  for (const x of tok.out) {
    if (!('header' in x) || !('path' in x) || x.path.length !== 0 || x.type === 'itemStart') continue;
    while (next < extra.length && extra[next]![0] < x.header.tag) {
      const off = start + x.header.offset!;
      parts.push(base.subarray(at, off), extra[next]![1]);
      at = off;
      next++;
    }
  }
  parts.push(base.subarray(at));
  for (; next < extra.length; next++) parts.push(extra[next]![1]);
  return Buffer.concat(parts);
}

/** How many times `needle` occurs in `hay` (overlaps counted). */
export function count(hay: Buffer, needle: Buffer | string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}
