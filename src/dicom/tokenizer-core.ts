import { DeidError } from '../core/errors.js';
import { ByteQueue } from './byte-queue.js';
import { implicitVR } from './dictionary.js';
import {
  IMPLICIT_LE, EXPLICIT_LE, looksExplicit, sniffSyntax, transferSyntaxInfo, type Syntax,
} from './syntax.js';
import {
  ITEM, ITEM_DELIMITER, PIXEL_DATA, SEQUENCE_DELIMITER, TRANSFER_SYNTAX_UID, UNDEFINED_LENGTH, formatTag,
} from './tags.js';
import type { DicomToken, ElementHeader, MetaElement, Path } from './tokens.js';
import { hasLongLength, longLengthAt, vrAt } from './vr.js';

export interface TokenizerOptions {
  /** Values up to this size come whole in one `element` token (default 64 KiB). */
  maxValueBytes?: number;
  /** Larger values stream in chunks of this size (default 64 KiB). */
  chunkBytes?: number;
  /** Nesting limit for sequences (hostile input guard, default 64). */
  maxDepth?: number;
  /** Size limit of group 0002 (default 1 MiB). */
  maxMetaBytes?: number;
  /**
   * Element values and headers may be views of the fed buffers instead of
   * copies (default false). Only for input that stays unchanged as long as the
   * tokens are used (a whole instance in memory): it spares an allocation and
   * a copy per element.
   */
  shareInput?: boolean;
  /**
   * A sequence with a defined length up to this size (default 16 MiB): SQ in
   * either VR encoding, or a standard sequence written as UN, is checked
   * whole before it is read. When its bytes are not items (in the dataset's
   * encoding; implicit VR LE for UN), it comes as one `element` token marked
   * `unreadable` instead of failing the instance: its length says where the
   * rest of the instance goes on. A larger one, and one of undefined length
   * (whose end only its items can tell), is read as a sequence and fails the
   * instance when malformed. The check of a sequence checks the sequences
   * inside it (down to 8 levels of checks; deeper, an unreadable one makes
   * the eighth unreadable), so only the innermost that cannot be read goes.
   */
  maxCheckedSequenceBytes?: number;
}

interface Frame {
  kind: 'dataset' | 'sequence' | 'item' | 'fragments';
  /** Absolute end offset; Infinity when the length is undefined. */
  end: number;
  /** Nearest defined end of this frame or any enclosing one: nothing may cross it. */
  limit: number;
  syntax: Syntax;
  /** For dataset/item: path of the elements inside. For sequence/fragments: path of the element itself. */
  path: Path;
  tag: number;
  count: number;
  /** Offset of the first element of an item (where its encoding may be sniffed). */
  begin?: number;
  /**
   * Inside a sequence whose bytes were checked as items: the offsets of the
   * sequences in it that are not items, found by the check (the others are
   * not checked again).
   */
  unreadableAt?: ReadonlySet<number>;
}

/** A checked sequence whose sequences all read as items (nearly every one): one set for all of them. */
const ALL_READABLE: ReadonlySet<number> = new Set();

/** How many checks of a sequence may nest: each reads the bytes of those inside it again. */
const MAX_CHECK_LEVELS = 8;

type State = 'start' | 'meta' | 'datasetStart' | 'body' | 'failed';

const DICM = Buffer.from('DICM', 'latin1');
const ZERO_PREAMBLE = Buffer.concat([Buffer.alloc(128), DICM]);

/**
 * The pure tokenizer: fed bytes, it appends tokens to `out`. It holds at
 * most one small value (or one value chunk) plus the unread tail of the
 * input. The stream shell (tokenizer.ts) adds inflation for deflated data.
 */
export class TokenizerCore {
  readonly out: DicomToken[] = [];
  private readonly q = new ByteQueue();
  private state: State = 'start';
  private ended = false;
  private pos = 0; // dataset offset of q's first byte
  private stack: Frame[] = [];
  private streaming = 0; // bytes left in the value being streamed
  private metaElements: MetaElement[] = [];
  private metaRaw: Buffer[] = [];
  private metaBytes = 0;
  private hadPreamble = false;
  private declared: { uid: string | undefined; syntax: Syntax | undefined; deflated: boolean } = {
    uid: undefined, syntax: undefined, deflated: false,
  };
  private readonly maxValue: number;
  private readonly chunk: number;
  private readonly maxDepth: number;
  private readonly maxMeta: number;
  private readonly share: boolean;
  private readonly maxCheckedSequence: number;
  /** Set once the meta says the dataset is deflated. */
  deflated = false;
  /** Set when the dataset starts and it is deflated: from then on the shell inflates. */
  inflating = false;
  /** Compressed bytes that were already queued when inflation started; the shell takes them. */
  compressedTail: Buffer[] = [];

