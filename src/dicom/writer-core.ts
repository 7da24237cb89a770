import { DeidError } from '../core/errors.js';
import { encodeHeader, encodeItemTag } from './encode.js';
import {
  ITEM_DELIMITER, MEDIA_STORAGE_SOP_INSTANCE_UID, META_GROUP_LENGTH, SEQUENCE_DELIMITER, UNDEFINED_LENGTH,
} from './tags.js';
import type { DatasetToken, DicomToken, ElementHeader, MetaToken } from './tokens.js';
import { encodeReplacement, valueText } from './value.js';
import { TS_DEFLATED_LE, TS_EXPLICIT_LE, TS_IMPLICIT_LE, transferSyntaxInfo } from './syntax.js';
import { hasLongLength, isKnownVR, isStringVR } from './vr.js';
import { TRANSFER_SYNTAX_UID, formatTag } from './tags.js';
import { implicitVR } from './dictionary.js';

export interface WriterOptions {
  /** New (0002,0003) MediaStorageSOPInstanceUID: a UID, or a function of the old one. */
  mediaStorageSOPInstanceUID?: string | ((old: string | undefined) => string);
  /**
   * Other file meta elements to set (tag → text, encoded with the VR PS3.6
   * gives the tag) or, with null, to remove. The group is kept in ascending
   * tag order and its group length recomputed.
   */
  metaElements?: ReadonlyMap<number, string | null>;
  /**
   * When given, the file meta elements it rejects are removed (the group
   * length is always recomputed); metaElements still sets its own.
   */
  keepMetaElement?: (tag: number) => boolean;
  /**
   * Write the 128-byte preamble as zeros (PS3.10 7.1: what a file whose
   * preamble no application profile uses carries) instead of as read: it may
   * hold anything, e.g. the TIFF header of a dual-personality file.
   */
  clearPreamble?: boolean;
  /** zlib level for a deflated dataset (default 6). */
  deflateLevel?: number;
  /**
   * Transfer syntax to write. Without it the dataset keeps the syntax it came
   * in. Conversion is supported between implicit VR LE, explicit VR LE and
   * deflated explicit VR LE; anything else (big endian, encapsulated) can only
   * be kept, and asking to change it fails with DICOM_UNSUPPORTED.
   */
  transferSyntax?: string;
}

const NATIVE_LE = new Set([TS_IMPLICIT_LE, TS_EXPLICIT_LE, TS_DEFLATED_LE]);
const CLEAR_PREAMBLE = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1')]);

interface Frame {
  /** Length promised by the header written; -1 when written with undefined length. */
  promised: number;
  written: number;
  /** Delimiter to write at the end when the header said undefined length. */
  delimiterTag: typeof ITEM_DELIMITER | typeof SEQUENCE_DELIMITER;
  bigEndian: boolean;
  /** Encoding of the elements inside (when transcoding). */
  childExplicit: boolean;
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
  /** Writing with the other VR encoding than the source: headers are re-encoded. */
  private transcode = false;
  private targetExplicit = true;

  constructor(
    private readonly emitBytes: (b: Buffer, inDataset: boolean) => void,
    private readonly opts: WriterOptions = {},
  ) {}

  private emit(b: Buffer): void {
    if (b.length === 0) return;
    // Indexed: called twice per element, mostly with no frame, and for-of allocates until optimized.
    const frames = this.frames;
    for (let i = 0; i < frames.length; i++) frames[i]!.written += b.length;
    this.emitBytes(b, this.inDataset);
  }

  write(t: DicomToken): void {
    switch (t.type) {
      case 'preamble': return this.emit(this.opts.clearPreamble ? CLEAR_PREAMBLE : t.bytes);
      case 'meta':
        // Held until the dataset says how it is really encoded (see declaredSyntax).
        this.hadMeta = true;
        this.pendingMeta = t;
        return;
      case 'dataset':
        if (this.pendingMeta) {
          const meta = this.pendingMeta;
          this.pendingMeta = undefined;
          this.emit(this.metaBytes(meta, declaredSyntax(t)));
        }
        this.inDataset = true;
        this.deflated = t.deflated;
        this.target(t.syntax, t.deflated, t.transferSyntaxUID);
        // Implicit VR bytes under a meta naming an explicit VR syntax the meta cannot be made to
        // drop (JPEG, RLE, deflated: every syntax but implicit VR LE is explicit VR, PS3.5 A.4):
        // the dataset is written explicit, as its syntax says, for readers that trust the meta.
        if (this.opts.transferSyntax === undefined && mustBecomeExplicit(t)) {
          this.targetExplicit = true;
          this.transcode = true;
        }
        return;
      case 'element':
        // Group lengths (retired outside group 0002) would be wrong once headers change size.
        if (this.transcode && (t.header.tag & 0xffff) === 0 && t.header.tag >>> 16 !== 0x0002) return;
        this.emit(this.valueHeader(t.header, t.value.length, 'value'));
        return this.emit(t.value);
      case 'fragment':
        this.emit(this.header(t.header, t.value.length));
        return this.emit(t.value);
      case 'valueStart':
        if (t.header.length === UNDEFINED_LENGTH) throw new DeidError('INTERNAL', 'streamed value without length');
        this.emit(t.fragment === undefined ? this.valueHeader(t.header, t.header.length, 'value') : this.header(t.header, t.header.length));
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
        return this.emit(this.valueHeader(t.header, UNDEFINED_LENGTH, 'fragments'));
      case 'fragmentsEnd':
        return this.emit(t.delimiter);
    }
  }

