import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { none } from 'stream-chain/defs.js';
import { jsonParser, type Token } from 'stream-json/parser.js';
import { ErrorCodes } from '../core/errors.js';
import { failed, ok, type Item, type Location } from '../core/record.js';
import { knownResourceType } from '../fhir/r4-types.js';
import { JsonValueBuilder } from './json-value-builder.js';
import { DEFAULT_MAX_DEPTH, toResourceItem } from './ndjson-records.js';

export interface BundleStreamOptions {
  /** Location file for the items ('-' for stdin). Default '-'. */
  file?: string;
  /** Deepest accepted nesting inside one entry or one top-level member. Default 256. */
  maxDepth?: number;
}

/**
 * The parser is fed in pieces of this many characters, aligned from the start
 * of the document, whatever the chunking of the input. When it throws, the
 * tokens of the failing piece are lost; with aligned pieces, which entries
 * were emitted before an INVALID_JSON failure depends on the input only.
 */
const PIECE = 16384;

type State =
  | 'top' // before the document's value
  | 'members' // inside the top-level object, expecting a key or its end
  | 'member' // assembling a top-level member's value
  | 'entryOpen' // after the key "entry" of a Bundle: an array streams, anything else is a member
  | 'entries' // inside the streamed entry array, between entries
  | 'entry' // assembling one entry
  | 'skip' // skipping a top-level value that is not an object
  | 'done' // the document is complete
  | 'failed'; // the document failed; the rest of the input is drained unread

/**
 * Streams one JSON document holding a Bundle (of any size) or a single
 * resource. A Bundle becomes `start` (the members before `entry`), one `ok`
 * item per entry, then `end` (the members after `entry`); only one entry is
 * in memory at a time. A non-Bundle resource becomes one `ok` item.
 *
 * The Bundle's `entry` array streams only when `resourceType` is "Bundle" or
 * not seen yet when `entry` starts (FHIR JSON puts resourceType first). A
 * streamed document whose resourceType turns out not to be "Bundle" gets an
 * INVALID_BUNDLE failure before its `end`.
 *
 * A second `entry` member (a duplicate key) streams on as more entries of
 * the same array, numbered on; one that is not an array is INVALID_BUNDLE.
 *
 * A document that fails after its `start` item still gets an `end` item (with
 * the tail members read so far), so a writer can close what it opened; the
 * failure itself travels as a `failed` item before it.
 */
export class BundleStreamCore {
  readonly file: string;
  readonly maxDepth: number;
  /** Bytes consumed so far, BOM included. */
  bytes = 0;
  private readonly parse = jsonParser({ packValues: true, streamValues: false });
  private readonly decoder = new StringDecoder('utf8');
  private state: State = 'top';
  private first = true;
  private head: Record<string, unknown> = {};
  private tail: Record<string, unknown> = {};
  private resourceType: unknown = undefined;
  private started = false;
  private streamedEntry = false;
  private key = '';
  private builder: JsonValueBuilder | null = null;
  private entryIndex = 0;
  private skipDepth = 0;
  /** Decoded text not yet given to the parser (less than one piece). */
  private carry = '';

  constructor(opts: BundleStreamOptions = {}) {
    this.file = opts.file ?? '-';
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  push(chunk: Buffer, out: Item[]): void {
    if (this.isFailed()) return;
    this.bytes += chunk.length;
    let text = this.decoder.write(chunk);
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length === 0) return;
    this.carry += text;
    while (this.carry.length >= PIECE && !this.isFailed()) {
      this.feed(this.carry.slice(0, PIECE), false, out);
      this.carry = this.carry.slice(PIECE);
    }
  }

  end(out: Item[]): void {
    if (this.isFailed()) return;
    const rest = this.carry + this.decoder.end();
    this.carry = '';
    if (rest.length > 0) this.feed(rest, false, out);
    if (this.isFailed()) return;
    this.feed(none, true, out);
    if (this.isFailed()) return;
    if (this.state !== 'done') this.fail('TRUNCATED_JSON', ErrorCodes.TRUNCATED_JSON, out, this.bytes);
  }

