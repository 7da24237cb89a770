/**
 * Pure, incremental reader of a multipart body (RFC 2046 section 5.1.1):
 * fed bytes in any chunking, it returns part events. Part bodies stream;
 * only a tail shorter than the delimiter is held back between chunks.
 */
export type MultipartEvent =
  | { type: 'part'; headers: Record<string, string> }
  | { type: 'data'; bytes: Buffer }
  | { type: 'partEnd' };

export class MultipartError extends Error {
  override name = 'MultipartError';
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADERS = 16 * 1024;
const MAX_PREAMBLE = 64 * 1024;

/** Boundary of a multipart Content-Type, or undefined (RFC 2046: 1 to 70 characters). */
export function boundaryOf(contentType: string | null): string | undefined {
  if (!contentType || !/^\s*multipart\//i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;|$)/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done';

export class MultipartCore {
  private buf: Buffer = Buffer.alloc(0);
  private state: State = 'preamble';
  private readonly dash: Buffer; // --boundary
  private readonly delim: Buffer; // CRLF--boundary
  parts = 0;

  constructor(boundary: string) {
    this.dash = Buffer.from(`--${boundary}`, 'latin1');
    this.delim = Buffer.concat([CRLF, this.dash]);
  }

  get done(): boolean {
    return this.state === 'done';
  }

  feed(chunk: Buffer): MultipartEvent[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: MultipartEvent[] = [];
    while (this.step(out));
    return out;
  }

  /** End of input: throws unless the closing delimiter was read. */
  end(): void {
    if (this.state !== 'done') throw new MultipartError(`multipart body ends early (${this.state})`);
  }

  private step(out: MultipartEvent[]): boolean {
    switch (this.state) {
      case 'preamble': {
        // The first delimiter may open the body without a CRLF before it.
        if (this.buf.length >= this.dash.length && this.buf.subarray(0, this.dash.length).equals(this.dash)) {
          this.buf = this.buf.subarray(this.dash.length);
          this.state = 'afterDelimiter';
          return true;
        }
        const i = this.buf.indexOf(this.delim);
        if (i >= 0) {
          this.buf = this.buf.subarray(i + this.delim.length);
          this.state = 'afterDelimiter';
          return true;
        }
        if (this.buf.length > MAX_PREAMBLE) throw new MultipartError('no multipart delimiter');
        return false;
      }
      case 'afterDelimiter': {
        if (this.buf.length < 2) return false;
        if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
          this.state = 'done';
          this.buf = Buffer.alloc(0); // the epilogue is ignored
          return false;
        }
        // Transport padding (spaces, tabs) may come before the CRLF.
        let j = 0;
        while (j < this.buf.length && (this.buf[j] === 0x20 || this.buf[j] === 0x09)) j++;
        if (this.buf.length < j + 2) {
          if (j > 1024) throw new MultipartError('delimiter line too long');
          return false;
        }
        if (this.buf[j] !== 0x0d || this.buf[j + 1] !== 0x0a) throw new MultipartError('bad delimiter line');
        this.buf = this.buf.subarray(j + 2);
        this.state = 'headers';
        return true;
      }
      case 'headers': {
        let end: number;
        let skip: number;
        if (this.buf.length >= 2 && this.buf[0] === 0x0d && this.buf[1] === 0x0a) {
          end = 0;
          skip = 2; // no headers at all
        } else {
          end = this.buf.indexOf(HEADER_END);
          skip = 4;
          if (end < 0) {
            if (this.buf.length > MAX_HEADERS) throw new MultipartError('part headers too long');
            return false;
          }
        }
        const headers: Record<string, string> = {};
        for (const line of this.buf.toString('latin1', 0, end).split('\r\n')) {
          const c = line.indexOf(':');
          if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
        }
        this.buf = this.buf.subarray(end + skip);
        this.parts++;
        out.push({ type: 'part', headers });
        this.state = 'body';
        return true;
      }
      case 'body': {
        const i = this.buf.indexOf(this.delim);
        if (i >= 0) {
          if (i > 0) out.push({ type: 'data', bytes: this.buf.subarray(0, i) });
          out.push({ type: 'partEnd' });
          this.buf = this.buf.subarray(i + this.delim.length);
          this.state = 'afterDelimiter';
          return true;
        }
        // Keep back what could be the start of a delimiter cut by the chunking.
        const safe = this.buf.length - (this.delim.length - 1);
        if (safe > 0) {
          out.push({ type: 'data', bytes: this.buf.subarray(0, safe) });
          this.buf = this.buf.subarray(safe);
        }
        return false;
      }
      case 'done':
        this.buf = Buffer.alloc(0);
        return false;
    }
  }
}