  /** Throws unless every container was closed (the token stream was complete). */
  end(): void {
    if (this.frames.length > 0 || this.inValue || this.pendingMeta) throw new DeidError('DICOM_TRUNCATED', 'token stream ended inside a container');
  }

  private header(h: ElementHeader, length: number): Buffer {
    if (h.raw && h.length === length) return h.raw;
    return encodeHeader(h, length);
  }

  /** The encoding elements must have in the current container (when transcoding). */
  private dst(): boolean {
    const top = this.frames[this.frames.length - 1];
    return top ? top.childExplicit : this.targetExplicit;
  }

  /** Header bytes of an element, re-encoded for the target VR encoding when transcoding. */
  private valueHeader(h: ElementHeader, length: number, kind: 'value' | 'sequence' | 'fragments'): Buffer {
    const c = this.converted(h, length, kind);
    return c ? encodeHeader(c, length) : this.header(h, length);
  }

  private converted(h: ElementHeader, length: number, kind: 'value' | 'sequence' | 'fragments'): ElementHeader | undefined {
    if (!this.transcode) return undefined;
    const dst = this.dst();
    if (h.explicit === dst) return undefined;
    let vr = h.vr;
    if (dst) {
      if (kind === 'sequence') vr = 'SQ';
      else if (kind === 'fragments') vr = 'OB';
      else if (!isKnownVR(vr)) vr = 'UN';
      if (!hasLongLength(vr) && length > 0xffff) vr = 'UN';
    }
    return { tag: h.tag, vr, length, explicit: dst, bigEndian: false };
  }

  private open(h: ElementHeader, forceUndefined: boolean, delimiterTag: Frame['delimiterTag']): void {
    // Transcoding changes header sizes, so every container gets undefined length.
    const undef = forceUndefined || this.transcode || h.length === UNDEFINED_LENGTH;
    const isItem = h.vr === '';
    const conv = isItem ? undefined : this.converted(h, UNDEFINED_LENGTH, 'sequence');
    const written = conv ?? h;
    let bytes: Buffer;
    if (conv) bytes = encodeHeader(conv, UNDEFINED_LENGTH);
    else if (undef && h.length !== UNDEFINED_LENGTH) bytes = isItem ? encodeItemTag(h.tag as 0xfffee000, UNDEFINED_LENGTH, h.bigEndian) : encodeHeader(h, UNDEFINED_LENGTH);
    else bytes = this.header(h, h.length);
    // PS3.5 6.2.2: an explicit UN sequence holds implicit VR LE items.
    const childExplicit = !isItem && written.explicit && written.vr === 'UN' ? false : this.dst();
    this.emit(bytes);
    this.frames.push({ promised: undef ? -1 : h.length, written: 0, delimiterTag, bigEndian: h.bigEndian, childExplicit });
  }