  /**
   * Ends the document early because its input failed (read error, corrupt
   * gzip): the text already read is parsed, then one failed item at the
   * current byte offset, and `end` if a `start` went out and was not closed.
   * Nothing is emitted if the document had already failed.
   */
  abort(code: string, reason: string, out: Item[], gzipOffset?: number): void {
    if (this.isFailed()) return;
    // what was read before the failure still counts: entries complete in it come out
    const rest = this.carry;
    this.carry = '';
    if (rest.length > 0) this.feed(rest, false, out);
    if (this.isFailed()) out.push(failed(code, reason, this.withGzip(this.loc(false, this.bytes), gzipOffset)));
    else this.fail(code, reason, out, this.bytes, gzipOffset);
  }

  private withGzip(loc: Location, gzipOffset: number | undefined): Location {
    if (gzipOffset !== undefined) loc.gzipOffset = gzipOffset;
    return loc;
  }

  isFailed(): boolean {
    return this.state === 'failed';
  }

  private feed(text: string | typeof none, atEnd: boolean, out: Item[]): void {
    let result: unknown;
    try {
      result = this.parse(text as string);
    } catch {
      // the parser's messages may quote the input: only the code is kept
      if (atEnd) this.fail('TRUNCATED_JSON', ErrorCodes.TRUNCATED_JSON, out, this.bytes);
      else this.fail('INVALID_JSON', ErrorCodes.INVALID_JSON, out);
      return;
    }
    if (result === none) return;
    const tokens = (result as { values: Token[] }).values;
    for (let i = 0; i < tokens.length; i++) {
      this.token(tokens[i], out);
      if (this.isFailed()) return;
    }
  }

  private loc(withEntry: boolean, offset?: number): Location {
    const loc: Location = { file: this.file };
    if (offset !== undefined) loc.offset = offset;
    if (withEntry) loc.entry = this.entryIndex;
    return loc;
  }

  private inEntries(): boolean {
    return this.state === 'entries' || this.state === 'entry';
  }

  private fail(code: string, reason: string, out: Item[], offset?: number, gzipOffset?: number): void {
    const rt = knownResourceType(this.resourceType);
    out.push(failed(code, reason, this.withGzip(this.loc(this.inEntries(), offset), gzipOffset), rt));
    // a completed document already sent its end (the input may fail after it, e.g. a gzip trailer)
    if (this.started && this.state !== 'done') out.push({ kind: 'end', tail: this.tail, loc: this.loc(false) });
    this.state = 'failed';
    this.builder = null;
  }

  private token(tok: Token, out: Item[]): void {
    switch (this.state) {
      case 'top':
        if (tok.name === 'startObject') {
          this.state = 'members';
        } else if (tok.name === 'startArray') {
          this.state = 'skip';
          this.skipDepth = 1;
        } else {
          this.finishNotAnObject(out);
        }
        return;
      case 'skip':
        if (tok.name === 'startObject' || tok.name === 'startArray') this.skipDepth++;
        else if (tok.name === 'endObject' || tok.name === 'endArray') {
          if (--this.skipDepth === 0) this.finishNotAnObject(out);
        }
        return;
      case 'members':
        if (tok.name === 'keyValue') {
          this.key = tok.value;
          const bundleSoFar = this.resourceType === undefined || this.resourceType === 'Bundle';
          // a second `entry` (a duplicate key) streams on into the same array: its entries are records too
          if (tok.value === 'entry' && bundleSoFar) {
            this.state = 'entryOpen';
          } else {
            this.state = 'member';
            this.builder = new JsonValueBuilder(this.maxDepth);
          }
        } else if (tok.name === 'endObject') {
          this.finishDocument(out);
        }
        return;
      case 'entryOpen':
        if (tok.name === 'startArray') {
          if (!this.streamedEntry) {
            this.streamedEntry = true;
            this.started = true;
            out.push({ kind: 'start', head: this.head, loc: this.loc(false) });
          }
          this.state = 'entries';
          return;
        }
        this.state = 'member';
        this.builder = new JsonValueBuilder(this.maxDepth);
        this.memberToken(tok, out);
        return;
      case 'member':
        this.memberToken(tok, out);
        return;
      case 'entries':
        if (tok.name === 'endArray') {
          this.state = 'members';
          return;
        }
        this.state = 'entry';
        this.builder = new JsonValueBuilder(this.maxDepth);
        this.entryToken(tok, out);
        return;
      case 'entry':
        this.entryToken(tok, out);
        return;
      default:
        // 'done' cannot receive tokens: the parser rejects trailing content
        return;
    }
  }