  constructor(opts: TokenizerOptions = {}, private readonly checkLevels = MAX_CHECK_LEVELS) {
    this.maxValue = opts.maxValueBytes ?? 64 * 1024;
    this.chunk = Math.max(1, opts.chunkBytes ?? 64 * 1024);
    this.maxDepth = opts.maxDepth ?? 64;
    this.maxMeta = opts.maxMetaBytes ?? 1024 * 1024;
    this.share = opts.shareInput === true;
    this.maxCheckedSequence = opts.maxCheckedSequenceBytes ?? 16 * 1024 * 1024;
  }

  /** Raw (file) bytes. Once `inflating` turns true, inflate them and use feedDataset(). */
  feed(buf: Buffer): void {
    this.guard();
    this.q.push(buf);
    this.run();
  }

  /** Bytes fed but not yet consumed (a partial header, value or value chunk). */
  get unread(): number {
    return this.q.length;
  }

  /**
   * Moves the bytes fed but not yet consumed into `into` (from offset 0) and
   * forgets them; returns their count. The caller feeds them again, followed
   * by what comes next, in one buffer: the buffers fed so far can then be
   * reused (element values were already copied out; only value chunks,
   * `take`n, refer to input memory).
   */
  takeUnread(into: Buffer): number {
    return this.q.moveTo(into);
  }

  /** Inflated dataset bytes (deflated transfer syntax only). */
  feedDataset(buf: Buffer): void {
    this.guard();
    this.q.push(buf);
    this.run();
  }

  /** End of input: throws DICOM_TRUNCATED unless the data ended at an element boundary. */
  end(): void {
    this.guard();
    this.ended = true;
    this.run();
    if (this.state === 'start' || this.state === 'meta' || this.state === 'datasetStart') {
      throw this.fail('DICOM_TRUNCATED', 'input ends before the dataset');
    }
    if (this.streaming > 0 || this.q.length > 0 || this.stack.length > 1) {
      throw this.fail('DICOM_TRUNCATED', `at offset ${this.pos}`);
    }
    if (this.pos === 0) throw this.fail('DICOM_MALFORMED', 'empty dataset');
  }

  private guard(): void {
    if (this.state === 'failed') throw new DeidError('DICOM_MALFORMED', 'tokenizer used after an error');
  }

  private fail(code: 'DICOM_TRUNCATED' | 'DICOM_MALFORMED' | 'DICOM_UNSUPPORTED', detail: string): DeidError {
    this.state = 'failed';
    return new DeidError(code, detail);
  }

  private run(): void {
    try {
      for (;;) {
        let progressed: boolean;
        switch (this.state) {
          case 'start': progressed = this.readStart(); break;
          case 'meta': progressed = this.readMeta(); break;
          case 'datasetStart': progressed = this.readDatasetStart(); break;
          case 'body': progressed = this.readBody(); break;
          default: return;
        }
        if (!progressed) return;
      }
    } catch (e) {
      this.state = 'failed';
      throw e;
    }
  }

  // ---- preamble and meta -------------------------------------------------

  private readStart(): boolean {
    if (this.q.length < 132 && !this.ended) return false;
    if (this.q.length === 0) throw this.fail('DICOM_TRUNCATED', 'empty input');
    if (this.q.length >= 132 && this.q.peek(132).subarray(128).equals(DICM)) {
      this.out.push({ type: 'preamble', bytes: this.q.takeCopy(132) });
      this.hadPreamble = true;
      this.state = 'meta';
      return true;
    }
    if (this.q.length >= 4 && this.q.peek(4).equals(DICM)) {
      // "DICM" with no preamble before it (some writers leave the 128 bytes out). No dataset starts
      // so (group 0x4944 is no low group in either byte order): the file meta must follow. The
      // preamble PS3.10 7.1 requires is supplied as zeros, what it holds when no profile uses it.
      // (readStart runs with 132 bytes queued or at the end of the input.)
      this.q.take(4);
      const group = this.q.length >= 2 ? this.q.peek(2).readUInt16LE(0) : 0x0002;
      if (group === 0x0002 && this.q.length < 6) throw this.fail('DICOM_TRUNCATED', 'inside the file meta');
      if (group !== 0x0002 || !looksExplicit(this.q.peek(6))) throw this.fail('DICOM_MALFORMED', 'no file meta after DICM');
      this.out.push({ type: 'preamble', bytes: Buffer.from(ZERO_PREAMBLE) });
      this.hadPreamble = true;
      this.state = 'meta';
      return true;
    }
    // No preamble: a raw dataset, possibly starting with a meta group.
    if (this.q.length >= 6) {
      const h = this.q.peek(6);
      if (h.readUInt16LE(0) === 0x0002 && looksExplicit(h)) {
        this.state = 'meta';
        return true;
      }
    }
    this.state = 'datasetStart';
    return true;
  }

