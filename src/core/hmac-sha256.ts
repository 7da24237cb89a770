import { createHash } from 'node:crypto';

/**
 * HMAC-SHA256 (RFC 2104, FIPS 180-4) for short messages under one fixed key.
 * node:crypto's createHmac costs ~3 µs per call, mostly object set-up; the
 * pseudonyms of a FHIR run are one or two SHA-256 blocks each, computed here
 * from the key's inner and outer pad states, prepared once, in ~1 µs.
 * `test/core/hmac-sha256.test.ts` checks it against node:crypto.
 */
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const W = new Int32Array(64);

/** One compression of the 64-byte block at `p` of `b` into state `h`. */
function compress(h: Int32Array, b: Uint8Array, p: number): void {
  for (let i = 0; i < 16; i++, p += 4) W[i] = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = h[0]!, bb = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & bb) ^ (a & c) ^ (bb & c);
    const t2 = (S0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = bb;
    bb = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0]! + a) | 0;
  h[1] = (h[1]! + bb) | 0;
  h[2] = (h[2]! + c) | 0;
  h[3] = (h[3]! + d) | 0;
  h[4] = (h[4]! + e) | 0;
  h[5] = (h[5]! + f) | 0;
  h[6] = (h[6]! + g) | 0;
  h[7] = (h[7]! + hh) | 0;
}

export class HmacSha256 {
  readonly #inner = new Int32Array(8);
  readonly #outer = new Int32Array(8);
  readonly #h = new Int32Array(8);
  /** The message under construction (grown on demand), then its padding. */
  #buf = new Uint8Array(1024);
  #len = 0;
  readonly #block = new Uint8Array(64);

  constructor(key: Uint8Array) {
    const k = new Uint8Array(64);
    k.set(key.length > 64 ? createHash('sha256').update(key).digest() : key);
    const pad = new Uint8Array(64);
    for (let i = 0; i < 64; i++) pad[i] = k[i]! ^ 0x36;
    this.#inner.set(IV);
    compress(this.#inner, pad, 0);
    for (let i = 0; i < 64; i++) pad[i] = k[i]! ^ 0x5c;
    this.#outer.set(IV);
    compress(this.#outer, pad, 0);
  }

  /** Starts a message. */
  reset(): this {
    this.#len = 0;
    return this;
  }

  /** Appends `s` as UTF-8. */
  update(s: string): this {
    let n = this.#len;
    const max = n + s.length * 3;
    if (max > this.#buf.length) this.#grow(max);
    const buf = this.#buf;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        n += Buffer.from(buf.buffer, buf.byteOffset + n, buf.length - n).write(s.slice(i), 'utf8');
        this.#len = n;
        return this;
      }
      buf[n++] = c;
    }
    this.#len = n;
    return this;
  }

  /** Appends one byte. */
  byte(b: number): this {
    if (this.#len + 1 > this.#buf.length) this.#grow(this.#len + 1);
    this.#buf[this.#len++] = b;
    return this;
  }

  /** The MAC of the message as 8 big-endian words (valid until the next digest). */
  digestWords(): Int32Array {
    const h = this.#h;
    h.set(this.#inner);
    this.#finish(h, this.#buf, this.#len);
    // outer hash: the 32-byte inner digest after the opad block, in one padded block
    const blk = this.#block;
    for (let i = 0; i < 8; i++) {
      const w = h[i]!;
      blk[4 * i] = w >>> 24;
      blk[4 * i + 1] = (w >>> 16) & 0xff;
      blk[4 * i + 2] = (w >>> 8) & 0xff;
      blk[4 * i + 3] = w & 0xff;
    }
    blk.fill(0, 32);
    blk[32] = 0x80;
    blk[62] = (96 * 8) >>> 8;
    blk[63] = (96 * 8) & 0xff;
    h.set(this.#outer);
    compress(h, blk, 0);
    return h;
  }

  /** The MAC as a new 32-byte Buffer. */
  digest(): Buffer {
    const h = this.digestWords();
    const out = Buffer.allocUnsafe(32);
    for (let i = 0; i < 8; i++) out.writeInt32BE(h[i]!, 4 * i);
    return out;
  }

  /** Hashes `len` bytes of `msg`, which follow the 64-byte pad block already in `h`, with SHA-256 padding. */
  #finish(h: Int32Array, msg: Uint8Array, len: number): void {
    let p = 0;
    for (; p + 64 <= len; p += 64) compress(h, msg, p);
    const blk = this.#block;
    const rest = len - p;
    blk.fill(0);
    for (let i = 0; i < rest; i++) blk[i] = msg[p + i]!;
    blk[rest] = 0x80;
    if (rest >= 56) {
      compress(h, blk, 0);
      blk.fill(0);
    }
    const bits = (64 + len) * 8;
    blk[59] = Math.floor(bits / 2 ** 32) & 0xff;
    blk[60] = bits >>> 24;
    blk[61] = (bits >>> 16) & 0xff;
    blk[62] = (bits >>> 8) & 0xff;
    blk[63] = bits & 0xff;
    compress(h, blk, 0);
  }

  #grow(min: number): void {
    let size = this.#buf.length * 2;
    while (size < min) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }
}
