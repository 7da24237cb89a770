import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DeidError } from '../core/errors.js';
import type { Failed, Item } from '../core/record.js';
import { AtomicFile } from './atomic-file.js';

export interface ErrorLogOptions {
  /** NDJSON file to write (atomically: complete or absent). Null/undefined: count and discard. */
  path?: string | null;
}

/** One error-log line: where, which code, why — never record contents. */
export interface ErrorLogLine {
  file: string;
  line?: number;
  offset?: number;
  entry?: number;
  gzipOffset?: number;
  code: string;
  reason: string;
  resourceType?: string;
}

/** Bound on a reason's length, in case a stage wrote more than a short sentence. */
const MAX_REASON = 200;
const FLUSH_BYTES = 64 * 1024;

export function errorLogLine(f: Failed): ErrorLogLine {
  // built in this key order so that every line reads the same way
  const l: Partial<ErrorLogLine> = { file: f.loc.file };
  if (f.loc.line !== undefined) l.line = f.loc.line;
  if (f.loc.offset !== undefined) l.offset = f.loc.offset;
  if (f.loc.entry !== undefined) l.entry = f.loc.entry;
  if (f.loc.gzipOffset !== undefined) l.gzipOffset = f.loc.gzipOffset;
  l.code = f.code;
  l.reason = f.reason.length > MAX_REASON ? f.reason.slice(0, MAX_REASON) : f.reason;
  if (f.resourceType !== undefined) l.resourceType = f.resourceType;
  return l as ErrorLogLine;
}

/**
 * NDJSON error log: an object-mode Writable taking Items; it writes one line
 * per `failed` item and ignores the others. `add()` is there for writers that
 * report failures through a callback.
 */
export class ErrorLog extends Writable {
  /** Failed items seen, by code. */
  readonly counts: Record<string, number> = {};
  total = 0;
  private readonly file: AtomicFile | null;
  private pending = '';

  constructor(opts: ErrorLogOptions = {}) {
    super({ objectMode: true });
    this.file = opts.path ? new AtomicFile(opts.path) : null;
  }

  /**
   * Creates the log's file now (and its folder, as an output folder is), so
   * that a log that cannot be written stops a run before its output does
   * (WRITE_FAILED), not after.
   */
  async open(): Promise<void> {
    if (!this.file) return;
    try {
      await fs.promises.mkdir(path.dirname(this.file.finalPath), { recursive: true });
      await this.file.open();
    } catch (e) {
      this.file.discard();
      throw writeFailed(e);
    }
  }

  /** The temporary file the log is written to before its commit, if it has a file. */
  get tempPath(): string | undefined {
    return this.file?.tempPath;
  }

  /** Records one failed item (same as writing it). */
  add(f: Failed): void {
    this.write(f);
  }

  override _write(item: Item, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    if (item.kind !== 'failed') {
      cb();
      return;
    }
    this.total++;
    this.counts[item.code] = (this.counts[item.code] ?? 0) + 1;
    if (!this.file) {
      cb();
      return;
    }
    this.pending += JSON.stringify(errorLogLine(item)) + '\n';
    if (this.pending.length < FLUSH_BYTES) {
      cb();
      return;
    }
    this.flushPending().then(() => cb(), (e) => cb(writeFailed(e)));
  }

  override _final(cb: (error?: Error | null) => void): void {
    if (!this.file) {
      cb();
      return;
    }
    const file = this.file;
    this.flushPending()
      .then(() => file.commit())
      .then(() => cb(), (e) => cb(writeFailed(e)));
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    if (!this.file) {
      cb(err);
      return;
    }
    // a no-op once committed; before that, an interrupted log is removed
    try {
      this.file.discard();
    } catch {
      // best effort: the error being reported is the one that ended the log
    }
    cb(err);
  }

  private async flushPending(): Promise<void> {
    if (!this.file || this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    await this.file.append(text);
  }
}

function writeFailed(e: unknown): DeidError {
  const code = (e as { code?: unknown } | null)?.code;
  return new DeidError('WRITE_FAILED', typeof code === 'string' ? `error log (${code})` : 'error log');
}

export function createErrorLog(opts: ErrorLogOptions = {}): ErrorLog {
  return new ErrorLog(opts);
}