  private readMeta(): boolean {
    for (;;) {
      if (this.q.length < 2) {
        if (!this.ended) return false;
        if (this.q.length === 0) return this.finishMeta();
        throw this.fail('DICOM_TRUNCATED', 'inside the file meta');
      }
      if (this.q.peek(2).readUInt16LE(0) !== 0x0002) return this.finishMeta();
      if (this.q.length < 8) {
        if (this.ended) throw this.fail('DICOM_TRUNCATED', 'inside the file meta');
        return false;
      }
      let h = this.q.peek(8);
      const vr = h.toString('latin1', 4, 6);
      if (!looksExplicit(h)) throw this.fail('DICOM_MALFORMED', 'file meta is not explicit VR');
      const long = hasLongLength(vr);
      const hlen = long ? 12 : 8;
      if (this.q.length < hlen) {
        if (this.ended) throw this.fail('DICOM_TRUNCATED', 'inside the file meta');
        return false;
      }
      h = this.q.peek(hlen);
      const length = long ? h.readUInt32LE(8) : h.readUInt16LE(6);
      if (length === UNDEFINED_LENGTH || this.metaBytes + hlen + length > this.maxMeta) {
        throw this.fail('DICOM_MALFORMED', 'file meta element length');
      }
      if (this.q.length < hlen + length) {
        if (this.ended) throw this.fail('DICOM_TRUNCATED', 'inside the file meta');
        return false;
      }
      const tag = ((h.readUInt16LE(0) << 16) | h.readUInt16LE(2)) >>> 0;
      const raw = this.q.takeCopy(hlen);
      const value = this.q.takeCopy(length);
      this.metaRaw.push(raw, value);
      this.metaBytes += hlen + length;
      this.metaElements.push({ header: { tag, vr, length, explicit: true, bigEndian: false, raw }, value });
    }
  }

  private finishMeta(): boolean {
    const ts = this.metaElements.find((e) => e.header.tag === TRANSFER_SYNTAX_UID);
    const uid = ts ? ts.value.toString('latin1').replace(/[\0 ]+$/, '') : undefined;
    this.out.push({ type: 'meta', elements: this.metaElements, raw: Buffer.concat(this.metaRaw), transferSyntaxUID: uid });
    if (uid) {
      let info;
      try {
        info = transferSyntaxInfo(uid);
      } catch (e) {
        this.state = 'failed';
        throw e;
      }
      this.declared = { uid, syntax: info.syntax, deflated: info.deflated };
      if (info.deflated) this.deflated = true;
    } else {
      this.declared = { uid: undefined, syntax: undefined, deflated: false };
    }
    this.state = 'datasetStart';
    return true;
  }

  // ---- dataset -------------------------------------------------------------

  private readDatasetStart(): boolean {
    if (this.deflated && !this.inflating) {
      // The rest of the input is compressed: the shell inflates it (starting
      // with compressedTail) and feeds it back through feedDataset().
      this.inflating = true;
      this.compressedTail = this.q.drain();
      return false;
    }
    if (this.q.length < 6) {
      if (!this.ended) return false;
      if (this.q.length > 0) throw this.fail('DICOM_TRUNCATED', 'inside the first element');
    }
    let syntax: Syntax;
    if (this.q.length === 0) {
      syntax = this.declared.syntax ?? EXPLICIT_LE;
    } else {
      const head = this.q.peek(6);
      const sniffed = sniffSyntax(head);
      const d = this.declared.syntax;
      if (d && !d.bigEndian && !sniffed.bigEndian) syntax = sniffed; // declared LE: trust the bytes for explicit vs implicit
      else syntax = d ?? sniffed;
      if (!this.hadPreamble && !d) {
        const group = syntax.bigEndian ? head.readUInt16BE(0) : head.readUInt16LE(0);
        // A dataset without preamble starts with a low, non-command group (0002..00FF).
        if (group < 0x0002 || group > 0x00ff) throw this.fail('DICOM_MALFORMED', 'not a DICOM dataset');
      }
    }
    this.out.push({ type: 'dataset', syntax, deflated: this.declared.deflated, transferSyntaxUID: this.declared.uid });
    this.stack.push({ kind: 'dataset', end: Infinity, limit: Infinity, syntax, path: [], tag: 0, count: 0 });
    this.state = 'body';
    return true;
  }

