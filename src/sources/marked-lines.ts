/**
 * The lines of an NDJSON byte stream that contain a marker, found by looking
 * for the marker first: a line without it is never cut out, copied or
 * decoded. The patient pre-pass reads every input once more to find the few
 * Patient records in it; splitting every line of a 50 MB file to test each
 * one for `"Patient"` took ~100 ms, three times the read itself.
 *
 * Lines that span chunks are joined before they are searched, so a marker
 * cut in two by a chunk boundary is still found. A line longer than
 * `maxLineLength` is dropped (the main pass reports it).
 */
const LF = 0x0a;

export class MarkedLines {
  #pieces: Buffer[] = [];
  #pieceBytes = 0;
  /** Dropping the rest of a line that outgrew maxLineLength. */
  #discarding = false;

  /**
   * The marker without its first and last bytes: Buffer#indexOf is several
   * times slower on a needle that starts or ends with a byte as common in
   * JSON as `"` (`"Patient"` over the 200 MB benchmark input: ~180 ms,
   * `Patient`: ~50 ms), so the middle is searched and the ends checked.
   */
  readonly #core: Buffer | undefined;

  constructor(
    readonly marker: Buffer,
    readonly maxLineLength: number,
  ) {
    this.#core = marker.length >= 3 ? marker.subarray(1, marker.length - 1) : undefined;
  }

  /** Start of the first marker wholly inside chunk[at, to), or -1. */
  #find(chunk: Buffer, at: number, to: number): number {
    const marker = this.marker;
    const core = this.#core;
    if (!core) {
      const hit = chunk.indexOf(marker, at);
      return hit >= 0 && hit + marker.length <= to ? hit : -1;
    }
    const first = marker[0]!;
    const last = marker[marker.length - 1]!;
    for (let from = at + 1; ; ) {
      const c = chunk.indexOf(core, from);
      if (c < 0 || c + core.length + 1 > to) return -1;
      if (chunk[c - 1] === first && chunk[c + core.length] === last) return c - 1;
      from = c + 1;
    }
  }

  /** Pushes the complete lines of `chunk` (with the pending start of a line) that hold the marker onto `out`. */
  push(chunk: Buffer, out: Buffer[]): void {
    const first = chunk.indexOf(LF);
    if (first < 0) {
      this.#hold(chunk);
      return;
    }
    this.#lineEnds(chunk.subarray(0, first), out);
    const last = chunk.lastIndexOf(LF);
    if (last > first) this.#search(chunk, first + 1, last, out);
    this.#hold(chunk.subarray(last + 1));
  }

  /** The last line, when the input does not end with a newline. */
  end(out: Buffer[]): void {
    this.#lineEnds(Buffer.alloc(0), out);
  }

  #hold(piece: Buffer): void {
    if (piece.length === 0 || this.#discarding) return;
    if (this.#pieceBytes + piece.length > this.maxLineLength) {
      this.#pieces = [];
      this.#pieceBytes = 0;
      this.#discarding = true;
      return;
    }
    // a copy: the caller may read the next chunk into the same buffer
    this.#pieces.push(Buffer.from(piece));
    this.#pieceBytes += piece.length;
  }

  /** `tail` ends the line held in pieces (or is a whole line when none is held). */
  #lineEnds(tail: Buffer, out: Buffer[]): void {
    if (this.#discarding) {
      this.#discarding = false;
      return;
    }
    if (this.#pieces.length === 0) {
      if (tail.length > 0 && tail.length <= this.maxLineLength && tail.indexOf(this.marker) >= 0) out.push(tail);
      return;
    }
    const line = Buffer.concat([...this.#pieces, tail]);
    this.#pieces = [];
    this.#pieceBytes = 0;
    if (line.length <= this.maxLineLength && line.indexOf(this.marker) >= 0) out.push(line);
  }

  /** Complete lines in chunk[from, to) (`to` is a newline or the end): only those holding the marker. */
  #search(chunk: Buffer, from: number, to: number, out: Buffer[]): void {
    let at = from;
    while (at < to) {
      const hit = this.#find(chunk, at, to);
      if (hit < 0) return;
      const start = Math.max(chunk.lastIndexOf(LF, hit) + 1, at);
      const end = chunk.indexOf(LF, hit);
      if (end - start <= this.maxLineLength) out.push(chunk.subarray(start, end));
      at = end + 1;
    }
  }
}
