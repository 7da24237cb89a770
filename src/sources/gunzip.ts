import zlib from 'node:zlib';

export interface GunzipOptions {
  /**
   * The same compressed input read again from its start (a file). With it,
   * deflate data that turns out corrupt is decoded again up to the byte that
   * fails, so that what zlib decoded from the bytes before it comes out too.
   */
  reread?: () => AsyncIterable<Buffer>;
  /**
   * For an input that cannot be read again (stdin read once): a copy of what
   * it read from a member's start, which `keepFrom` is told of as each
   * member's deflate data starts. It serves as `reread` does.
   */
  copy?: InputCopy;
}

/** What gunzipped needs of a copy of its input (MemberCopy in member-copy.ts). */
export interface InputCopy {
  /** The input from offset `from` to the last byte read; throws if the copy does not hold it. */
  readFrom(from: number): AsyncIterable<Buffer>;
  /** Bytes before offset `from` are needed no more. */
  keepFrom(from: number): void;
}

/** The input read again from a member's deflate data: `open()`'s bytes after the first `skip`. */
interface Source {
  open: () => AsyncIterable<Buffer>;
  skip: number;
}

/** Set on the errors gunzipped throws: the offset in the compressed input where the fault was found. */
export interface GzipFault {
  code: string;
  gzipOffset?: number;
}

/**
 * The decompressed bytes of a gzip stream (RFC 1952), member after member as
 * `zcat` reads them. Of a cut-off or corrupt stream, every byte decoded before
 * the fault comes out, then an error whose code is zlib's (Z_DATA_ERROR,
 * Z_BUF_ERROR for a cut), so readFailure names it GZIP_CORRUPT; its
 * `gzipOffset` is the compressed byte offset of the fault when it is known.
 *
 * zlib fails a whole inflate call on corrupt data: what that call decoded
 * before the bad byte (up to its 16 KiB output buffer) never comes out. With
 * `reread` (a file) or `copy` (stdin read once: its current member's
 * compressed bytes, kept in a file by member-copy.ts), the member is inflated
 * again from its start (input the copy checks against what already came out,
 * by CRC-32) and the failing stretch fed in ever smaller pieces until one
 * byte fails: everything decoded before that byte comes out, and the byte is
 * the fault's offset. With neither, or a copy that could not be kept, that
 * output is lost and the offset is not known. Good input takes none of the
 * re-reading; a copy costs one write of the compressed bytes.
 *
 * Members are framed here and only their deflate data goes to zlib's raw
 * inflater. zlib's Gunzip looks past the end of a member for the next one,
 * and bytes there that are not a gzip header fail the whole write: the
 * records decoded from the last chunk before them never came out. Zero bytes
 * after the last member are padding (gzip and zlib accept them); anything
 * else there is an error.
 */
export async function* gunzipped(src: AsyncIterable<Buffer>, opts: GunzipOptions = {}): AsyncGenerator<Buffer> {
  const it = src[Symbol.asyncIterator]();
  const bytes = new Bytes(it);
  try {
    for (let member = 0; await readHeader(bytes, member === 0); member++) {
      let crc = 0;
      let size = 0;
      const start = bytes.pos;
      opts.copy?.keepFrom(start);
      try {
        for await (const out of inflateRaw(bytes)) {
          crc = crc32(out, crc);
          size += out.length;
          yield out;
        }
      } catch (e) {
        const fault = (e as { [FAILED_WRITE]?: Stretch } | null)?.[FAILED_WRITE];
        const { reread, copy } = opts;
        const source = reread ? { open: reread, skip: start } : copy ? { open: () => copy.readFrom(start), skip: 0 } : undefined;
        if (fault === undefined || source === undefined) throw e;
        const again = recover(source, fault, size, crc);
        for (;;) {
          const r = await again.next();
          if (r.done) {
            if (r.value !== undefined) (e as GzipFault).gzipOffset = start + r.value;
            throw e;
          }
          yield r.value;
        }
      }
      const at = bytes.pos;
      const trailer = await bytes.take(8);
      if (trailer.length < 8) throw gzipError('Z_BUF_ERROR', 'unexpected end of file', bytes.pos);
      if (trailer.readUInt32LE(0) !== crc) throw gzipError('Z_DATA_ERROR', 'incorrect data check', at);
      if (trailer.readUInt32LE(4) !== size % 0x1_0000_0000) throw gzipError('Z_DATA_ERROR', 'incorrect length check', at + 4);
    }
  } catch (e) {
    // a cut: the fault is where the input ends
    const f = e as Partial<GzipFault> | null;
    if (f && f.code === 'Z_BUF_ERROR' && f.gzipOffset === undefined) f.gzipOffset = bytes.pos;
    throw e;
  } finally {
    // a read still pending finishes first (stdin may never): do not wait for it
    it.return?.()?.catch(() => undefined);
  }
}