  /** Decides how the dataset is written; refuses conversions that need more than header changes. */
  private target(src: { explicit: boolean; bigEndian: boolean }, srcDeflated: boolean, srcUid: string | undefined): void {
    const want = this.opts.transferSyntax;
    if (want === undefined) return;
    const encapsulated = srcUid !== undefined && transferSyntaxInfo(srcUid).encapsulated;
    const same = srcUid === want || (!srcUid && !srcDeflated && want === (src.bigEndian ? '1.2.840.10008.1.2.2' : src.explicit ? TS_EXPLICIT_LE : TS_IMPLICIT_LE));
    if (same) return;
    if (src.bigEndian || encapsulated || !NATIVE_LE.has(want)) {
      throw new DeidError('DICOM_UNSUPPORTED', 'transfer syntax conversion');
    }
    if (want === TS_DEFLATED_LE && !this.hadMeta) throw new DeidError('DICOM_UNSUPPORTED', 'deflated output needs a file meta');
    this.targetExplicit = want !== TS_IMPLICIT_LE;
    this.transcode = this.targetExplicit !== src.explicit;
    this.deflated = want === TS_DEFLATED_LE;
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

  private hadMeta = false;
  private pendingMeta: MetaToken | undefined;

  private metaBytes(t: MetaToken, actual: string | undefined): Buffer {
    const opt = this.opts.mediaStorageSOPInstanceUID;
    const ts = this.opts.transferSyntax ?? actual;
    const changeTs = ts !== undefined && ts !== t.transferSyntaxUID;
    const edits = this.opts.metaElements ?? new Map<number, string | null>();
    const current = new Map(t.elements.map((e) => [e.header.tag, e] as const));
    const editsChange = [...edits].some(([tag, v]) => {
      const e = current.get(tag);
      return v === null ? e !== undefined : e === undefined || valueText(e.value) !== v;
    });
    const keep = this.opts.keepMetaElement;
    const dropped = keep !== undefined && t.elements.some((e) => e.header.tag !== META_GROUP_LENGTH && !keep(e.header.tag));
    if (opt === undefined && !changeTs && !editsChange && !dropped && !this.groupLengthWrong(t)) return t.raw;
    const parts = new Map<number, Buffer[]>();
    for (const e of t.elements) {
      if (e.header.tag === META_GROUP_LENGTH || (keep && !keep(e.header.tag))) continue;
      parts.set(e.header.tag, [this.header(e.header, e.value.length), e.value]);
    }
    if (changeTs) parts.set(TRANSFER_SYNTAX_UID, this.uidElement(TRANSFER_SYNTAX_UID, ts!));
    if (opt !== undefined) {
      const old = current.get(MEDIA_STORAGE_SOP_INSTANCE_UID);
      const uid = typeof opt === 'string' ? opt : opt(old ? valueText(old.value) : undefined);
      parts.set(MEDIA_STORAGE_SOP_INSTANCE_UID, this.uidElement(MEDIA_STORAGE_SOP_INSTANCE_UID, uid));
    }
    for (const [tag, v] of edits) {
      if (tag >>> 16 !== 0x0002 || tag === META_GROUP_LENGTH) throw new DeidError('INTERNAL', `${formatTag(tag)} is not a file meta element`);
      if (v === null) parts.delete(tag);
      else parts.set(tag, this.textElement(tag, v));
    }
    const body = Buffer.concat([...parts].sort((a, b) => a[0] - b[0]).flatMap(([, p]) => p));
    const gl = Buffer.alloc(4);
    gl.writeUInt32LE(body.length, 0);
    const glHeader = encodeHeader({ tag: META_GROUP_LENGTH, vr: 'UL', explicit: true, bigEndian: false }, 4);
    return Buffer.concat([glHeader, gl, body]);
  }

  /** A group length that disagrees with the group is recomputed rather than copied. */
  private groupLengthWrong(t: MetaToken): boolean {
    const gl = t.elements.find((e) => e.header.tag === META_GROUP_LENGTH);
    if (!gl || gl.value.length !== 4) return false;
    const actual = t.elements.reduce((n, e) => (e === gl ? n : n + (e.header.raw?.length ?? 0) + e.value.length), 0);
    return gl.value.readUInt32LE(0) !== actual;
  }

  /** A text meta element (UI, SH, AE...) with the VR PS3.6 gives its tag. */
  private textElement(tag: number, text: string): Buffer[] {
    const vr = implicitVR(tag);
    if (vr === 'UI') return this.uidElement(tag, text);
    if (!isStringVR(vr)) throw new DeidError('INTERNAL', `${formatTag(tag)} is not a text element`);
    const value = encodeReplacement(text, vr, tag);
    return [encodeHeader({ tag, vr, explicit: true, bigEndian: false }, value.length), value];
  }

  private uidElement(tag: number, uid: string): Buffer[] {
    if (!/^[0-9.]{1,64}$/.test(uid)) throw new DeidError('CONFIG_INVALID', `${tag === TRANSFER_SYNTAX_UID ? 'TransferSyntaxUID' : 'MediaStorageSOPInstanceUID'} is not a valid UID`);
    const value = encodeReplacement(uid, 'UI', tag);
    return [encodeHeader({ tag, vr: 'UI', explicit: true, bigEndian: false }, value.length), value];
  }
}

const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';

/**
 * Whether a dataset read as implicit VR is under a meta naming a syntax that
 * declaredSyntax cannot replace and that is explicit VR (every syntax but
 * implicit VR little endian, PS3.5 A.4: JPEG, RLE, deflated...): it must be
 * written explicit.
 */
function mustBecomeExplicit(t: DatasetToken): boolean {
  return t.transferSyntaxUID !== undefined && t.transferSyntaxUID !== TS_IMPLICIT_LE && !t.syntax.explicit && !t.syntax.bigEndian && declaredSyntax(t) === undefined;
}

/**
 * The transfer syntax the meta must name for the dataset as the tokenizer
 * found it: a native little endian dataset whose bytes are implicit where the
 * meta says explicit VR, or the reverse, is read by the bytes, and the meta
 * is made to say so (readers that trust the meta could not read it
 * otherwise); a meta without one names the syntax found. Undefined: the
 * meta's stays.
 */
function declaredSyntax(t: DatasetToken): string | undefined {
  // A meta without (0002,0010) (Type 1, PS3.10 7.1) gets the syntax the dataset was read in.
  if (t.transferSyntaxUID === undefined) return t.syntax.bigEndian ? TS_EXPLICIT_BE : t.syntax.explicit ? TS_EXPLICIT_LE : TS_IMPLICIT_LE;
  if (t.syntax.bigEndian) return undefined;
  if (t.transferSyntaxUID === TS_IMPLICIT_LE && t.syntax.explicit) return TS_EXPLICIT_LE;
  if (t.transferSyntaxUID === TS_EXPLICIT_LE && !t.syntax.explicit) return TS_IMPLICIT_LE;
  return undefined;
}