  /** Reads the items of one sequence, `length` bytes in `syntax` (see readsAsItems), instead of a file. */
  startItems(length: number, syntax: Syntax): void {
    this.stack.push({ kind: 'dataset', end: Infinity, limit: Infinity, syntax, path: [], tag: 0, count: 0 });
    this.stack.push({ kind: 'sequence', end: length, limit: length, syntax, path: [], tag: 0, count: 0 });
    this.state = 'body';
  }

  private readBody(): boolean {
    if (this.streaming > 0) return this.pumpValue();
    const f = this.stack[this.stack.length - 1]!;
    if (this.pos >= f.end) {
      if (this.pos > f.end) throw this.fail('DICOM_MALFORMED', `element crosses the end of its container at offset ${this.pos}`);
      this.stack.pop();
      this.out.push(f.kind === 'sequence' ? { type: 'sequenceEnd' } : { type: 'itemEnd' });
      return true;
    }
    switch (f.kind) {
      case 'dataset':
      case 'item': return this.readElement(f);
      case 'sequence': return this.readItem(f);
      case 'fragments': return this.readFragment(f);
    }
  }

  private need(n: number): boolean {
    if (this.q.length >= n) return true;
    if (this.ended && this.q.length > 0) throw this.fail('DICOM_TRUNCATED', `at offset ${this.pos}`);
    if (this.ended && this.stack.length > 1) throw this.fail('DICOM_TRUNCATED', `at offset ${this.pos}`);
    return false;
  }

  // Byte arithmetic rather than Buffer#readUInt*: these run for every header, often before V8 optimizes them.
  private readTag(b: Buffer, be: boolean, at = 0): number {
    return be
      ? ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
      : ((b[at + 1]! << 24) | (b[at]! << 16) | (b[at + 3]! << 8) | b[at + 2]!) >>> 0;
  }

  private u32(b: Buffer, at: number, be: boolean): number {
    return be
      ? ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
      : ((b[at + 3]! << 24) | (b[at + 2]! << 16) | (b[at + 1]! << 8) | b[at]!) >>> 0;
  }

  private consume(n: number): Buffer {
    this.pos += n;
    return this.share ? this.q.take(n) : this.q.takeCopy(n);
  }

