import zlib from 'node:zlib';

/**
 * The decompressed bytes of a gzip stream (RFC 1952), member after member as
 * `zcat` reads them. Of a cut-off or corrupt stream, every byte decoded before
 * the fault comes out, then an error whose code is zlib's (Z_DATA_ERROR,
 * Z_BUF_ERROR for a cut), so readFailure names it GZIP_CORRUPT.
 *
 * Members are framed here and only their deflate data goes to zlib's raw
 * inflater. zlib's Gunzip looks past the end of a member for the next one,
 * and bytes there that are not a gzip header fail the whole write: the
 * records decoded from the last chunk before them never came out. Zero bytes
 * after the last member are padding (gzip and zlib accept them); anything
 * else there is an error.
 */
export async function* gunzipped(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = src[Symbol.asyncIterator]();
  const bytes = new Bytes(it);
  try {
    for (let member = 0; await readHeader(bytes, member === 0); member++) {
      let crc = 0;
      let size = 0;
      for await (const out of inflateRaw(bytes)) {
        crc = crc32(out, crc);
        size += out.length;
        yield out;
      }
      const trailer = await bytes.take(8);
      if (trailer.length < 8) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
      if (trailer.readUInt32LE(0) !== crc) throw gzipError('Z_DATA_ERROR', 'incorrect data check');
      if (trailer.readUInt32LE(4) !== size % 0x1_0000_0000) throw gzipError('Z_DATA_ERROR', 'incorrect length check');
    }
  } finally {
    // a read still pending finishes first (stdin may never): do not wait for it
    it.return?.()?.catch(() => undefined);
  }
}

function gzipError(code: 'Z_DATA_ERROR' | 'Z_BUF_ERROR', message: string): Error {
  return Object.assign(new Error(message), { code });
}

const EMPTY = Buffer.alloc(0);

/** The input as chunks, with bytes read ahead put back. */
class Bytes {
  private head: Buffer = EMPTY;
  private done = false;

  constructor(private readonly it: AsyncIterator<Buffer>) {}

  /** The next unread bytes (never empty), or null at the end of the input. */
  async chunk(): Promise<Buffer | null> {
    if (this.head.length > 0) {
      const b = this.head;
      this.head = EMPTY;
      return b;
    }
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) return r.value;
    }
    return null;
  }

  unread(b: Buffer): void {
    if (b.length > 0) this.head = this.head.length > 0 ? Buffer.concat([b, this.head]) : b;
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
  const next = await bytes.chunk();
  if (next === null) {
    if (first) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
    return false;
  }
  if (!first && next[0] === 0) {
    for (let c: Buffer | null = next; c !== null; c = await bytes.chunk()) {
      if (c.some((b) => b !== 0)) throw gzipError('Z_DATA_ERROR', 'data after the last member');
    }
    return false;
  }
  bytes.unread(next);
  const fixed = await bytes.take(10);
  if (fixed[0] !== 0x1f || (fixed.length > 1 && fixed[1] !== 0x8b)) {
    throw gzipError('Z_DATA_ERROR', first ? 'incorrect header check' : 'data after the last member');
  }
  if (fixed.length < 10) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
  if (fixed[2] !== 8) throw gzipError('Z_DATA_ERROR', 'unknown compression method');
  const flags = fixed[3]!;
  if (flags & FRESERVED) throw gzipError('Z_DATA_ERROR', 'unknown header flags set');
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
    const hcrc = await bytes.take(2);
    if (hcrc.length < 2) throw gzipError('Z_BUF_ERROR', 'unexpected end of file');
    if (hcrc.readUInt16LE(0) !== (crc32(Buffer.concat(header), 0) & 0xffff)) throw gzipError('Z_DATA_ERROR', 'header crc mismatch');
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
  const onError = (e: unknown): void => {
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
      const err = await new Promise<Error | null | undefined>((resolve) => inf.write(c, resolve));
      if (err) return;
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
