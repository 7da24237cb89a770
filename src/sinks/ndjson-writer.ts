import { Transform, type TransformCallback } from 'node:stream';
import type { Failed, Item } from '../core/record.js';
import { NdjsonSerializer } from './ndjson-serializer.js';

export interface NdjsonWriterOptions {
  /** Write each Bundle entry's resource as its own line instead of the Bundle. */
  unbundle?: boolean;
  /**
   * Receives the items this writer leaves out: the `failed` items of its
   * input (routed to the error log, see error-log.ts) and values it could not
   * serialize.
   */
  onFailed?: (f: Failed) => void;
}

/**
 * Items (ok values already de-identified) → NDJSON bytes: one line per
 * resource; a streamed Bundle is one line written incrementally, so memory
 * does not depend on the Bundle's size. Entry order is kept.
 */
export class NdjsonWriter extends Transform {
  private readonly serializer: NdjsonSerializer;
  private readonly onFailed: (f: Failed) => void;
  private pending = '';
  private flushTimer: NodeJS.Immediate | undefined;
  private readonly collect = (_type: string, text: string): void => {
    this.pending += text;
  };

  /**
   * Text is pushed in pieces of about this size, not per record: each push is
   * a write to stdout (a system call when it is a file or pipe), which cost
   * more than the serialization of a small record. Whatever is pending when
   * the input pauses is pushed on the next turn of the event loop.
   */
  static readonly BATCH_CHARS = 64 * 1024;

  constructor(opts: NdjsonWriterOptions = {}) {
    super({ writableObjectMode: true, readableObjectMode: false });
    this.serializer = new NdjsonSerializer({ unbundle: opts.unbundle });
    this.onFailed = opts.onFailed ?? (() => undefined);
  }

  override _transform(item: Item, _enc: BufferEncoding, cb: TransformCallback): void {
    if (item.kind === 'failed') {
      this.onFailed(item);
      cb();
      return;
    }
    this.serializer.write(item, this.collect, this.onFailed);
    if (this.pending.length >= NdjsonWriter.BATCH_CHARS) this.drainPending();
    else if (this.pending.length > 0 && !this.flushTimer) this.flushTimer = setImmediate(() => this.drainPending());
    cb();
  }

  override _flush(cb: TransformCallback): void {
    const f = this.serializer.finish(this.collect);
    if (f) this.onFailed(f);
    this.drainPending();
    cb();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    cb(err);
  }

  private drainPending(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    this.push(this.pending, 'utf8');
    this.pending = '';
  }
}

export function createNdjsonWriter(opts: NdjsonWriterOptions = {}): NdjsonWriter {
  return new NdjsonWriter(opts);
}
