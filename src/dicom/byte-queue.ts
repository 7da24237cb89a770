/**
 * A FIFO of Buffers with cheap reads from the front. Reads that fit in the
 * first chunk are zero-copy subarrays; reads that straddle chunks are joined
 * with Buffer.concat (no per-byte loops).
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0; // read offset into chunks[0]
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(buf: Buffer): void {
    if (buf.length === 0) return;
    this.chunks.push(buf);
    this.total += buf.length;
  }

  /** The first n bytes without consuming them (n <= length). May share memory with the input. */
  peek(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    const parts: Buffer[] = [];
    let need = n;
    for (let i = 0; need > 0; i++) {
      const c = this.chunks[i]!;
      const from = i === 0 ? this.head : 0;
      const take = Math.min(need, c.length - from);
      parts.push(c.subarray(from, from + take));
      need -= take;
    }
    return Buffer.concat(parts, n);
  }

  /** Where peekIn's bytes start in the buffer it returned. */
  at = 0;

  /**
   * The next n bytes (n <= length) without consuming them, as a buffer and
   * the offset `at` they start at: the first chunk itself when they lie in it
   * (nothing allocated), else a joined copy (at 0).
   */
  peekIn(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length - this.head >= n) {
      this.at = this.head;
      return first;
    }
    this.at = 0;
    return this.peek(n);
  }

  /** Consumes n bytes (n <= length). */
  skip(n: number): void {
    this.total -= n;
    while (n > 0) {
      const c = this.chunks[0]!;
      const avail = c.length - this.head;
      if (n < avail) {
        this.head += n;
        return;
      }
      n -= avail;
      this.chunks.shift();
      this.head = 0;
    }
  }

  /** Consumes and returns n bytes (n <= length). */
  take(n: number): Buffer {
    const b = this.peek(n);
    this.skip(n);
    return b;
  }

  /** Consumes and returns n bytes as a private copy (does not pin input chunks). */
  takeCopy(n: number): Buffer {
    const b = this.peek(n);
    const copy = Buffer.allocUnsafe(n);
    b.copy(copy);
    this.skip(n);
    return copy;
  }

  /**
   * Copies what is queued into `into` at offset 0 (which must be large
   * enough) and empties the queue; returns the number of bytes copied. The
   * queue then no longer refers to the buffers it was given.
   */
  moveTo(into: Buffer): number {
    const n = this.total;
    if (into.length < n) throw new RangeError('moveTo: target too small');
    let at = 0;
    for (const [i, c] of this.chunks.entries()) at += c.copy(into, at, i === 0 ? this.head : 0);
    this.chunks = [];
    this.head = 0;
    this.total = 0;
    return n;
  }

  /** Removes and returns everything queued. */
  drain(): Buffer[] {
    const out = this.chunks.map((c, i) => (i === 0 ? c.subarray(this.head) : c));
    this.chunks = [];
    this.head = 0;
    this.total = 0;
    return out;
  }
}
