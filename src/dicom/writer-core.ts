import { DeidError } from '../core/errors.js';
import { encodeHeader, encodeItemTag } from './encode.js';
import {
  ITEM_DELIMITER, MEDIA_STORAGE_SOP_INSTANCE_UID, META_GROUP_LENGTH, SEQUENCE_DELIMITER, UNDEFINED_LENGTH,
} from './tags.js';
import type { DicomToken, ElementHeader, MetaToken } from './tokens.js';
import { encodeReplacement, valueText } from './value.js';

export interface WriterOptions {
  /** New (0002,0003) MediaStorageSOPInstanceUID: a UID, or a function of the old one. */
  mediaStorageSOPInstanceUID?: string | ((old: string | undefined) => string);
  /** zlib level for a deflated dataset (default 6). */
  deflateLevel?: number;
}

interface Frame {
  /** Length promised by the header written; -1 when written with undefined length. */
  promised: number;
  written: number;
  /** Delimiter to write at the end when the header said undefined length. */
  delimiterTag: typeof ITEM_DELIMITER | typeof SEQUENCE_DELIMITER;
  bigEndian: boolean;
}

/**
 * The pure writer: tokens in, bytes out through `emit(bytes, inDataset)`.
 * Headers that still carry their `raw` bytes are written as read; others are
 * encoded. Sequences and items are written with undefined length when an
 * editor asked for it (their content changed size), and every container
 * written with a defined length is checked to hold exactly that many bytes,
 * so a wrong length can never reach the output silently.
 */
export class WriterCore {
  private frames: Frame[] = [];
  private valueLeft = 0;
  private inValue = false;
  private inDataset = false;
  deflated = false;

  constructor(
    private readonly emitBytes: (b: Buffer, inDataset: boolean) => void,
    private readonly opts: WriterOptions = {},
  ) {}

  private emit(b: Buffer): void {
    if (b.length === 0) return;
    for (const f of this.frames) f.written += b.length;
    this.emitBytes(b, this.inDataset);
  }

  write(t: DicomToken): void {
    switch (t.type) {
      case 'preamble': return this.emit(t.bytes);
      case 'meta': return this.emit(this.metaBytes(t));
      case 'dataset':
        this.inDataset = true;
        this.deflated = t.deflated;
        return;
      case 'element':
        this.emit(this.header(t.header, t.value.length));
        return this.emit(t.value);
      case 'fragment':
        this.emit(this.header(t.header, t.value.length));
        return this.emit(t.value);
      case 'valueStart':
        if (t.header.length === UNDEFINED_LENGTH) throw new DeidError('INTERNAL', 'streamed value without length');
        this.emit(this.header(t.header, t.header.length));
        this.valueLeft = t.header.length;
        this.inValue = true;
        return;
      case 'valueChunk':
        if (!this.inValue || t.bytes.length > this.valueLeft) throw new DeidError('INTERNAL', 'value chunk outside its value');
        this.valueLeft -= t.bytes.length;
        return this.emit(t.bytes);
      case 'valueEnd':
        if (this.valueLeft !== 0) throw new DeidError('INTERNAL', 'value shorter than its length');
        this.inValue = false;
        return;
      case 'sequenceStart':
        return this.open(t.header, t.undefinedLength === true, SEQUENCE_DELIMITER);
      case 'itemStart':
        return this.open(t.header, t.undefinedLength === true, ITEM_DELIMITER);
      case 'sequenceEnd':
      case 'itemEnd':
        return this.close(t.delimiter);
      case 'fragmentsStart':
        return this.emit(this.header(t.header, UNDEFINED_LENGTH));
      case 'fragmentsEnd':
        return this.emit(t.delimiter);
    }
  }

  /** Throws unless every container was closed (the token stream was complete). */
  end(): void {
    if (this.frames.length > 0 || this.inValue) throw new DeidError('DICOM_TRUNCATED', 'token stream ended inside a container');
  }

  private header(h: ElementHeader, length: number): Buffer {
    if (h.raw && h.length === length) return h.raw;
    return encodeHeader(h, length);
  }

  private open(h: ElementHeader, forceUndefined: boolean, delimiterTag: Frame['delimiterTag']): void {
    const undef = forceUndefined || h.length === UNDEFINED_LENGTH;
    const bytes = undef && h.length !== UNDEFINED_LENGTH
      ? (h.vr === '' ? encodeItemTag(h.tag as 0xfffee000, UNDEFINED_LENGTH, h.bigEndian) : encodeHeader(h, UNDEFINED_LENGTH))
      : this.header(h, h.length);
    this.emit(bytes);
    this.frames.push({ promised: undef ? -1 : h.length, written: 0, delimiterTag, bigEndian: h.bigEndian });
  }

  private close(delimiter: Buffer | undefined): void {
    const f = this.frames.pop();
    if (!f) throw new DeidError('INTERNAL', 'container end without start');
    if (f.promised === -1) {
      this.emit(delimiter ?? encodeItemTag(f.delimiterTag, 0, f.bigEndian));
    } else if (f.written !== f.promised) {
      throw new DeidError('INTERNAL', 'container content does not match its defined length');
    }
  }

  private metaBytes(t: MetaToken): Buffer {
    const opt = this.opts.mediaStorageSOPInstanceUID;
    if (opt === undefined) return t.raw;
    const parts: Buffer[] = [];
    let hasUid = false;
    for (const e of t.elements) {
      if (e.header.tag === META_GROUP_LENGTH) continue;
      if (e.header.tag === MEDIA_STORAGE_SOP_INSTANCE_UID) {
        hasUid = true;
        parts.push(...this.uidElement(typeof opt === 'string' ? opt : opt(valueText(e.value))));
        continue;
      }
      parts.push(this.header(e.header, e.value.length), e.value);
    }
    if (!hasUid) {
      // Keep the group in ascending tag order: (0002,0003) goes after (0002,0002) at most.
      const uid = this.uidElement(typeof opt === 'string' ? opt : opt(undefined));
      const at = t.elements.filter((e) => e.header.tag !== META_GROUP_LENGTH && e.header.tag < MEDIA_STORAGE_SOP_INSTANCE_UID).length * 2;
      parts.splice(at, 0, ...uid);
    }
    const body = Buffer.concat(parts);
    const gl = Buffer.alloc(4);
    gl.writeUInt32LE(body.length, 0);
    const glHeader = encodeHeader({ tag: META_GROUP_LENGTH, vr: 'UL', explicit: true, bigEndian: false }, 4);
    return Buffer.concat([glHeader, gl, body]);
  }

  private uidElement(uid: string): Buffer[] {
    if (!/^[0-9.]{1,64}$/.test(uid)) throw new DeidError('CONFIG_INVALID', 'MediaStorageSOPInstanceUID is not a valid UID');
    const value = encodeReplacement(uid, 'UI', MEDIA_STORAGE_SOP_INSTANCE_UID);
    return [encodeHeader({ tag: MEDIA_STORAGE_SOP_INSTANCE_UID, vr: 'UI', explicit: true, bigEndian: false }, value.length), value];
  }
}
