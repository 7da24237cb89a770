import fs from 'node:fs';
import type { TokenCore } from './token-shell.js';
import { TokenizerCore, type TokenizerOptions } from './tokenizer-core.js';
import type { DicomToken } from './tokens.js';
import { WriterCore, type WriterOptions } from './writer-core.js';

/** Thrown when the input needs the streaming path (a deflated dataset is inflated by zlib streams). */
export class NeedsStreams extends Error {}

const READ_BYTES = 1024 * 1024;
const WRITE_BUFFER_BYTES = 1024 * 1024;
/** Output pieces at least this large are written as they are, not copied into the output buffer. */
const WRITE_DIRECT_BYTES = 32 * 1024;

/**
 * tokenizer → cores → writer over a file, synchronously, with a fixed set of
 * reused buffers: the input is read into one buffer, the tokenizer's unread
 * tail is moved out of it into one of two carry buffers before the next read,
 * value chunks inside sequences (which an editor may hold while it waits for
 * a sequence to end) are copied, and everything else a chunk gave rise to is
 * written before the next read. Memory is therefore fixed (a few MiB) and the
 * run allocates almost no garbage, where the stream shells allocate every
 * chunk anew (on a 1 GiB instance, some 65 MB of dead buffers waiting for the
 * collector). The bytes written are the same as the stream shells'
 * (tokenizer → shells → dicomWriter), which tests check on every sample.
 * A deflated dataset throws NeedsStreams before anything is written.
 */
export function editFileSync(src: string, dest: number, cores: readonly TokenCore[], writer: WriterOptions, tokenizer: TokenizerOptions = {}): void {
  const fd = fs.openSync(src, 'r');
  try {
    const input = Buffer.allocUnsafe(READ_BYTES);
    const carries: Buffer[] = [Buffer.allocUnsafe(256 * 1024), Buffer.allocUnsafe(256 * 1024)];
    let carry = 0;
    const out = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
    let used = 0;
    const flush = (): void => {
      for (let at = 0; at < used; ) at += fs.writeSync(dest, out, at, used - at);
      used = 0;
    };
    const write = (b: Buffer): void => {
      if (b.length >= WRITE_DIRECT_BYTES) {
        flush();
        for (let at = 0; at < b.length; ) at += fs.writeSync(dest, b, at, b.length - at);
        return;
      }
      if (used + b.length > out.length) flush();
      used += b.copy(out, used);
    };
    const w = new WriterCore((b) => write(b), writer);
    const tok = new TokenizerCore(tokenizer);
    let depth = 0;
    const pass = (tokens: DicomToken[]): void => {
      let batch = tokens;
      for (const core of cores) {
        for (const t of batch) core.write(t);
        batch = core.out.splice(0);
      }
      for (const t of batch) w.write(t);
    };
    const drain = (): void => {
      if (tok.inflating) throw new NeedsStreams();
      const tokens = tok.out.splice(0);
      for (const [i, t] of tokens.entries()) {
        if (t.type === 'sequenceStart') depth++;
        else if (t.type === 'sequenceEnd') depth--;
        else if (t.type === 'valueChunk' && depth > 0) tokens[i] = { type: 'valueChunk', bytes: Buffer.from(t.bytes) };
      }
      pass(tokens);
    };
    for (let pos = 0; ; ) {
      const n = fs.readSync(fd, input, 0, input.length, pos);
      if (n === 0) break;
      pos += n;
      tok.feed(input.subarray(0, n));
      drain();
      carries[carry] = tok.detachInput(carries[carry]!);
      carry ^= 1;
    }
    tok.end();
    drain();
    for (const core of cores) {
      core.end();
      const rest = core.out.splice(0);
      const later = cores.slice(cores.indexOf(core) + 1);
      let batch = rest;
      for (const c of later) {
        for (const t of batch) c.write(t);
        batch = c.out.splice(0);
      }
      for (const t of batch) w.write(t);
    }
    w.end();
    flush();
  } finally {
    fs.closeSync(fd);
  }
}