  private readElement(f: Frame): boolean {
    if (!this.need(8)) return false;
    const be = f.syntax.bigEndian;
    // Header bytes are read in place (h from offset at): no buffer per header.
    let h = this.q.peekIn(8);
    let at = this.q.at;
    const tag = this.readTag(h, be, at);
    if (tag >>> 16 === 0xfffe) {
      if (tag === ITEM_DELIMITER && f.kind === 'item' && f.end === Infinity) {
        const delimiter = this.consume(8);
        this.stack.pop();
        this.out.push({ type: 'itemEnd', delimiter });
        return true;
      }
      throw this.fail('DICOM_MALFORMED', `unexpected ${formatTag(tag)} at offset ${this.pos}`);
    }
    const explicitVR = f.syntax.explicit ? vrAt(h, at + 4) : undefined;
    if (f.syntax.explicit && explicitVR === undefined) {
      // An item of an explicit dataset written implicit (seen in the wild) is read so from its first
      // element on. Anywhere else an unknown VR leaves where the element ends to each reader's guess
      // (a 2- or a 4-byte length), and what one reads as a value another reads as elements.
      if (f.kind !== 'item' || f.begin !== this.pos) throw this.fail('DICOM_MALFORMED', `unknown VR in ${formatTag(tag)} at offset ${this.pos}`);
      f.syntax = { explicit: false, bigEndian: be };
    }
    const explicit = explicitVR !== undefined;
    let vr: string;
    let hlen: number;
    let length: number;
    if (explicitVR !== undefined) {
      vr = explicitVR;
      if (longLengthAt(h, at + 4)) {
        if (!this.need(12)) return false;
        h = this.q.peekIn(12);
        at = this.q.at;
        hlen = 12;
        length = this.u32(h, at + 8, be);
      } else {
        hlen = 8;
        length = be ? (h[at + 6]! << 8) | h[at + 7]! : h[at + 6]! | (h[at + 7]! << 8);
      }
    } else {
      vr = implicitVR(tag);
      hlen = 8;
      length = this.u32(h, at + 4, be);
    }
    const header: ElementHeader = { tag, vr, length, explicit, bigEndian: be, offset: this.pos };
    const path = f.path;
    const undefinedLen = length === UNDEFINED_LENGTH;
    // A standard sequence written as UN (by a writer whose dictionary lacked it) is still a
    // sequence: its items, implicit VR LE (PS3.5 6.2.2), hold attributes the profile must see.
    const isSeq = explicit
      ? vr === 'SQ' || (vr === 'UN' && (undefinedLen || implicitVR(tag) === 'SQ'))
      : (undefinedLen && tag !== PIXEL_DATA) || vr === 'SQ';
    if (isSeq) {
      if (this.stack.length > this.maxDepth) throw this.fail('DICOM_MALFORMED', 'sequences nested too deep');
      const end = undefinedLen ? Infinity : this.pos + hlen + length;
      if (end !== Infinity ? end > f.limit : false) throw this.fail('DICOM_MALFORMED', `sequence ${formatTag(tag)} crosses its container`);
      // PS3.5 6.2.2: a sequence written as UN is encoded implicit VR little endian.
      const syntax = explicit && vr === 'UN' ? IMPLICIT_LE : f.syntax;
      // Its length tells where it ends, whatever its bytes: when they are not items, the element
      // alone is unreadable (the editor removes it unread) and the rest of the instance is read.
      let unreadableAt = f.unreadableAt;
      let unreadable = unreadableAt?.has(this.pos) === true;
      if (!unreadableAt && !undefinedLen && length > 0 && length <= this.maxCheckedSequence) {
        if (!this.need(hlen + length)) return false;
        const value = this.q.peek(hlen + length).subarray(hlen);
        const inside = readsAsItems(value, syntax, this.maxDepth - this.stack.length + 1, this.checkLevels - 1);
        if (inside) {
          const base = this.pos + hlen;
          unreadableAt = inside.size === 0 ? ALL_READABLE : new Set([...inside].map((at) => base + at));
        } else {
          unreadable = true;
        }
      }
      if (unreadable) {
        if (!this.need(hlen + length)) return false;
        header.raw = this.consume(hlen);
        this.out.push({ type: 'element', header, path, value: this.consume(length), unreadable: true });
        return true;
      }
      header.raw = this.consume(hlen);
      this.out.push({ type: 'sequenceStart', header, path });
      this.stack.push({ kind: 'sequence', end, limit: Math.min(end, f.limit), syntax, path, tag, count: 0, ...(unreadableAt ? { unreadableAt } : {}) });
      return true;
    }
    if (undefinedLen) {
      if (explicit ? vr === 'OB' || vr === 'OW' : tag === PIXEL_DATA) {
        header.raw = this.consume(hlen);
        this.out.push({ type: 'fragmentsStart', header, path });
        this.stack.push({ kind: 'fragments', end: Infinity, limit: f.limit, syntax: f.syntax, path, tag, count: 0 });
        return true;
      }
      throw this.fail('DICOM_MALFORMED', `undefined length on ${formatTag(tag)} ${vr}`);
    }
    if (this.pos + hlen + length > f.limit) throw this.fail('DICOM_MALFORMED', `${formatTag(tag)} crosses its container`);
    if (length <= this.maxValue) {
      if (!this.need(hlen + length)) return false;
      header.raw = this.consume(hlen);
      this.out.push({ type: 'element', header, path, value: this.consume(length) });
      return true;
    }
    header.raw = this.consume(hlen);
    this.out.push({ type: 'valueStart', header, path });
    this.streaming = length;
    return true;
  }

