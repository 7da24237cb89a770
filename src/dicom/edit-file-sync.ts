import fs from 'node:fs';
import type { TokenCore } from './token-shell.js';
import { TokenizerCore, type TokenizerOptions } from './tokenizer-core.js';
import type { DicomToken } from './tokens.js';
import { WriterCore, type WriterOptions } from './writer-core.js';

/** Thrown when the input needs the streaming path (a deflated dataset is inflated by zlib streams). */
export class NeedsStreams extends Error {}

const READ_BYTES = 1024 * 1024;
const WRITE_BUFFER_BYTES = 1024 * 1024;

/**
 * The buffers every call reuses. A call runs synchronously from start to end,
 * so no two calls can use them at the same time; keeping them across calls
 * spares each small instance fresh allocations (which cost page faults).
 */
const buffers = {
  input: Buffer.allocUnsafe(0),
  carry: Buffer.allocUnsafe(0),
  out: Buffer.allocUnsafe(0),
};
/** Output pieces at least this large are written as they are, not copied into the output buffer. */
const WRITE_DIRECT_BYTES = 32 * 1024;

/**
 * Token cores and a writer run synchronously into a file descriptor, through
 * the reused output buffer.
 */
class SyncEdit {
  private used = 0;
  private readonly writer: WriterCore;
  /**
   * Output bytes that lie one after another in memory, not yet written: a kept
   * element's header and value, and kept elements in a row, are consecutive
   * views of the input and are written as one piece instead of being copied
   * piece by piece. Flushed at the end of every push, before the input buffer
   * can be reused.
   */
  private run: ArrayBufferLike | undefined;
  private runStart = 0;
  private runEnd = 0;

  constructor(private readonly dest: number, private readonly cores: readonly TokenCore[], writer: WriterOptions) {
    if (buffers.out.length < WRITE_BUFFER_BYTES) buffers.out = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    this.writer = new WriterCore((b) => this.write(b), writer);
  }

  /** Tokens through the cores (from the first one on, or from `from`) and the writer. */
  push(tokens: readonly DicomToken[], from = 0): void {
    let batch = tokens;
    for (let c = from; c < this.cores.length; c++) {
      const core = this.cores[c]!;
      for (let i = 0; i < batch.length; i++) core.write(batch[i]!);
      batch = core.out.splice(0);
    }
    for (let i = 0; i < batch.length; i++) this.writer.write(batch[i]!);
    this.endRun();
  }

  end(): void {
    this.cores.forEach((core, i) => {
      core.end();
      this.push(core.out.splice(0), i + 1);
    });
    this.writer.end();
    this.endRun();
    this.flush();
  }

  private flush(): void {
    const out = buffers.out;
    for (let at = 0; at < this.used; ) at += fs.writeSync(this.dest, out, at, this.used - at);
    this.used = 0;
  }

  private write(b: Buffer): void {
    if (b.buffer === this.run && b.byteOffset === this.runEnd) {
      this.runEnd += b.length;
      return;
    }
    this.endRun();
    this.run = b.buffer;
    this.runStart = b.byteOffset;
    this.runEnd = b.byteOffset + b.length;
  }

  private endRun(): void {
    if (this.run === undefined) return;
    const b = Buffer.from(this.run, this.runStart, this.runEnd - this.runStart);
    this.run = undefined;
    this.put(b);
  }

  private put(b: Buffer): void {
    if (b.length >= WRITE_DIRECT_BYTES) {
      this.flush();
      for (let at = 0; at < b.length; ) at += fs.writeSync(this.dest, b, at, b.length - at);
      return;
    }
    if (this.used + b.length > buffers.out.length) this.flush();
    this.used += b.copy(buffers.out, this.used);
  }
}

/** Tokens already in memory (an instance tokenized whole) through the cores and a writer into `dest`. */
export function writeTokensSync(tokens: readonly DicomToken[], dest: number, cores: readonly TokenCore[], writer: WriterOptions): void {
  const edit = new SyncEdit(dest, cores, writer);
  edit.push(tokens);
  edit.end();
}

/**
 * tokenizer → cores → writer over a file, synchronously, with a fixed set of
 * reused buffers: the input is read into one buffer, after the tokenizer's
 * unread tail of the previous read (moved to its start), value chunks inside
 * sequences (which an editor may hold while it waits for a sequence to end)
 * are copied, and everything else a read gave rise to is written before the
 * next read. Memory is therefore fixed (a few MiB) and the run allocates
 * almost no garbage, where the stream shells allocate every chunk anew (on a
 * 1 GiB instance, some 65 MB of dead buffers waiting for the collector). The
 * bytes written are the same as the stream shells' (tokenizer → shells →
 * dicomWriter), which tests check on every sample. A deflated dataset throws
 * NeedsStreams before anything is written.
 */
export function editFileSync(
  src: string | Buffer,
  dest: number,
  cores: readonly TokenCore[],
  writer: WriterOptions,
  opts: { tokenizer?: TokenizerOptions; readBytes?: number } = {},
): void {
  const readBytes = opts.readBytes ?? READ_BYTES;
  // Bytes already in memory are fed whole (they stay valid for the whole edit).
  const fd = typeof src === 'string' ? fs.openSync(src, 'r') : undefined;
  try {
    const edit = new SyncEdit(dest, cores, writer);
    const tok = new TokenizerCore(opts.tokenizer);
    let depth = 0;
    const drain = (): void => {
      if (tok.inflating) throw new NeedsStreams();
      const tokens = tok.out.splice(0);
      for (const [i, t] of tokens.entries()) {
        if (t.type === 'sequenceStart') depth++;
        else if (t.type === 'sequenceEnd') depth--;
        else if (t.type === 'valueChunk' && depth > 0) tokens[i] = { type: 'valueChunk', bytes: Buffer.from(t.bytes) };
      }
      edit.push(tokens);
    };
    if (fd === undefined) {
      tok.feed(src as Buffer);
      drain();
    }
    // Each read goes after the unread tail of the previous one, in the same buffer, so the
    // tokenizer always sees one contiguous chunk (no joins, no fresh buffers).
    for (let pos = 0; fd !== undefined; ) {
      const tail = tok.unread;
      const need = tail + readBytes;
      if (buffers.carry.length < tail) buffers.carry = Buffer.allocUnsafe(Math.max(tail, 64 * 1024));
      tok.takeUnread(buffers.carry);
      if (buffers.input.length < need) buffers.input = Buffer.allocUnsafe(Math.max(need, readBytes + 256 * 1024));
      const input = buffers.input;
      buffers.carry.copy(input, 0, 0, tail);
      const n = fs.readSync(fd, input, tail, readBytes, pos);
      if (n === 0) {
        tok.feed(Buffer.from(input.subarray(0, tail)));
        break;
      }
      pos += n;
      tok.feed(input.subarray(0, tail + n));
      drain();
    }
    tok.end();
    drain();
    edit.end();
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