function gzipError(code: 'Z_DATA_ERROR' | 'Z_BUF_ERROR', message: string, gzipOffset?: number): Error {
  const e = Object.assign(new Error(message), { code });
  return gzipOffset === undefined ? e : Object.assign(e, { gzipOffset });
}

/** Bytes [from, to) of one deflate stream (offsets from its first byte). */
interface Stretch {
  from: number;
  to: number;
}
/** On an inflate error from a write: the stretch of input the failing inflate call started in. */
const FAILED_WRITE = Symbol('failedWrite');
/** Pieces a failing stretch is fed in when it is inflated again. */
const PIECES = 256;
/** Bytes before a failing inflate call's input that it may decode (zlib's bit buffer holds at most 8). */
const LOOKAHEAD = 64;

/**
 * Inflates the deflate stream of a member read again (`source`), up to the
 * byte in `fault` where it fails: yields what comes after the `emitted`
 * bytes already out (whose CRC-32 is `crc`), returns the failing byte's
 * offset from the deflate stream's start. Each pass feeds the stretch known to hold the failure
 * in PIECES pieces, the next pass only the piece that failed: three passes
 * at most for a 256 KiB read. Undefined (nothing more yielded) when the input
 * read again does not agree with what came out the first time.
 */
async function* recover(source: Source, fault: Stretch, emitted: number, crc: number): AsyncGenerator<Buffer, number | undefined> {
  // zlib reads input ahead of what it decodes (a few bytes into its bit buffer): the bad bits may sit
  // in bytes the calls that succeeded took in, so the stretch starts a little before
  let from = Math.max(0, fault.from - LOOKAHEAD);
  let to = fault.to;
  for (;;) {
    const step = Math.max(1, Math.ceil((to - from) / PIECES));
    const pass = replay(source, from, to, step, emitted, crc);
    let failedAt: number | undefined;
    for (;;) {
      const r = await pass.next();
      if (r.done) {
        failedAt = r.value;
        break;
      }
      emitted += r.value.length;
      crc = crc32(r.value, crc);
      yield r.value;
    }
    if (failedAt === undefined) return undefined;
    if (step === 1) return failedAt;
    from = failedAt;
    to = Math.min(failedAt + step, to);
  }
}

/**
 * One pass of recover: a new inflater gets bytes [0, from) of the deflate
 * stream at once, then [from, to) in pieces of `step`. Returns where the
 * piece that failed starts; undefined if none did or the output disagrees.
 */