  private readItem(f: Frame): boolean {
    if (!this.need(8)) return false;
    const be = f.syntax.bigEndian;
    const h = this.q.peek(8);
    const tag = this.readTag(h, be);
    const length = this.u32(h, 4, be);
    if (tag === ITEM) {
      const header: ElementHeader = { tag, vr: '', length, explicit: false, bigEndian: be, offset: this.pos };
      header.raw = this.consume(8);
      const end = length === UNDEFINED_LENGTH ? Infinity : this.pos + length;
      if (end !== Infinity ? end > f.limit : false) throw this.fail('DICOM_MALFORMED', `item crosses its sequence at offset ${header.offset}`);
      const index = f.count++;
      const path: Path = [...f.path, { tag: f.tag, item: index }];
      this.out.push({ type: 'itemStart', header, path, index });
      this.stack.push({ kind: 'item', end, limit: Math.min(end, f.limit), syntax: f.syntax, path, tag: ITEM, count: 0, begin: this.pos, ...(f.unreadableAt ? { unreadableAt: f.unreadableAt } : {}) });
      return true;
    }
    if (tag === SEQUENCE_DELIMITER && f.end === Infinity) {
      const delimiter = this.consume(8);
      this.stack.pop();
      this.out.push({ type: 'sequenceEnd', delimiter });
      return true;
    }
    throw this.fail('DICOM_MALFORMED', `expected an item in ${formatTag(f.tag)} at offset ${this.pos}`);
  }

  private readFragment(f: Frame): boolean {
    if (!this.need(8)) return false;
    const be = f.syntax.bigEndian;
    const h = this.q.peek(8);
    const tag = this.readTag(h, be);
    const length = this.u32(h, 4, be);
    if (tag === SEQUENCE_DELIMITER) {
      const delimiter = this.consume(8);
      this.stack.pop();
      this.out.push({ type: 'fragmentsEnd', delimiter });
      return true;
    }
    if (tag !== ITEM || length === UNDEFINED_LENGTH) {
      throw this.fail('DICOM_MALFORMED', `bad fragment in ${formatTag(f.tag)} at offset ${this.pos}`);
    }
    if (this.pos + 8 + length > f.limit) throw this.fail('DICOM_MALFORMED', `fragment crosses its container at offset ${this.pos}`);
    const header: ElementHeader = { tag, vr: '', length, explicit: false, bigEndian: be, offset: this.pos };
    if (length <= this.maxValue && !this.need(8 + length)) return false;
    const index = f.count++;
    if (length <= this.maxValue) {
      header.raw = this.consume(8);
      this.out.push({ type: 'fragment', header, index, value: this.consume(length) });
      return true;
    }
    header.raw = this.consume(8);
    this.out.push({ type: 'valueStart', header, path: f.path, fragment: index });
    this.streaming = length;
    return true;
  }

  private pumpValue(): boolean {
    const n = Math.min(this.streaming, this.chunk);
    if (this.q.length < n) {
      if (this.ended) throw this.fail('DICOM_TRUNCATED', `inside a value at offset ${this.pos}`);
      return false;
    }
    this.pos += n;
    this.out.push({ type: 'valueChunk', bytes: this.q.take(n) });
    this.streaming -= n;
    if (this.streaming === 0) this.out.push({ type: 'valueEnd' });
    return true;
  }
}

/**
 * Whether `value` reads as the items of a sequence in `syntax`, exactly as
 * the tokenizer reads them in place, ending at its last byte: undefined when
 * it does not, else the offsets (in `value`) of the sequences inside it that
 * do not (`levels` more checks may nest inside this one). `maxDepth` is what
 * the enclosing levels leave. Bytes that read as items with no check inside
 * (nearly always) are read once; only the others are read again with checks.
 */
function readsAsItems(value: Buffer, syntax: Syntax, maxDepth: number, levels: number): Set<number> | undefined {
  if (maxDepth < 2) return undefined;
  const flat = itemsCheck(value, syntax, maxDepth, 0);
  return flat || levels <= 0 ? flat : itemsCheck(value, syntax, maxDepth, levels);
}

function itemsCheck(value: Buffer, syntax: Syntax, maxDepth: number, levels: number): Set<number> | undefined {
  const maxCheckedSequenceBytes = levels > 0 ? value.length : 0;
  const t = new TokenizerCore({ maxValueBytes: value.length, maxDepth, shareInput: true, maxCheckedSequenceBytes }, levels);
  t.startItems(value.length, syntax);
  const unreadable = new Set<number>();
  const drain = (): void => {
    for (const x of t.out) if (x.type === 'element' && x.unreadable) unreadable.add(x.header.offset!);
    t.out.length = 0;
  };
  try {
    // Fed in slices and the tokens dropped as they come: tiny elements must not pile up tokens.
    for (let at = 0; at < value.length; at += 64 * 1024) {
      t.feed(value.subarray(at, at + 64 * 1024));
      drain();
    }
    t.end();
    drain();
    return unreadable;
  } catch {
    return undefined;
  }
}
