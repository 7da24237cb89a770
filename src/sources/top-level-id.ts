import { ID_TOO_LONG } from '../core/record.js';

/**
 * The value of the `id` member of a JSON document's top-level object (the
 * last one, as JSON.parse keeps), found by a scan that tracks only nesting and
 * strings: nothing but that member's text is kept, and of a value too long to
 * be a FHIR id only that it is (ID_TOO_LONG). Undefined when there is none,
 * or when the document cannot be read that far (the main pass reports why).
 *
 * A streamed Bundle whose `id` comes after `entry` needs it before its first
 * member is de-identified: the Bundle's date shift is keyed by it.
 */
export async function topLevelId(bytes: AsyncIterable<Buffer>): Promise<unknown> {
  const s = new TopLevelIdScanner();
  try {
    for await (const chunk of bytes) s.push(chunk);
  } catch {
    // a read error or corrupt gzip: what was scanned stands
  }
  return s.value();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Longest key text worth keeping: `"\u0069\u0064"` spells id in 12 bytes. */
const MAX_KEY = 16;
/**
 * Most text a FHIR id's value can take (64 characters of [A-Za-z0-9\-.], each
 * as a \uXXXX escape, in quotes); whitespace around it is not counted. A value
 * longer than this is no id (see fhirIdOrEmpty): only that is kept of it.
 */
export const MAX_ID_TEXT = 2 + 64 * 6;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export class TopLevelIdScanner {
  private depth = 0;
  private inString = false;
  /** An odd run of backslashes ended the last chunk, inside a string. */
  private escaped = false;
  private expectKey = false;
  /** Raw bytes of the depth-1 key being read, null when not reading one or too long. */
  private key: number[] | null = null;
  private lastKeyIsId = false;
  /** Text of the id value being read (whitespace outside its strings left out), at most MAX_ID_TEXT bytes. */
  private capture: Buffer[] | null = null;
  private captured = 0;
  private tooLong = false;
  private found: Buffer[] | typeof ID_TOO_LONG | null = null;

  push(b: Buffer): void {
    let i = 0;
    while (i < b.length) {
      if (this.inString) {
        const end = this.stringEnd(b, i);
        if (this.key !== null) {
          for (let k = i; k < Math.min(end < 0 ? b.length : end, i + MAX_KEY + 1); k++) this.key.push(b[k]!);
          if (this.key.length > MAX_KEY) this.key = null;
        }
        if (this.capture) this.keep(b, i, end < 0 ? b.length : end + 1);
        if (end < 0) break;
        this.inString = false;
        if (this.key !== null) {
          this.lastKeyIsId = keyText(this.key) === 'id';
          this.key = null;
        }
        i = end + 1;
        continue;
      }
      const c = b[i]!;
      const ends = this.depth === 1 && (c === 0x7d || c === 0x5d || c === 0x2c);
      if (this.capture && !ends && !isSpace(c)) this.keep(b, i, i + 1);
      if (c === QUOTE) {
        this.inString = true;
        this.escaped = false;
        if (this.depth === 1 && this.expectKey) this.key = [];
      } else if (c === 0x7b || c === 0x5b) {
        this.depth++;
        if (this.depth === 1) this.expectKey = c === 0x7b;
      } else if (c === 0x7d || c === 0x5d) {
        if (this.depth === 1 && this.capture) this.finishValue();
        this.depth--;
      } else if (this.depth === 1) {
        if (c === 0x2c) {
          if (this.capture) this.finishValue();
          this.expectKey = true;
        } else if (c === 0x3a && this.expectKey) {
          this.expectKey = false;
          if (this.lastKeyIsId) {
            this.capture = [];
            this.captured = 0;
            this.tooLong = false;
          }
        }
      }
      i++;
    }
  }

  /** Keeps b[from, to) of the id value, or only that it is too long to be an id. */
  private keep(b: Buffer, from: number, to: number): void {
    if (this.tooLong || to <= from) return;
    this.captured += to - from;
    if (this.captured > MAX_ID_TEXT) {
      this.tooLong = true;
      this.capture!.length = 0;
      return;
    }
    // a copy: the chunk is not held
    this.capture!.push(Buffer.from(b.subarray(from, to)));
  }

  /** The last top-level id's value; ID_TOO_LONG for one whose text is too long to be an id. */
  value(): unknown {
    if (!this.found) return undefined;
    if (this.found === ID_TOO_LONG) return ID_TOO_LONG;
    try {
      return JSON.parse(Buffer.concat(this.found).toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  private finishValue(): void {
    this.found = this.tooLong ? ID_TOO_LONG : this.capture!;
    this.capture = null;
    this.lastKeyIsId = false;
  }

  /** Index of the quote that ends the string going on at `i`, or -1 (escape state kept for the next chunk). */
  private stringEnd(b: Buffer, i: number): number {
    let j = i;
    for (;;) {
      const q = b.indexOf(QUOTE, j);
      const stop = q < 0 ? b.length : q;
      let k = stop - 1;
      while (k >= j && b[k] === BACKSLASH) k--;
      let run = stop - 1 - k;
      if (k < j && this.escaped) run++;
      this.escaped = false;
      if (q < 0) {
        this.escaped = run % 2 === 1;
        return -1;
      }
      if (run % 2 === 0) return q;
      j = q + 1; // an escaped quote
    }
  }
}

function keyText(raw: number[]): string | undefined {
  try {
    return JSON.parse(`"${Buffer.from(raw).toString('latin1')}"`) as string;
  } catch {
    return undefined;
  }
}