async function* replay(
  source: Source,
  from: number,
  to: number,
  step: number,
  emitted: number,
  crc: number,
): AsyncGenerator<Buffer, number | undefined> {
  let it: AsyncIterator<Buffer> | undefined;
  const inf = zlib.createInflateRaw();
  let seen = 0;
  let seenCrc = 0;
  let agrees = true;
  let failed = false;
  const out: Buffer[] = [];
  inf.on('data', (d: Buffer) => {
    if (!agrees) return;
    if (seen < emitted) {
      const k = Math.min(d.length, emitted - seen);
      seenCrc = crc32(d.subarray(0, k), seenCrc);
      seen += k;
      if (seen === emitted && seenCrc !== crc) agrees = false;
      d = d.subarray(k);
    }
    if (d.length > 0 && agrees) {
      seen += d.length;
      out.push(d);
    }
  });
  inf.on('error', () => {
    failed = true;
  });
  const write = (b: Buffer): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      const onError = (): void => resolve(false);
      inf.once('error', onError);
      inf.write(b, (err) => {
        inf.off('error', onError);
        // what the write pushed is handed to 'data' before this resolves
        setImmediate(() => resolve(!err && !failed));
      });
    });
  try {
    it = source.open()[Symbol.asyncIterator]();
    const bytes = new Bytes(it);
    if (!(await bytes.skip(source.skip))) return undefined;
    let fed = 0;
    while (fed < from) {
      const c = await bytes.chunk();
      if (c === null) return undefined;
      const b = c.length > from - fed ? c.subarray(0, from - fed) : c;
      bytes.unread(c.subarray(b.length));
      fed += b.length;
      if (!(await write(b))) return undefined;
      if (!agrees) return undefined;
      if (out.length > 0) yield* out.splice(0);
    }
    while (fed < to) {
      const piece = await bytes.take(Math.min(step, to - fed));
      if (piece.length === 0) return undefined;
      const good = await write(piece);
      if (!agrees) return undefined;
      if (out.length > 0) yield* out.splice(0);
      // a piece lost what its failing call decoded (maybe some of what already came out): the next
      // pass narrows it down; a failing byte must leave everything that came out before it
      if (!good) return step > 1 || seen >= emitted ? fed : undefined;
      fed += piece.length;
    }
    return undefined;
  } catch {
    // the input cannot be read again: what came out stands
    return undefined;
  } finally {
    inf.on('error', () => undefined);
    inf.destroy();
    it?.return?.()?.catch(() => undefined);
  }
}

const EMPTY = Buffer.alloc(0);

/** The input as chunks, with bytes read ahead put back. */
class Bytes {
  private head: Buffer = EMPTY;
  private done = false;
  /** Bytes handed out and not put back: the offset of the next one in the input. */
  pos = 0;

  constructor(private readonly it: AsyncIterator<Buffer>) {}

  /** The next unread bytes (never empty), or null at the end of the input. */
  async chunk(): Promise<Buffer | null> {
    if (this.head.length > 0) {
      const b = this.head;
      this.head = EMPTY;
      this.pos += b.length;
      return b;
    }
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.pos += r.value.length;
        return r.value;
      }
    }
    return null;
  }

  unread(b: Buffer): void {
    if (b.length === 0) return;
    this.pos -= b.length;
    this.head = this.head.length > 0 ? Buffer.concat([b, this.head]) : b;
  }

  /** Passes over the next n bytes; false if the input ends first. */
  async skip(n: number): Promise<boolean> {
    while (n > 0) {
      const c = await this.chunk();
      if (c === null) return false;
      if (c.length > n) this.unread(c.subarray(n));
      n -= Math.min(n, c.length);
    }
    return true;
  }

  /** The next n bytes, fewer only at the end of the input. */
  async take(n: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const c = await this.chunk();
      if (c === null) break;
      const want = n - got;
      if (c.length > want) this.unread(c.subarray(want));
      const part = c.length > want ? c.subarray(0, want) : c;
      parts.push(part);
      got += part.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
  }

  /** The bytes up to and including the next zero byte (a header's FNAME or FCOMMENT). */
  async takeString(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      const c = await this.chunk();
      if (c === null) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
      const z = c.indexOf(0);
      if (z < 0) {
        parts.push(c);
        continue;
      }
      this.unread(c.subarray(z + 1));
      parts.push(c.subarray(0, z + 1));
      return Buffer.concat(parts);
    }
  }
}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const FRESERVED = 0xe0;

/**
 * Reads a member header. False at the end of the input after a member, or
 * when only zero bytes (padding) are left.
 */
