import { DeidError } from '../core/errors.js';
import { keywordOf } from './dictionary.js';
import type { EditDecision, EditorOptions, EditRule, ElementView } from './edit.js';
import { UNDEFINED_LENGTH, formatTag, isPrivateTag } from './tags.js';
import type {
  DicomToken, ElementHeader, ElementToken, ItemStartToken, Path, SequenceStartToken,
} from './tokens.js';
import { encodeReplacement } from './value.js';

function view(header: ElementHeader, kind: ElementView['kind'], value: Buffer | undefined): ElementView {
  return {
    tag: header.tag,
    keyword: keywordOf(header.tag),
    vr: header.vr,
    length: header.length,
    kind,
    value,
    isPrivate: isPrivateTag(header.tag),
    bigEndian: header.bigEndian,
  };
}

function replaced(header: ElementHeader, path: Path, bytes: Buffer | string): ElementToken {
  const value = encodeReplacement(bytes, header.vr, header.tag);
  const h: ElementHeader = { tag: header.tag, vr: header.vr, length: value.length, explicit: header.explicit, bigEndian: header.bigEndian };
  return { type: 'element', header: h, path, value };
}

interface OpenFrame {
  start: SequenceStartToken | ItemStartToken;
  edited: boolean;
  /** Its start token has been passed on: its length can no longer change. */
  committed: boolean;
}

/**
 * Applies a rule to a token stream. Pure apart from the bounded buffer it
 * keeps for defined-length sequences: their tokens are held until the
 * sequence ends, so that a sequence whose content did not change keeps its
 * exact bytes and one that changed is rewritten with undefined length.
 */
export class EditorCore {
  readonly out: DicomToken[] = [];
  private frames: OpenFrame[] = [];
  private buffer: DicomToken[] | null = null;
  private bufferRoot = -1;
  private bufferedBytes = 0;
  /** What to drop: nothing, a value's chunks, a sequence (depth count), or fragments. */
  private skip: { kind: 'value' } | { kind: 'sequence'; depth: number } | { kind: 'fragments' } | null = null;
  private readonly maxBuffered: number;

  constructor(private readonly rule: EditRule, opts: EditorOptions = {}) {
    this.maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
  }

  write(t: DicomToken): void {
    if (this.skip) return this.skipToken(t);
    switch (t.type) {
      case 'element': {
        if (t.unreadable) {
          this.decide(t.header, 'unreadable', undefined, t.path);
          this.markEdited();
          return;
        }
        const d = this.decide(t.header, 'value', t.value, t.path);
        if (d === 'keep') return this.pass(t);
        this.markEdited();
        if (d === 'remove') return;
        return this.pass(replaced(t.header, t.path, d.replace));
      }
      case 'valueStart': {
        if (t.fragment !== undefined) return this.pass(t);
        const d = this.decide(t.header, 'value', undefined, t.path);
        if (d === 'keep') return this.pass(t);
        this.markEdited();
        this.skip = { kind: 'value' };
        if (d !== 'remove') this.pass(replaced(t.header, t.path, d.replace));
        return;
      }
      case 'sequenceStart': {
        const d = this.decide(t.header, 'sequence', undefined, t.path);
        if (d === 'keep') return this.open({ ...t });
        this.markEdited();
        this.skip = { kind: 'sequence', depth: 1 };
        if (d !== 'remove') {
          const h: ElementHeader = { ...t.header, length: 0 };
          delete h.raw;
          this.pass({ type: 'sequenceStart', header: h, path: t.path });
          this.pass({ type: 'sequenceEnd' });
        }
        return;
      }
      case 'itemStart':
        return this.open({ ...t });
      case 'sequenceEnd':
      case 'itemEnd':
        return this.close(t);
      case 'fragmentsStart': {
        const d = this.decide(t.header, 'fragments', undefined, t.path);
        if (d === 'keep') return this.pass(t);
        if (d !== 'remove') throw new DeidError('DICOM_UNSUPPORTED', `replacing encapsulated ${formatTag(t.header.tag)}`);
        this.markEdited();
        this.skip = { kind: 'fragments' };
        return;
      }
      default:
        return this.pass(t);
    }
  }

  /** Flushes whatever is held (the stream ended). */
  end(): void {
    if (this.buffer) this.flush();
  }

  private decide(header: ElementHeader, kind: ElementView['kind'], value: Buffer | undefined, path: Path): EditDecision {
    const d = this.rule(view(header, kind, value), path);
    if (d === 'keep' || d === 'remove') return d;
    if (d && typeof d === 'object' && 'replace' in d) return d;
    throw new DeidError('INTERNAL', `rule returned no decision for ${formatTag(header.tag)}`);
  }

  private skipToken(t: DicomToken): void {
    const s = this.skip!;
    if (s.kind === 'value') {
      if (t.type === 'valueEnd') this.skip = null;
    } else if (s.kind === 'fragments') {
      if (t.type === 'fragmentsEnd') this.skip = null;
    } else if (t.type === 'sequenceStart') {
      s.depth++;
    } else if (t.type === 'sequenceEnd' && --s.depth === 0) {
      this.skip = null;
    }
  }

  private pass(t: DicomToken): void {
    if (!this.buffer) {
      this.out.push(t);
      return;
    }
    this.buffer.push(t);
    this.bufferedBytes += tokenBytes(t);
    if (this.bufferedBytes > this.maxBuffered) this.spill();
  }

  private open(t: SequenceStartToken | ItemStartToken): void {
    const defined = t.header.length !== UNDEFINED_LENGTH;
    if (defined && !this.buffer) {
      this.buffer = [];
      this.bufferRoot = this.frames.length;
      this.bufferedBytes = 0;
    }
    this.frames.push({ start: t, edited: false, committed: !this.buffer });
    this.pass(t);
  }

  private close(t: DicomToken): void {
    const f = this.frames.pop();
    if (!f) throw new DeidError('DICOM_MALFORMED', 'container end without start');
    if (!f.committed && f.edited && f.start.header.length !== UNDEFINED_LENGTH) f.start.undefinedLength = true;
    this.pass(t);
    if (this.buffer && this.frames.length === this.bufferRoot) this.flush();
  }

  /** A change at the current depth changes the length of every enclosing container. */
  private markEdited(): void {
    const frames = this.frames;
    for (let i = 0; i < frames.length; i++) frames[i]!.edited = true;
  }

  /** Too much held: commit the open containers to undefined length and pass everything on. */
  private spill(): void {
    for (const f of this.frames) {
      if (!f.committed) {
        if (f.start.header.length !== UNDEFINED_LENGTH) f.start.undefinedLength = true;
        f.committed = true;
      }
    }
    this.flush();
  }

  private flush(): void {
    const b = this.buffer!;
    this.buffer = null;
    this.bufferRoot = -1;
    this.bufferedBytes = 0;
    for (const f of this.frames) f.committed = true;
    for (const t of b) this.out.push(t);
  }
}

function tokenBytes(t: DicomToken): number {
  switch (t.type) {
    case 'element':
    case 'fragment': return t.value.length + 16;
    case 'valueChunk': return t.bytes.length;
    default: return 64;
  }
}
