/**
 * Telling NDJSON from one JSON document (and gzip from plain text) by the
 * first bytes of an input whose name does not say.
 */

export type Sniffed = 'ndjson' | 'json' | 'gzip' | undefined;

/**
 * NDJSON or one JSON document? NDJSON when the first non-blank line parses as
 * JSON and a newline follows it; anything else is one document. Undefined
 * while more bytes are needed (never past `limit` bytes).
 */
export function sniffFormat(head: Buffer, eof: boolean, limit: number, allowGzip: boolean): Sniffed {
  if (allowGzip && head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (allowGzip && head.length < 2 && !eof) return undefined;
  let pos = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (;;) {
    const nl = head.indexOf(0x0a, pos);
    if (nl === -1) {
      const rest = head.subarray(pos);
      if (rest.toString('latin1').trim() === '' && eof) return 'ndjson'; // empty input: no records
      if (eof || head.length >= limit) return 'json';
      return undefined;
    }
    const line = head.subarray(pos, nl).toString('utf8');
    if (line.trim() !== '') {
      try {
        JSON.parse(line);
        return 'ndjson';
      } catch {
        return 'json';
      }
    }
    pos = nl + 1;
  }
}