async function readHeader(bytes: Bytes, first: boolean): Promise<boolean> {
  const at = bytes.pos;
  const next = await bytes.chunk();
  if (next === null) {
    if (first) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
    return false;
  }
  if (!first && next[0] === 0) {
    for (let c: Buffer | null = next; c !== null; c = await bytes.chunk()) {
      const k = c.findIndex((b) => b !== 0);
      if (k >= 0) throw gzipError('Z_DATA_ERROR', 'data after the last member', bytes.pos - c.length + k);
    }
    return false;
  }
  bytes.unread(next);
  const fixed = await bytes.take(10);
  if (fixed[0] !== 0x1f || (fixed.length > 1 && fixed[1] !== 0x8b)) {
    throw gzipError('Z_DATA_ERROR', first ? 'incorrect header check' : 'data after the last member', at);
  }
  if (fixed.length < 10) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
  if (fixed[2] !== 8) throw gzipError('Z_DATA_ERROR', 'unknown compression method', at + 2);
  const flags = fixed[3]!;
  if (flags & FRESERVED) throw gzipError('Z_DATA_ERROR', 'unknown header flags set', at + 3);
  const header: Buffer[] = [fixed];
  if (flags & FEXTRA) {
    const len = await bytes.take(2);
    if (len.length < 2) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
    const extra = await bytes.take(len.readUInt16LE(0));
    if (extra.length < len.readUInt16LE(0)) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
    header.push(len, extra);
  }
  if (flags & FNAME) header.push(await bytes.takeString());
  if (flags & FCOMMENT) header.push(await bytes.takeString());
  if (flags & FHCRC) {
    const hcrcAt = bytes.pos;
    const hcrc = await bytes.take(2);
    if (hcrc.length < 2) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
    if (hcrc.readUInt16LE(0) !== (crc32(Buffer.concat(header), 0) & 0xffff)) throw gzipError('Z_DATA_ERROR', 'header crc mismatch', hcrcAt);
  }
  return true;
}

/**
 * The output of one deflate stream read from `bytes`; the input after its
 * end is put back. zlib's raw inflater stops consuming at the end of the
 * deflate data, and bytesWritten counts what it consumed.
 */
async function* inflateRaw(bytes: Bytes): AsyncGenerator<Buffer> {
  const inf = zlib.createInflateRaw();
  let wake: (() => void) | null = null;
  let error: unknown;
  let ended = false;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  /** The write in progress: where it starts and ends in the deflate stream. */
  let writing: Stretch | null = null;
  const mark = (e: unknown, w: Stretch | null): void => {
    // bytesWritten counts the input of the inflate calls that succeeded: the failing one starts there
    if (w && e !== null && typeof e === 'object' && !(FAILED_WRITE in e)) {
      (e as { [FAILED_WRITE]?: Stretch })[FAILED_WRITE] = { from: inf.bytesWritten, to: w.to };
    }
  };
  const onError = (e: unknown): void => {
    if (error === undefined) mark(e, writing);
    error ??= e;
    poke();
  };
  const onEnd = (): void => {
    ended = true;
    poke();
  };
  inf.on('readable', poke);
  inf.on('error', onError);
  inf.on('end', onEnd);
  // One chunk at a time, so what the inflater did not consume is known.
  const feed = async (): Promise<void> => {
    for (;;) {
      const c = await bytes.chunk();
      if (c === null) {
        inf.end(); // a deflate stream not finished by then is an error
        return;
      }
      const before = inf.bytesWritten;
      const w = { from: before, to: before + c.length };
      writing = w;
      const err = await new Promise<Error | null | undefined>((resolve) => inf.write(c, resolve));
      writing = null;
      if (err) {
        mark(err, w);
        return;
      }
      const used = inf.bytesWritten - before;
      if (used < c.length) {
        bytes.unread(c.subarray(used));
        return;
      }
    }
  };
  const fed = feed().catch(onError);
  try {
    for (;;) {
      const chunk = inf.read() as Buffer | null;
      if (chunk !== null) {
        yield chunk;
        continue;
      }
      if (error !== undefined) throw error;
      if (ended) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    await fed;
    if (error !== undefined) throw error;
  } finally {
    inf.off('readable', poke);
    inf.off('end', onEnd);
    // an error after this point has no one to reach
    inf.on('error', () => undefined);
    inf.off('error', onError);
    inf.destroy();
  }
}

const nativeCrc32 = (zlib as Partial<typeof zlib>).crc32; // Node >= 20.15
let table: Uint32Array | undefined;

function crc32(b: Buffer, crc: number): number {
  if (nativeCrc32) return nativeCrc32(b, crc);
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~crc;
  for (let i = 0; i < b.length; i++) c = table[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