  private memberToken(tok: Token, out: Item[]): void {
    const b = this.builder!;
    if (!b.consume(tok)) return;
    this.builder = null;
    if (b.tooDeep) {
      this.fail('TOO_DEEP', `${ErrorCodes.TOO_DEEP} (${this.maxDepth})`, out);
      return;
    }
    if (this.key === 'resourceType' && this.resourceType === undefined) this.resourceType = b.value;
    if (this.key === 'entry' && this.streamedEntry) {
      // a second `entry` that is not an array: it has no place in the array already written
      out.push(failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: entry is not an array`, this.loc(false), knownResourceType(this.resourceType)));
      this.state = 'members';
      return;
    }
    setOwn(this.started ? this.tail : this.head, this.key, b.value);
    this.state = 'members';
  }

  private entryToken(tok: Token, out: Item[]): void {
    const b = this.builder!;
    if (!b.consume(tok)) return;
    this.builder = null;
    const loc = this.loc(true);
    const v = b.value;
    if (b.tooDeep) {
      out.push(failed('TOO_DEEP', `${ErrorCodes.TOO_DEEP} (${this.maxDepth})`, loc));
    } else if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      out.push(failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: entry is not an object`, loc));
    } else {
      out.push(ok(v, loc));
    }
    this.entryIndex++;
    this.state = 'entries';
  }

  private finishNotAnObject(out: Item[]): void {
    out.push(failed('NOT_AN_OBJECT', ErrorCodes.NOT_AN_OBJECT, this.loc(false)));
    this.state = 'done';
  }

  private finishDocument(out: Item[]): void {
    this.state = 'done';
    const loc = this.loc(false);
    if (this.started) {
      if (this.resourceType !== 'Bundle') {
        out.push(failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: entry streamed but resourceType is not Bundle`, loc));
      }
      out.push({ kind: 'end', tail: this.tail, loc });
      return;
    }
    if (this.resourceType === 'Bundle') {
      if ('entry' in this.head) {
        out.push(failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: entry is not an array`, loc, 'Bundle'));
        return;
      }
      out.push({ kind: 'start', head: this.head, loc });
      out.push({ kind: 'end', tail: {}, loc });
      return;
    }
    // a single resource: its depth was bounded member by member
    out.push(toResourceItem(this.head, loc, Infinity, 0));
  }
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Transform shell: bytes of one JSON document in, Items out. */
export class BundleStream extends Transform {
  readonly core: BundleStreamCore;

  constructor(opts: BundleStreamOptions = {}) {
    super({ readableObjectMode: true, writableObjectMode: false });
    this.core = new BundleStreamCore(opts);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const out: Item[] = [];
    this.core.push(chunk, out);
    for (const o of out) this.push(o);
    cb();
  }

  override _flush(cb: TransformCallback): void {
    const out: Item[] = [];
    this.core.end(out);
    for (const o of out) this.push(o);
    cb();
  }
}

export function createBundleStream(opts: BundleStreamOptions = {}): BundleStream {
  return new BundleStream(opts);
}
